import { buildReminders, headline, reminderGroupKey, reminderTitle, type ReminderInput } from '../../src/reminders/build-reminders';
import { plainText } from '../../src/reminders/reminder-text';
import { unitDuties } from '../../src/reminders/unit-duties';
import { utf8Bytes } from '../../src/reminders/split-parts';
import { cycleOf } from '../../src/schedule/cycle';
import { useTempStore } from '../store/temp-db';
import { loadSeed } from './seed-duties';

const cycle = cycleOf('2025-09-10', { kind: 'monthly', dueDay: 30 });
const person = (unit: string) => [{ name: `${unit}联络员`, mobile: '13800000001', userId: `id-${unit}` }];

describe('buildReminders', () => {
  const db = useTempStore('duban-build-');

  async function input(over: Partial<ReminderInput> = {}): Promise<ReminderInput> {
    const { tree, directory } = await loadSeed(db.store);
    return {
      kind: 'remind',
      cycle,
      duties: unitDuties([tree], directory),
      states: db.store.reports.statesForCycle(cycle.id),
      liaisonsOf: person,
      channel: { name: 'dingtalk-robot', maxMarkdownBytes: 16_000 },
      ...over,
    };
  }

  it('writes one message per unit with its open tasks by item, roles, the due date and how to reply', async () => {
    const plan = buildReminders(await input());
    expect(plan.drafts).toHaveLength(19);
    expect(plan.noLiaison).toEqual([]);
    const sfj = plan.drafts.find((d) => d.unit === '区司法局')!;
    expect(sfj).toMatchObject({
      groupKey: 'remind|2025-09|区司法局',
      cycle: '2025-09',
      title: '督办提醒：区司法局2025年9月进度报送',
      destination: { kind: 'unit', unit: '区司法局', people: person('区司法局') },
    });
    expect(sfj.parts).toHaveLength(1);
    const text = sfj.parts[0]!;
    expect(text).toContain('#### 区司法局：2025年9月工作进度请报送');
    expect(text).toContain('**报送周期**：2025年9月（2025年9月1日至9月30日）');
    expect(text).toContain('**截止时间**：2025年9月30日（星期二）');
    expect(text).toContain('**第1项　依法依规做好疫情防控各项工作**');
    expect(text).toContain('- **1.1**〔配合〕（作为区级有关部门）');
    expect(text).toContain('- **1.2**〔牵头〕加强对疫情防控涉及行政执法工作的指导与监督');
    expect(text).toContain('- **3.1**〔配合，牵头：区政务数据办〕');
    expect(text).toContain('本期已有 0 个其他单位报送（共 19 个单位）。');
    expect(text).toContain('回复示例：1.1 推进中 已完成制度清理');
    // DingTalk's subset: no tables, no code blocks; paragraphs separated by blank lines.
    expect(text).not.toMatch(/\|.*\||```/);
    expect(text.split('\n').filter((l, i, all) => l !== '' && all[i + 1] !== undefined && all[i + 1] !== '')).toEqual([]);
  });

  it('says so when the due date has passed', async () => {
    const late = buildReminders(await input({ today: '2025-10-02' }));
    expect(late.drafts[0]!.parts[0]).toContain('**截止时间**：2025年9月30日（星期二），已逾期 2 天，请尽快报送');
    const onTime = buildReminders(await input({ today: '2025-09-30' }));
    expect(onTime.drafts[0]!.parts[0]).toContain('**截止时间**：2025年9月30日（星期二）\n');
  });

  it('leaves out what was reported this cycle or completed before, and counts who reported', async () => {
    const { tree } = await loadSeed(db.store);
    const task = (key: string) => tree.items.flatMap((i) => i.tasks).find((t) => t.key === key)!.id;
    const at = new Date('2025-09-05T02:00:00Z');
    db.store.reports.add({ taskId: task('1.2'), unit: '区司法局', cycle: '2025-09', status: 'in_progress', reportedAt: at });
    db.store.reports.add({ taskId: task('1.3'), unit: '区司法局', cycle: '2025-08', status: 'done', reportedAt: at });
    db.store.reports.add({ taskId: task('4.1'), unit: '区住建局', cycle: '2025-09', status: 'in_progress', reportedAt: at });
    const plan = buildReminders(await input());
    const text = plan.drafts.find((d) => d.unit === '区司法局')!.parts[0]!;
    expect(text).not.toContain('**1.2**');
    expect(text).not.toContain('**1.3**');
    expect(text).toContain('**1.1**');
    expect(text).toContain('本期已有 1 个其他单位报送');
    // 区住建局 owes 4.1 and, through 区级有关部门, other tasks: still reminded.
    expect(plan.upToDate).toEqual([]);
  });

  it('skips units nobody can be reminded at and reports them', async () => {
    const plan = buildReminders(await input({ liaisonsOf: (u) => (u.endsWith('镇') ? [] : person(u)) }));
    expect(plan.noLiaison).toEqual(['王江泾镇', '油车港镇', '新塍镇', '王店镇', '洪合镇']);
    expect(plan.drafts).toHaveLength(14);
  });

  it('splits a message into numbered parts that fit the channel', async () => {
    const plan = buildReminders(await input({ channel: { name: 'zzd', maxMarkdownBytes: 1_500 } }));
    const sfj = plan.drafts.find((d) => d.unit === '区司法局')!;
    expect(sfj.parts.length).toBeGreaterThan(1);
    for (const p of sfj.parts) expect(utf8Bytes(p)).toBeLessThanOrEqual(1_500);
    const keys = sfj.parts.flatMap((p) => [...p.matchAll(/- \*\*(\d+\.\d+)\*\*/g)].map((m) => m[1]));
    expect(keys).toEqual(['1.1', '1.2', '1.3', '2.1', '3.1', '3.2', '4.2', '4.3', '4.4', '5.1', '6.1', '6.2', '6.3', '6.4', '7.1', '8.1', '8.2', '9.1', '9.2']);
  });

  it('does not let a console trial run use up the cycle\'s reminders on a real channel', async () => {
    // duban remind --now before DINGTALK_WEBHOOK was set only printed the reminders: nobody was reminded.
    const trial = buildReminders(await input({ channel: { name: 'console', maxMarkdownBytes: 1_000_000 } }));
    expect(db.store.outbox.enqueue(trial.drafts, Date.UTC(2025, 8, 10))).toMatchObject({ queued: 19 });
    const real = buildReminders(await input());
    expect(db.store.outbox.enqueue(real.drafts, Date.UTC(2025, 8, 10))).toMatchObject({ queued: 19, skipped: 0 });
    // …and each still goes out once per channel.
    expect(db.store.outbox.enqueue(real.drafts, Date.UTC(2025, 8, 10))).toMatchObject({ queued: 0, skipped: 19 });
  });
});

describe('reminder text', () => {
  it('keeps markdown signs from the plan as text', () => {
    expect(plainText('推进“10+N”行动*重点*|任务_一 [附件] <表> #1')).toBe('推进“10+N”行动＊重点＊｜任务＿一 ［附件］ ＜表＞ ＃1');
  });
});

describe('the wording of each kind of reminder', () => {
  const due = cycleOf('2025-09-10', { kind: 'monthly', dueDay: 30 });
  const base = { cycle: due, unit: '区司法局', taskCount: 2, deadline: '2025-10-31' };

  it.each([
    ['remind', {}, '2025年9月工作进度请报送', '督办提醒：区司法局2025年9月进度报送'],
    ['before', { workdays: 2 }, '2025年9月工作进度还有 2 个工作日截止（9月30日），请及时报送', '督办提醒：区司法局2025年9月进度报送'],
    ['due', {}, '今天是2025年9月工作进度报送截止日，请于今天报送', '督办提醒：区司法局2025年9月进度报送'],
    ['overdue', { workdays: 3 }, '【催办】2025年9月工作进度已逾期 3 个工作日，请尽快报送', '督办催办：区司法局2025年9月进度已逾期'],
    ['escalate', { workdays: 3 }, '【督办升级】区司法局2025年9月工作进度逾期 3 个工作日仍未报送', '督办升级：区司法局2025年9月进度逾期未报'],
    ['deadline', { workdays: 1 }, '有 2 项任务还有 1 个工作日到期', '督办时限提醒：区司法局2 项任务10月31日到期'],
    ['deadline', { workdays: 0 }, '有 2 项任务今天到期', '督办时限提醒：区司法局2 项任务10月31日到期'],
  ] as const)('%s %j', (kind, extra, head, title) => {
    expect(headline({ ...base, kind, ...extra })).toBe(head);
    expect(reminderTitle({ ...base, kind, ...extra })).toBe(title);
    // Every title starts with 督办: a robot whose security setting is the keyword 督办 takes them all.
    expect(title.startsWith('督办')).toBe(true);
  });

  it('keys scheduled reminders by day, so each day’s reminder goes out once', () => {
    expect(reminderGroupKey('overdue', '2025-09', '区司法局', 'dingtalk-robot', '2025-10-09')).toBe('overdue|2025-09|区司法局|2025-10-09');
    expect(reminderGroupKey('remind', '2025-09', '区司法局', 'console')).toBe('console:remind|2025-09|区司法局');
  });
});
