/**
 * `npm run bench`: one table of duban's figures, each beside its baseline measured in the same run:
 * - plan import: parse and import the seed plan and synthetic plans of 500 and 5,000 items, re-import them
 *   unchanged, and how the time grows from 500 to 5,000 items;
 * - reminders: build a cycle's reminders and queue them (200 units, 5,000 tasks);
 * - delivery: how close the delivery worker comes to its rate limit when sending to a loopback stand-in for
 *   DingTalk's robot (600 a minute for 10 s), and that it never exceeds it;
 * - the DingTalk callback: signed callbacks recording a report, a second and at 500 a second, beside a bare
 *   node:http server (autocannon, 10 connections, 5 s a run);
 * - status at province scale (100 plans, 6,000 units, 500,000 assignments, 2 million reports) from a cold start:
 *   the whole board, one unit, one item, beside the bare SQL reads of the same rows;
 * - memory: the resident size of the running service (`node dist/main.js`) idle after its start, and its peak through
 *   a reminder cycle and a burst of callbacks, beside a bare node:http process given the same burst;
 * and the product's goals, ✓ or ✗, as the table's last rows.
 *
 * BENCH_QUICK=1 runs fewer repetitions, a 2,000-item plan instead of 5,000, reminders for 50 units and 1,000
 * tasks, 3 s of delivery at 1,200 a minute, callback runs of 1 s, a province 1/50 the size and a burst of 2,000
 * callbacks (for CI; under a minute). The code paths are the same; only sizes and repetitions differ.
 * Exit code 1 when a check fails (wrong parse, wrong row counts, a reminder missing a task, a message lost or
 * sent twice, more messages in a minute than the limit, a callback not recorded or not answered, the service not
 * exiting 0 on SIGTERM); a missed speed goal only prints ✗.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { ITEM_RE } from '../src/plan/numbering';
import type { Reps, Timing } from './measure';
import { BenchCheckError, benchImport, benchParse, benchParseImport, benchParseImportBaseline, benchReimport } from './plan-import.bench';
import { benchDelivery, type DeliveryBench, type DeliveryOptions } from './delivery.bench';
import { benchCallback, type CallbackBench, type CallbackOptions } from './callback.bench';
import { benchReminders, syntheticContacts, type ReminderBench } from './reminders.bench';
import { buildAssignmentPlan, buildSyntheticPlan, readSeedTemplate, unitDirectoryYaml, type Numbering } from './synthetic-plan';
import { fmtBytes, fmtDuration, fmtInt, fmtMB, fmtMs, fmtTimes, renderTable, type Align, type Row } from './table';
import { emptyUnitDirectory, parseUnitDirectory } from '../src/units/unit-directory';
import type { ParsedPlan } from '../src/plan/types';
import { ROBOT_MAX_BODY_BYTES } from '../src/channels/dingtalk-robot';
import { TempFiles } from './temp-files';
import { benchStatus, type Measured, type StatusBench, type StatusOptions } from './status.bench';
import { FULL_SCALE, scaleDown } from './province-db';
import { benchServiceMemory, type MemoryBench, type MemoryOptions } from './service-memory.bench';

const SEED_PATH = path.join('test', 'fixtures', 'seed-xiuzhou-2020.txt');
const SEED_ITEMS = 9;
const SEED_TASKS = 20;

/** Goals of the product. */
const GOAL_SEED_MS = 50;
const GOAL_BIG_ITEMS = 5000;
const GOAL_BIG_MS = 1000;

const GOAL_REMIND_UNITS = 200;
const GOAL_REMIND_TASKS = 5000;
const GOAL_REMIND_MS = 1000;
/** Share of the configured rate the worker must reach in steady state. */
const GOAL_RATE_SHARE = 0.95;
/** The callback must answer at least this share of the bare server's requests a second… */
const GOAL_CALLBACK_SHARE = 0.5;
/** …and, at this many requests a second, 99% of them within this many milliseconds. */
const GOAL_CALLBACK_RATE = 500;
const GOAL_CALLBACK_P99_MS = 20;
/** Status from a cold start at province scale: one unit or item, and the whole board. */
const GOAL_STATUS_ONE_MS = 20;
const GOAL_STATUS_BOARD_MS = 500;
/** BENCH_QUICK builds the province this many times smaller. */
const QUICK_PROVINCE_DIVISOR = 50;
/** In the reminder variant with a units directory, every this-many-th task also names a collective. */
const COLLECTIVE_EVERY = 25;

