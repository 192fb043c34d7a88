/**
 * report_latest and report_done, the newest live report per task, unit and cycle and the pairs whose newest live
 * report says done, always agree with the reports they are derived from: after any sequence of reports and
 * withdrawals, and after the migration that backfills them on an existing database.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { migrate, migrations, REPORT_LATEST_VERSION } from '../../src/store/migrations';
import { REPORT_STATUSES, Store, type ReportStatus } from '../../src/store/store';
import { basePlan, NOW } from './temp-db';

const STATUSES: ReportStatus[] = ['not_started', 'in_progress', 'done', 'blocked'];
const UNITS = ['区司法局', '区市场监管局', '王江泾镇'];
const CYCLES = ['2025-07', '2025-08', '2025-09', '2025-W38'];

type Step = { kind: 'add'; task: number; unit: number; cycle: number; status: number } | { kind: 'withdraw'; pick: number };

const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('add' as const), task: fc.nat(4), unit: fc.nat(2), cycle: fc.nat(3), status: fc.nat(3) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('withdraw' as const), pick: fc.nat() }) },
);

interface Derived {
  latest: string[];
  done: string[];
}

/** report_latest and report_done as they are, one sorted line per row (with whether fact packs the row's values). */
function stored(db: Database.Database): Derived {
  type Row = { cycle: string; task_id: number; unit_id: number; name: string; report_id: number; status: ReportStatus; fact: number };
  const packed = (r: Row) => r.fact === (r.task_id * 1048576 + r.unit_id) * 4 + REPORT_STATUSES.indexOf(r.status);
  return {
    latest: db
      .prepare<[], Row>('SELECT l.*, u.name FROM report_latest l JOIN status_units u ON u.id = l.unit_id')
      .all()
      .map((r) => `${r.cycle}|${r.task_id}|${r.name}|${r.report_id}|${r.status}${packed(r) ? '' : '|fact wrong'}`)
      .sort(),
    done: db
      .prepare<[], string>("SELECT d.task_id || '|' || u.name FROM report_done d JOIN status_units u ON u.id = d.unit_id")
      .pluck()
      .all()
      .sort(),
  };
}

/** What they should hold, computed in JS from every report row. */
function expected(db: Database.Database): Derived {
  type Row = { id: number; task_id: number; unit: string; cycle: string; status: string; withdrawn_at: string | null };
  const live = db.prepare<[], Row>('SELECT id, task_id, unit, cycle, status, withdrawn_at FROM reports ORDER BY id').all().filter((r) => r.withdrawn_at === null);
  const latest = new Map<string, Row>();
  const newest = new Map<string, Row>();
  for (const r of live) {
    latest.set(`${r.cycle}|${r.task_id}|${r.unit}`, r);
    newest.set(`${r.task_id}|${r.unit}`, r);
  }
  return {
    latest: [...latest].map(([k, r]) => `${k}|${r.id}|${r.status}`).sort(),
    done: [...newest].filter(([, r]) => r.status === 'done').map(([k]) => k).sort(),
  };
}

describe('report_latest and report_done', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'duban-latest-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('follow every report and withdrawal, in and outside an outer transaction', () => {
    let run = 0;
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 40 }), fc.boolean(), (steps, outer) => {
        const file = path.join(dir, `run-${run++}.db`);
        const store = Store.open(file);
        const raw = new Database(file, { readonly: true });
        try {
          store.importPlan(basePlan(), { name: 'plan.txt', sha256: 'x' }, NOW);
          const taskIds = store.getPlanTree(store.listPlans()[0]!.id)!.items.flatMap((i) => i.tasks.map((t) => t.id));
          const ids: number[] = [];
          const apply = (s: Step, k: number): void => {
            if (s.kind === 'add') {
              ids.push(
                store.reports.add({
                  taskId: taskIds[s.task % taskIds.length]!,
                  unit: UNITS[s.unit]!,
                  cycle: CYCLES[s.cycle]!,
                  status: STATUSES[s.status]!,
                  reportedAt: new Date(NOW.getTime() + k * 60_000),
                }),
              );
            } else if (ids.length) {
              store.reports.withdraw(ids[s.pick % ids.length]!, new Date(NOW.getTime() + k * 60_000));
            }
          };
          if (outer) store.transaction(() => steps.forEach(apply));
          else steps.forEach(apply);
          expect(stored(raw)).toEqual(expected(raw));
        } finally {
          raw.close();
          store.close();
        }
      }),
      { numRuns: 40 },
    );
  });

  it('are backfilled by the migration from the reports already stored', () => {
    const file = path.join(dir, 'old.db');
    const old = new Database(file);
    migrate(old, migrations.filter((m) => m.version < REPORT_LATEST_VERSION));
    old.exec(`INSERT INTO plans (id, title, created_at, updated_at) VALUES (1, 'p', 'x', 'x');
      INSERT INTO items (id, plan_id, number, title, position, created_at, updated_at) VALUES (1, 1, 1, 'i', 0, 'x', 'x');`);
    const task = old.prepare("INSERT INTO tasks (id, plan_id, item_id, task_key, text, position, created_at, updated_at) VALUES (?, 1, 1, ?, 't', ?, 'x', 'x')");
    for (let t = 1; t <= 5; t++) task.run(t, `1.${t}`, t);
    const insert = old.prepare('INSERT INTO reports (task_id, unit, cycle, status, reported_at, withdrawn_at) VALUES (?, ?, ?, ?, ?, ?)');
    // A fixed pseudo-random history: corrections in a cycle, withdrawals (also of the newest), done then more reports.
    let h = 7;
    old.transaction(() => {
      for (let k = 0; k < 400; k++) {
        h = (h * 1103515245 + 12345) % 2147483648;
        insert.run(1 + (h % 5), UNITS[(h >> 4) % 3], CYCLES[(h >> 7) % 4], STATUSES[(h >> 10) % 4], `2025-09-01T00:${String(k % 60).padStart(2, '0')}:00Z`, (h >> 13) % 5 === 0 ? 'w' : null);
      }
    })();
    migrate(old);
    const want = expected(old);
    expect(want.latest.length).toBeGreaterThan(20);
    expect(want.done.length).toBeGreaterThan(0);
    expect(stored(old)).toEqual(want);
    old.close();
  });
});
