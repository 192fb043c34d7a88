/**
 * What a chat message asks for, as the command parser reads it: the parser is a pure function of the text (and
 * of the unit names it should recognise); the bot decides who may do what and carries it out.
 */
import type { ReportStatus } from '../store/report-store';

/** `3` → { item: 3 }; `3.2` → { item: 3, task: 2 }. */
export interface TaskRef {
  item: number;
  /** The task's number inside the item; absent when only the item was named. */
  task?: number;
}

/** One line of a progress report: `3.2 推进中 已完成目录清理 80%`. */
export interface ReportEntry {
  ref: TaskRef;
  /** Null when the line names no status (the bot then asks, or infers from a percentage). */
  status: ReportStatus | null;
  /** 0–100 when the line gives one (`80%`, `百分之八十`, `完成80%`). */
  percent: number | null;
  /** What was done, as written (without the reference, the status word and the percentage); may be ''. */
  text: string;
  /** The line as written, for messages. */
  line: string;
}

export type Command =
  /** Progress on one or more tasks; `unit` is a unit named before them (`区司法局 3 推进中 …`), as written. */
  | { kind: 'report'; unit: string | null; entries: ReportEntry[] }
  /** `撤回`: withdraw the sender's last report. */
  | { kind: 'withdraw' }
  /** `更正 3.2 已完成 …`: replace the sender's last report on that task. */
  | { kind: 'correct'; unit: string | null; entry: ReportEntry }
  /** `我的任务` (optionally with a unit for people of several units). */
  | { kind: 'my-tasks'; unit: string | null }
  | { kind: 'help' }
  /** `进度`, `总体进度`, `整体情况怎么样`. */
  | { kind: 'overview' }
  /** `第4项`, `4`, `第三项进展怎么样`. */
  | { kind: 'item'; item: number }
  /** A unit's name or alias alone (`司法局`), or `司法局还有哪些没报` (`missing`). */
  | { kind: 'unit'; unit: string; question: 'status' | 'missing' }
  /** `未报送`, `哪些单位没报`. */
  | { kind: 'unreported' }
  /** `逾期`, `哪些逾期了`. */
  | { kind: 'overdue' }
  /** `看板` (leaders, admins): a signed, expiring link to the web dashboard. */
  | { kind: 'dashboard' }
  /** `催办 区司法局` (leaders): queue a 催办 to that unit now. */
  | { kind: 'urge'; unit: string }
  /** Nothing the bot understands; `hint` says what came closest, in Chinese, when something did. */
  | { kind: 'unknown'; text: string; hint: string | null };

export interface ParseOptions {
  /** Unit names and aliases the parser should recognise as a unit (canonical names and aliases alike). */
  unitNames: readonly string[];
}