const SMALL = 500;
/** Marks a row whose size BENCH_QUICK reduced. */
const QUICK_MARK = '（快速）';

interface Config {
  quick: boolean;
  big: number;
  seed: Reps;
  small: Reps;
  large: Reps;
  remind: { units: number; tasks: number; reps: Reps };
  delivery: DeliveryOptions;
  callback: CallbackOptions;
  status: StatusOptions;
  memory: MemoryOptions;
}

function config(): Config {
  const flag = (process.env.BENCH_QUICK ?? '').trim().toLowerCase();
  const quick = flag !== '' && flag !== '0' && flag !== 'false';
  return quick
    ? {
        quick,
        big: 2000,
        seed: { warmup: 5, runs: 9 },
        small: { warmup: 3, runs: 5 },
        large: { warmup: 1, runs: 3 },
        remind: { units: 50, tasks: 1000, reps: { warmup: 1, runs: 3 } },
        delivery: { rate: 1200, seconds: 3, reps: { warmup: 1, runs: 3 } },
        callback: { connections: 10, warmupSeconds: 0.5, seconds: 1, rate: GOAL_CALLBACK_RATE, rateSeconds: 1 },
        status: { scale: scaleDown(QUICK_PROVINCE_DIVISOR), reps: { warmup: 1, runs: 3 }, boardReps: { warmup: 0, runs: 2 } },
        memory: { callbacks: 1000, connections: 10 },
      }
    : {
        quick,
        big: GOAL_BIG_ITEMS,
        seed: { warmup: 10, runs: 31 },
        small: { warmup: 3, runs: 11 },
        large: { warmup: 3, runs: 7 },
        remind: { units: GOAL_REMIND_UNITS, tasks: GOAL_REMIND_TASKS, reps: { warmup: 2, runs: 7 } },
        delivery: { rate: 600, seconds: 10, reps: { warmup: 1, runs: 5 } },
        callback: { connections: 10, warmupSeconds: 2, seconds: 5, rate: GOAL_CALLBACK_RATE, rateSeconds: 5 },
        status: { scale: FULL_SCALE, reps: { warmup: 1, runs: 9 }, boardReps: { warmup: 0, runs: 1 } },
        memory: { callbacks: 5000, connections: 10 },
      };
}

/** The project root: the nearest folder above this file whose package.json is duban's. */
function projectRoot(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const pkg = path.join(dir, 'package.json');
    if (fs.existsSync(pkg) && (JSON.parse(fs.readFileSync(pkg, 'utf8')) as { name?: string }).name === 'duban') return dir;
    if (path.dirname(dir) === dir) return process.cwd();
  }
}

function machine(): string[] {
  const cpus = os.cpus();
  const db = new Database(':memory:');
  const sqlite = db.prepare('SELECT sqlite_version()').pluck().get() as string;
  db.close();
  return [
    `处理器：${cpus[0]?.model.trim() ?? '未知'}（${cpus.length} 核）`,
    `内存：${fmtBytes(os.totalmem())}    系统：${os.type()} ${os.release()} ${os.arch()}`,
    `Node ${process.version}    SQLite ${sqlite}（better-sqlite3）`,
    `开始时的平均负载（1/5/15 分钟）：${os.loadavg().map((l) => l.toFixed(2)).join(' / ')}`,
  ];
}

/** Item numbering the parser accepts for an N-item plan: 1..N if it reads N as an item number. */
function numberingFor(n: number): Numbering {
  const m = ITEM_RE.exec(`${n}.事项`);
  return m && m[1] === String(n) ? 'global' : 'per-section';
}

const HEADERS = ['项目', '实测', '基线（同一次运行）', '倍数', '说明'];
const ALIGNS: Align[] = ['left', 'right', 'right', 'right', 'left'];

/** A section's header row: its name, and in the last column what is measured and against what. */
const section = (title: string, about: string): Row => [title, '', '', '', about];

const ms = (t: Timing): string => fmtMs(t.median);
const ratio = (a: Timing, b: Timing): string => fmtTimes(a.median / b.median);
const spread = (t: Timing): string => `${fmtMs(t.min)}–${fmtMs(t.max)}，${t.runs} 次`;
/** A measured row: the median beside the baseline's, their ratio, and a note before the spread. */
const timed = (what: string, t: Timing, base: Timing, note = ''): Row => [what, ms(t), ms(base), ratio(t, base), note ? `${note}；${spread(t)}` : spread(t)];
const rps = (perSecond: number): string => `${fmtInt(perSecond)} 次/秒`;
const perMinute = (messages: number, msValue: number): string => `${fmtInt((messages * 60_000) / msValue)} 条/分`;
const mb = (bytes: number | null): string => (bytes === null ? '—' : fmtMB(bytes));
const bytesRatio = (a: number | null, b: number | null): string => (a === null || b === null ? '' : fmtTimes(a / b));

