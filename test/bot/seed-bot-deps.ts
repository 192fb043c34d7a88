/** The bot's dependencies as the bot tests use them: the seed plan in a temp store, a contacts list, a clock. */
import type { BotDeps } from '../../src/bot/bot';
import { WorkdayCalendar } from '../../src/calendar/workday-calendar';
import { loadConfig } from '../../src/config';
import { contactBookFromText } from '../../src/contacts/contacts-file';
import type { Store } from '../../src/store/store';
import { loadSeed } from '../reminders/seed-duties';

/** Loads the seed plan into `store`; September is due on the 30th, leader-01 leads and admin-01 administers. */
export async function seedBotDeps(store: Store, contactsCsv: string, clock: () => number): Promise<BotDeps> {
  const { directory } = await loadSeed(store);
  const contacts = contactBookFromText(contactsCsv, directory);
  return {
    store,
    config: loadConfig({ REPORT_DUE_DAY: '30', LEADER_IDS: 'leader-01', ADMIN_IDS: 'admin-01' }),
    directory: () => directory,
    contacts: () => contacts,
    calendar: WorkdayCalendar.create(null),
    channel: { name: 'dingtalk-robot', maxMarkdownBytes: 16_000 },
    clock,
  };
}
