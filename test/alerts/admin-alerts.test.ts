/**
 * Alerts to the admins' group robot against the fake DingTalk (which checks 加签 as DingTalk does), with the
 * delivery worker's real events and an injected clock.
 */
import { AdminAlerts, OUTAGE_ATTEMPTS } from '../../src/alerts/admin-alerts';
import { DeliveryError } from '../../src/channels/channel';
import { DingtalkRobotChannel } from '../../src/channels/dingtalk-robot';
import { DeliveryWorker } from '../../src/outbox/delivery-worker';
import type { OutboxDraft } from '../../src/store/store';
import { fakeClock, type FakeClock } from '../helpers/fake-clock';
import { startFakeDingtalk, type FakeDingtalk } from '../helpers/fake-dingtalk';
import { useTempStore } from '../store/temp-db';

const SECRET = 'SECb90923e19e58b466481e9e7b7a5b4f108a4531abde590ad3967fb29f0eae5c68';
const T0 = new Date('2025-09-26T01:00:00Z');
const HOUR = 3_600_000;
const ROBOT = { name: 'dingtalk-robot' as const, label: '钉钉群机器人' };

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

  const alerts = (secret = SECRET, token = 'admin-token') =>
    new AdminAlerts({
      channel: new DingtalkRobotChannel({ webhook: fake.webhookFor(token), secret, timeoutMs: 2000, clock: clock.now }),
      admins: ['admin001', 'admin002'],
      store: db.store.alerts,
      timeZone: 'Asia/Shanghai',
      clock: clock.now,
      sleep: clock.sleep,
      random: () => 0.5,
      notice: (t) => notices.push(t),
    });

  const toAdmins = () => fake.delivered.filter((d) => d.robotToken === 'admin-token');

  it('tells a stopped channel once, signed, @-mentioning every admin, with the reason and the fix', async () => {
    const a = alerts();
    const error = new DeliveryError('channel', '310000', '钉钉拒绝了签名，请检查 DINGTALK_SECRET');
    a.channelStopped(ROBOT, error, 19);
    a.channelStopped(ROBOT, error, 19);
    await a.flush();
    expect(toAdmins()).toHaveLength(1);
    const m = toAdmins()[0]!;
    expect(m.title).toBe('督办系统告警：钉钉群机器人已停止发送');
    expect(m.text).toContain('19 条消息已标为失败。原因：钉钉拒绝了签名，请检查 DINGTALK_SECRET');
    expect(m.text).toContain('duban outbox retry');
    expect(m.text).toContain('2025-09-26 09:00');
    expect(m.atUserIds).toEqual(['admin001', 'admin002']);
    expect(m.text).toContain('@admin001 @admin002');
    expect(notices).toEqual(['已通知管理员群：钉钉群机器人已停止发送']);
  });

  it('is quiet for an hour per kind of alert, also for a new process on the same database', async () => {
    const error = new DeliveryError('channel', '310000', '签名错误');
    const first = alerts();
    first.channelStopped(ROBOT, error, 3);
    await first.flush();
    clock.advance(HOUR - 1000);
    const restarted = alerts();
    restarted.channelStopped(ROBOT, error, 3);
    // Another cause is another alert.
    restarted.channelStopped(ROBOT, new DeliveryError('channel', '300001', '机器人不存在'), 3);
    await restarted.flush();
    expect(toAdmins().map((m) => m.title)).toEqual(['督办系统告警：钉钉群机器人已停止发送', '督办系统告警：钉钉群机器人已停止发送']);
    expect(toAdmins()[1]!.text).toContain('机器人不存在');
    clock.advance(1000);
    restarted.channelStopped(ROBOT, error, 3);
    await restarted.flush();
    expect(toAdmins()).toHaveLength(3);
  });

  it('retries a passing failure of the admins\' robot, and gives the alert back when it cannot be sent', async () => {
    fake.fail(2, { status: 502 });
    const a = alerts();
    a.alert('k1', '测试', '内容');
    await a.flush();
    expect(toAdmins()).toHaveLength(1);
    expect(fake.attempts).toHaveLength(3);

    const wrong = alerts('SECwrong0000');
    wrong.alert('k2', '测试二', '内容');
    await wrong.flush();
    expect(toAdmins()).toHaveLength(1);
    expect(notices.at(-1)).toMatch(/^无法通知管理员群（测试二）：.*310000/);
    // Given back: the next occasion tries again rather than staying silent for an hour.
    const fixed = alerts();
    fixed.alert('k2', '测试二', '内容');
    await fixed.flush();
    expect(toAdmins()).toHaveLength(2);
  });

  it('tells an outage once, at the fifth failed attempt, and its end once the head message goes out', async () => {
    const a = alerts();
    const draft: OutboxDraft = {
      groupKey: 'remind|2025-09|区司法局',
      channel: 'dingtalk-robot',
      kind: 'remind',
      cycle: '2025-09',
      unit: '区司法局',
      destination: { kind: 'unit', unit: '区司法局', people: [{ name: '联络员', mobile: '13800000001', userId: null }] },
      title: '督办提醒：区司法局',
      parts: ['#### 区司法局：2025年9月工作进度请报送', '#### 区司法局：第二部分'],
    };
    db.store.outbox.enqueue([draft], clock.now());
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
    await a.flush();
    expect(fake.delivered.filter((d) => d.robotToken === 'group-token')).toHaveLength(2);
    expect(toAdmins().map((m) => m.title)).toEqual(['督办系统告警：钉钉群机器人暂时无法送达', '督办系统告警：钉钉群机器人已恢复发送']);
    expect(toAdmins()[0]!.text).toContain(`已连续 ${OUTAGE_ATTEMPTS} 次发送失败`);
    expect(toAdmins()[0]!.text).toContain('恢复后自动按顺序补发');
  });

  it('tells a message that cannot be sent, once per cause within the hour', async () => {
    const a = alerts();
    const row = (id: number) => ({ ...db.store.outbox.head('dingtalk-robot')!, id, title: `督办提醒：单位${id}`, attempts: 0 });
    db.store.outbox.enqueue(
      [
        {
          groupKey: 'remind|2025-09|单位1',
          channel: 'dingtalk-robot',
          kind: 'remind',
          cycle: '2025-09',
          unit: '单位1',
          destination: { kind: 'group' },
          title: '督办提醒：单位1',
          parts: ['正文'],
        },
      ],
      clock.now(),
    );
    const tooBig = new DeliveryError('message', '460101', '消息超过钉钉 20000 字节的上限');
    a.onDelivery({ row: row(1), outcome: 'failed', error: tooBig });
    a.onDelivery({ row: row(2), outcome: 'failed', error: tooBig });
    // A channel-level failure is told by channelStopped, not here.
    a.onDelivery({ row: row(3), outcome: 'failed', error: new DeliveryError('channel', '310000', '签名错误') });
    // A first retry is no outage yet.
    a.onDelivery({ row: row(4), outcome: 'retry', error: new DeliveryError('retry', 'HTTP_502', '502') });
    await a.flush();
    expect(toAdmins()).toHaveLength(1);
    expect(toAdmins()[0]!.title).toBe('督办系统告警：钉钉群机器人有消息无法发送');
    expect(toAdmins()[0]!.text).toContain('“督办提醒：单位1”已标为失败：消息超过钉钉 20000 字节的上限');
  });
});
