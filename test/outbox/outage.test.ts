/**
 * DingTalk down for a simulated ten minutes, then back. The delivery as the service builds it (createDelivery: the
 * robot channel, the worker, the admins' alerts through ALERT_WEBHOOK with ADMIN_IDS), a temp SQLite store with
 * the seed plan and the reminders one scheduler tick queues, and the fake DingTalk on loopback behind a TCP switch.
 * One injected clock, moved by the sleeps, so ten minutes pass in a few real seconds.
 *
 * The outage runs through four phases, each a kind of failure DingTalk or the network gives: connection refused
 * (nothing listens), requests that hang past DINGTALK_TIMEOUT_MS, HTTP 500, and 410100 throttling.
 * `OUTAGE_FIGURES=1 npx jest test/outbox/outage.test.ts` prints the attempts per phase, times and alerts.
 */
import * as path from 'node:path';
import { Writable } from 'node:stream';
import { OUTAGE_ATTEMPTS } from '../../src/alerts/admin-alerts';
import { createDelivery, type Delivery } from '../../src/app/delivery';
import { runTick, type ScheduleContext } from '../../src/app/schedule-run';
import { instantOf } from '../../src/calendar/civil-date';
import { WorkdayCalendar } from '../../src/calendar/workday-calendar';
import { loadConfig } from '../../src/config';
import { loadContacts } from '../../src/contacts/contacts-file';
import { createLogger } from '../../src/logger';
import { backoffDelay, DEFAULT_BACKOFF } from '../../src/outbox/backoff';
import { platformKey, type Sleep } from '../../src/outbox/delivery-worker';
import { virtualClock, type VirtualClock } from '../helpers/fake-clock';
import { startFakeDingtalk, type FakeDingtalk, type FakeRequest } from '../helpers/fake-dingtalk';
import { ROOT } from '../helpers/run-cli';
import { startTcpSwitch, type TcpSwitch } from '../helpers/tcp-switch';
import { loadSeed } from '../reminders/seed-duties';
import { useTempStore } from '../store/temp-db';

const SECRET = 'SECb90923e19e58b466481e9e7b7a5b4f108a4531abde590ad3967fb29f0eae5c68';
/** Sunday 28 September 2025, a working day, 09:00 in Beijing: September's reminders and August's chasers go out. */
const T0 = instantOf('2025-09-28', '09:00', 'Asia/Shanghai');
const OUTAGE_MS = 10 * 60_000;
const TIMEOUT_MS = 200;
const ADMINS = ['admin001', 'admin002'];

type Phase = 'refused' | 'hang' | 'http500' | 'throttled' | 'recovered';
/**
 * When each phase starts, in simulated ms after T0. Retries space out exponentially, so the early phases are
 * short: each must see at least one attempt (checked below).
 */
const PHASES: readonly { phase: Phase; from: number }[] = [
  { phase: 'refused', from: 0 },
  { phase: 'hang', from: 60_000 },
  { phase: 'http500', from: 150_000 },
  { phase: 'throttled', from: 300_000 },
  { phase: 'recovered', from: OUTAGE_MS },
];
const OUTAGE_PHASES = PHASES.filter((p) => p.phase !== 'recovered').map((p) => p.phase);

function phaseAt(time: number): Phase {
  let current: Phase = 'refused';
  for (const p of PHASES) if (time - T0 >= p.from) current = p.phase;
  return current;
}

/** The most attempts of one message the backoff policy allows within `windowMs`: every delay at its shortest. */
function maxAttemptsWithin(windowMs: number): number {
  let attempts = 1;
  let at = 0;
  for (;;) {
    at += backoffDelay(attempts, DEFAULT_BACKOFF, false, () => 0);
    if (at >= windowMs) return attempts;
    attempts += 1;
  }
}

interface LogLine {
  level: number;
  msg: string;
}

function captureLogs(): { stream: Writable; lines: () => LogLine[] } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      chunks.push(chunk.toString('utf8'));
      done();
    },
  });
  const lines = () =>
    chunks
      .join('')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as LogLine);
  return { stream, lines };
}

