/**
 * Memory of the running bot: the real service (`node dist/main.js`, as `npm start` runs it) in a process of its own,
 * beside a bare `node:http` server process (bare-server.ts) given the same callback load.
 *
 * The service starts on an empty temporary database and imports the seed plan itself (PLAN_FILE), with the shipped
 * units directory, contacts and calendar, sending through a loopback stand-in for DingTalk's robot webhook
 * (robot-server.ts) and receiving signed callbacks (DINGTALK_APP_SECRET), logging JSON at level info into a pipe the
 * benchmark reads. Once it has started and settled, its resident size is read (idle). Then:
 * - a reminder cycle: this cycle's reminders are queued in its database, as `duban remind --now` queues them, and a
 *   leader's signed 「催办 区司法局」 makes the bot queue one more message and wake its delivery worker, which sends the
 *   whole outbox to the robot stand-in (every message once);
 * - a burst of signed callbacks, each a new report (callback.bench.ts' request), from autocannon at full speed: every
 *   one is answered 2xx, recorded once and replied to once through the sessionWebhook stand-in.
 * Its peak resident size (VmHWM, kept by the kernel) is read before it is stopped with SIGTERM, which it must answer
 * by exiting 0. The bare server gets the same burst, the same way, and is stopped the same way.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { cycleReminders } from '../src/app/reminder-run';
import { createDelivery } from '../src/app/delivery';
import { loadCalendar } from '../src/app/schedule-run';
import { loadConfig, SETTING_NAMES } from '../src/config';
import { loadContacts } from '../src/contacts/contacts-file';
import { CALLBACK_PATH } from '../src/http/dingtalk-callback';
import { Store } from '../src/store/store';
import { loadUnitDirectory } from '../src/units/unit-directory';
import {
  APP_SECRET,
  checkClean,
  fire,
  reportCounter,
  signedRequest,
  startSessionStandIn,
  type ReportCounter,
  type SessionStandIn,
  type SignedRequest,
} from './callback.bench';
import { BenchCheckError } from './plan-import.bench';
import { exitReport, MemoryWatch, procAvailable } from './proc-memory';
import { startRobotServer, type RobotServer } from './robot-server';
import type { TempFiles } from './temp-files';

function check(ok: boolean, message: string): void {
  if (!ok) throw new BenchCheckError(message);
}

export interface MemoryOptions {
  /** Signed callbacks of the burst, sent by this many connections at full speed. */
  callbacks: number;
  connections: number;
}

export interface ProcessFigures {
  /** Bytes resident once started and settled; null without /proc. */
  idle: number | null;
  /** VmHWM when started and settled: the start's own peak; null without /proc. */
  startPeak: number | null;
  /** Most bytes ever resident, read before the stop; null when unknown. */
  peak: number | null;
  /** Milliseconds from spawn to the ready line. */
  startMs: number;
  /** The burst: its length in seconds, and 2xx answers a second. */
  burstSeconds: number;
  perSecond: number;
  /** The exit code after SIGTERM. */
  exitCode: number | null;
}

export interface MemoryBench {
  /** Where the figures come from. */
  source: 'proc' | 'resourceUsage';
  callbacks: number;
  connections: number;
  bare: ProcessFigures;
  service: ProcessFigures & {
    /** The reminder cycle: messages (one per unit with a liaison) and their parts, plus the leader's 催办. */
    cycleMessages: number;
    cycleParts: number;
    /** Robot messages delivered (the cycle's parts and the 催办). */
    delivered: number;
    /** Reports recorded and replies sent during the burst. */
    reports: number;
    replies: number;
  };
}

const LEADER = { staffId: 'bench-leader', nick: '示例领导', text: '催办 区司法局' };
const URGED = '已向区司法局的联络员';
const START_TIMEOUT_MS = 30_000;
/** After the ready line: the start's last asynchronous work (first delivery check, timers) settles. */
const SETTLE_MS = 500;
const DELIVERY_TIMEOUT_MS = 30_000;
/** How long the bot may take, after the burst was answered, to record and reply to every message. */
const DRAIN_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 20_000;
/** Lines of a child's output kept for an error message. */
const KEEP_LINES = 40;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function until(done: () => boolean, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (!done()) {
    if (Date.now() >= deadline) return false;
    await sleep(20);
  }
  return true;
}

/** A node process the benchmark started, with the JSON lines it printed (the last few kept) and its exit. */
interface Child {
  child: ChildProcess;
  /** Resolves with the first printed JSON line that `match` accepts. */
  line<T>(match: (rec: Record<string, unknown>) => T | undefined, ms: number, what: string): Promise<T>;
  tail(): string;
  exited: Promise<number | null>;
}

