/**
 * The schedule against a real SQLite file with the seed plan, the shipped units and contacts, and an injected
 * clock: who is reminded when around the 2025 National Day holiday, what a tick queues, and what a restart
 * after a stop catches up on.
 */
import * as path from 'node:path';
import { agendaBetween, runTick, tickTimes, type ScheduleContext } from '../../src/app/schedule-run';
import { instantOf } from '../../src/calendar/civil-date';
import { WorkdayCalendar } from '../../src/calendar/workday-calendar';
import { loadConfig } from '../../src/config';
import { loadContacts } from '../../src/contacts/contacts-file';
import { importPlanFile } from '../../src/app/import-plan-file';
import { Store } from '../../src/store/store';
import { ROOT } from '../helpers/run-cli';
import { loadSeed } from '../reminders/seed-duties';
import { SEED_DEPARTMENTS, SEED_TOWNS } from '../helpers/seed-units';
import { useTempStore } from '../store/temp-db';
import { tempDir } from '../helpers/run-cli';
import * as fs from 'node:fs';
import Database from 'better-sqlite3';

const UNITS = [...SEED_DEPARTMENTS, '秀洲国家高新区管委会', ...SEED_TOWNS];
const at = (date: string, time: string, seconds = 0) => instantOf(date, time, 'Asia/Shanghai') + seconds * 1000;

