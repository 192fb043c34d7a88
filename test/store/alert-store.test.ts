import { Store, type AlertRecord } from '../../src/store/store';
import { useTempStore } from './temp-db';

const T = Date.parse('2026-11-27T01:00:00Z');
const rec = (key: string, sentAt: number, owner = 'host/1/a') => ({ key, title: '标题', text: '内容', sentAt, owner });
const always = () => true;

describe('AlertStore', () => {
  const db = useTempStore('duban-alerts-');

  it('takes a row only when the caller\'s rule allows it, given the row as it stands', () => {
    const { alerts } = db.store;
    const seen: (AlertRecord | undefined)[] = [];
    const rule = (allow: boolean) => (e: AlertRecord | undefined) => (seen.push(e), allow);
    expect(alerts.claim(rec('k', T), rule(true))).toBe(true);
    expect(alerts.claim(rec('k', T + 5, 'host/2/b'), rule(false))).toBe(false);
    expect(seen).toEqual([undefined, { ...rec('k', T), confirmed: false }]);
    expect(alerts.get('k')).toEqual({ ...rec('k', T), confirmed: false });
  });

  it('confirms, gives back and abandons only the claim it names', () => {
    const { alerts } = db.store;
    alerts.claim(rec('a', T), always);
    alerts.claim(rec('b', T), always);
    alerts.claim(rec('c', T), always);
    alerts.confirm('a', T - 1, 'host/1/a');
    alerts.confirm('a', T, 'host/9/z');
    expect(alerts.get('a')!.confirmed).toBe(false);
    alerts.confirm('a', T, 'host/1/a');
    expect(alerts.get('a')!.confirmed).toBe(true);
    // A confirmed alert is neither given back nor abandoned.
    alerts.release('a', T, 'host/1/a');
    alerts.abandon('a', T, 'host/1/a');
    expect(alerts.get('a')).toMatchObject({ confirmed: true, owner: 'host/1/a' });
    alerts.release('b', T, 'host/1/a');
    expect(alerts.get('b')).toBeUndefined();
    alerts.abandon('c', T, 'host/1/a');
    expect(alerts.get('c')).toMatchObject({ owner: '', confirmed: false });
    expect(alerts.unconfirmed().map((r) => r.key)).toEqual(['c']);
  });

  it('remembers across a reopened database', () => {
    db.store.alerts.claim(rec('outage:zzd', T), always);
    db.store.alerts.confirm('outage:zzd', T, 'host/1/a');
    db.store.close();
    const again = Store.open(db.file);
    try {
      expect(again.alerts.get('outage:zzd')).toEqual({ ...rec('outage:zzd', T), confirmed: true });
    } finally {
      again.close();
    }
  });
});
