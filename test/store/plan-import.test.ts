import fs from 'node:fs';
import type { PlanTask } from '../../src/plan/types';
import type { Store } from '../../src/store/store';
import * as tmp from './temp-db';
import { LATER, NOW, basePlan, item, task, useTempStore } from './temp-db';

function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

const db = useTempStore('duban-import-');
let store: Store;
let file: string;
beforeEach(() => {
  store = db.store;
  file = db.file;
});

const dump = () => tmp.dump(file);
const checkpointedBytes = () => tmp.checkpointedBytes(file);
const liveTasks = (planId: number) => tmp.liveTasks(store, planId);
const idsByKey = (planId: number) => tmp.idsByKey(store, planId);

function walSize(): number {
  const wal = `${file}-wal`;
  return fs.existsSync(wal) ? fs.statSync(wal).size : 0;
}

describe('importPlan: fresh import', () => {
  it('creates the plan and reports counts', () => {
    expect(store.hasAnyPlan()).toBe(false);
    const r = store.importPlan(basePlan(), { name: 'plan.docx', sha256: 'a1' }, NOW);
    expect(r).toEqual({
      planId: r.planId, unchanged: false, created: true,
      added: ['1.1', '1.2', '2.1', '3.1', '3.2'], updated: [], renumbered: [], restored: [], archived: [],
      unchangedTasks: 0, itemsChanged: 3, items: 3, tasks: 5, units: 6,
    });
    expect(store.hasAnyPlan()).toBe(true);
    expect(store.countRows()).toEqual({
      plans: 1, planImports: 1, sections: 2, items: 3, tasks: 5, units: 6, assignments: 10,
    });
    expect(store.listPlans()).toEqual([{
      id: r.planId, title: '2025年秀洲区法治政府建设工作要点', year: 2025, issuer: '秀洲区人民政府办公室',
      date: '2025-02-20', itemCount: 3, taskCount: 5,
    }]);
  });

  it('stores the tree in document order with lead/co roles in written order', () => {
    const { planId } = store.importPlan(basePlan(), { name: 'plan.docx', sha256: 'a1' }, NOW);
    const tree = store.getPlanTree(planId);
    expect(tree?.sections).toEqual([
      { number: '一', title: '依法全面履行政府职能' },
      { number: '二', title: '健全依法行政制度体系' },
    ]);
    expect(tree?.items.map((i) => [i.number, i.section, i.title, i.tasks.map((t) => t.key)])).toEqual([
      [1, '一', '深化行政审批制度改革。', ['1.1', '1.2']],
      [2, '一', '优化法治化营商环境。', ['2.1']],
      [3, '二', '加强规范性文件监督管理。', ['3.1', '3.2']],
    ]);
    const byKey = Object.fromEntries(liveTasks(planId).map((t) => [t.key, t]));
    expect(byKey['1.2']).toMatchObject({ text: '开展证明事项清理。', qualifier: '按职责分工落实', deadline: null });
    expect(byKey['2.1']?.units).toEqual([
      { name: '区市场监管局', role: 'lead' },
      { name: '区发改局', role: 'lead' },
      { name: '区司法局', role: 'co' },
    ]);
    expect(byKey['3.1']).toMatchObject({ deadline: '2025-06-30' });
    expect(byKey['3.1']?.units).toEqual([
      { name: '区司法局', role: 'co' },
      { name: '各镇人民政府(街道办事处)', role: 'co' },
    ]);
    expect(store.listUnitNames(planId)).toEqual([
      '区行政审批局', '区市场监管局', '区司法局', '区发改局', '各镇人民政府(街道办事处)', '区级有关部门',
    ]);
  });

  it('keeps a unit listed twice once and appends a lead missing from units', () => {
    const plan = basePlan();
    plan.items[0]!.tasks[0] = task('1.1', '推进政务服务标准化。', ['区市场监管局', '区市场监管局'], ['区行政审批局']);
    const { planId } = store.importPlan(plan, { name: 'plan.docx', sha256: 'a1' }, NOW);
    expect(liveTasks(planId)[0]?.units).toEqual([
      { name: '区市场监管局', role: 'co' },
      { name: '区行政审批局', role: 'lead' },
    ]);
  });
});

