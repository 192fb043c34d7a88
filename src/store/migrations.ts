import { StoreError } from './store-error';
import type Database from 'better-sqlite3';

/** One schema step. `version` values are 1, 2, 3, … in order; `up` is plain SQL run with `exec`. */
export interface Migration {
  version: number;
  name: string;
  up: string;
}

/**
 * The schema history. Never edit a released migration; append a new one instead.
 * Nothing is ever deleted from `tasks` or `items` (progress history hangs off their ids): rows that disappear
 * from a re-imported plan get `archived_at` set. Assignments are archived the same way.
 */
export const migrations: readonly Migration[] = [
  {
    version: 1,
    name: 'plans, items, tasks, units, assignments',
    up: `
      CREATE TABLE plans (
        id         INTEGER PRIMARY KEY,
        title      TEXT NOT NULL UNIQUE,
        year       INTEGER,
        issuer     TEXT,
        date       TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );

      CREATE TABLE plan_imports (
        id           INTEGER PRIMARY KEY,
        plan_id      INTEGER NOT NULL REFERENCES plans (id),
        source_name  TEXT NOT NULL,
        sha256       TEXT NOT NULL,
        imported_at  TEXT NOT NULL,
        summary_json TEXT NOT NULL
      );
      CREATE INDEX plan_imports_by_plan ON plan_imports (plan_id, id);

      CREATE TABLE sections (
        plan_id  INTEGER NOT NULL REFERENCES plans (id),
        number   TEXT NOT NULL,
        title    TEXT NOT NULL,
        position INTEGER NOT NULL,
        PRIMARY KEY (plan_id, number)
      ) WITHOUT ROWID;

      CREATE TABLE items (
        id          INTEGER PRIMARY KEY,
        plan_id     INTEGER NOT NULL REFERENCES plans (id),
        number      INTEGER NOT NULL,
        label       TEXT,
        section     TEXT,
        title       TEXT NOT NULL,
        position    INTEGER NOT NULL,
        archived_at TEXT,
        created_at  TEXT NOT NULL,
        updated_at  TEXT NOT NULL
      );
      CREATE UNIQUE INDEX items_live_by_number ON items (plan_id, number) WHERE archived_at IS NULL;

      CREATE TABLE tasks (
        id          INTEGER PRIMARY KEY,
        plan_id     INTEGER NOT NULL REFERENCES plans (id),
        item_id     INTEGER NOT NULL REFERENCES items (id),
        task_key    TEXT NOT NULL,
        text        TEXT NOT NULL,
        qualifier   TEXT,
        deadline    TEXT,
        position    INTEGER NOT NULL,
        archived_at TEXT,
        created_at  TEXT NOT NULL,
        updated_at  TEXT NOT NULL
      );
      CREATE UNIQUE INDEX tasks_live_by_key ON tasks (plan_id, task_key) WHERE archived_at IS NULL;
      CREATE INDEX tasks_by_item ON tasks (item_id);

      CREATE TABLE units (
        id   INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE
      );

      CREATE TABLE assignments (
        task_id     INTEGER NOT NULL REFERENCES tasks (id),
        unit_id     INTEGER NOT NULL REFERENCES units (id),
        role        TEXT NOT NULL CHECK (role IN ('lead', 'co')),
        position    INTEGER NOT NULL,
        archived_at TEXT,
        PRIMARY KEY (task_id, unit_id)
      ) WITHOUT ROWID;
      CREATE INDEX assignments_by_unit ON assignments (unit_id, task_id);
    `,
  },
  {
    version: 2,
    name: 'reports, outbox',
    up: `
      -- One progress report of a unit on a task for a cycle. unit is the canonical name of a single unit
      -- (collectives are expanded), so it is text rather than a reference to units, which holds names as written.
      CREATE TABLE reports (
        id            INTEGER PRIMARY KEY,
        task_id       INTEGER NOT NULL REFERENCES tasks (id),
        unit          TEXT NOT NULL,
        cycle         TEXT NOT NULL,
        status        TEXT NOT NULL CHECK (status IN ('not_started', 'in_progress', 'done', 'blocked')),
        percent       INTEGER CHECK (percent BETWEEN 0 AND 100),
        text          TEXT NOT NULL DEFAULT '',
        reporter_id   TEXT,
        reporter_name TEXT,
        source_msg_id TEXT,
        reported_at   TEXT NOT NULL,
        withdrawn_at  TEXT
      );
      CREATE INDEX reports_by_cycle ON reports (cycle, unit, task_id);
      CREATE INDEX reports_by_task ON reports (task_id, unit, id);

      -- Messages owed to someone, kept until the platform accepted them. group_key is (kind, cycle, unit):
      -- a message is queued once per group_key; long messages are split into parts with keys group_key#n.
      -- A group whose parts all failed may be queued again (with today's recipients and text): the failed rows
      -- then become 'replaced', their keys suffixed with ~id, and stay for the record.
      CREATE TABLE outbox (
        id               INTEGER PRIMARY KEY,
        key              TEXT NOT NULL UNIQUE,
        group_key        TEXT NOT NULL,
        channel          TEXT NOT NULL,
        kind             TEXT NOT NULL,
        cycle            TEXT,
        unit             TEXT,
        part             INTEGER NOT NULL,
        parts            INTEGER NOT NULL,
        destination_json TEXT NOT NULL,
        title            TEXT NOT NULL,
        markdown         TEXT NOT NULL,
        status           TEXT NOT NULL CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'replaced')),
        attempts         INTEGER NOT NULL DEFAULT 0,
        next_attempt_at  INTEGER NOT NULL,
        claimed_by       TEXT,
        claim_until      INTEGER,
        last_error       TEXT,
        last_error_code  TEXT,
        platform_id      TEXT,
        created_at       TEXT NOT NULL,
        sent_at          TEXT
      );
      CREATE INDEX outbox_by_group ON outbox (group_key);
      CREATE INDEX outbox_queue ON outbox (channel, status, id);

      -- Every send attempt, for the rate limit (attempts per channel in the last minute) and for admins.
      CREATE TABLE outbox_attempts (
        id        INTEGER PRIMARY KEY,
        outbox_id INTEGER NOT NULL REFERENCES outbox (id),
        channel   TEXT NOT NULL,
        at        INTEGER NOT NULL,
        outcome   TEXT NOT NULL CHECK (outcome IN ('started', 'ok', 'retry', 'throttled', 'channel', 'message')),
        code      TEXT,
        error     TEXT
      );
      CREATE INDEX outbox_attempts_by_channel ON outbox_attempts (channel, at);
    `,
  },
  {
    version: 3,
    name: 'admin alerts',
    up: `
      -- The last alert of each kind for the admins' group (key such as stopped:dingtalk-robot:310000), so that
      -- a stopped channel or an outage is told once per quiet period, across restarts and CLI runs. A row is
      -- written (confirmed = 0, owner = the sending process) before the request and confirmed after DingTalk
      -- accepted it; an unconfirmed row whose owner died or gave up (owner = '') is sent by the next process.
      CREATE TABLE admin_alerts (
        key       TEXT PRIMARY KEY,
        title     TEXT NOT NULL,
        text      TEXT NOT NULL,
        sent_at   INTEGER NOT NULL,
        owner     TEXT NOT NULL,
        confirmed INTEGER NOT NULL CHECK (confirmed IN (0, 1))
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 4,
    name: 'scheduler state',
    up: `
      -- The scheduler's memory: the last moment (ms) up to which reminders were computed and queued
      -- (name = 'last_tick'). Reminders due while the service was down are found from here on the next start.
      CREATE TABLE schedule_state (
        name       TEXT PRIMARY KEY,
        value      TEXT NOT NULL,
        updated_at TEXT NOT NULL
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 5,
    name: 'reports from chat',
    up: `
      -- 撤回 and 更正 look up the sender's last report; a redelivered chat message is recognised by its msgId.
      CREATE INDEX reports_by_reporter ON reports (reporter_id, id) WHERE reporter_id IS NOT NULL;
      CREATE INDEX reports_by_message ON reports (source_msg_id) WHERE source_msg_id IS NOT NULL;
      -- Where each task of a unit stands (its newest report): read for every chat message of the unit.
      CREATE INDEX reports_by_unit ON reports (unit, task_id, id);
    `,
  },
  {
    version: 6,
    name: 'application settings',
    up: `
      -- Values the service chose for itself and must keep across restarts, such as the dashboard's token
      -- (name = 'dashboard_token') generated on the first start when DASHBOARD_TOKEN is not set.
      CREATE TABLE app_settings (
        name       TEXT PRIMARY KEY,
        value      TEXT NOT NULL,
        updated_at TEXT NOT NULL
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 7,
    // The name is looked up by REPORT_LATEST_VERSION below.
    name: 'newest report per task, unit and cycle',
    up: `
      -- The canonical names of single units that reports use, numbered so that report_latest and report_done
      -- key on a small integer (the status summary reads hundreds of thousands of them).
      CREATE TABLE status_units (
        id   INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE
      );

      -- The newest live report of each unit on each task in each cycle. Kept by ReportStore.add and withdraw in
      -- the same transaction as the report, so status reads one row per assignment and cycle instead of
      -- searching reports. fact is the row as one integer, (task_id × 2^20 + unit_id) × 4 + status (0 not_started,
      -- 1 in_progress, 2 done, 3 blocked), so that a whole cycle's rows are read at once as one list of integers.
      CREATE TABLE report_latest (
        cycle     TEXT NOT NULL,
        task_id   INTEGER NOT NULL,
        unit_id   INTEGER NOT NULL REFERENCES status_units (id),
        report_id INTEGER NOT NULL REFERENCES reports (id),
        status    TEXT NOT NULL,
        fact      INTEGER NOT NULL,
        PRIMARY KEY (cycle, task_id, unit_id)
      ) WITHOUT ROWID;

      -- The (task, unit) pairs whose newest live report, in any cycle, says done: nothing more is owed.
      -- Kept with report_latest.
      CREATE TABLE report_done (
        task_id INTEGER NOT NULL,
        unit_id INTEGER NOT NULL REFERENCES status_units (id),
        PRIMARY KEY (task_id, unit_id)
      ) WITHOUT ROWID;

      -- The few unit names not stored in normal form (normalizeUnitName would change them), so that finding
      -- the names that may mean a unit needs no scan of every name. The pattern is UNNORMALISED_UNIT_NAME_GLOB's
      -- (plan/normalize.ts) when this migration was written; a query with another pattern scans instead.
      CREATE INDEX units_unnormalised ON units (name)
        WHERE name GLOB '*[０-９Ａ-Ｚａ-ｚ（）：，；．％！？＊｜－／［］\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]*';

      -- Derived data that is costly to compute and cheap to recompute (the expanded duties of every unit, for the
      -- status summary), valid while its key (code, plans' version, units directory) matches. Safe to empty.
      CREATE TABLE status_cache (
        name  TEXT PRIMARY KEY,
        key   TEXT NOT NULL,
        value BLOB NOT NULL
      ) WITHOUT ROWID;

      INSERT INTO status_units (name) SELECT DISTINCT unit FROM reports ORDER BY unit;
      INSERT INTO report_latest (cycle, task_id, unit_id, report_id, status, fact)
        SELECT cycle, task_id, unit_id, id, status,
          (task_id * 1048576 + unit_id) * 4 + CASE status WHEN 'not_started' THEN 0 WHEN 'in_progress' THEN 1 WHEN 'done' THEN 2 ELSE 3 END
        FROM (SELECT r.cycle, r.task_id, u.id AS unit_id, max(r.id) AS id, r.status
              FROM reports r NOT INDEXED JOIN status_units u ON u.name = r.unit
              WHERE r.withdrawn_at IS NULL
              GROUP BY r.cycle, r.task_id, u.id);
      INSERT INTO report_done (task_id, unit_id)
        SELECT task_id, unit_id FROM (SELECT task_id, unit_id, max(report_id), status FROM report_latest GROUP BY task_id, unit_id)
        WHERE status = 'done';
    `,
  },
];

const REPORT_LATEST_NAME = 'newest report per task, unit and cycle';

/** The migration that adds report_latest: a database written before it has reports but no report_latest rows. */
export const REPORT_LATEST_VERSION = migrations.find((m) => m.name === REPORT_LATEST_NAME)?.version ?? 0;

/** The schema version this program writes. */
export function latestVersion(list: readonly Migration[] = migrations): number {
  return list.reduce((max, m) => Math.max(max, m.version), 0);
}

function checkOrder(list: readonly Migration[]): void {
  list.forEach((m, i) => {
    if (m.version !== i + 1) {
      throw new Error(`数据库迁移编号不连续：第 ${i + 1} 个迁移的版本号为 ${m.version}`);
    }
  });
}

/**
 * Applies the pending migrations, each in its own IMMEDIATE transaction together with its
 * `PRAGMA user_version` bump, so two processes opening the same file cannot both apply one step.
 * Returns the versions before and after.
 */
export function migrate(
  db: Database.Database,
  list: readonly Migration[] = migrations,
): { from: number; to: number } {
  checkOrder(list);
  const readVersion = (): number => db.pragma('user_version', { simple: true }) as number;
  const latest = latestVersion(list);
  const from = readVersion();
  if (from > latest) {
    throw new StoreError('NEWER_SCHEMA', '', `数据库版本（${from}）高于本程序支持的版本（${latest}），请升级 duban 后再打开。`);
  }
  for (const m of list) {
    if (readVersion() >= m.version) continue;
    const step = db.transaction(() => {
      // Re-read inside the write lock: another connection may have applied this step meanwhile.
      if (readVersion() >= m.version) return;
      db.exec(m.up);
      db.pragma(`user_version = ${m.version}`);
    });
    step.immediate();
  }
  return { from, to: readVersion() };
}
