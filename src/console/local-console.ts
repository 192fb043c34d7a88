/**
 * The local chat console: what the chat page at `/` does, with no HTTP in it. Visitors pick who they are and talk to
 * the same bot the DingTalk callback hands messages to; the robot's messages are the outbox's, as the console
 * channel delivered them; two buttons queue this cycle's reminders (as `duban remind --now`) and move a simulated
 * clock to the next working day, running the scheduler's tick at each of its times (REMIND_AT, DIGEST_AT, BULLETIN_AT) on the way.
 *
 * Only the console channel lets the page send reminders and move time: with LOCAL_CONSOLE=1 on a real channel the
 * page can talk to the bot, and nothing more.
 */
import { randomUUID } from 'node:crypto';
import { cycleReminders } from '../app/reminder-run';
import { tickTimes } from '../app/schedule-run';
import { summaryLines } from '../app/render-outbox';
import type { ScheduleService } from '../app/schedule-service';
import type { BotHandler } from '../bot/message';
import { addDays, chineseDate, dateInZone, instantOf, monthDay, timeInZone, weekdayName } from '../calendar/civil-date';
import type { WorkdayCalendar } from '../calendar/workday-calendar';
import type { Channel, Destination, OutgoingMessage, Recipient } from '../channels/channel';
import { toIncomingMessage, type RobotMessageBody } from '../channels/dingtalk-incoming';
import { describeCliError } from '../cli-errors';
import { channelKind, localConsole, type Config } from '../config';
import { ROLE_LABELS } from '../contacts/contact';
import type { ContactBook } from '../contacts/contacts-file';
import type { Logger } from '../logger';
import type { Store } from '../store/store';
import type { UnitDirectory } from '../units/unit-directory';
import type { Audience, ChatFeed, FeedEvent, NewEvent, Speaker } from './feed';
import { markdownToHtml } from './markdown';
import { shortTime } from '../status/report-text';
import type { SimulatedClock } from './sim-clock';

/** The group the page plays: the conversation every page message is in. */
export const GROUP_TITLE = '督办群（本机试用）';
export const CONVERSATION_ID = 'local-console';
/** The leader and admin the page offers when LEADER_IDS and ADMIN_IDS are empty (console channel only). */
export const DEMO_LEADER_ID = 'demo-leader';
export const DEMO_ADMIN_ID = 'demo-admin';
/** Someone the contacts do not know: the bot's polite note. */
export const VISITOR_ID = 'visitor';
const DEMO_NAMES: Readonly<Record<string, string>> = { [DEMO_LEADER_ID]: '示例区领导', [DEMO_ADMIN_ID]: '示例管理员', [VISITOR_ID]: '未登记的访客' };

/** How long 「下一个工作日」 waits for a tick's messages to be delivered before it moves the clock on. */
const DELIVERY_WAIT_MS = 10_000;

/** The longest message the page takes, in characters. */
export const MAX_TEXT_CHARS = 2_000;

/**
 * The settings with a demo leader and admin when the local console runs on the console channel and LEADER_IDS or
 * ADMIN_IDS is empty, so a visitor can ask as a leader; the note says so for the log. Never with a real channel.
 */
export function withDemoRoles(config: Config): { config: Config; note: string | null } {
  if (!localConsole(config) || channelKind(config) !== 'console') return { config, note: null };
  const leaders = config.LEADER_IDS.length ? config.LEADER_IDS : [DEMO_LEADER_ID];
  const admins = config.ADMIN_IDS.length ? config.ADMIN_IDS : [DEMO_ADMIN_ID];
  const added = [
    ...(config.LEADER_IDS.length ? [] : [`LEADER_IDS=${DEMO_LEADER_ID}（${DEMO_NAMES[DEMO_LEADER_ID]}）`]),
    ...(config.ADMIN_IDS.length ? [] : [`ADMIN_IDS=${DEMO_ADMIN_ID}（${DEMO_NAMES[DEMO_ADMIN_ID]}）`]),
  ];
  if (added.length === 0) return { config, note: null };
  return {
    config: { ...config, LEADER_IDS: leaders, ADMIN_IDS: admins },
    note: `本机试用：没有设置领导或管理员，聊天页面用示例身份 ${added.join('、')}`,
  };
}

