/**
 * The local chat page in headless Chromium (Debian's, never a downloaded one) against the real service: a liaison
 * receives this cycle's reminder and replies, a leader then asks about progress and sees the report. Screenshots go
 * to test/artifacts/ (git-ignored).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/logger';
import { startService, type RunningService } from '../../src/main';
import { ROOT, SEED, tempDir } from '../helpers/run-cli';

const ARTIFACTS = path.join(ROOT, 'test', 'artifacts');
/** Monday 15 September 2025, 10:00 in Beijing: the September cycle is due on the 25th. */
const START = Date.parse('2025-09-15T10:00:00+08:00');

let browser: Browser;
let service: RunningService;
let cleanup: () => void;
let base: string;

beforeAll(async () => {
  const dir = tempDir();
  cleanup = dir.cleanup;
  const config = loadConfig({ DB_PATH: path.join(dir.dir, 'duban.db'), PLAN_FILE: SEED, PORT: '0', HOST: '127.0.0.1' });
  const startedAt = Date.now();
  service = await startService(config, createLogger({ level: 'silent', format: 'json' }), { clock: () => START + (Date.now() - startedAt) });
  base = `http://127.0.0.1:${service.port}`;
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  fs.mkdirSync(ARTIFACTS, { recursive: true });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await service?.stop();
  cleanup?.();
});

/** Sends a message from the composer, as a visitor types it. */
async function send(page: Page, text: string): Promise<void> {
  await page.fill('#text', text);
  await page.press('#text', 'Enter');
}

/** The last message (or notice) that contains `text`, once it is there. */
async function bubble(page: Page, text: string): Promise<string> {
  const found = page.locator('.msg, .notice', { hasText: text }).last();
  await found.waitFor({ state: 'visible', timeout: 15_000 });
  return found.innerText();
}

describe('the local chat page in a browser', () => {
  it('a liaison receives the reminder and replies; a leader asks about progress and sees the report', async () => {
    const page = await browser.newPage({ viewport: { width: 900, height: 1000 } });
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(err.message));
    await page.goto(`${base}/`);
    await expect(page.title()).resolves.toBe('督办机器人 · 本机试用');

    // Be the liaison of 秀洲国家高新区管委会 and have this cycle's reminders sent.
    await page.locator('#who option[value="demo-gxq-01"]').waitFor({ state: 'attached' });
    await page.selectOption('#who', 'demo-gxq-01');
    await page.click('#remind-now');
    await bubble(page, '发送本期提醒（2025年9月，截止 9月25日）');
    const reminder = await bubble(page, '秀洲国家高新区管委会：2025年9月工作进度请报送');
    expect(reminder).toContain('发给 秀洲国家高新区管委会的联络员');
    expect(reminder).toContain('@我');
    // Rendered from the bot's markdown: the heading is a heading, the bold is bold.
    await expect(page.locator('.msg', { hasText: '秀洲国家高新区管委会：2025年9月工作进度请报送' }).last().locator('h4').count()).resolves.toBe(1);
    // Another unit's reminder is not this liaison's business.
    await expect(page.locator('.msg', { hasText: '区司法局：2025年9月工作进度请报送' }).count()).resolves.toBe(0);

    await send(page, '1 推进中 测试');
    await bubble(page, '1 推进中 测试');
    const recorded = await bubble(page, '已记录秀洲国家高新区管委会的进展');
    expect(recorded).toContain('推进中：测试');
    expect(recorded).toContain('@示例联络员22');
    await page.screenshot({ path: path.join(ARTIFACTS, 'chat-page-liaison.png') });

    // Now the leader.
    await page.selectOption('#who', 'demo-leader');
    await expect(page.locator('.msg', { hasText: '1 推进中 测试' }).count()).resolves.toBe(0);
    await send(page, '进度');
    const overview = await bubble(page, '总体进度：2025年9月');
    expect(overview).toContain('@示例区领导');
    // Item 1's report is in the overview's newest reports.
    expect(overview).toContain('1.3 秀洲国家高新区管委会：2025年8月：推进中：测试');
    await send(page, '第1项进度');
    const item = await bubble(page, '第1项　依法依规做好疫情防控各项工作');
    expect(item).toContain('秀洲国家高新区管委会〔配合〕2025年8月：推进中：测试');
    await page.screenshot({ path: path.join(ARTIFACTS, 'chat-page-leader.png') });

    // At phone width the same page still works.
    await page.setViewportSize({ width: 390, height: 844 });
    await expect(page.locator('#composer').isVisible()).resolves.toBe(true);
    await page.screenshot({ path: path.join(ARTIFACTS, 'chat-page-phone.png') });
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);
});
