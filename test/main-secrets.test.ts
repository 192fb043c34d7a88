/**
 * Secrets never reach the log: the real service (dist/main.js) with every secret setting set to a value that is easy
 * to find, driven through the traffic that tends to leak them (failing deliveries whose errors carry URLs with
 * access_token, a forged and a good signed callback, the dashboard by token, bearer and signed link, a bad
 * setting), with stdout and stderr captured and searched for every secret, in plain and URL-encoded form.
 */
import * as path from 'node:path';
import { robotSign } from '../src/channels/dingtalk-sign';
import { Store } from '../src/store/store';
import { startFakeDingtalk, type FakeDingtalk } from './helpers/fake-dingtalk';
import { startFakeZzd } from './helpers/fake-zzd';
import { runCli, SEED, tempDir } from './helpers/run-cli';
import { runUntilExit, startService, stop, until } from './helpers/run-service';

const ROBOT_TOKEN = 'robotTokLEAKa1b2c3d4';
const ROBOT_SECRET = 'SECrobotLEAKe5f6g7h8';
const ALERT_TOKEN = 'alertTokLEAKi9j0k1l2';
const ALERT_SECRET = 'SECalertLEAKm3n4o5p6';
const APP_SECRET = 'appSecret+LEAK/q7r8=s9';
const DASHBOARD_TOKEN = 'dashTokLEAK-t0u1v2w3x4y5';
const ZZD_SECRET = 'zzdSecret+LEAK/z6a7=b8';
const SESSION = 'sessLEAKc9d0e1f2';
const GROUP = 'cid-leak-group';

/** Every form a value could take in a log line: as is, URL-encoded, JSON-escaped. */
function forms(value: string): string[] {
  return [...new Set([value, encodeURIComponent(value), encodeURIComponent(encodeURIComponent(value)), JSON.stringify(value).slice(1, -1)])];
}

/** Fails naming each secret found in `output` (and a line around it), so a leak is easy to find. */
function expectNoSecrets(output: string, secrets: Record<string, string>): void {
  const found: string[] = [];
  for (const [name, value] of Object.entries(secrets)) {
    for (const form of forms(value)) {
      const at = output.indexOf(form);
      if (at >= 0) found.push(`${name} (${form}): …${output.slice(Math.max(0, at - 200), at + form.length + 50)}…`);
    }
  }
  // Credentials in URL query strings must be masked, whatever their value.
  for (const m of output.matchAll(/[?&](access_token|sign|session|token|sig)=[\w%+/=.-]+/g)) found.push(`query ${m[0]}`);
  expect(found).toEqual([]);
}

async function post(port: number, body: Record<string, unknown>, headers: Record<string, string>): Promise<number> {
  const res = await fetch(`http://127.0.0.1:${port}/dingtalk/callback`, {
    method: 'POST',
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
    body: JSON.stringify(body),
  });
  await res.text();
  return res.status;
}

/** A forged and two good signed callbacks (a report, and 看板 from a leader); returns the signs sent. */
async function driveCallbacks(port: number, fake: FakeDingtalk): Promise<string[]> {
  const message = (msgId: string, sender: string, text: string) => ({
    msgId,
    msgtype: 'text',
    conversationId: GROUP,
    conversationType: '2',
    conversationTitle: '督办群',
    senderStaffId: sender,
    senderNick: sender,
    sessionWebhook: fake.sessionWebhook(SESSION),
    sessionWebhookExpiredTime: Date.now() + 5_400_000,
    createAt: Date.now(),
    text: { content: text },
  });
  const signs: string[] = [];
  const ts = String(Date.now());
  const forged = robotSign('not-the-secret', ts);
  signs.push(forged);
  expect(await post(port, message('leak-forged', 'demo-sfj-01', '3.2 已完成'), { timestamp: ts, sign: forged })).toBe(401);
  for (const [id, sender, text] of [
    ['leak-report', 'demo-sfj-01', '3.2 推进中 已完成目录清理'],
    ['leak-board', 'leader-leak', '看板'],
  ]) {
    const t = String(Date.now());
    const sign = robotSign(APP_SECRET, t);
    signs.push(sign);
    expect(await post(port, message(id!, sender!, text!), { timestamp: t, sign })).toBe(200);
  }
  return signs;
}

