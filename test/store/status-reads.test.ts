/**
 * The store's reads for one unit's or one item's status: plans cut down to some tasks, the names that may mean a
 * unit, and the tasks of an item.
 */
import Database from 'better-sqlite3';
import { UNNORMALISED_UNIT_NAME_GLOB } from '../../src/plan/normalize';
import type { PlanTree } from '../../src/store/store';
import { basePlan, NOW, useTempStore } from './temp-db';

describe('status reads', () => {
  const db = useTempStore('duban-status-reads-');

  /** A plan's tree with only the tasks whose ids are kept (and no empty items). */
  const cut = (tree: PlanTree, keep: Set<number>): PlanTree => ({
    ...tree,
    items: tree.items.map((i) => ({ ...i, tasks: i.tasks.filter((t) => keep.has(t.id)) })).filter((i) => i.tasks.length > 0),
  });

  it('cuts the plans down to some tasks exactly as the whole trees hold them', () => {
    const a = db.store.importPlan(basePlan(), { name: 'a.txt', sha256: 'a' }, NOW).planId;
    const other = { ...basePlan(), title: '2025年另一个工作要点' };
    const b = db.store.importPlan(other, { name: 'b.txt', sha256: 'b' }, NOW).planId;
    const trees = [db.store.getPlanTree(a)!, db.store.getPlanTree(b)!];
    const all = trees.flatMap((t) => t.items.flatMap((i) => i.tasks.map((task) => task.id)));
    for (const keep of [all, [all[0]!], [all[4]!, all[1]!, all[7]!], all.filter((_, k) => k % 2 === 1)]) {
      const set = new Set(keep);
      const want = trees.map((t) => cut(t, set)).filter((t) => t.items.length > 0);
      expect(db.store.partialTrees(keep)).toEqual(want);
    }
    expect(db.store.partialTrees([])).toEqual([]);
  });

  it('finds the tasks of an item in one plan or in all', () => {
    const a = db.store.importPlan(basePlan(), { name: 'a.txt', sha256: 'a' }, NOW).planId;
    const b = db.store.importPlan({ ...basePlan(), title: '另一个' }, { name: 'b.txt', sha256: 'b' }, NOW).planId;
    const ids = (planId: number) => db.store.getPlanTree(planId)!.items.find((i) => i.number === 3)!.tasks.map((t) => t.id);
    expect(db.store.taskIdsOfItem(3, a).sort()).toEqual(ids(a).sort());
    expect(db.store.taskIdsOfItem(3, null).sort()).toEqual([...ids(a), ...ids(b)].sort());
    expect(db.store.taskIdsOfItem(9, null)).toEqual([]);
  });

  it('gives the names asked for and every name not stored in normal form, through an index', () => {
    const plan = basePlan();
    plan.items[0]!.tasks[0]!.units = ['区行政审批局', '区市场监管局 ', '各镇人民政府（街道办事处）'];
    db.store.importPlan(plan, { name: 'a.txt', sha256: 'a' }, NOW);
    expect(db.store.unitNamesAmong(['区司法局', '区没有这个局']).sort()).toEqual(['区司法局', '区市场监管局 ', '各镇人民政府（街道办事处）'].sort());
    const raw = new Database(db.file, { readonly: true });
    try {
      const plan = raw.prepare(`EXPLAIN QUERY PLAN SELECT name FROM units WHERE name GLOB '${UNNORMALISED_UNIT_NAME_GLOB}'`).all() as { detail: string }[];
      expect(plan.map((r) => r.detail).join(' ')).toMatch(/units_unnormalised/);
    } finally {
      raw.close();
    }
  });
});
