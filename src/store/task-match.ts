/**
 * Pure helpers of the plan import: validating a ParsedPlan, flattening its tasks, building a task's roster
 * (unit + role) and matching new tasks to the stored ones. No SQL here.
 */
import type { ParsedPlan, PlanTask } from '../plan/types';

export type Role = 'lead' | 'co';

export interface RosterEntry {
  name: string;
  role: Role;
}

/** A non-archived task as stored. */
export interface LiveTask {
  id: number;
  key: string;
  text: string;
  qualifier: string | null;
  deadline: string | null;
  itemId: number;
  /** Number of the task's item (`第4项`). */
  itemNumber: number;
  position: number;
}

/** A task of the plan being imported, in document order. */
export interface NewTask {
  key: string;
  text: string;
  qualifier: string | null;
  deadline: string | null;
  itemNumber: number;
  /** Index within its item. */
  position: number;
  source: PlanTask;
}

/** Checks what the database constraints rely on; throws a Chinese message. */
export function validatePlan(plan: ParsedPlan): void {
  if (typeof plan.title !== 'string' || plan.title.trim() === '') {
    throw new Error('工作要点缺少标题，无法导入。');
  }
  const sections = new Set<string>();
  for (const s of plan.sections) {
    if (sections.has(s.number)) throw new Error(`部分编号重复：${s.number}`);
    sections.add(s.number);
  }
  const items = new Set<number>();
  const tasks = new Set<string>();
  for (const item of plan.items) {
    if (!Number.isInteger(item.number)) throw new Error(`事项编号无效：${String(item.number)}`);
    if (items.has(item.number)) throw new Error(`事项编号重复：第${item.number}项`);
    items.add(item.number);
    for (const task of item.tasks) {
      if (typeof task.id !== 'string' || task.id === '') throw new Error(`第${item.number}项中有任务缺少编号。`);
      if (tasks.has(task.id)) throw new Error(`任务编号重复：${task.id}`);
      tasks.add(task.id);
    }
  }
}

export function flattenTasks(plan: ParsedPlan): NewTask[] {
  return plan.items.flatMap((item) =>
    item.tasks.map((task, position) => ({
      key: task.id,
      text: task.text,
      qualifier: task.qualifier ?? null,
      deadline: task.deadline ?? null,
      itemNumber: item.number,
      position,
      source: task,
    })),
  );
}

/**
 * The task's units in written order with their roles; a lead missing from `units` is appended,
 * a unit listed twice is kept once. Throws on a unit that is not a non-empty string.
 */
export function rosterOf(task: PlanTask): RosterEntry[] {
  const leads = new Set<unknown>(task.leads ?? []);
  const seen = new Set<string>();
  const roster: RosterEntry[] = [];
  for (const name of [...task.units, ...(task.leads ?? [])] as unknown[]) {
    if (typeof name !== 'string' || name.trim() === '') {
      throw new Error(`任务 ${task.id} 的责任单位无效：${JSON.stringify(name) ?? String(name)}`);
    }
    if (seen.has(name)) continue;
    seen.add(name);
    roster.push({ name, role: leads.has(name) ? 'lead' : 'co' });
  }
  return roster;
}

/** Distinct unit names of the whole plan. */
export function countUnits(plan: ParsedPlan): number {
  return new Set(plan.items.flatMap((i) => i.tasks.flatMap((t) => rosterOf(t).map((r) => r.name)))).size;
}

/**
 * Lowest text similarity (see `textSimilarity`) at which an edited task keeps its stored row. Measured on the
 * seed, data/plan.txt and the corpus excerpts (89 tasks): replacing a 4–8 character phrase in a task of 39+
 * characters scores 0.77–0.97, adding or dropping a clause 0.72–1; two different tasks of one plan score at most
 * 0.67 (short formulaic targets such as `有效投资完成市下达目标任务。` / `节能减排完成市下达目标任务。`), 99% of
 * them below 0.34. A wrong match hands a task's progress history to another task, a missed one only archives
 * the old row (history kept) and starts a new one, so the threshold sits above the formulaic pairs.
 */
export const SIMILARITY_THRESHOLD = 0.7;

/**
 * How far apart (in item numbers) an edited task may move and still be recognised: its own item and the
 * neighbouring ones. Keeps the comparison linear in the size of the plan.
 */
