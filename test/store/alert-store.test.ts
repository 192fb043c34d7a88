import { Store } from '../../src/store/store';
import { useTempStore } from './temp-db';

const HOUR = 3_600_000;
const T = Date.parse('2026-11-27T01:00:00Z');

describe('AlertStore', () => {
  const db = useTempStore('duban-alerts-');

  it('lets an alert out once per quiet period, by key', () => {
    const { alerts } = db.store;
    expect(alerts.claim('stopped:dingtalk-robot:310000', T, HOUR, 'a')).toBe(true);
    expect(alerts.claim('stopped:dingtalk-robot:310000', T + HOUR - 1, HOUR, 'b')).toBe(false);
    expect(alerts.claim('outage:dingtalk-robot', T + 1, HOUR, 'c')).toBe(true);
    expect(alerts.claim('stopped:dingtalk-robot:310000', T + HOUR, HOUR, 'd')).toBe(true);
    expect(alerts.get('stopped:dingtalk-robot:310000')).toEqual({ key: 'stopped:dingtalk-robot:310000', sentAt: T + HOUR, text: 'd' });
  });

  it('remembers across a reopened database, so a restart does not repeat the alert', () => {
    expect(db.store.alerts.claim('outage:zzd', T, HOUR, 'x')).toBe(true);
    db.store.close();
    const again = Store.open(db.file);
    try {
      expect(again.alerts.claim('outage:zzd', T + 60_000, HOUR, 'x')).toBe(false);
    } finally {
      again.close();
    }
  });

  it('takes back a claim whose alert could not be sent, and only that claim', () => {
    const { alerts } = db.store;
    expect(alerts.claim('k', T, HOUR, 'x')).toBe(true);
    alerts.release('k', T - 5);
    expect(alerts.claim('k', T + 1, HOUR, 'x')).toBe(false);
    alerts.release('k', T);
    expect(alerts.claim('k', T + 2, HOUR, 'x')).toBe(true);
  });

  it('does not stay silent forever when the clock went backwards', () => {
    const { alerts } = db.store;
    expect(alerts.claim('k', T, HOUR, 'x')).toBe(true);
    expect(alerts.claim('k', T - 10 * HOUR, HOUR, 'x')).toBe(true);
  });
});
