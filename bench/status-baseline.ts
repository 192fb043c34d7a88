/**
 * Baselines of the status benchmark, measured in the same run and the same way (a fresh worker thread each): the
 * bare SQL reads of the rows each status answer stands on, on a plain read-only connection.
 * - whole board (summary): one count(*) over the live assignments and over the two cycles' report rows and the
 *   done pairs: the least any whole-board answer must scan, with nothing carried into JavaScript;
 * - whole board (board()): the same rows read into JavaScript objects: every live assignment with its task and
 *   unit name, and the newest report of each pair in the two cycles;
 * - one unit: its assignments with their tasks by the unit's index, and its reports in the two cycles;
 * - one item: its tasks with their units, and their newest reports in the two cycles (through report_latest).
 */
import Database from 'better-sqlite3';

export type StatusBaseline =
  | { kind: 'scan'; cycles: [string, string] }
  | { kind: 'read'; cycles: [string, string] }
  | { kind: 'unit'; unit: string; cycles: [string, string] }
  | { kind: 'item'; planId: number; number: number; cycles: [string, string] };

/** Runs a baseline read; returns the number of rows it counted or read. */
export function runBaseline(file: string, b: StatusBaseline): number {
  const db = new Database(file, { readonly: true });
  try {
    const [active, previous] = b.cycles;
    switch (b.kind) {
      case 'scan': {
        const count = (sql: string, ...args: string[]): number => db.prepare<string[], number>(sql).pluck().get(...args) ?? 0;
        return (
          count('SELECT count(*) FROM assignments WHERE archived_at IS NULL') +
          count('SELECT count(*) FROM report_latest WHERE cycle = ?', active) +
          count('SELECT count(*) FROM report_latest WHERE cycle = ?', previous) +
          count('SELECT count(*) FROM report_done')
        );
      }
      case 'read': {
        const assignments = db
          .prepare(
            `SELECT a.task_id, u.name, a.role, t.task_key, t.text, t.deadline, t.item_id
             FROM assignments a JOIN tasks t ON t.id = a.task_id JOIN units u ON u.id = a.unit_id
             WHERE a.archived_at IS NULL AND t.archived_at IS NULL`,
          )
          .all();
        const reports = db.prepare('SELECT r.* FROM report_latest l JOIN reports r ON r.id = l.report_id WHERE l.cycle IN (?, ?)').all(active, previous);
        return assignments.length + reports.length;
      }
      case 'unit': {
        const tasks = db
          .prepare(
            `SELECT t.id, t.task_key, t.text, t.deadline, t.item_id, a.role FROM units u
             JOIN assignments a ON a.unit_id = u.id JOIN tasks t ON t.id = a.task_id
             WHERE u.name = ? AND a.archived_at IS NULL AND t.archived_at IS NULL`,
          )
          .all(b.unit);
        const reports = db.prepare('SELECT * FROM reports WHERE cycle IN (?, ?) AND unit = ? AND withdrawn_at IS NULL').all(active, previous, b.unit);
        return tasks.length + reports.length;
      }
      case 'item': {
        const rows = db
          .prepare(
            `SELECT t.id, t.task_key, t.text, t.deadline, u.name, a.role FROM items i
             JOIN tasks t ON t.item_id = i.id JOIN assignments a ON a.task_id = t.id JOIN units u ON u.id = a.unit_id
             WHERE i.plan_id = ? AND i.number = ? AND i.archived_at IS NULL AND t.archived_at IS NULL AND a.archived_at IS NULL`,
          )
          .all(b.planId, b.number);
        const reports = db
          .prepare(
            `SELECT r.* FROM items i CROSS JOIN tasks t ON t.item_id = i.id
             CROSS JOIN report_latest l ON l.cycle IN (?, ?) AND l.task_id = t.id CROSS JOIN reports r ON r.id = l.report_id
             WHERE i.plan_id = ? AND i.number = ?`,
          )
          .all(active, previous, b.planId, b.number);
        return rows.length + reports.length;
      }
    }
  } finally {
    db.close();
  }
}
