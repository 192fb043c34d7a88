/**
 * Delivery rate: the real DingtalkRobotChannel and DeliveryWorker, wired by createDelivery from settings
 * (DINGTALK_WEBHOOK, DINGTALK_SECRET, DINGTALK_RATE_PER_MINUTE), sending reminder texts to a loopback HTTP
 * server that stands in for `/robot/send`, on the system clock and real timers.
 *
 * The outbox counts attempts in a sliding window (RATE_WINDOW_MS, 61 s) and lets a message go as soon as fewer
 * than the limit were made in it; it does not space messages out. So:
 * - steady state: the window is first filled with `rate` earlier attempts, evenly spaced as after a minute of
 *   sending at the limit (rows written straight into outbox_attempts); each new message then waits for the
 *   oldest to leave the window, and the pace measured is the limiter's own;
 * - cold start: nothing was sent in the last window, so up to `rate` messages go out back to back; the time per
 *   message, beside bare axios POSTs of the same bodies to the same server, is the worker's overhead.
 */
import axios from 'axios';
import { createDelivery } from '../src/app/delivery';
import { DingtalkRobotChannel, robotMarkdownBody } from '../src/channels/dingtalk-robot';
import { loadConfig, type Config } from '../src/config';
import { platformKey } from '../src/outbox/delivery-worker';
import { utf8Bytes } from '../src/reminders/split-parts';
import { partTitle, RATE_WINDOW_MS } from '../src/store/outbox-store';
import { Store, type OutboxDraft } from '../src/store/store';
import { openRaw } from './baseline';
import { timeAsync, type Reps, type Timing } from './measure';
import { BenchCheckError } from './plan-import.bench';
import { startRobotServer, type RobotServer } from './robot-server';
import type { TempFiles } from './temp-files';

function check(ok: boolean, message: string): void {
  if (!ok) throw new BenchCheckError(message);
}

const CHANNEL = 'dingtalk-robot';
const SECRET = 'SECbench0123456789abcdef';
/** DingTalk's own counting window: what "N a minute" means to the platform. */
const PLATFORM_WINDOW_MS = 60_000;
/** Time allowed to write the earlier attempts and queue the messages before the steady run starts. */
const START_GUARD_MS = 250;

export interface DeliveryOptions {
  /** DINGTALK_RATE_PER_MINUTE. */
  rate: number;
  /** Length of the steady-state run; it sends rate × seconds / 60 messages. */
  seconds: number;
  /** Repetitions of the cold-start and bare-POST runs. */
  reps: Reps;
}

export interface DeliveryBench {
  rate: number;
  /** Messages of each run. */
  messages: number;
  /** Average and largest JSON request body. */
  avgBodyBytes: number;
  maxBodyBytes: number;
  steady: {
    /** From the first to the last attempt of the run: (messages − 1) intervals. */
    spanMs: number;
    /** From drain() called to drain() resolved. */
    wallMs: number;
    perMinute: number;
    /** Most attempts (earlier ones included) in any 60 s / 61 s window. */
    maxIn60s: number;
    maxIn61s: number;
    /** Longest gap between two consecutive sends of the run, and the interval the limiter allows. */
    maxGapMs: number;
    intervalMs: number;
  };
  /** drain() of `messages` queued messages with an empty window, and the same number of bare POSTs. */
  cold: Timing;
  bare: Timing;
}

interface Sample {
  unit: string | null;
  destination: OutboxDraft['destination'];
  title: string;
  markdown: string;
}

/** `n` single-part drafts with the reminder texts, cycling through them; group keys tagged so runs never clash. */
function draftsFrom(samples: readonly Sample[], n: number, tag: string): OutboxDraft[] {
  return Array.from({ length: n }, (_, i) => {
    const s = samples[i % samples.length] as Sample;
    return {
      groupKey: `remind|${tag}|${s.unit}#${i}`,
      channel: CHANNEL,
      kind: 'remind',
      cycle: tag,
      unit: s.unit,
      destination: s.destination,
      title: s.title,
      parts: [s.markdown],
    };
  });
}