/** A goal: what it asks, the figure, and the verdict (✓/✗), as a row of the goals section. */
interface Goal {
  what: string;
  figure: string;
  verdict: string;
}

interface SizeResult {
  n: number;
  parse: Timing;
  parseBase: Timing;
  import: Timing;
  importBase: Timing;
  reimport: Timing;
  reimportBase: Timing;
}

/** Says on stderr what is being measured: the table comes at the end. */
function progress(what: string): void {
  process.stderr.write(`正在测量：${what}…\n`);
}

async function main(): Promise<number> {
  const cfg = config();
  const root = projectRoot();
  const seedFile = path.join(root, SEED_PATH);
  const seedText = fs.readFileSync(seedFile, 'utf8');
  const started = process.hrtime.bigint();

  console.log('duban 性能基准：计划导入；生成并入队提醒；按限速投递；钉钉回调；省级规模的状态查询；运行中服务的内存');
  for (const line of machine()) console.log(line);
  console.log(cfg.quick ? `模式：快速（BENCH_QUICK=1，缩小的规模标“快速”）：${repsText(cfg)}` : `模式：完整：${repsText(cfg)}`);
  console.log('');

  const tmp = new TempFiles();
  const notes: string[] = [];
  const rows: Row[] = [];
  const goals: Goal[] = [];
  try {
    // —— plan import ——
    progress('计划导入');
    const seed = benchParse(seedText, cfg.seed, { items: SEED_ITEMS, tasks: SEED_TASKS }, '种子计划');
    const seedImport = benchImport(seed.plan, seed.rows, cfg.seed, tmp, '种子计划');
    const seedBoth = benchParseImport(seedText, cfg.seed, tmp);
    const seedBothBase = benchParseImportBaseline(seedText, seed.plan, cfg.seed, tmp);
    const r = seed.rows;
    rows.push(section('计划导入', '导入到新库；重新导入为无变化的比对。基线：逐行正则；预编译 INSERT；两条 SELECT'));
    rows.push(timed('  种子计划：解析', seed.parse, seed.baseline, `${r.items} 项 / ${r.tasks} 任务 / ${r.assignments} 分工 / ${r.units} 单位`));
    rows.push(timed('  种子计划：导入', seedImport.import, seedImport.baseline));
    rows.push(timed('  种子计划：解析+导入', seedBoth, seedBothBase));

    const template = readSeedTemplate(seedText);
    if (template.items.length !== seed.plan.items.length) {
      throw new BenchCheckError(`种子模板有 ${template.items.length} 项，解析结果有 ${seed.plan.items.length} 项，二者应一致。`);
    }
    const tasksPerTemplate = seed.plan.items.map((i) => i.tasks.length);
    const sizes: SizeResult[] = [];
    for (const n of [SMALL, cfg.big]) {
      const reps = n === SMALL ? cfg.small : cfg.large;
      const numbering = numberingFor(n);
      const synth = buildSyntheticPlan(template, n, numbering);
      const expectedTasks = synth.templateOf.reduce((sum, t) => sum + (tasksPerTemplate[t] ?? 0), 0);
      const what = `合成 ${fmtInt(n)} 项计划`;
      if (numbering === 'per-section') notes.push(`${fmtInt(n)} 项的计划每部分从 1 编号（${synth.sections} 个部分）：解析器不把 ${n} 读作事项编号。`);
      const p = benchParse(synth.text, reps, { items: n, tasks: expectedTasks }, what);
      const imp = benchImport(p.plan, p.rows, reps, tmp, what);
      const re = benchReimport(p.plan, p.rows, reps, tmp, what);
      const pr = p.rows;
      const label = `  ${fmtInt(n)} 项${n === GOAL_BIG_ITEMS || n === SMALL ? '' : QUICK_MARK}`;
      const size = `${fmtInt(pr.tasks)} 任务 / ${fmtInt(pr.assignments)} 分工 / ${pr.units} 单位，${fmtInt(synth.text.length)} 字${label.endsWith(QUICK_MARK) ? `，代替 ${fmtInt(GOAL_BIG_ITEMS)} 项` : ''}`;
      rows.push(timed(`${label}：解析`, p.parse, p.baseline, size));
      rows.push(timed(`${label}：导入`, imp.import, imp.baseline));
      rows.push(timed(`${label}：重新导入`, re.import, re.baseline));
      sizes.push({ n, parse: p.parse, parseBase: p.baseline, import: imp.import, importBase: imp.baseline, reimport: re.import, reimportBase: re.baseline });
    }
    const [small, big] = sizes as [SizeResult, SizeResult];
    const linear = big.n / small.n;
    const growthRow = (what: string, a: number, b: number, baseA: number, baseB: number): Row => [
      what,
      `${(a / b).toFixed(1)}×`,
      `${(baseA / baseB).toFixed(1)}×`,
      '',
      `线性 = ${linear.toFixed(0)}×：${growthNote(a / b / linear)}`,
    ];
    const both = (s: SizeResult): number => s.parse.median + s.import.median;
    const bothBase = (s: SizeResult): number => s.parseBase.median + s.importBase.median;
    rows.push(growthRow(`  增长比 ${fmtInt(big.n)} / ${small.n} 项：解析+导入`, both(big), both(small), bothBase(big), bothBase(small)));
    rows.push(growthRow('  增长比：重新导入', big.reimport.median, small.reimport.median, big.reimportBase.median, small.reimportBase.median));
    const bigFigure = (both(big) * GOAL_BIG_ITEMS) / big.n;
    const bigEstimated = big.n !== GOAL_BIG_ITEMS;
    goals.push({ what: `种子计划 解析+导入 < ${GOAL_SEED_MS} ms`, figure: ms(seedBoth), verdict: verdict(seedBoth.median, GOAL_SEED_MS) });
    goals.push({
      what: `${fmtInt(GOAL_BIG_ITEMS)} 项 解析+导入 < ${GOAL_BIG_MS / 1000} s`,
      figure: `${bigEstimated ? '≈' : ''}${fmtMs(bigFigure)}`,
      verdict: verdict(bigFigure, GOAL_BIG_MS, bigEstimated ? `由 ${fmtInt(big.n)} 项线性外推` : ''),
    });

    // —— reminders ——
    progress('生成并入队提醒');
    const reminders = reminderBenches(cfg, seed.plan, template.units, tmp);
    rows.push('separator');
    rows.push(section('提醒：生成并入队', 'planReminders（月度周期）+ outbox.enqueue（一个事务）。基线：两条 SELECT；同样多行插入空表'));
    rows.push(...reminderRows(reminders));
    const remind = reminders[0];
    const remindFigure = (remind.total.median * GOAL_REMIND_TASKS) / cfg.remind.tasks;
    const remindEstimated = cfg.remind.tasks !== GOAL_REMIND_TASKS;
    goals.push({
      what: `${GOAL_REMIND_UNITS} 单位 / ${fmtInt(GOAL_REMIND_TASKS)} 任务 生成+入队 < ${GOAL_REMIND_MS / 1000} s`,
      figure: `${remindEstimated ? '≈' : ''}${fmtMs(remindFigure)}`,
      verdict: verdict(remindFigure, GOAL_REMIND_MS, remindEstimated ? `由 ${fmtInt(cfg.remind.tasks)} 任务线性外推` : ''),
    });

    // —— delivery ——
    progress('按限速投递');
    const delivery = await benchDelivery(remind.drafts, cfg.delivery, tmp);
    const { rows: deliveryTable, goals: deliveryGoals, ok: withinLimit } = deliveryRows(delivery);
    rows.push('separator', ...deliveryTable);
    goals.push(...deliveryGoals);
    if (!withinLimit) notes.push('基准测试失败：发送速率超过了限速上限（见上表）。');

    // —— DingTalk callback ——
    progress('钉钉回调');
    const callback = await benchCallback(cfg.callback, root, tmp);
    const callbackTable = callbackRows(cfg, callback);
    rows.push('separator', ...callbackTable.rows);
    goals.push(...callbackTable.goals);

    // —— status at province scale ——
    progress('省级规模的状态查询');
    const texts = {
      tasks: seed.plan.items.flatMap((i) => i.tasks.map((t) => t.text)),
      items: seed.plan.items.map((i) => i.title),
      sections: seed.plan.sections.map((s) => s.title),
    };
    const statusStarted = process.hrtime.bigint();
    const status = await benchStatus(cfg.status, texts, tmp);
    const statusSeconds = Number(process.hrtime.bigint() - statusStarted) / 1e9;
    const statusTable = statusRows(cfg, status);
    rows.push('separator', ...statusTable.rows);
    goals.push(...statusTable.goals);

    // —— memory of the running service ——
    progress('运行中服务的内存');
    const memory = await benchServiceMemory(cfg.memory, root, tmp);
    rows.push('separator', ...memoryRows(cfg, memory));

    rows.push('separator');
    rows.push(section('目标', `✓ 达标 / ✗ 未达标${cfg.quick ? '；≈ 为由缩小的规模线性外推的粗估' : ''}`));
    for (const g of goals) rows.push([`  ${g.what}`, g.figure, '', '', g.verdict]);

    console.log(renderTable(HEADERS, rows, ALIGNS));
    console.log('');
    console.log('倍数：用时、延迟、内存为 实测 ÷ 基线，吞吐为 基线 ÷ 实测；都是越小越好。');
    if (cfg.quick) notes.push('快速模式：规模和次数缩小，数字波动较大，只用来确认基准能跑通；请以完整的 npm run bench 为准。');
    for (const note of notes) console.log(`注：${note}`);
    const total = Number(process.hrtime.bigint() - started) / 1e9;
    console.log(`用时 ${total.toFixed(1)} s（其中省级状态 ${statusSeconds.toFixed(1)} s，含生成数据库）；临时文件已删除（${tmp.dir}）。`);
    return withinLimit ? 0 : 1;
  } finally {
    tmp.cleanup();
  }
}

