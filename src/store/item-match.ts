/**
 * Pairing the items (事项) of a plan being imported with the stored ones, so that an item row follows its
 * content when items are deleted, inserted or renumbered. Pure: no SQL here.
 */
import type { PlanItem } from '../plan/types';
import type { ItemRow } from './import-statements';

/** An item row as stored; `archived` for rows archived before this import. */
export interface StoredItem extends ItemRow {
  archived: boolean;
}

/** For each new item index, the stored row it continues, or undefined for a new row. */
export type ItemMatch = (StoredItem | undefined)[];

/** One of the new item's tasks continues a task stored under `itemId` (matched or restored). */
export interface TaskLink {
  /** Index of the new item. */
  item: number;
  itemId: number;
}

function countBy<T>(values: readonly T[], keyOf: (v: T) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(keyOf(v), (counts.get(keyOf(v)) ?? 0) + 1);
  return counts;
}

/**
 * Step 1, before the tasks are matched: items whose title occurs once among the live stored items and once
 * in the new plan pair by it, whatever their numbers.
 */
export function pairItemsByTitle(live: readonly StoredItem[], next: readonly PlanItem[]): ItemMatch {
  const liveCount = countBy(live, (r) => r.title);
  const nextCount = countBy(next, (i) => i.title);
  const byTitle = new Map(live.map((r) => [r.title, r]));
  return next.map((item) =>
    liveCount.get(item.title) === 1 && nextCount.get(item.title) === 1 ? byTitle.get(item.title) : undefined,
  );
}

class ItemPairing {
  private readonly used: Set<number>;

  constructor(readonly result: ItemMatch, private readonly next: readonly PlanItem[]) {
    this.used = new Set(result.flatMap((r) => (r ? [r.id] : [])));
  }

  take(n: number, row: StoredItem | undefined): void {
    if (row && this.result[n] === undefined && !this.used.has(row.id)) {
      this.result[n] = row;
      this.used.add(row.id);
    }
  }

  open(): number[] {
    return this.next.flatMap((_, n) => (this.result[n] === undefined ? [n] : []));
  }

  free(rows: readonly StoredItem[]): StoredItem[] {
    return rows.filter((r) => !this.used.has(r.id));
  }

  gap(n: number, row: StoredItem): number {
    return Math.abs((this.next[n] as PlanItem).number - row.number);
  }

  /** Same titles, nearest number first, then the newest row. */
  byTitle(rows: readonly StoredItem[]): void {
    const byTitle = new Map<string, StoredItem[]>();
    for (const r of this.free(rows)) {
      const list = byTitle.get(r.title);
      if (list) list.push(r);
      else byTitle.set(r.title, [r]);
    }
    const pairs = this.open().flatMap((n) => (byTitle.get((this.next[n] as PlanItem).title) ?? []).map((row) => ({ n, row })));
    pairs.sort((a, b) => this.gap(a.n, a.row) - this.gap(b.n, b.row) || a.n - b.n || b.row.id - a.row.id);
    for (const { n, row } of pairs) this.take(n, row);
  }
}

/**
 * Steps 2–5, once the tasks are matched, for the items step 1 left open: (2) the stored row most of the new
 * item's tasks come from (live, or archived when its tasks were restored), if free; (3) a free live row with
 * the same title (titles held by several items), nearest number first; (4) the free live row with the same
 * number (a title edited); (5) an archived row with the same title (an item put back). `loadArchived` is
 * called only when needed. Live rows left free are to be archived.
 */
export function finishItemMatch(
  step1: ItemMatch, live: readonly StoredItem[], next: readonly PlanItem[], links: readonly TaskLink[],
  loadArchived: () => readonly StoredItem[],
): ItemMatch {
  const p = new ItemPairing([...step1], next);
  if (p.open().length === 0) return p.result;
  let archived: readonly StoredItem[] | undefined;
  const archivedRows = (): readonly StoredItem[] => (archived ??= loadArchived());

  const liveById = new Map(live.map((r) => [r.id, r]));
  let archivedById: Map<number, StoredItem> | undefined;
  const rowOf = (id: number): StoredItem | undefined =>
    liveById.get(id) ?? (archivedById ??= new Map(archivedRows().map((r) => [r.id, r]))).get(id);

  const tally = new Map<number, Map<number, number>>(); // new item → stored row id → tasks
  const voters = new Map<number, number>(); // stored row id → new items voting for it
  for (const { item: n, itemId } of links) {
    if (p.result[n] !== undefined) continue;
    let counts = tally.get(n);
    if (!counts) tally.set(n, (counts = new Map()));
    const count = counts.get(itemId);
    if (count === undefined) voters.set(itemId, (voters.get(itemId) ?? 0) + 1);
    counts.set(itemId, (count ?? 0) + 1);
  }
  const ranked: { n: number; itemId: number; count: number; row: StoredItem; sameTitle: boolean }[] = [];
  for (const [n, counts] of tally) {
    for (const [itemId, count] of counts) {
      const row = rowOf(itemId);
      if (!row) continue;
      // Uncontested (the new item's only row, voted for by no other): the same as taking it in rank order.
      if (counts.size === 1 && voters.get(itemId) === 1) p.take(n, row);
      else ranked.push({ n, itemId, count, row, sameTitle: row.title === (next[n] as PlanItem).title });
    }
  }
  ranked.sort((a, b) =>
    b.count - a.count || Number(b.sameTitle) - Number(a.sameTitle) || p.gap(a.n, a.row) - p.gap(b.n, b.row) ||
    a.n - b.n || a.itemId - b.itemId,
  );
  for (const v of ranked) p.take(v.n, v.row);

  p.byTitle(live);
  const liveByNumber = new Map(p.free(live).map((r) => [r.number, r]));
  for (const n of p.open()) p.take(n, liveByNumber.get((next[n] as PlanItem).number));
  if (p.open().length > 0) p.byTitle(archivedRows());
  return p.result;
}
