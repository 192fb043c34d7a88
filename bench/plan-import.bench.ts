/**
 * The measurements themselves: parsing, importing into a fresh SQLite file, and re-importing an unchanged
 * plan under a new sha256, each beside its baseline (see baseline.ts). Every measurement first checks that
 * the code under test did the right thing: a benchmark of a wrong parse or a silently failing import is
 * worthless, so a mismatch throws.
 */
import { createHash } from 'node:crypto';
import { parsePlan } from '../src/plan/parse-plan';
import type { ParsedPlan } from '../src/plan/types';
import { Store } from '../src/store/store';
import { baselineSplit, consume, countRows, insertBaseline, openRaw, readBackBaseline, type PlanRows } from './baseline';
import { time, timeSync, type Reps, type Timing } from './measure';
import type { TempFiles } from './temp-files';

/** A fixed clock: the importer only writes it into timestamps. */
export const NOW = new Date('2025-03-01T08:00:00Z');

export class BenchCheckError extends Error {}

function check(ok: boolean, message: string): void {
  if (!ok) throw new BenchCheckError(message);
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export interface Expectation {
  items: number;
  /** Tasks expected in the parse; checked when given. */
  tasks?: number;
}

/** Throws unless the plan has exactly the expected items (numbered 1..N) and tasks, each task with a unit. */
export function verifyParse(plan: ParsedPlan, expect: Expectation, what: string): void {
  check(
    plan.items.length === expect.items,
    `${what}：应解析出 ${expect.items} 项，实际 ${plan.items.length} 项。解析结果不对，基准测试没有意义。`,
  );
  const badNumber = plan.items.findIndex((item, i) => item.number !== i + 1);
  check(badNumber < 0, `${what}：第 ${badNumber + 1} 个事项的编号是 ${plan.items[badNumber]?.number}，应为 ${badNumber + 1}。`);
  const tasks = plan.items.reduce((n, i) => n + i.tasks.length, 0);
  if (expect.tasks !== undefined) {
    check(tasks === expect.tasks, `${what}：应解析出 ${expect.tasks} 项任务，实际 ${tasks} 项。`);
  }
  const orphan = plan.items.flatMap((i) => i.tasks).find((t) => t.units.length === 0);
  check(!orphan, `${what}：任务 ${orphan?.id} 没有解析出责任单位。`);
}

export interface ParseBench {
  plan: ParsedPlan;
  rows: PlanRows;
  parse: Timing;
  baseline: Timing;
}

export function benchParse(text: string, reps: Reps, expect: Expectation, what: string): ParseBench {
  const plan = parsePlan(text);
  verifyParse(plan, expect, what);
  const parse = time(reps, () => consume(parsePlan(text).items.length));
  const baseline = time(reps, () => consume(baselineSplit(text)));
  return { plan, rows: countRows(plan), parse, baseline };
}

interface Fresh {
  file: string;
  store: Store;
}

function freshStore(tmp: TempFiles): Fresh {
  const file = tmp.nextDb();
  return { file, store: Store.open(file) };
}

function dispose(tmp: TempFiles, fresh: Fresh): void {
  fresh.store.close();
  tmp.removeDb(fresh.file);
}

/** Imports once into a fresh file and checks the rows written against the plan. */
function verifyImport(plan: ParsedPlan, rows: PlanRows, tmp: TempFiles, what: string): void {
  const fresh = freshStore(tmp);
  try {
    const result = fresh.store.importPlan(plan, { name: 'bench.txt', sha256: sha256(what) }, NOW);
    check(result.created && result.added.length === rows.tasks, `${what}：首次导入应新增 ${rows.tasks} 项任务，实际 ${result.added.length} 项。`);
    const stored = fresh.store.countRows();
    const expected = { ...rows, plans: 1, planImports: 1 };
    for (const [key, value] of Object.entries(expected)) {
      const got = stored[key as keyof typeof stored];
      check(got === value, `${what}：导入后表 ${key} 应有 ${value} 行，实际 ${got} 行。`);
    }
  } finally {
    dispose(tmp, fresh);
  }
}

/** Checks that the insert baseline writes exactly the rows the importer writes. */
function verifyBaseline(plan: ParsedPlan, rows: PlanRows, tmp: TempFiles, what: string): void {
  const file = tmp.nextDb();
  try {
    const base = insertBaseline(file);
    base.run(plan, NOW.toISOString());
    base.close();
    const store = Store.open(file);
    const stored = store.countRows();
    store.close();
    check(
      stored.tasks === rows.tasks && stored.assignments === rows.assignments && stored.units === rows.units,
      `${what}：基线写入的行数与导入不一致。`,
    );
  } finally {
    tmp.removeDb(file);
  }
}

export interface ImportBench {
  import: Timing;
  baseline: Timing;
}

/** importPlan into a fresh, migrated database file (opening it is not timed). */
export function benchImport(plan: ParsedPlan, rows: PlanRows, reps: Reps, tmp: TempFiles, what: string): ImportBench {
  verifyImport(plan, rows, tmp, what);
  verifyBaseline(plan, rows, tmp, what);
  const source = { name: 'bench.txt', sha256: sha256(what) };
  const imp = timeSync(
    reps,
    () => freshStore(tmp),
    (f) => consume(f.store.importPlan(plan, source, NOW).tasks),
    (f) => dispose(tmp, f),
  );
  const now = NOW.toISOString();
  const baseline = timeSync(
    reps,
    () => {
      const file = tmp.nextDb();
      return { file, base: insertBaseline(file) };
    },
    (b) => b.base.run(plan, now),
    (b) => {
      b.base.close();
      tmp.removeDb(b.file);
    },
  );
  return { import: imp, baseline };
}

/** The seed's headline figure: parsePlan and importPlan together, into a fresh file. */
export function benchParseImport(text: string, reps: Reps, tmp: TempFiles): Timing {
  const source = { name: 'bench.txt', sha256: sha256(text) };
  return timeSync(
    reps,
    () => freshStore(tmp),
    (f) => consume(f.store.importPlan(parsePlan(text), source, NOW).tasks),
    (f) => dispose(tmp, f),
  );
}

/** Parse baseline plus insert baseline, run back to back the same way. */
export function benchParseImportBaseline(text: string, plan: ParsedPlan, reps: Reps, tmp: TempFiles): Timing {
  const now = NOW.toISOString();
  return timeSync(
    reps,
    () => {
      const file = tmp.nextDb();
      return { file, base: insertBaseline(file) };
    },
    (b) => {
      consume(baselineSplit(text));
      b.base.run(plan, now);
    },
    (b) => {
      b.base.close();
      tmp.removeDb(b.file);
    },
  );
}

/**
 * Re-imports the same plan under a new sha256 each run: the full diff runs and finds nothing to change.
 * The baseline reads the plan's live tasks and assignments back with two SELECTs.
 */
export function benchReimport(plan: ParsedPlan, rows: PlanRows, reps: Reps, tmp: TempFiles, what: string): ImportBench {
  const fresh = freshStore(tmp);
  try {
    fresh.store.importPlan(plan, { name: 'bench.txt', sha256: sha256(`${what}#0`) }, NOW);
    let n = 0;
    const nextSource = () => ({ name: 'bench.txt', sha256: sha256(`${what}#${++n}`) });
    const first = fresh.store.importPlan(plan, nextSource(), NOW);
    check(
      !first.unchanged &&
        first.added.length === 0 &&
        first.updated.length === 0 &&
        first.archived.length === 0 &&
        first.unchangedTasks === rows.tasks,
      `${what}：重新导入同一计划应走“无变化”的比对路径，实际新增 ${first.added.length}、更新 ${first.updated.length}、归档 ${first.archived.length}。`,
    );
    const reimport = timeSync(reps, nextSource, (source) => consume(fresh.store.importPlan(plan, source, NOW).unchangedTasks));
    const reader = openRaw(fresh.file);
    try {
      const read = readBackBaseline(reader);
      const baseline = time(reps, () => consume(read(plan.title)));
      return { import: reimport, baseline };
    } finally {
      reader.close();
    }
  } finally {
    dispose(tmp, fresh);
  }
}