function repsText(cfg: Config): string {
  const part = (what: string, r: Reps): string => `${what}预热 ${r.warmup} 次后计 ${r.runs} 次`;
  const { remind, delivery, callback, memory } = cfg;
  return (
    `${[part('种子', cfg.seed), part(`${SMALL} 项`, cfg.small), part(`${fmtInt(cfg.big)} 项`, cfg.large)].join('，')}，报告中位数；` +
    `提醒 ${remind.units} 单位 / ${fmtInt(remind.tasks)} 任务，${part('', remind.reps)}；` +
    `投递 ${fmtInt(delivery.rate)} 条/分 × ${delivery.seconds} s，冷启动与裸 POST ${part('', delivery.reps)}；` +
    `回调 ${callback.connections} 个连接，预热 ${callback.warmupSeconds} s 后最大吞吐 ${callback.seconds} s、${fmtInt(callback.rate)} 次/秒 ${callback.rateSeconds} s；` +
    `状态每项${part('', cfg.status.reps)}（board() ${cfg.status.boardReps.runs} 次），每次一个新工作线程；` +
    `内存：${fmtInt(memory.callbacks)} 个回调，${memory.connections} 个连接`
  );
}

// —— reminders ——

interface ReminderResult extends ReminderBench {
  what: string;
  note?: string;
}

