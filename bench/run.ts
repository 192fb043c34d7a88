/**
 * `npm run bench`: how fast duban parses a plan and imports it into SQLite, against baselines measured in
 * the same run, for the seed plan and for synthetic plans of 500 and 5,000 items; how fast it builds a cycle's
 * reminders and queues them (200 units, 5,000 tasks); how close the delivery worker comes to its rate limit
 * when sending to a loopback stand-in for DingTalk's robot (600 a minute for 10 s); and how many signed DingTalk
 * callbacks recording a report the service answers a second, and how fast at 500 a second, beside a bare
 * node:http server (autocannon, 10 connections, 5 s a run); and how fast the status of a province (100 plans,
 * 6,000 units, 500,000 assignments, 2 million reports) is read from a cold start: the whole board, one unit, one
 * item, beside the bare SQL reads of the same rows.
 *
 * BENCH_QUICK=1 runs fewer repetitions, a 2,000-item plan instead of 5,000, reminders for 50 units and 1,000
 * tasks, 3 s of delivery at 1,200 a minute, callback runs of 1 s, and a province 1/50 the size (for CI; a few
 * seconds).
 * Exit code 1 when a check fails (wrong parse, wrong row counts, a reminder missing a task, a message lost or
 * sent twice, more messages in a minute than the limit, a callback not recorded or not answered); a missed speed
 * goal only prints ✗.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { ITEM_RE } from '../src/plan/numbering';
import { parsePlan } from '../src/plan/parse-plan';
import type { Reps, Timing } from './measure';
import {
  BenchCheckError,
  benchEndToEnd,
  benchImport,
  benchOpen,
  benchParse,
  benchParseImport,
  benchParseImportBaseline,
  benchReimport,
} from './plan-import.bench';
import { benchDelivery, type DeliveryBench, type DeliveryOptions } from './delivery.bench';
import { benchCallback, type CallbackBench, type CallbackOptions, type LoadRun } from './callback.bench';
import { benchReminders, syntheticContacts, type ReminderBench } from './reminders.bench';
import { buildAssignmentPlan, buildSyntheticPlan, readSeedTemplate, unitDirectoryYaml, type Numbering } from './synthetic-plan';
import { fmtBytes, fmtDuration, fmtInt, fmtMB, fmtMs, fmtTimes, renderTable, type Row } from './table';
import { emptyUnitDirectory, parseUnitDirectory } from '../src/units/unit-directory';
import type { ParsedPlan } from '../src/plan/types';
import { ROBOT_MAX_BODY_BYTES } from '../src/channels/dingtalk-robot';
import { TempFiles } from './temp-files';
import { benchStatus, type StatusBench, type StatusOptions } from './status.bench';
import { FULL_SCALE, PROVINCE_TODAY, scaleDown } from './province-db';

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
const PROVINCE_DAY_LABEL = `${PROVINCE_TODAY} 10:00`;
/** In the reminder variant with a units directory, every this-many-th task also names a collective. */
const COLLECTIVE_EVERY = 25;

const SMALL = 500;

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

const ms = (t: Timing): string => fmtMs(t.median);
const ratio = (a: Timing, b: Timing): string => fmtTimes(a.median / b.median);
const spread = (t: Timing): string => `${fmtMs(t.min)}–${fmtMs(t.max)}，${t.runs} 次`;
const perSecond = (tasks: number, msValue: number): string => `${fmtInt((tasks * 1000) / msValue)} 任务/秒`;

interface SizeResult {
  n: number;
  parse: Timing;
  import: Timing;
  reimport: Timing;
  tasks: number;
}

