/** A Store on a real temporary SQLite file, and raw reads of that file through an independent connection. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { ParsedPlan, PlanItem, PlanTask } from '../../src/plan/types';
import { Store, type TreeTask } from '../../src/store/store';

export const NOW = new Date('2025-03-01T08:00:00Z');
export const LATER = new Date('2025-04-01T08:00:00Z');
export const LATEST = new Date('2025-05-01T08:00:00Z');

export function task(id: string, text: string, units: string[], leads = units.slice(0, 1), extra: Partial<PlanTask> = {}): PlanTask {
  return { id, text, units, leads, qualifier: null, deadline: null, ...extra };
}

export function item(number: number, section: string | null, title: string, tasks: PlanTask[]): PlanItem {
  return { number, label: null, section, title, tasks };
}

/** A small plan: 3 items, 5 tasks, 6 units. */
export function basePlan(): ParsedPlan {
  return {
    title: '2025年秀洲区法治政府建设工作要点',
    year: 2025,
    issuer: '秀洲区人民政府办公室',
    date: '2025-02-20',
    sections: [
      { number: '一', title: '依法全面履行政府职能' },
      { number: '二', title: '健全依法行政制度体系' },
    ],
    items: [
      item(1, '一', '深化行政审批制度改革。', [
        task('1.1', '推进政务服务标准化。', ['区行政审批局', '区市场监管局']),
        task('1.2', '开展证明事项清理。', ['区司法局'], ['区司法局'], { qualifier: '按职责分工落实' }),
      ]),
      item(2, '一', '优化法治化营商环境。', [
        task('2.1', '落实公平竞争审查制度。', ['区市场监管局', '区发改局', '区司法局'], ['区市场监管局', '区发改局']),
      ]),
      item(3, '二', '加强规范性文件监督管理。', [
        task('3.1', '开展规范性文件清理。', ['区司法局', '各镇人民政府(街道办事处)'], [], { deadline: '2025-06-30' }),
        task('3.2', '推进合法性审查全覆盖。', ['区司法局', '区级有关部门']),
      ]),
    ],
    warnings: [],
  };
}

export interface TempDb {
  readonly file: string;
  readonly store: Store;
}

/** Registers beforeEach/afterEach that open a Store on a fresh temp file and remove it afterwards. */
export function useTempStore(prefix: string): TempDb {
  let dir = '';
  let current: { file: string; store: Store } | undefined;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    const file = path.join(dir, 'duban.db');
    current = { file, store: Store.open(file) };
  });
  afterEach(() => {
    current?.store.close();
    current = undefined;
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const get = () => {
    if (!current) throw new Error('temp store used outside a test');
    return current;
  };
  return {
    get file() {
      return get().file;
    },
    get store() {
      return get().store;
    },
  };
}

function withRaw<T>(file: string, read: (db: Database.Database) => T): T {
  const db = new Database(file, { readonly: true });
  try {
    return read(db);
  } finally {
    db.close();
  }
}

/** Every row of every table plus user_version. */
export function dump(file: string): Record<string, string[]> {
  return withRaw(file, (db) => {
    const tables = db
      .prepare<[], string>("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
      .pluck()
      .all();
    const out: Record<string, string[]> = { user_version: [String(db.pragma('user_version', { simple: true }))] };
    for (const t of tables) out[t] = db.prepare(`SELECT * FROM "${t}"`).all().map((r) => JSON.stringify(r)).sort();
    return out;
  });
}

/** Moves the WAL into the main file and empties it; returns the main file's bytes. */
export function checkpointedBytes(file: string): Buffer {
  const db = new Database(file);
  try {
    const [res] = db.pragma('wal_checkpoint(TRUNCATE)') as { busy: number }[];
    if (res?.busy !== 0) throw new Error('checkpoint blocked');
  } finally {
    db.close();
  }
  return fs.readFileSync(file);
}

export interface RawTask {
  id: number;
  item_id: number;
  task_key: string;
  text: string;
  archived_at: string | null;
}

export interface RawItem {
  id: number;
  number: number;
  title: string;
  archived_at: string | null;
}

/** Every task row, archived ones included, by id. */
export function rawTasks(file: string): Map<number, RawTask> {
  return withRaw(file, (db) => {
    const rows = db.prepare<[], RawTask>('SELECT id, item_id, task_key, text, archived_at FROM tasks ORDER BY id').all();
    return new Map(rows.map((r) => [r.id, r]));
  });
}

/** Every item row, archived ones included, by id. */
export function rawItems(file: string): Map<number, RawItem> {
  return withRaw(file, (db) => {
    const rows = db.prepare<[], RawItem>('SELECT id, number, title, archived_at FROM items ORDER BY id').all();
    return new Map(rows.map((r) => [r.id, r]));
  });
}

export function liveTasks(store: Store, planId: number): TreeTask[] {
  return store.getPlanTree(planId)?.items.flatMap((i) => i.tasks) ?? [];
}

export function byKey(store: Store, planId: number): Record<string, TreeTask> {
  return Object.fromEntries(liveTasks(store, planId).map((t) => [t.key, t]));
}

export function idsByKey(store: Store, planId: number): Record<string, number> {
  return Object.fromEntries(liveTasks(store, planId).map((t) => [t.key, t.id]));
}

/** Live item row ids by item number (read raw: the tree does not show item ids). */
export function itemIdsByNumber(file: string): Record<number, number> {
  return Object.fromEntries(
    [...rawItems(file).values()].filter((r) => r.archived_at === null).map((r) => [r.number, r.id]),
  );
}