function settings(webhook: string, rate: number): Config {
  return loadConfig({
    CHANNEL: CHANNEL,
    DINGTALK_WEBHOOK: webhook,
    DINGTALK_SECRET: SECRET,
    DINGTALK_RATE_PER_MINUTE: String(rate),
    DINGTALK_TIMEOUT_MS: '10000',
  });
}

/** Most timestamps (sorted) in any closed window `[t − windowMs, t]`: as the outbox counts, both ends included. */
function maxInWindow(times: readonly number[], windowMs: number): number {
  let best = 0;
  let from = 0;
  for (let to = 0; to < times.length; to++) {
    while ((times[to] as number) - (times[from] as number) > windowMs) from++;
    best = Math.max(best, to - from + 1);
  }
  return best;
}

/** Checks that the server got every message of the store exactly once, with the worker's idempotency keys. */
function verifyDelivered(store: Store, server: RobotServer, drafts: readonly OutboxDraft[], what: string): void {
  const counts = store.outbox.counts();
  check(
    counts.pending === 0 && counts.sending === 0 && counts.failed === 0,
    `${what}：发送后仍有 ${counts.pending} 条待发、${counts.sending} 条发送中、${counts.failed} 条失败。`,
  );
  const expected = drafts.map((d) => platformKey({ key: `${d.groupKey}#1` }));
  const got = new Set(server.uuids);
  check(
    server.rejected === 0 && server.uuids.length === drafts.length && got.size === drafts.length && expected.every((k) => got.has(k)),
    `${what}：模拟服务收到 ${server.uuids.length} 个请求（${got.size} 个不同 msgUuid，${server.rejected} 个被拒），应为 ${drafts.length} 条各一次。`,
  );
}