export type Role = '联络员' | '分管领导' | '区领导' | '管理员' | '未登记';

export interface Person {
  id: string;
  name: string;
  role: Role;
  /** The unit the person speaks for in this group of the picker. */
  unit: string | null;
}

export interface PeopleGroup {
  label: string;
  people: Person[];
}

export interface ClockState {
  /** Simulated time, ms. */
  now: number;
  /** `2025年9月15日（星期一）10:00`. */
  text: string;
  /** Working days the page moved the clock forward. */
  workdaysAhead: number;
}

export interface ConsoleState {
  group: string;
  channel: { name: string; label: string };
  /** Whether the buttons work (the console channel runs): otherwise the page only talks to the bot. */
  timeTravel: boolean;
  clock: ClockState;
  people: PeopleGroup[];
  lastSeq: number;
}

export interface LocalConsoleDeps {
  store: Store;
  config: Config;
  logger: Logger;
  calendar: WorkdayCalendar;
  /** The channel reminders go out on. */
  channel: Pick<Channel, 'name' | 'label' | 'maxMarkdownBytes'>;
  /** The chat service's bot, and the units directory and contacts as it reads them. */
  bot: BotHandler;
  directory: () => UnitDirectory;
  contacts: () => ContactBook;
  feed: ChatFeed;
  /** The simulated clock the service runs on; null on a real channel (the page cannot move time then). */
  clock: SimulatedClock | null;
  /** The running scheduler, whose tick queues what falls due (null while it is off). */
  schedule: () => Pick<ScheduleService, 'tick'> | null;
  /** Woken after something was queued. */
  worker: { notify(): void };
}

/** A request the page cannot carry out as things are (a Chinese reason for the visitor). */
export class ConsoleRefusal extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConsoleRefusal';
  }
}

export class LocalConsole {
  private workdaysAhead = 0;
  private advancing = false;

  constructor(private readonly deps: LocalConsoleDeps) {}

  private now(): number {
    return this.deps.clock?.now() ?? Date.now();
  }

  private stamp(at: number): { at: number; time: string } {
    return { at, time: shortTime(at, this.deps.config.TIMEZONE) };
  }

  /** The name the page shows for a DingTalk id: the contacts', the demo roles', or the id. */
  nameOf(id: string): string {
    return this.deps.contacts().byDingtalkId(id)[0]?.name ?? DEMO_NAMES[id] ?? id;
  }

  /** Who a visitor can be: each unit's contacts with a DingTalk id, the leaders, the admins, and a stranger. */
  people(): PeopleGroup[] {
    const byUnit = new Map<string, Person[]>();
    for (const c of this.deps.contacts().contacts) {
      // The bot knows senders by their DingTalk id: someone without one cannot speak to it.
      if (!c.dingtalkId) continue;
      const list = byUnit.get(c.unit) ?? [];
      if (!list.some((p) => p.id === c.dingtalkId)) list.push({ id: c.dingtalkId, name: c.name, role: ROLE_LABELS[c.role] as Role, unit: c.unit });
      byUnit.set(c.unit, list);
    }
    const { config } = this.deps;
    const named = (ids: readonly string[], role: Role): Person[] => ids.map((id) => ({ id, name: this.nameOf(id), role, unit: null }));
    return [
      ...[...byUnit].map(([label, people]) => ({ label, people })),
      ...(config.LEADER_IDS.length ? [{ label: '区领导（LEADER_IDS）', people: named(config.LEADER_IDS, '区领导') }] : []),
      ...(config.ADMIN_IDS.length ? [{ label: '管理员（ADMIN_IDS）', people: named(config.ADMIN_IDS, '管理员') }] : []),
      { label: '其他', people: named([VISITOR_ID], '未登记') },
    ];
  }

  /** The feed's events after `seq`, and new ones as they come. */
  feedSince(seq: number): FeedEvent[] {
    return this.deps.feed.since(seq);
  }

  subscribe(listener: (e: FeedEvent) => void): () => void {
    return this.deps.feed.subscribe(listener);
  }

  clockState(): ClockState {
    const now = this.now();
    const tz = this.deps.config.TIMEZONE;
    const date = dateInZone(now, tz);
    return { now, text: `${chineseDate(date)}（${weekdayName(date)}）${timeInZone(now, tz)}`, workdaysAhead: this.workdaysAhead };
  }

