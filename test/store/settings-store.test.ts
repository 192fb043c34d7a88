import Database from 'better-sqlite3';
import { Store } from '../../src/store/store';
import { useTempStore } from './temp-db';

const NOW = new Date('2025-09-15T02:00:00Z');

describe('SettingsStore', () => {
  const db = useTempStore('duban-settings-');

  it('stores a generated value once and gives it back from then on, across a reopen of the file', () => {
    const { settings } = db.store;
    expect(settings.get('dashboard_token')).toBeNull();
    let made = 0;
    const make = () => `value-${++made}`;
    expect(settings.getOrCreate('dashboard_token', make, NOW)).toBe('value-1');
    expect(settings.getOrCreate('dashboard_token', make, NOW)).toBe('value-1');
    expect(made).toBe(1);
    const again = Store.open(db.file);
    try {
      expect(again.settings.getOrCreate('dashboard_token', make, NOW)).toBe('value-1');
      expect(again.settings.get('other')).toBeNull();
    } finally {
      again.close();
    }
  });

  it('keeps the value another process stored while this one was making its own', () => {
    const make = () => {
      // Another process starting at the same moment stores its token between our read and our write.
      const other = new Database(db.file);
      try {
        other.prepare("INSERT INTO app_settings (name, value, updated_at) VALUES ('dashboard_token', 'theirs', 'x')").run();
      } finally {
        other.close();
      }
      return 'mine';
    };
    expect(db.store.settings.getOrCreate('dashboard_token', make, NOW)).toBe('theirs');
    expect(db.store.settings.get('dashboard_token')).toBe('theirs');
  });
});
