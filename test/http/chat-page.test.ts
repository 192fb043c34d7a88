/**
 * The local chat page's API against the real service: startService with a temporary database, the bundled plan and
 * contacts, the real bot, scheduler and delivery worker, on port 0, with the base clock injected (a test takes
 * seconds: the minutes shown do not change).
 */
import * as http from 'node:http';
import * as path from 'node:path';
import { loadConfig } from '../../src/config';
import type { FeedEvent } from '../../src/console/feed';
import { createLogger } from '../../src/logger';
import { startService, type RunningService } from '../../src/main';
import { Store } from '../../src/store/store';
import { SEED, tempDir } from '../helpers/run-cli';

/** 10:00 in Beijing on a date. */
const at10 = (date: string) => Date.parse(`${date}T10:00:00+08:00`);
const WEBHOOK = 'http://127.0.0.1:9/robot/send?access_token=t0';

interface Running {
  base: string;
  db: string;
  service: RunningService;
}

const running: { service: RunningService; cleanup: () => void }[] = [];

async function start(env: Record<string, string>, now: number): Promise<Running> {
  const { dir, cleanup } = tempDir();
  const db = path.join(dir, 'duban.db');
  const config = loadConfig({ DB_PATH: db, PLAN_FILE: SEED, PORT: '0', HOST: '127.0.0.1', ...env });
  // The injected clock starts at `now` and runs: the worker sends what the scheduler queued a second ahead.
  const startedAt = Date.now();
  const clock = () => now + (Date.now() - startedAt);
  const service = await startService(config, createLogger({ level: 'silent', format: 'json' }), { clock });
  running.push({ service, cleanup });
  return { base: `http://127.0.0.1:${service.port}`, db, service };
}

afterEach(async () => {
  for (const r of running.splice(0)) {
    await r.service.stop();
    r.cleanup();
  }
});

async function post(base: string, route: string, body: unknown = {}, type = 'application/json'): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`${base}${route}`, { method: 'POST', headers: { 'content-type': type }, body: typeof body === 'string' ? body : JSON.stringify(body) });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

async function say(base: string, from: string, text: string): Promise<{ said: FeedEvent; answer: FeedEvent & { html: string } }> {
  const r = await post(base, '/console/api/messages', { from, text });
  expect(r.status).toBe(200);
  return r.json as unknown as { said: FeedEvent; answer: FeedEvent & { html: string } };
}

async function feed(base: string, after = 0): Promise<FeedEvent[]> {
  const res = await fetch(`${base}/console/api/feed?after=${after}`);
  expect(res.status).toBe(200);
  return ((await res.json()) as { events: FeedEvent[] }).events;
}

/** Polls the feed until `found` holds (the worker delivers in the background), or 10 s; the assertion after says what was wrong. */
async function feedUntil(base: string, found: (events: FeedEvent[]) => boolean): Promise<FeedEvent[]> {
  const deadline = Date.now() + 10_000;
  let events = await feed(base);
  while (!found(events) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50));
    events = await feed(base);
  }
  return events;
}

/** What a button's notices say. */
const noticeTexts = (r: { json: Record<string, unknown> }) => (r.json.notices as { text: string }[]).map((n) => n.text);

const robot = (events: FeedEvent[]) => events.flatMap((e) => (e.type === 'robot' ? [e] : []));

