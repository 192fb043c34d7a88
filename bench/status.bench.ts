/**
 * Status at province scale: a synthetic database of 100 plans, 6,000 units, 500,000 assignments and 2 million
 * reports (province-db.ts), and from a cold start (a fresh worker thread each, status-worker.ts) the time to open
 * the store, build a StatusView and answer: the whole board's colours and counts (`summary()`), the whole board
 * with every assignment (`board()`), one unit, the busiest unit, and one item. Beside each figure, the bare SQL
 * read of the rows it stands on, measured the same way (status-baseline.ts).
 *
 * Before anything is reported the answers are checked against each other: the summary's counts add up to the
 * duties the generator wrote, repeat across workers, and agree with board() and with unitStatus and itemStatus.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { instantOf } from '../src/calendar/civil-date';
import { WorkdayCalendar } from '../src/calendar/workday-calendar';
import { defaultRule } from '../src/app/schedule-run';
import { loadConfig } from '../src/config';
import { cyclesOn } from '../src/schedule/reporting-cycle';
import type { LightCounts } from '../src/status/light';
import { median, type Reps, type Timing } from './measure';
import { BenchCheckError } from './plan-import.bench';
import { buildProvinceDb, PROVINCE_TODAY, type ProvinceDb, type ProvinceScale, type ProvinceTexts } from './province-db';
import type { StatusBaseline } from './status-baseline';
import type { StatusOp, WorkerInput, WorkerOutput } from './status-worker';
import type { TempFiles } from './temp-files';

export interface StatusOptions {
  scale: ProvinceScale;
  /** Summary, unit and item: each run a new worker. */
  reps: Reps;
  /** board() builds an object per assignment: seconds at full scale. */
  boardReps: Reps;
}

export interface Measured {
  timing: Timing;
  base: Timing;
}

export interface StatusBench {
  db: ProvinceDb;
  /** The database's size once upgraded and the duty index kept (with its WAL). */
  bytes: number;
  cycles: [active: string, previous: string];
  /** Median time a worker took to parse the units directory (before its timer). */
  directoryMs: number;
  /** The first summary after the database was written: builds the duty index and keeps it in status_cache. */
  firstSummary: number;
  summary: Measured;
  board: Measured;
  unit: Measured;
  busiest: Measured;
  item: Measured;
  itemTasks: number;
}

function check(ok: boolean, message: string): void {
  if (!ok) throw new BenchCheckError(message);
}

function runWorker(input: WorkerInput): Promise<WorkerOutput> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(path.join(__dirname, 'status-worker.js'), { workerData: input });
    let out: WorkerOutput | null = null;
    worker.once('message', (m: WorkerOutput) => (out = m));
    worker.once('error', reject);
    worker.once('exit', (code) => (out && code === 0 ? resolve(out) : reject(new Error(`状态基准的工作线程异常退出（退出码 ${code}）`))));
  });
}

/** `reps.warmup` discarded runs (the page cache), then `reps.runs` timed ones, each in a new worker. */
async function timeWorkers(reps: Reps, input: WorkerInput): Promise<{ timing: Timing; results: unknown[]; directoryMs: number[] }> {
  const samples: number[] = [];
  const results: unknown[] = [];
  const directoryMs: number[] = [];
  for (let i = 0; i < reps.warmup + reps.runs; i++) {
    const out = await runWorker(input);
    results.push(out.result);
    if (out.directoryMs) directoryMs.push(out.directoryMs);
    if (i >= reps.warmup) samples.push(out.ms);
  }
  return { timing: { median: median(samples), min: Math.min(...samples), max: Math.max(...samples), runs: samples.length }, results, directoryMs };
}

const sum = (c: LightCounts): number => c.green + c.yellow + c.red;
const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

interface SummaryResult {
  totals: { assignments: LightCounts; tasks: LightCounts; items: LightCounts; units: LightCounts; reported: number };
  cycle: string | null;
  units: number;
  items: number;
  sections: number;
  unitCounts: (LightCounts | null)[];
  itemCounts: LightCounts | null;
}

