/**
 * The DingTalk callback under load: signed `POST /dingtalk/callback` requests, each a new liaison's report
 * (`3.2 推进中 已完成目录清理` from demo-sfj-01 of 区司法局), driven by autocannon over loopback, beside a bare
 * `node:http` server that reads the body and answers 200 `{}`, with the same autocannon settings and the same
 * request, in the same run.
 *
 * The service is wired as `npm start` wires it (startChatService: createBot with the working-day calendar,
 * createDingtalkReplier, createDingtalkCallback, mounted in createHttpServer) over a temporary SQLite file holding
 * the seed plan, the shipped data/units.yaml and data/contacts.csv, logging JSON at level info into a discarding
 * stream. Its replies go to a loopback stand-in for the message's sessionWebhook that answers `{"errcode":0}`.
 * The two servers run in a worker thread of their own (this file, started again as a worker), so that the
 * load generator, which runs in the main thread with the sessionWebhook stand-in, does not share their event loop.
 *
 * Every request carries a unique msgId (autocannon's `idReplacement`: `[<id>]` in the body becomes a fresh id
 * of fixed length), so each one is really handled and records a report. One timestamp and its sign serve the
 * whole run (DingTalk's signature is valid for an hour).
 *
 * Before anything is timed, one request is sent and checked: 200 `{}`, one report stored with the right unit,
 * status and text, and a reply "已记录区司法局的进展" received; a wrongly signed request is refused with 401. After
 * every timed run against the callback, the bot is given (bounded) time to finish (`callback.idle()`), then the
 * reports stored and the replies received are counted: each request the server received must have recorded
 * exactly one report and sent one reply, and no answer may be other than 2xx.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Writable } from 'node:stream';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import autocannon from 'autocannon';
import Database from 'better-sqlite3';
import { startChatService } from '../src/app/chat-service';
import { importPlanFile } from '../src/app/import-plan-file';
import { loadCalendar } from '../src/app/schedule-run';
import { robotSign } from '../src/channels/dingtalk-sign';
import { loadConfig } from '../src/config';
import { CALLBACK_PATH } from '../src/http/dingtalk-callback';
import { createHttpServer } from '../src/http/server';
import { createLogger } from '../src/logger';
import { Store } from '../src/store/store';
import { bareServer } from './bare-server';
import { BenchCheckError } from './plan-import.bench';
import { offlineRobot } from './reminders.bench';
import type { TempFiles } from './temp-files';

function check(ok: boolean, message: string): void {
  if (!ok) throw new BenchCheckError(message);
}

const ROLE = 'duban-callback-bench-servers';
export const APP_SECRET = 'bench-app-secret-0123456789abcdefghijklmnopqrstuvwxyz';
const SENDER = 'demo-sfj-01';
const UNIT = '区司法局';
const REPORT_TEXT = '3.2 推进中 已完成目录清理';
const RECORDED_TEXT = '已完成目录清理';
const RECORDED_TITLE = `已记录${UNIT}的进展`;
/** How long the bot may take, after a run, to finish the messages it was handed. */
const SETTLE_TIMEOUT_MS = 30_000;
/** autocannon's sampling interval; throughput is computed from the 2xx count and the run's length, not the samples. */
const SAMPLE_MS = 100;
/** How long the worker may take to import the plan and start listening. */
const START_TIMEOUT_MS = 30_000;

export interface CallbackOptions {
  /** Connections of every run (autocannon `connections`). */
  connections: number;
  /** Seconds of one warm-up run against each server, not counted (0: none). */
  warmupSeconds: number;
  /** Seconds of the maximum-throughput run against each server. */
  seconds: number;
  /** The fixed rate (autocannon `overallRate`, requests a second) and the seconds of its run against each server. */
  rate: number;
  rateSeconds: number;
}

/** One autocannon run. Latencies are per response, as autocannon measured them, in milliseconds. */
export interface LoadRun {
  seconds: number;
  /** 2xx answers received, and their number per second of the run. */
  ok: number;
  perSecond: number;
  p50: number;
  p99: number;
  max: number;
  /** Share of the run the servers' thread was busy (event-loop utilisation): near 1 when the server is the limit. */
  serverBusy: number;
}

