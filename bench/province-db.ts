/**
 * A synthetic province-sized database for the status benchmark, written straight into a real SQLite file through
 * the schema of src/store/migrations.ts: plans with sections, items and tasks (the seed plan's texts), single units
 * named like a province's departments and governments (省、市、县 level), a few collectives and aliases named in a
 * units directory, lead and co-unit assignments, and progress reports over the past monthly cycles (some withdrawn,
 * some 有困难, some 已完成, some corrected within a cycle).
 *
 * The file is written at the schema version before the report_latest table, with bulk INSERTs in one transaction
 * (indexes built afterwards), and then opened through the migrations, so the backfill of report_latest runs as it
 * would on a real upgrade (its time is reported separately). Everything is deterministic: the same scale gives the
 * same database.
 */
import fs from 'node:fs';
import Database from 'better-sqlite3';
import { migrate, migrations, REPORT_LATEST_VERSION } from '../src/store/migrations';
import type { ReportStatus } from '../src/store/store';
import { mix } from './synthetic-plan';

/** The province of the brief. */
export const FULL_SCALE: ProvinceScale = { plans: 100, units: 6000, assignments: 500_000, reports: 2_000_000 };

export interface ProvinceScale {
  plans: number;
  /** Single units (collectives come on top). */
  units: number;
  /** Rows of the assignments table (a collective or an alias written in a plan is one row). */
  assignments: number;
  /** Reports (withdrawn ones included); the generator comes within a fraction of a percent. */
  reports: number;
}

/** The full scale divided by `divisor` (at least 2 plans and 60 units). */
export function scaleDown(divisor: number): ProvinceScale {
  return {
    plans: Math.max(2, Math.round(FULL_SCALE.plans / divisor)),
    units: Math.max(60, Math.round(FULL_SCALE.units / divisor)),
    assignments: Math.round(FULL_SCALE.assignments / divisor),
    reports: Math.round(FULL_SCALE.reports / divisor),
  };
}

/** The day the benchmark looks at the status: September is the active cycle, August (due the 25th) is owed. */
export const PROVINCE_TODAY = '2025-09-15';
/**
 * Monthly cycles with reports, April to the active September, and how likely a pair is to report in each: more
 * and more units keep to the schedule; the active cycle is half over.
 */
const CYCLES = ['2025-04', '2025-05', '2025-06', '2025-07', '2025-08', '2025-09'];
const CYCLE_SHARE = [0.45, 0.55, 0.6, 0.7, 0.85, 0.3];

export const CITY_COLLECTIVE = '各设区市人民政府';
export const COUNTY_COLLECTIVE = '各县(市、区)人民政府';
export const DEPARTMENT_COLLECTIVE = '省级有关部门';

const CITIES = ['杭州市', '宁波市', '温州市', '嘉兴市', '湖州市', '绍兴市', '金华市', '衢州市', '舟山市', '台州市', '丽水市'];
const COUNTY_CHARS = '安平德清海宁江山长兴桐乡善新昌天台仙居龙泉云和庆元景缙遂松阳青田文成泰顺苍南永嘉乐瑞洞头鹿城湾瓯岱普陀嵊泗临富阳建淳萧滨余杭拱墅上虞诸暨柯桥越义乌东武浦兰溪磐开化常游衢柯椒黄岩路温岭玉环三门吴秀洲南湖';
const DEPARTMENTS = [
  '人民政府', '发展改革委', '经济和信息化局', '教育局', '科技局', '民族宗教事务委', '公安局', '民政局', '司法局', '财政局',
  '人力资源和社会保障局', '自然资源和规划局', '生态环境局', '住房和城乡建设局', '交通运输局', '水利局', '农业农村局', '商务局',
  '文化广电旅游局', '卫生健康委', '退役军人事务局', '应急管理局', '审计局', '国资委', '市场监管局', '体育局', '统计局',
  '医疗保障局', '综合行政执法局', '信访局', '大数据发展管理局', '机关事务管理局', '政府办公室', '人防办', '地方金融监管局',
  '税务局', '气象局', '消防救援支队', '中级人民法院', '人民检察院', '总工会', '团委', '妇联', '科协', '残联', '红十字会',
  '供销合作社', '粮食和物资储备局', '林业局', '海洋经济发展局', '档案馆', '史志研究室', '投资促进中心', '行政审批局',
  '数据资源管理局', '城市管理局', '港航管理中心', '邮政管理局', '烟草专卖局', '供电公司',
];