async function main(): Promise<number> {
  const cfg = config();
  const root = projectRoot();
  const seedFile = path.join(root, SEED_PATH);
  const seedText = fs.readFileSync(seedFile, 'utf8');
  const started = process.hrtime.bigint();

  console.log('duban 性能基准：解析工作要点并导入 SQLite；生成并入队提醒；按限速投递；接收钉钉回调；省级规模的状态查询');
  for (const line of machine()) console.log(line);
  console.log(
    cfg.quick
      ? `模式：快速（BENCH_QUICK=1）：${repsText(cfg)}；大计划缩为 ${fmtInt(cfg.big)} 项（代替 ${fmtInt(GOAL_BIG_ITEMS)} 项）`
      : `模式：完整：${repsText(cfg)}`,
  );
  console.log('');

  const tmp = new TempFiles();
  const notes: string[] = [];
  const rows: Row[] = [];
  try {
    // —— seed ——
    const seed = benchParse(seedText, cfg.seed, { items: SEED_ITEMS, tasks: SEED_TASKS }, '种子计划');
    const seedImport = benchImport(seed.plan, seed.rows, cfg.seed, tmp, '种子计划');
    const seedBoth = benchParseImport(seedText, cfg.seed, tmp);
    const seedBothBase = benchParseImportBaseline(seedText, seed.plan, cfg.seed, tmp);
    const seedOpen = benchOpen(cfg.seed, tmp);
    const seedE2e = await benchEndToEnd(seedFile, cfg.seed, tmp);
    const r = seed.rows;
    rows.push([`种子计划（${r.items} 项 / ${r.tasks} 任务 / ${r.assignments} 分工 / ${r.units} 单位）`, '', '', '', '']);
    rows.push(['  解析 parsePlan', ms(seed.parse), ms(seed.baseline), ratio(seed.parse, seed.baseline), spread(seed.parse)]);
    rows.push(['  导入 importPlan（新库）', ms(seedImport.import), ms(seedImport.baseline), ratio(seedImport.import, seedImport.baseline), spread(seedImport.import)]);
    rows.push(['  解析+导入（新库）', ms(seedBoth), ms(seedBothBase), ratio(seedBoth, seedBothBase), spread(seedBoth)]);
    rows.push(['  新建数据库（建表）', ms(seedOpen), '', '', 'Store.open + close']);
    rows.push(['  端到端：读文件+建库+解析+导入', ms(seedE2e), '', '', 'readDocument 起，close 止']);

    // —— synthetic plans ——
    const template = readSeedTemplate(seedText);
    if (template.items.length !== seed.plan.items.length) {
      throw new BenchCheckError(`种子模板有 ${template.items.length} 项，解析结果有 ${seed.plan.items.length} 项，二者应一致。`);
    }
    const tasksPerTemplate = seed.plan.items.map((i) => i.tasks.length);
    const results: SizeResult[] = [];
    for (const n of [SMALL, cfg.big]) {
      const reps = n === SMALL ? cfg.small : cfg.large;
      const numbering = numberingFor(n);
      const synth = buildSyntheticPlan(template, n, numbering);
      const expectedTasks = synth.templateOf.reduce((sum, t) => sum + (tasksPerTemplate[t] ?? 0), 0);
      const what = `合成 ${fmtInt(n)} 项计划`;
      if (numbering === 'per-section') {
        const asWritten = parsePlan(buildSyntheticPlan(template, n, 'global').text).items.length;
        notes.push(
          `${what}：解析器的事项编号只认 1–3 位数字（numbering.ts 的 ITEM_RE），按 1–${n} 连续编号时只解析出 ${fmtInt(asWritten)} 项` +
            `（1000 号起的事项并入前一项）。因此该计划改为每部分从 1 编号（${synth.sections} 个部分），解析器按出现顺序重编为 1–${n}。`,
        );
      }
      const p = benchParse(synth.text, reps, { items: n, tasks: expectedTasks }, what);
      const imp = benchImport(p.plan, p.rows, reps, tmp, what);
      const re = benchReimport(p.plan, p.rows, reps, tmp, what);
      const pr = p.rows;
      rows.push('separator');
      rows.push([
        `${what}（${fmtInt(pr.tasks)} 任务 / ${fmtInt(pr.assignments)} 分工 / ${pr.units} 单位 / ${synth.sections} 部分，${fmtInt(synth.text.length)} 字）`,
        '', '', '', '',
      ]);
      rows.push(['  解析', ms(p.parse), ms(p.baseline), ratio(p.parse, p.baseline), spread(p.parse)]);
      rows.push(['  导入（新库）', ms(imp.import), ms(imp.baseline), ratio(imp.import, imp.baseline), spread(imp.import)]);
      rows.push(['  重新导入（换 sha256，无变化）', ms(re.import), ms(re.baseline), ratio(re.import, re.baseline), spread(re.import)]);
      const both = p.parse.median + imp.import.median;
      rows.push(['  解析+导入', fmtMs(both), fmtMs(p.baseline.median + imp.baseline.median), fmtTimes(both / (p.baseline.median + imp.baseline.median)), '两项中位数之和']);
      rows.push(['  吞吐：解析+导入', perSecond(pr.tasks, both), '', '', '']);
      rows.push(['  吞吐：重新导入', perSecond(pr.tasks, re.import.median), '', '', '']);
      results.push({ n, parse: p.parse, import: imp.import, reimport: re.import, tasks: pr.tasks });
    }

    // —— growth ——
    const [small, big] = results as [SizeResult, SizeResult];
    const linear = big.n / small.n;
    const growth = (a: Timing, b: Timing): string => `${(a.median / b.median).toFixed(1)}`;
    rows.push('separator');
    rows.push([`增长比 ${fmtInt(big.n)} 项 / ${small.n} 项（线性 ≈ ${linear.toFixed(0)}）`, '', '', '', '']);
    rows.push(['  解析', growth(big.parse, small.parse), '', '', growthNote(big.parse.median / small.parse.median, linear)]);
    rows.push(['  导入（新库）', growth(big.import, small.import), '', '', growthNote(big.import.median / small.import.median, linear)]);
    rows.push(['  重新导入', growth(big.reimport, small.reimport), '', '', growthNote(big.reimport.median / small.reimport.median, linear)]);

    // —— goals ——
    const seedFigure = seedBoth.median;
    const bigFigure = ((big.parse.median + big.import.median) * GOAL_BIG_ITEMS) / big.n;
    const estimated = big.n !== GOAL_BIG_ITEMS;
    rows.push('separator');
    rows.push(['目标', '', '', '', '']);
    rows.push([`  种子 解析+导入 < ${GOAL_SEED_MS} ms`, fmtMs(seedFigure), '', '', verdict(seedFigure, GOAL_SEED_MS)]);
    rows.push([
      `  ${fmtInt(GOAL_BIG_ITEMS)} 项 解析+导入 < ${GOAL_BIG_MS / 1000} s`,
      `${estimated ? '≈' : ''}${fmtMs(bigFigure)}`,
      '',
      '',
      verdict(bigFigure, GOAL_BIG_MS, estimated ? `由 ${fmtInt(big.n)} 项线性外推的粗估，实际通常略高` : ''),
    ]);

    console.log(renderTable(['项目', '中位数', '基线', '倍数', '说明'], rows, ['left', 'right', 'right', 'right', 'left']));
    console.log('');
    console.log('基线：解析 = 同一文本按行切分并逐行做一次正则匹配；导入 = 同一批行用预编译 INSERT 在一个事务中直接写入（无查找、无比对）；');
    console.log('      重新导入 = 用两条 SELECT 读回该计划的全部任务与分工。“导入”不含建库时间（见“新建数据库”一行）。');
    if (cfg.quick) notes.push(`快速模式：大计划为 ${fmtInt(cfg.big)} 项而非 ${fmtInt(GOAL_BIG_ITEMS)} 项，增长比的线性值相应为 ${linear.toFixed(0)}。`);
    for (const note of notes) console.log(`注：${note}`);

    // —— reminders ——
    console.log('');
    const reminders = reminderBenches(cfg, seed.plan, template.units, tmp);
    console.log(renderTable(['项目', '中位数', '基线', '倍数', '说明'], reminderRows(cfg, reminders), ['left', 'right', 'right', 'right', 'left']));
    console.log('');
    console.log('基线：生成 = 用两条 SELECT 读出同一计划的全部任务与分工；入队 = 同样多行（同样的正文）在一个事务中插入一张只有主键的空表。');
    console.log(`      每次运行换一个月度周期（2025 年 4 月起），分组键都是新的，所有提醒都真的写入；单位目录为空时集合单位按普通单位名处理。`);
    console.log('      “其中”各行是把 planReminders 的四步拆开另行计时的中位数；“查联络员”是对每个有任务的单位调用一次 liaisonsOf。');
    if (cfg.quick) {
      console.log(
        `注：快速模式：提醒为 ${cfg.remind.units} 单位 / ${fmtInt(cfg.remind.tasks)} 任务（代替 ${GOAL_REMIND_UNITS} / ${fmtInt(GOAL_REMIND_TASKS)}），不测含集合单位的一种。`,
      );
    }

    // —— delivery ——
    console.log('');
    const delivery = await benchDelivery(reminders[0].drafts, cfg.delivery, tmp);
    const { rows: deliveryTable, ok: withinLimit } = deliveryRows(delivery);
    console.log(renderTable(['项目', '实测', '基线', '倍数', '说明'], deliveryTable, ['left', 'right', 'right', 'right', 'left']));
    console.log('');
    console.log('基线：同样多条同样的请求体，用 axios 逐条 POST 到同一个模拟服务（不经发件箱、不加签、不限速），换算为条/分。');
    console.log('      限速按 61 s 滑动窗口计数（RATE_WINDOW_MS），不是匀速发送：窗口未满时消息立即发出，窗口满后每条等最早一条移出窗口。');
    console.log(`      稳态一行先在 outbox_attempts 中写入“上一分钟”均匀分布的 ${fmtInt(delivery.rate)} 次发送，再按系统时钟实际发送；速率 = (条数 − 1) ÷ 首末两次发送的时间差。`);
    console.log('      冷启动一行的窗口为空，消息不需等待，逐条耗时即发件箱（认领、记录、加签）加 HTTP 的开销。');
    if (!withinLimit) console.log('基准测试失败：发送速率超过了限速上限（见上表）。');

    // —— DingTalk callback ——
    console.log('');
    const callback = await benchCallback(cfg.callback, root, tmp);
    console.log(renderTable(['项目', '实测', '基线', '倍数', '说明'], callbackRows(callback), ['left', 'right', 'right', 'right', 'left']));
    console.log('');
    console.log('基线：裸 node:http 服务（读完请求体，答 200 {}），同样的 autocannon 设置、同样的请求（签名头照发，不校验），同一次运行中测得。');
    console.log('      回调由 startChatService 接好（机器人、会话 Webhook 回复器、回调），挂在 createHttpServer 上，与裸服务同在一个工作线程中先后受测；');
    console.log('      autocannon 与会话 Webhook 模拟服务在主线程。日志按 info 级别写 JSON（写入丢弃流）。');
    console.log('      回调先答 200 {} 再在同一线程中记录进展并回复，所以延迟主要是排在前面的消息的处理时间。延迟为 autocannon 逐个应答测得。');
    console.log(`      固定速率为 autocannon 的 overallRate：每个连接每秒 ${fmtInt(callback.rate / callback.connections)} 个请求，在每秒开始时连续发出（不是均匀间隔）；服务跟不上时实际速率低于设定值。`);
    console.log('      “服务线程占用”为服务所在线程的事件循环占用率：明显低于 100% 时瓶颈在压测端（autocannon 与服务共用本机 CPU）。');
    if (cfg.quick) {
      console.log(`注：快速模式：每轮 ${cfg.callback.seconds} s（代替 5 s），预热 ${cfg.callback.warmupSeconds} s，数字波动较大。`);
    }
    // —— status at province scale ——
    console.log('');
    const texts = {
      tasks: seed.plan.items.flatMap((i) => i.tasks.map((t) => t.text)),
      items: seed.plan.items.map((i) => i.title),
      sections: seed.plan.sections.map((s) => s.title),
    };
    const statusStarted = process.hrtime.bigint();
    const status = await benchStatus(cfg.status, texts, tmp);
    const statusSeconds = Number(process.hrtime.bigint() - statusStarted) / 1e9;
    console.log(renderTable(['项目', '中位数', '基线', '倍数', '说明'], statusRows(cfg, status), ['left', 'right', 'right', 'right', 'left']));
    console.log('');
    console.log('每次测量在一个新的工作线程中进行（进程内没有任何缓存可用，操作系统的页缓存可用），计时从 Store.open 起，到答案算出止；');
    console.log(`      配置、单位目录（解析约 ${fmtMs(status.directoryMs)}）、工作日历和 SQLite 本身在计时前读入，如同服务启动时读入一次。`);
    console.log('基线：全局（汇总）= 在只读连接上对现行分工、本期与上期的报送事实和已完成的单位任务各做一次 count(*)；全局（明细）= 把同样的行读入 JavaScript');
    console.log(`      （每项现行分工连同任务和单位名称，本期与上期 ${status.cycles.join('、')} 每个单位任务的最新报送）；单位 = 按索引读出该单位的分工、任务和两期报送；`);
    console.log('      事项 = 读出该事项的任务、分工和两期报送。');
    console.log('summary() 读出保存在数据库中的分工索引（导入计划或单位目录改变后的第一次汇总重建并保存，见“首次汇总”一行）和两期报送事实，');
    console.log('      每种事实组合只调用一次 lightOf；board() 为每项单位任务建立对象（含报送全文），用于仪表盘明细、台账导出。');
    console.log(`本节用时 ${statusSeconds.toFixed(1)} s（含生成数据库）。`);
    if (cfg.quick) console.log(`注：快速模式：省级规模缩为 1/${QUICK_PROVINCE_DIVISOR}，数字不与目标比较。`);

    const total = Number(process.hrtime.bigint() - started) / 1e9;
    console.log(`用时 ${total.toFixed(1)} s；临时数据库已删除（${tmp.dir}）。`);
    return withinLimit ? 0 : 1;
  } finally {
    tmp.cleanup();
  }
}

