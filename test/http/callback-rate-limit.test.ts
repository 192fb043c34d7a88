import * as http from 'node:http';
import * as path from 'node:path';
import { Writable } from 'node:stream';
import { startChatService, type ChatService } from '../../src/app/chat-service';
import { importPlanFile } from '../../src/app/import-plan-file';
import { loadCalendar } from '../../src/app/schedule-run';
import { robotSign } from '../../src/channels/dingtalk-sign';
import { loadConfig } from '../../src/config';
import { createHttpServer, listen } from '../../src/http/server';
import { createLogger } from '../../src/logger';
import { Store } from '../../src/store/store';
import { type FakeDingtalk, startFakeDingtalk } from '../helpers/fake-dingtalk';
import { SEED, tempDir } from '../helpers/run-cli';

const APP_SECRET = 'rate-limit-app-secret';

/**
 * The per-sender limit on a real server: the chat service as `npm start` builds it (HTTP callback, the real bot on
 * a real database), signed messages from the sample contacts, replies to the fake DingTalk's sessionWebhook.
 */
describe('per-sender rate limit on POST /dingtalk/callback (CALLBACK_RATE_PER_MINUTE)', () => {
  let now: number;
  const clock = (): number => now;
  let fake: FakeDingtalk;
  let store: Store;
  let cleanup: () => void;
  let server: http.Server;
  let base: string;
  let chat: ChatService;
  let log: string;

  beforeEach(async () => {
    now = Date.now();
    log = '';
    fake = await startFakeDingtalk();
    let dir: string;
    ({ dir, cleanup } = tempDir());
    store = Store.open(path.join(dir, 'duban.db'));
    await importPlanFile(store, SEED, new Date());
    const config = loadConfig({ DINGTALK_MODE: 'http', DINGTALK_APP_SECRET: APP_SECRET, CHANNEL: 'console', CALENDAR_FILE: path.join(dir, 'none.yaml') });
    const destination = new Writable({
      write(chunk: Buffer, _enc, done) {
        log += chunk.toString();
        done();
      },
    });
    const logger = createLogger({ level: 'debug', format: 'json', destination });
    chat = startChatService({ store, config, logger, calendar: loadCalendar(config, {}), channel: { name: 'console', maxMarkdownBytes: 1_000_000 }, onQueued: () => {}, clock });
    server = createHttpServer({ store, logger, ready: () => true, callback: chat.callback! });
    base = `http://127.0.0.1:${await listen(server, 0, '127.0.0.1')}`;
  });

  afterEach(async () => {
    await chat.stop();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await fake.close();
    store.close();
    cleanup();
  });

  async function send(msgId: string, sender: string, text: string): Promise<{ status: number; body: unknown }> {
    const timestamp = String(Date.now());
    const res = await fetch(`${base}/dingtalk/callback`, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8', timestamp, sign: robotSign(APP_SECRET, timestamp) },
      body: JSON.stringify({
        msgId,
        msgtype: 'text',
        conversationId: 'cid-duban-group',
        conversationType: '2',
        conversationTitle: '督办群',
        senderStaffId: sender,
        senderNick: sender,
        sessionWebhook: fake.sessionWebhook(`session-${sender}`),
        sessionWebhookExpiredTime: Date.now() + 5_400_000,
        createAt: now,
        text: { content: text },
      }),
    });
    // Each message is handled before the next, as a person typing would send them.
    const body = (await res.json()) as unknown;
    await chat.callback!.idle();
    return { status: res.status, body };
  }

  const replies = (sender: string) =>
    fake.delivered.filter((d) => d.api === 'session' && d.session === `session-${sender}`).map((d) => (d.body as { markdown: { text: string } }).markdown.text);
  const slowDowns = (sender: string) => replies(sender).filter((t) => t.includes('发消息太频繁'));

  it('handles 20 messages of one sender in a minute, drops the rest with one polite reply, and lets others and the next minute through', async () => {
    const answers = [];
    for (let i = 1; i <= 25; i++) {
      answers.push(await send(`sfj-${i}`, 'demo-sfj-01', `3.2 推进中 第${i}次进展说明`));
      now += 1_000;
    }
    // Every message is answered 200 {} so DingTalk does not push it again.
    expect(answers.every((a) => a.status === 200)).toBe(true);
    expect(answers.map((a) => a.body)).toEqual(Array(25).fill({}));
    const stored = Array.from({ length: 25 }, (_, i) => store.reports.hasMessage(`sfj-${i + 1}`));
    expect(stored).toEqual([...Array(20).fill(true), ...Array(5).fill(false)]);
    expect(slowDowns('demo-sfj-01')).toHaveLength(1);
    expect(slowDowns('demo-sfj-01')[0]).toContain('每分钟最多 20 条');
    // 20 answers from the bot and one request to slow down.
    expect(replies('demo-sfj-01')).toHaveLength(21);

    // Another sender in the same minute is not affected.
    expect((await send('scjgj-1', 'demo-scjgj-01', '第3项')).status).toBe(200);
    expect(replies('demo-scjgj-01')).toHaveLength(1);
    expect(slowDowns('demo-scjgj-01')).toHaveLength(0);

    // One warning for the flooding sender, without the text of any message.
    const warnings = log.split('\n').filter((l) => l.includes('CALLBACK_RATE_PER_MINUTE'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('demo-sfj-01');
    expect(log).not.toContain('进展说明');

    // A minute after the first messages their slots are free again.
    now += 60_000;
    expect((await send('sfj-26', 'demo-sfj-01', '3.2 推进中 下一分钟的进展')).status).toBe(200);
    expect(store.reports.hasMessage('sfj-26')).toBe(true);
    expect(slowDowns('demo-sfj-01')).toHaveLength(1);
  }, 30_000);

  it('asks a sender who keeps flooding to wait once a minute, not once a message', async () => {
    for (let i = 1; i <= 60; i++) {
      await send(`m-${i}`, 'demo-sfj-02', '帮助');
      now += 2_000;
    }
    // 120 s of one message every 2 s: 20 let through in each rolling minute; one notice per minute over.
    expect(slowDowns('demo-sfj-02').length).toBeGreaterThanOrEqual(1);
    expect(slowDowns('demo-sfj-02').length).toBeLessThanOrEqual(2);
    const warnings = log.split('\n').filter((l) => l.includes('CALLBACK_RATE_PER_MINUTE'));
    expect(warnings).toHaveLength(slowDowns('demo-sfj-02').length);
  }, 30_000);
});