describe('importPlan: re-import', () => {
  it('writes nothing at all when the newest import has the same sha256', () => {
    const first = store.importPlan(basePlan(), { name: 'plan.docx', sha256: 'a1' }, NOW);
    const bytes = checkpointedBytes();
    const before = dump();
    const edited = basePlan();
    edited.items.pop(); // content is ignored when the sha256 matches
    const r = store.importPlan(edited, { name: 'plan-copy.docx', sha256: 'a1' }, LATER);
    expect(r).toMatchObject({ planId: first.planId, unchanged: true, created: false, added: [], updated: [], archived: [] });
    expect(walSize()).toBe(0);
    expect(dump()).toEqual(before);
    expect(checkpointedBytes().equals(bytes)).toBe(true);
  });

  it('records the import but changes no task when only the sha256 differs', () => {
    const first = store.importPlan(basePlan(), { name: 'plan.docx', sha256: 'a1' }, NOW);
    const ids = idsByKey(first.planId);
    const r = store.importPlan(basePlan(), { name: 'plan-resaved.docx', sha256: 'b2' }, LATER);
    expect(r).toMatchObject({ unchanged: false, created: false, added: [], updated: [], archived: [], unchangedTasks: 5 });
    expect(store.countRows()).toMatchObject({ planImports: 2, tasks: 5, items: 3, assignments: 10 });
    expect(idsByKey(first.planId)).toEqual(ids);
  });

  it('keeps ids of matched tasks, updates edited ones and archives removed ones without deleting', () => {
    const first = store.importPlan(basePlan(), { name: 'plan.docx', sha256: 'a1' }, NOW);
    const ids = idsByKey(first.planId);
    const plan = basePlan();
    plan.items[0]!.tasks[1]!.text = '全面开展证明事项清理。'; // 1.2 text edited
    plan.items[1]!.tasks[0]!.units = ['区市场监管局', '区商务局']; // 2.1 units changed
    plan.items[1]!.tasks[0]!.leads = ['区市场监管局'];
    plan.items[2]!.tasks[1] = task('3.2', '建立行政规范性文件备案审查机制。', ['区司法局']); // 3.2 replaced: key match
    plan.items[2]!.tasks.push(task('3.3', '推进合法性审查全覆盖。', ['区司法局'])); // old 3.2 text moved to 3.3
    plan.items[0]!.tasks.splice(0, 1); // 1.1 removed (no renumbering on purpose)
    const r = store.importPlan(plan, { name: 'plan-v2.docx', sha256: 'b2' }, LATER);

    expect(r).toMatchObject({
      unchanged: false, created: false, added: ['3.2'], updated: ['1.2', '2.1', '3.3'], archived: ['1.1'],
      unchangedTasks: 1, items: 3, tasks: 5,
    });
    const now = idsByKey(first.planId);
    expect(now['1.2']).toBe(ids['1.2']);
    expect(now['2.1']).toBe(ids['2.1']);
    expect(now['3.1']).toBe(ids['3.1']);
    expect(now['3.3']).toBe(ids['3.2']); // same text, moved key
    expect(now['3.2']).toBeGreaterThan(Math.max(...Object.values(ids)));
    expect(now['1.1']).toBeUndefined();

    const byKey = Object.fromEntries(liveTasks(first.planId).map((t) => [t.key, t]));
    expect(byKey['1.2']?.text).toBe('全面开展证明事项清理。');
    expect(byKey['2.1']?.units).toEqual([
      { name: '区市场监管局', role: 'lead' },
      { name: '区商务局', role: 'co' },
    ]);
    // archived rows stay in the table
    expect(store.countRows()).toMatchObject({ tasks: 6, planImports: 2 });
    expect(store.listPlans()[0]).toMatchObject({ itemCount: 3, taskCount: 5 });
    const rows = dump();
    const archived = rows.tasks!.map((r) => JSON.parse(r) as { id: number; archived_at: string | null });
    expect(archived.filter((t) => t.archived_at !== null).map((t) => t.id)).toEqual([ids['1.1']]);
    expect(store.listUnitNames(first.planId)).not.toContain('区行政审批局');
    expect(store.listUnitNames(first.planId)).not.toContain('区发改局');
  });

  it('keeps ids when an inserted task shifts the keys of later ones', () => {
    const first = store.importPlan(basePlan(), { name: 'plan.docx', sha256: 'a1' }, NOW);
    const ids = idsByKey(first.planId);
    const plan = basePlan();
    plan.items[0]!.tasks = [
      task('1.1', '新增：推行告知承诺制。', ['区司法局']),
      { ...plan.items[0]!.tasks[0]!, id: '1.2' },
      { ...plan.items[0]!.tasks[1]!, id: '1.3' },
    ];
    const r = store.importPlan(plan, { name: 'plan-v2.docx', sha256: 'b2' }, LATER);
    expect(r).toMatchObject({ added: ['1.1'], updated: [], renumbered: ['1.2', '1.3'], archived: [], unchangedTasks: 3 });
    const now = idsByKey(first.planId);
    expect(now['1.2']).toBe(ids['1.1']);
    expect(now['1.3']).toBe(ids['1.2']);
    expect(liveTasks(first.planId).slice(0, 3).map((t) => t.key)).toEqual(['1.1', '1.2', '1.3']);
  });

  it('follows the text when two tasks swap places', () => {
    const first = store.importPlan(basePlan(), { name: 'plan.docx', sha256: 'a1' }, NOW);
    const ids = idsByKey(first.planId);
    const plan = basePlan();
    const [a, b] = plan.items[2]!.tasks as [PlanTask, PlanTask];
    plan.items[2]!.tasks = [{ ...b, id: '3.1' }, { ...a, id: '3.2' }];
    const r = store.importPlan(plan, { name: 'plan-v2.docx', sha256: 'b2' }, LATER);
    expect(r).toMatchObject({ added: [], updated: [], renumbered: ['3.1', '3.2'], archived: [], itemsChanged: 0 });
    const now = idsByKey(first.planId);
    expect(now['3.1']).toBe(ids['3.2']);
    expect(now['3.2']).toBe(ids['3.1']);
  });

  it('archives a removed item and follows its task into another item', () => {
    const first = store.importPlan(basePlan(), { name: 'plan.docx', sha256: 'a1' }, NOW);
    const ids = idsByKey(first.planId);
    const plan = basePlan();
    const moved = plan.items[1]!.tasks[0]!;
    plan.items.splice(1, 1);
    plan.items[0]!.tasks.push({ ...moved, id: '1.3' });
    plan.sections.pop();
    plan.items[1]!.section = '一';
    const r = store.importPlan(plan, { name: 'plan-v2.docx', sha256: 'b2' }, LATER);
    expect(r).toMatchObject({ added: [], updated: [], renumbered: ['1.3'], archived: [], items: 2, itemsChanged: 1 });
    expect(idsByKey(first.planId)['1.3']).toBe(ids['2.1']);
    const tree = store.getPlanTree(first.planId);
    expect(tree?.sections).toEqual([{ number: '一', title: '依法全面履行政府职能' }]);
    expect(tree?.items.map((i) => [i.number, i.section])).toEqual([[1, '一'], [3, '一']]);
    expect(store.countRows()).toMatchObject({ items: 3, sections: 1 });

    // the item comes back: its archived row (same title) is restored
    const again = basePlan();
    const back = store.importPlan(again, { name: 'plan-v3.docx', sha256: 'c3' }, LATER);
    expect(back).toMatchObject({ added: [], renumbered: ['2.1'], restored: [], archived: [], itemsChanged: 1 });
    expect(store.countRows()).toMatchObject({ items: 3 });
    expect(store.getPlanTree(first.planId)?.items.map((i) => i.number)).toEqual([1, 2, 3]);
    expect(idsByKey(first.planId)['2.1']).toBe(ids['2.1']);
  });

  it('archives and revives assignments instead of duplicating them', () => {
    const first = store.importPlan(basePlan(), { name: 'plan.docx', sha256: 'a1' }, NOW);
    const plan = basePlan();
    plan.items[0]!.tasks[0]!.units = ['区行政审批局'];
    store.importPlan(plan, { name: 'v2', sha256: 'b2' }, LATER);
    expect(liveTasks(first.planId)[0]?.units).toEqual([{ name: '区行政审批局', role: 'lead' }]);
    expect(store.countRows().assignments).toBe(10);
    const r = store.importPlan(basePlan(), { name: 'v3', sha256: 'c3' }, LATER);
    expect(r.updated).toEqual(['1.1']);
    expect(liveTasks(first.planId)[0]?.units).toEqual([
      { name: '区行政审批局', role: 'lead' },
      { name: '区市场监管局', role: 'co' },
    ]);
    expect(store.countRows().assignments).toBe(10);
  });

  it('keeps two plans apart', () => {
    const a = store.importPlan(basePlan(), { name: 'a', sha256: 'a1' }, NOW);
    const other = basePlan();
    other.title = '2025年秀洲区政府工作要点';
    other.items = [item(1, null, '抓好安全生产。', [task('1.1', '开展安全生产大检查。', ['区应急管理局'])])];
    const b = store.importPlan(other, { name: 'b', sha256: 'b1' }, NOW);
    expect(b).toMatchObject({ created: true, unchanged: false });
    expect(b.planId).not.toBe(a.planId);
    expect(store.listUnitNames(b.planId)).toEqual(['区应急管理局']);
    expect(store.listUnitNames()).toEqual([...store.listUnitNames(a.planId), '区应急管理局']);
    expect(store.listPlans().map((p) => p.taskCount)).toEqual([5, 1]);
  });
});

