/**
 * Re-importing the seed plan after edits next to deletions and insertions: an edited task keeps its row id
 * (and so its progress history), a removed one is archived, and the import summary says so.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { parsePlan } from '../../src/plan/parse-plan';
import type { ParsedPlan } from '../../src/plan/types';
import { Store, type TreeTask } from '../../src/store/store';

const NOW = new Date('2025-03-01T08:00:00Z');
const LATER = new Date('2025-04-01T08:00:00Z');
const SEED_TEXT = fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'seed-xiuzhou-2020.txt'), 'utf8');

const T62 = '开展公共法律服务“十百千万”提升专项行动,整合律师、司法鉴定、仲裁、司法所、人民调解等法律服务资源,建成覆盖全业务、全时空的法律服务网络。';
const T63 = '完善“名所名品名律师”培育工程,强化高素质涉外法律服务人才培育和高水平涉外法律服务机构建设。';
const T64 = '健全政府购买公共服务制度,完善社会力量兴办社会事业机制,探索公建民营、民办公助等制度,促进公共服务多元化供给。';
const B62 = '(责任单位:区司法局、区财政局)';
const B63 = '(责任单位:区司法局、区经济信息商务局)';

/** The seed text with `from` replaced by `to`; fails when `from` is not in it exactly once. */
function seedWith(...edits: [from: string, to: string][]): ParsedPlan {
  let text = SEED_TEXT;
  for (const [from, to] of edits) {
    expect(text.split(from)).toHaveLength(2);
    text = text.replace(from, to);
  }
  return parsePlan(text);
}

let dir: string;
let file: string;
let store: Store;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'duban-reimport-'));
  file = path.join(dir, 'duban.db');
  store = Store.open(file);
});

afterEach(() => {
  store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function liveTasks(planId: number): TreeTask[] {
  return store.getPlanTree(planId)?.items.flatMap((i) => i.tasks) ?? [];
}

function byKey(planId: number): Record<string, TreeTask> {
  return Object.fromEntries(liveTasks(planId).map((t) => [t.key, t]));
}

interface RawTask {
  id: number;
  task_key: string;
  text: string;
  archived_at: string | null;
}

/** Every task row, archived ones included, read through an independent connection. */
function rawTasks(): Map<number, RawTask> {
  const db = new Database(file, { readonly: true });
  try {
    const rows = db.prepare<[], RawTask>('SELECT id, task_key, text, archived_at FROM tasks ORDER BY id').all();
    return new Map(rows.map((r) => [r.id, r]));
  } finally {
    db.close();
  }
}

/** Imports the seed, then `edited`; returns the import result and the seed's task ids by key. */
function reimport(edited: ParsedPlan) {
  const first = store.importPlan(parsePlan(SEED_TEXT), { name: 'seed.txt', sha256: 'a1' }, NOW);
  const before = byKey(first.planId);
  expect(before['6.3']?.text).toBe(T63);
  expect(before['6.4']?.text).toBe(T64);
  const ids = Object.fromEntries(Object.entries(before).map(([k, t]) => [k, t.id]));
  const result = store.importPlan(edited, { name: 'seed-v2.txt', sha256: 'b2' }, LATER);
  return { planId: first.planId, ids, result };
}

describe('re-import with edits next to deletions and insertions', () => {
  it('archives a deleted task and keeps the row of its edited neighbour', () => {
    const edited64 = T64.replace('完善社会力量兴办社会事业机制', '完善社会资本参与社会事业机制');
    const { planId, ids, result } = reimport(seedWith([`${T63}${B63}`, ''], [T64, edited64]));

    expect(result).toMatchObject({ added: [], updated: ['6.3'], archived: ['6.3'], unchangedTasks: 18, tasks: 19 });
    const now = byKey(planId);
    expect(now['6.3']?.id).toBe(ids['6.4']);
    expect(now['6.3']?.text).toBe(edited64);
    expect(now['6.3']?.units).toEqual([{ name: '区级有关部门', role: 'lead' }]);
    expect(now['6.4']).toBeUndefined();

    const rows = rawTasks();
    expect(rows.size).toBe(20);
    expect(rows.get(ids['6.3'] as number)).toMatchObject({ task_key: '6.3', text: T63, archived_at: LATER.toISOString() });
    expect(rows.get(ids['6.4'] as number)).toMatchObject({ task_key: '6.3', text: edited64, archived_at: null });
    expect([...rows.values()].filter((r) => r.archived_at !== null).map((r) => r.id)).toEqual([ids['6.3']]);
    // every other task keeps its id
    for (const [key, id] of Object.entries(ids)) {
      if (key !== '6.3' && key !== '6.4') expect(now[key]?.id).toBe(id);
    }
  });

  it('inserts a new task before an edited neighbour without taking the neighbour’s row', () => {
    const inserted = '推进公共法律服务实体平台、热线平台、网络平台融合发展。(责任单位:区司法局)';
    const edited62 = T62.replace('建成覆盖全业务、全时空的法律服务网络', '建成覆盖城乡、便捷高效的法律服务网络');
    const { planId, ids, result } = reimport(seedWith([`${T62}${B62}`, `${inserted}${edited62}${B62}`]));

    expect(result).toMatchObject({
      added: ['6.2'], updated: ['6.3'], renumbered: ['6.4', '6.5'], archived: [], unchangedTasks: 17, itemsChanged: 0,
    });
    const now = byKey(planId);
    expect(now['6.2']?.id).toBeGreaterThan(Math.max(...Object.values(ids)));
    expect(now['6.2']?.text).toBe('推进公共法律服务实体平台、热线平台、网络平台融合发展。');
    expect(now['6.3']?.id).toBe(ids['6.2']);
    expect(now['6.3']?.text).toBe(edited62);
    expect(now['6.4']?.id).toBe(ids['6.3']);
    expect(now['6.5']?.id).toBe(ids['6.4']);
    expect([...rawTasks().values()].filter((r) => r.archived_at !== null)).toEqual([]);
  });

  it('archives a wholly rewritten task and adds the new text as a new task', () => {
    const rewritten = '建立健全涉外法律服务工作协调机制,定期研判涉外法律风险。';
    const { planId, ids, result } = reimport(seedWith([T63, rewritten]));

    expect(result).toMatchObject({ added: ['6.3'], updated: [], archived: ['6.3'], unchangedTasks: 19 });
    const now = byKey(planId);
    expect(now['6.3']?.id).not.toBe(ids['6.3']);
    expect(now['6.3']?.text).toBe(rewritten);
    expect(now['6.3']?.units).toEqual([
      { name: '区司法局', role: 'lead' },
      { name: '区经济信息商务局', role: 'co' },
    ]);
    expect(rawTasks().get(ids['6.3'] as number)).toMatchObject({ text: T63, archived_at: LATER.toISOString() });
  });

  it('follows an edited task into the next item', () => {
    const edited64 = T64.replace('促进公共服务多元化供给', '促进公共服务优质均衡供给');
    const item7 = SEED_TEXT.split('\n').find((l) => l.startsWith('7.')) as string;
    const title7 = item7.slice(0, item7.indexOf('。') + 1);
    const { planId, ids, result } = reimport(seedWith(
      [`${T64}(责任单位:区级有关部门)`, ''],
      [title7, `${title7}${edited64}(责任单位:区级有关部门)`],
    ));

    expect(result).toMatchObject({ added: [], archived: [] });
    const moved = liveTasks(planId).find((t) => t.text === edited64);
    expect(moved?.id).toBe(ids['6.4']);
    expect(moved?.key).toBe('7.1');
    expect(byKey(planId)['7.2']?.id).toBe(ids['7.1']);
  });
});
