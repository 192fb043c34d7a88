/**
 * Pairing the tasks of a plan being imported with the stored ones, so that a task keeps its row (and its
 * progress history) across imports. Pure: the caller supplies the stored tasks and their units. No SQL here.
 */
import { rosterOf, unitAgreement, type NewTask, type RosterEntry, type UnitAgreement } from './plan-shape';
import { SIMILARITY_THRESHOLD, bigrams, diceAboveThreshold, type Bigrams } from './text-similarity';

export { countUnits, flattenTasks, rosterOf, validatePlan } from './plan-shape';
export type { NewTask, Role, RosterEntry } from './plan-shape';
export { SIMILARITY_THRESHOLD, textSimilarity } from './text-similarity';

/** A stored task (live, or archived when looking for one to restore). */
export interface StoredTask {
  id: number;
  key: string;
  text: string;
  qualifier: string | null;
  deadline: string | null;
  itemId: number;
  /**
   * Number of the task's item (`第4项`). For live tasks the importer passes the number their item has in the
   * new plan when the item was recognised by its title, so that distances count in the new numbering.
   */
  itemNumber: number;
  position: number;
}

/** A non-archived task as stored. */
export type LiveTask = StoredTask;

/**
 * How far apart (in item numbers) an edited task may move and still be recognised: its own item and the
 * neighbouring ones. Keeps the comparison linear in the size of the plan.
 */
export const ITEM_WINDOW = 1;

export interface MatchOptions {
  /**
   * A stored task's live units in written order with their roles. Called at most once per stored task, and
   * only for those that share their text with other tasks or are similar enough to some new task.
   * Without it every task's units count as unknown.
   */
  unitsOf?: (task: StoredTask) => readonly RosterEntry[];
}

/** For each new task index, the matched stored task or undefined. */
export type Match = (StoredTask | undefined)[];

/** State shared by the matching steps of one call. */
class Pairing {
  readonly result: Match;
  readonly free: Set<StoredTask>;
  private readonly oldRosters = new Map<StoredTask, readonly RosterEntry[]>();
  private readonly newRosters: (RosterEntry[] | undefined)[] = [];

  constructor(readonly next: readonly NewTask[], olds: readonly StoredTask[], private readonly options: MatchOptions) {
    this.result = next.map(() => undefined);
    this.free = new Set(olds);
  }

  take(i: number, old: StoredTask | undefined): void {
    if (old && this.free.has(old) && this.result[i] === undefined) {
      this.result[i] = old;
      this.free.delete(old);
    }
  }

  units(i: number, old: StoredTask): UnitAgreement {
    const unitsOf = this.options.unitsOf;
    if (!unitsOf) return 1;
    let a = this.oldRosters.get(old);
    if (!a) this.oldRosters.set(old, (a = unitsOf(old)));
    const b = (this.newRosters[i] ??= rosterOf((this.next[i] as NewTask).source, true));
    return unitAgreement(a, b);
  }

  unmatched(): number[] {
    return this.next.flatMap((_, i) => (this.result[i] === undefined ? [i] : []));
  }
}

function groupBy<T>(values: Iterable<T>, keyOf: (v: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const v of values) {
    const key = keyOf(v);
    const list = groups.get(key);
    if (list) list.push(v);
    else groups.set(key, [v]);
  }
  return groups;
}

const flag = (b: boolean): number => (b ? 1 : 0);

/**
 * Pairs tasks with the same text. A text held by one stored and one new task pairs them whatever their units
 * (a unit renamed or reassigned), unless `ambiguous(text)`. Otherwise the text does not tell the tasks apart
 * and their units do: pairs go best first by unit agreement (same units and roles in order, then the same
 * unit names, then some unit in common), then the same key, then the nearest item, then the nearest position;
 * a pair without a unit in common is never made.
 */
function pairSameText(
  p: Pairing, olds: readonly StoredTask[], slots: readonly number[], ambiguous: (text: string) => boolean,
): void {
  const oldsByText = groupBy(olds.keys(), (k) => (olds[k] as StoredTask).text);
  const candidates: { next: number; old: number; units: number; sameKey: boolean; itemGap: number; posGap: number }[] = [];
  for (const [text, news] of groupBy(slots, (i) => (p.next[i] as NewTask).text)) {
    const ks = oldsByText.get(text);
    if (!ks) continue;
    if (ks.length === 1 && news.length === 1 && !ambiguous(text)) {
      p.take(news[0] as number, olds[ks[0] as number]);
      continue;
    }
    for (const i of news) {
      const t = p.next[i] as NewTask;
      for (const k of ks) {
        const old = olds[k] as StoredTask;
        const units = p.units(i, old);
        if (units === 0) continue;
        candidates.push({
          next: i, old: k, units, sameKey: old.key === t.key,
          itemGap: Math.abs(old.itemNumber - t.itemNumber), posGap: Math.abs(old.position - t.position),
        });
      }
    }
  }
  candidates.sort((a, b) =>
    b.units - a.units || flag(b.sameKey) - flag(a.sameKey) || a.itemGap - b.itemGap || a.posGap - b.posGap ||
    a.next - b.next || a.old - b.old,
  );
  for (const c of candidates) p.take(c.next, olds[c.old]);
}

