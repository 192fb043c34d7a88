/**
 * Alerts to the admins' group robot against the fake DingTalk (which checks 加签 as DingTalk does), with the
 * delivery worker's real events and an injected clock.
 */
import os from 'node:os';
import { AdminAlerts, alertRobotReason, OUTAGE_ATTEMPTS } from '../../src/alerts/admin-alerts';
import { DeliveryError } from '../../src/channels/channel';
import { DingtalkRobotChannel } from '../../src/channels/dingtalk-robot';
import { DeliveryWorker, type DeliveryEvent } from '../../src/outbox/delivery-worker';
import type { OutboxDraft, OutboxRow } from '../../src/store/store';
import { fakeClock, type FakeClock } from '../helpers/fake-clock';
import { startFakeDingtalk, type FakeDingtalk } from '../helpers/fake-dingtalk';
import { useTempStore } from '../store/temp-db';

const SECRET = 'SECb90923e19e58b466481e9e7b7a5b4f108a4531abde590ad3967fb29f0eae5c68';
const T0 = new Date('2025-09-26T01:00:00Z');
const HOUR = 3_600_000;
const ROBOT = { name: 'dingtalk-robot' as const, label: '钉钉群机器人' };
/** A process of this machine that does not run (above Linux's largest pid). */
const DEAD = `${os.hostname()}/4194305/dead`;

function draft(unit: string, parts = ['#### 正文']): OutboxDraft {
  return {
    groupKey: `remind|2025-09|${unit}`,
    channel: 'dingtalk-robot',
    kind: 'remind',
    cycle: '2025-09',
    unit,
    destination: { kind: 'unit', unit, people: [{ name: '联络员', mobile: '13800000001', userId: null }] },
    title: `督办提醒：${unit}`,
    parts,
  };
}

