import * as fs from 'node:fs';
import * as path from 'node:path';
import type { AgendaEntry } from '../src/schedule/agenda';
import { runCli, SEED, tempDir } from './helpers/run-cli';

describe('duban schedule', () => {
  let dir = '';
  let cleanup = () => {};
  let env: Record<string, string> = {};

  beforeAll(() => {
    ({ dir, cleanup } = tempDir());
    env = { DB_PATH: path.join(dir, 'duban.db'), REPORT_DUE_DAY: '30', REMIND_BEFORE_WORKDAYS: '2' };
    expect(runCli(['plan', 'import', SEED], env).status).toBe(0);
  });
  afterAll(() => cleanup());

  it('previews every reminder of a window as JSON with exactly date, time, kind, cycle and unit', () => {
    const r = runCli(['schedule', 'preview', '--from', '2025-09-22', '--to', '2025-10-20', '--json'], env);
    expect(r.status).toBe(0);
    const list = JSON.parse(r.stdout) as AgendaEntry[];
    expect(list).toHaveLength(19 * 20 + 2);
    expect(list.every((e) => Object.keys(e).join(',') === 'date,time,kind,cycle,unit')).toBe(true);
    expect(list.filter((e) => e.unit === '王江泾镇' && e.cycle === '2025-09')).toEqual([
      { date: '2025-09-28', time: '09:00', kind: 'before', cycle: '2025-09', unit: '王江泾镇' },
      { date: '2025-09-29', time: '09:00', kind: 'before', cycle: '2025-09', unit: '王江泾镇' },
      { date: '2025-09-30', time: '09:00', kind: 'due', cycle: '2025-09', unit: '王江泾镇' },
      ...['2025-10-09', '2025-10-10', '2025-10-11'].map((date) => ({ date, time: '09:00', kind: 'overdue', cycle: '2025-09', unit: '王江泾镇' })),
      { date: '2025-10-11', time: '09:00', kind: 'escalate', cycle: '2025-09', unit: '王江泾镇' },
      ...['2025-10-13', '2025-10-14', '2025-10-15', '2025-10-16', '2025-10-17', '2025-10-20'].map((date) => ({ date, time: '09:00', kind: 'overdue', cycle: '2025-09', unit: '王江泾镇' })),
    ]);
    expect(list).toContainEqual({ date: '2025-09-30', time: '17:30', kind: 'digest', cycle: '2025-09', unit: null });
    expect(list).toContainEqual({ date: '2025-10-09', time: '09:30', kind: 'bulletin', cycle: '2025-09', unit: null });
    // Nothing during the holiday; the warning about missing years is not needed for 2025.
    expect(list.some((e) => e.date >= '2025-10-01' && e.date <= '2025-10-08')).toBe(false);
    expect(r.stderr).toBe('');
  });

  it('previews as text by day, naming the holiday it skips and the weekend days worked', () => {
    const r = runCli(['schedule', 'preview', '--from', '2025-09-27', '--to', '2025-10-10'], { ...env, OVERDUE_EVERY_WORKDAYS: '0' });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('报送周期：每月30日截止');
    expect(r.stdout).toContain('2025-09-28（星期日），调休上班\n  09:00 提前提醒 2025年9月（还有 2 个工作日，截止 2025-09-30）：区司法局、区市场监管局');
    expect(r.stdout).toContain('2025-10-01 至 2025-10-08：国庆节、中秋节放假，不发提醒');
    expect(r.stdout).toContain('  17:30 报送情况汇总 2025年9月：发给领导');
    expect(r.stdout).toContain('（19 个单位）');
    expect(r.stdout).toContain('逾期不催办');
    expect(r.stdout).not.toContain('09:00 催办');
  });

  it('warns loudly about a year without holiday data, and not once CALENDAR_FILE declares it', () => {
    const r = runCli(['schedule', 'preview', '--from', '2026-12-20', '--to', '2027-01-10', '--json'], env);
    expect(r.status).toBe(0);
    expect(r.stderr).toContain('！！！注意：内置的节假日数据只到 2026 年，2027 年的法定节假日和调休还不知道');
    const text = runCli(['schedule', 'preview', '--from', '2026-12-20', '--to', '2027-01-10'], env);
    expect(text.stdout.startsWith('！！！注意')).toBe(true);
    // Without data, 1 January 2027 (a Friday) is treated as a working day: the admin is told so.
    expect((JSON.parse(r.stdout) as AgendaEntry[]).some((e) => e.date === '2027-01-01')).toBe(true);

    const calendar = path.join(dir, 'calendar.yaml');
    fs.writeFileSync(calendar, '2027:\n  放假:\n    - 2027-01-01 元旦\n');
    const known = runCli(['schedule', 'preview', '--from', '2026-12-20', '--to', '2027-01-10', '--json'], { ...env, CALENDAR_FILE: calendar });
    expect(known.stderr).toBe('');
    expect((JSON.parse(known.stdout) as AgendaEntry[]).some((e) => e.date === '2027-01-01')).toBe(false);
  });

  it('shows the next firing of each kind', () => {
    const r = runCli(['schedule', 'status'], { ...env, REPORT_CYCLE: 'weekly', REPORT_DUE_DAY: '5' });
    expect(r.status).toBe(0);
    for (const kind of ['before', 'due', 'overdue', 'escalate', 'digest', 'deadline']) expect(r.stdout).toMatch(new RegExp(`（${kind}）：`));
    expect(r.stdout).toMatch(/截止日提醒（due）：\d{4}-\d{2}-\d{2} 09:00，\d{4}年第\d+周，19 个单位/);
    expect(r.stdout).toContain('时限提醒（deadline）：一年内没有');
    expect(r.stdout).toContain('上次计算提醒：还没有');
  });

  it.each([
    [['schedule', 'preview', '--from', '2025-02-30'], {}, '--from 的值“2025-02-30”不是日期'],
    [['schedule', 'preview', '--from', '2025-10-01', '--to', '2025-09-01'], {}, '结束日期 2025-09-01 早于开始日期 2025-10-01'],
    [['schedule', 'preview'], { SCHEDULE_OVERRIDES: '第3项=每天' }, 'SCHEDULE_OVERRIDES 的值“第3项=每天”无效'],
    [['schedule', 'preview'], { SCHEDULE_OVERRIDES: '区教育局=每月20日' }, '单位“区教育局”不在计划的责任单位中'],
    [['schedule', 'preview'], { CALENDAR_FILE: '/nonexistent/calendar.yaml' }, '/nonexistent/calendar.yaml'],
  ])('refuses %j with a Chinese message', (args, extra, message) => {
    const r = runCli(args, { ...env, ...extra });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(message);
    expect(r.stdout).toBe('');
  });
});