export const ITEM_WINDOW = 1;

/** Characters that do not count for similarity: whitespace, punctuation and symbols (after NFKC). */
const NOISE_RE = /[\s\p{P}\p{S}]/u;

/** Per UTF-16 code unit: 0 not looked at yet, 1 counts, 2 noise (NOISE_RE), filled as units are met. */
const unitKind = new Uint8Array(0x10000);

function isNoise(unit: number): boolean {
  let kind = unitKind[unit] as number;
  if (kind === 0) {
    kind = NOISE_RE.test(String.fromCharCode(unit)) ? 2 : 1;
    unitKind[unit] = kind;
  }
  return kind === 2;
}

/**
 * The character bigrams of a text as a sorted multiset of codes (`first << 16 | second`, over UTF-16 code
 * units), with widths folded (NFKC) and whitespace and punctuation left out. When the text is too short for a
 * bigram, `plain` is what is left of it (at most one character), else ''.
 */
interface Bigrams {
  codes: Uint32Array;
  plain: string;
}

function bigrams(text: string): Bigrams {
  const folded = text.normalize('NFKC');
  const codes = new Uint32Array(Math.max(folded.length - 1, 0));
  let n = 0;
  let prev = -1;
  for (let i = 0; i < folded.length; i++) {
    const unit = folded.charCodeAt(i);
    if (isNoise(unit)) continue;
    if (prev >= 0) codes[n++] = prev * 0x10000 + unit;
    prev = unit;
  }
  return { codes: codes.subarray(0, n).sort(), plain: n === 0 && prev >= 0 ? String.fromCharCode(prev) : '' };
}

function dice(a: Bigrams, b: Bigrams): number {
  const x = a.codes;
  const y = b.codes;
  if (x.length === 0 || y.length === 0) return x.length === y.length && a.plain === b.plain ? 1 : 0;
  return (2 * commonCount(x, y)) / (x.length + y.length);
}

/** Dice ≥ t needs the shorter multiset to hold at least t / (2 − t) of the longer one. */
const MIN_SIZE_RATIO = SIMILARITY_THRESHOLD / (2 - SIMILARITY_THRESHOLD);

/** `dice(a, b)`, or 0 when it is certainly below SIMILARITY_THRESHOLD (sizes too far apart). */
function diceAboveThreshold(a: Bigrams, b: Bigrams): number {
  const m = a.codes.length;
  const n = b.codes.length;
  if (Math.min(m, n) < MIN_SIZE_RATIO * Math.max(m, n) - 1e-9) return 0; // slack for rounding at the boundary
  return dice(a, b);
}

/** Size of the multiset intersection of two sorted arrays. */
function commonCount(x: Uint32Array, y: Uint32Array): number {
  let common = 0;
  for (let i = 0, j = 0; i < x.length && j < y.length; ) {
    const u = x[i] as number;
    const v = y[j] as number;
    if (u === v) {
      common += 1;
      i += 1;
      j += 1;
    } else if (u < v) i += 1;
    else j += 1;
  }
  return common;
}

/**
 * Sørensen–Dice coefficient of the character-bigram multisets of two task texts, in [0, 1]: 1 for texts
 * that differ only in punctuation, whitespace or full/half width, 0 for texts without a bigram in common.
 * Works on characters (Chinese has no word spaces); a text of one character only equals itself.
 */
export function textSimilarity(a: string, b: string): number {
  return dice(bigrams(a), bigrams(b));
}

export interface MatchOptions {
  /**
   * Names of a stored task's live units, used only to break ties between equally similar candidates;
   * called at most once per stored task, and only for those left after the exact-text steps that are
   * similar enough to some new task.
   */
  unitsOf?: (task: LiveTask) => readonly string[];
}

/** The units of a task as a comparable key (order and role ignored). */
function unitKey(names: readonly unknown[]): string {
  return [...new Set(names.filter((n): n is string => typeof n === 'string'))].sort().join('\u0000');
}

interface Candidate {
  next: number;
  old: number;
  score: number;
  sameItem: boolean;
  sameUnits: boolean;
  sameKey: boolean;
}

