/**
 * Building a cycle's reminders and queuing them in the outbox, as `duban remind --now` does: planReminders for
 * a monthly cycle over a plan imported into a real SQLite file, then store.outbox.enqueue in one transaction.
 * Every repetition uses the next month, so its group keys are new and all drafts are really inserted.
 *
 * Baselines: reading the same plan's tasks and assignments with two plain SELECTs, and inserting as many rows
 * (the same markdown) into a bare table in one transaction.
 *
 * Before anything is timed the result is checked: one message per unit, every duty listed exactly once across
 * the parts, each part within the channel's limit and each request body within DingTalk's 20,000 bytes.
 */
import type { ParsedPlan } from '../src/plan/types';
import { currentCycle, planReminders, type ReminderSetup } from '../src/app/reminder-run';
import { defaultRule, planTrees } from '../src/app/schedule-run';
import { instantOf } from '../src/calendar/civil-date';
import { WorkdayCalendar } from '../src/calendar/workday-calendar';
import { DingtalkRobotChannel, robotMarkdownBody } from '../src/channels/dingtalk-robot';
import { loadConfig } from '../src/config';
import type { Contact } from '../src/contacts/contact';
import { contactBookFrom, type ContactBook } from '../src/contacts/contacts-file';
import { platformKey } from '../src/outbox/delivery-worker';
import { buildReminders } from '../src/reminders/build-reminders';
import { utf8Bytes } from '../src/reminders/split-parts';
import { unitDuties } from '../src/reminders/unit-duties';
import { shiftCycle, type Cycle } from '../src/schedule/cycle';
import { partTitle } from '../src/store/outbox-store';
import { Store, type OutboxDraft } from '../src/store/store';
import type { UnitDirectory } from '../src/units/unit-directory';
import { consume, openRaw, readBackBaseline } from './baseline';
import { time, timeLaps, type Reps, type Timing } from './measure';
import { BenchCheckError, NOW, sha256 } from './plan-import.bench';
import type { TempFiles } from './temp-files';

function check(ok: boolean, message: string): void {
  if (!ok) throw new BenchCheckError(message);
}

/** The robot's limits; never sends (nothing here calls `send`). */
export function offlineRobot(): DingtalkRobotChannel {
  return new DingtalkRobotChannel({ webhook: 'http://127.0.0.1:9/robot/send?access_token=bench', timeoutMs: 1000 });
}

/**
 * Contacts for the units: one 联络员 each, a second one for every third unit, and one 分管领导 each (who gets no
 * reminder, but is in the book as in a real contacts file). File order is unit by unit.
 */
export function syntheticContacts(units: readonly string[]): Contact[] {
  const out: Contact[] = [];
  const person = (unit: string, k: number, role: Contact['role'], n: number): Contact => ({
    unit,
    unitAsWritten: unit,
    name: `${role === 'liaison' ? '联络员' : '领导'}${k + 1}-${n}`,
    mobile: `13${String(900000000 + k * 10 + n + (role === 'leader' ? 5 : 0)).padStart(9, '0')}`,
    dingtalkId: `bench${k + 1}${role === 'leader' ? 'l' : ''}${n}`,
    role,
    line: out.length + 2,
  });
  units.forEach((unit, k) => {
    out.push(person(unit, k, 'liaison', 1));
    if (k % 3 === 0) out.push(person(unit, k, 'liaison', 2));
    out.push(person(unit, k, 'leader', 1));
  });
  return out;
}

export interface ReminderCase {
  what: string;
  plan: ParsedPlan;
  directory: UnitDirectory;
  contacts: readonly Contact[];
}

export interface ReminderStats {
  tasks: number;
  assignments: number;
  /** Units with duties (after expanding collectives). */
  units: number;
  /** Unit duties: one per task and single unit. */
  duties: number;
  liaisons: number;
  messages: number;
  parts: number;
  /** Messages split into more than one part. */
  split: number;
  /** UTF-8 bytes of all parts' markdown. */
  bytes: number;
  maxPartBytes: number;
  /** Largest JSON request body the robot would send (mentions and envelope included). */
  maxBodyBytes: number;
}

export interface ReminderBench {
  stats: ReminderStats;
  build: Timing;
  enqueue: Timing;
  total: Timing;
  baseRead: Timing;
  baseInsert: Timing;
  baseTotal: Timing;
  /** planReminders taken apart, from separate runs. */
  trees: Timing;
  unitDuties: Timing;
  states: Timing;
  text: Timing;
  /** contacts.liaisonsOf once for every unit with duties. */
  liaisons: Timing;
  /** The verified drafts of the first cycle (the delivery benchmark sends these texts). */
  drafts: OutboxDraft[];
}