describe('alerts to the admins\' group', () => {
  const db = useTempStore('duban-admin-alerts-');
  let clock: FakeClock;
  let fake: FakeDingtalk;
  let notices: string[];

  beforeEach(async () => {
    clock = fakeClock(T0);
    notices = [];
    fake = await startFakeDingtalk({ secret: SECRET, clock: clock.now, robotTokens: ['group-token', 'admin-token'] });
  });
  afterEach(() => fake.close());

  const alerts = (over: { secret?: string; owner?: string; timeoutMs?: number } = {}) =>
    new AdminAlerts({
      channel: new DingtalkRobotChannel({ webhook: fake.webhookFor('admin-token'), secret: over.secret ?? SECRET, timeoutMs: over.timeoutMs ?? 2000, clock: clock.now }),
      admins: ['admin001', 'admin002'],
      store: db.store.alerts,
      timeZone: 'Asia/Shanghai',
      clock: clock.now,
      sleep: clock.sleep,
      random: () => 0.5,
      notice: (t) => notices.push(t),
      owner: over.owner ?? 'test-host/1/live',
    });

  const toAdmins = () => fake.delivered.filter((d) => d.robotToken === 'admin-token');
  const titles = () => toAdmins().map((m) => m.title);

  it('tells a stopped channel once, signed, @-mentioning every admin, with the reason and the fix', async () => {
    const a = alerts();
    const error = new DeliveryError('channel', '310000', '钉钉拒绝了签名，请检查 DINGTALK_SECRET');
    a.channelStopped(ROBOT, error, 19);
    a.channelStopped(ROBOT, error, 19);
    await a.idle();
    expect(toAdmins()).toHaveLength(1);
    const m = toAdmins()[0]!;
    expect(m.title).toBe('督办系统告警：钉钉群机器人已停止发送');
    expect(m.text).toContain('19 条消息已标为失败。原因：钉钉拒绝了签名，请检查 DINGTALK_SECRET');
    expect(m.text).toContain('duban outbox retry');
    expect(m.text).toContain('2025-09-26 09:00');
    expect(m.atUserIds).toEqual(['admin001', 'admin002']);
    expect(m.text).toContain('@admin001 @admin002');
    expect(notices).toEqual(['已通知管理员群：钉钉群机器人已停止发送']);
    expect(db.store.alerts.get('stopped:dingtalk-robot:310000')).toMatchObject({ confirmed: true });
  });

  it('is quiet for an hour per kind of alert, also for another process on the same database', async () => {
    const error = new DeliveryError('channel', '310000', '签名错误');
    const first = alerts();
    first.channelStopped(ROBOT, error, 3);
    await first.idle();
    clock.advance(HOUR - 1000);
    const other = alerts({ owner: 'test-host/2/other' });
    other.channelStopped(ROBOT, error, 3);
    // Another cause is another alert.
    other.channelStopped(ROBOT, new DeliveryError('channel', '300001', '机器人不存在'), 3);
    await other.idle();
    expect(titles()).toEqual(['督办系统告警：钉钉群机器人已停止发送', '督办系统告警：钉钉群机器人已停止发送']);
    expect(toAdmins()[1]!.text).toContain('机器人不存在');
    clock.advance(1000);
    other.channelStopped(ROBOT, error, 3);
    await other.idle();
    expect(toAdmins()).toHaveLength(3);
  });

  it('retries a passing failure of the admins\' robot, and gives the alert back when it cannot be sent', async () => {
    fake.fail(2, { status: 502 });
    const a = alerts();
    a.alert('k1', '测试', '内容');
    await a.idle();
    expect(toAdmins()).toHaveLength(1);
    expect(fake.attempts).toHaveLength(3);

    const wrong = alerts({ secret: 'SECwrong0000' });
    wrong.alert('k2', '测试二', '内容');
    await wrong.idle();
    expect(toAdmins()).toHaveLength(1);
    // The fix names the admins' robot's settings, not the reminder robot's.
    expect(notices.at(-1)).toMatch(/^无法通知管理员群（测试二）：管理员群机器人.*310000.*ALERT_SECRET/);
    expect(notices.at(-1)).not.toContain('DINGTALK_SECRET');
    // Given back: the next occasion tries again rather than staying silent for an hour.
    const fixed = alerts();
    fixed.alert('k2', '测试二', '内容');
    await fixed.idle();
    expect(toAdmins()).toHaveLength(2);
  });

  it('keeps an alert DingTalk could not take for later, but not a test alert', async () => {
    fake.failWhen((r) => r.query.access_token === 'admin-token', { status: 502 });
    const a = alerts();
    a.alert('stopped:dingtalk-robot:310000', '钉钉群机器人已停止发送', '原因：签名错误');
    a.alert('test:1', '测试告警', '这是测试告警', 0, false);
    await a.idle();
    expect(fake.attempts).toHaveLength(6);
    expect(db.store.alerts.unconfirmed().map((r) => [r.key, r.owner])).toEqual([['stopped:dingtalk-robot:310000', '']]);
    expect(notices).toContain('无法通知管理员群（测试告警）：管理员群机器人发送失败（HTTP 502：{"errcode":-1,"errmsg":"系统繁忙"}）：钉钉服务器暂时出错或繁忙，稍后自动重试。');

    fake.clearFailures();
    const next = alerts({ owner: 'test-host/5/next' });
    next.resume();
    await next.idle();
    expect(titles()).toEqual(['督办系统告警：钉钉群机器人已停止发送']);
  });

  it('cancels a hanging alert when the program stops, and the next start sends it', async () => {
    fake.fail(1, 'hang');
    const a = alerts({ timeoutMs: 60_000 });
    a.alert('stopped:dingtalk-robot:310000', '钉钉群机器人已停止发送', '原因：签名错误');
    await fake.waitForAttempts(1);
    const started = Date.now();
    await a.close(50);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(notices).toEqual(['程序正在停止，管理员告警“钉钉群机器人已停止发送”未发出，下次启动时补发。']);
    expect(db.store.alerts.unconfirmed()).toMatchObject([{ key: 'stopped:dingtalk-robot:310000', owner: '' }]);
    // A stopped instance takes nothing more.
    a.alert('k', 't', 'x');
    expect(db.store.alerts.get('k')).toBeUndefined();

    clock.advance(5_000);
    const next = alerts({ owner: 'test-host/3/next' });
    next.resume();
    await next.idle();
    expect(titles()).toEqual(['督办系统告警：钉钉群机器人已停止发送']);
    expect(toAdmins()[0]!.text).toContain('原因：签名错误');
    expect(toAdmins()[0]!.text).toContain('（此告警原于 2025-09-26 09:00 发出时服务中断，现补发）');
    expect(db.store.alerts.unconfirmed()).toEqual([]);
    // Resumed once only.
    next.resume();
    await next.idle();
    expect(toAdmins()).toHaveLength(1);
  });

  it('sends an alert left by a killed process, but not one a live process is still sending', async () => {
    const now = clock.now();
    db.store.alerts.claim({ key: 'dead', title: '死进程的告警', text: 'x', sentAt: now, owner: DEAD }, () => true);
    db.store.alerts.claim({ key: 'busy', title: '另一进程的告警', text: 'y', sentAt: now, owner: 'other-host/7/busy' }, () => true);
    const a = alerts();
    a.resume();
    a.alert('busy', '另一进程的告警', 'y');
    await a.idle();
    expect(titles()).toEqual(['督办系统告警：死进程的告警']);
    // The other process had its minute to send it; after that it is taken over.
    clock.advance(61_000);
    a.resume();
    await a.idle();
    expect(titles()).toEqual(['督办系统告警：死进程的告警', '督办系统告警：另一进程的告警']);
  });

  it('tells an outage once, at the fifth failure in a row, and its end once a message goes out again', async () => {
    const a = alerts();
    db.store.outbox.enqueue([draft('区司法局', ['#### 区司法局：第一部分', '#### 区司法局：第二部分'])], clock.now());
    // The supervision group's robot fails 8 times, then recovers; the admins' robot keeps working.
    let failures = 0;
    fake.failWhen((r) => r.query.access_token === 'group-token' && failures++ < 8, { status: 503 });
    const worker = new DeliveryWorker({
      outbox: db.store.outbox,
      channels: [new DingtalkRobotChannel({ webhook: fake.webhookFor('group-token'), secret: SECRET, timeoutMs: 2000, clock: clock.now })],
      ratePerMinute: () => 20,
      clock: clock.now,
      sleep: clock.sleep,
      random: () => 0.5,
      onEvent: (e) => a.onDelivery(e),
    });
    await worker.drain();
    await a.idle();
    expect(fake.delivered.filter((d) => d.robotToken === 'group-token')).toHaveLength(2);
    expect(titles()).toEqual(['督办系统告警：钉钉群机器人暂时无法送达', '督办系统告警：钉钉群机器人已恢复发送']);
    expect(toAdmins()[0]!.text).toContain(`已连续 ${OUTAGE_ATTEMPTS} 次发送失败`);
    expect(toAdmins()[0]!.text).toContain('恢复后自动按顺序补发');
  });

  describe('reading the worker\'s events', () => {
    let row: OutboxRow;
    beforeEach(() => {
      db.store.outbox.enqueue([draft('单位1')], clock.now());
      row = db.store.outbox.head('dingtalk-robot')!;
    });
    const event = (outcome: DeliveryEvent['outcome'], error?: DeliveryError, over: Partial<OutboxRow> = {}): DeliveryEvent => ({
      row: { ...row, ...over },
      outcome,
      error,
    });
    const busy = () => new DeliveryError('retry', 'HTTP 502', '钉钉服务器暂时出错');

    it('counts failures in a row on the channel, not the attempts of one message', async () => {
      const a = alerts();
      // A message retried many times before (say, after duban outbox retry) is no outage on its first failure now.
      a.onDelivery(event('retry', busy(), { attempts: 12 }));
      for (let i = 0; i < 3; i++) a.onDelivery(event('retry', busy()));
      a.onDelivery(event('sent'));
      for (let i = 0; i < OUTAGE_ATTEMPTS - 1; i++) a.onDelivery(event('retry', busy()));
      await a.idle();
      expect(toAdmins()).toHaveLength(0);
      a.onDelivery(event('throttled', new DeliveryError('throttled', '410100', '发送速度太快而限流')));
      await a.idle();
      expect(titles()).toEqual(['督办系统告警：钉钉群机器人暂时无法送达']);
    });

    it('does not call an undocumented answer, retried a few times, an outage', async () => {
      const a = alerts();
      const odd = () => new DeliveryError('retry', '88888', '未知错误', 6);
      for (let i = 0; i < 5; i++) a.onDelivery(event('retry', odd()));
      a.onDelivery(event('failed', new DeliveryError('message', '88888', '已尝试 6 次仍未成功')));
      a.onDelivery(event('sent'));
      await a.idle();
      expect(titles()).toEqual(['督办系统告警：钉钉群机器人有消息无法发送']);
    });

    it('tells the end of an outage that another process told', async () => {
      const before = alerts({ owner: 'test-host/1/before' });
      for (let i = 0; i < OUTAGE_ATTEMPTS; i++) before.onDelivery(event('retry', busy()));
      await before.close(1000);
      clock.advance(10 * 60_000);
      const after = alerts({ owner: 'test-host/2/after' });
      after.onDelivery(event('sent'));
      after.onDelivery(event('sent'));
      await after.idle();
      expect(titles()).toEqual(['督办系统告警：钉钉群机器人暂时无法送达', '督办系统告警：钉钉群机器人已恢复发送']);
    });

    it('keeps an outage alert its own robot could not send, and tells it with the recovery, in one alert', async () => {
      // The admins' robot is on the same DingTalk: it is down too.
      let down = true;
      fake.failWhen((r) => down && r.query.access_token === 'admin-token', { status: 503 });
      const a = alerts();
      for (let i = 0; i < OUTAGE_ATTEMPTS + 2; i++) {
        a.onDelivery(event('retry', busy()));
        await a.idle();
      }
      expect(toAdmins()).toHaveLength(0);
      // Kept for later, with the latest count, rather than given back and forgotten.
      expect(db.store.alerts.get('outage:dingtalk-robot')).toMatchObject({ confirmed: false, owner: '' });
      expect(db.store.alerts.get('outage:dingtalk-robot')?.text).toContain(`已连续 ${OUTAGE_ATTEMPTS + 2} 次发送失败`);
      expect(notices.at(-1)).toMatch(/^无法通知管理员群（钉钉群机器人暂时无法送达）：管理员群机器人发送失败（HTTP 503.*稍后自动重试。钉钉恢复后补发。$/);

      down = false;
      clock.advance(5 * 60_000);
      a.onDelivery(event('sent'));
      a.onDelivery(event('sent'));
      await a.idle();
      expect(titles()).toEqual(['督办系统告警：钉钉群机器人已恢复发送']);
      const text = toAdmins()[0]!.text!;
      expect(text).toContain('“督办提醒：单位1”已送达，发件箱中积压的消息正按顺序补发。');
      expect(text).toContain('故障告警未能及时发出，现一并告知：2025-09-26 09:');
      expect(text).toContain(`已连续 ${OUTAGE_ATTEMPTS + 2} 次发送失败`);
      // Told once: nothing is left to resume, by this process or the next.
      expect(db.store.alerts.get('outage:dingtalk-robot')).toBeUndefined();
      expect(db.store.alerts.unconfirmed()).toEqual([]);
      clock.advance(2 * 60_000);
      const next = alerts({ owner: 'test-host/4/next' });
      next.resume();
      a.onDelivery(event('sent'));
      await Promise.all([a.idle(), next.idle()]);
      expect(toAdmins()).toHaveLength(1);
    });

    it('sends a kept outage alert with the latest count once the admins\' robot works again', async () => {
      let down = true;
      fake.failWhen((r) => down && r.query.access_token === 'admin-token', 'reset');
      const a = alerts();
      for (let i = 0; i < OUTAGE_ATTEMPTS; i++) a.onDelivery(event('retry', busy()));
      await a.idle();
      down = false;
      clock.advance(2 * 60_000);
      // The reminders' robot is still failing: the next failure tells the outage, as it stands now (not the kept
      // text, resumed), once.
      a.onDelivery(event('retry', busy()));
      a.onDelivery(event('retry', busy()));
      await a.idle();
      expect(titles()).toEqual(['督办系统告警：钉钉群机器人暂时无法送达']);
      expect(toAdmins()[0]!.text).toContain(`已连续 ${OUTAGE_ATTEMPTS + 1} 次发送失败`);
      expect(toAdmins()[0]!.text).not.toContain('现补发');
      a.onDelivery(event('sent'));
      await a.idle();
      expect(titles()).toEqual(['督办系统告警：钉钉群机器人暂时无法送达', '督办系统告警：钉钉群机器人已恢复发送']);
    });

    it('tells a message that cannot be sent, once per cause within the hour', async () => {
      const a = alerts();
      const tooBig = new DeliveryError('message', '460101', '消息超过钉钉 20000 字节的上限');
      a.onDelivery(event('failed', tooBig, { title: '督办提醒：单位1' }));
      a.onDelivery(event('failed', tooBig, { title: '督办提醒：单位2' }));
      // A channel-level failure is told by channelStopped, not here.
      a.onDelivery(event('failed', new DeliveryError('channel', '310000', '签名错误')));
      await a.idle();
      expect(titles()).toEqual(['督办系统告警：钉钉群机器人有消息无法发送']);
      expect(toAdmins()[0]!.text).toContain('“督办提醒：单位1”已标为失败：消息超过钉钉 20000 字节的上限');
    });
  });
});

describe('alertRobotReason', () => {
  it('names the admins\' robot and its settings', () => {
    expect(alertRobotReason('钉钉群机器人发送失败（错误码 310000）：请检查 DINGTALK_SECRET')).toBe(
      '管理员群机器人发送失败（错误码 310000）：请检查 ALERT_SECRET',
    );
    expect(alertRobotReason('访问超时')).toBe('管理员群机器人：访问超时');
  });
});
