/**
 * Every unit's duties in a compact form, for the status summary of a whole province: tasks with their item and
 * deadline, and under each task its single units (collectives expanded, as unitDuties gives them) with the lead
 * flag, in the board's order. Encoded into a buffer so that it can be kept in the database
 * (status_cache) and read back by a new process in milliseconds instead of reading every plan again.
 */
import { createHash } from 'node:crypto';
import type { UnitDuty } from '../reminders/unit-duties';
import type { UnitDirectory } from '../units/unit-directory';

/** Bump when unitDuties or this encoding changes: a kept index of another format is rebuilt. */
export const DUTY_INDEX_FORMAT = 1;

export interface IndexedItem {
  planId: number;
  planTitle: string;
  number: number;
  title: string;
  section: string | null;
}

export interface DutyIndex {
  /** Canonical single units, in the order the plans first name them (the order of `duties`' keys). */
  units: string[];
  /** Each unit's number in status_units (what report facts name units by). */
  unitNumbers: Int32Array;
  /** Items with at least one duty, by plan id and item number. */
  items: IndexedItem[];
  /** Distinct plan deadlines. */
  deadlines: string[];
  /** Tasks with at least one duty, by plan id, item number and task number: id, item, number within the item, deadline (-1: none). */
  taskIds: Int32Array;
  taskItem: Int32Array;
  taskSeq: Int32Array;
  taskDeadline: Int32Array;
  /**
   * Task t's duties are dutyUnit[taskStart[t]] … dutyUnit[taskStart[t + 1] - 1], leads first, then in the order the
   * task names the units: with the tasks' order, the board's order of assignments.
   */
  taskStart: Int32Array;
  dutyUnit: Int32Array;
  /** 1 when the unit leads the task (牵头). */
  dutyLead: Uint8Array;
}

/** What an index depends on besides the plans' version: the collectives and aliases of the units directory. */
export function directoryKey(directory: UnitDirectory): string {
  const collectives = directory.collectiveNames().map((c) => [c, directory.expand(c)]);
  return createHash('sha256').update(JSON.stringify([collectives, directory.aliasEntries()])).digest('hex').slice(0, 32);
}

const seqOf = (key: string): number => Number(key.split('.')[1] ?? 0);

/** The index of `duties` (as StatusView.duties gives them); `unitNumbers` gives each unit's number. */
export function buildDutyIndex(duties: ReadonlyMap<string, readonly UnitDuty[]>, unitNumbers: (units: readonly string[]) => number[]): DutyIndex {
  const units = [...duties.keys()];
  interface TaskEntry {
    id: number;
    item: string;
    seq: number;
    deadline: string | null;
    duties: { unit: number; lead: boolean; position: number }[];
  }
  const tasks = new Map<number, TaskEntry>();
  const items = new Map<string, IndexedItem>();
  units.forEach((unit, u) => {
    for (const d of duties.get(unit) ?? []) {
      let t = tasks.get(d.taskId);
      if (!t) {
        const item = `${d.planId}|${d.itemNumber}`;
        if (!items.has(item)) items.set(item, { planId: d.planId, planTitle: d.planTitle, number: d.itemNumber, title: d.itemTitle, section: d.section });
        tasks.set(d.taskId, (t = { id: d.taskId, item, seq: seqOf(d.taskKey), deadline: d.deadline, duties: [] }));
      }
      t.duties.push({ unit: u, lead: d.role === 'lead', position: d.position });
    }
  });
  const itemList = [...items.values()].sort((a, b) => a.planId - b.planId || a.number - b.number);
  const itemIndex = new Map(itemList.map((i, k) => [`${i.planId}|${i.number}`, k]));
  const taskList = [...tasks.values()].sort((a, b) => (itemIndex.get(a.item) ?? 0) - (itemIndex.get(b.item) ?? 0) || a.seq - b.seq);
  const deadlines = [...new Set(taskList.flatMap((t) => (t.deadline === null ? [] : [t.deadline])))].sort();
  const deadlineIndex = new Map(deadlines.map((d, k) => [d, k]));
  const dutyCount = taskList.reduce((n, t) => n + t.duties.length, 0);
  const index: DutyIndex = {
    units,
    unitNumbers: Int32Array.from(unitNumbers(units)),
    items: itemList,
    deadlines,
    taskIds: new Int32Array(taskList.length),
    taskItem: new Int32Array(taskList.length),
    taskSeq: new Int32Array(taskList.length),
    taskDeadline: new Int32Array(taskList.length),
    taskStart: new Int32Array(taskList.length + 1),
    dutyUnit: new Int32Array(dutyCount),
    dutyLead: new Uint8Array(dutyCount),
  };
  let at = 0;
  taskList.forEach((t, k) => {
    index.taskIds[k] = t.id;
    index.taskItem[k] = itemIndex.get(t.item) ?? -1;
    index.taskSeq[k] = t.seq;
    index.taskDeadline[k] = t.deadline === null ? -1 : (deadlineIndex.get(t.deadline) ?? -1);
    index.taskStart[k] = at;
    // The board's order: leads first, then as the task names its units.
    for (const d of t.duties.sort((a, b) => Number(!a.lead) - Number(!b.lead) || a.position - b.position)) {
      index.dutyUnit[at] = d.unit;
      index.dutyLead[at] = d.lead ? 1 : 0;
      at++;
    }
  });
  index.taskStart[taskList.length] = at;
  return index;
}

