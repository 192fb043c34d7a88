/**
 * The callback endpoint under fire: the service as `npm start` runs it (startService in-process: HTTP server,
 * callback, bot, dashboard, on a temporary database holding the seed plan) hit with thousands of random requests —
 * random methods, paths, header sets, bodies; correctly signed random JSON; correctly signed robot messages from
 * senders not in the contacts or with junk text; and raw sockets with malformed HTTP framing. Never a 5xx, no
 * exception or unhandled rejection, no error logged by a catch-all, the server answers /healthz at the end, and
 * nothing is stored: the database file is byte for byte what it was.
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as path from 'node:path';
import { Writable } from 'node:stream';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { robotSign } from '../../src/channels/dingtalk-sign';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/logger';
import { startService, type RunningService } from '../../src/main';
import { startFakeDingtalk, type FakeDingtalk } from '../helpers/fake-dingtalk';
import { fuzzLabel, fuzzParams } from '../helpers/fuzz';
import { ROOT, SEED, tempDir } from '../helpers/run-cli';

const APP_SECRET = 'fuzz-app-secret';
const CONTACTS = ['单位,姓名,手机,钉钉ID,角色', '区司法局,张三,13800000001,zhangsan,联络员'].join('\n');
const SESSION = 'sess-fuzz';

interface Answer {
  status: number | null;
  /** The client saw the connection reset or closed before an answer (allowed: a refused body, a 413). */
  error?: string;
}

let dir: string;
let cleanup: () => void;
let dbFile: string;
let fake: FakeDingtalk;
let service: RunningService | null = null;
let port = 0;
let logs = '';
const crashes: unknown[] = [];
const onCrash = (err: unknown): void => void crashes.push(err);

function env(): Record<string, string> {
  return {
    DB_PATH: dbFile,
    PLAN_FILE: SEED,
    UNITS_FILE: path.join(ROOT, 'data', 'units.yaml'),
    CALENDAR_FILE: path.join(ROOT, 'data', 'calendar.yaml'),
    CONTACTS_FILE: path.join(dir, 'contacts.csv'),
    CHANNEL: 'console',
    LOCAL_CONSOLE: '0',
    SCHEDULER: 'off',
    DINGTALK_MODE: 'http',
    DINGTALK_APP_SECRET: APP_SECRET,
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'info',
    LOG_FORMAT: 'json',
    // Thousands of messages from a few senders: with the per-sender limit most would stop before the bot, which is
    // the part under test here (the limit has tests of its own).
    CALLBACK_RATE_PER_MINUTE: 'off',
  };
}

async function start(): Promise<void> {
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      logs += chunk.toString();
      done();
    },
  });
  service = await startService(loadConfig(env()), createLogger({ level: 'info', format: 'json', destination }));
  port = service.port;
}

async function stop(): Promise<void> {
  await service?.stop();
  service = null;
}

/** Rows of reports and outbox, read through a connection of our own (the service is stopped). */
function rowCounts(): { reports: number; outbox: number } {
  const db = new Database(dbFile, { readonly: true });
  try {
    return db.prepare<[], { reports: number; outbox: number }>('SELECT (SELECT count(*) FROM reports) AS reports, (SELECT count(*) FROM outbox) AS outbox').get()!;
  } finally {
    db.close();
  }
}

/** The database's bytes after a clean close (the WAL folded in): what a backup would copy. */
function dbHash(): string {
  const files = [dbFile, `${dbFile}-wal`].filter((f) => fs.existsSync(f));
  return crypto.createHash('sha256').update(Buffer.concat(files.map((f) => fs.readFileSync(f)))).digest('hex');
}

function request(opts: { method: string; path: string; headers: Record<string, string | string[]>; body: Uint8Array | null }): Promise<Answer> {
  return new Promise((resolve) => {
    const req = http.request({ host: '127.0.0.1', port, method: opts.method, path: opts.path, headers: opts.headers, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? null }));
      res.on('error', () => resolve({ status: res.statusCode ?? null }));
    });
    req.setTimeout(5000, () => req.destroy(new Error('timeout')));
    req.on('error', (err: NodeJS.ErrnoException) => resolve({ status: null, error: err.code ?? err.message }));
    if (opts.body) req.end(opts.body);
    else req.end();
  });
}

/** Writes raw bytes on a fresh socket; resolves with everything the server wrote back before closing (or 1 s). */
function raw(bytes: Buffer): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const socket = net.connect(port, '127.0.0.1');
    const done = (): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(Buffer.concat(chunks).toString('latin1'));
    };
    const timer = setTimeout(done, 1000);
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', done);
    socket.on('close', done);
    socket.write(bytes, () => socket.end());
  });
}

