/**
 * What the bot knows when a message arrives: who the sender is, the duties of every unit, the cycle each
 * assignment is in today, and the names units go by. Computed per message from the database, the units
 * directory and the contacts as they are then, so an import or an edited contacts file counts at once.
 */
import type { Channel } from '../channels/channel';
import type { Config } from '../config';
import type { ContactBook } from '../contacts/contacts-file';
import type { UnitDuty } from '../reminders/unit-duties';
import { StatusView, type Assignment, type StatusDeps } from '../status/status-view';
import type { UnitDirectory } from '../units/unit-directory';
import { addTo } from '../multimap';

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

/** The status view of the moment a message arrived, plus the names units go by in chat. */
export class BotContext extends StatusView {
  private readonly names: Map<string, string>;

  constructor(override readonly deps: BotDeps) {
    super(deps);
    let names = namesCache.get(this.duties);
    if (!names) namesCache.set(this.duties, (names = unitNames([...this.duties.keys()], this.directory)));
    this.names = names;
  }

  /** Names and aliases a message may use for a unit. */
  unitNames(): string[] {
    return [...this.names.keys()];
  }

  /** The canonical unit a name means, or null when no unit of the plans goes by it. */
  resolveUnit(name: string): string | null {
    return this.names.get(name.replace(/\s+/g, '')) ?? null;
  }
}

/** Unit names by the duties they were computed from (the duties are cached until the plans or units change). */
const namesCache = new WeakMap<Map<string, UnitDuty[]>, Map<string, string>>();

/**
 * Canonical names, the directory's aliases, and the short form without a leading 区/县/市 (`司法局`) when no
 * other unit has it.
 */
function unitNames(units: readonly string[], directory: UnitDirectory): Map<string, string> {
  const out = new Map<string, string>();
  const known = new Set(units);
  for (const u of units) out.set(u, u);
  for (const [alias, canonical] of directory.aliasEntries()) if (known.has(canonical)) out.set(alias, canonical);
  const short = new Map<string, string[]>();
  for (const u of units) {
    const m = /^[区县市](.{3,})$/.exec(u);
    if (m?.[1]) addTo(short, m[1], u);
  }
  for (const [name, list] of short) if (list.length === 1 && !out.has(name)) out.set(name, list[0] ?? name);
  return out;
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