export interface CallbackBench {
  connections: number;
  rate: number;
  /** Size of one request body (the msgId has a fixed length). */
  bodyBytes: number;
  /** Maximum throughput, then the fixed rate, against the callback and the bare server. */
  max: { callback: LoadRun; bare: LoadRun };
  paced: { callback: LoadRun; bare: LoadRun };
  /** Over all runs against the callback (the warm-up and the check included): requests the server received. */
  received: number;
  /** Of those, requests autocannon had sent but no longer counted the answer of when its run stopped. */
  inFlightAtStop: number;
  /** Reports stored and replies received by the sessionWebhook stand-in, over all runs (each equals `received`). */
  reports: number;
  replies: number;
}

// —— the servers' thread ——

interface ServeData {
  role: typeof ROLE;
  db: string;
  root: string;
}

type ToServers = { id: number; cmd: 'mark' | 'settle' | 'close' };

interface Settled {
  /** Whether callback.idle() resolved within SETTLE_TIMEOUT_MS. */
  idle: boolean;
  /** Event-loop utilisation of the servers' thread from the last `mark` to this `settle` arriving (before the wait). */
  busy: number;
  /** Requests each server received so far. */
  callback: number;
  bare: number;
}

type FromServers =
  | { kind: 'ready'; callbackPort: number; barePort: number }
  | { kind: 'done'; id: number; settled: Settled }
  | { kind: 'failed'; id: number | null; message: string };

function isServeData(data: unknown): data is ServeData {
  return typeof data === 'object' && data !== null && (data as { role?: unknown }).role === ROLE;
}

function listenLocal(server: http.Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function closeServer(server: http.Server): Promise<void> {
  return new Promise((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
}

/** Runs in the worker: the service's store, bot, replier and callback on one port, the bare server on another. */
async function serve(data: ServeData, port: NonNullable<typeof parentPort>): Promise<void> {
  const post = (message: FromServers): void => port.postMessage(message);
  try {
    const store = Store.open(data.db);
    await importPlanFile(store, path.join(data.root, 'test', 'fixtures', 'seed-xiuzhou-2020.txt'), new Date());
    const config = loadConfig({
      DB_PATH: data.db,
      CHANNEL: 'console',
      DINGTALK_MODE: 'http',
      DINGTALK_APP_SECRET: APP_SECRET,
      UNITS_FILE: path.join(data.root, 'data', 'units.yaml'),
      CONTACTS_FILE: path.join(data.root, 'data', 'contacts.csv'),
      CALENDAR_FILE: path.join(data.root, 'data', 'calendar.yaml'),
      LOG_LEVEL: 'info',
      // Every request comes from one liaison, thousands a second: the per-sender limit would drop all but 20 a minute.
      CALLBACK_RATE_PER_MINUTE: 'off',
    });
    const discard = new Writable({ write: (_chunk, _encoding, done) => done() });
    const logger = createLogger({ level: config.LOG_LEVEL, format: 'json', destination: discard });
    const chat = startChatService({ store, config, logger, calendar: loadCalendar(config, {}), channel: offlineRobot(), onQueued: () => {} });
    const callback = chat.callback;
    if (!callback) throw new Error(`接收方式应为 HTTP 回调，实际为 ${chat.mode}`);
    const counts = { callback: 0, bare: 0 };
    const service = createHttpServer({ store, logger, ready: () => true, callback });
    service.on('request', () => counts.callback++);
    const bare = bareServer();
    bare.on('request', () => counts.bare++);
    const [callbackPort, barePort] = [await listenLocal(service), await listenLocal(bare)];
    let mark = performance.eventLoopUtilization();
    port.on('message', (msg: ToServers) => {
      const run = async (): Promise<Settled | null> => {
        if (msg.cmd === 'mark') {
          mark = performance.eventLoopUtilization();
          return { idle: true, busy: 0, ...counts };
        }
        if (msg.cmd === 'settle') {
          const busy = performance.eventLoopUtilization(mark).utilization;
          let timer: NodeJS.Timeout | undefined;
          const idle = await Promise.race([
            callback.idle().then(() => true),
            new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), SETTLE_TIMEOUT_MS))),
          ]);
          clearTimeout(timer);
          return { idle, busy, ...counts };
        }
        await Promise.all([closeServer(service), closeServer(bare)]);
        await Promise.race([chat.stop(), new Promise((resolve) => setTimeout(resolve, SETTLE_TIMEOUT_MS).unref())]);
        store.close();
        return null;
      };
      run().then(
        (settled) => post({ kind: 'done', id: msg.id, settled: settled ?? { idle: true, busy: 0, ...counts } }),
        (err: unknown) => post({ kind: 'failed', id: msg.id, message: err instanceof Error ? err.message : String(err) }),
      );
    });
    post({ kind: 'ready', callbackPort, barePort });
  } catch (err) {
    post({ kind: 'failed', id: null, message: err instanceof Error ? (err.stack ?? err.message) : String(err) });
  }
}

