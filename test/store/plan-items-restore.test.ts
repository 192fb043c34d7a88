/**
 * Items that are deleted and renumbered keep their rows by title, and a deleted item or task that comes back
 * (an import undone by re-importing the previous file) gets its old row back instead of a new one.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parsePlan } from '../../src/plan/parse-plan';
import type { ParsedPlan, PlanItem } from '../../src/plan/types';
import {
  LATER, LATEST, NOW, byKey, idsByKey, item, itemIdsByNumber, rawItems, rawTasks, task, useTempStore,
} from './temp-db';

const SEED_TEXT = fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'seed-xiuzhou-2020.txt'), 'utf8');

function renumbered(it: PlanItem, number: number): PlanItem {
  return { ...it, number, tasks: it.tasks.map((t, k) => ({ ...t, id: `${number}.${k + 1}` })) };
}

/** The plan without item `number`, the later items renumbered down by one. */
function withoutItem(plan: ParsedPlan, number: number): ParsedPlan {
  const items = plan.items.filter((i) => i.number !== number).map((i) => (i.number > number ? renumbered(i, i.number - 1) : i));
  return { ...plan, items };
}

const db = useTempStore('duban-items-');

function importSeed() {
  const seed = parsePlan(SEED_TEXT);
  expect(seed.items.map((i) => i.number)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
  expect(seed.items[4]?.tasks.map((t) => t.id)).toEqual(['5.1']);
  const { planId } = db.store.importPlan(seed, { name: 'seed.txt', sha256: 'a1' }, NOW);
  return { seed, planId, ids: idsByKey(db.store, planId), items: itemIdsByNumber(db.file) };
}

const LATER_KEYS = ['5.1', '5.2', '5.3', '5.4', '6.1', '7.1', '7.2', '8.1', '8.2'];

describe('deleting an item and renumbering the rest', () => {
  it('keeps item rows with their titles and archives the deleted item under its own title', () => {
    const { seed, planId, ids, items } = importSeed();
    const r = db.store.importPlan(withoutItem(seed, 5), { name: 'v2.txt', sha256: 'b2' }, LATER);

    expect(r).toMatchObject({
      added: [], updated: [], restored: [], archived: ['5.1'], renumbered: LATER_KEYS, itemsChanged: 1, unchangedTasks: 10,
    });
    const itemNow = itemIdsByNumber(db.file);
    expect(itemNow).toEqual({ 1: items[1], 2: items[2], 3: items[3], 4: items[4], 5: items[6], 6: items[7], 7: items[8], 8: items[9] });
    const rows = rawItems(db.file);
    expect(rows.get(items[5] as number)).toMatchObject({ title: seed.items[4]?.title, archived_at: LATER.toISOString() });
    for (const it of seed.items.slice(5)) expect(rows.get(items[it.number] as number)?.title).toBe(it.title);

    // the archived task stays under its own (archived) item; every live task under its new item's row
    const tasks = rawTasks(db.file);
    expect(tasks.get(ids['5.1'] as number)).toMatchObject({ item_id: items[5], archived_at: LATER.toISOString() });
    const now = idsByKey(db.store, planId);
    for (const [key, id] of Object.entries(now)) expect(tasks.get(id)?.item_id).toBe(itemNow[Number(key.split('.')[0])]);
    expect(now['5.1']).toBe(ids['6.1']);
    expect(now['8.2']).toBe(ids['9.2']);
  });

  it('follows a renumbered item whose title was also edited by its tasks', () => {
    const { seed, items } = importSeed();
    const v2 = withoutItem(seed, 5);
    const seven = v2.items[6] as PlanItem;
    v2.items[6] = { ...seven, title: `${seven.title}（修订）` };
    const r = db.store.importPlan(v2, { name: 'v2.txt', sha256: 'b2' }, LATER);

    expect(r).toMatchObject({ archived: ['5.1'], added: [], itemsChanged: 2 });
    expect(itemIdsByNumber(db.file)[7]).toBe(items[8]);
    expect(rawItems(db.file).get(items[8] as number)?.title).toBe(`${seven.title}（修订）`);
  });
});

describe('undoing an import by re-importing the previous file', () => {
  it('restores the deleted item and task rows instead of inserting new ones', () => {
    const { seed, planId, ids, items } = importSeed();
    const before = byKey(db.store, planId);
    db.store.importPlan(withoutItem(seed, 5), { name: 'v2.txt', sha256: 'b2' }, LATER);
    const r = db.store.importPlan(parsePlan(SEED_TEXT), { name: 'seed.txt', sha256: 'c3' }, LATEST);

    expect(r).toMatchObject({
      added: [], updated: [], archived: [], restored: ['5.1'], itemsChanged: 1,
      renumbered: ['6.1', '6.2', '6.3', '6.4', '7.1', '8.1', '8.2', '9.1', '9.2'],
    });
    expect(idsByKey(db.store, planId)).toEqual(ids);
    expect(itemIdsByNumber(db.file)).toEqual(items);
    expect(byKey(db.store, planId)).toEqual(before);
    expect(db.store.countRows()).toMatchObject({ items: 9, tasks: 20 });
    expect([...rawTasks(db.file).values()].filter((t) => t.archived_at !== null)).toEqual([]);
    expect([...rawItems(db.file).values()].filter((t) => t.archived_at !== null)).toEqual([]);
  });

  it('restores each of several deleted identical tasks to the row with its units', () => {
    const check = '开展安全生产大检查。';
    const plan = (units: string[][]): ParsedPlan => ({
      title: '2021年秀洲区安全生产工作要点', year: 2021, issuer: null, date: null, sections: [], warnings: [],
      items: [item(1, null, '抓好安全生产。', units.map((u, k) => task(`1.${k + 1}`, check, u)))],
    });
    const all = [['区应急管理局'], ['区住建局'], ['区交通运输局']];
    const { planId } = db.store.importPlan(plan(all), { name: 'a', sha256: 'a1' }, NOW);
    const ids = idsByKey(db.store, planId);
    db.store.importPlan(plan([['区住建局']]), { name: 'b', sha256: 'b2' }, LATER);
    expect(idsByKey(db.store, planId)).toEqual({ '1.1': ids['1.2'] });

    // brought back in another order, with a fourth unit that has no row yet
    const back = [['区交通运输局'], ['区住建局'], ['区农业农村局'], ['区应急管理局']];
    const r = db.store.importPlan(plan(back), { name: 'c', sha256: 'c3' }, LATEST);
    expect(r).toMatchObject({ added: ['1.3'], restored: ['1.1', '1.4'], renumbered: ['1.2'], updated: [], archived: [] });
    const now = idsByKey(db.store, planId);
    expect([now['1.1'], now['1.2'], now['1.4']]).toEqual([ids['1.3'], ids['1.2'], ids['1.1']]);
    expect(byKey(db.store, planId)['1.4']?.units).toEqual([{ name: '区应急管理局', role: 'lead' }]);
  });
});
