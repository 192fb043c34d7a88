#!/usr/bin/env node
/**
 * `duban`: the admin's command line. Every message is in Chinese; errors go to stderr with a
 * non-zero exit code and leave the database as it was. Commands that only read never create a
 * database.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Command } from 'commander';
import { describeImport, loadPlanFile } from './app/import-plan-file';
import { displayParsedPlan, renderPlanTree } from './app/render-plan';
import { unitWarning } from './app/unit-warning';
import { describeCliError } from './cli-errors';
import { action, CliExit, dbPath, missingContactsMessage, NO_PLAN, withChineseHelp, withStore } from './cli-support';
import { addAlertCommands } from './cli-alerts';
import { addDashboardCommands } from './cli-dashboard';
import { addDeliveryCommands } from './cli-delivery';
import { addExportCommands } from './cli-export';
import { addSayCommand } from './cli-say';
import { addScheduleCommands } from './cli-schedule';
import { createChannel } from './channels/create-channel';
import { loadConfig, loadDotEnv, resolvePath } from './config';
import { checkContacts, concretePlanUnits, describeContactCheck } from './contacts/check-contacts';
import { loadContacts } from './contacts/contacts-file';
import { checkUnits } from './units/check-units';
import { loadUnitDirectory, UnitDirectoryError } from './units/unit-directory';

const VERSION = (JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8')) as { version: string }).version;


export function buildCli(): Command {
  const program = withChineseHelp(new Command('duban'))
    .description('督办：把工作要点导入数据库，按单位提醒报送进度。')
    .version(VERSION, '-V, --version', '显示版本号')
    .option('--db <路径>', '数据库文件（默认取 DB_PATH，未设置时为 data/duban.db）')
    .helpCommand('help [命令]', '显示某个命令的帮助');

  const plan = program.command('plan').description('工作要点：解析、导入、查看');

  plan
    .command('parse')
    .description('解析计划文件并打印结果，不写数据库')
    .argument('<文件>', '计划文件：.txt（UTF-8、UTF-16 或 GBK/GB18030 编码，自动识别）或 .docx')
    .option('--json', '以 JSON 输出（供其他工具读取）')
    .action(
      action(async (file: string, opts: { json?: boolean }) => {
        const { plan: parsed } = await loadPlanFile(file);
        const out = opts.json ? JSON.stringify(parsed, null, 2) : renderPlanTree(displayParsedPlan(parsed));
        process.stdout.write(`${out}\n`);
        for (const w of parsed.warnings) process.stderr.write(`提示：${w}\n`);
      }),
    );

  plan
    .command('import')
    .description('导入或重新导入计划文件（同一文件再次导入不作修改；删去的任务归档保留）')
    .argument('<文件>', '计划文件：.txt（UTF-8、UTF-16 或 GBK/GB18030 编码，自动识别）或 .docx')
    .option('--dry-run', '只显示导入会改变什么，不写数据库')
    .option('--plan <编号>', '把文件作为这个计划的新版本导入（例如改了标题的修订稿）')
    .option('--new', '数据库中已有其他计划时，确认把文件作为另一份新计划导入')
    .action(
      action(async (file: string, opts: { dryRun?: boolean; plan?: string; new?: boolean }) => {
        const planId = opts.plan === undefined ? undefined : Number(opts.plan);
        if (planId !== undefined && !(Number.isInteger(planId) && planId > 0)) {
          throw new CliExit(2, `--plan 的值“${opts.plan}”不是计划编号。请用 duban plan show 查看计划编号，例如 --plan 1。`);
        }
        // Read and parse before opening the database: a file that cannot be used changes nothing.
        const { doc, plan: parsed } = await loadPlanFile(file);
        await withStore(dbPath(program), false, (store) => {
          const before = store.listPlans();
          const source = { name: path.basename(file), sha256: doc.sha256 };
          // A second plan by mistake (a retitled revision imported without --plan) would be supervised
          // twice: creating one next to existing plans needs --new.
          if (!opts.new && planId === undefined && before.length > 0 && store.previewImport(parsed, source, new Date()).created) {
            const list = before.map((p) => `${p.id}《${p.title}》`).join('，');
            throw new CliExit(
              1,
              `数据库中已有计划：${list}。文件的标题《${parsed.title}》与它们都不同，未导入。\n` +
                `如果这是其中某个计划的修订版（例如改了标题），请运行：duban plan import ${file} --plan 编号\n` +
                `如果确实是另一份计划，请运行：duban plan import ${file} --new`,
            );
          }
          const run = opts.dryRun ? store.previewImport.bind(store) : store.importPlan.bind(store);
          const result = run(parsed, source, new Date(), { planId });
          const old = before.find((p) => p.id === result.planId);
          const retitled = old && old.title !== parsed.title && !result.unchanged ? old.title : null;
          process.stdout.write(`${describeImport(parsed.title, result, { dryRun: opts.dryRun, retitledFrom: retitled })}\n`);
          for (const w of parsed.warnings) process.stderr.write(`提示：${w}\n`);
          if (opts.dryRun) return;
          // The import is done: a problem with the units file is a hint now, not a failure.
          try {
            const hint = unitWarning(loadUnitDirectory(resolvePath(loadConfig().UNITS_FILE)), store.listUnitNames(result.planId));
            if (hint) process.stderr.write(`提示：${hint}\n`);
          } catch (err) {
            if (!(err instanceof UnitDirectoryError)) throw err;
            process.stderr.write(`提示：计划已导入，但无法检查责任单位。${err.message}\n`);
          }
        });
      }),
    );

  plan
    .command('show')
    .description('显示数据库中的计划（部分、事项、任务、责任单位，标出牵头单位）')
    .option('--plan <编号>', '计划编号（数据库中有多个计划时使用）')
    .option('--full', '显示任务全文')
    .action(
      action((opts: { plan?: string; full?: boolean }) =>
        withStore(dbPath(program), true, (store) => {
          const plans = store.listPlans();
          if (plans.length === 0) throw new CliExit(1, NO_PLAN);
          const id = opts.plan ? Number(opts.plan) : (plans[plans.length - 1]?.id ?? 0);
          const tree = store.getPlanTree(id);
          if (!tree) {
            const list = plans.map((p) => `${p.id}《${p.title}》`).join('，');
            throw new CliExit(1, `没有编号为 ${opts.plan} 的计划。现有计划：${list}`);
          }
          process.stdout.write(`${renderPlanTree(tree, opts.full ? 100000 : 60)}\n`);
        }),
      ),
    );

  const units = program.command('units').description('责任单位目录（集合单位、别名）');
  units
    .command('check')
    .description('列出计划中单位目录不认识的单位，以便在发送提醒前补充')
    .option('--units-file <文件>', '单位目录文件（默认取 UNITS_FILE，未设置时为 data/units.yaml）')
    .action(
      action((opts: { unitsFile?: string }) => {
        const file = resolvePath(opts.unitsFile ?? loadConfig().UNITS_FILE);
        const dir = loadUnitDirectory(file);
        return withStore(dbPath(program), true, (store) => {
          const names = store.listUnitNames();
          if (names.length === 0) throw new CliExit(1, NO_PLAN);
          const out: string[] = [];
          if (dir.missing) out.push(`单位目录文件 ${file} 不存在，所有单位都将视为未登记。`);
          const check = checkUnits(names, dir);
          out.push(`计划中共有 ${names.length} 个责任单位（按原文写法）。`);
          for (const c of check.collectives) out.push(`  集合单位 ${c.name} → ${c.members.join('、')}`);
          for (const a of check.aliased) out.push(`  别名 ${a.name} → ${a.canonical}`);
          if (check.unknown.length === 0) {
            out.push('单位目录认识计划中的全部单位。');
          } else {
            out.push(`单位目录中没有以下 ${check.unknown.length} 个单位，请在 ${file} 中补充（作为单位、别名或集合单位）：`);
            for (const u of check.unknown) out.push(`  - ${u}`);
            process.exitCode = 1;
          }
          process.stdout.write(`${out.join('\n')}\n`);
        });
      }),
    );

  const contacts = program.command('contacts').description('联络员名单（各单位的联络员和分管领导）');
  contacts
    .command('check')
    .description('检查联络员名单：计划中哪些单位没有联络员、哪些人的单位不在计划中、哪些行格式有误')
    .option('--contacts-file <文件>', '联络员名单（默认取 CONTACTS_FILE，未设置时为 data/contacts.csv）')
    .option('--units-file <文件>', '单位目录文件（默认取 UNITS_FILE，未设置时为 data/units.yaml）')
    .action(
      action((opts: { contactsFile?: string; unitsFile?: string }) => {
        const dir = loadUnitDirectory(resolvePath(opts.unitsFile ?? loadConfig().UNITS_FILE));
        const file = resolvePath(opts.contactsFile ?? loadConfig().CONTACTS_FILE);
        const book = loadContacts(file, dir);
        return withStore(dbPath(program), true, (store) => {
          const names = store.listUnitNames();
          if (names.length === 0) throw new CliExit(1, NO_PLAN);
          if (book.missing) throw new CliExit(1, missingContactsMessage(file, concretePlanUnits(names, dir).length));
          const out: string[] = [];
          if (dir.missing) out.push(`单位目录文件 ${dir.file} 不存在，集合单位无法展开为成员单位。`);
          // The app robot and 浙政钉 reach people by id only: a liaison with a mobile alone would get nothing.
          const channel = createChannel(loadConfig());
          const idOnly = channel.name === 'dingtalk-app' || channel.name === 'zzd' ? channel.label : null;
          const check = checkContacts(names, book, dir, idOnly);
          out.push(...describeContactCheck(check, file, dir));
          if (!check.clean) process.exitCode = 1;
          process.stdout.write(`${out.join('\n')}\n`);
        });
      }),
    );

  addDeliveryCommands(program);
  addScheduleCommands(program);
  addSayCommand(program);
  addAlertCommands(program);
  addExportCommands(program);
  addDashboardCommands(program);
  return program;
}

if (require.main === module) {
  // `duban … | head` closes the pipe early: that is not an error.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
  try {
    loadDotEnv();
  } catch (err) {
    process.stderr.write(`${describeCliError(err)}\n`);
    process.exit(2);
  }
  void buildCli().parseAsync(process.argv);
}
