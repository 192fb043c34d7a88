/**
 * Several tasks of one plan with the same text (`开展安全生产大检查。` for different units): on re-import each
 * keeps its own row, told apart by its units, and never takes the row of another unit's task.
 */
import type { ParsedPlan, PlanItem } from '../../src/plan/types';
import {
  LATER, NOW, byKey, idsByKey, item, itemIdsByNumber, rawItems, rawTasks, task, useTempStore,
} from './temp-db';

const CHECK = '开展安全生产大检查。';

/** One item per task, titled by its (one-sentence) text, as the parser makes it. */
function one(number: number, text: string, units: string[]): PlanItem {
  return item(number, null, text, [task(`${number}.1`, text, units)]);
}

function plan(items: [text: string, units: string[]][]): ParsedPlan {
  return {
    title: '2021年秀洲区安全生产工作要点', year: 2021, issuer: null, date: null, sections: [], warnings: [],
    items: items.map(([text, units], k) => one(k + 1, text, units)),
  };
}

const R1: [string, string[]][] = [
  [CHECK, ['区应急管理局']],
  ['推进危化品企业整治。', ['区应急管理局', '区经信局']],
  [CHECK, ['区住建局']],
  ['加强消防安全宣传教育。', ['区消防救援大队']],
  [CHECK, ['区交通运输局', '公安秀洲分局']],
  ['落实安全生产责任制。', ['区级有关部门']],
];

const db = useTempStore('duban-same-text-');

function importR1() {
  const { planId } = db.store.importPlan(plan(R1), { name: 'r1.docx', sha256: 'r1' }, NOW);
  return { planId, ids: idsByKey(db.store, planId), items: itemIdsByNumber(db.file) };
}

const unitsOf = (planId: number, key: string) => byKey(db.store, planId)[key]?.units.map((u) => u.name);

describe('identical task texts on re-import', () => {
  it('keeps each check with its own units when the first one is deleted and the rest renumbered', () => {
    const { planId, ids, items } = importR1();
    const r = db.store.importPlan(plan(R1.slice(1)), { name: 'r2.docx', sha256: 'r2' }, LATER);

    expect(r).toMatchObject({
      added: [], updated: [], restored: [], archived: ['1.1'],
      renumbered: ['1.1', '2.1', '3.1', '4.1', '5.1'], unchangedTasks: 0, itemsChanged: 1,
    });
    const now = idsByKey(db.store, planId);
    expect(now).toEqual({ '1.1': ids['2.1'], '2.1': ids['3.1'], '3.1': ids['4.1'], '4.1': ids['5.1'], '5.1': ids['6.1'] });
    expect(unitsOf(planId, '2.1')).toEqual(['区住建局']);
    expect(unitsOf(planId, '4.1')).toEqual(['区交通运输局', '公安秀洲分局']);

    // the deleted check (应急局) is the archived row, with its text and key
    const tasks = rawTasks(db.file);
    expect(tasks.get(ids['1.1'] as number)).toMatchObject({ task_key: '1.1', text: CHECK, archived_at: LATER.toISOString() });
    expect([...tasks.values()].filter((t) => t.archived_at !== null).map((t) => t.id)).toEqual([ids['1.1']]);

    // item rows follow their content too; each task hangs under its new item's row
    expect(itemIdsByNumber(db.file)).toEqual({ 1: items[2], 2: items[3], 3: items[4], 4: items[5], 5: items[6] });
    expect(rawItems(db.file).get(items[1] as number)).toMatchObject({ number: 1, title: CHECK, archived_at: LATER.toISOString() });
    const itemNow = itemIdsByNumber(db.file);
    for (const [key, id] of Object.entries(now)) expect(tasks.get(id)?.item_id).toBe(itemNow[Number(key.split('.')[0])]);
  });

  it('adds a new check inserted at the top and lets every other task keep its row', () => {
    const { planId, ids, items } = importR1();
    const r = db.store.importPlan(plan([[CHECK, ['区农业农村局']], ...R1]), { name: 'r2.docx', sha256: 'r2' }, LATER);

    expect(r).toMatchObject({
      added: ['1.1'], updated: [], restored: [], archived: [],
      renumbered: ['2.1', '3.1', '4.1', '5.1', '6.1', '7.1'], unchangedTasks: 0, itemsChanged: 1,
    });
    const now = idsByKey(db.store, planId);
    for (let n = 1; n <= 6; n++) expect(now[`${n + 1}.1`]).toBe(ids[`${n}.1`]);
    expect(now['1.1']).toBeGreaterThan(Math.max(...Object.values(ids)));
    expect(unitsOf(planId, '1.1')).toEqual(['区农业农村局']);
    expect(unitsOf(planId, '2.1')).toEqual(['区应急管理局']);
    expect([...rawTasks(db.file).values()].filter((t) => t.archived_at !== null)).toEqual([]);
    const itemNow = itemIdsByNumber(db.file);
    for (let n = 1; n <= 6; n++) expect(itemNow[n + 1]).toBe(items[n]);
  });

  it('does not hand a deleted check to a new check of another unit', () => {
    const { planId, ids } = importR1();
    const next = [...R1.slice(1), [CHECK, ['区农业农村局']] as [string, string[]]];
    const r = db.store.importPlan(plan(next), { name: 'r2.docx', sha256: 'r2' }, LATER);

    expect(r).toMatchObject({ added: ['6.1'], archived: ['1.1'], updated: [] });
    const now = idsByKey(db.store, planId);
    expect(now['6.1']).toBeGreaterThan(Math.max(...Object.values(ids)));
    expect(now['2.1']).toBe(ids['3.1']);
    expect(now['4.1']).toBe(ids['5.1']);
  });

  it('prefers the same units when units were also edited, and keeps a lone identical text whatever its units', () => {
    const { planId, ids } = importR1();
    const next = R1.map(([text, units]): [string, string[]] => [text, [...units]]);
    next[4] = [CHECK, ['区交通运输局']]; // 5.1 loses 公安秀洲分局: still the closest
    next[1] = ['推进危化品企业整治。', ['区经济信息商务局']]; // only one task has this text: a reassignment
    const r = db.store.importPlan(plan(next), { name: 'r2.docx', sha256: 'r2' }, LATER);

    expect(r).toMatchObject({ added: [], archived: [], updated: ['2.1', '5.1'], renumbered: [], unchangedTasks: 4 });
    expect(idsByKey(db.store, planId)).toEqual(ids);
    expect(unitsOf(planId, '2.1')).toEqual(['区经济信息商务局']);
  });

  it('swaps rows with their units when two checks trade places', () => {
    const { planId, ids } = importR1();
    const next = [...R1];
    [next[0], next[2]] = [R1[2] as [string, string[]], R1[0] as [string, string[]]];
    const r = db.store.importPlan(plan(next), { name: 'r2.docx', sha256: 'r2' }, LATER);

    expect(r).toMatchObject({ added: [], archived: [], updated: [], renumbered: ['1.1', '3.1'] });
    const now = idsByKey(db.store, planId);
    expect(now['1.1']).toBe(ids['3.1']);
    expect(now['3.1']).toBe(ids['1.1']);
    expect(unitsOf(planId, '1.1')).toEqual(['区住建局']);
  });
});
