/**
 * The dashboard over real HTTP: a server on port 0 with the seed plan in a temporary database. Access by token,
 * bearer, signed link and cookie; the pages and their errors in Chinese; the security headers; the 台账 files.
 */
import type { Server } from 'node:http';
import ExcelJS from 'exceljs';
import { loadConfig } from '../../src/config';
import { DASHBOARD_ROUTES } from '../../src/http/dashboard';
import { checkAccess, COOKIE_NAME, dashboardLink, dashboardToken, linkSignature, TOKEN_SETTING } from '../../src/http/dashboard-auth';
import { createHttpServer, listen } from '../../src/http/server';
import { createLogger } from '../../src/logger';
import type { StatusDeps } from '../../src/status/status-view';
import { Store } from '../../src/store/store';
import { UnitDirectoryError } from '../../src/units/unit-directory';
import { HOSTILE, SEPT_15, seedStatus, type SeedStatus } from '../dashboard/seed-status';
import { useTempStore } from '../store/temp-db';

const HOUR = 3_600_000;

describe('the dashboard over HTTP', () => {
  const db = useTempStore('duban-dashboard-http-');
  let seed: SeedStatus;
  let server: Server;
  let base: string;
  let token: string;
  let now: number;
  let deps: StatusDeps;

  beforeEach(async () => {
    seed = await seedStatus(db.store, { PORT: '3000' });
    now = SEPT_15;
    deps = { ...seed.deps, clock: () => now };
    token = dashboardToken(deps.config, db.store);
    server = createHttpServer({
      store: db.store,
      logger: createLogger({ level: 'silent', format: 'json' }),
      ready: () => true,
      dashboard: { token, status: deps },
    });
    base = `http://127.0.0.1:${await listen(server, 0, '127.0.0.1')}`;
  });

  afterEach(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const get = (path: string, headers: Record<string, string> = {}) => fetch(`${base}${path}`, { headers, redirect: 'manual' });
  const bearer = () => ({ authorization: `Bearer ${token}` });
  /** The link the bot would give at `at`, pointed at the test server. */
  const link = (at: number) => dashboardLink(deps.config, token, at).replace('http://localhost:3000', base);
  const cookieOf = (res: Response) => (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';

  function expectSecurityHeaders(res: Response): void {
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toMatch(/^default-src 'none'; style-src 'nonce-[\w+/=]+'; script-src 'nonce-[\w+/=]+'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'$/);
  }

  it('refuses a visitor without a token with a Chinese page that says to ask the bot for 看板', async () => {
    const res = await get('/dashboard');
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expectSecurityHeaders(res);
    const page = await res.text();
    expect(page).toContain('看板只对领导和管理员开放。');
    expect(page).toContain('请在钉钉里给督办机器人发送“看板”');
    expect(page).not.toContain('红灯任务');
    expect((await get('/dashboard/unit?name=区司法局')).status).toBe(401);
    expect((await get('/dashboard/ledger.xlsx')).status).toBe(401);
  });

  /** Every dashboard route, with a query that would show data to someone let in. */
  const EVERY_ROUTE: Record<string, string> = {
    '/dashboard': '/dashboard?status=red',
    '/dashboard/unit': `/dashboard/unit?name=${encodeURIComponent('区司法局')}`,
    '/dashboard/item': '/dashboard/item?plan=1&n=4',
    '/dashboard/ledger.xlsx': '/dashboard/ledger.xlsx',
    '/dashboard/ledger.csv': '/dashboard/ledger.csv',
  };

  it('names every dashboard route in the access test below', () => {
    expect(Object.keys(EVERY_ROUTE).sort()).toEqual(Object.keys(DASHBOARD_ROUTES).sort());
  });

  it.each(Object.values(EVERY_ROUTE))('refuses %s without a valid credential, and opens it with one', async (route) => {
    const sep = route.includes('?') ? '&' : '?';
    const signed = new URL(link(now));
    const expired = new URL(link(now - 25 * HOUR));
    const attempts: [string, Record<string, string>][] = [
      [route, {}],
      [route, { authorization: 'Bearer not-the-token-at-all' }],
      [route, { authorization: `Basic ${token}` }],
      [route, { cookie: `${COOKIE_NAME}=9999999999.forged` }],
      [`${route}${sep}token=${token.slice(0, -1)}x`, {}],
      [`${route}${sep}exp=${signed.searchParams.get('exp')}&sig=forged`, {}],
      [`${route}${sep}exp=${expired.searchParams.get('exp')}&sig=${expired.searchParams.get('sig')}`, {}],
    ];
    for (const [path, headers] of attempts) {
      const res = await get(path, headers);
      expect({ path, headers, status: res.status }).toEqual({ path, headers, status: 401 });
      expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(res.headers.get('content-disposition')).toBeNull();
      const page = await res.text();
      expect(page).not.toContain('区司法局');
      expect(page).not.toContain(token);
    }
    expect((await get(route, bearer())).status).toBe(200);
  });

  it('trades a token in the address for a cookie and a redirect to the same page without it', async () => {
    const res = await get(`/dashboard?status=red&token=${token}`);
    expect(res.status).toBe(303);
    expectSecurityHeaders(res);
    expect(res.headers.get('location')).toBe('dashboard?status=red');
    expect(res.headers.get('set-cookie')).toMatch(new RegExp(`^${COOKIE_NAME}=\\d+\\.[\\w-]+; Path=/dashboard; Max-Age=86400; HttpOnly; SameSite=Lax$`));
    const page = await get('/dashboard?status=red', { cookie: cookieOf(res) });
    expect(page.status).toBe(200);
    expectSecurityHeaders(page);
    expect(await page.text()).toContain('<option value="red" selected>');
    // A sub-page redirects to itself.
    const unit = await get(`/dashboard/unit?token=${token}&name=${encodeURIComponent('区司法局')}`);
    expect(unit.headers.get('location')).toBe(`unit?name=${encodeURIComponent('区司法局')}`);
    const wrong = await get(`/dashboard?token=${token.slice(0, -1)}x`);
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).toContain('链接或口令不对');
    // The cookie lets in until it expires, then says so.
    now += 25 * HOUR;
    const late = await get('/dashboard', { cookie: cookieOf(res) });
    expect(late.status).toBe(401);
    expect(await late.text()).toContain('链接已过期');
  });

  it('lets a script in with the token as a bearer, and not with another', async () => {
    const res = await get('/dashboard', bearer());
    expect(res.status).toBe(200);
    expect(res.headers.get('set-cookie')).toBeNull();
    expect(await res.text()).toContain('红黄绿灯总览');
    expect((await get('/dashboard', { authorization: 'Bearer not-the-token-at-all' })).status).toBe(401);
    expect((await get('/dashboard', { authorization: `Basic ${token}` })).status).toBe(401);
  });

  it('opens from a signed link until it expires, and not from a changed one', async () => {
    const url = new URL(link(now));
    const exp = Number(url.searchParams.get('exp'));
    expect(exp).toBe(Math.floor(now / 1000) + 24 * 3600);
    const res = await fetch(url, { redirect: 'manual' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('dashboard');
    expect(res.headers.get('set-cookie')).toContain('Max-Age=86400;');
    expect((await get('/dashboard', { cookie: cookieOf(res) })).status).toBe(200);

    // Expired: the link of 25 hours ago.
    const old = await fetch(link(now - 25 * HOUR), { redirect: 'manual' });
    expect(old.status).toBe(401);
    expect(await old.text()).toContain('这个看板链接已过期');
    // Tampered: a later expiry with the old signature, or a changed signature.
    const later = new URL(url);
    later.searchParams.set('exp', String(exp + 3600));
    const stretched = await fetch(later, { redirect: 'manual' });
    expect(stretched.status).toBe(401);
    expect(await stretched.text()).toContain('链接或口令不对');
    const forged = new URL(url);
    forged.searchParams.set('sig', linkSignature('another-token-entirely', exp));
    expect((await fetch(forged, { redirect: 'manual' })).status).toBe(401);
    expect((await get(`/dashboard?exp=abc&sig=${url.searchParams.get('sig')}`)).status).toBe(401);
    // A link's cookie lives as long as the link: an hour before it ends, an hour is left.
    now += 23 * HOUR;
    const late = await fetch(link(now - 23 * HOUR), { redirect: 'manual' });
    expect(late.headers.get('set-cookie')).toContain('Max-Age=3600;');
  });

  it('keeps the generated token in the database across a reopen, and DASHBOARD_TOKEN overrides it', () => {
    expect(token).toMatch(/^[0-9a-f]{32}$/);
    expect(db.store.settings.get(TOKEN_SETTING)).toBe(token);
    const again = Store.open(db.file);
    try {
      expect(dashboardToken(loadConfig({}), again)).toBe(token);
      const configured = 'configured-token-0123456789';
      expect(dashboardToken(loadConfig({ DASHBOARD_TOKEN: configured }), again)).toBe(configured);
      expect(again.settings.get(TOKEN_SETTING)).toBe(token);
    } finally {
      again.close();
    }
  });

  it('filters the board by query, and answers a value that names nothing with 400 and the reason', async () => {
    seed.report('7.1', '区司法局', '2025-08', 'in_progress');
    const red = await (await get(`/dashboard?section=${encodeURIComponent('二')}&unit=${encodeURIComponent('司法局')}&status=red`, bearer())).text();
    expect(red).toContain('显示 2 项任务、1 个单位');
    expect(red).toContain('#t-8.1');
    expect(red).not.toContain('#t-7.1');
    const bad = await get(`/dashboard?unit=${encodeURIComponent('不存在局')}`, bearer());
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('计划中没有“不存在局”这个单位');
  });

  it('shows unit and item pages, and says in Chinese when one does not exist', async () => {
    seed.report('4.2', '区经济信息商务局', '2025-08', 'blocked', HOSTILE);
    const unit = await get(`/dashboard/unit?name=${encodeURIComponent('区经济信息商务局')}`, bearer());
    expect(unit.status).toBe(200);
    expectSecurityHeaders(unit);
    const unitPage = await unit.text();
    expect(unitPage).toContain('<h2>区经济信息商务局 <span class="light light-red">红灯</span></h2>');
    expect(unitPage).not.toContain('<script>alert');
    // An alias finds the unit too, and so does the short form chat accepts (no alias for it in units.yaml).
    expect((await get(`/dashboard/unit?name=${encodeURIComponent('司法局')}`, bearer())).status).toBe(200);
    const short = await get(`/dashboard/unit?name=${encodeURIComponent('发展和改革局')}`, bearer());
    expect(short.status).toBe(200);
    expect(await short.text()).toContain('<h2>区发展和改革局 ');
    expect(await (await get(`/dashboard?unit=${encodeURIComponent('发展和改革局')}`, bearer())).text()).not.toContain('这个单位，已显示全部单位');
    const item = await get('/dashboard/item?plan=1&n=4', bearer());
    expect(item.status).toBe(200);
    expect(await item.text()).toContain('id="t-4.2"');
    expect((await get('/dashboard/item?n=4', bearer())).status).toBe(200);

    const noUnit = await get(`/dashboard/unit?name=${encodeURIComponent('区不存在局')}`, bearer());
    expect(noUnit.status).toBe(404);
    expect(await noUnit.text()).toContain('计划中没有“区不存在局”这个单位');
    const noItem = await get('/dashboard/item?n=99', bearer());
    expect(noItem.status).toBe(404);
    expect(await noItem.text()).toContain('计划中没有第99项');
    const badItem = await get('/dashboard/item?n=abc', bearer());
    expect(badItem.status).toBe(400);
    expect(await badItem.text()).toContain('事项序号应为正整数');
    expect((await get('/dashboard/item?n=4&plan=x', bearer())).status).toBe(400);
    expect((await get('/dashboard/unit', bearer())).status).toBe(400);
  });

  it('sends the 台账 as an Excel workbook and a CSV named in Chinese, for the day', async () => {
    seed.report('4.2', '区经济信息商务局', '2025-08', 'in_progress', '已完成清单梳理');
    const xlsx = await get('/dashboard/ledger.xlsx', bearer());
    expect(xlsx.status).toBe(200);
    expect(xlsx.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(xlsx.headers.get('content-disposition')).toBe(
      `attachment; filename="duban-ledger-2025-09-15.xlsx"; filename*=UTF-8''${encodeURIComponent('督办台账-2025-09-15.xlsx')}`,
    );
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await xlsx.arrayBuffer()) as unknown as ExcelJS.Buffer);
    expect(wb.worksheets.map((w) => w.name)).toContain('报送记录');
    const csv = await get('/dashboard/ledger.csv', bearer());
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(csv.headers.get('content-disposition')).toContain(`filename*=UTF-8''${encodeURIComponent('督办台账-2025-09-15.csv')}`);
    const text = Buffer.from(await csv.arrayBuffer()).toString('utf8');
    expect(text.startsWith('\uFEFF序号,')).toBe(true);
    expect(text).toContain('已完成清单梳理');
  });

  it('shows the 通报 on the board, and gzips the page for a browser that takes it', async () => {
    const res = await fetch(`${base}/dashboard`, { headers: { ...bearer(), 'accept-encoding': 'gzip' } });
    expect(res.headers.get('content-encoding')).toBe('gzip');
    const page = await res.text();
    expect(page).toMatch(/<section class="panel" id="bulletin"><h2>通报<\/h2>\n<div class="bulletin"><h4>关于2025年8月/);
  });

  it('answers with a Chinese error page when the units file cannot be read', async () => {
    deps.directory = () => {
      throw new UnitDirectoryError('data/units.yaml', 3, 'data/units.yaml 第 3 行：缩进有误');
    };
    const res = await get('/dashboard', bearer());
    expect(res.status).toBe(500);
    expectSecurityHeaders(res);
    expect(await res.text()).toContain('data/units.yaml 第 3 行：缩进有误');
  });
});

describe('dashboardLink and checkAccess', () => {
  const token = 'a-token-of-sixteen-or-more';
  const at = Date.parse('2025-09-15T02:00:00Z');

  it('links to PUBLIC_URL (or localhost and the port) with an expiry DASHBOARD_LINK_HOURS away', () => {
    const exp = Math.floor(at / 1000) + 48 * 3600;
    expect(dashboardLink(loadConfig({ PUBLIC_URL: 'https://duban.example.gov.cn/', DASHBOARD_LINK_HOURS: '48' }), token, at)).toBe(
      `https://duban.example.gov.cn/dashboard?exp=${exp}&sig=${linkSignature(token, exp)}`,
    );
    expect(dashboardLink(loadConfig({ PORT: '8080' }), token, at)).toMatch(/^http:\/\/localhost:8080\/dashboard\?exp=\d+&sig=[\w-]{43}$/);
  });

  it('marks the cookie Secure when the public address is https', () => {
    const config = loadConfig({ PUBLIC_URL: 'https://duban.example.gov.cn' });
    const access = checkAccess({ url: `/dashboard?token=${token}`, headers: {} }, { token, config }, at);
    expect(access).toMatchObject({ kind: 'grant', location: 'dashboard' });
    expect(access.kind === 'grant' && access.cookie.endsWith('; HttpOnly; SameSite=Lax; Secure')).toBe(true);
    const plain = checkAccess({ url: `/dashboard?token=${token}`, headers: {} }, { token, config: loadConfig({}) }, at);
    expect(plain.kind === 'grant' && plain.cookie.includes('Secure')).toBe(false);
  });

  it('takes a cookie signed with an earlier token as no access at all, not as a bad link', () => {
    const config = loadConfig({});
    const old = checkAccess({ url: `/dashboard?token=${token}`, headers: {} }, { token, config }, at);
    const cookie = old.kind === 'grant' ? old.cookie.split(';')[0]! : '';
    expect(checkAccess({ url: '/dashboard', headers: { cookie } }, { token, config }, at)).toEqual({ kind: 'allowed' });
    expect(checkAccess({ url: '/dashboard', headers: { cookie } }, { token: 'a-new-token-after-rotation', config }, at)).toEqual({ kind: 'denied', why: 'missing' });
  });
});