function signedHeaders(ts = Date.now()): Record<string, string> {
  return { 'content-type': 'application/json; charset=utf-8', timestamp: String(ts), sign: robotSign(APP_SECRET, ts) };
}

// ---------------------------------------------------------------------------------------------------------
// Generators

/** Header values Node's client accepts (tab, printable ASCII, Latin-1); anything worse goes over raw sockets. */
const headerValue = fc.oneof(
  fc.string({ unit: fc.oneof(fc.integer({ min: 0x20, max: 0x7e }), fc.integer({ min: 0x80, max: 0xff }), fc.constant(9)).map((c) => String.fromCharCode(c)), maxLength: 40 }),
  fc.constantFrom('', ' ', '0', '-1', '1e999', 'NaN', '9'.repeat(40), String(Date.now()), String(Date.now() - 7_200_000), String(Date.now() + 7_200_000)),
);
const contentType = fc.constantFrom(
  'application/json', 'application/json; charset=utf-8', 'APPLICATION/JSON; Charset="UTF-8"', 'application/json; charset=gbk',
  'application/json;;;', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/jsonx', ';', '',
);
const method = fc.constantFrom('POST', 'POST', 'POST', 'GET', 'HEAD', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'TRACE', 'PROPFIND', 'M-SEARCH');
const urlPath = fc.oneof(
  { weight: 6, arbitrary: fc.constant('/dingtalk/callback') },
  { weight: 1, arbitrary: fc.constantFrom('/healthz', '/', '/dashboard', '/dashboard/unit?u=%E5%8C%BA', '/dingtalk/callback/', '/DINGTALK/CALLBACK', '/dingtalk/callback?a=1&a=2', '//dingtalk/callback', '/dingtalk/../dingtalk/callback', '/%00', '/%zz', '/dingtalk/callback#x', '/api/chat', '/events') },
  { weight: 1, arbitrary: fc.webPath().map((p) => encodeURI(p || '/').replace(/^([^/])/, '/$1')) },
  { weight: 1, arbitrary: fc.integer({ min: 1000, max: 12000 }).map((n) => `/${'a'.repeat(n)}`) },
);

/** Bodies: random bytes, broken UTF-8, deep JSON, wrong types, huge numbers, prototype keys, big ones. */
const body = fc.oneof(
  fc.uint8Array({ maxLength: 512 }),
  fc.string({ unit: 'binary', maxLength: 300 }).map((s) => Buffer.from(s)),
  fc.constantFrom(Buffer.from([0xe5, 0x8c]), Buffer.from('{"msgId":"\xff\xfe"}', 'latin1'), Buffer.from([0xc0, 0x80, 0xed, 0xa0, 0x80])),
  fc.jsonValue({ maxDepth: 4 }).map((v) => Buffer.from(JSON.stringify(v) ?? 'null')),
  fc.integer({ min: 1, max: 30_000 }).map((n) => Buffer.from('['.repeat(n) + ']'.repeat(n))),
  fc.integer({ min: 1, max: 10_000 }).map((n) => Buffer.from(`${'{"a":'.repeat(n)}1${'}'.repeat(n)}`)),
  fc.constantFrom('1e309', '-0', '123456789012345678901234567890', '"msgId"', 'null', 'true', '[]', '{}', '{"__proto__":{"polluted":1}}', '{"constructor":{"prototype":{"polluted":1}}}').map((s) => Buffer.from(s)),
  fc.integer({ min: 60_000, max: 200_000 }).map((n) => Buffer.alloc(n, 0x7b)),
  fc.constant(null),
);

const headerSet = fc.record(
  {
    'content-type': contentType,
    timestamp: fc.oneof(headerValue, fc.array(headerValue, { minLength: 2, maxLength: 3 })),
    sign: fc.oneof(headerValue, fc.constant(robotSign(APP_SECRET, Date.now())), fc.constant(robotSign('wrong-secret', Date.now())), fc.array(headerValue, { minLength: 2, maxLength: 3 })),
    'content-length': fc.constantFrom('0', '-1', '99999999999999999999', 'abc'),
    'x-junk': fc.integer({ min: 1, max: 20_000 }).map((n) => 'x'.repeat(n)),
    'transfer-encoding': fc.constantFrom('chunked', 'gzip', 'identity'),
    'content-encoding': fc.constantFrom('gzip', 'br'),
  },
  { requiredKeys: [] },
);