  state(): ConsoleState {
    const { channel, feed } = this.deps;
    return {
      group: GROUP_TITLE,
      channel: { name: channel.name, label: channel.label },
      timeTravel: this.deps.clock !== null,
      clock: this.clockState(),
      people: this.people(),
      lastSeq: feed.lastSeq,
    };
  }

  /**
   * One message from the page, as the DingTalk callback would hand it over: a group message's body mapped by
   * `toIncomingMessage`, answered by the same bot. The message and the answer go to the feed.
   */
  async say(from: string, text: string): Promise<{ said: FeedEvent; answer: FeedEvent | null }> {
    const { feed, logger } = this.deps;
    const at = this.now();
    const known = this.nameOf(from);
    const body: RobotMessageBody = {
      msgId: `console-${randomUUID()}`,
      msgtype: 'text',
      conversationId: CONVERSATION_ID,
      conversationType: '2',
      conversationTitle: GROUP_TITLE,
      text: { content: text },
      senderStaffId: from,
      // DingTalk sends the sender's nickname; a stranger's is not known to the contacts.
      senderNick: known === from ? '' : known,
      createAt: at,
    };
    const message = toIncomingMessage(body, at);
    const speaker: Speaker = { id: from, name: known };
    const said = feed.publish({ type: 'said', ...this.stamp(at), from: speaker, text: message.text });
    logger.info({ msgId: message.msgId, senderId: from, chars: message.text.length }, `本机聊天页面：收到${known}的消息`);
    const reply = await this.deps.bot(message);
    if (!reply) return { said, answer: null };
    const answer = feed.publish({
      type: 'answer',
      ...this.stamp(this.now()),
      to: speaker,
      replyTo: said.seq,
      title: reply.title,
      html: markdownToHtml(reply.markdown),
      mention: reply.mentionSender,
    });
    return { said, answer };
  }

  /** 「发送本期提醒」: what `duban remind --now` queues, sent by the running worker. */
  remindNow(): FeedEvent[] {
    const clock = this.needClock('发送本期提醒');
    const { store, config, calendar, channel, worker } = this.deps;
    const now = new Date(clock.now());
    const contacts = this.deps.contacts();
    if (contacts.contacts.length === 0) {
      throw new ConsoleRefusal(`联络员名单 ${contacts.file} ${contacts.missing ? '不存在' : '中没有可用的联络员'}，没有发送提醒。请先补充联络员名单。`);
    }
    const { cycle, plan, queuedBefore } = cycleReminders({ store, config, directory: this.deps.directory(), contacts, channel, calendar }, now);
    const result = store.outbox.enqueue(plan.drafts, now.getTime());
    if (result.queued) worker.notify();
    const lines = [
      `发送本期提醒（${cycle.label}，截止 ${monthDay(cycle.due)}）：`,
      ...summaryLines(plan, queuedBefore),
      ...(result.skipped ? [`${result.skipped} 个单位本期已提醒过，不再重复发送。`] : []),
      result.queued ? `${result.queued} 个单位的提醒已放入发件箱，马上送达。` : '没有新的提醒要发。',
    ];
    this.deps.logger.info(`本机聊天页面：发送本期提醒，${result.queued} 个单位的提醒放入发件箱`);
    return [this.notice(lines.join(''))];
  }

  /**
   * 「下一个工作日」: the clock moves to the next working day's REMIND_AT, ticking the scheduler at every time it
   * ticks on the way (today's digest included). What a tick queued is delivered before the clock moves on, so
   * each message carries the time it was due.
   */
  async nextWorkday(): Promise<FeedEvent[]> {
    const clock = this.needClock('快进到下一个工作日');
    if (this.advancing) throw new ConsoleRefusal('正在快进到下一个工作日，请等这一次完成后再点。');
    this.advancing = true;
    try {
      return await this.advance(clock);
    } finally {
      this.advancing = false;
    }
  }

