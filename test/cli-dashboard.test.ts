import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkAccess, TOKEN_SETTING } from '../src/http/dashboard-auth';
import { Store } from '../src/store/store';
import { runCli, tempDir } from './helpers/run-cli';

const HOUR = 3_600_000;

describe('duban dashboard-link', () => {
  it('prints a signed link that opens the dashboard until it expires, and never the token', () => {
    const token = 'cli-dashboard-token-0123456789';
    const before = Date.now();
    const r = runCli(['dashboard-link', '--hours', '8'], { DASHBOARD_TOKEN: token, PUBLIC_URL: 'https://duban.example.gov.cn/' });
    expect(r.status).toBe(0);
    const link = r.stdout.trim();
    expect(link).toMatch(/^https:\/\/duban\.example\.gov\.cn\/dashboard\?exp=\d+&sig=[\w-]+$/);
    expect(r.stdout + r.stderr).not.toContain(token);
    expect(r.stderr).toMatch(/^看板链接有效至 \d{4}-\d{2}-\d{2} \d{2}:\d{2}（Asia\/Shanghai）；请只发给需要查看的人。\n$/);
    const url = new URL(link);
    const auth = { token, config: { PUBLIC_URL: 'https://duban.example.gov.cn', DASHBOARD_LINK_HOURS: 24 } };
    const exp = Number(url.searchParams.get('exp')) * 1000;
    expect(exp - before).toBeGreaterThanOrEqual(8 * HOUR - 1000);
    expect(exp - before).toBeLessThanOrEqual(8 * HOUR + 60_000);
    expect(checkAccess({ url: `${url.pathname}${url.search}`, headers: {} }, auth, Date.now()).kind).toBe('grant');
    expect(checkAccess({ url: `${url.pathname}${url.search}`, headers: {} }, auth, exp + 1000)).toEqual({ kind: 'denied', why: 'expired' });
  });

  it('signs with the token the service generated and keeps in the database', () => {
    const { dir, cleanup } = tempDir();
    try {
      const db = path.join(dir, 'duban.db');
      const store = Store.open(db);
      const token = store.settings.getOrCreate(TOKEN_SETTING, () => 'stored-token-abcdef0123456789', new Date());
      store.close();
      const r = runCli(['dashboard-link'], { DB_PATH: db, PORT: '8080' });
      expect(r.status).toBe(0);
      const url = new URL(r.stdout.trim());
      expect(url.origin).toBe('http://localhost:8080');
      const auth = { token, config: { PUBLIC_URL: undefined, DASHBOARD_LINK_HOURS: 24 } };
      expect(checkAccess({ url: `${url.pathname}${url.search}`, headers: {} }, auth, Date.now()).kind).toBe('grant');
    } finally {
      cleanup();
    }
  });

  it('says in Chinese what is wrong: no database yet, or a bad --hours', () => {
    const { dir, cleanup } = tempDir();
    try {
      const db = path.join(dir, 'none.db');
      const missing = runCli(['dashboard-link'], { DB_PATH: db });
      expect(missing.status).toBe(1);
      expect(missing.stderr).toContain(`数据库文件 ${db} 不存在`);
      // What to do next: where the service's database is, or a fixed token.
      expect(missing.stderr).toContain('也可以在 .env 中设置 DASHBOARD_TOKEN');
      expect(fs.existsSync(db)).toBe(false);
      const bad = runCli(['dashboard-link', '--hours', '0'], { DASHBOARD_TOKEN: 'cli-dashboard-token-0123456789' });
      expect(bad.status).toBe(2);
      expect(bad.stderr).toContain('--hours 的值“0”无效，应为 1–720 的整数');
      expect(bad.stdout).toBe('');
    } finally {
      cleanup();
    }
  });
});
