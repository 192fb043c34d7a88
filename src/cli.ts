#!/usr/bin/env node
/**
 * `duban`: the admin's command line. Every message is in Chinese; errors go to stderr with a
 * non-zero exit code and leave the database as it was.
 */
import { Command } from 'commander';
import { describeImport, importPlanFile, loadPlanFile } from './app/import-plan-file';
import { displayParsedPlan, renderPlanTree } from './app/render-plan';
import { unitWarning } from './app/unit-warning';
import { describeCliError, translateCommanderMessage } from './cli-errors';
import { loadConfig, loadDotEnv, resolvePath } from './config';
import { Store } from './store/store';
import { checkUnits } from './units/check-units';
import { loadUnitDirectory } from './units/unit-directory';

const TITLES: Record<string, string> = {
  'Usage:': '用法：',
  'Options:': '选项：',
  'Commands:': '命令：',
  'Arguments:': '参数：',
  'Global Options:': '全局选项：',
};

function localizeTerms(s: string): string {
  return s.replace('[options]', '[选项]').replace('[command]', '[命令]');
}

/** Chinese help and error text; subcommands inherit these settings from the root. */
function withChineseHelp(cmd: Command): Command {
  return cmd
    .configureHelp({
      styleTitle: (s: string) => TITLES[s] ?? s,
      styleUsage: (s: string) => localizeTerms(s),
      styleSubcommandTerm: (s: string) => localizeTerms(s),
      // CJK characters take two columns in a terminal; align help text accordingly.
      displayWidth: (s: string) => [...s].reduce((w, ch) => w + (/[\u2e80-\uffef]/.test(ch) ? 2 : 1), 0),
    })
    .helpOption('-h, --help', '显示帮助')
    .configureOutput({ outputError: (str, write) => write(translateCommanderMessage(str)) })
    .showHelpAfterError('（加 --help 查看用法）');
}

function openStore(dbOption?: string): Store {
  const config = loadConfig();
  return Store.open(resolvePath(dbOption ?? config.DB_PATH));
}

function fail(err: unknown, file?: string): never {
  process.stderr.write(`${describeCliError(err, file)}\n`);
  process.exit(2);
}

export function buildCli(): Command {
  const program = withChineseHelp(new Command('duban'))
    .description('督办：把工作要点导入数据库，按单位提醒报送进度。')
    .option('--db <路径>', '数据库文件（默认取 DB_PATH，未设置时为 data/duban.db）')
    .helpCommand('help [命令]', '显示某个命令的帮助');

  const plan = program.command('plan').description('工作要点：解析、导入、查看');

  plan.command('parse')
    .description('解析计划文件并打印结果，不写数据库')
    .argument('<文件>', '计划文件（.txt 为 UTF-8 或 GBK/GB18030 编码，或 .docx）')
    .option('--json', '以 JSON 输出（供其他工具读取）')
    .action(async (file: string, opts: { json?: boolean }) => {
      try {
        const { plan: parsed } = await loadPlanFile(file);
        if (opts.json) {
          const { warnings, ...rest } = parsed;
          process.stdout.write(`${JSON.stringify({ ...rest, warnings }, null, 2)}\n`);
        } else {
          process.stdout.write(`${renderPlanTree(displayParsedPlan(parsed))}\n`);
        }
        for (const w of parsed.warnings) process.stderr.write(`提示：${w}\n`);
      } catch (err) {
        fail(err, file);
      }
    });

  plan.command('import')
    .description('导入（或重新导入）计划文件：同一文件再次导入不作修改；修改后的文件只更新变化的任务，删去的任务归档保留')
    .argument('<文件>', '计划文件（.txt 或 .docx）')
    .action(async (file: string) => {
      let store: Store | undefined;
      try {
        store = openStore(program.opts<{ db?: string }>().db);
        const { plan: parsed, result } = await importPlanFile(store, file, new Date());
        process.stdout.write(`${describeImport(parsed.title, result)}\n`);
        for (const w of parsed.warnings) process.stderr.write(`提示：${w}\n`);
        const hint = unitWarning(loadUnitDirectory(resolvePath(loadConfig().UNITS_FILE)), store.listUnitNames(result.planId));
        if (hint) process.stderr.write(`提示：${hint}\n`);
      } catch (err) {
        fail(err, file);
      } finally {
        store?.close();
      }
    });

  plan.command('show')
    .description('按“部分 → 事项 → 任务 → 单位”显示数据库中的计划，标出牵头单位')
    .option('--plan <编号>', '计划编号（数据库中有多个计划时使用）')
    .option('--full', '显示任务全文')
    .action((opts: { plan?: string; full?: boolean }) => {
      let store: Store | undefined;
      try {
        store = openStore(program.opts<{ db?: string }>().db);
        const plans = store.listPlans();
        if (plans.length === 0) {
          process.stderr.write('数据库中还没有计划。请先运行：duban plan import 计划文件.txt\n');
          process.exit(1);
        }
        const id = opts.plan ? Number(opts.plan) : (plans[plans.length - 1]?.id ?? 0);
        const tree = store.getPlanTree(id);
        if (!tree) {
          process.stderr.write(`没有编号为 ${opts.plan} 的计划。现有计划：${plans.map((p) => `${p.id}《${p.title}》`).join('，')}\n`);
          process.exit(1);
        }
        process.stdout.write(`${renderPlanTree(tree, opts.full ? 100000 : 60)}\n`);
      } catch (err) {
        fail(err);
      } finally {
        store?.close();
      }
    });

  const units = program.command('units').description('责任单位目录（集合单位、别名）');
  units.command('check')
    .description('列出计划中单位目录不认识的单位，以便在发送提醒前补充')
    .option('--units-file <文件>', '单位目录文件（默认取 UNITS_FILE，未设置时为 data/units.yaml）')
    .action((opts: { unitsFile?: string }) => {
      let store: Store | undefined;
      try {
        const config = loadConfig();
        const file = resolvePath(opts.unitsFile ?? config.UNITS_FILE);
        const dir = loadUnitDirectory(file);
        store = openStore(program.opts<{ db?: string }>().db);
        const names = store.listUnitNames();
        if (names.length === 0) {
          process.stderr.write('数据库中还没有计划。请先运行：duban plan import 计划文件.txt\n');
          process.exit(1);
        }
        if (dir.missing) process.stdout.write(`单位目录文件 ${file} 不存在，所有单位都将视为未登记。\n`);
        const check = checkUnits(names, dir);
        process.stdout.write(`计划中共有 ${names.length} 个责任单位（按原文写法）。\n`);
        for (const c of check.collectives) process.stdout.write(`  集合单位 ${c.name} → ${c.members.join('、')}\n`);
        for (const a of check.aliased) process.stdout.write(`  别名 ${a.name} → ${a.canonical}\n`);
        if (check.unknown.length === 0) {
          process.stdout.write('单位目录认识计划中的全部单位。\n');
          return;
        }
        process.stdout.write(`单位目录中没有以下 ${check.unknown.length} 个单位，请在 ${file} 中补充（作为单位、别名或集合单位）：\n`);
        for (const u of check.unknown) process.stdout.write(`  - ${u}\n`);
        process.exitCode = 1;
      } catch (err) {
        fail(err);
      } finally {
        store?.close();
      }
    });

  return program;
}

if (require.main === module) {
  try {
    loadDotEnv();
  } catch (err) {
    fail(err);
  }
  buildCli()
    .parseAsync(process.argv)
    .catch((err: unknown) => fail(err));
}