export async function benchDelivery(reminders: readonly OutboxDraft[], opts: DeliveryOptions, tmp: TempFiles): Promise<DeliveryBench> {
  const samples: Sample[] = reminders.flatMap((d) =>
    d.parts.map((markdown, i) => ({ unit: d.unit, destination: d.destination, title: partTitle(d.title, i + 1, d.parts.length), markdown })),
  );
  check(samples.length > 0, '投递基准：没有可发送的提醒。');
  const n = Math.max(2, Math.round((opts.rate * opts.seconds) / 60));
  check(n <= opts.rate, `投递基准：每次 ${n} 条，应不超过限速 ${opts.rate} 条/分（冷启动一轮不应触发限速）。`);
  const server = await startRobotServer();
  const config = settings(server.webhook, opts.rate);
  const bodies = draftsFrom(samples, n, 'bodies').map((d) =>
    robotMarkdownBody({ key: platformKey({ key: `${d.groupKey}#1` }), title: d.title, markdown: d.parts[0] as string, to: d.destination }),
  );
  const bodyBytes = bodies.map((b) => utf8Bytes(JSON.stringify(b)));
  try {
    // —— steady state ——
    const file = tmp.nextDb();
    const store = Store.open(file);
    let steady: DeliveryBench['steady'];
    try {
      const { channel, worker } = createDelivery(config, store);
      check(channel instanceof DingtalkRobotChannel, `投递基准：按设置应得到钉钉群机器人渠道，实际为 ${channel.label}。`);
      // The last window's attempts: `rate` messages already sent, evenly spaced, the oldest leaving the window
      // just as the worker starts (their texts do not matter, so they are short).
      const history = draftsFrom(samples, opts.rate, 'history').map((d) => ({ ...d, parts: ['（此前已发送）'] }));
      const drafts = draftsFrom(samples, n, 'steady');
      const intervalMs = RATE_WINDOW_MS / opts.rate;
      const startAt = Date.now() + START_GUARD_MS;
      store.outbox.enqueue(history, startAt - RATE_WINDOW_MS);
      const raw = openRaw(file);
      try {
        raw.transaction(() => {
          const ids = raw.prepare("SELECT id FROM outbox WHERE cycle = 'history' ORDER BY id").pluck().all() as number[];
          const sent = raw.prepare("UPDATE outbox SET status = 'sent', attempts = 1, sent_at = @sentAt WHERE id = @id");
          const attempt = raw.prepare("INSERT INTO outbox_attempts (outbox_id, channel, at, outcome) VALUES (@id, @channel, @at, 'ok')");
          ids.forEach((id, k) => {
            const at = Math.ceil(startAt - RATE_WINDOW_MS + k * intervalMs);
            sent.run({ id, sentAt: new Date(at).toISOString() });
            attempt.run({ id, channel: CHANNEL, at });
          });
        }).immediate();
      } finally {
        raw.close();
      }
      store.outbox.enqueue(drafts, Date.now());
      server.reset();
      const early = startAt - Date.now();
      check(early > 0, `稳态投递：准备用时超过 ${START_GUARD_MS} ms，窗口中最早的发送已提前移出，结果会偏高。`);
      await new Promise((resolve) => setTimeout(resolve, early));
      const started = Date.now();
      await worker.drain(started + opts.seconds * 2000 + 10_000);
      const wallMs = Date.now() - started;
      const counts = store.outbox.counts();
      check(counts.sent === opts.rate + n, `稳态投递：应共有 ${opts.rate + n} 条已发送，实际 ${counts.sent} 条（未在时限内发完？）。`);
      verifyDelivered(store, server, drafts, '稳态投递');
      const all = store.outbox.attemptTimes(CHANNEL, 0);
      const mine = all.filter((t) => t >= startAt);
      check(mine.length === n, `稳态投递：本轮应有 ${n} 次发送尝试，实际 ${mine.length} 次。`);
      const spanMs = (mine[mine.length - 1] as number) - (mine[0] as number);
      let maxGapMs = 0;
      for (let i = 1; i < mine.length; i++) maxGapMs = Math.max(maxGapMs, (mine[i] as number) - (mine[i - 1] as number));
      steady = {
        spanMs,
        wallMs,
        perMinute: ((n - 1) * 60_000) / spanMs,
        maxIn60s: maxInWindow(all, PLATFORM_WINDOW_MS),
        maxIn61s: maxInWindow(all, RATE_WINDOW_MS),
        maxGapMs,
        intervalMs,
      };
    } finally {
      store.close();
      tmp.removeDb(file);
    }

    // —— cold start: the same number of messages, nothing sent in the last window ——
    let run = 0;
    const cold = await timeAsync(
      opts.reps,
      () => {
        const f = tmp.nextDb();
        const s = Store.open(f);
        const drafts = draftsFrom(samples, n, `cold${++run}`);
        s.outbox.enqueue(drafts, Date.now());
        server.reset();
        return { f, s, drafts, worker: createDelivery(config, s).worker };
      },
      (state) => state.worker.drain(Date.now() + 60_000),
      (state) => {
        try {
          verifyDelivered(state.s, server, state.drafts, '冷启动投递');
        } finally {
          state.s.close();
          tmp.removeDb(state.f);
        }
      },
    );

    // —— baseline: bare POSTs of the same bodies, one after another, no outbox, no signature ——
    const bare = await timeAsync(
      opts.reps,
      () => server.reset(),
      async () => {
        for (const body of bodies) {
          const res = await axios.post<string>(server.webhook, JSON.stringify(body), {
            headers: { 'content-type': 'application/json; charset=utf-8' },
            responseType: 'text',
          });
          if (res.status !== 200) throw new BenchCheckError(`裸 POST：HTTP ${res.status}`);
        }
      },
    );
    check(server.uuids.length === n && server.rejected === 0, `裸 POST：模拟服务收到 ${server.uuids.length} 个请求，应为 ${n} 个。`);

    return {
      rate: opts.rate,
      messages: n,
      avgBodyBytes: bodyBytes.reduce((a, b) => a + b, 0) / bodyBytes.length,
      maxBodyBytes: Math.max(...bodyBytes),
      steady,
      cold,
      bare,
    };
  } finally {
    await server.close();
  }
}