/** The dashboard by token in the address, by bearer, by a wrong token, and by a signed link; returns the link's sig. */
async function driveDashboard(port: number, db: string): Promise<string> {
  const base = `http://127.0.0.1:${port}`;
  expect((await fetch(`${base}/dashboard?token=${encodeURIComponent(DASHBOARD_TOKEN)}`, { redirect: 'manual' })).status).toBe(303);
  expect((await fetch(`${base}/dashboard`, { headers: { authorization: `Bearer ${DASHBOARD_TOKEN}` } })).status).toBe(200);
  expect((await fetch(`${base}/dashboard?token=${DASHBOARD_TOKEN}x`, { redirect: 'manual' })).status).toBe(401);
  const r = runCli(['dashboard-link'], { DB_PATH: db, PORT: String(port), DASHBOARD_TOKEN });
  expect(r.status).toBe(0);
  const link = new URL(r.stdout.trim().replace('localhost', '127.0.0.1'));
  expect((await fetch(link, { redirect: 'manual' })).status).toBe(303);
  return link.searchParams.get('sig')!;
}

describe('secrets and tokens never appear in the log', () => {
  it('keeps them out of JSON debug logs through failing deliveries, callbacks, the dashboard and an alert', async () => {
    const { dir, cleanup } = tempDir();
    const fake = await startFakeDingtalk({ secret: ROBOT_SECRET, robotTokens: [ROBOT_TOKEN, ALERT_TOKEN], appKey: 'dingleakappkey', appSecret: APP_SECRET, groupIds: [GROUP] });
    try {
      const db = path.join(dir, 'duban.db');
      const env = {
        LOG_LEVEL: 'debug',
        LOG_FORMAT: 'json',
        DB_PATH: db,
        PLAN_FILE: SEED,
        CHANNEL: 'dingtalk-robot',
        DINGTALK_WEBHOOK: fake.webhookFor(ROBOT_TOKEN),
        DINGTALK_SECRET: ROBOT_SECRET,
        DINGTALK_TIMEOUT_MS: '400',
        DINGTALK_RATE_PER_MINUTE: '600',
        DINGTALK_MODE: 'http',
        DINGTALK_APP_KEY: 'dingleakappkey',
        DINGTALK_APP_SECRET: APP_SECRET,
        DINGTALK_API_BASE: fake.baseUrl,
        DINGTALK_GROUP_ID: GROUP,
        ALERT_WEBHOOK: fake.webhookFor(ALERT_TOKEN),
        // Not the secret the fake checks: the alert itself fails too, and says why in the log.
        ALERT_SECRET,
        ADMIN_IDS: 'admin-leak',
        LEADER_IDS: 'leader-leak',
        DASHBOARD_TOKEN,
      };
      expect(runCli(['plan', 'import', SEED], env).status).toBe(0);
      const store = Store.open(db);
      store.outbox.enqueue(
        ['first', 'second', 'third'].map((n) => ({
          groupKey: `remind|2025-09|${n}`, channel: 'dingtalk-robot', kind: 'remind', cycle: '2025-09', unit: '区司法局',
          destination: { kind: 'group' as const }, title: `督办提醒 ${n}`, parts: [`督办提醒正文 ${n}`],
        })),
        Date.now(),
      );
      store.close();
      // A hang past the timeout, then a reset connection, then a 500; the third message meets a revoked robot.
      fake.fail(1, 'hang');
      fake.fail(1, 'reset');
      fake.fail(1, { status: 500 });
      fake.failWhen((r) => r.query.access_token === ROBOT_TOKEN && JSON.stringify(r.body).includes('third'), { errcode: 300001, errmsg: `token is not exist: ${ROBOT_TOKEN}` });
      const s = await startService(env);
      try {
        const signs = await driveCallbacks(s.port, fake);
        const sig = await driveDashboard(s.port, db);
        await until(() => s.output().includes('钉钉群机器人无法使用，已停止发送'), 30_000);
        await until(() => fake.attempts.some((a) => a.query.access_token === ALERT_TOKEN), 10_000);
        await until(() => false, 500);
        expect(await stop(s.child)).toBe(0);
        const out = s.output();
        // The traffic happened: two deliveries after three failures, a stopped channel, an alert tried.
        expect(fake.delivered.filter((d) => d.robotToken === ROBOT_TOKEN)).toHaveLength(2);
        expect(fake.attempts.some((a) => a.query.access_token === ALERT_TOKEN)).toBe(true);
        expect(out).toContain('拒绝了钉钉回调请求：签名校验失败');
        expect(out).toContain('服务已停止，数据库已关闭');
        expectNoSecrets(out, {
          ROBOT_TOKEN, ROBOT_SECRET, ALERT_TOKEN, ALERT_SECRET, APP_SECRET, DASHBOARD_TOKEN, SESSION,
          ...Object.fromEntries(signs.map((v, i) => [`callback sign ${i}`, v])),
          'link sig': sig,
          ...Object.fromEntries(fake.tokensIssued.map((t, i) => [`app access token ${i}`, t.token])),
        });
      } finally {
        await stop(s.child);
      }
    } finally {
      await fake.close();
      cleanup();
    }
  }, 90_000);

  it('keeps them out of readable trace logs with the 浙政钉 channel and Stream-less callbacks', async () => {
    const { dir, cleanup } = tempDir();
    const fake = await startFakeDingtalk({ appKey: 'dingleakappkey', appSecret: APP_SECRET, groupIds: [GROUP] });
    const zzd = await startFakeZzd({ appKey: 'zzd-leak-key', appSecret: ZZD_SECRET, tenantId: '196729' });
    try {
      const db = path.join(dir, 'duban.db');
      const env = {
        LOG_LEVEL: 'trace',
        LOG_FORMAT: 'pretty',
        DB_PATH: db,
        PLAN_FILE: SEED,
        CHANNEL: 'zzd',
        ZZD_APP_KEY: 'zzd-leak-key',
        ZZD_APP_SECRET: ZZD_SECRET,
        ZZD_TENANT_ID: '196729',
        ZZD_BASE_URL: zzd.url,
        DINGTALK_TIMEOUT_MS: '400',
        DINGTALK_MODE: 'http',
        DINGTALK_APP_KEY: 'dingleakappkey',
        DINGTALK_APP_SECRET: APP_SECRET,
        DINGTALK_API_BASE: fake.baseUrl,
        DINGTALK_SECRET: ROBOT_SECRET,
        ALERT_WEBHOOK: fake.webhookFor(ALERT_TOKEN),
        ALERT_SECRET,
        LEADER_IDS: 'leader-leak',
        DASHBOARD_TOKEN,
      };
      expect(runCli(['plan', 'import', SEED], env).status).toBe(0);
      const store = Store.open(db);
      const person = { name: '示例联络员01', mobile: null, userId: 'demo-sfj-01' };
      store.outbox.enqueue(
        ['first', 'second'].map((n) => ({
          groupKey: `remind|2025-09|${n}`, channel: 'zzd', kind: 'remind', cycle: '2025-09', unit: '区司法局',
          destination: { kind: 'unit' as const, unit: '区司法局', people: [person] }, title: `督办提醒 ${n}`, parts: [`督办提醒正文 ${n}`],
        })),
        Date.now(),
      );
      store.close();
      zzd.fail(1, 'hang');
      zzd.fail(1, 'reset');
      zzd.fail(1, 'http500');
      const s = await startService(env);
      try {
        const signs = await driveCallbacks(s.port, fake);
        const sig = await driveDashboard(s.port, db);
        await until(() => zzd.delivered.length >= 2, 30_000);
        expect(await stop(s.child)).toBe(0);
        const out = s.output();
        expect(out).toContain('信息: 督办服务已启动');
        expect(out).toContain('服务已停止，数据库已关闭');
        expectNoSecrets(out, {
          ZZD_SECRET, APP_SECRET, DASHBOARD_TOKEN, SESSION, ROBOT_SECRET, ALERT_TOKEN, ALERT_SECRET,
          ...Object.fromEntries(signs.map((v, i) => [`callback sign ${i}`, v])),
          'link sig': sig,
          ...Object.fromEntries(zzd.tokens.map((t, i) => [`zzd access token ${i}`, t])),
          ...Object.fromEntries(fake.tokensIssued.map((t, i) => [`app access token ${i}`, t.token])),
        });
      } finally {
        await stop(s.child);
      }
    } finally {
      await zzd.close();
      await fake.close();
      cleanup();
    }
  }, 90_000);

  it('keeps them out of the message of a refused start', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const { code, out } = await runUntilExit({
        DB_PATH: path.join(dir, 'x.db'),
        PORT: 'not-a-port',
        DINGTALK_WEBHOOK: `ftp://oapi.dingtalk.com/robot/send?access_token=${ROBOT_TOKEN}`,
        ALERT_WEBHOOK: `https://oapi.dingtalk.com/robot/send?access_token=${ALERT_TOKEN}&x=1 bad`,
        DINGTALK_SECRET: `not-${ROBOT_SECRET}`,
        ALERT_SECRET: `${ALERT_SECRET} `,
        DINGTALK_APP_SECRET: APP_SECRET,
        DASHBOARD_TOKEN: 'short-LEAK',
        ZZD_APP_SECRET: ZZD_SECRET,
      });
      expect(code).toBe(1);
      expect(out).toContain('配置有误');
      expect(out).toContain('DINGTALK_WEBHOOK');
      expect(out).toContain('DASHBOARD_TOKEN');
      expectNoSecrets(out, { ROBOT_TOKEN, ALERT_TOKEN, ROBOT_SECRET, ALERT_SECRET, APP_SECRET, ZZD_SECRET, short: 'short-LEAK' });
    } finally {
      cleanup();
    }
  });
});
