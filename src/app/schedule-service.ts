/**
 * The scheduler inside `npm start`: checks the schedule settings at start (a bad override stops
 * the start), warns loudly about years without holiday data, catches up on what fell due while the service was
 * down, and then ticks at REMIND_AT, DIGEST_AT and BULLETIN_AT. Each tick re-reads the units directory and the contacts, so
 * an admin's edits count from the next tick on.
 */
import type { AdminAlerts } from '../alerts/admin-alerts';
import { addDays, dateInZone, dateTimeInZone } from '../calendar/civil-date';
import type { WorkdayCalendar } from '../calendar/workday-calendar';
import type { Channel } from '../channels/channel';
import { resolvePath, type Config } from '../config';
import { loadContacts } from '../contacts/contacts-file';
import type { Logger } from '../logger';
import { Scheduler } from '../schedule/scheduler';
import type { Store } from '../store/store';
import { loadUnitDirectory, UnitDirectoryError } from '../units/unit-directory';
import { describeCliError } from '../cli-errors';
import { KIND_LABELS, missingYearsWarning } from './render-schedule';
import { dutiesAndRules, runTick, tickTimes, type TickResult } from './schedule-run';

/** How far ahead the start looks for years without holiday data. */
const WARN_AHEAD_DAYS = 90;
/**
 * A timer may fire a hair before its second (clock adjustments): a tick counts reminders due within this much
 * ahead as due now, so the 09:00 reminders never wait for the next firing.
 */
const EARLY_FIRE_MS = 1_000;
/** The admins hear about a missing year again after a week at most. */
const CALENDAR_ALERT_QUIET_MS = 7 * 86_400_000;

export interface ScheduleServiceDeps {
  store: Store;
  config: Config;
  logger: Logger;
  channel: Pick<Channel, 'name' | 'maxMarkdownBytes'>;
  /** Woken after a tick queued something. */
  worker: { notify(): void };
  alerts: AdminAlerts | null;
  /** The working-day calendar (loadCalendar), shared with the chat bot. */
  calendar: WorkdayCalendar;
  clock?: () => number;
}

export interface ScheduleStatus {
  enabled: boolean;
  lastTick: string | null;
  nextRun: string | null;
  /** Years in the coming months the holiday calendar does not know. */
  yearsWithoutCalendar: number[];
}

export interface ScheduleService {
  /** Runs one tick now (the start's catch-up does this too). */
  tick(): TickResult | null;
  status(): ScheduleStatus;
  stop(): void;
}

export function startScheduleService(deps: ScheduleServiceDeps): ScheduleService {
  const { config, logger, store } = deps;
  const clock = deps.clock ?? Date.now;
  if (config.SCHEDULER === 'off') {
    logger.info('自动提醒已关闭（SCHEDULER=off）：只在运行 duban remind --now 时发送提醒');
    return { tick: () => null, status: () => ({ enabled: false, lastTick: null, nextRun: null, yearsWithoutCalendar: [] }), stop: () => {} };
  }
  const { calendar } = deps;
  try {
    // A unit in SCHEDULE_OVERRIDES that is not in the plan stops the start, with the entry named.
    dutiesAndRules({ store, config, directory: loadUnitDirectory(resolvePath(config.UNITS_FILE)) });
  } catch (err) {
    // A broken units file does not keep the service down: each tick reads it again and says what is wrong.
    if (!(err instanceof UnitDirectoryError)) throw err;
  }

  const warned = new Set<number>();
  const warnYears = (from: string, to: string) => {
    const years = calendar.yearsWithoutData(from, to).filter((y) => !warned.has(y));
    if (years.length === 0) return;
    years.forEach((y) => warned.add(y));
    const text = missingYearsWarning(calendar, from, to, config.CALENDAR_FILE) ?? '';
    logger.warn(text);
    deps.alerts?.alert(`calendar-missing:${years.join(',')}`, '督办：节假日数据缺失', text.replace(/！！！/g, ''), CALENDAR_ALERT_QUIET_MS);
  };
  const today = () => dateInZone(clock(), config.TIMEZONE);
  warnYears(today(), addDays(today(), WARN_AHEAD_DAYS));

  const tick = (): TickResult => {
    const directory = loadUnitDirectory(resolvePath(config.UNITS_FILE));
    const contacts = loadContacts(resolvePath(config.CONTACTS_FILE), directory);
    const now = clock() + EARLY_FIRE_MS;
    warnYears(today(), addDays(today(), WARN_AHEAD_DAYS));
    const result = runTick({ store, config, directory, contacts, channel: deps.channel, calendar }, now);
    report(result, logger, config.TIMEZONE);
    if (result.queued) deps.worker.notify();
    return result;
  };

  const scheduler = new Scheduler({
    times: tickTimes(config),
    timeZone: config.TIMEZONE,
    tick,
    onError: (err) => logger.error({ err }, `无法计算要发的提醒，下次定时再试：${describeCliError(err)}`),
  });
  // What fell due while the service was down goes out now, once (an error is logged like a timed tick's).
  void scheduler.fire();
  scheduler.start();
  const next = scheduler.nextRun();
  logger.info(`自动提醒已开启：每天 ${tickTimes(config).join('、')}（${config.TIMEZONE}）检查要发的提醒，下次 ${next ? dateTimeInZone(next.getTime(), config.TIMEZONE) : '无'}`);
  return {
    tick,
    status: () => {
      const last = store.schedule.lastTick();
      const run = scheduler.nextRun();
      return {
        enabled: true,
        lastTick: last === null ? null : new Date(last).toISOString(),
        nextRun: run ? run.toISOString() : null,
        yearsWithoutCalendar: calendar.yearsWithoutData(today(), addDays(today(), WARN_AHEAD_DAYS)),
      };
    },
    stop: () => scheduler.stop(),
  };
}

function report(result: TickResult, logger: Logger, timeZone: string): void {
  const { due, queued, skipped, superseded, unreachable } = result;
  if (due.length) {
    const kinds = [...new Set(due.map((d) => KIND_LABELS[d.kind]))].join('、');
    logger.info(
      { queued, skipped, since: new Date(result.since).toISOString() },
      `提醒（${kinds}）：${queued} 条放入发件箱${skipped ? `，${skipped} 条之前已发过` : ''}` +
        `${result.since < result.now - 86_400_000 ? `（补发 ${dateTimeInZone(result.since, timeZone)} 以来服务停止期间错过的提醒）` : ''}`,
    );
  }
  if (superseded.length) logger.info(`补发时省略了 ${superseded.length} 条较早的提醒：同一单位同一期只补发最近的一条`);
  for (const { item, reason } of unreachable) {
    logger.warn(`${KIND_LABELS[item.kind]}（${item.cycle}${item.unit ? `，${item.unit}` : ''}）无法发送：${reason}`);
  }
}