describe('the local chat page: when it is served', () => {
  it('is off (404) in a production config, with a real channel and LOCAL_CONSOLE unset', async () => {
    const { base } = await start({ DINGTALK_WEBHOOK: WEBHOOK, SCHEDULER: 'off' }, at10('2025-09-15'));
    for (const route of ['/', '/chat/app.js', '/console/api/state', '/console/api/feed']) {
      const res = await fetch(`${base}${route}`);
      expect(res.status).toBe(404);
    }
    expect((await post(base, '/console/api/messages', { from: 'demo-sfj-01', text: '帮助' })).status).toBe(404);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
  });

  it('is off with LOCAL_CONSOLE=0 even on the console channel', async () => {
    const { base } = await start({ LOCAL_CONSOLE: '0', SCHEDULER: 'off' }, at10('2025-09-15'));
    expect((await fetch(`${base}/`)).status).toBe(404);
  });

  it('is on with the console channel: the page, its assets, and who one can be (demo leader and admin included)', async () => {
    const { base } = await start({ SCHEDULER: 'off' }, at10('2025-09-15'));
    const page = await fetch(`${base}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const html = await page.text();
    expect(html).toContain('督办群（本机试用）');
    // No CDN: every asset comes from this process, and the browser is told to load nothing else.
    expect(html).not.toMatch(/(?:src|href)="https?:/);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect((await fetch(`${base}/chat/app.js`)).headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect((await fetch(`${base}/chat/app.css`)).status).toBe(200);

    const state = (await (await fetch(`${base}/console/api/state`)).json()) as {
      timeTravel: boolean;
      clock: { text: string };
      people: { label: string; people: { id: string; name: string; role: string }[] }[];
    };
    expect(state.timeTravel).toBe(true);
    expect(state.clock.text).toBe('2025年9月15日（星期一）10:00');
    const labels = state.people.map((g) => g.label);
    expect(labels.slice(0, 3)).toEqual(['区司法局', '区市场监管局', '区综合行政执法局']);
    expect(labels.slice(-3)).toEqual(['区领导（LEADER_IDS）', '管理员（ADMIN_IDS）', '其他']);
    const all = state.people.flatMap((g) => g.people);
    expect(all).toContainEqual({ id: 'demo-sfj-01', name: '示例联络员01', role: '联络员', unit: '区司法局' });
    expect(all).toContainEqual({ id: 'demo-sfj-ld', name: '示例分管领导01', role: '分管领导', unit: '区司法局' });
    expect(all).toContainEqual({ id: 'demo-leader', name: '示例区领导', role: '区领导', unit: null });
    expect(all).toContainEqual({ id: 'demo-admin', name: '示例管理员', role: '管理员', unit: null });
    // 示例联络员23 has no DingTalk id: the bot could not know him.
    expect(all.some((p) => p.name === '示例联络员23')).toBe(false);
  });

  it('is on with LOCAL_CONSOLE=1 on a real channel: the bot answers, but the page neither sends reminders nor moves time', async () => {
    const { base } = await start({ DINGTALK_WEBHOOK: WEBHOOK, LOCAL_CONSOLE: '1', SCHEDULER: 'off', LEADER_IDS: 'boss-1' }, at10('2025-09-15'));
    const state = (await (await fetch(`${base}/console/api/state`)).json()) as { timeTravel: boolean; people: { label: string }[] };
    expect(state.timeTravel).toBe(false);
    // The configured leader, and no demo roles next to a real channel.
    expect(state.people.map((g) => g.label).slice(-2)).toEqual(['区领导（LEADER_IDS）', '其他']);
    expect((await say(base, 'demo-sfj-01', '帮助')).answer.html).toContain('督办机器人');
    for (const route of ['/console/api/remind-now', '/console/api/next-workday']) {
      const r = await post(base, route);
      expect(r.status).toBe(409);
      expect(r.json.error).toContain('发送渠道是钉钉群机器人，消息会真的发出去');
    }
  });
});

describe('the local chat page: talking to the bot', () => {
  it('records a picked liaison\'s report in SQLite and answers it, as the DingTalk callback would', async () => {
    const { base, db } = await start({ SCHEDULER: 'off' }, at10('2025-09-15'));
    const { said, answer } = await say(base, 'demo-gxq-01', '1 推进中 测试');
    expect(said).toMatchObject({ type: 'said', from: { id: 'demo-gxq-01', name: '示例联络员22' }, text: '1 推进中 测试', time: '9月15日 10:00' });
    expect(answer).toMatchObject({ type: 'answer', to: { id: 'demo-gxq-01' }, replyTo: said.seq, mention: true });
    expect(answer.html).toContain('<h4>已记录秀洲国家高新区管委会的进展</h4>');
    // Nobody has reported August yet: the bot counts the report for it (补报), as it would from DingTalk.
    expect(answer.html).toContain('<strong>1.3</strong>（2025年8月，补报）推进中：测试');

    const store = Store.open(db);
    try {
      expect(store.reports.lastBy('demo-gxq-01')).toMatchObject({
        unit: '秀洲国家高新区管委会',
        cycle: '2025-08',
        status: 'in_progress',
        text: '测试',
        reporterName: '示例联络员22',
      });
      expect(store.reports.lastBy('demo-gxq-01')?.reportedAt).toMatch(/^2025-09-15T02:00:/);
    } finally {
      store.close();
    }
    // The leader then sees it.
    const item = await say(base, 'demo-leader', '第1项');
    expect(item.answer.html).toContain('秀洲国家高新区管委会〔配合〕2025年8月：推进中：测试');
    expect((await feed(base)).map((e) => e.type)).toEqual(['said', 'answer', 'said', 'answer']);
  });

  it('gives someone the contacts do not know the bot\'s polite note, and records nothing', async () => {
    const { base, db } = await start({ SCHEDULER: 'off' }, at10('2025-09-15'));
    const { answer } = await say(base, 'stranger-01', '3.2 已完成');
    expect(answer.html).toContain('您还没有登记为督办联络员或领导');
    expect(answer.html).toContain('（stranger-01）');
    const store = Store.open(db);
    try {
      expect(store.reports.lastBy('stranger-01')).toBeNull();
    } finally {
      store.close();
    }
  });

  it('never lets what people write become markup on the page', async () => {
    const { base } = await start({ SCHEDULER: 'off' }, at10('2025-09-15'));
    const { said, answer } = await say(base, 'demo-gxq-01', '1.3 推进中 <img src=x onerror=alert(1)>');
    expect(said).toMatchObject({ text: '1.3 推进中 <img src=x onerror=alert(1)>' });
    expect(answer.html).toContain('推进中：');
    expect(answer.html).not.toContain('<img');
  });

  it('refuses bad input with a Chinese reason', async () => {
    const { base } = await start({ SCHEDULER: 'off' }, at10('2025-09-15'));
    expect(await post(base, '/console/api/messages', { from: 'demo-sfj-01', text: '帮助' }, 'text/plain')).toEqual({
      status: 415,
      json: { error: '请求的 Content-Type 应为 application/json' },
    });
    expect(await post(base, '/console/api/messages', '{nope')).toEqual({ status: 400, json: { error: '请求体不是有效的 JSON' } });
    expect((await post(base, '/console/api/messages', { from: 'demo-sfj-01', text: '   ' })).json.error).toBe('消息不能为空（text 应为文字）');
    expect((await post(base, '/console/api/messages', { text: '帮助' })).json.error).toContain('请先选择“我是谁”');
    expect((await post(base, '/console/api/messages', { from: 'a b', text: '帮助' })).json.error).toContain('请先选择“我是谁”');
    expect((await post(base, '/console/api/messages', { from: 'demo-sfj-01', text: '很'.repeat(2001) })).json.error).toBe('消息太长：最多 2000 个字');
    expect((await post(base, '/console/api/messages', [1])).status).toBe(400);
    const res = await fetch(`${base}/console/api/feed?after=-1`);
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: '参数 after 应为非负整数（上次收到的消息序号）' });
    expect((await fetch(`${base}/console/api/messages`)).status).toBe(405);
    expect(await feed(base)).toEqual([]);
  });

  it('streams the feed as server-sent events, from Last-Event-ID on', async () => {
    const { base } = await start({ SCHEDULER: 'off' }, at10('2025-09-15'));
    await say(base, 'demo-sfj-01', '帮助');
    const received: FeedEvent[] = [];
    const req = http.get(`${base}/console/api/events`, { headers: { 'last-event-id': '1' } });
    const done = new Promise<void>((resolve, reject) => {
      req.on('error', reject);
      req.on('response', (res) => {
        expect(res.headers['content-type']).toBe('text/event-stream; charset=utf-8');
        let buf = '';
        res.on('data', (chunk: Buffer) => {
          buf += chunk.toString('utf8');
          for (let i = buf.indexOf('\n\n'); i >= 0; i = buf.indexOf('\n\n')) {
            const block = buf.slice(0, i);
            buf = buf.slice(i + 2);
            const data = /^data: (.*)$/m.exec(block);
            if (data?.[1]) received.push(JSON.parse(data[1]) as FeedEvent);
            if (received.length === 3) resolve();
          }
        });
      });
    });
    // The answer to the first message (seq 2) from the backlog, then a new message and its answer as they happen.
    await new Promise((r) => setTimeout(r, 50));
    await say(base, 'demo-sfj-01', '我的任务');
    await done;
    req.destroy();
    expect(received.map((e) => [e.seq, e.type])).toEqual([
      [2, 'answer'],
      [3, 'said'],
      [4, 'answer'],
    ]);
  });
});

describe('the local chat page: the buttons', () => {
  it('「发送本期提醒」 queues what duban remind --now would, and the unit\'s reminder arrives in the feed as delivered', async () => {
    const { base } = await start({ SCHEDULER: 'off' }, at10('2025-09-15'));
    const first = await post(base, '/console/api/remind-now');
    expect(first.status).toBe(200);
    expect(noticeTexts(first)).toEqual(['发送本期提醒（2025年9月，截止 9月25日）：共 19 个单位需要提醒，其中 19 个本期尚未提醒。19 个单位的提醒已放入发件箱，马上送达。']);
    const events = await feedUntil(base, (es) => robot(es).length === 19);
    const sfj = robot(events).find((e) => e.title === '督办提醒：区司法局2025年9月进度报送');
    expect(sfj).toBeDefined();
    expect(sfj?.audience).toEqual({ label: '区司法局的联络员', ids: ['demo-sfj-01', 'demo-sfj-02'], names: ['示例联络员01', '示例联络员02'], everyone: false });
    expect(sfj?.html).toContain('<h4>区司法局：2025年9月工作进度请报送</h4>');
    expect(sfj?.time).toBe('9月15日 10:00');

    // Once a cycle, as with duban remind --now.
    const again = await post(base, '/console/api/remind-now');
    expect(noticeTexts(again)[0]).toContain('19 个单位本期已提醒过，不再重复发送。没有新的提醒要发。');
  });

  it('「下一个工作日」 skips weekends', async () => {
    const { base } = await start({ SCHEDULER: 'off' }, at10('2025-09-12'));
    const r = await post(base, '/console/api/next-workday');
    expect(r.json.clock).toMatchObject({ text: '2025年9月15日（星期一）09:00', workdaysAhead: 1 });
    expect(noticeTexts(r)).toEqual(['模拟时间快进到 2025年9月15日（星期一）09:00（跳过 9月13日周末、9月14日周末）。', '自动提醒已关闭（SCHEDULER=off），不会按时间表发送提醒。']);
    // The bot lives on the simulated clock too.
    const { said } = await say(base, 'demo-sfj-01', '帮助');
    expect(said.time).toBe('9月15日 09:00');
  });

  it('「下一个工作日」 skips the National Day holiday, and stops on a make-up Sunday', async () => {
    const { base } = await start({ SCHEDULER: 'off' }, at10('2025-09-30'));
    const holiday = await post(base, '/console/api/next-workday');
    expect((holiday.json.clock as { text: string }).text).toBe('2025年10月9日（星期四）09:00');
    expect(noticeTexts(holiday)[0]).toContain('（跳过 10月1日国庆节、中秋节、');

    const friday = await start({ SCHEDULER: 'off' }, at10('2025-09-26'));
    const makeUp = await post(friday.base, '/console/api/next-workday');
    expect((makeUp.json.clock as { text: string }).text).toBe('2025年9月28日（星期日）09:00');
    expect(noticeTexts(makeUp)[0]).toBe('模拟时间快进到 2025年9月28日（星期日）09:00（跳过 9月27日周末）。');
  });

  it('「下一个工作日」 runs the schedule on the way: the due day\'s digest to the leader, then the next morning\'s 催办', async () => {
    // 25 September 2025, a Thursday, is the monthly due date.
    const { base } = await start({}, at10('2025-09-25'));
    // The start's catch-up tick queued this morning's due-day reminders; wait for them before moving on.
    await feedUntil(base, (es) => robot(es).length >= 19);
    const r = await post(base, '/console/api/next-workday');
    expect(noticeTexts(r)[0]).toBe('模拟时间快进到 2025年9月26日（星期五）09:00。');
    expect(noticeTexts(r)[1]).toMatch(/^按提醒时间表，这期间发出 \d+ 条提醒。$/);
    const events = await feedUntil(base, (es) => robot(es).some((e) => e.title.startsWith('督办催办：')));
    const digest = robot(events).find((e) => e.title === '督办汇总：2025年9月报送情况');
    expect(digest?.audience).toMatchObject({ label: '区领导', ids: ['demo-leader'], names: ['示例区领导'] });
    expect(digest?.time).toBe('9月25日 17:30');
    const urged = robot(events).find((e) => e.title === '督办催办：区司法局2025年9月进度已逾期');
    expect(urged?.time).toBe('9月26日 09:00');
    // On the page: where the clock goes, then what was sent on the way, then how much.
    const [moved, summary] = r.json.notices as FeedEvent[];
    expect(moved!.seq).toBeLessThan(digest!.seq);
    expect(urged!.seq).toBeLessThan(summary!.seq);
  });
});