function repsText(cfg: Config): string {
  const part = (what: string, r: Reps): string => `${what} 预热 ${r.warmup} 次后计 ${r.runs} 次`;
  const { remind, delivery, callback } = cfg;
  return (
    `${[part('种子', cfg.seed), part(`${SMALL} 项`, cfg.small), part(`${fmtInt(cfg.big)} 项`, cfg.large)].join('，')}，报告中位数；` +
    `提醒 ${remind.units} 单位 / ${fmtInt(remind.tasks)} 任务，${part('', remind.reps).trim()}；` +
    `投递 ${fmtInt(delivery.rate)} 条/分 × ${delivery.seconds} s，冷启动与裸 POST ${part('', delivery.reps).trim()}；` +
    `回调 ${callback.connections} 个连接，预热 ${callback.warmupSeconds} s 后最大吞吐 ${callback.seconds} s、${fmtInt(callback.rate)} 次/秒 ${callback.rateSeconds} s；` +
    `状态每项 ${part('', cfg.status.reps).trim()}（board() ${cfg.status.boardReps.runs} 次），每次一个新工作线程`
  );
}

// —— reminders ——

interface ReminderResult extends ReminderBench {
  what: string;
}

/**
 * The plan of the brief (empty units directory), then (not in quick mode) the same units with two collectives named
 * by some tasks. The directory is built and checked in quick mode too.
 */
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
  const first: ReminderResult = { ...a, what: `生成并入队提醒：${units} 单位 / ${fmtInt(tasks)} 任务，单位目录为空` };
  if (cfg.quick) return [first];
  const b = benchReminders({ what: '提醒（含集合单位）', plan: grouped.plan, directory, contacts: syntheticContacts(grouped.units) }, reps, tmp);
  return [
    first,
    {
      ...b,
      what: `同上，单位目录含 2 个集合单位（${grouped.units.length - grouped.towns.length} 个部门、${grouped.towns.length} 个镇街），每 ${COLLECTIVE_EVERY} 项任务有一项写集合单位（共 ${grouped.collectiveTasks} 项）`,
    },
  ];
}

