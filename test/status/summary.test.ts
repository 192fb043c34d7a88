/**
 * The fast paths of the status view give exactly what the straightforward one does: `summary()` (from the duty
 * index kept in the database and the report facts read in bulk) equals `summarize(board())`, and one unit's or one
 * item's status read from its own tasks equals its part of the board. Checked on the seed plan with randomised
 * deadlines, names written as aliases or out of normal form, collectives, SCHEDULE_OVERRIDES, random reports (some
 * withdrawn, some done, in past, present and weekly cycles) and different days.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { instantOf } from '../../src/calendar/civil-date';
import { WorkdayCalendar } from '../../src/calendar/workday-calendar';
import { loadConfig } from '../../src/config';
import { parsePlan } from '../../src/plan/parse-plan';
import type { ParsedPlan } from '../../src/plan/types';
import { StatusView, type StatusDeps } from '../../src/status/status-view';
import { summarize } from '../../src/status/summary';
import { REPORT_STATUSES, Store } from '../../src/store/store';
import { emptyUnitDirectory, parseUnitDirectory, type UnitDirectory } from '../../src/units/unit-directory';
import { SEED } from '../helpers/run-cli';
import { UNITS_FILE } from '../reminders/seed-duties';
import { useTempStore } from '../store/temp-db';

const SEED_PLAN = parsePlan(fs.readFileSync(SEED, 'utf8'));
const DIRECTORY = parseUnitDirectory(fs.readFileSync(UNITS_FILE, 'utf8'), UNITS_FILE);

const DAYS = ['2025-08-26', '2025-09-15', '2025-09-24', '2025-09-29', '2025-10-09'];
const DEADLINES = [null, null, '2025-09-10', '2025-09-16', '2025-09-17', '2025-09-26', '2025-09-30', '2025-10-10', '2025-12-31'];
const CYCLES = ['2025-06', '2025-07', '2025-08', '2025-09', '2025-10', '2025-W38', '2025-W39', '2025-W40', '2025-W41'];
const SETTINGS: Record<string, string>[] = [
  {},
  { REPORT_DUE_DAY: '30' },
  { SCHEDULE_OVERRIDES: '第3项=每周五' },
  { SCHEDULE_OVERRIDES: '第3项=每周五；区司法局=每月20日；第7项=每季度10日', WARN_WITHIN_WORKDAYS: '4' },
];
/** Other spellings of units the seed plan names: aliases from data/units.yaml, and names out of normal form. */
const SPELLINGS: Record<string, string[]> = {
  区发展和改革局: ['区发改局', '区发展和改革局 '],
  区司法局: ['司法局', '区 司法局'],
  区市场监管局: ['区市场监督管理局'],
  '各镇人民政府(街道办事处)': ['各镇人民政府（街道办事处）'],
};

interface Case {
  deadlines: number[];
  spellings: number[];
  second: boolean;
  reports: { task: number; unit: number; cycle: number; status: number; withdraw: boolean }[];
  day: number;
  settings: number;
}

const caseArb: fc.Arbitrary<Case> = fc.record({
  deadlines: fc.array(fc.nat(DEADLINES.length - 1), { minLength: 20, maxLength: 20 }),
  spellings: fc.array(fc.nat(3), { minLength: 20, maxLength: 20 }),
  second: fc.boolean(),
  reports: fc.array(
    fc.record({ task: fc.nat(), unit: fc.nat(), cycle: fc.nat(CYCLES.length - 1), status: fc.nat(REPORT_STATUSES.length - 1), withdraw: fc.boolean() }),
    { maxLength: 60 },
  ),
  day: fc.nat(DAYS.length - 1),
  settings: fc.nat(SETTINGS.length - 1),
});

/** The seed plan with the case's deadlines and spellings; `title` for a second plan. */
function planOf(c: Case, title?: string): ParsedPlan {
  let k = 0;
  return {
    ...SEED_PLAN,
    title: title ?? SEED_PLAN.title,
    items: SEED_PLAN.items.map((item) => ({
      ...item,
      tasks: item.tasks.map((task) => {
        const i = k++;
        const respell = (name: string) => {
          const other = SPELLINGS[name];
          const pick = c.spellings[i % c.spellings.length] ?? 0;
          return other && pick > 0 ? (other[(pick - 1) % other.length] as string) : name;
        };
        return { ...task, deadline: DEADLINES[c.deadlines[i % c.deadlines.length] ?? 0] ?? null, units: task.units.map(respell), leads: task.leads.map(respell) };
      }),
    })),
  };
}

