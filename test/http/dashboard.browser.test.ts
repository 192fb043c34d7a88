/**
 * The dashboard in a real browser (Debian's Chromium, driven by playwright-core): a leader opens the bot's signed
 * link, reads the board, filters it, opens a unit, downloads the 台账, and reads the board on a phone screen.
 * Screenshots go to test/artifacts/ (ignored by git).
 */
import * as fs from 'node:fs';
import type { Server } from 'node:http';
import * as path from 'node:path';
import ExcelJS from 'exceljs';
import { chromium, type Browser, type ConsoleMessage } from 'playwright-core';
import { dashboardLink, dashboardToken } from '../../src/http/dashboard-auth';
import { createHttpServer, listen } from '../../src/http/server';
import { createLogger } from '../../src/logger';
import { StatusView } from '../../src/status/status-view';
import { Store } from '../../src/store/store';
import { seedStatus, type SeedStatus } from '../dashboard/seed-status';
import { ROOT, tempDir } from '../helpers/run-cli';

const ARTIFACTS = path.join(ROOT, 'test', 'artifacts');

jest.setTimeout(60_000);

describe('the dashboard in Chromium', () => {
  let dir: { dir: string; cleanup: () => void };
  let store: Store;
  let seed: SeedStatus;
  let server: Server;
  let base: string;
  let link: string;
  let browser: Browser;

  beforeAll(async () => {
    dir = tempDir('duban-dashboard-browser-');
    store = Store.open(path.join(dir.dir, 'duban.db'));
    seed = await seedStatus(store, { PORT: '3000' });
    seed.report('4.2', '区经济信息商务局', '2025-08', 'blocked', '需要协调经费<script>alert(1)</script>', { reporterName: '王五' });
    seed.report('1.2', '区司法局', '2025-08', 'done', '已办结', { reporterName: '李四' });
    seed.report('6.2', '区司法局', '2025-08', 'in_progress', '本月完成培训两场', { percent: 80, reporterName: '李四' });
    const token = dashboardToken(seed.deps.config, store);
    server = createHttpServer({ store, logger: createLogger({ level: 'silent', format: 'json' }), ready: () => true, dashboard: { token, status: seed.deps } });
    base = `http://127.0.0.1:${await listen(server, 0, '127.0.0.1')}`;
    link = dashboardLink(seed.deps.config, token, seed.deps.clock!()).replace('http://localhost:3000', base);
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
  });

  afterAll(async () => {
    await browser?.close();
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
    store?.close();
    dir?.cleanup();
  });

  /** Console errors (a CSP violation shows up as one). */
  const watch = (messages: string[]) => (m: ConsoleMessage) => {
    if (m.type() === 'error') messages.push(m.text());
  };

  it('opens from the signed link, filters by colour, opens a unit and downloads the 台账', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('console', watch(errors));
    await page.goto(link);
    // The link was traded for a cookie: the address bar no longer holds it.
    expect(new URL(page.url()).pathname).toBe('/dashboard');
    expect(page.url()).not.toContain('sig=');
    await expect(page.title()).resolves.toBe('督办看板');
    const board = new StatusView(seed.deps).board();
    expect(await page.locator('.board-table td.task').count()).toBe(board.tasks.length);
    // The colour comes with its word, and the style sheet ran under the CSP.
    const yellow = page.locator('.board-table td.task', { hasText: '4.2' }).locator('.light');
    await expect(yellow.textContent()).resolves.toBe('黄灯');
    await expect(yellow.evaluate((el) => getComputedStyle(el).backgroundColor)).resolves.toBe('rgb(249, 171, 0)');
    await expect(page.locator('.board-list.phone').isVisible()).resolves.toBe(false);
    await page.screenshot({ path: path.join(ARTIFACTS, 'dashboard-board.png'), fullPage: true });

    // Choosing a colour submits the form (the page's own script, allowed by its nonce).
    await Promise.all([page.waitForURL(/status=red/), page.selectOption('select[name=status]', 'red')]);
    const red = page.locator('.board-table td.task');
    expect(await red.count()).toBe(board.totals.tasks.red);
    expect(new Set(await red.locator('.light').allTextContents())).toEqual(new Set(['红灯']));
    await expect(page.locator('select[name=status]').inputValue()).resolves.toBe('red');

    // A unit's page from its column heading.
    await Promise.all([page.waitForURL(/\/dashboard\/unit\?name=/), page.locator('th.unit a', { hasText: '区司法局' }).click()]);
    await expect(page.locator('main h2').first().textContent()).resolves.toBe('区司法局 红灯');
    const history = page.locator('table.history tbody tr');
    expect(await history.count()).toBe(2);
    await expect(history.first().textContent()).resolves.toContain('本月完成培训两场');

    // Back to the board, then the 台账.
    await Promise.all([page.waitForURL(/\/dashboard$/), page.locator('nav.crumbs a').click()]);
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('a', { hasText: '下载台账（Excel）' }).click()]);
    expect(download.suggestedFilename()).toBe('督办台账-2025-09-15.xlsx');
    const file = path.join(dir.dir, 'ledger.xlsx');
    await download.saveAs(file);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    const texts = wb.worksheets.flatMap((ws) => ws.getSheetValues().flatMap((row) => (Array.isArray(row) ? row : [])).map(String));
    expect(texts.some((t) => t.includes('本月完成培训两场'))).toBe(true);
    expect(texts.some((t) => t.includes('需要协调经费<script>alert(1)</script>'))).toBe(true);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('reads as a list on a phone screen', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('console', watch(errors));
    await page.goto(link);
    await expect(page.locator('.board-table').isVisible()).resolves.toBe(false);
    await expect(page.locator('.board-list.phone').isVisible()).resolves.toBe(true);
    // Nothing wider than the screen: no sideways scrolling to read the board.
    await expect(page.evaluate(() => document.documentElement.scrollWidth)).resolves.toBeLessThanOrEqual(390);
    const card = page.locator('.task-card', { hasText: '4.2' });
    await expect(card.locator('.units li').first().textContent()).resolves.toContain('区经济信息商务局');
    await expect(card.locator('details.co summary').textContent()).resolves.toBe('配合单位 2 个（红灯 2）');
    await page.screenshot({ path: path.join(ARTIFACTS, 'dashboard-phone.png') });
    expect(errors).toEqual([]);
    await context.close();
  });
});