/** Task lines of a reminder part (`- **3.2**〔牵头〕…`). */
const TASK_LINE_RE = /^- \*\*\d+\.\d+\*\*/gm;

function statsOf(drafts: readonly OutboxDraft[], maxMarkdownBytes: number): Omit<ReminderStats, 'tasks' | 'assignments' | 'units' | 'duties' | 'liaisons'> {
  let parts = 0;
  let split = 0;
  let bytes = 0;
  let maxPartBytes = 0;
  let maxBodyBytes = 0;
  for (const d of drafts) {
    parts += d.parts.length;
    if (d.parts.length > 1) split++;
    d.parts.forEach((markdown, i) => {
      const b = utf8Bytes(markdown);
      bytes += b;
      maxPartBytes = Math.max(maxPartBytes, b);
      const key = platformKey({ key: `${d.groupKey}#${i + 1}` });
      const body = robotMarkdownBody({ key, title: partTitle(d.title, i + 1, d.parts.length), markdown, to: d.destination });
      maxBodyBytes = Math.max(maxBodyBytes, utf8Bytes(JSON.stringify(body)));
    });
  }
  check(maxPartBytes <= maxMarkdownBytes, `提醒分段后最长一段 ${maxPartBytes} 字节，超过渠道上限 ${maxMarkdownBytes} 字节。`);
  return { messages: drafts.length, parts, split, bytes, maxPartBytes, maxBodyBytes };
}

/** Noon on the first day of a cycle in Shanghai: a moment inside it. */
function noonOf(cycle: Cycle): Date {
  return new Date(instantOf(cycle.start, '12:00', 'Asia/Shanghai'));
}

/** Checks the reminders of one cycle against the duties computed on their own, and returns the figures. */
function verify(setup: ReminderSetup, cycle: Cycle, c: ReminderCase): { stats: ReminderStats; drafts: OutboxDraft[] } {
  const duties = unitDuties(planTrees(setup.store), setup.directory);
  const dutyCount = [...duties.values()].reduce((n, list) => n + list.length, 0);
  const plan = planReminders(setup, noonOf(cycle));
  check(plan.noLiaison.length === 0, `${c.what}：${plan.noLiaison.length} 个单位没有联络员（如 ${plan.noLiaison[0]}），名单应覆盖每个单位。`);
  check(plan.upToDate.length === 0, `${c.what}：尚无报送，却有 ${plan.upToDate.length} 个单位被当作已报送。`);
  check(plan.drafts.length === duties.size, `${c.what}：应生成 ${duties.size} 条提醒（每个单位一条），实际 ${plan.drafts.length} 条。`);
  for (const d of plan.drafts) {
    const listed = d.parts.reduce((n, p) => n + (p.match(TASK_LINE_RE)?.length ?? 0), 0);
    const owed = duties.get(d.unit ?? '')?.length ?? -1;
    check(listed === owed, `${c.what}：${d.unit} 有 ${owed} 项任务，提醒中列出 ${listed} 项。`);
    const people = d.destination.kind === 'unit' ? d.destination.people.length : 0;
    check(people === setup.contacts.liaisonsOf(d.unit ?? '').length && people > 0, `${c.what}：${d.unit} 的提醒没有 @ 到它的联络员。`);
  }
  const stats = statsOf(plan.drafts, setup.channel.maxMarkdownBytes);
  const tasks = c.plan.items.reduce((n, i) => n + i.tasks.length, 0);
  const assignments = c.plan.items.reduce((n, i) => n + i.tasks.reduce((m, t) => m + t.units.length, 0), 0);
  const liaisons = setup.contacts.contacts.filter((x) => x.role === 'liaison').length;
  return { stats: { ...stats, tasks, assignments, units: duties.size, duties: dutyCount, liaisons }, drafts: plan.drafts };
}