async function until(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('a ten-minute DingTalk outage', () => {
  const db = useTempStore('duban-outage-');
  let clock: VirtualClock;
  let fake: FakeDingtalk;
  let line: TcpSwitch;
  /** The loops that sleep on the clock: the worker's while it runs, and each admin alert being sent. */
  let running: Delivery | null;
  let workerLoops: number;

  beforeEach(async () => {
    running = null;
    workerLoops = 0;
    clock = virtualClock(T0, () => workerLoops + (running?.alerts?.pending ?? 0));
    fake = await startFakeDingtalk({ secret: SECRET, clock: clock.now, robotTokens: ['group-token', 'admin-token'] });
    line = await startTcpSwitch(fake.port);
  });
  afterEach(async () => {
    await line.close();
    await fake.close();
  });

  /** The webhook of a robot reached through the switch (down while it is off). */
  const switched = (token: string) => `http://127.0.0.1:${line.port}/robot/send?access_token=${token}`;

  /**
   * Injects the outage for the requests of `tokens` and returns the sleep to give the service: it moves the clock,
   * then sets the switch for the phase the clock has reached (off while connections are to be refused).
   */
  function outage(tokens: readonly string[]): Sleep {
    const hit = (phase: Phase) => (r: FakeRequest) => tokens.includes(r.query.access_token ?? '') && phaseAt(r.time) === phase;
    fake.failWhen(hit('hang'), 'hang');
    fake.failWhen(hit('http500'), { status: 500 });
    fake.failWhen(hit('throttled'), { errcode: 410100, errmsg: '发送速度太快而限流' });
    let switching = Promise.resolve();
    const sync = () => (switching = switching.then(() => (phaseAt(clock.now()) === 'refused' ? line.off() : line.on())));
    return async (ms, signal) => {
      await clock.sleep(ms, signal);
      await sync();
    };
  }

  async function service(alertWebhook: string, sleep: Sleep, random: () => number) {
    const logs = captureLogs();
    const logger = createLogger({ level: 'info', format: 'json', destination: logs.stream });
    const config = loadConfig({
      CHANNEL: 'dingtalk-robot',
      DINGTALK_WEBHOOK: switched('group-token'),
      DINGTALK_SECRET: SECRET,
      DINGTALK_TIMEOUT_MS: String(TIMEOUT_MS),
      ALERT_WEBHOOK: alertWebhook,
      ALERT_SECRET: SECRET,
      ADMIN_IDS: ADMINS.join(','),
      REPORT_DUE_DAY: '30',
      REMIND_BEFORE_WORKDAYS: '2',
    });
    const delivery = createDelivery(config, db.store, { clock: clock.now, sleep, random, logger });
    const { directory } = await loadSeed(db.store);
    const ctx: ScheduleContext = {
      store: db.store,
      config,
      directory,
      contacts: loadContacts(path.join(ROOT, 'data', 'contacts.csv'), directory),
      channel: delivery.channel,
      calendar: WorkdayCalendar.create(null),
    };
    const tick = runTick(ctx, clock.now());
    running = delivery;
    return { delivery, logs, tick };
  }

  /** Runs the worker in the background as the service does, until the whole queue is sent. */
  async function runUntilSent(delivery: Delivery, total: number): Promise<{ realMs: number; lastDelivery: number }> {
    const started = Date.now();
    delivery.alerts?.resume();
    workerLoops = 1;
    delivery.worker.start();
    await until(() => db.store.outbox.counts().sent === total, 'the queue to be sent');
    workerLoops = 0;
    await delivery.worker.stop();
    await delivery.alerts?.idle();
    await delivery.alerts?.close(1000);
    const group = fake.delivered.filter((d) => d.robotToken === 'group-token');
    return { realMs: Date.now() - started, lastDelivery: group.at(-1)?.time ?? 0 };
  }

  /** The worker's attempts (as the outbox logged them), by phase. */
  function attemptsByPhase(): Record<Phase, number[]> {
    const out: Record<Phase, number[]> = { refused: [], hang: [], http500: [], throttled: [], recovered: [] };
    for (const t of db.store.outbox.attemptTimes('dingtalk-robot', T0 - 1)) out[phaseAt(t)].push(t);
    return out;
  }

  const toAdmins = () => fake.delivered.filter((d) => d.robotToken === 'admin-token');

  // The retry delays at their shortest (the most attempts), halfway, and at their longest (the latest recovery).
  it.each([0, 0.5, 0.999])('delivers every reminder once, in order, after a bounded number of attempts, and tells the admins once (jitter %p)', async (jitter) => {
    const sleep = outage(['group-token']);
    await line.off();
    const { delivery, logs, tick } = await service(fake.webhookFor('admin-token'), sleep, () => jitter);
    const queued = db.store.outbox.list(['pending']);
    expect(tick.queued).toBeGreaterThanOrEqual(30);
    expect(queued).toHaveLength(tick.queued);

    const { realMs, lastDelivery } = await runUntilSent(delivery, queued.length);

    // Everything delivered, each exactly once, in queue order.
    const group = fake.delivered.filter((d) => d.robotToken === 'group-token');
    expect(group.map((d) => d.msgUuid)).toEqual(queued.map((r) => platformKey(r)));
    expect(group.map((d) => d.title)).toEqual(queued.map((r) => r.title));
    expect(db.store.outbox.counts()).toEqual({ pending: 0, sending: 0, sent: queued.length, failed: 0 });
    expect(group.every((d) => d.time >= T0 + OUTAGE_MS)).toBe(true);

    // Every kind of failure was met, by few attempts: no more than the backoff allows in ten minutes.
    const phases = attemptsByPhase();
    for (const p of OUTAGE_PHASES) expect(phases[p].length).toBeGreaterThan(0);
    const during = OUTAGE_PHASES.flatMap((p) => phases[p]);
    expect(during.length).toBeLessThanOrEqual(maxAttemptsWithin(OUTAGE_MS));
    // …which is a handful, whatever the policy says: ten minutes of outage must not cost a hundred requests.
    expect(during.length).toBeLessThanOrEqual(12);
    // After it, one attempt per message: the backlog went out at the configured rate, DingTalk throttled none.
    expect(phases.recovered).toHaveLength(queued.length);
    // The worker logged each attempt; the fake saw those that reached it, each failing as its phase says.
    const reached = fake.attempts.filter((a) => a.query.access_token === 'group-token');
    expect(reached.filter((a) => phaseAt(a.time) === 'refused')).toHaveLength(0);
    const outcomes = (p: Phase) => reached.filter((a) => phaseAt(a.time) === p).map((a) => a.outcome);
    expect(outcomes('hang')).toEqual(phases.hang.map(() => 'hang'));
    expect(outcomes('http500')).toEqual(phases.http500.map(() => 'failed'));
    expect(outcomes('throttled')).toEqual(phases.throttled.map(() => 'failed'));
    expect(reached.filter((a) => phaseAt(a.time) === 'throttled').map((a) => (a.answer as { errcode: number }).errcode)).toEqual(
      phases.throttled.map(() => 410100),
    );
    // No hot loop: each retry waited at least the shortest delay the policy allows for it (jitter at its lowest),
    // never less than half the base delay.
    const gaps = during.slice(1).map((t, i) => t - during[i]!);
    gaps.forEach((gap, i) => {
      expect(gap).toBeGreaterThanOrEqual(backoffDelay(i + 1, DEFAULT_BACKOFF, false, () => 0));
      expect(gap).toBeGreaterThanOrEqual(DEFAULT_BACKOFF.baseMs / 2);
    });

    // The admins were told once of the outage and once of its end, @-mentioned.
    expect(toAdmins().map((d) => d.title)).toEqual(['督办系统告警：钉钉群机器人暂时无法送达', '督办系统告警：钉钉群机器人已恢复发送']);
    expect(toAdmins().every((d) => JSON.stringify(d.atUserIds) === JSON.stringify(ADMINS))).toBe(true);
    // Decided at the fifth failure in a row, in the first phase; the end at the first message through.
    expect(db.store.alerts.get('outage:dingtalk-robot')).toMatchObject({ sentAt: during[OUTAGE_ATTEMPTS - 1], confirmed: true });
    expect(db.store.alerts.get('recovered:dingtalk-robot')).toMatchObject({ sentAt: group[0]!.time, confirmed: true });

    // One warning per failed attempt, no more: the log grows with the attempts, which the backoff bounds.
    const loud = logs.lines().filter((l) => l.level >= 40);
    expect(loud.filter((l) => /失败，\d+ 秒后重试/.test(l.msg))).toHaveLength(during.length);
    expect(loud.length).toBe(during.length);

    const figures = {
      attemptsPerPhase: Object.fromEntries(Object.entries(phases).map(([p, ts]) => [p, ts.length])),
      boundInTenMinutes: maxAttemptsWithin(OUTAGE_MS),
      attemptTimesS: during.map((t) => (t - T0) / 1000),
      firstDeliveryS: (group[0]!.time - T0) / 1000,
      simulatedS: (lastDelivery - T0) / 1000,
      realMs,
      alerts: toAdmins().map((d) => [d.title, (d.time - T0) / 1000]),
      warnings: loud.length,
    };
    if (process.env.OUTAGE_FIGURES) process.stdout.write(`outage figures (alert robot up, jitter ${jitter}): ${JSON.stringify(figures)}\n`);
  });

  it('tells the admins after DingTalk is back when their own robot was down too, once, late rather than never', async () => {
    // The admins' robot is on the same DingTalk: it fails with the reminders' robot, phase by phase.
    const sleep = outage(['group-token', 'admin-token']);
    await line.off();
    const { delivery, logs } = await service(switched('admin-token'), sleep, () => 0.5);
    const queued = db.store.outbox.list(['pending']);

    const { realMs, lastDelivery } = await runUntilSent(delivery, queued.length);

    const group = fake.delivered.filter((d) => d.robotToken === 'group-token');
    expect(group.map((d) => d.msgUuid)).toEqual(queued.map((r) => platformKey(r)));
    const phases = attemptsByPhase();
    for (const p of OUTAGE_PHASES) expect(phases[p].length).toBeGreaterThan(0);
    const during = OUTAGE_PHASES.flatMap((p) => phases[p]);
    expect(during.length).toBeLessThanOrEqual(maxAttemptsWithin(OUTAGE_MS));

    // Nothing could reach the admins during the outage. Once DingTalk was back they got one alert: the recovery,
    // telling the outage they could not be told of, with its last failure. Not lost, not an outage alert arriving
    // after the outage was over, not repeated.
    const adminTries = fake.attempts.filter((a) => a.query.access_token === 'admin-token');
    expect(toAdmins().map((d) => d.title)).toEqual(['督办系统告警：钉钉群机器人已恢复发送']);
    const told = toAdmins()[0]!;
    expect(told.time).toBe(group[0]!.time);
    expect(told.text).toContain(`“${queued[0]!.title}”已送达，发件箱中积压的消息正按顺序补发。`);
    expect(told.text).toContain('此前钉钉群机器人暂时无法送达，管理员群机器人当时也无法送达，故障告警未能及时发出，现一并告知：');
    expect(told.text).toContain(`已连续 ${during.length} 次发送失败`);
    expect(told.text).toContain('410100');
    expect(told.atUserIds).toEqual(ADMINS);
    expect(db.store.alerts.unconfirmed()).toEqual([]);
    expect(db.store.alerts.get('outage:dingtalk-robot')).toBeUndefined();
    // The admins' robot was tried a bounded number of times meanwhile: its own few retries per occasion, the
    // occasions being the worker's failed attempts.
    const adminTriesDuring = adminTries.filter((a) => phaseAt(a.time) !== 'recovered').length;
    expect(adminTriesDuring).toBeLessThanOrEqual(3 * during.length);
    const loud = logs.lines().filter((l) => l.level >= 40);
    // One error per occasion (each failure from the fifth in a row on), beside the worker's warning per attempt.
    const alertErrors = loud.filter((l) => /^无法通知管理员群（钉钉群机器人暂时无法送达）：.*钉钉恢复后补发。$/.test(l.msg));
    expect(alertErrors).toHaveLength(during.length - OUTAGE_ATTEMPTS + 1);
    expect(loud).toHaveLength(during.length + alertErrors.length);

    const figures = {
      attemptsPerPhase: Object.fromEntries(Object.entries(phases).map(([p, ts]) => [p, ts.length])),
      attemptTimesS: during.map((t) => (t - T0) / 1000),
      // Three tries per failed alert; those refused never reached the fake.
      adminRobotRequestsReachingTheFake: adminTriesDuring,
      simulatedS: (lastDelivery - T0) / 1000,
      realMs,
      alerts: toAdmins().map((d) => [d.title, (d.time - T0) / 1000]),
      warningsAndErrors: loud.length,
      alertErrors: alertErrors.length,
    };
    if (process.env.OUTAGE_FIGURES) process.stdout.write(`outage figures (alert robot down too): ${JSON.stringify(figures)}\n`);
  });
});