/**
 * Pairs new tasks with stored ones, so that a task keeps its row (and its progress history) across imports:
 *
 * 1. same text and same key;
 * 2. same text, key moved (the first free stored one in document order);
 * 3. text edited: the remaining tasks pair by text similarity, best pairs first, among stored and new tasks
 *    whose item numbers differ by at most ITEM_WINDOW. Only pairs scoring at least SIMILARITY_THRESHOLD
 *    count; equal scores prefer the same item, then the same units, then the same key, then document order.
 *
 * A stored task left unpaired is to be archived, a new one inserted: a task deleted next to an edited one, or
 * rewritten beyond recognition, does not hand its row to another task.
 * Returns, for each new task index, the matched stored task or undefined.
 */
export function matchTasks(
  live: readonly LiveTask[], next: readonly NewTask[], options: MatchOptions = {},
): (LiveTask | undefined)[] {
  const result: (LiveTask | undefined)[] = next.map(() => undefined);
  const free = new Set(live);
  const take = (i: number, old: LiveTask | undefined): void => {
    if (old && free.has(old) && result[i] === undefined) {
      result[i] = old;
      free.delete(old);
    }
  };

  // 1. same text and same key
  const byKeyAndText = new Map(live.map((t) => [`${t.key}\u0000${t.text}`, t]));
  next.forEach((t, i) => take(i, byKeyAndText.get(`${t.key}\u0000${t.text}`)));

  // 2. same text, key moved (first free one in document order)
  const byText = new Map<string, LiveTask[]>();
  for (const t of live) {
    const same = byText.get(t.text);
    if (same) same.push(t);
    else byText.set(t.text, [t]);
  }
  next.forEach((t, i) => {
    if (result[i] !== undefined) return;
    take(i, byText.get(t.text)?.find((old) => free.has(old)));
  });

  // 3. text edited: most similar pairs first
  if (free.size === 0) return result;
  const olds = live.filter((t) => free.has(t));
  const news = next.map((t, i) => ({ t, i })).filter(({ i }) => result[i] === undefined);
  if (news.length === 0) return result;

  // Bigrams and units are worked out only for stored tasks that some new task is compared with.
  const oldGrams: (Bigrams | undefined)[] = [];
  const oldGramsOf = (k: number): Bigrams => (oldGrams[k] ??= bigrams((olds[k] as LiveTask).text));
  const oldsByItem = new Map<number, number[]>();
  olds.forEach((t, k) => {
    const list = oldsByItem.get(t.itemNumber);
    if (list) list.push(k);
    else oldsByItem.set(t.itemNumber, [k]);
  });
  const oldUnits = new Map<number, string>();
  const oldUnitKey = (k: number): string => {
    let key = oldUnits.get(k);
    if (key === undefined) {
      key = options.unitsOf ? unitKey(options.unitsOf(olds[k] as LiveTask)) : '';
      oldUnits.set(k, key);
    }
    return key;
  };

  const candidates: Candidate[] = [];
  for (const { t, i } of news) {
    let grams: Bigrams | undefined;
    let units: string | undefined;
    for (let n = t.itemNumber - ITEM_WINDOW; n <= t.itemNumber + ITEM_WINDOW; n++) {
      for (const k of oldsByItem.get(n) ?? []) {
        const old = olds[k] as LiveTask;
        grams ??= bigrams(t.text);
        const score = diceAboveThreshold(grams, oldGramsOf(k));
        if (score < SIMILARITY_THRESHOLD) continue;
        units ??= unitKey([...t.source.units, ...(t.source.leads ?? [])]);
        candidates.push({
          next: i, old: k, score,
          sameItem: old.itemNumber === t.itemNumber,
          sameUnits: options.unitsOf !== undefined && oldUnitKey(k) === units,
          sameKey: old.key === t.key,
        });
      }
    }
  }

  const flag = (b: boolean): number => (b ? 1 : 0);
  candidates.sort((a, b) =>
    b.score - a.score ||
    flag(b.sameItem) - flag(a.sameItem) ||
    flag(b.sameUnits) - flag(a.sameUnits) ||
    flag(b.sameKey) - flag(a.sameKey) ||
    a.next - b.next ||
    a.old - b.old,
  );
  for (const c of candidates) take(c.next, olds[c.old]);

  return result;
}
