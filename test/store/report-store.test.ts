/** The report store's history: every report with the task it is on, archived tasks and withdrawn reports too. */
import { basePlan, idsByKey, LATER, NOW, useTempStore } from './temp-db';

describe('the report history', () => {
  const db = useTempStore('duban-reports-');

  it('lists every report oldest first with its task, after the task was archived and the report withdrawn', () => {
    const plan = basePlan();
    const { planId } = db.store.importPlan(plan, { name: 'plan.txt', sha256: 'a' }, NOW);
    const ids = idsByKey(db.store, planId);
    const first = db.store.reports.add({ taskId: ids['1.2']!, unit: '区司法局', cycle: '2025-03', status: 'in_progress', text: '清理中', reportedAt: NOW });
    db.store.reports.add({ taskId: ids['2.1']!, unit: '区发改局', cycle: '2025-03', status: 'done', percent: 100, reportedAt: LATER });
    db.store.reports.withdraw(first, LATER);
    // 1.2 leaves the plan: its report stays in the history under its old number.
    plan.items[0]!.tasks.pop();
    db.store.importPlan(plan, { name: 'plan.txt', sha256: 'b' }, LATER);
    expect(idsByKey(db.store, planId)['1.2']).toBeUndefined();
    expect([...db.store.reports.all()]).toEqual([
      expect.objectContaining({ planId, taskKey: '1.2', taskText: '开展证明事项清理。', unit: '区司法局', text: '清理中', withdrawnAt: LATER.toISOString() }),
      expect.objectContaining({ planId, taskKey: '2.1', taskText: '落实公平竞争审查制度。', status: 'done', percent: 100, withdrawnAt: null }),
    ]);
  });
});