/** Robot-message fields with values of every type, prototype keys among them. */
const anyValue = fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constantFrom(1e308, -1, 2 ** 53 + 1, '', ' ', '1', '2', 'text', null));
const robotLike = fc
  .record(
    {
      msgId: anyValue, msgtype: anyValue, conversationId: anyValue, conversationType: anyValue, text: fc.oneof(anyValue, fc.record({ content: anyValue })),
      senderStaffId: anyValue, senderNick: anyValue, sessionWebhook: fc.oneof(anyValue, fc.constant('ftp://x'), fc.constant('javascript:alert(1)')),
      sessionWebhookExpiredTime: anyValue, createAt: anyValue,
    },
    { requiredKeys: [] },
  )
  .chain((o) => fc.constantFrom<unknown>(o, { ...o, __proto__: { polluted: true } }, JSON.parse(`{"__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":1}},"msgId":"p"}`)));

let nextMsg = 0;
/** Valid robot messages: from senders not in the contacts (or none), or from the liaison with junk. */
const validMessage = (sessionWebhook: string) =>
  fc
    .record({
      sender: fc.constantFrom('stranger', '', '  ', 'zhangsan-not', null, 'a'.repeat(500), '<script>', '\u202e'),
      text: fc.oneof(fc.string({ unit: 'binary', maxLength: 200 }), fc.constantFrom('3.2 已完成', '撤回', '催办 区司法局', '更正 1.2 已完成', '')),
      msgtype: fc.constantFrom('text', 'text', 'picture', 'richText', 'file', 'x'),
      group: fc.boolean(),
      webhook: fc.constantFrom(sessionWebhook, null, undefined),
    })
    .map((m) => ({
      msgId: `fuzz-${++nextMsg}-${m.sender ?? 'none'}`,
      msgtype: m.msgtype,
      conversationId: m.group ? 'cid-fuzz-group' : 'cid-fuzz-single',
      conversationType: m.group ? '2' : '1',
      conversationTitle: m.group ? '督办群' : undefined,
      text: { content: m.text },
      ...(m.sender === null ? {} : { senderStaffId: m.sender }),
      senderNick: '路人',
      ...(m.webhook === undefined ? {} : { sessionWebhook: m.webhook, sessionWebhookExpiredTime: Date.now() + 3_600_000 }),
      createAt: Date.now(),
    }));

/** Malformed HTTP for raw sockets. */
const rawBytes = fc.oneof(
  fc.uint8Array({ minLength: 1, maxLength: 600 }).map((b) => Buffer.from(b)),
  fc.tuple(fc.constantFrom('POST', 'GET', 'P O S T', '', 'POST\0'), fc.constantFrom('/dingtalk/callback', '/healthz', '*', 'http://x/dingtalk/callback', '/路径', '', '//', '//x:99999/dingtalk/callback'), fc.constantFrom('HTTP/1.1', 'HTTP/1.0', 'HTTP/2.0', 'HTTP/0.9', 'HTTX/1.1', ''))
    .chain(([m, p, v]) =>
      fc.tuple(
        fc.constant(`${m} ${p} ${v}`),
        fc.array(
          fc.constantFrom(
            'Host: x', 'Content-Type: application/json', 'Content-Length: 10', 'Content-Length: -5', 'Content-Length: 5, 6', 'Content-Length: 99999999999999999',
            'Transfer-Encoding: chunked', 'Transfer-Encoding: chunked, identity', 'Transfer-Encoding: xchunked', 'timestamp: 1', 'sign: ===', 'Bad Header', ': novalue',
            'X-Ünicode: 值', `X-Big: ${'y'.repeat(20_000)}`, 'Connection: keep-alive', 'Expect: 100-continue', '\tfolded', 'Upgrade: websocket',
          ),
          { maxLength: 6 },
        ),
        fc.constantFrom('', '{}', '0\r\n\r\n', 'zz\r\n{}\r\n0\r\n\r\n', '5\r\n{"a":\r\n', 'ffffffffffffffff\r\n', '{"msgId":1}GET / HTTP/1.1\r\n\r\n', '\r\n\r\n\r\n'),
        fc.constantFrom('\r\n', '\n', '\r'),
      ),
    )
    .map(([line, headers, rest, eol]) => Buffer.from(`${line}${eol}${headers.join(eol)}${eol}${eol}${rest}`)),
);

// ---------------------------------------------------------------------------------------------------------

