import os from 'node:os';
import type { Destination } from '../../src/channels/channel';
import { DeliveryError } from '../../src/channels/channel';
import { DeliveryWorker, platformKey } from '../../src/outbox/delivery-worker';
import type { OutboxDraft } from '../../src/store/store';
import { fakeClock, type FakeClock } from '../helpers/fake-clock';
import { useTempStore } from '../store/temp-db';
import { badSign, retry, ScriptedChannel, throttled, tooLong } from './scripted-channel';

const T0 = new Date('2025-09-26T01:00:00Z');
const people = [{ name: '联络员甲', mobile: '13800000001', userId: 'u1' }];

function draft(unit: string, parts = 1, kind = 'remind'): OutboxDraft {
  return {
    groupKey: `${kind}|2025-09|${unit}`,
    channel: 'dingtalk-robot',
    kind,
    cycle: '2025-09',
    unit,
    destination: { kind: 'unit', unit, people } satisfies Destination,
    title: `督办提醒：${unit}`,
    parts: Array.from({ length: parts }, (_, i) => `${unit} 第 ${i + 1} 部分`),
  };
}

const units = (n: number) => Array.from({ length: n }, (_, i) => `单位${String(i + 1).padStart(2, '0')}`);

describe('DeliveryWorker', () => {
  const db = useTempStore('duban-outbox-');
  let clock: FakeClock;
  let channel: ScriptedChannel;
  const worker = (rate: number | null = 20, extra: Partial<ConstructorParameters<typeof DeliveryWorker>[0]> = {}) =>
    new DeliveryWorker({
      outbox: db.store.outbox,
      channels: [channel],
      ratePerMinute: () => rate,
      clock: clock.now,
      sleep: clock.sleep,
      random: () => 0.5,
      ...extra,
    });

  beforeEach(() => {
    clock = fakeClock(T0);
    channel = new ScriptedChannel('dingtalk-robot', clock.now);
  });

  it('queues each (kind, cycle, unit) once, parts in order, in one transaction', () => {
    const first = db.store.outbox.enqueue([draft('区司法局', 2), draft('区财政局')], clock.now());
    expect(first).toMatchObject({ queued: 2, messages: 3, skipped: 0 });
    const again = db.store.outbox.enqueue([draft('区司法局', 3), draft('区住建局')], clock.now());
    expect(again).toMatchObject({ queued: 1, messages: 1, skipped: 1 });
    expect(db.store.outbox.list(['pending']).map((r) => r.title)).toEqual([
      '督办提醒：区司法局（1/2）',
      '督办提醒：区司法局（2/2）',
      '督办提醒：区财政局',
      '督办提醒：区住建局',
    ]);
  });

  it('delivers everything in queue order and never the same message twice', async () => {
    db.store.outbox.enqueue(units(5).map((u) => draft(u)), clock.now());
    await worker().drain();
    expect(channel.sent.map((s) => s.message.markdown)).toEqual(units(5).map((u) => `${u} 第 1 部分`));
    expect(db.store.outbox.counts()).toEqual({ pending: 0, sending: 0, sent: 5, failed: 0 });
    await worker().drain();
    expect(channel.calls).toHaveLength(5);
  });

  it('makes no new attempt after the deadline, even when a sleep ends late', async () => {
    db.store.outbox.enqueue([draft('区司法局')], clock.now());
    channel.answer(retry(), retry(), retry());
    // A machine that was suspended: every sleep ends 10 s after it was due.
    const lateSleep: typeof clock.sleep = async (ms, signal) => {
      await clock.sleep(ms, signal);
      clock.advance(10_000);
    };
    await worker(20, { sleep: lateSleep }).drain(clock.now() + 3_000);
    expect(channel.calls).toHaveLength(1);
    expect(db.store.outbox.counts()).toMatchObject({ pending: 1, sent: 0 });
  });

  it('never makes more than the configured attempts in any minute', async () => {
    db.store.outbox.enqueue(units(45).map((u) => draft(u)), clock.now());
    await worker(20).drain();
    const times = channel.calls.map((c) => c.at);
    expect(times).toHaveLength(45);
    for (let i = 20; i < times.length; i++) expect(times[i]! - times[i - 20]!).toBeGreaterThan(60_000);
    // …and no slower than that: 45 messages take just over two minutes.
    expect(times[44]! - times[0]!).toBeLessThan(2 * 60_000 + 5_000);
  });

  it('keeps the rate across a restart, because attempts are in the database', async () => {
    db.store.outbox.enqueue(units(30).map((u) => draft(u)), clock.now());
    const first = worker(20);
    await first.drain(clock.now() + 1); // sends 20, then must wait
    expect(channel.calls).toHaveLength(20);
    await worker(20).drain(clock.now() + 30_000);
    expect(channel.calls).toHaveLength(20);
    await worker(20).drain();
    expect(channel.calls).toHaveLength(30);
  });

  it('retries network errors and throttling with growing, jittered delays, keeping the order', async () => {
    db.store.outbox.enqueue([draft('区司法局'), draft('区财政局')], clock.now());
    channel.answer(retry(), retry(), throttled());
    await worker().drain();
    const gaps = channel.calls.slice(1).map((c, i) => c.at - channel.calls[i]!.at);
    // base 2 s × 2^(n−1), jitter 0.5 → 75 %; throttling waits at least a minute.
    expect(gaps.slice(0, 3)).toEqual([1500, 3000, 60_000]);
    expect(channel.sent.map((s) => s.message.markdown)).toEqual(['区司法局 第 1 部分', '区财政局 第 1 部分']);
    const [row] = db.store.outbox.list(['sent']);
    expect(row?.attempts).toBe(4);
  });

  it('fails one message that can never be sent and goes on with the others', async () => {
    db.store.outbox.enqueue([draft('区司法局'), draft('区财政局')], clock.now());
    channel.answer(tooLong());
    await worker().drain();
    expect(db.store.outbox.list(['failed'])).toMatchObject([{ unit: '区司法局', lastErrorCode: '460101', lastError: '消息太长' }]);
    expect(channel.sent).toHaveLength(1);
  });

  it('gives up a message refused again and again with an unknown code, so it does not block the queue', async () => {
    db.store.outbox.enqueue([draft('区司法局'), draft('区财政局')], clock.now());
    const unknown = () => new DeliveryError('retry', '40035', '钉钉返回了不认识的错误码', 6);
    channel.answer(...Array.from({ length: 10 }, unknown));
    await worker().drain();
    const [failed] = db.store.outbox.list(['failed']);
    expect(failed).toMatchObject({ unit: '区司法局', attempts: 6, lastErrorCode: '40035' });
    expect(failed!.lastError).toContain('已尝试 6 次仍未成功');
    // The next message met the remaining scripted refusals and then went out.
    expect(channel.sent.map((s) => s.message.markdown)).toEqual(['区财政局 第 1 部分']);
  });

  it('stops a channel on a permanent error, fails its queue with the reason and says so once', async () => {
    db.store.outbox.enqueue(units(4).map((u) => draft(u)), clock.now());
    channel.answer(badSign());
    const stopped: number[] = [];
    const w = worker(20, { onChannelStopped: (_c, _e, n) => stopped.push(n) });
    await w.drain();
    expect(channel.calls).toHaveLength(1);
    expect(stopped).toEqual([4]);
    const failed = db.store.outbox.list(['failed']);
    expect(failed).toHaveLength(4);
    expect(failed[1]?.lastError).toBe('渠道已停用：签名不匹配，请检查 DINGTALK_SECRET');
    expect(w.stoppedReason('dingtalk-robot')?.code).toBe('310000');

    // Nothing is tried while nothing new is queued…
    await w.drain();
    expect(channel.calls).toHaveLength(1);
    // …but after the admin fixed the secret, `outbox retry` puts them back and the same worker sends them.
    expect(db.store.outbox.retryFailed(clock.now())).toBe(4);
    await w.drain();
    expect(w.stoppedReason('dingtalk-robot')).toBeUndefined();
    expect(channel.sent).toHaveLength(4);
  });

  it('resends a message left "sending" by a dead process with the same idempotency key', async () => {
    db.store.outbox.enqueue([draft('区司法局')], clock.now());
    const [row] = db.store.outbox.list(['pending']);
    // A process that has exited claimed it and died before recording the answer.
    const claim = db.store.outbox.claim(row!.id, 0, 'this-host-never/999999', clock.now(), 120_000, 20);
    expect(claim.ok).toBe(true);
    await worker(20, { owner: 'other/1' }).drain(clock.now() + 10 * 60_000);
    // The lease of a process on another host is respected until it expires, then the message is retried.
    expect(channel.sent).toHaveLength(1);
    expect(channel.sent[0]!.at - T0.getTime()).toBeGreaterThanOrEqual(120_000);
    expect(channel.sent[0]!.message.key).toBe(platformKey(row!));
  });

  it('waits while another live sender holds the head message', async () => {
    db.store.outbox.enqueue([draft('区司法局')], clock.now());
    const [row] = db.store.outbox.list(['pending']);
    db.store.outbox.claim(row!.id, 0, `${os.hostname()}/${process.pid}`, clock.now(), 120_000, 20);
    await worker(20, { owner: 'other/1' }).drain(clock.now() + 60_000);
    expect(channel.calls).toHaveLength(0);
  });

  it('lets only one of two senders that saw the same message claim it', () => {
    db.store.outbox.enqueue([draft('区司法局')], clock.now());
    const [row] = db.store.outbox.list(['pending']);
    const first = db.store.outbox.claim(row!.id, row!.attempts, 'a/1', clock.now(), 120_000, 20);
    const second = db.store.outbox.claim(row!.id, row!.attempts, 'b/2', clock.now(), 120_000, 20);
    expect(first.ok).toBe(true);
    expect(second).toEqual({ ok: false, gone: true });
    expect(db.store.outbox.get(row!.id)).toMatchObject({ status: 'sending', claimedBy: 'a/1', attempts: 1 });
  });

  it('sends each message once when two workers drain the same outbox together', async () => {
    db.store.outbox.enqueue(units(12).map((u) => draft(u)), clock.now());
    const other = new ScriptedChannel('dingtalk-robot', clock.now);
    const a = worker(null, { owner: `${os.hostname()}/${process.pid}` });
    const b = new DeliveryWorker({
      outbox: db.store.outbox,
      channels: [other],
      ratePerMinute: () => null,
      clock: clock.now,
      sleep: clock.sleep,
      owner: `${os.hostname()}/${process.pid}`.replace(/\/\d+$/, `/${process.ppid}`),
    });
    await Promise.all([a.drain(), b.drain()]);
    const all = [...channel.sent, ...other.sent].map((s) => s.message.markdown).sort();
    expect(all).toEqual(units(12).map((u) => `${u} 第 1 部分`).sort());
    expect(db.store.outbox.counts().sent).toBe(12);
  });

  it('keeps sending in the background after a transient database error instead of dying', async () => {
    db.store.outbox.enqueue([draft('区司法局')], clock.now());
    // Another process (duban plan import, duban remind --now) held the write lock longer than busy_timeout.
    const busy = Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });
    jest.spyOn(db.store.outbox, 'head').mockImplementationOnce(() => {
      throw busy;
    });
    const w = worker();
    w.start();
    for (let i = 0; i < 500 && channel.sent.length === 0; i++) await new Promise((r) => setImmediate(r));
    await expect(w.stop()).resolves.toBeUndefined();
    expect(channel.sent).toHaveLength(1);
    expect(db.store.outbox.counts()).toMatchObject({ pending: 0, sending: 0, sent: 1 });
  });

  it('lets duban remind --now (drain) report a database error rather than wait on it', async () => {
    db.store.outbox.enqueue([draft('区司法局')], clock.now());
    jest.spyOn(db.store.outbox, 'head').mockImplementationOnce(() => {
      throw new Error('database disk image is malformed');
    });
    await expect(worker().drain()).rejects.toThrow('malformed');
  });

  it('finishes the message in flight when stopped', async () => {
    db.store.outbox.enqueue(units(3).map((u) => draft(u)), clock.now());
    const w = worker(null);
    w.start();
    while (channel.calls.length === 0) await new Promise((r) => setImmediate(r));
    await w.stop();
    const counts = db.store.outbox.counts();
    expect(counts.sending).toBe(0);
    expect(counts.sent).toBe(channel.sent.length);
  });
});