function reminderRows(cfg: Config, results: readonly ReminderResult[]): Row[] {
  const rows: Row[] = [];
  results.forEach((r, i) => {
    const s = r.stats;
    if (i > 0) rows.push('separator');
    rows.push([r.what, '', '', '', '']);
    rows.push([
      `  （${fmtInt(s.tasks)} 任务 / ${fmtInt(s.assignments)} 分工 → ${s.units} 个单位共 ${fmtInt(s.duties)} 项单位任务；联络员 ${s.liaisons} 人）`,
      '', '', '', '',
    ]);
    rows.push(['  生成 planReminders（月度周期）', ms(r.build), ms(r.baseRead), ratio(r.build, r.baseRead), spread(r.build)]);
    rows.push(['  入队 outbox.enqueue（一个事务）', ms(r.enqueue), ms(r.baseInsert), ratio(r.enqueue, r.baseInsert), spread(r.enqueue)]);
    rows.push(['  生成+入队', ms(r.total), ms(r.baseTotal), ratio(r.total, r.baseTotal), spread(r.total)]);
    const parts = [r.trees, r.unitDuties, r.states, r.text];
    const sum = parts.reduce((n, t) => n + t.median, 0);
    const share = (t: Timing): string => `占 ${((t.median / sum) * 100).toFixed(0)}%`;
    rows.push(['  其中：读计划树 planTrees', ms(r.trees), '', '', `${share(r.trees)}（四步中位数之和 ${fmtMs(sum)}）`]);
    rows.push(['  其中：展开分工 unitDuties', ms(r.unitDuties), '', '', share(r.unitDuties)]);
    rows.push(['  其中：读报送状态 statesForCycle', ms(r.states), '', '', share(r.states)]);
    rows.push(['  其中：排版分段 buildReminders', ms(r.text), '', '', `${share(r.text)}，含查联络员`]);
    rows.push([`    查联络员 liaisonsOf × ${s.units}`, ms(r.liaisons), '', '', `名单共 ${fmtInt(s.liaisons + s.units)} 行（含分管领导）`]);
    rows.push([
      '  提醒',
      `${fmtInt(s.messages)} 条 / ${fmtInt(s.parts)} 段`,
      '',
      '',
      `${fmtInt(s.split)} 条分段；正文共 ${fmtMB(s.bytes)}，每段最多 ${fmtInt(s.maxPartBytes)} 字节，请求体最多 ${fmtInt(s.maxBodyBytes)} 字节${s.maxBodyBytes <= ROBOT_MAX_BODY_BYTES ? '' : ' ✗'}（钉钉上限 ${fmtInt(ROBOT_MAX_BODY_BYTES)}）`,
    ]);
    rows.push(['  吞吐：生成+入队', `${fmtInt((s.messages * 1000) / r.total.median)} 条/秒`, '', '', `${perSecond(s.tasks, r.total.median)}；${fmtInt((s.parts * 1000) / r.total.median)} 段/秒`]);
  });
  const main = results[0] as ReminderResult;
  const estimated = cfg.remind.tasks !== GOAL_REMIND_TASKS;
  const figure = (main.total.median * GOAL_REMIND_TASKS) / cfg.remind.tasks;
  rows.push('separator');
  rows.push(['目标', '', '', '', '']);
  rows.push([
    `  ${GOAL_REMIND_UNITS} 单位 / ${fmtInt(GOAL_REMIND_TASKS)} 任务 生成+入队 < ${GOAL_REMIND_MS / 1000} s`,
    `${estimated ? '≈' : ''}${fmtMs(figure)}`,
    '',
    '',
    verdict(figure, GOAL_REMIND_MS, estimated ? `由 ${cfg.remind.units} 单位 / ${fmtInt(cfg.remind.tasks)} 任务按任务数线性外推的粗估` : ''),
  ]);
  return rows;
}