export function benchReminders(c: ReminderCase, reps: Reps, tmp: TempFiles): ReminderBench {
  const file = tmp.nextDb();
  const store = Store.open(file);
  const readers: Array<{ close(): void }> = [];
  let baseFile: string | null = null;
  try {
    const imported = store.importPlan(c.plan, { name: 'bench.txt', sha256: sha256(c.what) }, NOW);
    const stored = store.countRows();
    check(imported.created, `${c.what}：导入没有新建计划。`);
    const channel = offlineRobot();
    check(channel.maxMarkdownBytes === 16_000, `钉钉群机器人每段上限应为 16000 字节，实际 ${channel.maxMarkdownBytes}。`);
    const config = loadConfig({ REPORT_CYCLE: 'monthly' });
    const contacts: ContactBook = contactBookFrom(c.contacts, [], { directory: c.directory });
    const setup: ReminderSetup = { store, config, directory: c.directory, contacts, channel, calendar: WorkdayCalendar.create(null) };
    const rule = defaultRule(config);
    const first = currentCycle(config, setup.calendar, NOW);
    const nowMs = NOW.getTime();

    // —— check, then queue the first cycle twice: all of it, then nothing ——
    const { stats, drafts } = verify(setup, first, c);
    check(stats.tasks === stored.tasks && stats.assignments === stored.assignments, `${c.what}：导入后任务或分工的行数与计划不一致。`);
    const queued = store.outbox.enqueue(drafts, nowMs);
    check(queued.queued === drafts.length && queued.messages === stats.parts, `${c.what}：入队 ${queued.queued} 条提醒 / ${queued.messages} 段，应为 ${drafts.length} / ${stats.parts}。`);
    const again = store.outbox.enqueue(drafts, nowMs);
    check(again.queued === 0 && again.skipped === drafts.length, `${c.what}：同一周期再次入队应全部跳过，实际新入队 ${again.queued} 条。`);

    // —— planReminders + enqueue, each run a new month ——
    const results: Array<[number, number]> = [];
    const cycles = (run: number): Cycle => shiftCycle(first, run + 1, rule);
    const [build, enqueue, total] = timeLaps(reps, cycles, (cycle, lap) => {
      const plan = planReminders(setup, noonOf(cycle));
      lap();
      const r = store.outbox.enqueue(plan.drafts, nowMs);
      results.push([plan.drafts.length, r.queued]);
    }) as [Timing, Timing, Timing];
    const short = results.find(([drafts, queued]) => drafts !== stats.messages || queued !== drafts);
    check(!short, `${c.what}：某次运行生成 ${short?.[0]} 条提醒、入队 ${short?.[1]} 条，应为 ${stats.messages} 条且全部入队。`);

    // —— planReminders taken apart ——
    const [trees, dutiesT, states, text] = timeLaps(reps, () => first, (cycle, lap) => {
      const t = planTrees(store);
      lap();
      const duties = unitDuties(t, c.directory);
      lap();
      const s = store.reports.statesForCycle(cycle.id);
      lap();
      const plan = buildReminders({
        kind: 'remind',
        cycle,
        duties,
        states: s,
        liaisonsOf: (unit) => contacts.liaisonsOf(unit).map((x) => ({ name: x.name, mobile: x.mobile, userId: x.dingtalkId })),
        channel,
      });
      consume(plan.drafts.length);
    }) as [Timing, Timing, Timing, Timing];
    const unitNames = drafts.map((d) => d.unit ?? '');
    const liaisons = time(reps, () => {
      for (const unit of unitNames) consume(contacts.liaisonsOf(unit).length);
    });

    // —— baselines: two SELECTs on the same file; the same number of rows into a bare table ——
    const reader = openRaw(file);
    readers.push(reader);
    const read = readBackBaseline(reader);
    const readRows = read(c.plan.title);
    check(readRows === stats.tasks + stats.assignments, `${c.what}：基线读出 ${readRows} 行，应为 ${stats.tasks + stats.assignments} 行。`);
    baseFile = tmp.nextDb();
    const bare = openRaw(baseFile);
    readers.push(bare);
    bare.exec('CREATE TABLE bare (id INTEGER PRIMARY KEY, k TEXT NOT NULL, body TEXT NOT NULL)');
    const insert = bare.prepare('INSERT INTO bare (k, body) VALUES (?, ?)');
    const rows = drafts.flatMap((d) => d.parts.map((body, i) => [`${d.groupKey}#${i + 1}`, body] as const));
    const write = bare.transaction((run: number) => {
      for (const [k, body] of rows) insert.run(`${run}|${k}`, body);
    });
    const [baseRead, baseInsert, baseTotal] = timeLaps(reps, (run) => run, (run, lap) => {
      consume(read(c.plan.title));
      lap();
      write.immediate(run);
    }) as [Timing, Timing, Timing];
    const bareRows = bare.prepare('SELECT count(*) FROM bare').pluck().get() as number;
    check(bareRows === rows.length * (reps.warmup + reps.runs), `${c.what}：基线写入 ${bareRows} 行，应为 ${rows.length * (reps.warmup + reps.runs)} 行。`);

    return { stats, build, enqueue, total, baseRead, baseInsert, baseTotal, trees, unitDuties: dutiesT, states, text, liaisons, drafts };
  } finally {
    for (const r of readers) r.close();
    store.close();
    tmp.removeDb(file);
    if (baseFile) tmp.removeDb(baseFile);
  }
}
