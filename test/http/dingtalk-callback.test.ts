import * as http from 'node:http';
import * as path from 'node:path';
import { Writable } from 'node:stream';
import type { BotHandler, BotReply, IncomingMessage } from '../../src/bot/message';
import { DingtalkAppChannel } from '../../src/channels/dingtalk-app';
import { createDingtalkReplier } from '../../src/channels/dingtalk-reply';
import { robotSign } from '../../src/channels/dingtalk-sign';
import { createDingtalkCallback, type DingtalkCallback, isJsonContentType } from '../../src/http/dingtalk-callback';
import { createHttpServer, listen } from '../../src/http/server';
import { createLogger } from '../../src/logger';
import { Store } from '../../src/store/store';
import { type FakeDingtalk, startFakeDingtalk } from '../helpers/fake-dingtalk';
import { tempDir } from '../helpers/run-cli';
import { GROUP as EXAMPLE_GROUP, omit, SINGLE as EXAMPLE_SINGLE } from '../helpers/robot-messages';

const APP_SECRET = 'fake-app-secret';
/** Example 1's createAt; the tests' clock starts 2 s later. */
const CREATED = 1613630252678;
const SESSION_LIFE_MS = 5_400_060;
const GROUP_ID = 'cid-group-1';
const SESSION = 'sess-4f0c1d2e9a';

/** Example 1 of the protocol doc (group, text), with a sessionWebhook on the fake DingTalk. */
function groupBody(fake: FakeDingtalk, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    ...EXAMPLE_GROUP,
    conversationId: GROUP_ID,
    sessionWebhookExpiredTime: CREATED + SESSION_LIFE_MS,
    createAt: CREATED,
    sessionWebhook: fake.sessionWebhook(SESSION),
    ...extra,
  };
}

/** Example 2 (single chat, text, with robotCode). */
function singleBody(fake: FakeDingtalk, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    ...EXAMPLE_SINGLE,
    sessionWebhookExpiredTime: CREATED + SESSION_LIFE_MS,
    createAt: CREATED,
    sessionWebhook: fake.sessionWebhook(SESSION),
    ...extra,
  };
}

/** The test bot: echoes text, answers other types with a friendly note, and can be told to wait or throw. */
function echo(m: IncomingMessage): BotReply {
  if (m.msgtype !== 'text') return { title: '督办', markdown: '暂时只能看懂文字消息，请直接打字告诉我', mentionSender: true };
  if (!m.text) return { title: '督办', markdown: '请告诉我要报送或查询什么', mentionSender: true };
  if (m.text.length > 100) return { title: '督办', markdown: `收到 ${m.text.length} 个字`, mentionSender: true };
  return { title: '督办', markdown: `收到：${m.text}`, mentionSender: true };
}