// —— status ——

function statusRows(cfg: Config, r: StatusBench): Row[] {
  const c = r.db.counts;
  const rows: Row[] = [];
  const plain = (m: StatusBench['unit']) => [
    fmtDuration(m.timing.median),
    fmtDuration(m.base.median),
    ratio(m.timing, m.base),
    `${fmtDuration(m.timing.min)}–${fmtDuration(m.timing.max)}，${m.timing.runs} 次`,
  ];
  rows.push([
    `省级规模合成数据库：${fmtInt(c.plans)} 个计划 / ${fmtInt(c.sections)} 个部分 / ${fmtInt(c.items)} 项事项 / ${fmtInt(c.tasks)} 项任务 / ${fmtInt(c.dutyUnits)} 个单位`,
    '', '', '', '',
  ]);
  rows.push([
    `  ${fmtInt(c.assignments)} 条分工（${fmtInt(c.collectiveTasks)} 项任务写集合单位，展开后 ${fmtInt(c.duties)} 项单位任务）；${fmtInt(c.reports)} 条报送`,
    '', '', '', `其中撤回 ${fmtInt(c.withdrawn)}、有困难 ${fmtInt(c.blocked)}、已完成 ${fmtInt(c.done)}；有计划时限的任务 ${fmtInt(c.deadlines)} 项`,
  ]);
  rows.push(['  生成：写入各表（一个事务，之后建索引）', fmtDuration(r.db.writeMs), '', '', '直接写入 report_latest 之前版本的表结构']);
  rows.push(['  生成：升级到最新版（回填 report_latest）', fmtDuration(r.db.migrateMs), '', '', 'Store 的迁移，与真实升级相同']);
  rows.push(['  数据库文件', fmtMB(r.bytes), '', '', `今天 ${PROVINCE_DAY_LABEL}：本期 ${r.cycles[0]}，上期 ${r.cycles[1]}`]);
  rows.push('separator');
  rows.push(['冷启动：打开数据库 + new StatusView + 查询', '', '', '', '']);
  rows.push(['  首次汇总（建立并保存分工索引）', fmtDuration(r.firstSummary), '', '', '导入计划或单位目录改变后的第一次']);
  rows.push(['  全局（汇总）summary()', ...plain(r.summary)]);
  rows.push(['  全局（明细）board()', ...plain(r.board)]);
  rows.push([`  单位 unitStatus（${r.db.sampleUnit.name}，${fmtInt(r.db.sampleUnit.duties)} 项）`, ...plain(r.unit)]);
  rows.push([`  最忙的单位（${r.db.busiestUnit.name}，${fmtInt(r.db.busiestUnit.duties)} 项）`, ...plain(r.busiest)]);
  rows.push([`  事项 itemStatus（计划 ${r.db.sampleItem.planId} 第${r.db.sampleItem.number}项，${r.itemTasks} 项任务 / ${r.db.sampleItem.duties} 项单位任务）`, ...plain(r.item)]);
  rows.push('separator');
  rows.push(['目标', '', '', '', '']);
  const goal = (what: string, figure: number, limit: number): Row =>
    cfg.quick ? [what, fmtMs(figure), '', '', `快速模式（1/${QUICK_PROVINCE_DIVISOR} 规模），不评`] : [what, fmtMs(figure), '', '', verdict(figure, limit)];
  rows.push(goal(`  单位 < ${GOAL_STATUS_ONE_MS} ms`, r.unit.timing.median, GOAL_STATUS_ONE_MS));
  rows.push(goal(`  事项 < ${GOAL_STATUS_ONE_MS} ms`, r.item.timing.median, GOAL_STATUS_ONE_MS));
  rows.push(goal(`  全局（汇总）< ${GOAL_STATUS_BOARD_MS} ms`, r.summary.timing.median, GOAL_STATUS_BOARD_MS));
  return rows;
}