/** The plan of the brief (empty units directory), then the same units with two collectives named by some tasks. */
function reminderBenches(cfg: Config, seedPlan: ParsedPlan, seedUnits: readonly string[], tmp: TempFiles): [ReminderResult, ...ReminderResult[]] {
  const { units, tasks, reps } = cfg.remind;
  const plain = buildAssignmentPlan(seedPlan, seedUnits, { units, tasks, collectiveEvery: 0 });
  const contacts = syntheticContacts(plain.units);
  const a = benchReminders({ what: '提醒（单位目录为空）', plan: plain.plan, directory: emptyUnitDirectory(), contacts }, reps, tmp);
  const grouped = buildAssignmentPlan(seedPlan, seedUnits, { units, tasks, collectiveEvery: COLLECTIVE_EVERY });
  const directory = parseUnitDirectory(unitDirectoryYaml(grouped.units, grouped.towns), 'bench-units.yaml');
  if (directory.collectiveNames().length !== 2 || directory.allUnits().length !== units) {
    throw new BenchCheckError(`基准单位目录应有 2 个集合单位、${units} 个单位，实际 ${directory.collectiveNames().length} / ${directory.allUnits().length}。`);
  }
  const quick = units !== GOAL_REMIND_UNITS || tasks !== GOAL_REMIND_TASKS;
  const first: ReminderResult = { ...a, what: `  ${units} 单位 / ${fmtInt(tasks)} 任务${quick ? QUICK_MARK : ''}` };
  // Quick mode measures this variant too, smaller: the full run takes no path the quick one does not.
  const b = benchReminders({ what: '提醒（含集合单位）', plan: grouped.plan, directory, contacts: syntheticContacts(grouped.units) }, reps, tmp);
  return [first, { ...b, what: '  同上，含集合单位', note: `2 个集合单位，${grouped.collectiveTasks} 项任务写集合单位` }];
}