if (!isMainThread && parentPort && isServeData(workerData)) void serve(workerData, parentPort);

// —— the main thread ——

interface Servers {
  callbackUrl: string;
  bareUrl: string;
  /** Starts counting the servers' thread's busy time. */
  mark(): Promise<void>;
  settle(): Promise<Settled>;
  close(): Promise<void>;
}

/** Starts the worker with both servers and waits until they listen. */
async function startServers(db: string, root: string): Promise<Servers> {
  const data: ServeData = { role: ROLE, db, root };
  const worker = new Worker(__filename, { workerData: data });
  let next = 0;
  const waiting = new Map<number, { resolve: (s: Settled) => void; reject: (e: Error) => void }>();
  let failure: Error | null = null;
  const fail = (err: Error): void => {
    failure ??= err;
    for (const w of waiting.values()) w.reject(err);
    waiting.clear();
  };
  const ready = new Promise<{ callbackPort: number; barePort: number }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`回调基准：服务线程 ${START_TIMEOUT_MS / 1000} s 内没有启动。`)), START_TIMEOUT_MS);
    worker.on('message', (msg: FromServers) => {
      if (msg.kind === 'ready') {
        clearTimeout(timer);
        resolve(msg);
      } else if (msg.kind === 'done') {
        waiting.get(msg.id)?.resolve(msg.settled);
        waiting.delete(msg.id);
      } else {
        const err = new BenchCheckError(`回调基准：服务线程出错：${msg.message}`);
        if (msg.id === null) {
          clearTimeout(timer);
          reject(err);
        } else {
          waiting.get(msg.id)?.reject(err);
          waiting.delete(msg.id);
        }
      }
    });
    const gone = (err: Error): void => {
      clearTimeout(timer);
      reject(err);
      fail(err);
    };
    worker.on('error', (err) => gone(err));
    worker.on('exit', (code) => gone(new Error(`回调基准：服务线程意外退出（代码 ${code}）。`)));
  });
  const call = (cmd: ToServers['cmd']): Promise<Settled> => {
    if (failure) return Promise.reject(failure);
    const id = ++next;
    return new Promise<Settled>((resolve, reject) => {
      waiting.set(id, { resolve, reject });
      worker.postMessage({ id, cmd } satisfies ToServers);
    });
  };
  let ports: { callbackPort: number; barePort: number };
  try {
    ports = await ready;
  } catch (err) {
    await worker.terminate();
    throw err;
  }
  return {
    callbackUrl: `http://127.0.0.1:${ports.callbackPort}${CALLBACK_PATH}`,
    bareUrl: `http://127.0.0.1:${ports.barePort}${CALLBACK_PATH}`,
    mark: async () => void (await call('mark')),
    settle: () => call('settle'),
    async close() {
      worker.removeAllListeners('exit');
      try {
        if (!failure) await call('close');
      } finally {
        await worker.terminate();
      }
    },
  };
}

/** A stand-in for the sessionWebhook: counts the replies, answers errcode 0. */
export interface SessionStandIn {
  url: string;
  /** Replies confirming the report ("已记录区司法局的进展"), and any other request. */
  readonly recorded: number;
  readonly other: number;
  /** The last reply's markdown, for the check before timing. */
  readonly last: string;
  close(): Promise<void>;
}

const SESSION_OK = JSON.stringify({ errcode: 0, errmsg: 'ok' });

