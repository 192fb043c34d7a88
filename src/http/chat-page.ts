/**
 * The local chat page's routes (only when LOCAL_CONSOLE is on): the page and its assets from `public/chat/`, and a
 * small JSON API the page calls. Handlers only check and decode the request and hand it to the LocalConsole:
 * - `GET /` the page; `GET /chat/app.js`, `/chat/app.css` its script and style;
 * - `GET /console/api/state` who one can be, the simulated time, whether the buttons work;
 * - `GET /console/api/feed?after=N` the feed's events after N (JSON); `GET /console/api/events` the same as
 *   server-sent events, from `Last-Event-ID` or `?after=` on;
 * - `POST /console/api/messages` `{"from": 钉钉ID, "text": 文字}` → the message and the bot's answer;
 * - `POST /console/api/remind-now`, `POST /console/api/next-workday`: the two buttons → `{notices, clock}`.
 * POSTs must be `application/json` (a page on another site cannot send that without the browser asking first).
 * Errors are `{ "error": "<中文原因>" }`.
 */
import * as fs from 'node:fs';
import type * as http from 'node:http';
import * as path from 'node:path';
import { z } from 'zod';
import { describeCliError } from '../cli-errors';
import { ConsoleRefusal, MAX_TEXT_CHARS, type LocalConsole } from '../console/local-console';
import type { FeedEvent } from '../console/feed';
import { BodyTooLargeError, readBody } from './read-body';
import { sendJson, type Handler, type HttpDeps, type Routes } from './server';

/** The page's files: `public/chat/` at the root of the project (two levels above both `src/http` and `dist/http`). */
export const PAGE_DIR = path.resolve(__dirname, '..', '..', 'public', 'chat');

const MAX_BODY_BYTES = 16 * 1024;
/** A comment line keeps proxies and browsers from dropping a quiet event stream. */
const KEEPALIVE_MS = 20_000;

const messageSchema = z.object({
  from: z.string().trim().min(1).max(64).regex(/^\S+$/),
  text: z.string().trim().min(1).max(MAX_TEXT_CHARS),
});

/** The Chinese reason a message body is refused. */
function messageProblem(body: unknown): string | null {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return '请求体应为 JSON 对象，例如 {"from":"demo-sfj-01","text":"帮助"}';
  const r = messageSchema.safeParse(body);
  if (r.success) return null;
  const field = r.error.issues[0]?.path[0];
  if (field === 'from') return '请先选择“我是谁”（from 应为联络员名单中的钉钉ID，不能为空或含空格）';
  const text = (body as { text?: unknown }).text;
  if (typeof text === 'string' && text.trim().length > MAX_TEXT_CHARS) return `消息太长：最多 ${MAX_TEXT_CHARS} 个字`;
  return '消息不能为空（text 应为文字）';
}