export async function benchStatus(opts: StatusOptions, texts: ProvinceTexts, tmp: TempFiles): Promise<StatusBench> {
  const file = tmp.nextDb();
  try {
    const db = buildProvinceDb(file, opts.scale, texts);
    const directoryFile = path.join(tmp.dir, 'province-units.yaml');
    fs.writeFileSync(directoryFile, db.directoryYaml);

    const config = loadConfig({});
    const calendar = WorkdayCalendar.create(null);
    const pair = cyclesOn(defaultRule(config), PROVINCE_TODAY, (d) => calendar.shift(d, config.DUE_ON_HOLIDAY));
    const cycles: [string, string] = [pair.active.id, pair.previous.id];
    const now = instantOf(PROVINCE_TODAY, '10:00', config.TIMEZONE);
    const input = (op: StatusOp): WorkerInput => ({ file, directoryFile, now, op });
    const baseline = (b: StatusBaseline): WorkerInput => input({ kind: 'baseline', baseline: b });
    const { sampleUnit, busiestUnit, sampleItem } = db;
    const summaryOp: StatusOp = { kind: 'summary', units: [sampleUnit.name, busiestUnit.name], item: { planId: sampleItem.planId, number: sampleItem.number } };

    // —— the first summary builds the duty index; then every worker reads it ——
    const first = await runWorker(input(summaryOp));
    const bytes = fs.statSync(file).size + (fs.existsSync(`${file}-wal`) ? fs.statSync(`${file}-wal`).size : 0);
    const s0 = first.result as SummaryResult;
    check(sum(s0.totals.assignments) === db.counts.duties, `汇总共有 ${sum(s0.totals.assignments)} 项单位任务，生成器写入的是 ${db.counts.duties} 项。`);
    check(s0.units === db.counts.dutyUnits, `汇总共有 ${s0.units} 个单位，应为 ${db.counts.dutyUnits} 个。`);
    check(sum(s0.totals.tasks) === db.counts.tasks && s0.items === db.counts.items, `汇总的任务数或事项数与生成器写入的不一致。`);
    check(s0.cycle === cycles[0], `汇总的本期为 ${s0.cycle}，应为 ${cycles[0]}。`);
    check(s0.totals.reported > 0 && s0.totals.assignments.red > 0 && s0.totals.assignments.green > 0, '汇总中应当既有已报送、也有红灯和绿灯。');
    const summary = await timeWorkers(opts.reps, input(summaryOp));
    check(summary.results.every((r) => same(r, s0)), '各次汇总的结果不一致。');
    const summaryBase = await timeWorkers(opts.reps, baseline({ kind: 'scan', cycles }));

    // —— one unit, the busiest unit, one item ——
    const unitOf = async (name: string, expected: number, counts: LightCounts | null): Promise<Measured> => {
      const t = await timeWorkers(opts.reps, input({ kind: 'unit', unit: name }));
      for (const r of t.results as ({ counts: LightCounts; assignments: number } | null)[]) {
        check(r !== null && r.assignments === expected, `${name} 应有 ${expected} 项单位任务，unitStatus 给出 ${r?.assignments ?? 0} 项。`);
        check(same(r?.counts, counts), `${name} 的红黄绿灯计数与汇总不一致。`);
      }
      return { timing: t.timing, base: (await timeWorkers(opts.reps, baseline({ kind: 'unit', unit: name, cycles }))).timing };
    };
    const unit = await unitOf(sampleUnit.name, sampleUnit.duties, s0.unitCounts[0] ?? null);
    const busiest = await unitOf(busiestUnit.name, busiestUnit.duties, s0.unitCounts[1] ?? null);
    const item = await timeWorkers(opts.reps, input({ kind: 'item', number: sampleItem.number, planId: sampleItem.planId }));
    for (const r of item.results as { counts: LightCounts; tasks: number; assignments: number }[][]) {
      check(r.length === 1 && r[0]?.tasks === sampleItem.tasks && r[0]?.assignments === sampleItem.duties, `第${sampleItem.number}项应有 ${sampleItem.tasks} 项任务、${sampleItem.duties} 项单位任务。`);
      check(same(r[0]?.counts, s0.itemCounts), `第${sampleItem.number}项的红黄绿灯计数与汇总不一致。`);
    }
    const itemBase = await timeWorkers(opts.reps, baseline({ kind: 'item', planId: sampleItem.planId, number: sampleItem.number, cycles }));

    // —— board(): every assignment ——
    const board = await timeWorkers(opts.boardReps, input({ kind: 'board' }));
    for (const r of board.results as SummaryResult[]) {
      check(same(r.totals, s0.totals) && r.units === s0.units && r.items === s0.items && r.sections === s0.sections, 'board() 与 summary() 的计数不一致。');
    }
    const boardBase = await timeWorkers(opts.boardReps, baseline({ kind: 'read', cycles }));

    return {
      db,
      bytes,
      cycles,
      directoryMs: median([first.directoryMs, ...summary.directoryMs]),
      firstSummary: first.ms,
      summary: { timing: summary.timing, base: summaryBase.timing },
      board: { timing: board.timing, base: boardBase.timing },
      unit,
      busiest,
      item: { timing: item.timing, base: itemBase.timing },
      itemTasks: sampleItem.tasks,
    };
  } finally {
    tmp.removeDb(file);
  }
}
