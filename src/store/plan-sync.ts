/**
 * The diff-and-write part of one plan import, run inside the import's transaction: pairs the new plan's items
 * and tasks with the stored rows (live ones first, then archived ones to restore), keeps the row ids of what
 * is recognised and archives (never deletes) what disappeared.
 */
import type { ParsedPlan } from '../plan/types';
import type { ImportResult } from './plan-import';
import { assignmentSignature, type AssignmentRow, type ImportStatements, type TaskRow } from './import-statements';
import { finishItemMatch, pairItemsByTitle, type ItemMatch, type StoredItem, type TaskLink } from './item-match';
import { flattenTasks, rosterOf, type NewTask, type RosterEntry } from './plan-shape';
import { matchArchived, matchTasks, type Match, type StoredTask } from './task-match';

/** What a sync reports; the fields of ImportResult it fills. */
export type SyncReport = Pick<
  ImportResult,
  'added' | 'updated' | 'renumbered' | 'restored' | 'archived' | 'unchangedTasks' | 'itemsChanged' | 'units'
>;

export class PlanSync {
  /** Assignment rows by task id, read on demand. */
  private readonly assignments = new Map<number, AssignmentRow[]>();
  /** Live assignments of the live tasks, by task id, as `assignmentSignature` writes them. */
  private readonly signatures = new Map<number, string>();
  readonly report: SyncReport = {
    added: [], updated: [], renumbered: [], restored: [], archived: [], unchangedTasks: 0, itemsChanged: 0, units: 0,
  };

  /** `isNew`: the plan row was inserted by this import (nothing stored to compare with). */
  constructor(
    private readonly s: ImportStatements,
    private readonly unitId: (name: string) => number,
    private readonly planId: number,
    private readonly isNew: boolean,
    private readonly now: string,
  ) {}

  run(plan: ParsedPlan): SyncReport {
    const { s, planId } = this;
    const liveItems: StoredItem[] = this.isNew ? [] : s.liveItems.all({ planId }).map((r) => ({ ...r, archived: false }));
    const byTitle = pairItemsByTitle(liveItems, plan.items);
    // Live tasks of an item recognised by its title count as being in its new number.
    const newNumber = new Map(byTitle.flatMap((row, n) => (row ? [[row.id, plan.items[n]?.number as number]] : [])));
    const live: StoredTask[] = [];
    if (!this.isNew) {
      for (const [id, key, text, qualifier, deadline, itemId, itemNumber, position, units] of s.liveTasks.all({ planId })) {
        live.push({ id, key, text, qualifier, deadline, itemId, itemNumber: newNumber.get(itemId) ?? itemNumber, position });
        this.signatures.set(id, units ?? '');
      }
    }

    const next = flattenTasks(plan);
    const rosters = next.map((t) => rosterOf(t.source));
    const unitsOf = (t: StoredTask): RosterEntry[] =>
      this.assignmentsOf(t.id).filter((a) => a.archivedAt === null).map(({ name, role }) => ({ name, role }));
    const match = matchTasks(live, next, { unitsOf });
    let restore: Match = [];
    if (!this.isNew && match.includes(undefined)) {
      const archived = s.archivedTasks.all({ planId });
      if (archived.length > 0) restore = matchArchived(archived, next, match, live, { unitsOf });
    }

    const itemIndex = new Map(plan.items.map((item, n) => [item.number, n]));
    const links: TaskLink[] = next.flatMap((t, i) => {
      const stored = match[i] ?? restore[i];
      return stored ? [{ item: itemIndex.get(t.itemNumber) as number, itemId: stored.itemId }] : [];
    });
    const items = finishItemMatch(byTitle, liveItems, plan.items, links, () =>
      this.isNew ? [] : s.archivedItems.all({ planId }).map((r) => ({ ...r, archived: true })),
    );
    const itemIds = this.writeItems(liveItems, plan, items);
    this.writeTasks(live, next, rosters, match, restore, itemIds);
    this.report.units = new Set(rosters.flatMap((r) => r.map((u) => u.name))).size;
    return this.report;
  }

  private assignmentsOf(taskId: number): AssignmentRow[] {
    let rows = this.assignments.get(taskId);
    if (!rows) {
      rows = this.isNew ? [] : this.s.assignmentsOfTask.all({ taskId });
      this.assignments.set(taskId, rows);
    }
    return rows;
  }