/** A uniform number in [0, 1) from a hash. */
const unit01 = (h: number): number => h / 4294967296;

interface UnitNames {
  /** Canonical single units: provincial departments, then city governments and departments, then counties'. */
  units: string[];
  provincial: string[];
  cityGovernments: string[];
  countyGovernments: string[];
  /** Alias → canonical, for the first provincial departments (`浙江省司法厅` for `省司法厅`). */
  aliases: Map<string, string>;
}

function unitNames(count: number): UnitNames {
  const provincial = DEPARTMENTS.slice(1).map((d) => `省${d.replace(/局$/, '厅').replace(/^(人民)/, '')}`);
  const units: string[] = [];
  const cityGovernments: string[] = [];
  const countyGovernments: string[] = [];
  const push = (name: string): boolean => {
    if (units.length >= count) return false;
    units.push(name);
    return true;
  };
  for (const p of provincial) push(p);
  for (const city of CITIES) for (const d of DEPARTMENTS) if (push(`${city}${d}`) && d === '人民政府') cityGovernments.push(`${city}${d}`);
  const counties = new Set<string>();
  for (let k = 0; units.length < count; k++) {
    const a = COUNTY_CHARS[mix(k, 1) % COUNTY_CHARS.length] as string;
    const b = COUNTY_CHARS[mix(k, 2) % COUNTY_CHARS.length] as string;
    const suffix = ['县', '区', '市'][mix(k, 3) % 3] as string;
    const county = `${CITIES[k % CITIES.length]}${a}${b}${suffix}`;
    if (a === b || counties.has(county)) continue;
    counties.add(county);
    for (const d of DEPARTMENTS) if (push(`${county}${d}`) && d === '人民政府') countyGovernments.push(`${county}${d}`);
  }
  const aliases = new Map<string, string>();
  for (const p of provincial.slice(0, 20)) aliases.set(`浙江${p}`, p);
  return { units, provincial: provincial.filter((p) => units.includes(p)), cityGovernments, countyGovernments, aliases };
}

/** The units directory as YAML: every single unit, three collectives, and the aliases. */
function directoryYaml(names: UnitNames): string {
  const list = (xs: readonly string[], indent: string): string[] => xs.map((x) => `${indent}- "${x}"`);
  const lines = ['单位:', ...list(names.units, '  '), '集合单位:'];
  for (const [name, members] of collectives(names)) lines.push(`  "${name}":`, ...list(members, '    '));
  lines.push('别名:');
  for (const [alias, canonical] of names.aliases) lines.push(`  "${canonical}": ["${alias}"]`);
  return `${lines.join('\n')}\n`;
}

function collectives(names: UnitNames): Array<[string, string[]]> {
  const out: Array<[string, string[]]> = [[DEPARTMENT_COLLECTIVE, names.provincial]];
  if (names.cityGovernments.length) out.push([CITY_COLLECTIVE, names.cityGovernments]);
  if (names.countyGovernments.length) out.push([COUNTY_COLLECTIVE, names.countyGovernments]);
  return out;
}

export interface ProvinceCounts {
  plans: number;
  sections: number;
  items: number;
  tasks: number;
  /** Rows of `units` (single units as written, aliases and collectives named in plans). */
  unitRows: number;
  assignments: number;
  /** Assignments after collectives were expanded and aliases resolved: one per task and single unit. */
  duties: number;
  /** Single units with at least one duty. */
  dutyUnits: number;
  reports: number;
  withdrawn: number;
  blocked: number;
  done: number;
  /** Tasks with a plan deadline. */
  deadlines: number;
  /** Tasks naming a collective. */
  collectiveTasks: number;
}