/** The routes of the page; `local()` is null while the service is still starting (503 then). */
export function chatPageRoutes(local: () => LocalConsole | null, dir = PAGE_DIR): Routes {
  const asset = (file: string, type: string): Handler => {
    // Read at start: a missing file stops the start instead of a broken page later.
    const body = fs.readFileSync(path.join(dir, file));
    return (req, res) => {
      res.writeHead(200, {
        'content-type': type,
        'content-length': body.length,
        'cache-control': 'no-cache',
        'x-content-type-options': 'nosniff',
        'referrer-policy': 'no-referrer',
        // Everything the page loads comes from this process; a report text cannot pull anything in.
        'content-security-policy': "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
      });
      res.end(req.method === 'HEAD' ? undefined : body);
    };
  };
  const page = asset('index.html', 'text/html; charset=utf-8');
  const script = asset('app.js', 'text/javascript; charset=utf-8');
  const style = asset('app.css', 'text/css; charset=utf-8');

  /** Runs `fn` with the console once it is there; errors become a Chinese answer. */
  const withConsole =
    (fn: (c: LocalConsole, req: http.IncomingMessage, res: http.ServerResponse, deps: HttpDeps) => Promise<void> | void): Handler =>
    (req, res, deps) => {
      const c = local();
      if (!c) return sendJson(res, 503, { error: '服务正在启动，请稍后刷新' });
      Promise.resolve()
        .then(() => fn(c, req, res, deps))
        .catch((err: unknown) => {
          if (res.headersSent) return;
          if (err instanceof ConsoleRefusal) return sendJson(res, 409, { error: err.message });
          deps.logger.error({ err }, `本机聊天页面处理请求时出错：${describeCliError(err)}`);
          sendJson(res, 500, { error: describeCliError(err) });
        });
    };

  /** A POST's JSON body, or null after answering why not. */
  const jsonBody = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<{ value: unknown } | null> => {
    const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
    if (type !== 'application/json') {
      sendJson(res, 415, { error: '请求的 Content-Type 应为 application/json' });
      return null;
    }
    let raw: Buffer;
    try {
      raw = await readBody(req, MAX_BODY_BYTES);
    } catch (err) {
      if (!(err instanceof BodyTooLargeError)) throw err;
      res.setHeader('connection', 'close');
      sendJson(res, 413, { error: `请求体超过 ${MAX_BODY_BYTES / 1024} KB 的上限` });
      return null;
    }
    if (raw.length === 0) return { value: {} };
    try {
      return { value: JSON.parse(raw.toString('utf8')) as unknown };
    } catch {
      sendJson(res, 400, { error: '请求体不是有效的 JSON' });
      return null;
    }
  };

  /** `?after=` or `Last-Event-ID`: a non-negative integer, 0 when absent; null when malformed. */
  const afterOf = (req: http.IncomingMessage): number | null => {
    // A reconnecting EventSource sends Last-Event-ID with its first URL: the header is the newer news.
    const raw = req.headers['last-event-id'] ?? new URL(req.url ?? '/', 'http://localhost').searchParams.get('after') ?? '0';
    const text = Array.isArray(raw) ? (raw[0] ?? '') : raw;
    return /^\d{1,15}$/.test(text) ? Number(text) : null;
  };

  const state = withConsole((c, _req, res) => sendJson(res, 200, c.state()));

  const feed = withConsole((c, req, res) => {
    const after = afterOf(req);
    if (after === null) return sendJson(res, 400, { error: '参数 after 应为非负整数（上次收到的消息序号）' });
    sendJson(res, 200, { events: c.feedSince(after), lastSeq: c.state().lastSeq });
  });

  const events = withConsole((c, req, res) => {
    const after = afterOf(req);
    if (after === null) return sendJson(res, 400, { error: '参数 after 应为非负整数（上次收到的消息序号）' });
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive' });
    const write = (e: FeedEvent) => res.write(`id: ${e.seq}\ndata: ${JSON.stringify(e)}\n\n`);
    // Subscribed before the backlog is written: nothing published in between is lost (the page drops repeats).
    const unsubscribe = c.subscribe(write);
    for (const e of c.feedSince(after)) write(e);
    const keepalive = setInterval(() => res.write(': \n\n'), KEEPALIVE_MS);
    keepalive.unref();
    res.on('close', () => {
      clearInterval(keepalive);
      unsubscribe();
    });
  });

  const messages = withConsole(async (c, req, res) => {
    const body = await jsonBody(req, res);
    if (!body) return;
    const problem = messageProblem(body.value);
    if (problem) return sendJson(res, 400, { error: problem });
    const { from, text } = messageSchema.parse(body.value);
    sendJson(res, 200, await c.say(from, text));
  });

  const button = (run: (c: LocalConsole) => FeedEvent[] | Promise<FeedEvent[]>) =>
    withConsole(async (c, req, res) => {
      if (!(await jsonBody(req, res))) return;
      sendJson(res, 200, { notices: await run(c), clock: c.clockState() });
    });

  return {
    '/': { GET: page, HEAD: page },
    '/chat/app.js': { GET: script, HEAD: script },
    '/chat/app.css': { GET: style, HEAD: style },
    '/console/api/state': { GET: state },
    '/console/api/feed': { GET: feed },
    '/console/api/events': { GET: events },
    '/console/api/messages': { POST: messages },
    '/console/api/remind-now': { POST: button((c) => c.remindNow()) },
    '/console/api/next-workday': { POST: button((c) => c.nextWorkday()) },
  };
}
