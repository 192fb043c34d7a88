import { digestDraft, standings } from '../../src/reminders/digest';
import { unitDuties } from '../../src/reminders/unit-duties';
import { onWorkday, cycleOf } from '../../src/schedule/cycle';
import { useTempStore } from '../store/temp-db';
import { loadSeed } from './seed-duties';

describe('digestDraft', () => {
  const db = useTempStore('duban-digest-');
  const cycle = onWorkday(cycleOf('2025-10-02', { kind: 'monthly', dueDay: 1 }), () => '2025-10-09');

  it('sums up who reported all, part or nothing, for the leaders, even when nobody reported', async () => {
    const { tree, directory } = await loadSeed(db.store);
    const duties = unitDuties([tree], directory);
    const sfj = duties.get('区司法局')!;
    const at = new Date('2025-10-09T02:00:00Z');
    for (const d of sfj) db.store.reports.add({ taskId: d.taskId, unit: '区司法局', cycle: '2025-10', status: 'in_progress', reportedAt: at });
    db.store.reports.add({ taskId: duties.get('区财政局')![0]!.taskId, unit: '区财政局', cycle: '2025-10', status: 'blocked', reportedAt: at });
    const states = db.store.reports.statesForCycle('2025-10');
    const draft = digestDraft({
      cycle,
      units: duties,
      states,
      asOf: '2025-10-09 17:30',
      date: '2025-10-09',
      destination: { kind: 'people', label: '区领导', people: [{ name: '区长', mobile: null, userId: 'leader-01' }] },
      channel: { name: 'dingtalk-robot', maxMarkdownBytes: 16_000 },
    });
    expect(draft).toMatchObject({ groupKey: 'digest|2025-10||2025-10-09', kind: 'digest', cycle: '2025-10', unit: null, title: '督办汇总：2025年10月报送情况' });
    const text = draft.parts.join('\n');
    expect(text).toContain('**截止时间**：2025年10月9日（星期四）');
    expect(text).toContain('截至10月9日 17:30，应报送单位 19 个：已报送 1 个，部分报送 1 个，未报送 17 个。');
    expect(text).toMatch(/\*\*部分报送（1）\*\*\n\n区财政局（1\/\d+）/);
    expect(text).toContain('**已报送（1）**\n\n区司法局');
    expect(standings(duties, []).every((s) => s.accounted === 0)).toBe(true);
  });
});