function startNode(script: string, args: { cwd: string; env: NodeJS.ProcessEnv; execArgv: string[] }): Child {
  const child = spawn(process.execPath, [...args.execArgv, script], { cwd: args.cwd, env: args.env, stdio: ['ignore', 'pipe', 'pipe'] });
  const kept: string[] = [];
  const waiting = new Set<(rec: Record<string, unknown>) => void>();
  let buf = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    buf += chunk.toString('utf8');
    const parts = buf.split('\n');
    buf = parts.pop() ?? '';
    for (const text of parts) {
      kept.push(text);
      if (kept.length > KEEP_LINES) kept.shift();
      if (waiting.size === 0) continue;
      let rec: Record<string, unknown>;
      try {
        rec = JSON.parse(text) as Record<string, unknown>;
      } catch {
        continue;
      }
      for (const w of [...waiting]) w(rec);
    }
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    kept.push(chunk.toString('utf8').trimEnd());
    if (kept.length > KEEP_LINES) kept.shift();
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const tail = (): string => kept.join('\n');
  return {
    child,
    exited,
    tail,
    line: <T>(match: (rec: Record<string, unknown>) => T | undefined, ms: number, what: string) =>
      new Promise<T>((resolve, reject) => {
        const done = (err: Error | null, value?: T): void => {
          clearTimeout(timer);
          waiting.delete(look);
          if (err) reject(err);
          else resolve(value as T);
        };
        const look = (rec: Record<string, unknown>): void => {
          const value = match(rec);
          if (value !== undefined) done(null, value);
        };
        const timer = setTimeout(() => done(new BenchCheckError(`${what}：${ms / 1000} s 内没有等到。输出：\n${tail()}`)), ms);
        waiting.add(look);
        void exited.then((code) => done(new BenchCheckError(`${what}：进程意外退出（退出码 ${code}）。输出：\n${tail()}`)));
      }),
  };
}

/** SIGTERM, then the exit code; a process that does not stop in time is killed and the benchmark fails. */
async function stopChild(c: Child, what: string): Promise<number | null> {
  if (c.child.exitCode !== null) return c.child.exitCode;
  c.child.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const code = await Promise.race([c.exited, new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), STOP_TIMEOUT_MS)))]);
  clearTimeout(timer);
  if (code === 'late') {
    c.child.kill('SIGKILL');
    await c.exited;
    throw new BenchCheckError(`${what}：收到 SIGTERM 后 ${STOP_TIMEOUT_MS / 1000} s 内没有退出，已强制结束。输出：\n${c.tail()}`);
  }
  return code;
}

/** Memory of one child from start to stop: /proc while it runs, or its own report at exit where there is no /proc. */
class Meter {
  private readonly watch: MemoryWatch | null;
  private readonly report: ReturnType<typeof exitReport> | null;

  constructor(
    readonly pid: number,
    report: ReturnType<typeof exitReport> | null,
  ) {
    this.report = report;
    this.watch = report ? null : new MemoryWatch(pid);
    this.watch?.start();
  }

  /** Resident bytes now and the peak so far (null without /proc). */
  now(): { rss: number | null; hwm: number | null } {
    const m = this.watch?.sample() ?? null;
    return { rss: m?.rss ?? null, hwm: m?.hwm ?? null };
  }

  /** Before the stop: the peak so far (null without /proc: read `afterExit` then). */
  beforeStop(): number | null {
    return this.watch ? this.watch.stop().peak : null;
  }

  afterExit(peak: number | null): number | null {
    return this.report ? this.report.read() : peak;
  }
}

/** Node's arguments and environment for a child, with the exit report where there is no /proc. */
function measured(tmp: TempFiles, name: string, useProc: boolean): { execArgv: string[]; env: Record<string, string>; report: ReturnType<typeof exitReport> | null } {
  if (useProc) return { execArgv: [], env: {}, report: null };
  const report = exitReport(path.join(tmp.dir, `${name}-rss.json`));
  return { execArgv: report.execArgv, env: report.env, report };
}

async function burst(url: string, request: SignedRequest, opts: MemoryOptions, what: string): Promise<{ seconds: number; perSecond: number; ok: number }> {
  const { run, result } = await fire(url, request, opts.connections, { amount: opts.callbacks });
  checkClean(result, what);
  check(run.ok === opts.callbacks, `${what}：应收到 ${opts.callbacks} 个 2xx 应答，实际 ${run.ok} 个。`);
  return { seconds: run.seconds, perSecond: run.perSecond, ok: run.ok };
}

