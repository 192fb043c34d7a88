/**
 * Receiving chat messages inside `npm start`: the bot (reading the units directory and the contacts again when
 * their files change), the replier, and the receiver DINGTALK_MODE asks for — the HTTP callback at
 * POST /dingtalk/callback, or Stream mode. The bot is there in every mode: the local chat page hands it messages
 * too.
 */
import * as fs from 'node:fs';
import { createBot, type BotDeps } from '../bot/bot';
import type { BotHandler } from '../bot/message';
import type { WorkdayCalendar } from '../calendar/workday-calendar';
import type { Channel } from '../channels/channel';
import { DingtalkAppChannel } from '../channels/dingtalk-app';
import { createDingtalkReplier } from '../channels/dingtalk-reply';
import { startDingtalkStream, type DingtalkStream } from '../channels/dingtalk-stream';
import { SenderLimit } from '../channels/sender-limit';
import { receiveMode, resolvePath, type Config } from '../config';
import { loadContacts, type ContactBook } from '../contacts/contacts-file';
import { createDingtalkCallback, type DingtalkCallback } from '../http/dingtalk-callback';
import { RecentIds } from '../http/recent-ids';
import type { Logger } from '../logger';
import type { Store } from '../store/store';
import { loadUnitDirectory, type UnitDirectory } from '../units/unit-directory';

/** `load()` again only when the file's size or modification time changed since the last call. */
export function whenChanged<T>(file: string, load: () => T): () => T {
  let stamp = '';
  let value: T | undefined;
  return () => {
    let now = 'missing';
    try {
      const s = fs.statSync(file);
      now = `${s.size}:${s.mtimeMs}`;
    } catch {
      // A missing file is a state too: the loader says what that means.
    }
    if (value === undefined || now !== stamp) {
      value = load();
      stamp = now;
    }
    return value;
  };
}

export interface ChatService {
  mode: 'http' | 'stream' | 'off';
  /** The HTTP callback, when DINGTALK_MODE is http. */
  callback: DingtalkCallback | null;
  /** The bot the receivers hand messages to. */
  bot: BotHandler;
  /** The units directory and the contacts as the bot reads them (again after their files changed). */
  directory: () => UnitDirectory;
  contacts: () => ContactBook;
  /** Resolves when the messages received so far are answered; then stops receiving. */
  stop(): Promise<void>;
}

export function startChatService(deps: {
  store: Store;
  config: Config;
  logger: Logger;
  calendar: WorkdayCalendar;
  channel: Pick<Channel, 'name' | 'maxMarkdownBytes'>;
  onQueued: () => void;
  /** The bot's time (the local chat page's simulated clock); the system clock by default. */
  clock?: () => number;
  /** The `看板` command's signed link to the dashboard. */
  dashboardLink?: BotDeps['dashboardLink'];
}): ChatService {
  const { config, logger } = deps;
  const mode = receiveMode(config);
  const unitsFile = resolvePath(config.UNITS_FILE);
  const contactsFile = resolvePath(config.CONTACTS_FILE);
  const directory: () => UnitDirectory = whenChanged(unitsFile, () => loadUnitDirectory(unitsFile));
  let contactsFor: UnitDirectory | null = null;
  let contactsCache: () => ContactBook = () => loadContacts(contactsFile, directory());
  const contacts = () => {
    const dir = directory();
    if (dir !== contactsFor) {
      // A new directory may resolve aliases differently: read the contacts again with it.
      contactsFor = dir;
      contactsCache = whenChanged(contactsFile, () => loadContacts(contactsFile, dir));
    }
    return contactsCache();
  };
  const bot = createBot({ store: deps.store, config, directory, contacts, calendar: deps.calendar, channel: deps.channel, onQueued: deps.onQueued, clock: deps.clock, dashboardLink: deps.dashboardLink, logger });
  const loaders = { bot, directory, contacts };
  if (mode === 'off') return { mode, callback: null, ...loaders, stop: async () => {} };
  const app =
    config.DINGTALK_APP_KEY && config.DINGTALK_APP_SECRET
      ? new DingtalkAppChannel({
          appKey: config.DINGTALK_APP_KEY,
          appSecret: config.DINGTALK_APP_SECRET,
          robotCode: config.DINGTALK_ROBOT_CODE,
          apiBase: config.DINGTALK_API_BASE,
          timeoutMs: config.DINGTALK_TIMEOUT_MS,
        })
      : null;
  const replier = createDingtalkReplier({ app, timeoutMs: config.DINGTALK_TIMEOUT_MS, onWarning: (text) => logger.warn(text) });
  const seen = new RecentIds();
  // One count per sender, whichever way the message came.
  const perMinute = config.CALLBACK_RATE_PER_MINUTE;
  const limit = perMinute === null ? undefined : new SenderLimit({ perMinute, clock: deps.clock });
  if (mode === 'http') {
    const callback = createDingtalkCallback({ appSecret: config.DINGTALK_APP_SECRET ?? '', bot, replier, logger, seen, limit });
    logger.info(`接收钉钉消息：HTTP 回调 POST /dingtalk/callback${app ? '' : '（未设置 DINGTALK_APP_KEY：sessionWebhook 过期后无法回复）'}`);
    return { mode, callback, ...loaders, stop: () => callback.idle() };
  }
  const stream: DingtalkStream = startDingtalkStream({ appKey: config.DINGTALK_APP_KEY ?? '', appSecret: config.DINGTALK_APP_SECRET ?? '', bot, replier, logger, seen, limit });
  logger.info('接收钉钉消息：Stream 模式（由本服务主动连接钉钉）');
  return {
    mode,
    callback: null,
    ...loaders,
    stop: async () => {
      stream.stop();
      await stream.idle();
    },
  };
}