/**
 * Edited texts: the remaining tasks pair by text similarity, best pairs first, among stored and new tasks whose
 * item numbers differ by at most ITEM_WINDOW. Only pairs scoring at least SIMILARITY_THRESHOLD count, and
 * never two identical texts (pairSameText decided those); equal scores prefer the same item, then the same
 * unit names, then the same key, then document order.
 */
function pairSimilar(p: Pairing, live: readonly StoredTask[]): void {
  if (p.free.size === 0) return;
  const olds = live.filter((t) => p.free.has(t));
  const news = p.unmatched();
  if (news.length === 0) return;

  // Bigrams are worked out only for stored tasks that some new task is compared with.
  const oldGrams: (Bigrams | undefined)[] = [];
  const oldGramsOf = (k: number): Bigrams => (oldGrams[k] ??= bigrams((olds[k] as StoredTask).text));
  const oldsByItem = new Map<number, number[]>();
  olds.forEach((t, k) => {
    const list = oldsByItem.get(t.itemNumber);
    if (list) list.push(k);
    else oldsByItem.set(t.itemNumber, [k]);
  });

  const candidates: { next: number; old: number; score: number; sameItem: boolean; sameUnits: boolean; sameKey: boolean }[] = [];
  for (const i of news) {
    const t = p.next[i] as NewTask;
    let grams: Bigrams | undefined;
    for (let n = t.itemNumber - ITEM_WINDOW; n <= t.itemNumber + ITEM_WINDOW; n++) {
      for (const k of oldsByItem.get(n) ?? []) {
        const old = olds[k] as StoredTask;
        if (old.text === t.text) continue;
        grams ??= bigrams(t.text);
        const score = diceAboveThreshold(grams, oldGramsOf(k));
        if (score < SIMILARITY_THRESHOLD) continue;
        candidates.push({
          next: i, old: k, score, sameItem: old.itemNumber === t.itemNumber,
          sameUnits: p.units(i, old) >= 2, sameKey: old.key === t.key,
        });
      }
    }
  }
  candidates.sort((a, b) =>
    b.score - a.score ||
    flag(b.sameItem) - flag(a.sameItem) ||
    flag(b.sameUnits) - flag(a.sameUnits) ||
    flag(b.sameKey) - flag(a.sameKey) ||
    a.next - b.next ||
    a.old - b.old,
  );
  for (const c of candidates) p.take(c.next, olds[c.old]);
}

/**
 * Pairs new tasks with the live stored ones: first by identical text (see pairSameText), then the rest by
 * similarity (see pairSimilar). A stored task left unpaired is to be archived, a new one restored (see
 * matchArchived) or inserted: a task deleted next to an edited one, or rewritten beyond recognition, does
 * not hand its row to another task, and neither does a task that merely shares its text with another one.
 * Returns, for each new task index, the matched stored task or undefined.
 */
export function matchTasks(live: readonly StoredTask[], next: readonly NewTask[], options: MatchOptions = {}): Match {
  const p = new Pairing(next, live, options);
  pairSameText(p, live, next.map((_, i) => i), () => false);
  pairSimilar(p, live);
  return p.result;
}

/**
 * For new tasks that `matched` left unpaired: archived tasks of the plan with the identical text, to be
 * restored (a deleted task put back). The same rules as pairSameText, where a text counts as ambiguous when
 * several new tasks have it or a live stored task does. Returns, for each new task index, the archived task to
 * restore or undefined.
 */
export function matchArchived(
  archived: readonly StoredTask[], next: readonly NewTask[], matched: Match, live: readonly StoredTask[],
  options: MatchOptions = {},
): Match {
  const p = new Pairing(next, archived, options);
  const slots = next.flatMap((_, i) => (matched[i] === undefined ? [i] : []));
  const newCount = new Map<string, number>();
  for (const t of next) newCount.set(t.text, (newCount.get(t.text) ?? 0) + 1);
  const liveTexts = new Set(live.map((t) => t.text));
  pairSameText(p, archived, slots, (text) => (newCount.get(text) ?? 0) > 1 || liveTexts.has(text));
  return p.result;
}