describe('the schedule of the seed plan', () => {
  const db = useTempStore('duban-schedule-');

  async function context(env: Record<string, string> = {}, store: Store = db.store): Promise<ScheduleContext> {
    const { directory } = await loadSeed(store);
    return {
      store,
      config: loadConfig({ REPORT_DUE_DAY: '30', REMIND_BEFORE_WORKDAYS: '2', ...env }),
      directory,
      contacts: loadContacts(path.join(ROOT, 'data', 'contacts.csv'), directory),
      channel: { name: 'dingtalk-robot', maxMarkdownBytes: 16_000 },
      calendar: WorkdayCalendar.create(null),
    };
  }

  function datesOf(items: { date: string; kind: string; cycle: string; unit: string | null }[], unit: string | null, kind: string, cycle: string): string[] {
    return items.filter((i) => i.unit === unit && i.kind === kind && i.cycle === cycle).map((i) => i.date);
  }

  it('reminds every unit on 28 and 29 September, is due on 30, skips 1–8 October and chases from 9 October', async () => {
    const ctx = await context();
    const items = agendaBetween(ctx, '2025-09-22', '2025-10-20');
    expect(new Set(items.flatMap((i) => i.unit ?? []))).toEqual(new Set(UNITS));
    for (const unit of UNITS) {
      expect(datesOf(items, unit, 'before', '2025-09')).toEqual(['2025-09-28', '2025-09-29']);
      expect(datesOf(items, unit, 'due', '2025-09')).toEqual(['2025-09-30']);
      expect(datesOf(items, unit, 'overdue', '2025-09')).toEqual(['2025-10-09', '2025-10-10', '2025-10-11', '2025-10-13', '2025-10-14', '2025-10-15', '2025-10-16', '2025-10-17', '2025-10-20']);
      expect(datesOf(items, unit, 'escalate', '2025-09')).toEqual(['2025-10-11']);
      // August (due Monday 1 September: the 30th was a Saturday) is still owed until September falls due.
      expect(datesOf(items, unit, 'overdue', '2025-08')).toEqual(['2025-09-22', '2025-09-23', '2025-09-24', '2025-09-25', '2025-09-26', '2025-09-28', '2025-09-29']);
    }
    expect(items.filter((i) => i.kind === 'digest').map((i) => [i.date, i.time, i.cycle, i.unit])).toEqual([['2025-09-30', '17:30', '2025-09', null]]);
    // The 通报 of September on the first working day after its due date.
    expect(items.filter((i) => i.kind === 'bulletin').map((i) => [i.date, i.time, i.cycle, i.unit])).toEqual([['2025-10-09', '09:30', '2025-09', null]]);
    expect(items.some((i) => i.date >= '2025-10-01' && i.date <= '2025-10-08')).toBe(false);
    expect(items).toHaveLength(UNITS.length * 20 + 2);
    expect(items.every((i) => i.time === (i.kind === 'digest' ? '17:30' : i.kind === 'bulletin' ? '09:30' : '09:00'))).toBe(true);
  });

  it('moves a due day of 1 October to 9 October', async () => {
    const items = agendaBetween(await context({ REPORT_DUE_DAY: '1' }), '2025-09-22', '2025-10-20');
    expect(datesOf(items, '区司法局', 'due', '2025-10')).toEqual(['2025-10-09']);
    expect(datesOf(items, '区司法局', 'before', '2025-10')).toEqual(['2025-09-29', '2025-09-30']);
    expect(items.find((i) => i.kind === 'due')?.cycleInfo).toMatchObject({ due: '2025-10-09', nominalDue: '2025-10-01' });
  });

  it('leaves out units that reported for the cycle, and tasks done for good', async () => {
    const ctx = await context();
    const tree = db.store.getPlanTree(db.store.listPlans()[0]!.id)!;
    const sfjTasks = tree.items.flatMap((i) => i.tasks).filter((t) => t.units.some((u) => ['区司法局', '区级有关部门'].includes(u.name)));
    for (const t of sfjTasks) db.store.reports.add({ taskId: t.id, unit: '区司法局', cycle: '2025-09', status: 'in_progress', reportedAt: new Date(at('2025-09-28', '10:00')) });
    // One task of 区财政局 is done for good: the others are still owed.
    const first = tree.items[0]!.tasks[0]!;
    db.store.reports.add({ taskId: first.id, unit: '区财政局', cycle: '2025-08', status: 'done', reportedAt: new Date(at('2025-08-20', '10:00')) });
    const items = agendaBetween(ctx, '2025-09-29', '2025-10-09');
    expect(datesOf(items, '区司法局', 'before', '2025-09')).toEqual([]);
    expect(datesOf(items, '区司法局', 'overdue', '2025-09')).toEqual([]);
    expect(datesOf(items, '区市场监管局', 'overdue', '2025-09')).toEqual(['2025-10-09']);
    const finance = items.find((i) => i.unit === '区财政局' && i.kind === 'due')!;
    expect(finance.tasks.map((t) => t.taskKey)).not.toContain(first.key);
    expect(finance.tasks.length).toBeGreaterThan(0);
  });

  it('follows SCHEDULE_OVERRIDES: an item reported weekly, a unit with its own due day', async () => {
    const ctx = await context({ SCHEDULE_OVERRIDES: '第2项=每周五；司法局=每月20日' });
    const items = agendaBetween(ctx, '2025-09-15', '2025-09-30');
    // 区司法局 (by its alias 司法局) is due on the 20th: a Saturday, so Monday 22 September.
    expect(datesOf(items, '区司法局', 'due', '2025-09')).toEqual(['2025-09-22']);
    // Item 2 is weekly for everyone: its tasks are asked for every Friday, apart from the monthly ones.
    const weekly = items.filter((i) => i.kind === 'due' && i.cycle === '2025-W38');
    expect(weekly.map((i) => i.date)).toEqual(weekly.map(() => '2025-09-19'));
    expect(weekly.length).toBeGreaterThan(0);
    expect(weekly.every((i) => i.tasks.every((t) => t.itemNumber === 2))).toBe(true);
    const monthly = items.find((i) => i.kind === 'due' && i.unit === '区市场监管局' && i.cycle === '2025-09')!;
    expect(monthly.tasks.some((t) => t.itemNumber === 2)).toBe(false);
  });

  it('refuses an override naming a unit that is not in the plan', async () => {
    const ctx = await context({ SCHEDULE_OVERRIDES: '区教育局=每月20日' });
    expect(() => agendaBetween(ctx, '2025-09-01', '2025-09-30')).toThrow('SCHEDULE_OVERRIDES 中的“区教育局=每月20日”：单位“区教育局”不在计划的责任单位中');
  });

  it('shows the lead unit its co-units’ latest reports under the tasks it leads', async () => {
    const ctx = await context();
    const tree = db.store.getPlanTree(db.store.listPlans()[0]!.id)!;
    // 4.2: 区经济信息商务局 leads; 区司法局 and 区市场监管局 co-operate.
    const task = tree.items.flatMap((i) => i.tasks).find((t) => t.key === '4.2')!;
    db.store.reports.add({ taskId: task.id, unit: '区司法局', cycle: '2025-09', status: 'blocked', text: '需要**协调**经费', reportedAt: new Date(at('2025-09-26', '10:00')) });
    runTick(ctx, at('2025-09-30', '09:00', 1));
    const rows = db.store.outbox.list(['pending']);
    const lead = rows.find((r) => r.unit === '区经济信息商务局')!.markdown;
    expect(lead).toMatch(/- \*\*4\.2\*\*〔牵头〕[^\n]*\n {2}\u3000配合 区司法局：有困难：需要＊＊协调＊＊经费（9月26日 10:00）\n {2}\u3000配合单位尚未报送：区市场监管局\n/);
    // A co-unit's own reminder does not list its partners.
    const co = rows.find((r) => r.unit === '区市场监管局')!.markdown;
    expect(co).toMatch(/- \*\*4\.2\*\*〔配合，牵头：区经济信息商务局〕[^\n]*\n(?! )/);
  });

  it('queues at each tick what fell due, once, and a restart mid due day queues nothing again', async () => {
    const ctx = await context();
    const first = runTick(ctx, at('2025-09-30', '09:00', 1));
    expect(first.queued).toBe(UNITS.length);
    expect(first.due.every((i) => i.kind === 'due')).toBe(true);
    const rows = db.store.outbox.list(['pending']);
    expect(rows.map((r) => r.groupKey)).toContain('due|2025-09|区司法局|2025-09-30');
    const sfj = rows.find((r) => r.unit === '区司法局')!;
    expect(sfj.title).toBe('督办提醒：区司法局2025年9月进度报送');
    expect(sfj.markdown).toContain('今天是2025年9月工作进度报送截止日');
    expect(sfj.destination).toMatchObject({ kind: 'unit', unit: '区司法局' });

    // The service stops at 10:00 and starts again at 11:00: nothing new is due, nothing is sent twice.
    const restarted = Store.open(db.file);
    try {
      const again = runTick({ ...ctx, store: restarted }, at('2025-09-30', '11:00'));
      expect(again.queued).toBe(0);
      // Even if its memory were lost, the outbox keys keep each reminder single.
      const raw = new Database(db.file);
      raw.prepare('DELETE FROM schedule_state').run();
      raw.close();
      const fresh = runTick({ ...ctx, store: restarted }, at('2025-09-30', '11:30'));
      expect(fresh.due).toHaveLength(UNITS.length);
      expect(fresh.queued).toBe(0);
      expect(fresh.skipped).toBe(UNITS.length);
    } finally {
      restarted.close();
    }
    const digest = runTick(ctx, at('2025-09-30', '17:30', 2));
    expect(digest.queued).toBe(1);
    const row = db.store.outbox.list(['pending']).find((r) => r.kind === 'digest')!;
    expect(row.title).toBe('督办汇总：2025年9月报送情况');
    expect(row.markdown).toContain('应报送单位 19 个：已报送 0 个，部分报送 0 个，未报送 19 个');
    // No leader is set: the digest goes to the group itself.
    expect(row.destination).toEqual({ kind: 'group' });
  });

  it('after a stop over several days, sends the latest reminder per unit and kind, not one per missed day', async () => {
    const ctx = await context({ LEADER_IDS: 'leader-01' });
    runTick(ctx, at('2025-09-30', '18:00'));
    const before = db.store.outbox.counts().pending;
    // Down from 30 September 18:00 until Monday 13 October 10:00: overdue on 9, 10, 11 and 13, escalation on 11.
    const back = runTick(ctx, at('2025-10-13', '10:00'));
    expect(back.due.filter((i) => i.kind === 'overdue').map((i) => i.date)).toEqual(UNITS.map(() => '2025-10-13'));
    expect(back.due.filter((i) => i.kind === 'escalate').map((i) => i.date)).toEqual(UNITS.map(() => '2025-10-11'));
    // And September's 通报 (due 9 October at 09:30), once.
    expect(back.due.filter((i) => i.kind === 'bulletin').map((i) => i.date)).toEqual(['2025-10-09']);
    expect(back.queued).toBe(UNITS.length * 2 + 1);
    expect(back.superseded).toHaveLength(UNITS.length * 3);
    expect(db.store.outbox.counts().pending - before).toBe(UNITS.length * 2 + 1);
    const escalation = db.store.outbox.list(['pending']).find((r) => r.kind === 'escalate' && r.unit === '区司法局')!;
    expect(escalation.title).toBe('督办升级：区司法局2025年9月进度逾期未报');
    // To the unit's 分管领导 from the contacts and the leader from LEADER_IDS, not to its liaisons.
    expect(escalation.destination).toMatchObject({ kind: 'people', label: '区司法局分管领导和区领导' });
    expect(escalation.destination.kind === 'people' && escalation.destination.people.map((p) => p.userId)).toEqual(['demo-sfj-ld', 'leader-01']);
    expect(escalation.markdown).toContain('请督促区司法局尽快报送');
  });

  it('sends the leaders the 通报 of the cycle that closed, on the first working day after its due date', async () => {
    const ctx = await context({ LEADER_IDS: 'leader-01' });
    const tree = db.store.getPlanTree(db.store.listPlans()[0]!.id)!;
    for (const t of tree.items.flatMap((i) => i.tasks).filter((t) => t.units.some((u) => ['区司法局', '区级有关部门'].includes(u.name)))) {
      db.store.reports.add({ taskId: t.id, unit: '区司法局', cycle: '2025-09', status: 'in_progress', reportedAt: new Date(at('2025-09-28', '10:00')) });
    }
    runTick(ctx, at('2025-10-09', '09:00'));
    const tick = runTick(ctx, at('2025-10-09', '09:30', 1));
    expect(tick.due.map((i) => i.kind)).toEqual(['bulletin']);
    const row = db.store.outbox.list(['pending']).find((r) => r.kind === 'bulletin')!;
    expect(row).toMatchObject({ groupKey: 'bulletin|2025-09||2025-10-09', title: '督办通报：2025年9月工作要点落实情况', cycle: '2025-09', unit: null });
    expect(row.destination).toMatchObject({ kind: 'people', label: '区领导' });
    expect(row.markdown).toContain('关于2025年9月秀洲区法治政府建设工作要点落实情况的通报');
    expect(row.markdown).toContain('**二、按时报送的单位（1 个）**\n\n区司法局。');
    expect(row.markdown).toContain('- 区市场监管局：16 项分工均未报送，已逾期 1 个工作日');
    // Once: the next tick the same day queues nothing.
    expect(runTick(ctx, at('2025-10-09', '11:00')).queued).toBe(0);
  });

  it('ticks at every time a kind fires at, the 通报 included, once each and in order', () => {
    expect(tickTimes(loadConfig({}))).toEqual(['09:00', '09:30', '17:30']);
    expect(tickTimes(loadConfig({ DIGEST_AT: 'off', BULLETIN_AT: '9:00' }))).toEqual(['09:00']);
    expect(tickTimes(loadConfig({ REMIND_AT: '18:00', DIGEST_AT: 'off', BULLETIN_AT: 'off' }))).toEqual(['18:00']);
  });

  it('sends the 通报 of the main cycle only, not of an item reported weekly', async () => {
    const items = agendaBetween(await context({ SCHEDULE_OVERRIDES: '第2项=每周五' }), '2025-09-01', '2025-10-31');
    expect(items.filter((i) => i.kind === 'bulletin').map((i) => `${i.date} ${i.cycle}`)).toEqual(['2025-09-02 2025-08', '2025-10-09 2025-09', '2025-10-31 2025-10']);
    expect(items.some((i) => i.kind === 'digest' && i.cycle.includes('W'))).toBe(true);
  });

  it('on its very first start catches up only on the day so far, and not on a reminder that comes later today', async () => {
    const ctx = await context();
    expect(runTick(ctx, at('2025-10-09', '08:00')).due).toEqual([]);
    expect(runTick(ctx, at('2025-10-09', '09:00', 5)).queued).toBe(UNITS.length);
    // Down from 9 October 10:00 to 10 October 08:30: the 9th was sent, the 10th comes at 09:00 anyway.
    runTick(ctx, at('2025-10-09', '10:00'));
    const morning = runTick(ctx, at('2025-10-10', '08:30'));
    expect(morning.due).toEqual([]);
  });
});