export interface ProvinceDb {
  file: string;
  scale: ProvinceScale;
  counts: ProvinceCounts;
  /** The units directory (YAML) the duties were expanded with. */
  directoryYaml: string;
  /** A unit with a typical number of duties, and the unit with the most. */
  sampleUnit: { name: string; duties: number };
  busiestUnit: { name: string; duties: number };
  /** An item in the middle of the plans. */
  sampleItem: { planId: number; number: number; tasks: number; duties: number };
  /** Milliseconds to write the rows (schema before report_latest), and to migrate (backfill report_latest). */
  writeMs: number;
  migrateMs: number;
}

export interface ProvinceTexts {
  /** Task texts to draw from (the seed plan's). */
  tasks: readonly string[];
  /** Item titles to draw from. */
  items: readonly string[];
  /** Section titles to draw from. */
  sections: readonly string[];
}

const PLAN_TOPICS = [
  '法治政府建设', '数字化改革', '营商环境优化', '生态文明建设', '安全生产', '乡村振兴', '共同富裕示范区建设', '科技创新',
  '教育现代化', '健康浙江建设', '文化建设', '交通强省建设', '民生实事', '政务公开', '平安浙江建设', '高质量就业',
  '城乡风貌整治', '山区县跨越式发展', '海洋强省建设', '能源保供',
];
const REPORT_TEXTS = [
  '已召开专题会议研究部署，制定工作方案，明确责任分工和时间节点，正在按计划推进。',
  '本月完成阶段性任务，累计推进进度符合预期，下一步将加强督查指导，确保按期完成。',
  '已完成调研摸底，形成问题清单和整改台账，正在逐项销号。',
  '因配套资金尚未落实，部分项目进度滞后，已报请协调解决。',
  '已全面完成年度任务，相关材料已归档备查。',
  '联合相关部门开展专项检查，发现问题已督促整改到位，长效机制正在建立。',
];

function chineseNumeral(n: number): string {
  const d = ['', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
  if (n < 10) return d[n] as string;
  return `${n >= 20 ? d[Math.floor(n / 10)] : ''}十${d[n % 10]}`;
}

const REPORT_INSERT =
  'INSERT INTO reports (task_id, unit, cycle, status, percent, text, reporter_id, reporter_name, reported_at, withdrawn_at) VALUES';
const REPORT_ROW = '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)';
const REPORT_BATCH = 50;

/** 10:00 in Shanghai (02:00 UTC) on a day of a cycle (`2025-08`, day 20), seconds varied, as an ISO instant. */
function instantIn(cycle: string, day: number, minute: number): string {
  const [y, m] = cycle.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m - 1, day, 2, minute % 60, (minute * 7) % 60)).toISOString();
}

/**
 * Writes the database to `file` (removed first). The plans are spread evenly: each gets the same share of the
 * assignments; tasks have one lead and 1–8 co-units (5 units on average); units are drawn mostly evenly, with the
 * provincial departments named more often, as in real plans.
 */
