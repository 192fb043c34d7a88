/**
 * `duban export` and `duban report` as an admin runs them, on the seed plan with two reports in the cycle that
 * most recently closed (the commands run on today's date, so the cycles are computed here the same way).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import { dateInZone } from '../src/calendar/civil-date';
import { WorkdayCalendar } from '../src/calendar/workday-calendar';
import { cyclesOn } from '../src/schedule/reporting-cycle';
import { Store } from '../src/store/store';
import { dbBytes, runCli, SEED, tempDir } from './helpers/run-cli';

describe('duban export and duban report', () => {
  let dir = '';
  let cleanup = () => {};
  let env: Record<string, string> = {};
  const calendar = WorkdayCalendar.create(null);
  const cycles = () => cyclesOn({ kind: 'monthly', dueDay: 30 }, dateInZone(Date.now(), 'Asia/Shanghai'), (d) => calendar.shift(d, 'next'));

  beforeAll(() => {
    ({ dir, cleanup } = tempDir());
    env = { DB_PATH: path.join(dir, 'duban.db'), REPORT_DUE_DAY: '30' };
    expect(runCli(['plan', 'import', SEED], env).status).toBe(0);
    const store = Store.open(env.DB_PATH!);
    try {
      const tasks = store.getPlanTree(store.listPlans()[0]!.id)!.items.flatMap((i) => i.tasks);
      const id = (key: string) => tasks.find((t) => t.key === key)!.id;
      const previous = cycles().previous.id;
      store.reports.add({ taskId: id('4.2'), unit: '区经济信息商务局', cycle: previous, status: 'in_progress', text: '已完成清单梳理', reporterName: '张三', reportedAt: new Date() });
      store.reports.add({ taskId: id('6.2'), unit: '区司法局', cycle: previous, status: 'blocked', text: '场地尚未落实', reporterName: '李四', reportedAt: new Date() });
    } finally {
      store.close();
    }
  });
  afterAll(() => cleanup());

  it('exports the 台账 as a workbook with a sheet of tasks and one of reports', async () => {
    const file = path.join(dir, '台账.xlsx');
    const r = runCli(['export', '--xlsx', file], env);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(`已导出台账：${file}（20 项任务，2 条报送记录）\n`);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    const ledger = wb.getWorksheet('台账')!;
    expect(ledger.getCell('A3').value).toBe('序号');
    expect(ledger.rowCount).toBe(3 + 20);
    expect(wb.getWorksheet('报送记录')!.rowCount).toBe(1 + 2);
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('exports the 台账 as CSV, saying the report history is in the workbook', () => {
    const file = path.join(dir, '台账.csv');
    const r = runCli(['export', '--csv', file], env);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(`已导出台账：${file}（20 项任务）\n（CSV 只含台账；全部 2 条报送记录请用 --xlsx 导出，在“报送记录”工作表中。）\n`);
    const text = fs.readFileSync(file, 'utf8');
    expect(text.startsWith('\uFEFF序号,工作要点,')).toBe(true);
    const records = parse(text, { bom: true }) as string[][];
    expect(records).toHaveLength(21);
    expect(records.find((row) => row[2]!.startsWith('6.2 '))![6]).toBe('有困难，场地尚未落实\n区财政局：未报送');
  });

  it('asks for a file in Chinese when neither --xlsx nor --csv is given, and writes nothing', () => {
    const before = fs.readdirSync(dir);
    const r = runCli(['export'], env);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('请指定导出的文件：--xlsx 文件 或 --csv 文件，例如 duban export --xlsx 台账.xlsx\n');
    expect(r.stdout).toBe('');
    expect(fs.readdirSync(dir)).toEqual(before);
  });

  it('says why a file cannot be written, leaving the database and the directory as they were', () => {
    const db = dbBytes(env.DB_PATH!);
    const missing = path.join(dir, 'no-such-dir', '台账.xlsx');
    const r = runCli(['export', '--xlsx', missing], env);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(`无法写入 ${missing}：目录 ${path.join(dir, 'no-such-dir')} 不存在。请先创建这个目录，或换一个位置。\n`);
    const folder = runCli(['export', '--csv', dir], env);
    expect(folder.status).toBe(2);
    expect(folder.stderr).toContain(`无法写入 ${dir}：这是一个目录。`);
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(dbBytes(env.DB_PATH!)).toBe(db);
  });

  it('warns when the file name does not end as Excel expects', () => {
    const file = path.join(dir, '台账.xls');
    const r = runCli(['export', '--xlsx', file], env);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe(`提示：${file} 的扩展名不是 .xlsx，Excel 和 WPS 可能打不开，建议改为 .xlsx 结尾。\n`);
  });

  it('prints the 通报 of the cycle that most recently closed, or of the active one', () => {
    const { previous, active } = cycles();
    const r = runCli(['report'], env);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    const paragraphs = r.stdout.split('\n\n');
    expect(paragraphs[0]).toBe(`#### 关于${previous.label}秀洲区法治政府建设工作要点落实情况的通报`);
    expect(paragraphs[1]).toMatch(new RegExp(`^截至\\d{4}年\\d{1,2}月\\d{1,2}日 \\d{2}:\\d{2}，${previous.label}工作进展报送已于`));
    expect(paragraphs).toContain('- **6.2** 区司法局（牵头）：场地尚未落实');
    expect(r.stdout).toContain('**二、按时报送的单位（');
    expect(r.stdout).not.toContain('|');
    const now = runCli(['report', '--cycle', 'active'], env);
    expect(now.status).toBe(0);
    expect(now.stdout.startsWith(`#### 关于${active.label}秀洲区法治政府建设工作要点落实情况的通报\n\n`)).toBe(true);
    expect(now.stdout).toContain('**三、尚未报送的单位（');
    expect(runCli(['report', '--cycle', '本期'], env).stdout.split('\n')[0]).toBe(`#### 关于${active.label}秀洲区法治政府建设工作要点落实情况的通报`);
  });

  it('refuses an unknown --cycle in Chinese', () => {
    const r = runCli(['report', '--cycle', 'next'], env);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('--cycle 的值“next”无效，请写 previous（最近截止的一期）或 active（本期）。\n');
    expect(r.stdout).toBe('');
  });

  it('tells to import a plan first when the database has none', () => {
    const empty = path.join(dir, 'empty.db');
    Store.open(empty).close();
    for (const args of [['export', '--xlsx', path.join(dir, 'x.xlsx')], ['report']]) {
      const r = runCli(args, { ...env, DB_PATH: empty });
      expect(r.status).toBe(1);
      expect(r.stderr).toBe('数据库中还没有计划。请先运行：duban plan import 计划文件.txt\n');
    }
    expect(fs.existsSync(path.join(dir, 'x.xlsx'))).toBe(false);
  });

  it('has Chinese help', () => {
    expect(runCli(['export', '--help']).stdout).toContain('用法： duban export [选项]');
    expect(runCli(['help', 'report']).stdout).toContain('--cycle <周期>');
  });
});
