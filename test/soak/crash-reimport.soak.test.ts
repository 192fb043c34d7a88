/**
 * Crash soak, plan re-import: `duban plan import <version 2> --plan 1` over a database holding version 1 of a large
 * plan, killed with SIGKILL at a seeded random moment: mostly just after the command opened the database (inside
 * the import transaction or just after its commit), sometimes while it is still parsing. Afterwards the database is
 * exactly version 1 or exactly version 2 (every row of the plan tables but timestamps), SQLite finds it intact,
 * and the import run again succeeds. `SOAK_RUNS` runs, run i seeded `SOAK_SEED + i`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parsePlan } from '../../src/plan/parse-plan';
import { Store } from '../../src/store/store';
import { runCli, runCliAsync, startCli, tempDir } from '../helpers/run-cli';
import { integrityCheck, parsedTasks, planSnapshot, type PlanSnapshot } from './plan-snapshot';
import { planVersions } from './plan-versions';
import { say, seededRandom, soakRuns, spread } from './soak-runs';

/** Items of the synthetic plan: large enough that the import transaction takes a good fraction of a second. */
const ITEMS = 2000;

const soak = soakRuns();
const { dir, cleanup } = tempDir('duban-soak-reimport-');
const v1File = path.join(dir, 'plan-v1.txt');
const v2File = path.join(dir, 'plan-v2.txt');
const baseDb = path.join(dir, 'v1.db');
let oldSnap: PlanSnapshot;
let newSnap: PlanSnapshot;
/** The uninterrupted re-import, from spawn to exit, and its transaction alone (measured in this process). */
let totalMs = 0;
let importMs = 0;
/** The uninterrupted re-import from opening the database to its exit. */
let afterOpenMs = 0;

function copyDb(to: string): void {
  for (const suffix of ['-wal', '-shm']) expect(fs.existsSync(baseDb + suffix)).toBe(false);
  fs.copyFileSync(baseDb, to);
}

function walBytes(db: string): number {
  return fs.existsSync(`${db}-wal`) ? fs.statSync(`${db}-wal`).size : 0;
}

beforeAll(async () => {
  const { v1, v2 } = planVersions(ITEMS);
  fs.writeFileSync(v1File, v1);
  fs.writeFileSync(v2File, v2);
  expect(runCli(['--db', baseDb, 'plan', 'import', v1File]).status).toBe(0);
  oldSnap = planSnapshot(baseDb);

  const refDb = path.join(dir, 'v2.db');
  copyDb(refDb);
  const started = Date.now();
  let openedAt = 0;
  const watcher = fs.watch(dir, (_event, name) => {
    if (!openedAt && name === 'v2.db-shm') openedAt = Date.now();
  });
  const r = await runCliAsync(['--db', refDb, 'plan', 'import', v2File, '--plan', '1']);
  watcher.close();
  totalMs = Date.now() - started;
  expect(r.status).toBe(0);
  expect(openedAt).toBeGreaterThan(0);
  afterOpenMs = Date.now() - openedAt;
  newSnap = planSnapshot(refDb);

  const timed = path.join(dir, 'timed.db');
  copyDb(timed);
  const plan = parsePlan(v2);
  const store = Store.open(timed);
  const t0 = Date.now();
  store.importPlan(plan, { name: 'plan-v2.txt', sha256: 'x' }, new Date(), { planId: 1 });
  importMs = Date.now() - t0;
  store.close();

  // The two references are what each version's parse gives.
  expect(oldSnap.live).toEqual(parsedTasks(parsePlan(v1)));
  expect(newSnap.live).toEqual(parsedTasks(plan));
  expect(newSnap.live).not.toEqual(oldSnap.live);
  say(
    `reimport: ${ITEMS} items; uninterrupted re-import ${totalMs} ms, ${afterOpenMs} ms of it after opening the database ` +
      `(the transaction alone about ${importMs} ms in this process); base seed ${soak.baseSeed}`,
  );
}, 120_000);

afterAll(() => cleanup());