export function buildProvinceDb(file: string, scale: ProvinceScale, texts: ProvinceTexts): ProvinceDb {
  for (const suffix of ['', '-wal', '-shm', '-journal']) fs.rmSync(file + suffix, { force: true });
  const names = unitNames(scale.units);
  const started = process.hrtime.bigint();
  const db = new Database(file);
  let counts: ProvinceCounts;
  let duties: Map<string, number>;
  let itemDuties: Array<{ planId: number; number: number; tasks: number; duties: number }>;
  try {
    db.pragma('journal_mode = OFF');
    db.pragma('synchronous = OFF');
    db.pragma('cache_size = -400000');
    db.pragma('temp_store = MEMORY');
    db.pragma('threads = 2');
    migrate(db, migrations.filter((m) => m.version < REPORT_LATEST_VERSION));
    // The indexes are built after the rows: a sorted build is many times faster than inserting into them row by row.
    const indexes = db.prepare<[], { name: string; sql: string }>("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL").all();
    for (const { name } of indexes) db.exec(`DROP INDEX "${name}"`);
    ({ counts, duties, itemDuties } = write(db, scale, names, texts));
    for (const { sql } of indexes) db.exec(sql);
  } finally {
    db.close();
  }
  const writeMs = Number(process.hrtime.bigint() - started) / 1e6;
  const m = process.hrtime.bigint();
  const upgraded = new Database(file);
  try {
    upgraded.pragma('journal_mode = WAL');
    migrate(upgraded);
    upgraded.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    upgraded.close();
  }
  const migrateMs = Number(process.hrtime.bigint() - m) / 1e6;
  const ranked = [...duties].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const typical = ranked[Math.floor(ranked.length / 2)] as [string, number];
  const busiest = ranked[0] as [string, number];
  const item = itemDuties[Math.floor(itemDuties.length / 2)] as ProvinceDb['sampleItem'];
  return {
    file,
    scale,
    counts,
    directoryYaml: directoryYaml(names),
    sampleUnit: { name: typical[0], duties: typical[1] },
    busiestUnit: { name: busiest[0], duties: busiest[1] },
    sampleItem: item,
    writeMs,
    migrateMs,
  };
}

/** The factor that brings an expected count to the target. */
function scaleToTarget(target: number, expected: number): number {
  return expected > 0 ? target / expected : 0;
}