  /** Says where the clock goes, ticks on the way, then says what the schedule sent: two notices around the messages. */
  private async advance(clock: SimulatedClock): Promise<FeedEvent[]> {
    const { config, calendar, logger } = this.deps;
    const tz = config.TIMEZONE;
    const from = clock.now();
    const today = dateInZone(from, tz);
    const day = calendar.addWorkdays(today, 1);
    const target = instantOf(day, config.REMIND_AT, tz);
    const times = tickTimes(config);
    const firings: number[] = [];
    for (let d = today; d <= day; d = addDays(d, 1)) {
      for (const t of times) {
        const at = instantOf(d, t, tz);
        if (at > from && at <= target) firings.push(at);
      }
    }
    firings.sort((a, b) => a - b);
    const skipped: string[] = [];
    for (let d = addDays(today, 1); d < day; d = addDays(d, 1)) skipped.push(`${monthDay(d)}${calendar.dayName(d) ?? ''}`);
    const moved = `模拟时间快进到 ${chineseDate(day)}（${weekdayName(day)}）${config.REMIND_AT}${skipped.length ? `（跳过 ${skipped.join('、')}）` : ''}。`;
    logger.info(`本机聊天页面：${moved}`);
    const notices = [this.notice(moved, target)];
    const schedule = config.SCHEDULER === 'off' ? null : this.deps.schedule();
    let queued = 0;
    let failure: string | null = null;
    for (const at of firings) {
      clock.moveTo(at);
      if (!schedule || failure) continue;
      try {
        const tick = schedule.tick();
        // A tick counts what falls due a moment ahead as due now, and queues it for then: the clock catches up.
        if (tick) clock.moveTo(tick.now);
        queued += tick?.queued ?? 0;
        if (tick?.queued) await this.delivered();
      } catch (err) {
        failure = describeCliError(err);
        logger.error({ err }, `本机聊天页面：无法计算要发的提醒：${failure}`);
      }
    }
    clock.moveTo(target);
    this.workdaysAhead++;
    const summary = failure
      ? `无法计算要发的提醒：${failure}`
      : !schedule
        ? '自动提醒已关闭（SCHEDULER=off），不会按时间表发送提醒。'
        : queued
          ? `按提醒时间表，这期间发出 ${queued} 条提醒。`
          : '按提醒时间表，这期间没有要发的提醒。';
    notices.push(this.notice(summary));
    return notices;
  }

  /**
   * Resolves once the channel's queue is empty (the console channel sends at once), or after DELIVERY_WAIT_MS: a
   * message still queued then is delivered later, stamped with a later time.
   */
  private async delivered(): Promise<void> {
    const { store, channel, worker } = this.deps;
    worker.notify();
    const deadline = Date.now() + DELIVERY_WAIT_MS;
    while (store.outbox.queuedCount(channel.name).mine > 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  private needClock(what: string): SimulatedClock {
    if (this.deps.clock) return this.deps.clock;
    throw new ConsoleRefusal(
      `发送渠道是${this.deps.channel.label}，消息会真的发出去，所以本页不能${what}。本页只在没有填写钉钉凭据（本机控制台）时模拟时间；真实渠道请用 duban remind --now。`,
    );
  }

  private notice(text: string, at = this.now()): FeedEvent {
    return this.deps.feed.publish({ type: 'notice', ...this.stamp(at), text });
  }
}

/** `9月15日 10:00`. */
/** A message the console channel delivered, as the page shows it: to whom, and its markdown as HTML. */
export function robotEvent(message: OutgoingMessage, at: number, timeZone: string): NewEvent {
  return { type: 'robot', at, time: shortTime(at, timeZone), title: message.title, html: markdownToHtml(message.markdown), audience: audienceOf(message.to) };
}

function audienceOf(to: Destination): Audience {
  const names = (people: readonly Recipient[]) => people.map((p) => (p.userId && p.name === p.userId ? (DEMO_NAMES[p.userId] ?? p.name) : p.name));
  const ids = (people: readonly Recipient[]) => people.flatMap((p) => (p.userId ? [p.userId] : []));
  switch (to.kind) {
    case 'group':
      return { label: '督办群', ids: ids(to.mention ?? []), names: names(to.mention ?? []), everyone: true };
    case 'unit':
      return { label: `${to.unit}的联络员`, ids: ids(to.people), names: names(to.people), everyone: false };
    case 'person':
      return { label: names([to.person])[0] ?? '', ids: ids([to.person]), names: names([to.person]), everyone: false };
    case 'people':
      return { label: to.label, ids: ids(to.people), names: names(to.people), everyone: false };
  }
}