export async function startSessionStandIn(): Promise<SessionStandIn> {
  let recorded = 0;
  let other = 0;
  let last = '';
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      let text = '';
      try {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { msgtype?: unknown; markdown?: { text?: unknown } };
        if (body.msgtype === 'markdown' && typeof body.markdown?.text === 'string') text = body.markdown.text;
      } catch {
        text = '';
      }
      if (req.method === 'POST' && text.includes(RECORDED_TITLE)) recorded++;
      else other++;
      last = text;
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(SESSION_OK) });
      res.end(SESSION_OK);
    });
  });
  const port = await listenLocal(server);
  return {
    url: `http://127.0.0.1:${port}/robot/sendBySession?session=bench`,
    get recorded() {
      return recorded;
    },
    get other() {
      return other;
    },
    get last() {
      return last;
    },
    close: () => closeServer(server),
  };
}

/** Who writes a group message, and what. */
export interface Sender {
  staffId: string;
  nick: string;
  text: string;
}

/** The liaison of 区司法局 reporting progress on 3.2. */
const LIAISON: Sender = { staffId: SENDER, nick: '示例联络员01', text: REPORT_TEXT };

/** Signed headers (one timestamp and its sign) and a message body; `[<id>]` as msgId lets autocannon make each unique. */
export function signedRequest(sessionWebhook: string, now: number, msgId = '[<id>]', from: Sender = LIAISON): SignedRequest {
  const timestamp = String(now);
  return {
    headers: { 'content-type': 'application/json', timestamp, sign: robotSign(APP_SECRET, timestamp) },
    body: messageBody(sessionWebhook, msgId, now, from),
  };
}

/** A group message as DingTalk's robot callback sends it (protocol doc §2.3); `msgId` is autocannon's `[<id>]`. */
function messageBody(sessionWebhook: string, msgId: string, now: number, from: Sender = LIAISON): string {
  return JSON.stringify({
    conversationId: 'cidBenchGroup0123456789abcdef==',
    atUsers: [{ dingtalkId: '$:LWCP_v1:$benchRobotDingtalkId0123456789' }],
    chatbotCorpId: 'dingbenchcorp0123456789abcdef',
    chatbotUserId: '$:LWCP_v1:$benchRobotUserId0123456789abcd',
    msgId,
    senderNick: from.nick,
    isAdmin: false,
    senderStaffId: from.staffId,
    sessionWebhookExpiredTime: now + 90 * 60_000,
    createAt: now,
    senderCorpId: 'dingbenchcorp0123456789abcdef',
    conversationType: '2',
    senderId: '$:LWCP_v1:$benchSenderId0123456789abcdefgh',
    conversationTitle: '督办群',
    isInAtList: true,
    sessionWebhook,
    text: { content: ` ${from.text}` },
    robotCode: 'dingbenchrobot0123456789',
    msgtype: 'text',
  });
}

/** The reports table, read with a connection of its own (not through the store under test). */
export interface ReportCounter {
  read(): { rows: number; messages: number; right: number };
  lastMsgId(): string;
  close(): void;
}

export function reportCounter(db: string): ReportCounter {
  const raw = new Database(db, { readonly: true, fileMustExist: true });
  const stmt = raw.prepare<[string, string, string], { rows: number; messages: number; right: number }>(
    `SELECT count(*) AS rows, count(DISTINCT source_msg_id) AS messages,
       coalesce(sum(unit = ? AND text = ? AND reporter_id = ? AND withdrawn_at IS NULL), 0) AS right
     FROM reports`,
  );
  const last = raw.prepare<[], string>('SELECT source_msg_id FROM reports ORDER BY id DESC LIMIT 1').pluck();
  return {
    read: () => stmt.get(UNIT, RECORDED_TEXT, SENDER) as { rows: number; messages: number; right: number },
    lastMsgId: () => last.get() ?? '',
    close: () => raw.close(),
  };
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] as number;
}

export interface Fired {
  run: Omit<LoadRun, 'serverBusy'>;
  result: autocannon.Result;
}

/** A signed callback request: autocannon replaces `[<id>]` in the body with a fresh id of fixed length. */
export interface SignedRequest {
  headers: Record<string, string>;
  body: string;
}