function write(db: Database.Database, scale: ProvinceScale, names: UnitNames, texts: ProvinceTexts) {
  const s = {
    plan: db.prepare('INSERT INTO plans (id, title, year, issuer, date, created_at, updated_at) VALUES (?, ?, 2025, ?, ?, ?, ?)'),
    log: db.prepare("INSERT INTO plan_imports (plan_id, source_name, sha256, imported_at, summary_json) VALUES (?, ?, ?, ?, '{}')"),
    section: db.prepare('INSERT INTO sections (plan_id, number, title, position) VALUES (?, ?, ?, ?)'),
    item: db.prepare('INSERT INTO items (id, plan_id, number, section, title, position, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)'),
    task: db.prepare(
      'INSERT INTO tasks (id, plan_id, item_id, task_key, text, deadline, position, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    ),
    unit: db.prepare('INSERT INTO units (id, name) VALUES (?, ?)'),
    assignment: db.prepare('INSERT INTO assignments (task_id, unit_id, role, position) VALUES (?, ?, ?, ?)'),
    report: db.prepare(`${REPORT_INSERT} ${REPORT_ROW}`),
    reports: db.prepare(`${REPORT_INSERT} ${Array.from({ length: REPORT_BATCH }, () => REPORT_ROW).join(', ')}`),
  };
  // Reports go in REPORT_BATCH rows per statement: one call per row costs more than the insert itself.
  const batch: unknown[] = [];
  const addReport = (...row: unknown[]): void => {
    batch.push(...row);
    if (batch.length === REPORT_BATCH * row.length) {
      s.reports.run(batch);
      batch.length = 0;
    }
  };
  const flushReports = (): void => {
    for (let k = 0; k < batch.length; k += 10) s.report.run(batch.slice(k, k + 10));
    batch.length = 0;
  };
  const instants = new Map<string, string>();
  const instant = (cycle: string, day: number, minute: number): string => {
    const key = `${cycle}|${day}|${minute % 60}`;
    let at = instants.get(key);
    if (at === undefined) instants.set(key, (at = instantIn(cycle, day, minute)));
    return at;
  };
  const created = '2025-01-10T02:00:00.000Z';
  const unitIds = new Map<string, number>();
  const unitId = (name: string): number => {
    let id = unitIds.get(name);
    if (id === undefined) {
      id = unitIds.size + 1;
      unitIds.set(name, id);
      s.unit.run(id, name);
    }
    return id;
  };
  const members = new Map(collectives(names));
  const expand = (name: string): string[] => members.get(name) ?? [names.aliases.get(name) ?? name];
  const aliasOf = new Map([...names.aliases].map(([alias, canonical]) => [canonical, alias]));
  const provincialCount = names.provincial.length;
  const pick = (h: number): string => {
    // A third of the picks go to the provincial departments, the rest evenly to all units.
    const n = h % 3 === 0 ? mix(h, 5) % provincialCount : mix(h, 6) % names.units.length;
    return names.units[n] as string;
  };

  const counts: ProvinceCounts = {
    plans: 0, sections: 0, items: 0, tasks: 0, unitRows: 0, assignments: 0, duties: 0, dutyUnits: 0,
    reports: 0, withdrawn: 0, blocked: 0, done: 0, deadlines: 0, collectiveTasks: 0,
  };
  /** Every (task, single unit) duty, for the reports: task id and canonical unit. */
  const pairTask: number[] = [];
  const pairUnit: string[] = [];
  const duties = new Map<string, number>();
  const itemDuties: Array<{ planId: number; number: number; tasks: number; duties: number }> = [];
  let itemId = 0;
  let taskId = 0;

  db.transaction(() => {
    const perPlan = Math.floor(scale.assignments / scale.plans);
    for (let p = 1; p <= scale.plans; p++) {
      counts.plans++;
      const topic = PLAN_TOPICS[(p - 1) % PLAN_TOPICS.length] as string;
      const level = p <= PLAN_TOPICS.length ? '全省' : `${CITIES[(p - 1) % CITIES.length]}（第${Math.ceil(p / PLAN_TOPICS.length)}批）`;
      s.plan.run(p, `2025年${level}${topic}工作要点`, '浙江省人民政府办公厅', '2025-01-08', created, created);
      s.log.run(p, `plan-${p}.docx`, `province-${p}`, created);
      const sectionCount = 5 + (mix(p, 1) % 4);
      for (let k = 1; k <= sectionCount; k++) {
        s.section.run(p, chineseNumeral(k), texts.sections[(p + k) % texts.sections.length] ?? `第${k}部分`, k - 1);
        counts.sections++;
      }
      const quota = p === scale.plans ? scale.assignments - perPlan * (scale.plans - 1) : perPlan;
      // About 25 tasks an item and 5 units a task.
      const itemCount = Math.max(sectionCount, Math.round(quota / 125));
      let written = 0;
      for (let n = 1; n <= itemCount && written < quota; n++) {
        itemId++;
        counts.items++;
        const section = chineseNumeral(Math.min(sectionCount, 1 + Math.floor(((n - 1) * sectionCount) / itemCount)));
        s.item.run(itemId, p, n, section, texts.items[(p * 7 + n) % texts.items.length] ?? `第${n}项`, n - 1, created, created);
        const itemLeft = n === itemCount ? quota - written : Math.round((quota - written) / (itemCount - n + 1));
        const entry = { planId: p, number: n, tasks: 0, duties: 0 };
        itemDuties.push(entry);
        let inItem = 0;
        for (let j = 1; inItem < itemLeft; j++) {
          taskId++;
          counts.tasks++;
          entry.tasks++;
          const h = mix(taskId, 11);
          const size = Math.min(itemLeft - inItem, 2 + (h % 7));
          const roster: string[] = [];
          const canonical = new Set<string>();
          for (let step = 0; roster.length < size; step++) {
            const name = pick(mix(taskId, 100 + step));
            if (canonical.has(name)) continue;
            canonical.add(name);
            // Now and then a provincial department is written by its alias.
            const alias = aliasOf.get(name);
            roster.push(alias !== undefined && mix(taskId, 200 + step) % 8 === 0 ? alias : name);
          }
          const c = taskId % 250;
          if (c === 17 && names.cityGovernments.length) roster.push(CITY_COLLECTIVE);
          else if (c === 101) roster.push(DEPARTMENT_COLLECTIVE);
          else if (c === 203 && names.countyGovernments.length) roster.push(COUNTY_COLLECTIVE);
          else if (c === 42 && names.cityGovernments.length) roster.unshift(CITY_COLLECTIVE); // a collective that leads
          if (roster.some((w) => members.has(w))) counts.collectiveTasks++;
          const month = 3 + (mix(taskId, 12) % 10);
          const deadline = h % 5 === 4 ? `2025-${String(month).padStart(2, '0')}-${month === 9 ? '17' : '30'}` : null;
          if (deadline) counts.deadlines++;
          const text = texts.tasks[mix(taskId, 13) % texts.tasks.length] ?? '';
          s.task.run(taskId, p, itemId, `${n}.${j}`, `${text}（第${taskId}号）`, deadline, j - 1, created, created);
          const perUnit = new Set<string>();
          roster.forEach((name, k) => {
            s.assignment.run(taskId, unitId(name), k === 0 ? 'lead' : 'co', k);
            counts.assignments++;
            for (const u of expand(name)) {
              if (perUnit.has(u)) continue;
              perUnit.add(u);
              pairTask.push(taskId);
              pairUnit.push(u);
              duties.set(u, (duties.get(u) ?? 0) + 1);
            }
          });
          inItem += roster.length;
          entry.duties += perUnit.size;
        }
        written += inItem;
      }
    }
    counts.unitRows = unitIds.size;
    counts.duties = pairTask.length;
    counts.dutyUnits = duties.size;

    // Reports, cycle by cycle as they came in: each pair reports in a cycle with the cycle's share times its own
    // diligence; 8% of reports are 有困难, a pair may finish (已完成, 2% a cycle) and then stop, 5% are corrected by
    // a second report in the same cycle, and 3% of reports are withdrawn. The shares are scaled to the target count.
    const pairs = pairTask.length;
    const expected = CYCLE_SHARE.reduce((n, share) => n + share, 0) * 1.05 * 0.97 * pairs;
    const factor = scaleToTarget(scale.reports, expected);
    const finished = new Uint8Array(pairs);
    CYCLES.forEach((cycle, c) => {
      const share = (CYCLE_SHARE[c] as number) * factor;
      for (let i = 0; i < pairs; i++) {
        if (finished[i]) continue;
        const chance = Math.min(1, share * (0.7 + 0.6 * unit01(mix(i, 21))));
        const h = mix(i, 1000 + c);
        if (unit01(h) >= chance) continue;
        const roll = mix(h, 7) % 100;
        const status: ReportStatus = roll < 8 ? 'blocked' : roll < 10 && c > 0 ? 'done' : roll < 13 ? 'not_started' : 'in_progress';
        const times = mix(h, 8) % 20 === 0 ? 2 : 1;
        for (let t = 0; t < times; t++) {
          const withdrawn = mix(h, 30 + t) % 33 === 0;
          const st: ReportStatus = t === 0 && times === 2 ? 'in_progress' : status;
          const reporter = mix(i, 3) % 20000;
          addReport(
            pairTask[i], pairUnit[i], cycle, st, st === 'done' ? 100 : mix(h, 10) % 100,
            REPORT_TEXTS[mix(h, 11) % REPORT_TEXTS.length], `user${reporter}`, `联络员${reporter}`,
            instant(cycle, 16 + (mix(h, 9) % 12) + t, i), withdrawn ? instant(cycle, 28, i) : null,
          );
          counts.reports++;
          if (withdrawn) counts.withdrawn++;
          else if (st === 'blocked') counts.blocked++;
          else if (st === 'done') {
            counts.done++;
            finished[i] = 1;
          }
        }
      }
    });
    flushReports();
  })();
  return { counts, duties, itemDuties };
}
