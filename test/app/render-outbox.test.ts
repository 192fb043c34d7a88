import { renderOutbox } from '../../src/app/render-outbox';
import type { OutboxRow } from '../../src/store/outbox-store';

const NOW = Date.parse('2026-11-27T02:00:00Z');

function row(over: Partial<OutboxRow>): OutboxRow {
  return {
    id: 1,
    key: 'k',
    groupKey: 'g',
    channel: 'dingtalk-robot',
    kind: 'remind',
    cycle: '2026-11',
    unit: '区司法局',
    part: 1,
    parts: 1,
    destination: { kind: 'unit', unit: '区司法局', people: [] },
    title: '督办提醒',
    markdown: '',
    status: 'pending',
    attempts: 0,
    nextAttemptAt: NOW,
    claimedBy: null,
    claimUntil: null,
    lastError: null,
    lastErrorCode: null,
    platformId: null,
    createdAt: '2026-11-27 10:00:00',
    sentAt: null,
    ...over,
  };
}

const counts = { pending: 1, sending: 0, sent: 0, failed: 0 };

describe('renderOutbox', () => {
  it('shows the time of a retry still to come, in the users\' time zone', () => {
    const text = renderOutbox([row({ attempts: 2, lastError: '502', nextAttemptAt: NOW + 60_000 })], counts, 'Asia/Shanghai', NOW);
    expect(text).toContain('下次尝试：2026-11-27 10:01');
  });

  it('says a retry whose time has already come is sent at once, rather than leaving it out', () => {
    const text = renderOutbox([row({ attempts: 2, lastError: '502', nextAttemptAt: NOW - 1 })], counts, 'Asia/Shanghai', NOW);
    expect(text).toContain('下次尝试：已到重试时间');
  });

  it('says nothing of retries for a message never tried', () => {
    const text = renderOutbox([row({})], counts, 'Asia/Shanghai', NOW);
    expect(text).not.toContain('下次尝试');
  });
});