/** The bare server's process: started, settled, given the burst, stopped. */
async function measureBare(opts: MemoryOptions, request: SignedRequest, tmp: TempFiles, useProc: boolean): Promise<ProcessFigures> {
  const m = measured(tmp, 'bare', useProc);
  const started = Date.now();
  const c = startNode(path.join(__dirname, 'bare-server.js'), { cwd: tmp.dir, env: { ...process.env, ...m.env }, execArgv: m.execArgv });
  try {
    const port = await c.line((r) => (typeof r.port === 'number' ? r.port : undefined), START_TIMEOUT_MS, '裸 node:http 服务启动');
    const startMs = Date.now() - started;
    const meter = new Meter(c.child.pid ?? 0, m.report);
    await sleep(SETTLE_MS);
    const idle = meter.now();
    const load = await burst(`http://127.0.0.1:${port}${CALLBACK_PATH}`, request, opts, '裸服务（内存）');
    const peak = meter.beforeStop();
    const requests = c.line((r) => (typeof r.requests === 'number' ? r.requests : undefined), STOP_TIMEOUT_MS, '裸服务停止');
    // Awaited after the stop; a failure before then must not count as unhandled.
    requests.catch(() => {});
    const exitCode = await stopChild(c, '裸服务');
    const received = await requests;
    check(exitCode === 0, `裸服务收到 SIGTERM 后退出码为 ${exitCode}，应为 0。`);
    check(received === opts.callbacks, `裸服务收到 ${received} 个请求，应为 ${opts.callbacks} 个。`);
    return { idle: idle.rss, startPeak: idle.hwm, peak: meter.afterExit(peak), startMs, burstSeconds: load.seconds, perSecond: load.perSecond, exitCode };
  } finally {
    if (c.child.exitCode === null && c.child.signalCode === null) {
      c.child.kill('SIGKILL');
      await c.exited;
    }
  }
}

/** The service's settings: every duban setting blanked (a developer's .env must not reach it), then the bench's. */
function serviceEnv(root: string, db: string, robot: RobotServer): Record<string, string> {
  const blank = Object.fromEntries(SETTING_NAMES.map((name) => [name, '']));
  return {
    ...blank,
    DB_PATH: db,
    PLAN_FILE: path.join(root, 'test', 'fixtures', 'seed-xiuzhou-2020.txt'),
    UNITS_FILE: path.join(root, 'data', 'units.yaml'),
    CONTACTS_FILE: path.join(root, 'data', 'contacts.csv'),
    CALENDAR_FILE: path.join(root, 'data', 'calendar.yaml'),
    PORT: '0',
    HOST: '127.0.0.1',
    SCHEDULER: 'off',
    LOG_LEVEL: 'info',
    LOG_FORMAT: 'json',
    DINGTALK_WEBHOOK: robot.webhook,
    DINGTALK_RATE_PER_MINUTE: '6000',
    DINGTALK_MODE: 'http',
    DINGTALK_APP_SECRET: APP_SECRET,
    // The burst comes from one liaison: the per-sender limit would drop all but 20 a minute.
    CALLBACK_RATE_PER_MINUTE: 'off',
    LEADER_IDS: LEADER.staffId,
  };
}

/** Queues this cycle's reminders in the service's database, as `duban remind --now` does before it sends them. */
function queueCycle(env: Record<string, string>, db: string): { messages: number; parts: number } {
  const config = loadConfig(env);
  const store = Store.open(db);
  try {
    const directory = loadUnitDirectory(config.UNITS_FILE);
    const contacts = loadContacts(config.CONTACTS_FILE, directory);
    const calendar = loadCalendar(config, env);
    const { channel } = createDelivery(config, store);
    const { plan } = cycleReminders({ store, config, directory, contacts, channel, calendar }, new Date());
    check(plan.drafts.length > 0, '内存基准：本期没有要发的提醒（种子计划的单位都应有联络员）。');
    const queued = store.outbox.enqueue(plan.drafts, Date.now());
    check(queued.queued === plan.drafts.length, `内存基准：本期 ${plan.drafts.length} 条提醒只入队 ${queued.queued} 条。`);
    return { messages: plan.drafts.length, parts: queued.messages };
  } finally {
    store.close();
  }
}