type ArrayName = 'unitNumbers' | 'taskIds' | 'taskItem' | 'taskSeq' | 'taskDeadline' | 'taskStart' | 'dutyUnit';
const INT_ARRAYS: readonly ArrayName[] = ['unitNumbers', 'taskIds', 'taskItem', 'taskSeq', 'taskDeadline', 'taskStart', 'dutyUnit'];

/** The index as bytes: a JSON header with the names and lengths, then the integer arrays, then the lead flags. */
export function encodeDutyIndex(index: DutyIndex): Buffer {
  const header = Buffer.from(
    JSON.stringify({
      format: DUTY_INDEX_FORMAT,
      units: index.units,
      items: index.items,
      deadlines: index.deadlines,
      lengths: INT_ARRAYS.map((name) => index[name].length),
      leads: index.dutyLead.length,
    }),
  );
  const headerSize = Math.ceil((4 + header.length) / 4) * 4;
  const intBytes = INT_ARRAYS.reduce((n, name) => n + index[name].byteLength, 0);
  const out = Buffer.alloc(headerSize + intBytes + index.dutyLead.length);
  out.writeUInt32LE(header.length, 0);
  header.copy(out, 4);
  let at = headerSize;
  for (const name of INT_ARRAYS) {
    const bytes = Buffer.from(index[name].buffer, index[name].byteOffset, index[name].byteLength);
    bytes.copy(out, at);
    at += bytes.length;
  }
  Buffer.from(index.dutyLead.buffer, index.dutyLead.byteOffset, index.dutyLead.byteLength).copy(out, at);
  return out;
}

/** Reads an encoded index back; null when it is of another format or damaged. */
export function decodeDutyIndex(bytes: Buffer): DutyIndex | null {
  try {
    const headerLength = bytes.readUInt32LE(0);
    const header = JSON.parse(bytes.subarray(4, 4 + headerLength).toString('utf8')) as {
      format: number;
      units: string[];
      items: IndexedItem[];
      deadlines: string[];
      lengths: number[];
      leads: number;
    };
    if (header.format !== DUTY_INDEX_FORMAT) return null;
    // A private, aligned copy of the arrays.
    const body = new Uint8Array(bytes.subarray(Math.ceil((4 + headerLength) / 4) * 4)).buffer;
    let at = 0;
    const ints = INT_ARRAYS.map((_, k) => {
      const length = header.lengths[k] ?? 0;
      const array = new Int32Array(body, at, length);
      at += length * 4;
      return array;
    });
    const [unitNumbers, taskIds, taskItem, taskSeq, taskDeadline, taskStart, dutyUnit] = ints as [
      Int32Array, Int32Array, Int32Array, Int32Array, Int32Array, Int32Array, Int32Array,
    ];
    const dutyLead = new Uint8Array(body, at, header.leads);
    if (at + header.leads !== body.byteLength || unitNumbers.length !== header.units.length) return null;
    return { units: header.units, unitNumbers, items: header.items, deadlines: header.deadlines, taskIds, taskItem, taskSeq, taskDeadline, taskStart, dutyUnit, dutyLead };
  } catch {
    return null;
  }
}