function reminderRows(results: readonly [ReminderResult, ...ReminderResult[]]): Row[] {
  const [main, ...others] = results;
  const s = main.stats;
  const quick = main.what.endsWith(QUICK_MARK) ? `，代替 ${GOAL_REMIND_UNITS} / ${fmtInt(GOAL_REMIND_TASKS)}` : '';
  const bodyOk = s.maxBodyBytes <= ROBOT_MAX_BODY_BYTES;
  const rows: Row[] = [
    timed(`${main.what}：生成`, main.build, main.baseRead, `${fmtInt(s.duties)} 项单位任务 → ${fmtInt(s.messages)} 条提醒 / ${fmtInt(s.parts)} 段${quick}`),
    ['    其中', '', '', '', `${stepShares(main)}（四步另行计时）`],
    timed(`${main.what}：入队`, main.enqueue, main.baseInsert, `请求体最多 ${fmtInt(s.maxBodyBytes)} 字节${bodyOk ? '' : ' ✗'}（钉钉上限 ${fmtInt(ROBOT_MAX_BODY_BYTES)}）`),
    timed(`${main.what}：生成+入队`, main.total, main.baseTotal, `${fmtInt((s.messages * 1000) / main.total.median)} 条/秒`),
  ];
  for (const o of others) rows.push(timed(`${o.what}：生成+入队`, o.total, o.baseTotal, o.note));
  return rows;
}

/** planReminders' four steps, each as a share of their sum. */
function stepShares(r: ReminderBench): string {
  const steps: Array<[string, Timing]> = [
    ['planTrees', r.trees],
    ['unitDuties', r.unitDuties],
    ['statesForCycle', r.states],
    ['buildReminders', r.text],
  ];
  const sum = steps.reduce((n, [, t]) => n + t.median, 0);
  return steps.map(([name, t]) => `${name} ${((t.median / sum) * 100).toFixed(0)}%`).join('、');
}

// —— delivery ——

function deliveryRows(d: DeliveryBench): { rows: Row[]; goals: Goal[]; ok: boolean } {
  const st = d.steady;
  const bareRate = perMinute(d.messages, d.bare.median);
  const share = st.perMinute / d.rate;
  const rows: Row[] = [
    section(`投递：限速 ${fmtInt(d.rate)} 条/分`, 'DeliveryWorker（加签）发往回环模拟机器人。基线：axios 逐条裸 POST 同样的请求体'),
    [`  稳态：窗口已满，${d.messages} 条`, `${fmtInt(st.perMinute)} 条/分`, bareRate, '', `限速的 ${(share * 100).toFixed(1)}%（61 s 滑动窗口，长期最多 ${fmtInt((d.rate * 60) / 61)} 条/分）；最长间隔 ${fmtMs(st.maxGapMs)}`],
    ['  冷启动：窗口为空', perMinute(d.messages, d.cold.median), bareRate, ratio(d.cold, d.bare), `每条 ${fmtMs(d.cold.median / d.messages)}，裸 POST 每条 ${fmtMs(d.bare.median / d.messages)}；${spread(d.cold)}`],
    ['  任一 60 s 窗口内最多', `${fmtInt(st.maxIn60s)} 条`, '', '', `含此前的 ${fmtInt(d.rate)} 条；61 s 窗口内最多 ${fmtInt(st.maxIn61s)} 条`],
  ];
  const withinLimit = st.maxIn60s <= d.rate && st.maxIn61s <= d.rate;
  const goals: Goal[] = [
    {
      what: `投递稳态 ≥ 限速的 ${GOAL_RATE_SHARE * 100}%`,
      figure: `${(share * 100).toFixed(1)}%`,
      verdict: share >= GOAL_RATE_SHARE ? `✓ 达标（${fmtInt(st.perMinute)} ≥ ${fmtInt(d.rate * GOAL_RATE_SHARE)} 条/分）` : `✗ 未达标（${fmtInt(st.perMinute)} < ${fmtInt(d.rate * GOAL_RATE_SHARE)} 条/分）`,
    },
    {
      what: `投递从不超过限速（任一 60 s ≤ ${fmtInt(d.rate)} 条）`,
      figure: `${fmtInt(st.maxIn60s)} 条`,
      verdict: withinLimit ? `✓ 达标（${fmtInt(st.maxIn60s)} ≤ ${fmtInt(d.rate)}）` : `✗ 超限（${fmtInt(Math.max(st.maxIn60s, st.maxIn61s))} > ${fmtInt(d.rate)}）`,
    },
  ];
  return { rows, goals, ok: withinLimit };
}