/** How long a run lasts: so many seconds (at most `rate` requests a second when given), or so many requests. */
export type Load = { seconds: number; rate?: number } | { amount: number };

/** One autocannon run; latencies are collected from its per-response events (autocannon's own histogram keeps whole milliseconds). */
export function fire(url: string, request: SignedRequest, connections: number, load: Load): Promise<Fired> {
  const latencies: number[] = [];
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url,
        method: 'POST',
        headers: request.headers,
        body: request.body,
        idReplacement: true,
        connections,
        ...('amount' in load ? { amount: load.amount } : { duration: load.seconds }),
        // autocannon stops at the first sample after `duration`: sampling often keeps the run close to its length.
        sampleInt: SAMPLE_MS,
        ...('rate' in load && load.rate ? { overallRate: load.rate } : {}),
      },
      (err: unknown, result: autocannon.Result) => {
        if (err) return reject(err instanceof Error ? err : new Error(String(err)));
        latencies.sort((a, b) => a - b);
        resolve({
          result,
          run: {
            seconds: result.duration,
            ok: result['2xx'],
            perSecond: result['2xx'] / result.duration,
            p50: percentile(latencies, 0.5),
            p99: percentile(latencies, 0.99),
            max: latencies[latencies.length - 1] ?? NaN,
          },
        });
      },
    );
    instance.on('response', (_client, statusCode, _bytes, ms) => {
      if (statusCode >= 200 && statusCode < 300) latencies.push(ms);
    });
  });
}

export function checkClean(result: autocannon.Result, what: string): void {
  check(
    result.non2xx === 0 && result.errors === 0 && result.timeouts === 0 && result.mismatches === 0,
    `${what}：${result['2xx']} 个 2xx 应答之外，还有 ${result.non2xx} 个非 2xx 应答、${result.errors} 个错误（其中超时 ${result.timeouts} 个）。`,
  );
}