describe('deadline reminders', () => {
  const db = useTempStore('duban-deadline-');

  it('remind the units of a task whose text carries a deadline, whatever the cycle, until it is done', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const file = path.join(dir, 'plan.txt');
      fs.writeFileSync(file, '2025年某区法治政府建设工作要点\n\n一、依法全面履行政府职能\n\n1.深化改革。2025年10月底前完成制度清理。(责任单位:区司法局、区财政局)\n\n2.优化服务。推进政务服务标准化。(责任单位:区财政局)\n');
      await importPlanFile(db.store, file, new Date('2025-09-01T00:00:00Z'));
      const { directory } = { directory: (await import('../../src/units/unit-directory')).loadUnitDirectory(path.join(ROOT, 'data', 'units.yaml')) };
      const ctx: ScheduleContext = {
        store: db.store,
        config: loadConfig({ REPORT_CYCLE: 'weekly', OVERDUE_EVERY_WORKDAYS: '0', ESCALATE_AFTER_WORKDAYS: '0', DIGEST_AT: 'off' }),
        directory,
        contacts: loadContacts(path.join(ROOT, 'data', 'contacts.csv'), directory),
        channel: { name: 'dingtalk-robot', maxMarkdownBytes: 16_000 },
        calendar: WorkdayCalendar.create(null),
      };
      const deadline = agendaBetween(ctx, '2025-10-20', '2025-11-05').filter((i) => i.kind === 'deadline');
      // 31 October 2025 is a Friday: reminded 3 and 1 working days before, and on the day.
      expect(deadline.map((i) => `${i.date}:${i.unit}:${i.cycle}:${i.workdays}`)).toEqual([
        '2025-10-28:区司法局:2025-10-31:3',
        '2025-10-28:区财政局:2025-10-31:3',
        '2025-10-30:区司法局:2025-10-31:1',
        '2025-10-30:区财政局:2025-10-31:1',
        '2025-10-31:区司法局:2025-10-31:0',
        '2025-10-31:区财政局:2025-10-31:0',
      ]);
      const task = db.store.getPlanTree(db.store.listPlans()[0]!.id)!.items[0]!.tasks[0]!;
      db.store.reports.add({ taskId: task.id, unit: '区司法局', cycle: '2025-W43', status: 'done', reportedAt: new Date('2025-10-22T02:00:00Z') });
      const after = agendaBetween(ctx, '2025-10-20', '2025-11-05').filter((i) => i.kind === 'deadline');
      expect(after.map((i) => i.unit)).toEqual(['区财政局', '区财政局', '区财政局']);
      runTick(ctx, at('2025-10-30', '08:00'));
      const tick = runTick(ctx, at('2025-10-30', '09:00', 1));
      const row = db.store.outbox.list(['pending']).find((r) => r.kind === 'deadline')!;
      expect(tick.queued).toBeGreaterThan(0);
      expect(row.title).toBe('督办时限提醒：区财政局1 项任务10月31日到期');
      expect(row.markdown).toContain('**完成时限**：2025年10月31日（星期五）');
      expect(row.groupKey).toBe('deadline|2025-10-31|区财政局|2025-10-30');
    } finally {
      cleanup();
    }
  });
});