describe('importPlan: failures roll back', () => {
  function expectUntouched(run: () => unknown, message: RegExp): void {
    store.importPlan(basePlan(), { name: 'plan.docx', sha256: 'a1' }, NOW);
    const bytes = checkpointedBytes();
    const before = dump();
    expect(run).toThrow(message);
    expect(dump()).toEqual(before);
    expect(checkpointedBytes().equals(bytes)).toBe(true);
  }

  it('leaves the database unchanged when a unit is not a string halfway through', () => {
    const plan = basePlan();
    plan.items[0]!.tasks.splice(0, 1); // archive 1.1
    plan.items[1]!.tasks[0]!.text = '修改后的任务。'; // update 2.1
    plan.items.push(item(4, '二', '新事项。', [
      task('4.1', '第一条新任务。', ['区新单位']),
      task('4.2', '坏任务。', ['区司法局', 42 as unknown as string]),
    ]));
    expectUntouched(() => store.importPlan(plan, { name: 'bad.docx', sha256: 'b2' }, LATER), /4\.2 的责任单位无效/);
  });

  it('leaves the database unchanged for a duplicate task id', () => {
    const plan = basePlan();
    plan.items[2]!.tasks[1]!.id = '3.1';
    expectUntouched(() => store.importPlan(plan, { name: 'dup.docx', sha256: 'b2' }, LATER), /任务编号重复：3\.1/);
  });

  it('leaves the database unchanged for a new plan that fails', () => {
    const plan = clone(basePlan());
    plan.title = '另一份工作要点';
    (plan.items[2]!.tasks[1]!.units as unknown[]).push(null);
    expectUntouched(() => store.importPlan(plan, { name: 'bad.docx', sha256: 'z9' }, LATER), /责任单位无效/);
  });
});
