/**
 * Large plans for the benchmark, built from the seed plan's own text: the covering notice and title once,
 * then the seed's items repeated with new numbers, grouped under `一、二、…` sections that reuse the seed's
 * section titles. The annotations keep their bracket styles (`〔责任单位:…〕`, `(责任单位:…)`), qualifiers
 * (`按职责分工落实`), the `列第一位的为牵头单位,下同` rule and nested units (`各镇人民政府(街道办事处)`);
 * only the specific units (`区司法局`, …) are varied (`区财政局`, `区部门123`, …) so that the unit table grows
 * as in a real district. The first copy of the seed items is left exactly as written.
 *
 * Everything is deterministic: the same N gives the same text, so runs are comparable.
 *
 * For the reminder benchmark, buildAssignmentPlan builds a ParsedPlan directly (no text): a given number of
 * tasks spread over a given number of units, with the seed's task texts.
 */
import type { ParsedPlan, PlanTask } from '../src/plan/types';

export interface SeedTemplate {
  /** Lines before the first section: page chrome, covering notice, title, 总体要求. */
  front: string[];
  /** Section titles as written after `一、`. */
  sectionTitles: string[];
  /** Item bodies, the text after `1.`, in document order. */
  items: string[];
  /** Distinct specific units named in the seed's annotations (`区司法局`, …). */
  units: string[];
}

/** How item numbers are written. */
export type Numbering =
  /** 1..N through the whole plan, as the seed does. */
  | 'global'
  /** Restarting at 1 in every section (the parser then renumbers 1..N in order, with a warning). */
  | 'per-section';

export interface SyntheticPlan {
  text: string;
  items: number;
  sections: number;
  numbering: Numbering;
  /** Index into SeedTemplate.items of each generated item, in order. */
  templateOf: number[];
}

/** Largest section number the `一、` heading pattern can write without `百`. */
export const MAX_SECTIONS = 99;

const SECTION_LINE_RE = /^\s*[一二三四五六七八九十]+、\s*(.*)$/;
const ITEM_LINE_RE = /^\s*\d+\s*[.、]\s*(.*)$/;
/** Opening brackets that may start a responsibility annotation. */
const OPEN = '(〔（[【';
const CLOSE = ')〕）]】';
const LABEL = '责任单位';
/** A specific unit in an annotation: `区` + name + `局`/`办公室`/`办`, after a separator or the label's colon. */
const SPECIFIC_UNIT_RE = /(?<=[:：、,，])区[\u4e00-\u9fa5]{1,12}?(?:局|办公室|办)(?=[、,，。;〕)）]|按)/g;

const CN_DIGITS = ['', '一', '二', '三', '四', '五', '六', '七', '八', '九'];

/** 1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 99 → 九十九. */
export function chineseNumeral(n: number): string {
  if (!Number.isInteger(n) || n < 1 || n > MAX_SECTIONS) throw new RangeError(`section number out of range: ${n}`);
  if (n < 10) return CN_DIGITS[n] as string;
  const tens = Math.floor(n / 10);
  return `${tens === 1 ? '' : CN_DIGITS[tens]}十${CN_DIGITS[n % 10]}`;
}

/** Start and end (exclusive of brackets) of every `(责任单位:…)`-style annotation's content, nesting aware. */
function annotationSpans(body: string): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  for (let at = body.indexOf(LABEL); at >= 0; at = body.indexOf(LABEL, at + LABEL.length)) {
    const open = at - 1;
    if (open < 0 || !OPEN.includes(body[open] ?? '')) continue;
    let depth = 0;
    for (let i = open; i < body.length; i++) {
      const ch = body[i] ?? '';
      if (OPEN.includes(ch)) depth++;
      else if (CLOSE.includes(ch) && --depth === 0) {
        spans.push([open + 1, i]);
        break;
      }
    }
  }
  return spans;
}

/** Splits the seed text into its frame, sections and items. */
export function readSeedTemplate(seedText: string): SeedTemplate {
  const lines = seedText.replace(/^\uFEFF/, '').split(/\r?\n/);
  const firstSection = lines.findIndex((l) => SECTION_LINE_RE.test(l));
  if (firstSection < 0) throw new Error('种子计划中没有找到“一、”这样的部分标题。');
  const template: SeedTemplate = { front: lines.slice(0, firstSection), sectionTitles: [], items: [], units: [] };
  for (const line of lines.slice(firstSection)) {
    const sec = SECTION_LINE_RE.exec(line);
    if (sec) {
      template.sectionTitles.push(sec[1] ?? '');
      continue;
    }
    const item = ITEM_LINE_RE.exec(line);
    if (item) {
      template.items.push(item[1] ?? '');
      continue;
    }
    if (line.trim() !== '') throw new Error(`种子计划中有无法归类的正文行：${line.slice(0, 40)}`);
  }
  const units = new Set<string>();
  for (const body of template.items) {
    for (const [from, to] of annotationSpans(body)) {
      for (const m of body.slice(from, to).matchAll(SPECIFIC_UNIT_RE)) units.add(m[0]);
    }
  }
  template.units = [...units];
  if (template.items.length === 0 || template.units.length === 0) throw new Error('种子计划中没有找到事项或责任单位。');
  return template;
}

