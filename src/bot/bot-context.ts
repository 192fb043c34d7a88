/**
 * What the bot knows when a message arrives: who the sender is, the duties of every unit, the cycle each
 * assignment is in today, and the names units go by. Computed per message from the database, the units
 * directory and the contacts as they are then, so an import or an edited contacts file counts at once.
 */
import type { Channel } from '../channels/channel';
import type { Config } from '../config';
import type { ContactBook } from '../contacts/contacts-file';
import { StatusView, type Assignment, type StatusDeps } from '../status/status-view';

export interface BotDeps extends StatusDeps {
  contacts: () => ContactBook;
  /** Where a leader's 催办 is queued. */
  channel: Pick<Channel, 'name' | 'maxMarkdownBytes'>;
  /** Called after a 催办 was queued (wakes the delivery worker). */
  onQueued?: () => void;
  /** A signed, expiring link to the web dashboard (`看板`); absent when the dashboard is not served. */
  dashboardLink?: (nowMs: number) => { url: string; expiresAt: number };
}

export interface Speaker {
  id: string;
  name: string;
  isLeader: boolean;
  isAdmin: boolean;
  /** Units the sender reports for (as liaison or 分管领导), canonical names. */
  units: string[];
}

export type { Assignment };

/** The status view of the moment a message arrived (unit names resolve as in status-view.ts). */
export class BotContext extends StatusView {
  constructor(override readonly deps: BotDeps) {
    super(deps);
  }
}

/** Who is speaking: the contacts say which units; LEADER_IDS and ADMIN_IDS name leaders and admins. */
export function identify(senderId: string | null, nick: string, contacts: ContactBook, config: Config): Speaker | null {
  if (!senderId) return null;
  const entries = contacts.byDingtalkId(senderId);
  const isLeader = config.LEADER_IDS.includes(senderId);
  const isAdmin = config.ADMIN_IDS.includes(senderId);
  if (entries.length === 0 && !isLeader && !isAdmin) return null;
  const units = [...new Set(entries.map((c) => c.unit))];
  return { id: senderId, name: entries[0]?.name ?? (nick || senderId), isLeader, isAdmin, units };
}
