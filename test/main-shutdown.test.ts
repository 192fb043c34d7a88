/**
 * Graceful shutdown of the real service (dist/main.js) on SIGTERM: the message being sent when the signal arrives is
 * finished and recorded, a chat message being answered is answered and its report stored, and the database is
 * closed cleanly (checkpointed: no -wal or -shm file left), so a restart sends nothing twice.
 */
import type { ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { robotSign } from '../src/channels/dingtalk-sign';
import { Store } from '../src/store/store';
import { startFakeDingtalk } from './helpers/fake-dingtalk';
import { runCli, SEED, tempDir } from './helpers/run-cli';
import { startService, stop, until } from './helpers/run-service';

/** A container's usual grace period between SIGTERM and SIGKILL. */
const GRACE_MS = 10_000;

/** Sends SIGTERM; resolves with the exit code, or null if the process was still running after the grace period. */
async function terminate(child: ChildProcess): Promise<number | null> {
  const exited = stop(child);
  const timedOut = new Promise<'late'>((resolve) => setTimeout(() => resolve('late'), GRACE_MS).unref());
  const first = await Promise.race([exited, timedOut]);
  if (first === 'late') {
    child.kill('SIGKILL');
    return null;
  }
  return first;
}

function expectClosedCleanly(db: string): void {
  expect(fs.existsSync(`${db}-wal`)).toBe(false);
  expect(fs.existsSync(`${db}-shm`)).toBe(false);
  const raw = new Database(db, { readonly: true });
  try {
    expect(raw.pragma('integrity_check', { simple: true })).toBe('ok');
  } finally {
    raw.close();
  }
}

describe('npm start stops gracefully on SIGTERM', () => {
  it('finishes the message being sent, records it sent, closes the database, and a restart sends nothing twice', async () => {
    const { dir, cleanup } = tempDir();
    // Every answer takes 2 s: the first message is in flight when the signal comes.
    const fake = await startFakeDingtalk({ delayMs: 2_000 });
    try {
      const db = path.join(dir, 'duban.db');
      const env = { DB_PATH: db, PLAN_FILE: SEED, DINGTALK_WEBHOOK: fake.webhook, DINGTALK_TIMEOUT_MS: '10000' };
      expect(runCli(['plan', 'import', SEED], env).status).toBe(0);
      const store = Store.open(db);
      store.outbox.enqueue(
        ['一', '二', '三'].map((n) => ({
          groupKey: `remind|2025-09|${n}`, channel: 'dingtalk-robot', kind: 'remind', cycle: '2025-09', unit: '区司法局',
          destination: { kind: 'group' as const }, title: `督办提醒${n}`, parts: [`督办提醒正文${n}`],
        })),
        Date.now(),
      );
      store.close();

      const s = await startService(env);
      await until(() => fake.attempts.length > 0, 10_000);
      expect(fake.attempts).toHaveLength(1);
      const code = await terminate(s.child);
      expect(code).toBe(0);
      expect(s.output()).toContain('服务已停止，数据库已关闭');
      // The answer came after the signal, and was recorded before the database closed.
      expect(fake.attempts).toHaveLength(1);
      expectClosedCleanly(db);
      const after = Store.open(db);
      try {
        expect(after.outbox.counts()).toMatchObject({ sent: 1, sending: 0, pending: 2 });
      } finally {
        after.close();
      }

      // The restart sends the other two, and the first not again.
      fake.delayMs = 0;
      const again = await startService(env);
      await until(() => fake.delivered.length >= 3, 15_000);
      expect(await terminate(again.child)).toBe(0);
      expect(fake.delivered.map((d) => d.title)).toEqual(['督办提醒一', '督办提醒二', '督办提醒三']);
      expect(fake.attempts).toHaveLength(3);
      expectClosedCleanly(db);
    } finally {
      await fake.close();
      cleanup();
    }
  }, 60_000);

  it('answers a chat message in flight and stores its report before stopping', async () => {
    const { dir, cleanup } = tempDir();
    const fake = await startFakeDingtalk({ delayMs: 2_000 });
    try {
      const db = path.join(dir, 'duban.db');
      const secret = 'shutdown-app-secret';
      const s = await startService({ DB_PATH: db, PLAN_FILE: SEED, CHANNEL: 'console', DINGTALK_MODE: 'http', DINGTALK_APP_SECRET: secret });
      const timestamp = String(Date.now());
      const res = await fetch(`http://127.0.0.1:${s.port}/dingtalk/callback`, {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=utf-8', timestamp, sign: robotSign(secret, timestamp) },
        body: JSON.stringify({
          msgId: 'in-flight-1',
          msgtype: 'text',
          conversationId: 'cid-duban-group',
          conversationType: '2',
          senderStaffId: 'demo-sfj-01',
          senderNick: '示例联络员01',
          sessionWebhook: fake.sessionWebhook('shutdown-session'),
          sessionWebhookExpiredTime: Date.now() + 5_400_000,
          text: { content: '3.2 推进中 停机前的进展' },
        }),
      });
      expect(res.status).toBe(200);
      // The reply is on its way (2 s to answer) when the signal comes.
      await until(() => fake.attempts.length > 0, 10_000);
      expect(await terminate(s.child)).toBe(0);
      expect(fake.delivered.filter((d) => d.session === 'shutdown-session')).toHaveLength(1);
      expect(s.output()).toContain('已回复钉钉消息');
      expect(s.output()).toContain('服务已停止，数据库已关闭');
      expectClosedCleanly(db);
      const store = Store.open(db);
      try {
        expect(store.reports.lastBy('demo-sfj-01')).toMatchObject({ unit: '区司法局', text: '停机前的进展' });
        expect(store.reports.hasMessage('in-flight-1')).toBe(true);
      } finally {
        store.close();
      }
    } finally {
      await fake.close();
      cleanup();
    }
  }, 60_000);
});