/** A small integer hash, so that the choices look varied but are the same on every run. */
export function mix(a: number, b: number): number {
  let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(b + 0x632be5ab, 0xc2b2ae35);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  h ^= h >>> 12;
  return h >>> 0;
}

/** Number of distinct `区部门N` names the synthetic plans draw from. */
const SYNTHETIC_UNIT_POOL = 300;

/**
 * The item body with its specific units varied and a marker that keeps its task texts unique
 * (a real plan never repeats a task word for word; repeated texts would make the importer's
 * text matching do work that no real plan causes).
 */
function varyItem(body: string, itemNo: number, seed: SeedTemplate): string {
  let out = '';
  let last = 0;
  let occurrence = 0;
  annotationSpans(body).forEach(([from, to], a) => {
    const used = new Set<string>();
    const content = body.slice(from, to).replace(SPECIFIC_UNIT_RE, (original) => {
      const h = mix(itemNo, occurrence++);
      const pick = h % 10;
      let candidates: string[];
      if (pick < 4) candidates = [original];
      else if (pick < 6) candidates = seed.units.map((_, k) => seed.units[(h + k) % seed.units.length] as string);
      else {
        // Not `h % POOL`: POOL is a multiple of 10, so that would only reach the numbers ending in 6–9.
        const start = (h >>> 8) % SYNTHETIC_UNIT_POOL;
        candidates = Array.from({ length: SYNTHETIC_UNIT_POOL }, (_, k) => `区部门${((start + k) % SYNTHETIC_UNIT_POOL) + 1}`);
      }
      const name = candidates.find((c) => !used.has(c)) ?? `区部门${SYNTHETIC_UNIT_POOL + occurrence}`;
      used.add(name);
      return name;
    });
    // `…体系。〔责任单位:…〕` → `…体系。相关工作纳入第12号督办台账。〔责任单位:…〕`
    const before = body.slice(last, from - 1);
    const marker = /。$/.test(before) ? `相关工作纳入第${itemNo}-${a + 1}号督办台账。` : '';
    out += before + marker + body[from - 1] + content;
    last = to;
  });
  return out + body.slice(last);
}

/**
 * A plan of `n` items: the seed's items in order, again and again. Sections hold
 * ceil(n / 99) items each (at most 99 sections, and at least 3 items per section).
 */
export function buildSyntheticPlan(seed: SeedTemplate, n: number, numbering: Numbering): SyntheticPlan {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`item count must be a positive integer: ${n}`);
  const perSection = Math.max(3, Math.ceil(n / MAX_SECTIONS));
  const lines = [...seed.front];
  const templateOf: number[] = [];
  let sections = 0;
  let numberInSection = 0;
  for (let k = 0; k < n; k++) {
    if (k % perSection === 0) {
      sections++;
      numberInSection = 0;
      const title = seed.sectionTitles[(sections - 1) % seed.sectionTitles.length] ?? '';
      lines.push(`${chineseNumeral(sections)}、${title}`);
    }
    numberInSection++;
    const t = k % seed.items.length;
    templateOf.push(t);
    const itemNo = k + 1;
    const body = k < seed.items.length ? (seed.items[t] as string) : varyItem(seed.items[t] as string, itemNo, seed);
    lines.push(`${numbering === 'global' ? itemNo : numberInSection}.${body}`);
  }
  return { text: `${lines.join('\n')}\n`, items: n, sections, numbering, templateOf };
}

// —— plans built directly as ParsedPlan, for the reminder benchmark ——

/** The two collectives of the reminder benchmark's units directory, as a plan writes them. */
export const DEPARTMENTS_COLLECTIVE = '区级有关部门';
export const TOWNS_COLLECTIVE = '各镇人民政府(街道办事处)';

export interface AssignmentPlanOptions {
  /** Distinct single units; each task is assigned 1–4 of them, the first one leading. */
  units: number;
  tasks: number;
  /**
   * Every `collectiveEvery`-th task also names a collective (alternately departments and towns) as a
   * co-operating unit; 0 for none. Without a units directory that knows the collectives, they stay plain names.
   */
  collectiveEvery: number;
}

export interface AssignmentPlan {
  plan: ParsedPlan;
  /** The single units, in order (departments first, then towns). */
  units: string[];
  /** Units that are towns (the last sixth or so); the rest are departments. */
  towns: string[];
  /** Assignment rows the importer writes (collectives count as one unit each). */
  assignments: number;
  /** Tasks that name a collective. */
  collectiveTasks: number;
}

