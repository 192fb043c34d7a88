/**
 * Which plan an import belongs to: the plan whose newest import is the same file (whatever its title), the
 * plan named by `planId` (a new version under a corrected title), else the plan with the same title.
 */
import type { ParsedPlan } from '../../src/plan/types';
import { LATER, LATEST, NOW, basePlan, checkpointedBytes, dump, idsByKey, useTempStore } from './temp-db';

const db = useTempStore('duban-identity-');

/** The plan as parsed from a file that states no title: the file name stands in. */
function untitled(fileName: string): ParsedPlan {
  return { ...basePlan(), title: fileName };
}

function expectNothingWritten(run: () => unknown): void {
  const bytes = checkpointedBytes(db.file);
  const before = dump(db.file);
  run();
  expect(dump(db.file)).toEqual(before);
  expect(checkpointedBytes(db.file).equals(bytes)).toBe(true);
}

describe('the same file under another name', () => {
  it('is a no-op for the plan whose newest import it is, whatever title it falls back to', () => {
    const first = db.store.importPlan(untitled('秀洲区法治政府工作要点'), { name: '秀洲区法治政府工作要点.docx', sha256: 'a1' }, NOW);
    expectNothingWritten(() => {
      const r = db.store.importPlan(untitled('副本'), { name: '副本.docx', sha256: 'a1' }, LATER);
      expect(r).toMatchObject({
        planId: first.planId, unchanged: true, created: false, added: [], updated: [], renumbered: [], restored: [],
        archived: [], itemsChanged: 0, unchangedTasks: 5,
      });
    });
    expect(db.store.listPlans().map((p) => p.title)).toEqual(['秀洲区法治政府工作要点']);
  });

  it('counts only each plan’s newest import', () => {
    const a = db.store.importPlan(basePlan(), { name: 'v1.docx', sha256: 'a1' }, NOW);
    const edited = basePlan();
    edited.items.pop();
    db.store.importPlan(edited, { name: 'v2.docx', sha256: 'a2' }, LATER);
    // the first file again: an older version of this plan, so it is imported (the item comes back)
    const r = db.store.importPlan(basePlan(), { name: 'v1.docx', sha256: 'a1' }, LATEST);
    expect(r).toMatchObject({ planId: a.planId, unchanged: false, restored: ['3.1', '3.2'], itemsChanged: 1 });
  });
});

describe('importPlan with planId: a new version of an existing plan', () => {
  const TYPO = '2025年秀洲区法治政府建没工作要点';

  it('renames the plan and keeps its rows', () => {
    const first = db.store.importPlan({ ...basePlan(), title: TYPO, year: null, issuer: null }, { name: 'a.docx', sha256: 'a1' }, NOW);
    const ids = idsByKey(db.store, first.planId);
    const r = db.store.importPlan(basePlan(), { name: 'b.docx', sha256: 'b2' }, LATER, { planId: first.planId });

    expect(r).toMatchObject({ planId: first.planId, created: false, unchanged: false, added: [], archived: [], unchangedTasks: 5 });
    expect(db.store.listPlans()).toEqual([expect.objectContaining({
      id: first.planId, title: basePlan().title, year: 2025, issuer: '秀洲区人民政府办公室', date: '2025-02-20',
    })]);
    expect(idsByKey(db.store, first.planId)).toEqual(ids);
    expect(db.store.countRows()).toMatchObject({ plans: 1, planImports: 2, tasks: 5 });
  });

  it('is a no-op when the file is that plan’s newest import', () => {
    const first = db.store.importPlan(basePlan(), { name: 'a.docx', sha256: 'a1' }, NOW);
    expectNothingWritten(() => {
      const r = db.store.importPlan(untitled('x'), { name: 'x.docx', sha256: 'a1' }, LATER, { planId: first.planId });
      expect(r).toMatchObject({ planId: first.planId, unchanged: true });
    });
  });

  it('refuses, writing nothing, an unknown plan, a title of another plan, or another plan’s newest file', () => {
    const a = db.store.importPlan(basePlan(), { name: 'a.docx', sha256: 'a1' }, NOW);
    const b = db.store.importPlan({ ...basePlan(), title: TYPO }, { name: 'b.docx', sha256: 'b1' }, NOW);
    expectNothingWritten(() => {
      expect(() => db.store.importPlan(basePlan(), { name: 'c.docx', sha256: 'c1' }, LATER, { planId: 99 }))
        .toThrow('没有编号为 99 的计划');
      expect(() => db.store.importPlan(basePlan(), { name: 'c.docx', sha256: 'c1' }, LATER, { planId: b.planId }))
        .toThrow(`标题《${basePlan().title}》已被另一个计划（编号 ${a.planId}）使用`);
      expect(() => db.store.importPlan(untitled('x'), { name: 'x.docx', sha256: 'a1' }, LATER, { planId: b.planId }))
        .toThrow(/最近一次导入的文件完全相同/);
    });
  });
});

describe('a file imported before under a plan that was retitled since', () => {
  it('updates that plan again instead of creating a copy', () => {
    const first = db.store.importPlan(basePlan(), { name: 'v1.docx', sha256: 'a1' }, NOW);
    const draft = { ...basePlan(), title: `${basePlan().title}(征求意见稿)` };
    db.store.importPlan(draft, { name: 'draft.docx', sha256: 'd1' }, LATER, { planId: first.planId });
    const r = db.store.importPlan(basePlan(), { name: 'v1-copy.docx', sha256: 'a1' }, LATEST);
    expect(r).toMatchObject({ planId: first.planId, created: false });
    expect(db.store.listPlans().map((p) => p.title)).toEqual([basePlan().title]);
    expect(db.store.countRows()).toMatchObject({ plans: 1, tasks: 5 });
  });
});