// —— DingTalk callback ——

function callbackRows(cfg: Config, c: CallbackBench): { rows: Row[]; goals: Goal[] } {
  const { max, paced } = c;
  const share = max.callback.perSecond / max.bare.perSecond;
  const busy = (x: number): string => `${(x * 100).toFixed(0)}%`;
  const reached = paced.callback.perSecond >= c.rate * 0.95;
  const quick = cfg.quick ? `；每轮 ${cfg.callback.seconds} s${QUICK_MARK}` : '';
  const rows: Row[] = [
    section('钉钉回调', `每个请求一条加签的新报送，记录后经会话 Webhook 回复；${c.connections} 个连接${quick}。基线：裸 node:http`),
    [
      '  最大吞吐',
      rps(max.callback.perSecond),
      rps(max.bare.perSecond),
      fmtTimes(max.bare.perSecond / max.callback.perSecond),
      `为裸服务的 ${(share * 100).toFixed(1)}%；服务线程占用 ${busy(max.callback.serverBusy)}（裸服务 ${busy(max.bare.serverBusy)}）`,
    ],
    ['    延迟 p99', fmtMs(max.callback.p99), fmtMs(max.bare.p99), fmtTimes(max.callback.p99 / max.bare.p99), `p50 ${fmtMs(max.callback.p50)}（裸服务 ${fmtMs(max.bare.p50)}）`],
    [
      `  ${fmtInt(c.rate)} 次/秒时延迟 p99`,
      fmtMs(paced.callback.p99),
      fmtMs(paced.bare.p99),
      fmtTimes(paced.callback.p99 / paced.bare.p99),
      `p50 ${fmtMs(paced.callback.p50)}（裸服务 ${fmtMs(paced.bare.p50)}）；实际 ${rps(paced.callback.perSecond)}${reached ? '' : '，跟不上'}`,
    ],
    ['  核对：记录 / 回复', `${fmtInt(c.reports)} / ${fmtInt(c.replies)}`, '', '', `收到的 ${fmtInt(c.received)} 条报送各记录一行、各回复一次`],
  ];
  const need = max.bare.perSecond * GOAL_CALLBACK_SHARE;
  const goals: Goal[] = [
    {
      what: `回调吞吐 ≥ 裸服务的 ${GOAL_CALLBACK_SHARE * 100}%`,
      figure: `${(share * 100).toFixed(1)}%`,
      verdict: share >= GOAL_CALLBACK_SHARE ? `✓ 达标（${fmtInt(max.callback.perSecond)} ≥ ${fmtInt(need)} 次/秒）` : `✗ 未达标（${fmtInt(max.callback.perSecond)} < ${fmtInt(need)} 次/秒）`,
    },
    {
      what: `回调 ${fmtInt(c.rate)} 次/秒时 p99 < ${GOAL_CALLBACK_P99_MS} ms`,
      figure: fmtMs(paced.callback.p99),
      verdict: verdict(paced.callback.p99, GOAL_CALLBACK_P99_MS, reached ? '' : `实际只达到 ${rps(paced.callback.perSecond)}`),
    },
  ];
  return { rows, goals };
}

// —— status ——