async function measureService(opts: MemoryOptions, session: SessionStandIn, root: string, tmp: TempFiles, useProc: boolean): Promise<MemoryBench['service']> {
  const main = path.join(root, 'dist', 'main.js');
  check(fs.existsSync(main), `内存基准：没有找到 ${main}，请先运行 npm run build（npm run bench 会先构建）。`);
  const db = tmp.nextDb();
  const robot = await startRobotServer();
  let counter: ReportCounter | null = null;
  let c: Child | null = null;
  try {
    const env = serviceEnv(root, db, robot);
    const m = measured(tmp, 'service', useProc);
    const started = Date.now();
    const svc = (c = startNode(main, { cwd: root, env: { ...process.env, ...env, ...m.env }, execArgv: m.execArgv }));
    const port = await svc.line(
      (r) => (typeof r.msg === 'string' && r.msg.startsWith('督办服务已启动') && typeof r.port === 'number' ? r.port : undefined),
      START_TIMEOUT_MS,
      '督办服务启动',
    );
    const startMs = Date.now() - started;
    const meter = new Meter(svc.child.pid ?? 0, m.report);
    await sleep(SETTLE_MS);
    const idle = meter.now();
    const url = `http://127.0.0.1:${port}${CALLBACK_PATH}`;

    // —— a reminder cycle, delivered by the service's worker ——
    const cycle = queueCycle(env, db);
    const urge = await fetch(url, { method: 'POST', ...signedRequest(session.url, Date.now(), 'bench-urge-1', LEADER) });
    const urgeText = await urge.text();
    check(urge.status === 200 && urgeText === '{}', `内存基准：领导的催办应答 200 {}，实际 ${urge.status} ${urgeText}。`);
    check(await until(() => session.other >= 1, DELIVERY_TIMEOUT_MS), `内存基准：${DELIVERY_TIMEOUT_MS / 1000} s 内没有收到催办的回复。`);
    check(session.last.includes(URGED), `内存基准：催办的回复应含“${URGED}”，实际：${session.last.slice(0, 200)}`);
    // The 催办 is one message of one part at least.
    const delivered = await until(() => robot.accepted > cycle.parts, DELIVERY_TIMEOUT_MS);
    await sleep(200);
    check(
      delivered && robot.rejected === 0 && new Set(robot.uuids).size === robot.accepted,
      `内存基准：机器人模拟服务应收到本期 ${cycle.parts} 段提醒和 1 条催办，各一次；实际收到 ${robot.accepted} 个（不同 msgUuid ${new Set(robot.uuids).size} 个），拒收 ${robot.rejected} 个。`,
    );

    // —— a burst of callbacks, each a new report ——
    const table = (counter = reportCounter(db));
    const load = await burst(url, signedRequest(session.url, Date.now()), opts, '督办服务（内存）');
    const settled = await until(() => session.recorded >= opts.callbacks && table.read().rows >= opts.callbacks, DRAIN_TIMEOUT_MS);
    await sleep(200);
    const stored = table.read();
    check(
      settled && stored.rows === opts.callbacks && stored.messages === stored.rows && stored.right === stored.rows && session.recorded === opts.callbacks,
      `内存基准：${opts.callbacks} 条报送应各记录一行、各回复一次；实际记录 ${stored.rows} 行（不同 msgId ${stored.messages} 个，内容正确 ${stored.right} 行），回复 ${session.recorded} 条。`,
    );
    counter.close();
    counter = null;

    const peak = meter.beforeStop();
    const exitCode = await stopChild(svc, '督办服务');
    check(exitCode === 0, `督办服务收到 SIGTERM 后退出码为 ${exitCode}，应为 0。输出：\n${svc.tail()}`);
    check(svc.tail().includes('服务已停止，数据库已关闭'), `督办服务收到 SIGTERM 后应记录“服务已停止，数据库已关闭”。输出：\n${svc.tail()}`);
    return {
      idle: idle.rss,
      startPeak: idle.hwm,
      peak: meter.afterExit(peak),
      startMs,
      burstSeconds: load.seconds,
      perSecond: load.perSecond,
      exitCode,
      cycleMessages: cycle.messages,
      cycleParts: cycle.parts,
      delivered: robot.accepted,
      reports: stored.rows,
      replies: session.recorded,
    };
  } finally {
    counter?.close();
    if (c && c.child.exitCode === null && c.child.signalCode === null) {
      c.child.kill('SIGKILL');
      await c.exited;
    }
    await robot.close();
    tmp.removeDb(db);
  }
}

export async function benchServiceMemory(opts: MemoryOptions, root: string, tmp: TempFiles): Promise<MemoryBench> {
  const useProc = procAvailable();
  const session = await startSessionStandIn();
  try {
    // The same request as the service's burst (the bare server sends no reply to the sessionWebhook).
    const bare = await measureBare(opts, signedRequest(session.url, Date.now()), tmp, useProc);
    const service = await measureService(opts, session, root, tmp, useProc);
    return { source: useProc ? 'proc' : 'resourceUsage', callbacks: opts.callbacks, connections: opts.connections, bare, service };
  } finally {
    await session.close();
  }
}