describe('SIGKILL during a plan re-import', () => {
  it(`leaves the old plan or the new one, never a mix (${soak.runs} runs)`, async () => {
    const outcomes = { before: 0, inside: 0, committed: 0, finished: 0 };
    const delays: number[] = [];
    const durations: number[] = [];
    for (let i = 0; i < soak.runs; i++) {
      const seed = soak.seedOf(i);
      const random = seededRandom(seed);
      // One run in five is killed while the file is still being read and parsed; the others after the command
      // opened the database (the import transaction follows at once), within the time the uninterrupted run took
      // from there to its exit, so most land inside the transaction and some after its commit.
      const early = random() < 0.2;
      const delay = Math.round(random() * (early ? totalMs - afterOpenMs : afterOpenMs));
      const anchor = early ? 'the start' : 'the database was opened';
      delays.push(delay);
      say(`reimport run ${i + 1}/${soak.runs} seed=${seed} kill ${delay} ms after ${anchor}`);
      const started = Date.now();
      const db = path.join(dir, `run-${i}.db`);
      copyDb(db);
      const cli = startCli(['--db', db, 'plan', 'import', v2File, '--plan', '1']);
      let signal: NodeJS.Signals | null = null;
      cli.child.once('exit', (_code, s) => (signal = s));
      const kill = () => setTimeout(() => cli.child.kill('SIGKILL'), delay);
      let timer: NodeJS.Timeout | null = early ? kill() : null;
      let opened = false;
      // Opening a WAL database creates its -shm file: the command has parsed the plan and is about to import it.
      const watcher = early
        ? null
        : fs.watch(dir, (_event, name) => {
            if (opened || name !== `run-${i}.db-shm`) return;
            opened = true;
            timer = kill();
          });
      const result = await cli.done;
      watcher?.close();
      if (timer) clearTimeout(timer);
      const wal = walBytes(db);

      const where = `run ${i + 1} (SOAK_SEED=${seed} SOAK_RUNS=1)`;
      expect([where, integrityCheck(db)]).toEqual([where, 'ok']);
      const after = planSnapshot(db);
      const isOld = JSON.stringify(after) === JSON.stringify(oldSnap);
      const isNew = JSON.stringify(after) === JSON.stringify(newSnap);
      if (!isOld && !isNew) throw new Error(`${where}: the database is neither version 1 nor version 2 after the kill`);
      if (signal === null) {
        expect([where, result.status, isNew]).toEqual([where, 0, true]);
        outcomes.finished++;
      } else if (isNew) outcomes.committed++;
      else if (early) outcomes.before++;
      else outcomes.inside++;

      // The admin runs the import again: it succeeds and gives version 2.
      const again = await runCliAsync(['--db', db, 'plan', 'import', v2File, '--plan', '1']);
      expect([where, again.status, again.stderr.includes('错误')]).toEqual([where, 0, false]);
      expect(JSON.stringify(planSnapshot(db)) === JSON.stringify(newSnap)).toBe(true);
      expect([where, integrityCheck(db)]).toEqual([where, 'ok']);
      for (const suffix of ['', '-wal', '-shm']) fs.rmSync(db + suffix, { force: true });
      const ms = Date.now() - started;
      durations.push(ms);
      const outcome = signal
        ? isOld
          ? `old plan (killed ${early ? 'while parsing' : 'inside the import'}; ${wal} bytes of WAL left)`
          : 'new plan (killed after the commit)'
        : 'new plan (finished before the kill)';
      say(`  → ${outcome}, run took ${ms} ms`);
    }
    say(
      `reimport summary: ${soak.runs} runs from seed ${soak.baseSeed}: old ${outcomes.before + outcomes.inside} ` +
        `(${outcomes.inside} killed inside the import, ${outcomes.before} while parsing), new ${outcomes.committed + outcomes.finished} ` +
        `(${outcomes.committed} killed after the commit, ${outcomes.finished} finished first); kill moments ${spread(delays)}; ` +
        `time per run ${spread(durations)}`,
    );
    // With many runs, kills that all end one way mean the window misses the transaction.
    if (soak.runs >= 10) {
      expect(outcomes.inside).toBeGreaterThan(0);
      expect(outcomes.committed + outcomes.finished).toBeGreaterThan(0);
    }
  }, 3_600_000);
});