function statusRows(cfg: Config, r: StatusBench): { rows: Row[]; goals: Goal[] } {
  const c = r.db.counts;
  const row = (what: string, m: Measured, note = ''): Row => [
    what,
    fmtDuration(m.timing.median),
    fmtDuration(m.base.median),
    ratio(m.timing, m.base),
    `${note ? `${note}；` : ''}${fmtDuration(m.timing.min)}–${fmtDuration(m.timing.max)}，${m.timing.runs} 次`,
  ];
  const rows: Row[] = [
    section('省级规模的状态', '冷启动：每次一个新工作线程，从 Store.open 计时。基线：同样的行的裸 SQL 读取'),
    [
      `  数据库${cfg.quick ? `（1/${QUICK_PROVINCE_DIVISOR} 规模，快速）` : ''}`,
      fmtMB(r.bytes),
      '',
      '',
      `${fmtInt(c.plans)} 计划 / ${fmtInt(c.items)} 事项 / ${fmtInt(c.dutyUnits)} 单位 / ${fmtInt(c.assignments)} 分工 / ${fmtInt(c.reports)} 报送`,
    ],
    row('  全局（汇总）summary()', r.summary),
    row('  全局（明细）board()', r.board, '每项单位任务一个对象'),
    row('  单位 unitStatus', r.unit, `${r.db.sampleUnit.name}，${fmtInt(r.db.sampleUnit.duties)} 项`),
    row('  最忙的单位', r.busiest, `${r.db.busiestUnit.name}，${fmtInt(r.db.busiestUnit.duties)} 项`),
    row('  事项 itemStatus', r.item, `${r.itemTasks} 项任务 / ${r.db.sampleItem.duties} 项单位任务`),
    ['  首次汇总（建立分工索引）', fmtDuration(r.firstSummary), '', '', '导入计划或单位目录改变后的第一次'],
  ];
  const goal = (what: string, figure: number, limit: number): Goal => ({
    what,
    figure: fmtMs(figure),
    verdict: cfg.quick ? `不评（1/${QUICK_PROVINCE_DIVISOR} 规模）` : verdict(figure, limit),
  });
  const goals = [
    goal(`状态：单位 < ${GOAL_STATUS_ONE_MS} ms`, r.unit.timing.median, GOAL_STATUS_ONE_MS),
    goal(`状态：事项 < ${GOAL_STATUS_ONE_MS} ms`, r.item.timing.median, GOAL_STATUS_ONE_MS),
    goal(`状态：全局（汇总）< ${GOAL_STATUS_BOARD_MS} ms`, r.summary.timing.median, GOAL_STATUS_BOARD_MS),
  ];
  return { rows, goals };
}

// —— memory ——

function memoryRows(cfg: Config, m: MemoryBench): Row[] {
  const { service: s, bare: b } = m;
  const n = `${fmtInt(m.callbacks)} 个回调${cfg.quick ? QUICK_MARK : ''}`;
  const source = m.source === 'proc' ? '读 /proc/<pid>/status' : '没有 /proc：退出时的 resourceUsage().maxRSS';
  return [
    section('运行中服务的内存（RSS）', 'node dist/main.js，空库导入种子计划。基线：只有 node:http 的裸服务进程，同样的回调'),
    ['  启动后空闲', mb(s.idle), mb(b.idle), bytesRatio(s.idle, b.idle), `启动 ${fmtInt(s.startMs)} ms（裸服务 ${fmtInt(b.startMs)} ms），启动期间峰值 ${mb(s.startPeak)}`],
    [
      '  峰值（VmHWM）',
      mb(s.peak),
      mb(b.peak),
      bytesRatio(s.peak, b.peak),
      `${source}；经一个提醒周期（${s.cycleMessages} 条）、1 条催办和 ${fmtInt(m.callbacks)} 个回调；裸服务只有回调`,
    ],
    [
      `  ${n}，${m.connections} 个连接全速`,
      rps(s.perSecond),
      rps(b.perSecond),
      fmtTimes(b.perSecond / s.perSecond),
      `用时 ${s.burstSeconds.toFixed(1)} s（裸服务 ${b.burstSeconds.toFixed(1)} s）；记录 ${fmtInt(s.reports)}、回复 ${fmtInt(s.replies)}，机器人收到 ${s.delivered} 段`,
    ],
    ['  SIGTERM 后退出码', String(s.exitCode), String(b.exitCode), '', '服务记录“服务已停止，数据库已关闭”'],
  ];
}

function growthNote(k: number): string {
  if (k <= 1.25) return '≈ 线性';
  if (k < 2) return `略超线性（线性的 ${k.toFixed(2)} 倍）`;
  return `明显超线性（线性的 ${k.toFixed(1)} 倍）`;
}

function verdict(figure: number, goal: number, remark = ''): string {
  const tail = remark ? `；${remark}` : '';
  return figure < goal ? `✓ 达标（${fmtMs(figure)} < ${fmtMs(goal)}${tail}）` : `✗ 未达标（${fmtMs(figure)} ≥ ${fmtMs(goal)}${tail}）`;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof BenchCheckError) console.error(`\n基准测试中止：${error.message}`);
    else console.error('\n基准测试出错：', error);
    process.exitCode = 1;
  },
);