describe('POST /dingtalk/callback', () => {
  let now: number;
  const clock = (): number => now;
  let fake: FakeDingtalk;
  let store: Store;
  let cleanup: () => void;
  let server: http.Server;
  let base: string;
  let port: number;
  let callback: DingtalkCallback;
  let calls: IncomingMessage[];
  let behaviour: BotHandler;
  let log: string;

  beforeEach(async () => {
    now = CREATED + 2000;
    calls = [];
    log = '';
    behaviour = (m) => Promise.resolve(echo(m));
    fake = await startFakeDingtalk({ clock, groupIds: [GROUP_ID], appSecret: APP_SECRET });
    const destination = new Writable({
      write(chunk: Buffer, _enc, done) {
        log += chunk.toString();
        done();
      },
    });
    const logger = createLogger({ level: 'debug', format: 'json', destination });
    const app = new DingtalkAppChannel({ appKey: fake.appKey, appSecret: fake.appSecret, apiBase: fake.baseUrl, timeoutMs: 2000, clock });
    const replier = createDingtalkReplier({ app, timeoutMs: 2000, clock, onWarning: (text) => logger.warn(text) });
    const bot: BotHandler = (m) => {
      calls.push(m);
      return behaviour(m);
    };
    callback = createDingtalkCallback({ appSecret: APP_SECRET, bot, replier, logger, clock });
    let dir: string;
    ({ dir, cleanup } = tempDir());
    store = Store.open(path.join(dir, 'duban.db'));
    server = createHttpServer({ store, logger, ready: () => true, callback });
    port = await listen(server, 0, '127.0.0.1');
    base = `http://127.0.0.1:${port}`;
  });

  afterEach(async () => {
    await callback.idle();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await fake.close();
    store.close();
    cleanup();
  });

  /** Headers exactly as DingTalk sends them, signed for `ts` (default: the clock). */
  function signed(ts: number = now, secret = APP_SECRET): Record<string, string> {
    return { 'content-type': 'application/json; charset=utf-8', timestamp: String(ts), sign: robotSign(secret, ts) };
  }

  async function post(body: unknown, headers: Record<string, string> = signed()): Promise<{ status: number; json: unknown }> {
    const res = await fetch(`${base}/dingtalk/callback`, { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) });
    const text = await res.text();
    return { status: res.status, json: text ? (JSON.parse(text) as unknown) : undefined };
  }

  /** A raw POST (chunked unless Content-Length is given) that resolves as soon as an answer arrives. */
  function rawPost(headers: Record<string, string>, chunk: Buffer, times: number): Promise<{ status: number; json: unknown }> {
    return new Promise((resolve, reject) => {
      let answered = false;
      const req = http.request({ host: '127.0.0.1', port, method: 'POST', path: '/dingtalk/callback', headers }, (res) => {
        answered = true;
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => {
          resolve({ status: res.statusCode ?? 0, json: JSON.parse(text) as unknown });
          req.destroy();
        });
      });
      req.on('error', (err) => {
        if (!answered) reject(err);
      });
      let written = 0;
      const pump = (): void => {
        while (!answered && written < times) {
          written++;
          if (!req.write(chunk)) return void req.once('drain', pump);
        }
        if (!answered) req.end();
      };
      pump();
    });
  }

  describe('a valid message', () => {
    it('answers 200 {} and hands a group message to the bot, whose reply arrives through the sessionWebhook with an @mention', async () => {
      expect(await post(groupBody(fake))).toEqual({ status: 200, json: {} });
      await callback.idle();
      expect(calls).toEqual<IncomingMessage[]>([
        {
          msgId: 'msg0xxxxx',
          msgtype: 'text',
          text: '你好',
          senderId: 'user123',
          senderNick: '杨xx',
          conversation: { type: 'group', id: GROUP_ID, title: '机器人测试-TEST' },
          createdAt: CREATED,
        },
      ]);
      expect(fake.delivered).toHaveLength(1);
      expect(fake.delivered[0]).toMatchObject({ api: 'session', session: SESSION, title: '督办', text: '收到：你好\n\n@user123', atUserIds: ['user123'] });
      expect(fake.delivered[0]?.body).toMatchObject({ msgtype: 'markdown' });
      expect(log).toContain('已回复钉钉消息（会话 Webhook）');
    });

    it('answers a single chat through the sessionWebhook, without a mention', async () => {
      expect(await post(singleBody(fake))).toEqual({ status: 200, json: {} });
      await callback.idle();
      expect(calls[0]).toMatchObject({ text: 'hello DingTalk!', senderId: '042***297', conversation: { type: 'single', id: 'cide****4g=', title: null } });
      expect(fake.delivered.map((d) => [d.api, d.text, d.atUserIds])).toEqual([['session', '收到：hello DingTalk!', []]]);
    });

    it('answers 200 once the bot has handled the message (its report committed), not before, and replies after', async () => {
      let finish: (reply: BotReply | null) => void = () => undefined;
      behaviour = () => new Promise((resolve) => (finish = resolve));
      let answered = false;
      const pending = post(singleBody(fake)).then((r) => {
        answered = true;
        return r;
      });
      while (calls.length === 0) await new Promise((r) => setTimeout(r, 5));
      // The bot is still working: a process killed now has not told DingTalk it has the message.
      await new Promise((r) => setTimeout(r, 50));
      expect(answered).toBe(false);
      finish({ title: '督办', markdown: '好的', mentionSender: false });
      expect(await pending).toEqual({ status: 200, json: {} });
      await callback.idle();
      expect(fake.delivered.map((d) => d.text)).toEqual(['好的']);
    });

    it('replies through the OpenAPI group send after sessionWebhookExpiredTime', async () => {
      now = CREATED + SESSION_LIFE_MS + 1000;
      expect((await post(groupBody(fake))).status).toBe(200);
      await callback.idle();
      expect(fake.delivered.map((d) => [d.api, d.openConversationId, d.title, d.text])).toEqual([['group', GROUP_ID, '督办', '收到：你好']]);
      expect(log).toContain('已回复钉钉消息（OpenAPI 群消息）');
    });

    it('replies through the OpenAPI 1:1 send in a single chat after the expiry, and within the last minute', async () => {
      now = CREATED + SESSION_LIFE_MS - 30_000;
      expect((await post(singleBody(fake))).status).toBe(200);
      await callback.idle();
      expect(fake.delivered.map((d) => [d.api, d.userIds, d.text])).toEqual([['oto', ['042***297'], '收到：hello DingTalk!']]);
    });

    it('falls back to the OpenAPI when DingTalk says the session expired early, and logs a warning', async () => {
      fake.expireSession(SESSION);
      expect((await post(groupBody(fake))).status).toBe(200);
      await callback.idle();
      expect(fake.delivered.map((d) => d.api)).toEqual(['group']);
      expect(log).toContain('改用钉钉 OpenAPI 发送');
    });

    it('accepts a message without a sessionWebhook (OpenAPI) and with numeric strings for the times', async () => {
      const rest = omit(singleBody(fake), 'sessionWebhook', 'sessionWebhookExpiredTime');
      expect((await post({ ...rest, createAt: String(CREATED) })).status).toBe(200);
      await callback.idle();
      expect(calls[0]?.createdAt).toBe(CREATED);
      expect(fake.delivered.map((d) => d.api)).toEqual(['oto']);
    });

    it('accepts application/json without a charset and any case of utf-8', async () => {
      const headers = signed();
      expect((await post(singleBody(fake, { msgId: 'a' }), { ...headers, 'content-type': 'application/json' })).status).toBe(200);
      expect((await post(singleBody(fake, { msgId: 'b' }), { ...headers, 'content-type': 'Application/JSON;charset=UTF-8' })).status).toBe(200);
    });

    it('accepts a timestamp 59 minutes off either way', async () => {
      expect((await post(singleBody(fake, { msgId: 'early' }), signed(now - 59 * 60_000))).status).toBe(200);
      expect((await post(singleBody(fake, { msgId: 'late' }), signed(now + 59 * 60_000))).status).toBe(200);
    });
  });

  describe('verification', () => {
    it('refuses a forged sign with 401 and never reaches the bot', async () => {
      const forged = { ...signed(), sign: robotSign('another-secret', now) };
      expect(await post(singleBody(fake), forged)).toEqual({ status: 401, json: { error: '签名校验失败' } });
      const otherTime = { ...signed(), sign: robotSign(APP_SECRET, now - 1) };
      expect((await post(singleBody(fake), otherTime)).status).toBe(401);
      expect((await post(singleBody(fake), { ...signed(), sign: 'not base64 at all' })).status).toBe(401);
      await callback.idle();
      expect(calls).toHaveLength(0);
      expect(fake.attempts).toHaveLength(0);
    });

    it('refuses a stale timestamp, over an hour either way, even when correctly signed', async () => {
      for (const ts of [now - 60 * 60_000 - 1, now + 60 * 60_000 + 1, now - 24 * 60 * 60_000]) {
        const res = await post(singleBody(fake), signed(ts));
        expect(res.status).toBe(401);
        expect((res.json as { error: string }).error).toContain('时间戳');
      }
      expect((await post(singleBody(fake), { ...signed(), timestamp: 'yesterday' })).status).toBe(401);
      expect(calls).toHaveLength(0);
    });

    it('refuses a request without the timestamp or sign header', async () => {
      const noTimestamp = omit(signed(), 'timestamp') as Record<string, string>;
      const noSign = omit(signed(), 'sign') as Record<string, string>;
      for (const headers of [noTimestamp, noSign, { 'content-type': 'application/json' }, { ...signed(), sign: '' }]) {
        expect(await post(singleBody(fake), headers)).toEqual({ status: 401, json: { error: '缺少 timestamp 或 sign 请求头' } });
      }
      expect(calls).toHaveLength(0);
    });

    it('refuses another content type with 415', async () => {
      for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=gbk', 'application/jsonp']) {
        const res = await post(singleBody(fake), { ...signed(), 'content-type': type });
        expect(res).toEqual({ status: 415, json: { error: '请求的 Content-Type 应为 application/json' } });
      }
      const noType = omit(signed(), 'content-type') as Record<string, string>;
      const res = await fetch(`${base}/dingtalk/callback`, { method: 'POST', headers: noType, body: new Blob([JSON.stringify(singleBody(fake))]) });
      expect(res.status).toBe(415);
      expect(calls).toHaveLength(0);
    });

    it('refuses a body over 64 KB with 413: by its Content-Length before reading, or while counting a chunked body', async () => {
      const big = Buffer.from(JSON.stringify(singleBody(fake, { padding: 'x'.repeat(70 * 1024) })));
      // Declared: answered without waiting for the body (the client has not even sent it all).
      const declared = await rawPost({ ...signed(), 'content-length': String(big.length) }, big.subarray(0, 1000), 1);
      expect(declared).toEqual({ status: 413, json: { error: '请求体超过 64 KB 的上限' } });
      // Chunked: counted while it arrives.
      const chunked = await rawPost({ ...signed(), 'transfer-encoding': 'chunked' }, Buffer.alloc(4096, 0x20), 1000);
      expect(chunked.status).toBe(413);
      // Exactly at the limit still passes the size check (and then fails as broken JSON here).
      const padded = Buffer.alloc(64 * 1024, 0x20);
      expect((await rawPost({ ...signed(), 'content-length': String(padded.length) }, padded, 1)).status).toBe(400);
      expect(calls).toHaveLength(0);
    });

    it('refuses broken JSON with 400', async () => {
      expect(await post('{"msgId": "m1", ', signed())).toEqual({ status: 400, json: { error: '请求体不是有效的 JSON' } });
      expect((await post('', signed())).status).toBe(400);
      expect(calls).toHaveLength(0);
    });

    it('refuses schema violations with 400 naming the fields', async () => {
      const noMsgId = omit(singleBody(fake), 'msgId');
      const cases: [Record<string, unknown> | unknown[] | string, string][] = [
        [noMsgId, 'msgId'],
        [singleBody(fake, { msgId: '' }), 'msgId'],
        [singleBody(fake, { msgId: 42 }), 'msgId'],
        [singleBody(fake, { conversationType: '3' }), 'conversationType'],
        [singleBody(fake, { conversationType: 1 }), 'conversationType'],
        [singleBody(fake, { conversationId: null }), 'conversationId'],
        [singleBody(fake, { msgtype: undefined }), 'msgtype'],
        [singleBody(fake, { text: { content: 5 } }), 'text.content'],
        [singleBody(fake, { sessionWebhook: 'ftp://oapi.dingtalk.com/robot/sendBySession?session=1' }), 'sessionWebhook'],
        [singleBody(fake, { sessionWebhook: 'not a url' }), 'sessionWebhook'],
        [singleBody(fake, { sessionWebhookExpiredTime: 'soon' }), 'sessionWebhookExpiredTime'],
        [singleBody(fake, { createAt: -1 }), 'createAt'],
        [singleBody(fake, { senderStaffId: 123 }), 'senderStaffId'],
        [[singleBody(fake)], '消息体'],
        ['"just a string"', '消息体'],
      ];
      for (const [body, field] of cases) {
        const res = await post(body);
        expect(res.status).toBe(400);
        expect((res.json as { error: string }).error).toContain(field);
        expect((res.json as { error: string }).error).toMatch(/^消息格式不对/);
      }
      expect(calls).toHaveLength(0);
    });

    it('ignores unknown fields', async () => {
      expect((await post(singleBody(fake, { openThreadId: 't', conversationMsgContext: [{}], ai_robot_sessionid: 'x', isInAtList: 'odd' }))).status).toBe(200);
      await callback.idle();
      expect(calls).toHaveLength(1);
    });
  });

  describe('what the bot gets', () => {
    it('drops a repeated msgId, in flight or already handled: 200 {} and the bot called once', async () => {
      let finish: () => void = () => undefined;
      behaviour = (m) =>
        new Promise((resolve) => {
          finish = () => resolve(echo(m));
        });
      const first = post(groupBody(fake));
      while (calls.length === 0) await new Promise((r) => setTimeout(r, 5));
      expect(await post(groupBody(fake))).toEqual({ status: 200, json: {} }); // in flight
      finish();
      expect(await first).toEqual({ status: 200, json: {} });
      await callback.idle();
      now += 60_000;
      expect(await post(groupBody(fake), signed())).toEqual({ status: 200, json: {} }); // handled
      await callback.idle();
      expect(calls).toHaveLength(1);
      expect(fake.delivered).toHaveLength(1);
    });

    it('hands other message types to the bot with an empty text; the bot answers a friendly note', async () => {
      const picture = groupBody(fake, { msgId: 'p1', msgtype: 'picture', text: undefined, content: { downloadCode: 'dc', pictureDownloadCode: 'pdc' } });
      const file = singleBody(fake, { msgId: 'f1', msgtype: 'file', text: undefined, content: { downloadCode: 'dc', fileName: '进展.docx', spaceId: '1', fileId: '2' } });
      const rich = groupBody(fake, { msgId: 'r1', msgtype: 'richText', text: undefined, content: { richText: [{ text: '第3项' }, { type: 'picture', downloadCode: 'd' }] } });
      for (const body of [picture, file, rich]) expect((await post(body)).status).toBe(200);
      await callback.idle();
      expect(calls.map((m) => [m.msgtype, m.text])).toEqual([
        ['picture', ''],
        ['file', ''],
        ['richText', ''],
      ]);
      expect(fake.delivered.map((d) => d.text?.split('\n')[0])).toEqual(Array(3).fill('暂时只能看懂文字消息，请直接打字告诉我'));
    });

    it('hands over an empty text as an empty string', async () => {
      expect((await post(singleBody(fake, { msgId: 'e1', text: { content: '   ' } }))).status).toBe(200);
      expect((await post(singleBody(fake, { msgId: 'e2', text: {} }))).status).toBe(200);
      expect((await post(singleBody(fake, { msgId: 'e3', text: undefined }))).status).toBe(200);
      await callback.idle();
      expect(calls.map((m) => m.text)).toEqual(['', '', '']);
      expect(fake.delivered.map((d) => d.text)).toEqual(Array(3).fill('请告诉我要报送或查询什么'));
    });

    it('hands over a 10,000-character text whole', async () => {
      const text = '报送进展'.repeat(2500);
      expect((await post(singleBody(fake, { text: { content: ` ${text} ` } }))).status).toBe(200);
      await callback.idle();
      expect(calls[0]?.text).toBe(text);
      expect(fake.delivered.map((d) => d.text)).toEqual(['收到 10000 个字']);
    });

    it('says nothing when the bot answers null', async () => {
      behaviour = () => Promise.resolve(null);
      expect((await post(singleBody(fake))).status).toBe(200);
      await callback.idle();
      expect(calls).toHaveLength(1);
      expect(fake.attempts).toHaveLength(0);
    });

    it('survives a bot that throws: 503 (DingTalk may send it again), logged in Chinese, and a redelivery is processed', async () => {
      behaviour = () => Promise.reject(new Error('数据库已锁定'));
      expect(await post(singleBody(fake))).toEqual({ status: 503, json: { error: '服务暂时无法处理这条消息，请稍后重发' } });
      await callback.idle();
      expect(log).toContain('机器人处理钉钉消息时出错');
      expect(log).toContain('数据库已锁定');
      behaviour = () => {
        throw new Error('同步抛出');
      };
      expect((await post(singleBody(fake, { msgId: 'sync' }))).status).toBe(503);
      await callback.idle();
      behaviour = (m) => Promise.resolve(echo(m));
      expect((await post(singleBody(fake))).status).toBe(200);
      await callback.idle();
      expect(calls).toHaveLength(3);
      expect(fake.delivered).toHaveLength(1);
      const health = await fetch(`${base}/healthz`);
      expect(health.status).toBe(503);
    });

    it('logs a reply that could not be sent, without retrying the bot', async () => {
      now = CREATED + SESSION_LIFE_MS + 1000;
      fake.failUntil(() => false, { status: 403, code: 'Forbidden.AccessDenied', message: '没有权限' });
      expect((await post(groupBody(fake))).status).toBe(200);
      await callback.idle();
      expect(log).toContain('回复钉钉消息失败');
      expect(log).toContain('qyapi_robot_sendmsg');
      expect((await post(groupBody(fake))).status).toBe(200);
      await callback.idle();
      expect(calls).toHaveLength(1);
    });
  });

  it('logs nothing secret: no AppSecret, no sign, no session, no access token', async () => {
    const forgedSign = robotSign('another-secret', now);
    await post(singleBody(fake, { msgId: 'forged' }), { ...signed(), sign: forgedSign });
    const headers = signed();
    await post(groupBody(fake, { msgId: 's1' }), headers);
    await post(groupBody(fake, { msgId: 's1' }), headers);
    fake.fail(1, { errcode: 430104, errmsg: 'bad content' });
    await post(singleBody(fake, { msgId: 's2' }), headers);
    behaviour = () => Promise.reject(new Error('oops'));
    await post(singleBody(fake, { msgId: 's3' }), headers);
    behaviour = (m) => Promise.resolve(echo(m));
    now = CREATED + SESSION_LIFE_MS;
    await post(groupBody(fake, { msgId: 's4' }), signed());
    await callback.idle();
    expect(fake.tokensIssued.length).toBeGreaterThan(0);
    expect(log).toContain('拒绝了钉钉回调请求：签名校验失败');
    expect(log).toContain('回复钉钉消息失败');
    for (const secret of [APP_SECRET, forgedSign, headers.sign ?? '?', SESSION, ...fake.tokensIssued.map((t) => t.token)]) {
      expect(log).not.toContain(secret);
    }
    expect(log).not.toContain('sendBySession');
    expect(log).not.toContain('你好');
  });

  it('is reached only with POST; without the callback the path is unknown', async () => {
    const get = await fetch(`${base}/dingtalk/callback`);
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');

    const bare = createHttpServer({ store, logger: createLogger({ level: 'silent', format: 'json' }), ready: () => true });
    const barePort = await listen(bare, 0, '127.0.0.1');
    const res = await fetch(`http://127.0.0.1:${barePort}/dingtalk/callback`, { method: 'POST', headers: signed(), body: JSON.stringify(singleBody(fake)) });
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: '没有这个地址' });
    await new Promise((resolve) => bare.close(resolve));
  });
});

describe('isJsonContentType', () => {
  it('takes application/json with an optional utf-8 charset only', () => {
    expect(['application/json', 'application/json; charset=utf-8', 'APPLICATION/JSON;CHARSET="UTF-8"', 'application/json;charset=utf8'].map(isJsonContentType)).toEqual([true, true, true, true]);
    expect([undefined, '', 'text/json', 'application/json; charset=gbk', 'application/json-patch+json'].map(isJsonContentType)).toEqual([false, false, false, false, false]);
  });
});
