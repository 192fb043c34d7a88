/**
 * The schedule as the service, `duban schedule` and `duban remind` use it: the settings read from the config, the
 * working-day calendar, the overrides resolved against the units directory, and the reminders of a window of
 * days turned into outbox drafts.
 */
import * as fs from 'node:fs';
import type { Channel, Destination, Recipient } from '../channels/channel';
import { dateInZone, dateTimeInZone, instantOf } from '../calendar/civil-date';
import { loadCalendarFile } from '../calendar/calendar-file';
import { WorkdayCalendar } from '../calendar/workday-calendar';
import { resolvePath, type Config } from '../config';
import { dutiesAndRules, type PlanDuties } from '../schedule/plan-duties';
import type { ContactBook } from '../contacts/contacts-file';
import { reminderGroupKey, unitReminderDraft } from '../reminders/build-reminders';
import { splitIntoParts } from '../reminders/split-parts';
import { bulletin } from '../status/bulletin';
import { StatusView } from '../status/status-view';
import { digestDraft } from '../reminders/digest';
import { agenda, type AgendaItem } from '../schedule/agenda';
import { CATCH_UP_DAYS, selectDue } from '../schedule/catch-up';
import type { ScheduleSettings } from '../schedule/firings';
import { partnerLines } from '../status/partners';
import type { OutboxDraft, Store } from '../store/store';
import type { UnitDirectory } from '../units/unit-directory';

export { defaultRule, dutiesAndRules, planTrees, resolveOverrides, ScheduleSetupError, type PlanDuties } from '../schedule/plan-duties';

/** The times of day the scheduler ticks, earliest first: every time some kind of reminder fires at. */
export function tickTimes(config: Pick<Config, 'REMIND_AT' | 'DIGEST_AT' | 'BULLETIN_AT'>): string[] {
  return [...new Set([config.REMIND_AT, config.DIGEST_AT, config.BULLETIN_AT].filter((t): t is string => t !== null))].sort();
}

export function scheduleSettings(config: Config): ScheduleSettings {
  return {
    remindAt: config.REMIND_AT,
    digestAt: config.DIGEST_AT,
    bulletinAt: config.BULLETIN_AT,
    beforeWorkdays: config.REMIND_BEFORE_WORKDAYS,
    overdueEvery: config.OVERDUE_EVERY_WORKDAYS,
    escalateAfter: config.ESCALATE_AFTER_WORKDAYS,
    dueOnHoliday: config.DUE_ON_HOLIDAY,
  };
}

/**
 * The working-day calendar: chinese-days plus CALENDAR_FILE. The default file may be absent; a file the admin
 * named must exist.
 * @throws CalendarFileError when the file is missing or malformed.
 */
export function loadCalendar(config: Config, env: NodeJS.ProcessEnv = process.env): WorkdayCalendar {
  const file = resolvePath(config.CALENDAR_FILE);
  const named = (env.CALENDAR_FILE ?? '').trim() !== '';
  if (!named && !fs.existsSync(file)) return WorkdayCalendar.create(null);
  return WorkdayCalendar.create(loadCalendarFile(file));
}

export interface ScheduleContext {
  store: Store;
  config: Config;
  directory: UnitDirectory;
  contacts: ContactBook;
  channel: Pick<Channel, 'name' | 'maxMarkdownBytes'>;
  calendar: WorkdayCalendar;
}

/** Every reminder in [from, to] given the reports as they stand. */
export function agendaBetween(
  ctx: Pick<ScheduleContext, 'store' | 'config' | 'directory' | 'calendar'>,
  from: string,
  to: string,
  { duties, ruleOf }: PlanDuties = dutiesAndRules(ctx),
): AgendaItem[] {
  return agenda({
    duties,
    ruleOf,
    settings: scheduleSettings(ctx.config),
    calendar: ctx.calendar,
    statesFor: (cycle) => ctx.store.reports.statesForCycle(cycle),
    from,
    to,
  });
}

