/**
 * The status view on a real SQLite file holding the seed plan: colours come from the reports as stored, roll up
 * to tasks (the lead's colour), items, sections and units, and follow the injected clock.
 */
import { instantOf } from '../../src/calendar/civil-date';
import { WorkdayCalendar } from '../../src/calendar/workday-calendar';
import { loadConfig } from '../../src/config';
import { cycleRecords } from '../../src/status/cycle-record';
import { StatusView, type StatusDeps } from '../../src/status/status-view';
import type { ReportStatus } from '../../src/store/store';
import { loadSeed } from '../reminders/seed-duties';
import { useTempStore } from '../store/temp-db';

describe('the status view', () => {
  const db = useTempStore('duban-status-');
  let deps: StatusDeps;
  let now = 0;

  beforeEach(async () => {
    // 2025-09-15: September (due the 30th) is active, August (due 1 September) is owed.
    now = instantOf('2025-09-15', '10:00', 'Asia/Shanghai');
    const { directory } = await loadSeed(db.store);
    deps = {
      store: db.store,
      config: loadConfig({ REPORT_DUE_DAY: '30' }),
      directory: () => directory,
      calendar: WorkdayCalendar.create(null),
      clock: () => now,
    };
  });

  const taskId = (key: string) => db.store.getPlanTree(db.store.listPlans()[0]!.id)!.items.flatMap((i) => i.tasks).find((t) => t.key === key)!.id;
  const report = (key: string, unit: string, cycle: string, status: ReportStatus, text = '') =>
    db.store.reports.add({ taskId: taskId(key), unit, cycle, status, text, reportedAt: new Date(now) });

  it('shows every unit red while the previous cycle is owed, and green once it is reported', () => {
    const before = new StatusView(deps).unitStatus('区司法局')!;
    expect(before.light).toBe('red');
    expect(before.assignments.every((a) => a.reason === 'overdue' && a.lateDays === 10)).toBe(true);
    for (const a of before.assignments) report(a.duty.taskKey, '区司法局', '2025-08', 'in_progress');
    const after = new StatusView(deps).unitStatus('区司法局')!;
    expect(after.light).toBe('green');
    expect(after.counts).toEqual({ green: before.assignments.length, yellow: 0, red: 0 });
    expect(after.assignments.every((a) => a.reason === 'not_due' && a.standing?.cycle === '2025-08')).toBe(true);
  });

  it('colours a task by its lead unit; co-units show beneath without colouring it', () => {
    // 4.2: 区经济信息商务局 leads, 区司法局 and 区市场监管局 co-operate.
    report('4.2', '区经济信息商务局', '2025-08', 'in_progress', '已完成清单梳理');
    const [item] = new StatusView(deps).itemStatus(4);
    const task = item!.tasks.find((t) => t.key === '4.2')!;
    expect(task.leads.map((a) => [a.unit, a.light])).toEqual([['区经济信息商务局', 'green']]);
    expect(task.co.map((a) => [a.unit, a.light])).toEqual([
      ['区司法局', 'red'],
      ['区市场监管局', 'red'],
    ]);
    expect(task.light).toBe('green');
    // Item 4 has other tasks whose leads have not reported: the item is as bad as its worst task.
    expect(item!.light).toBe('red');
    expect(item!.counts.green).toBe(1);
  });

  it('turns yellow for 有困难 and near the due date, and follows the clock', () => {
    report('4.2', '区经济信息商务局', '2025-08', 'blocked', '需要协调经费');
    expect(new StatusView(deps).itemStatus(4)[0]!.tasks.find((t) => t.key === '4.2')!.light).toBe('yellow');
    report('4.2', '区经济信息商务局', '2025-09', 'in_progress', '经费已落实');
    expect(new StatusView(deps).itemStatus(4)[0]!.tasks.find((t) => t.key === '4.2')!.light).toBe('green');
    // 29 September: the September report is in, so still green; 区司法局 reported August only: yellow, due soon.
    report('4.2', '区司法局', '2025-08', 'in_progress');
    now = instantOf('2025-09-29', '10:00', 'Asia/Shanghai');
    const task = new StatusView(deps).itemStatus(4)[0]!.tasks.find((t) => t.key === '4.2')!;
    expect(task.leads[0]!.light).toBe('green');
    expect(task.co.find((a) => a.unit === '区司法局')).toMatchObject({ light: 'yellow', reason: 'due_soon' });
  });

  it('rolls the whole board up to sections, units and totals that add up', () => {
    report('4.2', '区经济信息商务局', '2025-08', 'done');
    const board = new StatusView(deps).board();
    expect(board.cycle?.active.id).toBe('2025-09');
    expect(board.sections.map((s) => [s.number, s.items.length])).toEqual([['一', 6], ['二', 2], ['三', 1]]);
    const sum = (c: { green: number; yellow: number; red: number }) => c.green + c.yellow + c.red;
    expect(sum(board.totals.assignments)).toBe(board.assignments.length);
    expect(sum(board.totals.units)).toBe(board.units.length);
    expect(board.units.reduce((n, u) => n + u.assignments.length, 0)).toBe(board.assignments.length);
    expect(board.items.reduce((n, i) => n + i.tasks.length, 0)).toBe(board.tasks.length);
    expect(board.totals.reported).toBe(1);
    expect(board.units.find((u) => u.unit === '区经济信息商务局')!.counts.green).toBe(1);
  });

  it('records each cycle: who owed it, who reported, and who on time', () => {
    // August: 区司法局 reports 3.2 on 29 August (on time), 区市场监管局 on 3 September (late); 区财政局 is done in July.
    now = instantOf('2025-08-29', '10:00', 'Asia/Shanghai');
    report('3.2', '区司法局', '2025-08', 'in_progress');
    report('4.3', '区财政局', '2025-07', 'done');
    now = instantOf('2025-09-03', '10:00', 'Asia/Shanghai');
    report('3.2', '区市场监管局', '2025-08', 'in_progress');
    now = instantOf('2025-09-15', '10:00', 'Asia/Shanghai');
    const records = cycleRecords(new StatusView(deps), 3);
    expect(records.map((r) => r.cycle.id)).toEqual(['2025-07', '2025-08', '2025-09']);
    const august = records[1]!;
    expect(august.reported).toBe(2);
    expect(august.onTime).toBe(1);
    const unit = (name: string) => august.units.find((u) => u.unit === name)!;
    expect(unit('区司法局')).toMatchObject({ reported: 1, onTime: 1, lastFirstReport: '2025-08-29' });
    expect(unit('区市场监管局')).toMatchObject({ reported: 1, onTime: 0, lastFirstReport: '2025-09-03' });
    // Done in July: 4.3 is not owed by 区财政局 in August, but was in July (and reported then).
    expect(records[0]!.units.find((u) => u.unit === '区财政局')!.reported).toBe(1);
    expect(unit('区财政局').expected).toBe(records[0]!.units.find((u) => u.unit === '区财政局')!.expected - 1);
  });

  it('reads one unit or one item from its own tasks, with what the whole board says of it', () => {
    report('4.2', '区经济信息商务局', '2025-08', 'blocked', '需要协调经费');
    report('3.2', '区司法局', '2025-09', 'done');
    report('1.1', '王江泾镇', '2025-08', 'in_progress');
    const trees = jest.spyOn(db.store, 'getPlanTree');
    // A new deps object: nothing kept from an earlier view.
    const view = new StatusView({ ...deps });
    const unit = view.unitStatus('区司法局');
    const town = view.unitStatus('王江泾镇');
    const items = view.itemStatus(4);
    expect(view.unitStatus('区农业农村局')).toBeNull();
    expect(trees).not.toHaveBeenCalled();
    trees.mockRestore();
    const board = new StatusView({ ...deps }).board();
    expect(unit).toEqual(board.units.find((u) => u.unit === '区司法局'));
    expect(town).toEqual(board.units.find((u) => u.unit === '王江泾镇'));
    expect(items).toEqual(board.items.filter((i) => i.number === 4));
  });
});
