import type { OutboxDraft } from '../../src/store/store';
import { useTempStore } from './temp-db';

const NOW = Date.parse('2025-09-26T01:00:00Z');

function draft(unit: string, people: string[], parts = 1, channel = 'dingtalk-robot'): OutboxDraft {
  return {
    groupKey: `remind|2025-09|${unit}`,
    channel,
    kind: 'remind',
    cycle: '2025-09',
    unit,
    destination: { kind: 'unit', unit, people: people.map((name) => ({ name, mobile: null, userId: name })) },
    title: `督办提醒：${unit}`,
    parts: Array.from({ length: parts }, (_, i) => `第 ${i + 1} 部分`),
  };
}

function failAll(store: ReturnType<typeof useTempStore>['store'], unit?: string): void {
  for (const row of store.outbox.list(['pending'])) {
    if (unit && row.unit !== unit) continue;
    const claim = store.outbox.claim(row.id, row.attempts, 'a/1', NOW, 1000, null);
    if (claim.ok) store.outbox.markFailed(row.id, claim.attemptId, 'message', 'NO_USER_ID', '联络员没有钉钉ID');
  }
}

describe('OutboxStore', () => {
  const db = useTempStore('duban-outbox-store-');

  it('queues a group again, with today\'s recipients, once every part of it failed', () => {
    db.store.outbox.enqueue([draft('区司法局', ['旧联络员'], 2)], NOW);
    failAll(db.store);
    expect(db.store.outbox.liveGroups(['remind|2025-09|区司法局']).size).toBe(0);

    const again = db.store.outbox.enqueue([draft('区司法局', ['新联络员'], 2)], NOW + 1000);
    expect(again).toMatchObject({ queued: 1, requeued: 1, messages: 2, skipped: 0 });
    const pending = db.store.outbox.list(['pending']);
    expect(pending.map((r) => r.destination)).toEqual([
      { kind: 'unit', unit: '区司法局', people: [{ name: '新联络员', mobile: null, userId: '新联络员' }] },
      { kind: 'unit', unit: '区司法局', people: [{ name: '新联络员', mobile: null, userId: '新联络员' }] },
    ]);
    expect(pending.map((r) => r.key)).toEqual(['remind|2025-09|区司法局#1', 'remind|2025-09|区司法局#2']);
    // The failed attempt stays on record, out of the failure list.
    const replaced = db.store.outbox.list(['replaced']);
    expect(replaced).toHaveLength(2);
    expect(replaced[0]!.key).toMatch(/^remind\|2025-09\|区司法局#1~\d+$/);
    expect(db.store.outbox.list(['failed'])).toEqual([]);
    expect(db.store.outbox.liveGroups(['remind|2025-09|区司法局'])).toEqual(new Set(['remind|2025-09|区司法局']));
  });

  it('never queues again a group of which one part was sent', () => {
    db.store.outbox.enqueue([draft('区司法局', ['联络员'], 2)], NOW);
    const [first, second] = db.store.outbox.list(['pending']);
    const c1 = db.store.outbox.claim(first!.id, 0, 'a/1', NOW, 1000, null);
    if (c1.ok) db.store.outbox.markSent(first!.id, c1.attemptId, NOW, null);
    const c2 = db.store.outbox.claim(second!.id, 0, 'a/1', NOW, 1000, null);
    if (c2.ok) db.store.outbox.markFailed(second!.id, c2.attemptId, 'message', '460101', '太长');
    expect(db.store.outbox.enqueue([draft('区司法局', ['联络员'], 2)], NOW)).toMatchObject({ queued: 0, skipped: 1 });
  });

  it('fails what was queued for another channel, and retry moves failed messages to the channel given', () => {
    db.store.outbox.enqueue([draft('区司法局', ['甲']), draft('区财政局', ['乙'])], NOW);
    expect(db.store.outbox.failOtherChannels('dingtalk-robot', '不会发生')).toBe(0);
    expect(db.store.outbox.failOtherChannels('zzd', '发送渠道已改为浙政钉工作通知')).toBe(2);
    expect(db.store.outbox.list(['failed']).map((r) => [r.lastErrorCode, r.lastError])).toEqual([
      ['CHANNEL_CHANGED', '发送渠道已改为浙政钉工作通知'],
      ['CHANNEL_CHANGED', '发送渠道已改为浙政钉工作通知'],
    ]);
    expect(db.store.outbox.retryFailed(NOW, null, 'zzd')).toBe(2);
    expect(db.store.outbox.list(['pending']).map((r) => r.channel)).toEqual(['zzd', 'zzd']);
  });
});
