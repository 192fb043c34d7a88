import * as fs from 'node:fs';
import * as path from 'node:path';
import { Store } from '../src/store/store';
import { clearOfCycleTurn, CYCLE_TURN_TIMEOUT_MS } from './helpers/cycle-boundary';
import { startFakeDingtalk, type FakeDingtalk } from './helpers/fake-dingtalk';
import { dbBytes, ROOT, runCli, runCliAsync, SEED, startCli, tempDir } from './helpers/run-cli';

const SECRET = 'SECb90923e19e58b466481e9e7b7a5b4f108a4531abde590ad3967fb29f0eae5c68';
const SHIPPED_CONTACTS = path.join(ROOT, 'data', 'contacts.csv');

/** The units of the seed plan with a liaison in the shipped contacts file (collectives expanded). */
const UNITS = 19;

interface Liaison {
  unit: string;
  mobile: string;
  id: string;
}

function shippedLiaisons(): Liaison[] {
  return fs
    .readFileSync(SHIPPED_CONTACTS, 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.split(','))
    .filter((c) => c[4] === '联络员')
    .map((c) => ({ unit: c[0]!, mobile: c[2]!, id: c[3]! }));
}

describe('duban remind and duban outbox against a fake DingTalk', () => {
  let dir: string;
  let cleanup: () => void;
  let db: string;
  let fake: FakeDingtalk;
  let env: Record<string, string>;

  beforeEach(async () => {
    await clearOfCycleTurn();
    ({ dir, cleanup } = tempDir('duban-remind-'));
    db = path.join(dir, 'duban.db');
    expect(runCli(['--db', db, 'plan', 'import', SEED]).status).toBe(0);
    fake = await startFakeDingtalk({ secret: SECRET, robotTokens: ['robot-token', 'admin-token'] });
    env = { DINGTALK_WEBHOOK: fake.webhook, DINGTALK_SECRET: SECRET, REPORT_CYCLE: 'monthly' };
  }, CYCLE_TURN_TIMEOUT_MS);
  afterEach(async () => {
    await fake.close();
    cleanup();
  });

  it('previews without sending or writing anything', async () => {
    const before = dbBytes(db);
    const r = await runCliAsync(['--db', db, 'remind', '--dry-run'], env);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('将通过钉钉群机器人发送');
    expect(r.stdout).toContain('━━ 发给 区司法局：示例联络员01(13800000001)、示例联络员02(13800000002)');
    // The preview is what the group will read, the robot's @-mention line included.
    expect(r.stdout).toContain('请区司法局联络员 @13800000001 @13800000002 查收');
    expect(r.stdout).toContain(`共 ${UNITS} 个单位需要提醒，其中 ${UNITS} 个本期尚未提醒。`);
    expect(fake.attempts).toHaveLength(0);
    expect(dbBytes(db)).toBe(before);
  });

  it('delivers one signed, @-mentioning message to every unit with a liaison, and nothing on a second run', async () => {
    const r = await runCliAsync(['--db', db, 'remind', '--now'], env);
    expect(r.stderr).toContain(`[${UNITS}/${UNITS}] 已发送`);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`本次发出 ${UNITS} 条消息（${UNITS} 个单位的提醒）`);

    expect(fake.delivered).toHaveLength(UNITS);
    // Every request was signed correctly: the fake rejects anything else with 310000.
    expect(fake.attempts.every((a) => a.outcome === 'delivered')).toBe(true);
    expect(new Set(fake.delivered.map((d) => d.msgUuid)).size).toBe(UNITS);
    const liaisons = shippedLiaisons();
    for (const m of fake.delivered) {
      const unit = /#### (.+?)：/.exec(m.text ?? '')?.[1];
      const mine = liaisons.filter((l) => l.unit === unit);
      expect(mine.length).toBeGreaterThan(0);
      expect(m.atMobiles).toEqual(mine.map((l) => l.mobile).filter(Boolean));
      expect(m.atUserIds).toEqual(mine.map((l) => l.id).filter(Boolean));
      // DingTalk only notifies people whose @ is also written in the text: by mobile, else by id.
      for (const l of mine) expect(m.text).toContain(`@${l.mobile || l.id}`);
      expect(m.title).toMatch(/^督办提醒：/);
    }
    const units = fake.delivered.map((m) => /#### (.+?)：/.exec(m.text ?? '')?.[1]);
    expect(new Set(units).size).toBe(UNITS);

    const again = await runCliAsync(['--db', db, 'remind', '--now'], env);
    expect(again.status).toBe(0);
    expect(again.stderr).toContain(`${UNITS} 个单位本期已提醒过，不再重复发送。`);
    expect(again.stdout).toContain('本次发出 0 条消息');
    expect(fake.attempts).toHaveLength(UNITS);
  });

  it('after a kill in the middle of delivery, a second run delivers the rest and nothing twice', async () => {
    // Slow answers: the kill lands while a message is accepted but its answer not yet recorded.
    fake.delayMs = 150;
    const run = startCli(['--db', db, 'remind', '--now'], env);
    const deadline = Date.now() + 15_000;
    while (fake.delivered.length < 6) {
      if (Date.now() > deadline) throw new Error(`remind --now delivered ${fake.delivered.length} in 15 s:\n${run.stderr()}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    run.child.kill('SIGKILL');
    await run.done;
    const deliveredBeforeKill = fake.delivered.length;
    expect(deliveredBeforeKill).toBeLessThan(UNITS);

    fake.delayMs = 0;
    const r = await runCliAsync(['--db', db, 'remind', '--now'], env);
    expect(r.status).toBe(0);
    // The summary counts what this run delivered, although the first run had queued it.
    const sentNow = Number(/本次发出 (\d+) 条消息/.exec(r.stdout)?.[1]);
    expect(sentNow).toBeGreaterThanOrEqual(UNITS - deliveredBeforeKill);
    expect(fake.delivered).toHaveLength(UNITS);
    const units = fake.delivered.map((m) => /#### (.+?)：/.exec(m.text ?? '')?.[1]);
    expect(new Set(units).size).toBe(UNITS);
    const store = Store.open(db);
    try {
      expect(store.outbox.counts()).toEqual({ pending: 0, sending: 0, sent: UNITS, failed: 0 });
    } finally {
      store.close();
    }
  });

  it('stops on a wrong secret, keeps the reasons, and sends everything after the fix with outbox retry', async () => {
    const wrong = { ...env, DINGTALK_SECRET: 'SECwrong0000' };
    const r = await runCliAsync(['--db', db, 'remind', '--now'], wrong);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('钉钉群机器人无法使用，已停止发送');
    expect(r.stderr).toContain('DINGTALK_SECRET');
    expect(fake.attempts).toHaveLength(1);
    expect(fake.delivered).toHaveLength(0);

    const list = runCli(['--db', db, 'outbox'], wrong);
    expect(list.status).toBe(1);
    expect(list.stdout).toContain(`失败 ${UNITS} 条`);
    expect(list.stdout).toContain('310000');
    // Every failed message says why, not only the one that met the error.
    expect(list.stdout.match(/最近一次：|原因：/g)).toHaveLength(UNITS);
    expect(list.stdout).toContain('duban outbox retry');

    const retry = await runCliAsync(['--db', db, 'outbox', 'retry'], env);
    expect(retry.stdout).toContain(`已把 ${UNITS} 条失败的消息放回发件箱。`);
    expect(retry.status).toBe(0);
    expect(fake.delivered).toHaveLength(UNITS);
    expect(runCli(['--db', db, 'outbox'], env).stdout).toContain('没有待发送或失败的消息。');
  });

  it('tells the admins\' group once when the channel stops, however often the command is run', async () => {
    const wrong = {
      ...env,
      DINGTALK_SECRET: 'SECwrong0000',
      ALERT_WEBHOOK: fake.webhookFor('admin-token'),
      ALERT_SECRET: SECRET,
      ADMIN_IDS: 'admin001,admin002',
    };
    const r = await runCliAsync(['--db', db, 'remind', '--now'], wrong);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('已通知管理员群：钉钉群机器人已停止发送');
    const alerts = () => fake.delivered.filter((d) => d.robotToken === 'admin-token');
    expect(alerts()).toHaveLength(1);
    expect(alerts()[0]!.text).toContain(`${UNITS} 条消息已标为失败`);
    expect(alerts()[0]!.text).toContain('DINGTALK_SECRET');
    expect(alerts()[0]!.atUserIds).toEqual(['admin001', 'admin002']);

    const again = await runCliAsync(['--db', db, 'remind', '--now'], wrong);
    expect(again.status).toBe(1);
    expect(again.stderr).not.toContain('已通知管理员群');
    expect(alerts()).toHaveLength(1);
    expect(fake.delivered.filter((d) => d.robotToken === 'robot-token')).toHaveLength(0);
  });

  it('sends a test alert to the admins\' group, and says what is wrong when it cannot', async () => {
    const alertEnv = { ALERT_WEBHOOK: fake.webhookFor('admin-token'), ALERT_SECRET: SECRET, ADMIN_IDS: 'admin001' };
    const ok = await runCliAsync(['--db', db, 'alert', 'test'], alertEnv);
    expect(ok.stdout).toContain('已通知管理员群：测试告警');
    expect(ok.status).toBe(0);
    const sent = fake.delivered.filter((d) => d.robotToken === 'admin-token');
    expect(sent).toHaveLength(1);
    expect(sent[0]!.text).toContain('这是 duban alert test 发出的测试告警');
    expect(sent[0]!.atUserIds).toEqual(['admin001']);

    // An alert an earlier run left unsent goes out on the way; the answer is still the test alert's.
    const store = Store.open(db);
    store.alerts.claim({ key: 'outage:dingtalk-robot', title: '钉钉群机器人暂时无法送达', text: '已连续 5 次发送失败', sentAt: Date.now() - 60_000, owner: '' }, () => true);
    store.close();
    const withLeftover = await runCliAsync(['--db', db, 'alert', 'test'], alertEnv);
    expect(withLeftover.status).toBe(0);
    expect(withLeftover.stdout).toBe('已通知管理员群：测试告警。请到管理员群中确认收到。\n');
    expect(withLeftover.stderr).toContain('已通知管理员群：钉钉群机器人暂时无法送达');
    expect(fake.delivered.filter((d) => d.robotToken === 'admin-token')).toHaveLength(3);

    const wrong = await runCliAsync(['--db', db, 'alert', 'test'], { ...alertEnv, ALERT_SECRET: 'SECwrong0000' });
    expect(wrong.status).toBe(1);
    expect(wrong.stderr).toContain('无法通知管理员群（测试告警）：管理员群机器人');
    expect(wrong.stderr).toContain('ALERT_SECRET');

    const unset = await runCliAsync(['--db', db, 'alert', 'test'], {});
    expect(unset.status).toBe(1);
    expect(unset.stderr).toContain('没有设置 ALERT_WEBHOOK');
  });

  it('sends the reminders afresh with duban remind --now once the cause of a failure is fixed', async () => {
    expect((await runCliAsync(['--db', db, 'remind', '--now'], { ...env, DINGTALK_SECRET: 'SECwrong0000' })).status).toBe(1);
    const r = await runCliAsync(['--db', db, 'remind', '--now'], env);
    expect(r.stderr).toContain(`${UNITS} 个单位的提醒上次发送失败，按现在的联络员名单重新发送。`);
    expect(r.status).toBe(0);
    expect(fake.delivered).toHaveLength(UNITS);
    // The failures are kept for the record but no longer listed as failures.
    const list = runCli(['--db', db, 'outbox'], env);
    expect(list.status).toBe(0);
    expect(list.stdout).toContain('失败 0 条');
  });

  it('does not strand messages queued for a channel the admin has since changed', async () => {
    fake.failUntil(() => false, { status: 503 });
    expect((await runCliAsync(['--db', db, 'remind', '--now', '--wait', '0.01'], env)).status).toBe(1);

    // A shell without the credentials runs on the console: the DingTalk messages wait, they are not taken over.
    const onConsole = await runCliAsync(['--db', db, 'remind', '--now'], { CHANNEL: 'console' });
    expect(onConsole.stderr).toContain(`发件箱中有 ${UNITS} 条消息等待通过钉钉或浙政钉发送，但现在没有设置它们的凭据`);
    expect(onConsole.status).toBe(0);
    const refused = await runCliAsync(['--db', db, 'outbox', 'retry'], { CHANNEL: 'console' });
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('重发的消息不会真正送达，所以没有重发');

    // Another real channel does take them over: the robot's queue is failed once, with a notice, and the
    // cycle's reminders go out on the new channel.
    fake.clearFailures();
    const app = { CHANNEL: 'dingtalk-app', DINGTALK_APP_KEY: fake.appKey, DINGTALK_APP_SECRET: fake.appSecret, DINGTALK_API_BASE: fake.baseUrl };
    const onApp = await runCliAsync(['--db', db, 'remind', '--now', '--wait', '0.5'], app);
    expect(onApp.stderr).toContain(`发件箱中有 ${UNITS} 条消息是为其他发送渠道排队的（现在的渠道是钉钉应用机器人），已标为失败。`);
    expect(onApp.stderr).toContain(`${UNITS} 个单位的提醒上次发送失败，按现在的联络员名单重新发送。`);
    expect(onApp.status).toBe(0);
    expect(fake.delivered.filter((d) => d.api === 'oto')).toHaveLength(UNITS);
    const missing = await runCliAsync(['--db', db, 'outbox', 'retry', '999'], app);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('没有编号为 999 的失败消息');
  });

  it('keeps the messages of a DingTalk outage pending, each with its next attempt, when --wait runs out', async () => {
    fake.fail(2, { status: 502 });
    fake.fail(1, { errcode: 410100, errmsg: '发送速度太快而限流' });
    // Keep the test short: the backoff is real time here, so only the first retries are awaited.
    const r = await runCliAsync(['--db', db, 'remind', '--now', '--wait', '0.05'], env);
    expect(r.stderr).toContain('暂未发出，稍后自动重试');
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('消息保存在发件箱中');
    const list = runCli(['--db', db, 'outbox'], env);
    expect(list.stdout).toContain('[待发送]');
    expect(list.stdout).toContain('下次尝试');
  });

  it('tells the admin which liaisons the app robot could not reach, instead of dropping the warning', async () => {
    const contacts = path.join(dir, 'contacts.csv');
    fs.writeFileSync(contacts, '单位,姓名,手机,钉钉ID,角色\n区司法局,示例联络员01,13800000001,demo-sfj-01,联络员\n区司法局,示例联络员02,13800000002,,联络员\n');
    const app = {
      CHANNEL: 'dingtalk-app',
      DINGTALK_APP_KEY: fake.appKey,
      DINGTALK_APP_SECRET: fake.appSecret,
      DINGTALK_API_BASE: fake.baseUrl,
      CONTACTS_FILE: contacts,
    };
    const r = await runCliAsync(['--db', db, 'remind', '--now'], { ...env, ...app });
    expect(r.status).toBe(0);
    expect(fake.delivered).toMatchObject([{ api: 'oto', userIds: ['demo-sfj-01'] }]);
    // The message counts as sent, so this line is the only place the admin learns 示例联络员02 got nothing.
    expect(r.stderr).toContain('示例联络员02，因为联络员名单（CONTACTS_FILE）中没有填钉钉ID');
  });

  it('sends nothing and fails when no row of the contacts file could be read', async () => {
    const bad = path.join(dir, 'bad.csv');
    fs.writeFileSync(bad, '部门,姓名,手机号,钉钉ID,角色\n区司法局,示例甲,13800000001,,联络员\n');
    const r = await runCliAsync(['--db', db, 'remind', '--now', '--contacts-file', bad], env);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('中没有可用的联络员');
    expect(r.stderr).toContain(`计划中的 ${UNITS} 个单位都收不到提醒`);
    expect(fake.attempts).toHaveLength(0);
  });

  it('says how to create the contacts file when it is missing', async () => {
    const r = await runCliAsync(['--db', db, 'remind', '--now'], { ...env, CONTACTS_FILE: path.join(dir, 'none.csv') });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('none.csv');
    expect(fake.attempts).toHaveLength(0);
  });
});

describe('duban remind --now on the console channel', () => {
  it('prints every unit\'s reminder when no DingTalk credentials are set', async () => {
    const { dir, cleanup } = tempDir('duban-remind-console-');
    try {
      const db = path.join(dir, 'duban.db');
      expect(runCli(['--db', db, 'plan', 'import', SEED]).status).toBe(0);
      const r = await runCliAsync(['--db', db, 'remind', '--now'], { CHANNEL: 'auto' });
      expect(r.status).toBe(0);
      expect(r.stdout.match(/【督办提醒：/g)).toHaveLength(UNITS);
      expect(r.stdout).toContain('发给 王江泾镇 的联络员');
    } finally {
      cleanup();
    }
  });
});