beforeAll(async () => {
  process.on('uncaughtException', onCrash);
  process.on('unhandledRejection', onCrash);
  ({ dir, cleanup } = tempDir('duban-callback-fuzz-'));
  dbFile = path.join(dir, 'duban.db');
  fs.writeFileSync(path.join(dir, 'contacts.csv'), CONTACTS);
  fake = await startFakeDingtalk({ ratePerMinute: 100_000 });
  // A first run imports the seed plan and settles what a first start writes; its bytes are the reference.
  await start();
  await stop();
});

afterAll(async () => {
  await stop();
  await fake.close();
  cleanup();
  process.off('uncaughtException', onCrash);
  process.off('unhandledRejection', onCrash);
});

describe('the callback endpoint under random requests', () => {
  let before: string;
  let rowsBefore: { reports: number; outbox: number };
  beforeAll(async () => {
    rowsBefore = rowCounts();
    before = dbHash();
    await start();
  });

  it(`never answers 5xx to random methods, paths, headers and bodies ${fuzzLabel(1500)}`, async () => {
    const statuses = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(method, urlPath, headerSet, fc.boolean(), body, async (m, p, headers, signed, b) => {
        // Half of them carry a valid signature, so that the body is read and judged too.
        const sent = signed ? { ...headers, ...signedHeaders(), ...(headers['content-type'] === undefined ? {} : { 'content-type': headers['content-type'] }) } : headers;
        const answer = await request({ method: m, path: p, headers: sent, body: m === 'GET' || m === 'HEAD' ? null : b });
        const key = String(answer.status ?? answer.error);
        statuses.set(key, (statuses.get(key) ?? 0) + 1);
        expect(answer.status === null || answer.status < 500).toBe(true);
      }),
      fuzzParams(1500),
    );
    // The refusals the endpoint has were reached (a 413 often reaches the client as a reset: the server closes
    // the connection while the big body is still being written).
    expect([...statuses.keys()]).toEqual(expect.arrayContaining(['400', '401', '404', '405', '415']));
  });

  it(`answers correctly signed random JSON with 200 or 400, never 5xx ${fuzzLabel(500)}`, async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(robotLike, fc.jsonValue({ maxDepth: 3 })), async (value) => {
        const answer = await request({ method: 'POST', path: '/dingtalk/callback', headers: signedHeaders(), body: Buffer.from(JSON.stringify(value) ?? 'null') });
        expect([200, 400, 429]).toContain(answer.status);
      }),
      fuzzParams(500),
    );
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it(`takes schema-valid messages from strangers and junk with 200, and stores nothing for them ${fuzzLabel(300)}`, async () => {
    const replies = fake.delivered.length;
    await fc.assert(
      fc.asyncProperty(validMessage(fake.sessionWebhook(SESSION)), async (message) => {
        const answer = await request({ method: 'POST', path: '/dingtalk/callback', headers: signedHeaders(), body: Buffer.from(JSON.stringify(message)) });
        expect([200, 429]).toContain(answer.status);
      }),
      fuzzParams(300),
    );
    // The bot answered some of them through the sessionWebhook: the messages went all the way through.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(fake.delivered.length).toBeGreaterThan(replies);
  });

  it(`survives malformed HTTP on raw sockets without a 5xx ${fuzzLabel(300)}`, async () => {
    let answered = 0;
    await fc.assert(
      fc.asyncProperty(rawBytes, async (bytes) => {
        const answer = await raw(bytes);
        if (/^HTTP\/1\.[01] \d{3}/.test(answer)) answered++;
        expect(answer).not.toMatch(/HTTP\/1\.[01] 5\d\d/);
      }),
      fuzzParams(300),
    );
    // The server did answer: the requests reached it (mostly Node's own 400 for broken framing).
    expect(answered).toBeGreaterThan(0);
  });

  it('is still up, crashed nowhere, logged no catch-all error, and stored nothing', async () => {
    const health = await request({ method: 'GET', path: '/healthz', headers: {}, body: null });
    expect(health.status).toBe(200);
    await stop();
    expect(crashes).toEqual([]);
    const errors = logs.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { level: number; msg: string }).filter((l) => l.level >= 50);
    // Replies that could not go out (no sessionWebhook and no app credentials) are the only errors allowed.
    expect(errors.filter((e) => !e.msg.startsWith('回复钉钉消息失败'))).toEqual([]);
    expect(rowCounts()).toEqual(rowsBefore);
    expect(dbHash()).toBe(before);
  });
});
