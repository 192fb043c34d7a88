/**
 * `duban export --xlsx|--csv FILE`: the 台账 as a file leaders forward or print; `duban report`: the 通报 as the
 * leaders' group would get it. Both read the database as it stands and change nothing.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Command } from 'commander';
import { loadCalendar } from './app/schedule-run';
import { action, CliExit, dbPath, NO_PLAN, withStore } from './cli-support';
import { loadConfig, resolvePath } from './config';
import { bulletin, type BulletinCycle } from './status/bulletin';
import { ledgerCsv } from './status/ledger-csv';
import { StatusView } from './status/status-view';
import type { Store } from './store/store';
import { loadUnitDirectory } from './units/unit-directory';

const CYCLE_NAMES: Record<string, BulletinCycle> = { previous: 'previous', 上期: 'previous', active: 'active', 本期: 'active' };

function statusView(store: Store, unitsFile: string | undefined): StatusView {
  const config = loadConfig();
  const calendar = loadCalendar(config);
  const directory = loadUnitDirectory(resolvePath(unitsFile ?? config.UNITS_FILE));
  return new StatusView({ store, config, directory: () => directory, calendar });
}

/** Why a file cannot be written, in words an admin can act on. */
function writeError(file: string, err: NodeJS.ErrnoException): string {
  switch (err.code) {
    case 'ENOENT':
      return `无法写入 ${file}：目录 ${path.dirname(file)} 不存在。请先创建这个目录，或换一个位置。`;
    case 'EACCES':
    case 'EPERM':
    case 'EROFS':
      return `无法写入 ${file}：没有写入权限。请换一个有写入权限的位置，例如当前目录。`;
    case 'EISDIR':
      return `无法写入 ${file}：这是一个目录。请写出文件名，例如 ${path.join(file, '台账.xlsx')}。`;
    case 'EBUSY':
      return `无法写入 ${file}：文件正被其他程序占用（可能正在 Excel 或 WPS 中打开）。请关闭后再试。`;
    default:
      return `无法写入 ${file}：${err.message}`;
  }
}

/** Writes the whole file or nothing: a temporary file next to it, renamed over it. */
function writeFile(file: string, data: Buffer | string): void {
  const target = path.resolve(file);
  const temp = `${target}.${process.pid}.tmp`;
  try {
    fs.writeFileSync(temp, data);
    fs.renameSync(temp, target);
  } catch (err) {
    fs.rmSync(temp, { force: true });
    throw new CliExit(2, writeError(file, err as NodeJS.ErrnoException));
  }
}

function extensionHint(file: string, ext: string): void {
  if (path.extname(file).toLowerCase() !== ext) process.stderr.write(`提示：${file} 的扩展名不是 ${ext}，Excel 和 WPS 可能打不开，建议改为 ${ext} 结尾。\n`);
}

export function addExportCommands(program: Command): void {
  program
    .command('export')
    .description('导出台账（每项任务一行，含进展和红黄绿灯；Excel 文件另附全部报送记录）')
    .option('--xlsx <文件>', 'Excel 文件，例如 台账.xlsx（工作表“台账”和“报送记录”）')
    .option('--csv <文件>', 'CSV 文件，例如 台账.csv（UTF-8，只含台账，Excel 和 WPS 可直接打开）')
    .option('--units-file <文件>', '单位目录文件（默认取 UNITS_FILE）')
    .action(
      action(async (opts: { xlsx?: string; csv?: string; unitsFile?: string }) => {
        if (!opts.xlsx && !opts.csv) {
          throw new CliExit(2, '请指定导出的文件：--xlsx 文件 或 --csv 文件，例如 duban export --xlsx 台账.xlsx');
        }
        await withStore(dbPath(program), true, async (store) => {
          if (!store.hasAnyPlan()) throw new CliExit(1, NO_PLAN);
          const view = statusView(store, opts.unitsFile);
          // Both files are made before either is written.
          // exceljs takes most of a second to load: only when a workbook is asked for.
          const xlsx = opts.xlsx ? await (await import('./status/ledger-xlsx')).ledgerWorkbook(view) : null;
          const csv = opts.csv ? ledgerCsv(view) : null;
          if (opts.xlsx && xlsx) {
            extensionHint(opts.xlsx, '.xlsx');
            writeFile(opts.xlsx, xlsx.buffer);
            process.stdout.write(`已导出台账：${opts.xlsx}（${xlsx.tasks} 项任务，${xlsx.reports} 条报送记录）\n`);
          }
          if (opts.csv && csv !== null) {
            extensionHint(opts.csv, '.csv');
            writeFile(opts.csv, csv);
            const reports = [...store.reports.all()].length;
            process.stdout.write(`已导出台账：${opts.csv}（${view.board().tasks.length} 项任务）\n`);
            process.stdout.write(`（CSV 只含台账；全部 ${reports} 条报送记录请用 --xlsx 导出，在“报送记录”工作表中。）\n`);
          }
        });
      }),
    );

  program
    .command('report')
    .description('生成通报（报送情况、逾期单位、红灯事项），以钉钉 Markdown 打印到屏幕')
    .option('--cycle <周期>', 'previous：最近截止的一期（默认）；active：本期，截至目前')
    .option('--units-file <文件>', '单位目录文件（默认取 UNITS_FILE）')
    .action(
      action(async (opts: { cycle?: string; unitsFile?: string }) => {
        const cycle = CYCLE_NAMES[(opts.cycle ?? 'previous').trim()];
        if (!cycle) throw new CliExit(2, `--cycle 的值“${opts.cycle}”无效，请写 previous（最近截止的一期）或 active（本期）。`);
        await withStore(dbPath(program), true, (store) => {
          if (!store.hasAnyPlan()) throw new CliExit(1, NO_PLAN);
          process.stdout.write(`${bulletin(statusView(store, opts.unitsFile), cycle).markdown}\n`);
        });
      }),
    );
}