// —— delivery ——

const perMinute = (messages: number, msValue: number): string => `${fmtInt((messages * 60_000) / msValue)} 条/分`;

function deliveryRows(d: DeliveryBench): { rows: Row[]; ok: boolean } {
  const st = d.steady;
  const rows: Row[] = [];
  const bareRate = perMinute(d.messages, d.bare.median);
  const windowCap = (d.rate * 60_000) / 61_000;
  rows.push([`钉钉群机器人投递：本机回环 HTTP 模拟 /robot/send，createDelivery 建的渠道（加签）与 DeliveryWorker，系统时钟`, '', '', '', '']);
  rows.push([
    '  限速 DINGTALK_RATE_PER_MINUTE',
    `${fmtInt(d.rate)} 条/分`,
    '',
    '',
    `按 61 s 滑动窗口计数，长期最多 ${fmtInt(d.rate)} 条/61 s ≈ ${fmtInt(windowCap)} 条/分（上限的 ${((60 / 61) * 100).toFixed(1)}%）`,
  ]);
  const share = st.perMinute / d.rate;
  rows.push([
    `  稳态：窗口已满，发送 ${d.messages} 条`,
    `${fmtInt(st.perMinute)} 条/分`,
    bareRate,
    '',
    `上限的 ${(share * 100).toFixed(1)}%；首末发送相隔 ${(st.spanMs / 1000).toFixed(2)} s，drain 共 ${(st.wallMs / 1000).toFixed(2)} s；最长间隔 ${fmtMs(st.maxGapMs)}（限速间隔 ${fmtMs(st.intervalMs)}）`,
  ]);
  rows.push([`  任一 60 s 窗口内最多（含此前 ${fmtInt(d.rate)} 条）`, `${fmtInt(st.maxIn60s)} 条`, '', '', `上限 ${fmtInt(d.rate)} 条；61 s 窗口内最多 ${fmtInt(st.maxIn61s)} 条`]);
  rows.push([
    `  冷启动：窗口为空，发送 ${d.messages} 条`,
    perMinute(d.messages, d.cold.median),
    bareRate,
    ratio(d.cold, d.bare),
    `每条 ${fmtMs(d.cold.median / d.messages)}，裸 POST 每条 ${fmtMs(d.bare.median / d.messages)}；${spread(d.cold)}`,
  ]);
  const overhead = (d.cold.median - d.bare.median) / d.messages;
  rows.push([
    '  每条额外开销（发件箱+加签）',
    fmtMs(overhead),
    '',
    '',
    `占稳态限速间隔 ${fmtMs(st.intervalMs)} 的 ${((overhead / st.intervalMs) * 100).toFixed(1)}%`,
  ]);
  rows.push(['  请求体', `平均 ${fmtInt(d.avgBodyBytes)} 字节`, '', '', `最大 ${fmtInt(d.maxBodyBytes)} 字节；正文取自上表生成的提醒`]);
  const withinLimit = st.maxIn60s <= d.rate && st.maxIn61s <= d.rate;
  rows.push('separator');
  rows.push(['目标', '', '', '', '']);
  rows.push([
    `  稳态速率 ≥ 上限的 ${GOAL_RATE_SHARE * 100}%`,
    `${(share * 100).toFixed(1)}%`,
    '',
    '',
    share >= GOAL_RATE_SHARE ? `✓ 达标（${fmtInt(st.perMinute)} ≥ ${fmtInt(d.rate * GOAL_RATE_SHARE)} 条/分）` : `✗ 未达标（${fmtInt(st.perMinute)} < ${fmtInt(d.rate * GOAL_RATE_SHARE)} 条/分）`,
  ]);
  rows.push([
    `  从不超过上限（任一 60 s 窗口 ≤ ${fmtInt(d.rate)} 条）`,
    `${fmtInt(st.maxIn60s)} 条`,
    '',
    '',
    withinLimit ? `✓ 达标（${fmtInt(st.maxIn60s)} ≤ ${fmtInt(d.rate)}）` : `✗ 超限（${fmtInt(Math.max(st.maxIn60s, st.maxIn61s))} > ${fmtInt(d.rate)}）`,
  ]);
  return { rows, ok: withinLimit };
}