/**
 * `n` unit names: the seed's own specific units (`区司法局`, …), then `区部门N` for the remaining departments,
 * and `镇街道N` for the last sixth (the members of the towns collective).
 */
export function syntheticUnitNames(seedUnits: readonly string[], n: number): { units: string[]; towns: string[] } {
  const townCount = Math.max(1, Math.floor(n / 6));
  const departments = n - townCount;
  const units: string[] = [];
  for (const name of seedUnits) if (units.length < departments) units.push(name);
  for (let k = 1; units.length < departments; k++) units.push(`区部门${k}`);
  const towns = Array.from({ length: townCount }, (_, k) => `镇街道${k + 1}`);
  return { units: [...units, ...towns], towns };
}

/**
 * A plan of `opts.tasks` tasks over `opts.units` units, built directly (no parsing), with the seed's task texts
 * and item titles: items of 1–4 tasks, at most 99 sections, a deadline on every fourth task, and for each task
 * 1–4 distinct units picked by a fixed hash, the first one the lead. Task texts stay unique (a marker with the key
 * is appended). Deterministic: the same options give the same plan.
 */
export function buildAssignmentPlan(seed: ParsedPlan, seedUnits: readonly string[], opts: AssignmentPlanOptions): AssignmentPlan {
  const seedTasks = seed.items.flatMap((i) => i.tasks);
  if (seedTasks.length === 0) throw new Error('种子计划中没有任务。');
  const { units, towns } = syntheticUnitNames(seedUnits, opts.units);
  const itemSizes: number[] = [];
  for (let left = opts.tasks, k = 0; left > 0; k++) {
    const size = Math.min(left, 1 + (mix(k, 7) % 4));
    itemSizes.push(size);
    left -= size;
  }
  const perSection = Math.max(3, Math.ceil(itemSizes.length / MAX_SECTIONS));
  const sections: ParsedPlan['sections'] = [];
  const items: ParsedPlan['items'] = [];
  let taskNo = 0;
  let assignments = 0;
  let collectiveTasks = 0;
  itemSizes.forEach((size, i) => {
    if (i % perSection === 0) {
      const n = sections.length + 1;
      sections.push({ number: chineseNumeral(n), title: seed.sections[(n - 1) % Math.max(1, seed.sections.length)]?.title ?? `第${n}部分` });
    }
    const number = i + 1;
    const seedItem = seed.items[i % seed.items.length];
    const tasks: PlanTask[] = [];
    for (let j = 0; j < size; j++, taskNo++) {
      const id = `${number}.${j + 1}`;
      const h = mix(taskNo, 11);
      const count = 1 + (h % 4);
      const picked: string[] = [];
      for (let step = 0; picked.length < count; step++) {
        const name = units[mix(taskNo, 100 + step) % units.length] as string;
        if (!picked.includes(name)) picked.push(name);
      }
      if (opts.collectiveEvery > 0 && taskNo % opts.collectiveEvery === opts.collectiveEvery - 1) {
        picked.push(collectiveTasks % 2 === 0 ? DEPARTMENTS_COLLECTIVE : TOWNS_COLLECTIVE);
        collectiveTasks++;
      }
      assignments += picked.length;
      const text = (seedTasks[taskNo % seedTasks.length] as PlanTask).text;
      tasks.push({
        id,
        text: `${text}相关工作纳入第${id}号督办台账。`,
        units: picked,
        leads: [picked[0] as string],
        qualifier: null,
        deadline: taskNo % 4 === 3 ? `2025-${String(6 + (taskNo % 7)).padStart(2, '0')}-30` : null,
      });
    }
    items.push({
      number,
      label: null,
      section: sections[sections.length - 1]?.number ?? null,
      title: seedItem?.title ?? `第${number}项`,
      tasks,
    });
  });
  const plan: ParsedPlan = {
    title: `${seed.title}（督办基准 ${opts.units} 单位 ${opts.tasks} 任务）`,
    year: seed.year,
    issuer: seed.issuer,
    date: seed.date,
    sections,
    items,
    warnings: [],
  };
  return { plan, units, towns, assignments, collectiveTasks };
}

/** The units directory of the benchmark as YAML: every single unit, and the two collectives over them. */
export function unitDirectoryYaml(units: readonly string[], towns: readonly string[]): string {
  const townSet = new Set(towns);
  const list = (names: readonly string[], indent: string): string => names.map((n) => `${indent}- ${n}`).join('\n');
  return [
    '单位:',
    list(units, '  '),
    '集合单位:',
    `  ${DEPARTMENTS_COLLECTIVE}:`,
    list(units.filter((u) => !townSet.has(u)), '    '),
    `  "${TOWNS_COLLECTIVE}":`,
    list(towns, '    '),
    '',
  ].join('\n');
}
