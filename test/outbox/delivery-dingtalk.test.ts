/**
 * The delivery worker with the real DingTalk robot adapter against the fake DingTalk on loopback, sharing one
 * injected clock: rate limit, throttling, outages, permanent errors and restarts as DingTalk would see them.
 */
import { DingtalkRobotChannel } from '../../src/channels/dingtalk-robot';
import { DeliveryWorker } from '../../src/outbox/delivery-worker';
import type { OutboxDraft } from '../../src/store/store';
import { fakeClock, type FakeClock } from '../helpers/fake-clock';
import { startFakeDingtalk, type FakeDingtalk } from '../helpers/fake-dingtalk';
import { useTempStore } from '../store/temp-db';

const SECRET = 'SECb90923e19e58b466481e9e7b7a5b4f108a4531abde590ad3967fb29f0eae5c68';
const T0 = new Date('2025-09-26T01:00:00Z');

function drafts(n: number): OutboxDraft[] {
  return Array.from({ length: n }, (_, i) => {
    const unit = `单位${String(i + 1).padStart(3, '0')}`;
    return {
      groupKey: `remind|2025-09|${unit}`,
      channel: 'dingtalk-robot',
      kind: 'remind',
      cycle: '2025-09',
      unit,
      destination: { kind: 'unit', unit, people: [{ name: '联络员', mobile: `138${String(i).padStart(8, '0')}`, userId: null }] },
      title: `督办提醒：${unit}`,
      parts: [`#### ${unit}：2025年9月工作进度请报送`],
    };
  });
}

const unitOf = (text: string | undefined) => /#### (.+?)：/.exec(text ?? '')?.[1];

describe('delivery to the fake DingTalk', () => {
  const db = useTempStore('duban-delivery-');
  let clock: FakeClock;
  let fake: FakeDingtalk;

  beforeEach(async () => {
    clock = fakeClock(T0);
    fake = await startFakeDingtalk({ secret: SECRET, clock: clock.now, throttleMs: 10 * 60_000 });
  });
  afterEach(() => fake.close());

  const worker = (rate = 20, secret = SECRET) =>
    new DeliveryWorker({
      outbox: db.store.outbox,
      channels: [new DingtalkRobotChannel({ webhook: fake.webhook, secret, timeoutMs: 2000, clock: clock.now })],
      ratePerMinute: () => rate,
      clock: clock.now,
      sleep: clock.sleep,
      random: () => 0.5,
    });

  it('sends 45 messages at 20 a minute without DingTalk ever throttling, in order', async () => {
    db.store.outbox.enqueue(drafts(45), clock.now());
    await worker(20).drain();
    expect(fake.attempts.filter((a) => a.outcome !== 'delivered')).toEqual([]);
    expect(fake.delivered.map((m) => unitOf(m.text))).toEqual(drafts(45).map((d) => d.unit));
    const minutes = (fake.delivered[44]!.time - fake.delivered[0]!.time) / 60_000;
    // Two full windows of 20, then 5: just over two minutes, i.e. the configured rate and no slower.
    expect(minutes).toBeGreaterThan(2);
    expect(minutes).toBeLessThan(2.2);
  });

  it('backs off for the throttle when the configured rate is above what DingTalk allows, and loses nothing', async () => {
    db.store.outbox.enqueue(drafts(30), clock.now());
    await worker(60).drain();
    const throttled = fake.attempts.filter((a) => a.outcome === 'rejected' && (a.answer as { errcode?: number }).errcode === 410100);
    expect(throttled.length).toBeGreaterThan(0);
    // No hot loop: each throttled answer is followed by a wait, not by a burst of attempts.
    expect(throttled.length).toBeLessThan(12);
    expect(fake.delivered.map((m) => unitOf(m.text))).toEqual(drafts(30).map((d) => d.unit));
    expect(db.store.outbox.counts()).toMatchObject({ sent: 30, pending: 0, failed: 0 });
  });

  it('rides out 500s, a reset connection and the old throttle code, then delivers everything in order', async () => {
    db.store.outbox.enqueue(drafts(5), clock.now());
    fake.fail(2, { status: 500 });
    fake.fail(1, 'reset');
    fake.fail(1, { errcode: 130101, errmsg: 'send too fast, exceed 20 times per minute' });
    await worker(20).drain();
    expect(fake.delivered.map((m) => unitOf(m.text))).toEqual(drafts(5).map((d) => d.unit));
    const [first] = db.store.outbox.list(['sent']);
    expect(first?.attempts).toBe(5);
    expect(fake.attempts).toHaveLength(9);
  });

  it('stops on a signature DingTalk rejects, and fails the queue with its reason', async () => {
    db.store.outbox.enqueue(drafts(3), clock.now());
    await worker(20, 'SECwrong').drain();
    expect(fake.attempts).toHaveLength(1);
    const failed = db.store.outbox.list(['failed']);
    expect(failed).toHaveLength(3);
    expect(failed[0]).toMatchObject({ lastErrorCode: '310000' });
    expect(failed[0]!.lastError).toContain('DINGTALK_SECRET');
  });

  it('refuses a timestamp an hour off as DingTalk does, so a wrong server clock stops the channel', async () => {
    db.store.outbox.enqueue(drafts(1), clock.now());
    const skewed = fakeClock(T0.getTime() - 2 * 3600_000);
    const w = new DeliveryWorker({
      outbox: db.store.outbox,
      channels: [new DingtalkRobotChannel({ webhook: fake.webhook, secret: SECRET, timeoutMs: 2000, clock: skewed.now })],
      ratePerMinute: () => 20,
      clock: clock.now,
      sleep: clock.sleep,
    });
    await w.drain();
    expect(db.store.outbox.list(['failed'])[0]?.lastErrorCode).toBe('310000');
    expect(fake.delivered).toHaveLength(0);
  });

  it('resumes after a restart where the last one stopped, and sends nothing twice', async () => {
    db.store.outbox.enqueue(drafts(30), clock.now());
    await worker(20).drain(clock.now() + 1); // the first 20, then the process "stops"
    expect(fake.delivered).toHaveLength(20);
    await worker(20).drain();
    expect(fake.delivered).toHaveLength(30);
    expect(new Set(fake.delivered.map((m) => m.msgUuid)).size).toBe(30);
    expect(fake.attempts.every((a) => a.outcome === 'delivered')).toBe(true);
  });
});