  /** Writes the item rows; returns new item number → row id. */
  private writeItems(live: readonly StoredItem[], plan: ParsedPlan, match: ItemMatch): Map<number, number> {
    const { s, planId, now } = this;
    const kept = new Set(match.flatMap((row) => (row ? [row.id] : [])));
    for (const row of live) {
      if (kept.has(row.id)) continue;
      s.archiveItem.run({ id: row.id, now });
      this.report.itemsChanged += 1;
    }
    // Live numbers are unique: free every number that changes hands before writing the new ones.
    match.forEach((row, n) => {
      if (row && !row.archived && row.number !== plan.items[n]?.number) s.parkItemNumber.run({ id: row.id });
    });

    const ids = new Map<number, number>();
    plan.items.forEach((item, position) => {
      const fields = { number: item.number, label: item.label ?? null, section: item.section ?? null, title: item.title, position };
      const row = match[position];
      if (!row) {
        ids.set(item.number, Number(s.insertItem.run({ planId, ...fields, now }).lastInsertRowid));
        this.report.itemsChanged += 1;
        return;
      }
      ids.set(item.number, row.id);
      if (row.archived || row.title !== fields.title) this.report.itemsChanged += 1;
      const same =
        !row.archived && row.number === fields.number && row.label === fields.label && row.section === fields.section &&
        row.title === fields.title && row.position === position;
      if (!same) s.updateItem.run({ id: row.id, ...fields, now });
    });
    return ids;
  }

  private writeTasks(
    live: readonly StoredTask[], next: readonly NewTask[], rosters: readonly RosterEntry[][], match: Match,
    restore: Match, itemIds: Map<number, number>,
  ): void {
    const { s, planId, now, report } = this;
    const matched = new Set(match.filter((m): m is StoredTask => m !== undefined));
    for (const old of live) {
      if (matched.has(old)) continue;
      s.archiveTask.run({ id: old.id, now });
      report.archived.push(old.key);
    }
    next.forEach((t, i) => {
      const old = match[i];
      if (old && old.key !== t.key) s.parkTaskKey.run({ id: old.id });
    });

    next.forEach((t, i) => {
      const roster = rosters[i] as RosterEntry[];
      const row: Omit<TaskRow, 'id'> = {
        itemId: itemIds.get(t.itemNumber) as number, key: t.key, text: t.text, qualifier: t.qualifier,
        deadline: t.deadline, position: t.position,
      };
      const old = match[i];
      const back = restore[i];
      if (!old && back) {
        s.updateTask.run({ id: back.id, ...row, now });
        this.syncAssignments(back.id, roster, this.assignmentsOf(back.id));
        report.restored.push(t.key);
      } else if (!old) {
        const id = Number(s.insertTask.run({ planId, ...row, now }).lastInsertRowid);
        this.syncAssignments(id, roster, []);
        report.added.push(t.key);
      } else {
        const edited = old.text !== row.text || old.qualifier !== row.qualifier || old.deadline !== row.deadline;
        const moved = old.key !== row.key || old.itemId !== row.itemId;
        if (edited || moved || old.position !== row.position) s.updateTask.run({ id: old.id, ...row, now });
        const signature = assignmentSignature(roster.map((r) => ({ unitId: this.unitId(r.name), role: r.role })));
        const unitsChanged =
          this.signatures.get(old.id) !== signature && this.syncAssignments(old.id, roster, this.assignmentsOf(old.id));
        if (edited || unitsChanged) report.updated.push(t.key);
        else if (moved) report.renumbered.push(t.key);
        else report.unchangedTasks += 1;
      }
    });
  }

  /**
   * Makes the task's live assignments equal to `roster`, given all its assignment rows (archived ones
   * included); returns whether the (unit, role) list changed.
   */
  private syncAssignments(taskId: number, roster: readonly RosterEntry[], rows: readonly AssignmentRow[]): boolean {
    const s = this.s;
    const byUnit = new Map(rows.map((r) => [r.unitId, r]));
    const before = rows.filter((r) => r.archivedAt === null).map((r) => `${r.unitId}:${r.role}`);
    const after: string[] = [];
    const keep = new Set<number>();

    roster.forEach(({ name, role }, position) => {
      const unitId = this.unitId(name);
      keep.add(unitId);
      after.push(`${unitId}:${role}`);
      const prev = byUnit.get(unitId);
      if (!prev) s.insertAssignment.run({ taskId, unitId, role, position });
      else if (prev.role !== role || prev.position !== position || prev.archivedAt !== null) {
        s.reviveAssignment.run({ taskId, unitId, role, position });
      }
    });
    for (const r of rows) {
      if (r.archivedAt === null && !keep.has(r.unitId)) s.archiveAssignment.run({ taskId, unitId: r.unitId, now: this.now });
    }
    return before.join('|') !== after.join('|');
  }
}