/** Whether a message to the group itself can be delivered on this channel (the 浙政钉 work notice has none). */
function groupReachable(ctx: ScheduleContext): boolean {
  if (ctx.channel.name === 'zzd') return false;
  if (ctx.channel.name === 'dingtalk-app') return ctx.config.DINGTALK_GROUP_ID !== undefined;
  return true;
}

/** LEADER_IDS as recipients, named from the contacts when they are listed there. */
export function leaders(ctx: Pick<ScheduleContext, 'config' | 'contacts'>): Recipient[] {
  return ctx.config.LEADER_IDS.map((id) => {
    const c = ctx.contacts.byDingtalkId(id)[0];
    return { name: c?.name ?? id, mobile: c?.mobile ?? null, userId: id };
  });
}

function asRecipient(c: { name: string; mobile: string | null; dingtalkId: string | null }): Recipient {
  return { name: c.name, mobile: c.mobile, userId: c.dingtalkId };
}

/** People first, the group when nobody is named and the channel has one; null when nobody can be told. */
function toPeople(ctx: ScheduleContext, label: string, people: Recipient[]): Destination | null {
  const seen = new Set<string>();
  const unique = people.filter((p) => {
    const key = p.userId ?? p.mobile ?? p.name;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  if (unique.length) return { kind: 'people', label, people: unique };
  return groupReachable(ctx) ? { kind: 'group' } : null;
}

export interface DraftResult {
  drafts: OutboxDraft[];
  /** Reminders that cannot go out, with the reason (no liaison, no leader…). */
  unreachable: { item: AgendaItem; reason: string }[];
}

/** The messages of agenda items, written at `now`. */
export function draftsFor(ctx: ScheduleContext, items: readonly AgendaItem[], now: number, { duties }: PlanDuties = dutiesAndRules(ctx)): DraftResult {
  const tz = ctx.config.TIMEZONE;
  const today = dateInZone(now, tz);
  const planIds = new Set([...duties.values()].flatMap((list) => list.map((d) => d.planId)));
  const reportedUnits = new Map<string, Set<string>>();
  const unitsReporting = (cycle: string) => {
    let set = reportedUnits.get(cycle);
    if (!set) reportedUnits.set(cycle, (set = new Set(ctx.store.reports.statesForCycle(cycle).filter((s) => s.reportedInCycle).map((s) => s.unit))));
    return set;
  };
  const out: DraftResult = { drafts: [], unreachable: [] };
  const bosses = leaders(ctx);
  const partners = partnerLines(ctx.store, duties, tz);
  const bulletinDays = new Set<string>();
  for (const item of items) {
    if (item.kind === 'bulletin') {
      // One 通报 a day, of the board's main cycle, even when overrides give other rules a close that day too.
      if (bulletinDays.has(item.date)) continue;
      bulletinDays.add(item.date);
      const destination = toPeople(ctx, '区领导', bosses);
      if (!destination) {
        out.unreachable.push({ item, reason: '没有设置 LEADER_IDS（领导的钉钉ID），浙政钉工作通知又不能发到群' });
        continue;
      }
      out.drafts.push(bulletinDraft(ctx, item, now, destination));
      continue;
    }
    if (item.kind === 'digest') {
      const destination = toPeople(ctx, '区领导', bosses);
      if (!destination) {
        out.unreachable.push({ item, reason: '没有设置 LEADER_IDS（领导的钉钉ID），浙政钉工作通知又不能发到群' });
        continue;
      }
      out.drafts.push(
        digestDraft({
          cycle: item.cycleInfo,
          units: item.roster,
          states: ctx.store.reports.statesForCycle(item.cycle),
          asOf: dateTimeInZone(now, tz),
          date: item.date,
          destination,
          channel: ctx.channel,
        }),
      );
      continue;
    }
    const unit = item.unit ?? '';
    const liaisons = ctx.contacts.liaisonsOf(unit);
    let destination: Destination | null;
    if (item.kind === 'escalate') {
      const heads = ctx.contacts.leadersOf(unit).map(asRecipient);
      destination = toPeople(ctx, heads.length ? `${unit}分管领导和区领导` : '区领导', [...heads, ...bosses]);
      if (!destination) {
        out.unreachable.push({ item, reason: `联络员名单中没有${unit}的分管领导，也没有设置 LEADER_IDS` });
        continue;
      }
    } else {
      if (liaisons.length === 0) {
        out.unreachable.push({ item, reason: `联络员名单中没有${unit}的联络员` });
        continue;
      }
      destination = { kind: 'unit', unit, people: liaisons.map(asRecipient) };
    }
    const others = [...unitsReporting(item.cycleInfo.id)].filter((u) => u !== unit && duties.has(u)).length;
    out.drafts.push(
      unitReminderDraft({
        kind: item.kind,
        cycle: item.cycleInfo,
        unit,
        workdays: item.workdays,
        deadline: item.kind === 'deadline' ? item.cycle : undefined,
        taskCount: item.tasks.length,
        tasks: item.tasks,
        destination,
        channel: ctx.channel,
        keyCycle: item.cycle,
        date: item.date,
        othersReported: others,
        totalUnits: duties.size,
        showPlanTitles: planIds.size > 1,
        today,
        liaisonNames: item.kind === 'escalate' ? liaisons.map((c) => c.name) : undefined,
        partners,
      }),
    );
  }
  return out;
}

/** The 通报 of the cycle that closed (status as it stands at `now`), split into parts the channel takes. */
function bulletinDraft(ctx: ScheduleContext, item: AgendaItem, now: number, destination: Destination): OutboxDraft {
  const view = new StatusView({ store: ctx.store, config: ctx.config, directory: () => ctx.directory, calendar: ctx.calendar, clock: () => now });
  const { markdown } = bulletin(view, 'previous');
  const [header = '', ...rest] = markdown.split('\n\n');
  // A block per heading (`**…**`) so a long 通报 splits between its lists.
  const blocks: string[][] = [];
  for (const p of rest) {
    const last = blocks[blocks.length - 1];
    if (!last || p.startsWith('**') || p.startsWith('#')) blocks.push([p]);
    else last.push(p);
  }
  return {
    groupKey: reminderGroupKey('bulletin', item.cycle, '', ctx.channel.name, item.date),
    channel: ctx.channel.name,
    kind: 'bulletin',
    cycle: item.cycle,
    unit: null,
    destination,
    title: `督办通报：${item.cycleInfo.label}工作要点落实情况`,
    parts: splitIntoParts({ header, blocks, footer: '' }, ctx.channel.maxMarkdownBytes),
  };
}

export interface TickResult {
  /** The window the tick covered: (since, now]. */
  since: number;
  now: number;
  /** Items due in the window and queued (or already queued before: the outbox keeps one of each). */
  due: AgendaItem[];
  /** Missed items left out because a later reminder of the same stream replaces them. */
  superseded: AgendaItem[];
  /** Messages queued now, and drafts whose key was queued before. */
  queued: number;
  skipped: number;
  unreachable: DraftResult['unreachable'];
}

/**
 * One tick of the scheduler: the reminders that fell due since the last tick (at most CATCH_UP_DAYS back; on the
 * very first tick, since midnight) are queued, the latest per stream, in one transaction with the new tick time,
 * so a crash either queues them and moves the tick or does neither. Their keys make a repeat a no-op.
 */
export function runTick(ctx: ScheduleContext, now: number): TickResult {
  const tz = ctx.config.TIMEZONE;
  const today = dateInZone(now, tz);
  const last = ctx.store.schedule.lastTick();
  const since = last === null ? instantOf(today, '00:00', tz) - 1 : Math.max(Math.min(last, now), now - CATCH_UP_DAYS * 86_400_000);
  // The plans are read once for the whole tick.
  const plans = dutiesAndRules(ctx);
  const items = agendaBetween(ctx, dateInZone(since + 1, tz), today, plans);
  const { due, superseded } = selectDue(items, since, now, tz, today);
  const { drafts, unreachable } = draftsFor(ctx, due, now, plans);
  const result = ctx.store.transaction(() => {
    const r = ctx.store.outbox.enqueue(drafts, now);
    ctx.store.schedule.setLastTick(now);
    return r;
  });
  return { since, now, due, superseded, queued: result.queued, skipped: result.skipped, unreachable };
}
