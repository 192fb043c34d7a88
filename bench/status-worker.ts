/**
 * One measurement of the status benchmark, in a worker thread of its own so that nothing kept in memory by an
 * earlier measurement helps (the OS page cache does, as it would for a service that was restarted).
 *
 * What a service has at hand before a request arrives is set up first and not timed: the modules, the
 * configuration, the units directory, the working-day calendar (its current year) and SQLite itself (the native
 * module loaded). Then the timer runs from Store.open to the answer.
 */
import fs from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { WorkdayCalendar } from '../src/calendar/workday-calendar';
import { loadConfig } from '../src/config';
import { StatusView } from '../src/status/status-view';
import { Store } from '../src/store/store';
import { parseUnitDirectory } from '../src/units/unit-directory';
import type { StatusBaseline } from './status-baseline';
import { runBaseline } from './status-baseline';

export type StatusOp =
  /** The summary, and (for checking) the entries of some units and one item. */
  | { kind: 'summary'; units: string[]; item: { planId: number; number: number } }
  | { kind: 'board' }
  | { kind: 'unit'; unit: string }
  | { kind: 'item'; number: number; planId: number }
  | { kind: 'baseline'; baseline: StatusBaseline };

export interface WorkerInput {
  file: string;
  directoryFile: string;
  /** The moment the view looks at (ms). */
  now: number;
  op: StatusOp;
}

export interface WorkerOutput {
  ms: number;
  /** What the measured call returned, small enough to compare in the main thread. */
  result: unknown;
  /** Milliseconds to parse the units directory (not timed). */
  directoryMs: number;
}

function main(input: WorkerInput): WorkerOutput {
  const { op } = input;
  let directoryMs = 0;
  if (op.kind === 'baseline') {
    new Database(':memory:').close();
    const start = process.hrtime.bigint();
    const result = runBaseline(input.file, op.baseline);
    return { ms: Number(process.hrtime.bigint() - start) / 1e6, result, directoryMs };
  }
  const d0 = process.hrtime.bigint();
  const directory = parseUnitDirectory(fs.readFileSync(input.directoryFile, 'utf8'), input.directoryFile);
  directoryMs = Number(process.hrtime.bigint() - d0) / 1e6;
  const calendar = WorkdayCalendar.create(null);
  const year = new Date(input.now).getUTCFullYear();
  calendar.workdaysBetween(`${year - 1}-12-31`, `${year}-12-31`);
  const config = loadConfig({});
  new Database(':memory:').close();

  const start = process.hrtime.bigint();
  const store = Store.open(input.file);
  let result: unknown;
  let ms: number | undefined;
  try {
    const view = new StatusView({ store, config, directory: () => directory, calendar, clock: () => input.now });
    if (op.kind === 'summary') {
      const s = view.summary();
      ms = Number(process.hrtime.bigint() - start) / 1e6;
      result = {
        totals: s.totals,
        cycle: s.cycle?.active.id ?? null,
        units: s.units.length,
        items: s.items.length,
        sections: s.sections.length,
        unitCounts: op.units.map((u) => s.units.find((x) => x.unit === u)?.counts ?? null),
        itemCounts: s.items.find((i) => i.planId === op.item.planId && i.number === op.item.number)?.counts ?? null,
      };
    } else if (op.kind === 'board') {
      const b = view.board();
      result = { totals: b.totals, cycle: b.cycle?.active.id ?? null, units: b.units.length, items: b.items.length, sections: b.sections.length };
    } else if (op.kind === 'unit') {
      const u = view.unitStatus(op.unit);
      result = u ? { light: u.light, counts: u.counts, reported: u.reported, assignments: u.assignments.length } : null;
    } else {
      const items = view.itemStatus(op.number, op.planId);
      result = items.map((i) => ({ light: i.light, counts: i.counts, tasks: i.tasks.length, assignments: i.tasks.reduce((n, t) => n + t.leads.length + t.co.length, 0) }));
    }
    ms ??= Number(process.hrtime.bigint() - start) / 1e6;
  } finally {
    store.close();
  }
  return { ms: ms ?? 0, result, directoryMs };
}

parentPort?.postMessage(main(workerData as WorkerInput));
