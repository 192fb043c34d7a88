import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { ParsedPlan } from '../../src/plan/types';
import { latestVersion, migrate, migrations, type Migration } from '../../src/store/migrations';
import { BUSY_TIMEOUT_MS, Store } from '../../src/store/store';

const NOW = new Date('2025-03-01T08:00:00Z');

function smallPlan(title = '2025年秀洲区法治政府建设工作要点'): ParsedPlan {
  return {
    title, year: 2025, issuer: null, date: null, sections: [], warnings: [],
    items: [{
      number: 1, label: null, section: null, title: '优化法治化营商环境。',
      tasks: [{
        id: '1.1', text: '落实公平竞争审查制度。', units: ['区市场监管局', '区司法局'], leads: ['区市场监管局'],
        qualifier: null, deadline: null,
      }],
    }],
  };
}

let dir: string;
const opened: Store[] = [];

function open(file: string): Store {
  const store = Store.open(file);
  opened.push(store);
  return store;
}

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'duban-store-'));
});

afterEach(() => {
  for (const s of opened.splice(0)) s.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function tableNames(file: string): string[] {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare<[], string>("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all();
  } finally {
    db.close();
  }
}

describe('Store.open', () => {
  it('creates missing parent folders and a WAL database at the latest schema version', () => {
    const file = path.join(dir, 'a', 'b', 'duban.db');
    const store = open(file);
    expect(fs.existsSync(file)).toBe(true);
    expect(store.info().schemaVersion).toBe(latestVersion());
    expect(latestVersion()).toBe(migrations.length);
    const raw = new Database(file, { readonly: true });
    try {
      expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(raw.pragma('user_version', { simple: true })).toBe(latestVersion());
    } finally {
      raw.close();
    }
    expect(tableNames(file)).toEqual(
      [
        'admin_alerts', 'app_settings', 'assignments', 'items', 'outbox', 'outbox_attempts', 'plan_imports', 'plans', 'report_done', 'report_latest',
        'reports', 'schedule_state', 'sections', 'status_cache', 'status_units', 'tasks', 'units',
      ],
    );
  });

  it('is idempotent on reopen and keeps the data', () => {
    const file = path.join(dir, 'duban.db');
    const first = open(file);
    const { planId } = first.importPlan(smallPlan(), { name: 'p.docx', sha256: 'a1' }, NOW);
    first.close();
    const again = open(file);
    expect(again.info().schemaVersion).toBe(latestVersion());
    expect(again.listPlans()).toEqual([expect.objectContaining({ id: planId, itemCount: 1, taskCount: 1 })]);
    again.close();
    expect(open(file).countRows()).toMatchObject({ plans: 1, tasks: 1, assignments: 2 });
  });

  it('allows two instances on the same file', () => {
    const file = path.join(dir, 'duban.db');
    const a = open(file);
    const b = open(file);
    const r1 = a.importPlan(smallPlan(), { name: 'p.docx', sha256: 'a1' }, NOW);
    expect(b.listPlans().map((p) => p.id)).toEqual([r1.planId]);
    const r2 = b.importPlan(smallPlan('2025年秀洲区政府工作要点'), { name: 'q.docx', sha256: 'b2' }, NOW);
    expect(a.listPlans().map((p) => p.id)).toEqual([r1.planId, r2.planId]);
    expect(b.importPlan(smallPlan(), { name: 'p.docx', sha256: 'a1' }, NOW).unchanged).toBe(true);
  });

  it('turns foreign keys on and sets a busy timeout', () => {
    const store = open(path.join(dir, 'duban.db'));
    expect(store.info()).toMatchObject({ journalMode: 'wal', foreignKeys: true, busyTimeoutMs: BUSY_TIMEOUT_MS });
  });

  it('refuses a database written by a newer program', () => {
    const file = path.join(dir, 'duban.db');
    const raw = new Database(file);
    raw.pragma('user_version = 999');
    raw.close();
    expect(() => Store.open(file)).toThrow(/数据库版本（999）高于本程序支持的版本/);
  });

  it('works in memory', () => {
    const store = open(':memory:');
    expect(store.hasAnyPlan()).toBe(false);
    store.importPlan(smallPlan(), { name: 'p.docx', sha256: 'a1' }, NOW);
    expect(store.hasAnyPlan()).toBe(true);
  });
});

describe('queries on an empty or unknown plan', () => {
  it('answer empty', () => {
    const store = open(path.join(dir, 'duban.db'));
    expect(store.listPlans()).toEqual([]);
    expect(store.hasAnyPlan()).toBe(false);
    expect(store.getPlanTree(1)).toBeNull();
    expect(store.listUnitNames()).toEqual([]);
    expect(store.listUnitNames(1)).toEqual([]);
  });
});

describe('migrate', () => {
  const steps: Migration[] = [
    { version: 1, name: 'one', up: 'CREATE TABLE one (x INTEGER);' },
    { version: 2, name: 'two', up: 'CREATE TABLE two (y INTEGER);' },
  ];

  it('applies pending steps in order and is idempotent', () => {
    const db = new Database(path.join(dir, 'm.db'));
    try {
      expect(migrate(db, steps.slice(0, 1))).toEqual({ from: 0, to: 1 });
      expect(migrate(db, steps)).toEqual({ from: 1, to: 2 });
      expect(migrate(db, steps)).toEqual({ from: 2, to: 2 });
      expect(db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name IN ('one', 'two')").get()).toEqual({ n: 2 });
    } finally {
      db.close();
    }
  });

  it('rolls a failing step back, version included', () => {
    const db = new Database(path.join(dir, 'm.db'));
    try {
      const bad = [...steps, { version: 3, name: 'bad', up: 'CREATE TABLE three (z INTEGER); SELECT * FROM nowhere;' }];
      expect(() => migrate(db, bad)).toThrow(/nowhere/);
      expect(db.pragma('user_version', { simple: true })).toBe(2);
      expect(db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'three'").get()).toEqual({ n: 0 });
    } finally {
      db.close();
    }
  });

  it('rejects a gap in the version numbers', () => {
    const db = new Database(':memory:');
    try {
      expect(() => migrate(db, [steps[1]!])).toThrow(/数据库迁移编号不连续/);
      expect(db.pragma('user_version', { simple: true })).toBe(0);
    } finally {
      db.close();
    }
  });
});