export async function benchCallback(opts: CallbackOptions, root: string, tmp: TempFiles): Promise<CallbackBench> {
  const db = tmp.nextDb();
  const standIn = await startSessionStandIn();
  let servers: Servers | null = null;
  let counter: ReportCounter | null = null;
  try {
    const srv = (servers = await startServers(db, root));
    const table = (counter = reportCounter(db));
    const now = Date.now();
    const request = signedRequest(standIn.url, now);
    const { headers } = request;
    const timestamp = String(now);

    // —— check before timing: one message is recorded and answered; a wrong sign is refused ——
    const one = await fetch(srv.callbackUrl, { method: 'POST', headers, body: messageBody(standIn.url, 'bench-check-1', now) });
    const oneText = await one.text();
    check(one.status === 200 && oneText === '{}', `回调基准：一条正确签名的报送应答 200 {}，实际 ${one.status} ${oneText}。`);
    const forged = await fetch(srv.callbackUrl, {
      method: 'POST',
      headers: { ...headers, sign: robotSign('not-the-secret', timestamp) },
      body: messageBody(standIn.url, 'bench-check-forged', now),
    });
    check(forged.status === 401, `回调基准：签名错误的请求应答 401，实际 ${forged.status}。`);
    const bareOne = await fetch(srv.bareUrl, { method: 'POST', headers, body: messageBody(standIn.url, 'bench-check-bare', now) });
    check(bareOne.status === 200 && (await bareOne.text()) === '{}', `回调基准：裸服务应答 200 {}，实际 ${bareOne.status}。`);
    let settled = await srv.settle();
    let stored = table.read();
    check(settled.idle, `回调基准：机器人 ${SETTLE_TIMEOUT_MS / 1000} s 内没有处理完检查用的报送。`);
    check(stored.rows === 1 && stored.right === 1, `回调基准：检查用的报送应记录 1 条（${UNIT}、${RECORDED_TEXT}），实际 ${stored.rows} 条，其中 ${stored.right} 条内容正确。`);
    check(
      standIn.recorded === 1 && standIn.other === 0 && standIn.last.includes('**3.2**') && standIn.last.includes(RECORDED_TEXT),
      `回调基准：会话 Webhook 应收到 1 条“${RECORDED_TITLE}”的回复，实际 ${standIn.recorded} 条（另有 ${standIn.other} 条其他请求）：${standIn.last.slice(0, 200)}`,
    );
    check(settled.callback === 2, `回调基准：服务应收到 2 个请求，实际 ${settled.callback} 个。`);

    // Requests the callback received but did not record: the forged one.
    const refused = 1;
    let inFlightAtStop = 0;
    /** One run against the callback, then the check that every request it received was recorded and answered. */
    const againstCallback = async (what: string, seconds: number, rate?: number): Promise<LoadRun> => {
      const before = { received: settled.callback, reports: stored.rows, replies: standIn.recorded };
      await srv.mark();
      const { run, result } = await fire(srv.callbackUrl, request, opts.connections, { seconds, rate });
      checkClean(result, what);
      settled = await srv.settle();
      stored = table.read();
      check(settled.idle, `${what}：机器人 ${SETTLE_TIMEOUT_MS / 1000} s 内没有处理完收到的报送。`);
      const received = settled.callback - before.received;
      const reports = stored.rows - before.reports;
      const replies = standIn.recorded - before.replies;
      check(
        received >= result['2xx'] && received - result['2xx'] <= opts.connections,
        `${what}：服务收到 ${received} 个请求，autocannon 收到 ${result['2xx']} 个 2xx 应答；差数应在 0 到连接数 ${opts.connections} 之间（停止时在途的请求）。`,
      );
      check(
        reports === received && stored.messages === stored.rows && stored.right === stored.rows,
        `${what}：服务收到 ${received} 条报送，记录了 ${reports} 条；表中共 ${stored.rows} 行、${stored.messages} 个不同 msgId、${stored.right} 行内容正确，应各条一行。`,
      );
      check(
        replies === received && standIn.other === 0,
        `${what}：服务收到 ${received} 条报送，会话 Webhook 收到 ${replies} 条“${RECORDED_TITLE}”的回复（另有 ${standIn.other} 条其他请求），应一一对应。`,
      );
      inFlightAtStop += received - result['2xx'];
      return { ...run, serverBusy: settled.busy };
    };
    const againstBare = async (what: string, seconds: number, rate?: number): Promise<LoadRun> => {
      const before = settled.bare;
      await srv.mark();
      const { run, result } = await fire(srv.bareUrl, request, opts.connections, { seconds, rate });
      checkClean(result, what);
      settled = await srv.settle();
      check(settled.bare - before >= result['2xx'], `${what}：裸服务收到 ${settled.bare - before} 个请求，少于 ${result['2xx']} 个 2xx 应答。`);
      return { ...run, serverBusy: settled.busy };
    };

    if (opts.warmupSeconds > 0) {
      await againstBare('裸服务预热', opts.warmupSeconds);
      await againstCallback('回调预热', opts.warmupSeconds);
    }
    const maxBare = await againstBare('裸服务最大吞吐', opts.seconds);
    const maxCallback = await againstCallback('回调最大吞吐', opts.seconds);
    const pacedBare = await againstBare(`裸服务 ${opts.rate} 次/秒`, opts.rateSeconds, opts.rate);
    const pacedCallback = await againstCallback(`回调 ${opts.rate} 次/秒`, opts.rateSeconds, opts.rate);

    const received = settled.callback - refused;
    check(stored.rows === received && standIn.recorded === received, `回调基准：共收到 ${received} 条有效报送，记录 ${stored.rows} 条，回复 ${standIn.recorded} 条。`);
    return {
      connections: opts.connections,
      rate: opts.rate,
      // The body of the last request recorded: autocannon's ids have a fixed length, so all bodies have this size.
      bodyBytes: Buffer.byteLength(messageBody(standIn.url, table.lastMsgId(), now)),
      max: { callback: maxCallback, bare: maxBare },
      paced: { callback: pacedCallback, bare: pacedBare },
      received,
      inFlightAtStop,
      reports: stored.rows,
      replies: standIn.recorded,
    };
  } finally {
    counter?.close();
    try {
      await servers?.close();
    } finally {
      await standIn.close();
      tmp.removeDb(db);
    }
  }
}

