/**
 * `npm run bench`: how fast duban parses a plan and imports it into SQLite, against baselines measured in
 * the same run, for the seed plan and for synthetic plans of 500 and 5,000 items.
 *
 * BENCH_QUICK=1 runs fewer repetitions and a 2,000-item plan instead of 5,000 (for CI; a few seconds).
 * Exit code 1 when a check fails (wrong parse, wrong row counts); a missed speed goal only prints ✗.
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
import { buildSyntheticPlan, readSeedTemplate, type Numbering } from './synthetic-plan';
import { fmtBytes, fmtInt, fmtMs, fmtTimes, renderTable, type Row } from './table';
import { TempFiles } from './temp-files';

const SEED_PATH = path.join('test', 'fixtures', 'seed-xiuzhou-2020.txt');
const SEED_ITEMS = 9;
const SEED_TASKS = 20;

/** Goals of the product. */
const GOAL_SEED_MS = 50;
const GOAL_BIG_ITEMS = 5000;
const GOAL_BIG_MS = 1000;

const SMALL = 500;

interface Config {
  quick: boolean;
  big: number;
  seed: Reps;
  small: Reps;
  large: Reps;
}

function config(): Config {
  const flag = (process.env.BENCH_QUICK ?? '').trim().toLowerCase();
  const quick = flag !== '' && flag !== '0' && flag !== 'false';
  return quick
    ? { quick, big: 2000, seed: { warmup: 5, runs: 9 }, small: { warmup: 3, runs: 5 }, large: { warmup: 1, runs: 3 } }
    : { quick, big: GOAL_BIG_ITEMS, seed: { warmup: 10, runs: 31 }, small: { warmup: 3, runs: 11 }, large: { warmup: 3, runs: 7 } };
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

  console.log('duban 性能基准：解析工作要点并导入 SQLite');
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
    const total = Number(process.hrtime.bigint() - started) / 1e9;
    console.log(`用时 ${total.toFixed(1)} s；临时数据库已删除（${tmp.dir}）。`);
    return 0;
  } finally {
    tmp.cleanup();
  }
}

function repsText(cfg: Config): string {
  const part = (what: string, r: Reps): string => `${what} 预热 ${r.warmup} 次后计 ${r.runs} 次`;
  return `${[part('种子', cfg.seed), part(`${SMALL} 项`, cfg.small), part(`${fmtInt(cfg.big)} 项`, cfg.large)].join('，')}，报告中位数`;
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