describe('the fast status paths', () => {
  const db = useTempStore('duban-summary-');

  const depsFor = (store: Store, directory: UnitDirectory, day: string, settings: Record<string, string>): StatusDeps => ({
    store,
    config: loadConfig(settings),
    directory: () => directory,
    calendar: WorkdayCalendar.create(null),
    clock: () => instantOf(day, '10:00', 'Asia/Shanghai'),
  });

  /** Stores the case's reports; the last report of some pairs is then withdrawn. */
  function report(store: Store, c: Case, duties: Map<string, unknown[]>): void {
    const taskIds = store.listPlans().flatMap((p) => store.getPlanTree(p.id)!.items.flatMap((i) => i.tasks.map((t) => t.id)));
    const units = [...duties.keys(), '区农业农村局'];
    const at = new Date('2025-08-01T02:00:00Z');
    store.transaction(() => {
      c.reports.forEach((r, k) => {
        const id = store.reports.add({
          taskId: taskIds[r.task % taskIds.length]!,
          unit: units[r.unit % units.length]!,
          cycle: CYCLES[r.cycle]!,
          status: REPORT_STATUSES[r.status]!,
          reportedAt: new Date(at.getTime() + k * 3_600_000),
        });
        if (r.withdraw && k % 3 === 0) store.reports.withdraw(id, new Date(at.getTime() + k * 3_600_000 + 60_000));
      });
    });
  }

  it('agree with the board for any plan, reports, settings and day', () => {
    let run = 0;
    fc.assert(
      fc.property(caseArb, (c) => {
        const dir = fs.mkdtempSync(path.join(path.dirname(db.file), `run-${run++}-`));
        const store = Store.open(path.join(dir, 'duban.db'));
        try {
          store.importPlan(planOf(c), { name: 'seed.txt', sha256: 'a' }, new Date('2025-01-05T00:00:00Z'));
          if (c.second) store.importPlan(planOf(c, '2025年第二个工作要点'), { name: 'b.txt', sha256: 'b' }, new Date('2025-01-05T00:00:00Z'));
          const deps = depsFor(store, DIRECTORY, DAYS[c.day]!, SETTINGS[c.settings]!);
          report(store, c, new StatusView({ ...deps }).duties);

          const board = new StatusView({ ...deps }).board();
          const want = summarize(board);
          // Built from the plans and kept in the database, then read back by a view with nothing in memory.
          expect(new StatusView({ ...deps }).summary()).toEqual(want);
          expect(new StatusView({ ...deps }).summary()).toEqual(want);
          for (const u of board.units) expect(new StatusView({ ...deps }).unitStatus(u.unit)).toEqual(u);
          for (const number of new Set(board.items.map((i) => i.number))) {
            expect(new StatusView({ ...deps }).itemStatus(number)).toEqual(board.items.filter((i) => i.number === number));
            const planId = board.items.find((i) => i.number === number)!.planId;
            expect(new StatusView({ ...deps }).itemStatus(number, planId)).toEqual(board.items.filter((i) => i.number === number && i.planId === planId));
          }
        } finally {
          store.close();
          fs.rmSync(dir, { recursive: true, force: true });
        }
      }),
      { numRuns: 25 },
    );
  });

  it('rebuilds the kept duties after an import or a change of the units directory', () => {
    const c: Case = { deadlines: Array(20).fill(0), spellings: Array(20).fill(0), second: false, reports: [], day: 1, settings: 0 };
    db.store.importPlan(planOf(c), { name: 'seed.txt', sha256: 'a' }, new Date('2025-01-05T00:00:00Z'));
    const deps = depsFor(db.store, DIRECTORY, DAYS[1]!, {});
    expect(new StatusView({ ...deps }).summary()).toEqual(summarize(new StatusView({ ...deps }).board()));

    // Without the directory, collectives are units of their own.
    const plain = depsFor(db.store, emptyUnitDirectory(), DAYS[1]!, {});
    const withoutDirectory = new StatusView({ ...plain }).summary();
    expect(withoutDirectory.units.map((u) => u.unit)).toContain('各镇人民政府(街道办事处)');
    expect(withoutDirectory).toEqual(summarize(new StatusView({ ...plain }).board()));

    // A new version of the plan: 1.1 now has a deadline that has passed.
    const changed = planOf({ ...c, deadlines: [2, ...Array(19).fill(0)] });
    db.store.importPlan(changed, { name: 'seed-v2.txt', sha256: 'b' }, new Date('2025-02-05T00:00:00Z'));
    const after = new StatusView({ ...deps }).summary();
    expect(after).toEqual(summarize(new StatusView({ ...deps }).board()));
    expect(after.totals.tasks.red).toBeGreaterThan(0);
  });
});