// —— DingTalk callback ——

const rps = (perSecond: number): string => `${fmtInt(perSecond)} 次/秒`;
const busy = (run: LoadRun): string => `${(run.serverBusy * 100).toFixed(0)}%`;

function callbackRows(c: CallbackBench): Row[] {
  const rows: Row[] = [];
  const { max, paced } = c;
  const share = max.callback.perSecond / max.bare.perSecond;
  rows.push([
    `钉钉回调 POST /dingtalk/callback：本机回环，autocannon ${c.connections} 个连接；每个请求加签，是一条新报送（3.2 推进中 …），记录后经会话 Webhook 回复`,
    '', '', '', '',
  ]);
  rows.push([
    '  最大吞吐',
    rps(max.callback.perSecond),
    rps(max.bare.perSecond),
    fmtTimes(max.bare.perSecond / max.callback.perSecond),
    `为裸服务的 ${(share * 100).toFixed(1)}%；每次 ${fmtMs(1000 / max.callback.perSecond)}（裸服务 ${fmtMs(1000 / max.bare.perSecond)}）；服务线程占用 ${busy(max.callback)}（裸服务 ${busy(max.bare)}）`,
  ]);
  rows.push(['    延迟 p50', fmtMs(max.callback.p50), fmtMs(max.bare.p50), fmtTimes(max.callback.p50 / max.bare.p50), '']);
  rows.push(['    延迟 p99', fmtMs(max.callback.p99), fmtMs(max.bare.p99), fmtTimes(max.callback.p99 / max.bare.p99), `最大 ${fmtMs(max.callback.max)}（裸服务 ${fmtMs(max.bare.max)}）`]);
  const reached = paced.callback.perSecond >= c.rate * 0.95;
  rows.push([
    `  固定速率 ${fmtInt(c.rate)} 次/秒：实际`,
    rps(paced.callback.perSecond),
    rps(paced.bare.perSecond),
    '',
    `服务线程占用 ${busy(paced.callback)}（裸服务 ${busy(paced.bare)}）${reached ? '' : `；回调跟不上 ${fmtInt(c.rate)} 次/秒`}`,
  ]);
  rows.push(['    延迟 p50', fmtMs(paced.callback.p50), fmtMs(paced.bare.p50), fmtTimes(paced.callback.p50 / paced.bare.p50), '']);
  rows.push(['    延迟 p99', fmtMs(paced.callback.p99), fmtMs(paced.bare.p99), fmtTimes(paced.callback.p99 / paced.bare.p99), `最大 ${fmtMs(paced.callback.max)}（裸服务 ${fmtMs(paced.bare.max)}）`]);
  rows.push(['  请求体', `${fmtInt(c.bodyBytes)} 字节`, '', '', '两个服务收到同样的请求；msgId 每次不同（定长）']);
  rows.push([
    '  核对：记录与回复',
    `${fmtInt(c.reports)} 条 / ${fmtInt(c.replies)} 条`,
    '',
    '',
    `服务收到的 ${fmtInt(c.received)} 条报送（含预热和检查用的 1 条）各记录一行、各回复一次；其中 ${c.inFlightAtStop} 条在 autocannon 停止时在途，应答未计入`,
  ]);
  rows.push('separator');
  rows.push(['目标', '', '', '', '']);
  const need = max.bare.perSecond * GOAL_CALLBACK_SHARE;
  rows.push([
    `  吞吐 ≥ 裸服务的 ${GOAL_CALLBACK_SHARE * 100}%`,
    `${(share * 100).toFixed(1)}%`,
    '',
    '',
    share >= GOAL_CALLBACK_SHARE
      ? `✓ 达标（${fmtInt(max.callback.perSecond)} ≥ ${fmtInt(need)} 次/秒）`
      : `✗ 未达标（${fmtInt(max.callback.perSecond)} < ${fmtInt(need)} 次/秒）`,
  ]);
  rows.push([
    `  ${fmtInt(c.rate)} 次/秒时 p99 < ${GOAL_CALLBACK_P99_MS} ms`,
    fmtMs(paced.callback.p99),
    '',
    '',
    verdict(paced.callback.p99, GOAL_CALLBACK_P99_MS, reached ? '' : `回调实际只达到 ${rps(paced.callback.perSecond)}`),
  ]);
  return rows;
}

function growthNote(actual: number, linear: number): string {
  const k = actual / linear;
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
