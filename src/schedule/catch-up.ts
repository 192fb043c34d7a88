/**
 * Which reminders a tick queues. A tick at 09:00 finds exactly that morning's reminders. After a stop, the
 * window since the last tick may hold many: then only the latest of each stream is sent (a unit's reminders for
 * one cycle; its escalation; its deadline reminders for one deadline; the digest), not one per missed day, and
 * none whose successor fires later the same day anyway. Pure; the outbox drops what was queued before.
 */
import { instantOf, type CivilDate } from '../calendar/civil-date';
import type { AgendaItem } from './agenda';

/** How far back a start looks for reminders it missed. */
export const CATCH_UP_DAYS = 31;

/** The stream an item belongs to: in it, a later reminder makes an earlier unsent one pointless. */
export function streamOf(item: AgendaItem): string {
  switch (item.kind) {
    case 'before':
    case 'due':
    case 'overdue':
      return `chase|${item.unit ?? ''}|${item.cycle}`;
    case 'escalate':
      return `escalate|${item.unit ?? ''}`;
    case 'deadline':
      return `deadline|${item.unit ?? ''}|${item.cycle}`;
    case 'digest':
      return 'digest';
    case 'bulletin':
      return 'bulletin';
  }
}

export interface DueSelection {
  /** To queue now. */
  due: AgendaItem[];
  /** Fired while nobody was ticking, and left out: a later reminder of the same stream replaces them. */
  superseded: AgendaItem[];
}

/**
 * From the agenda of the days since the last tick (through today), the items to queue at `now`: those that fired
 * in (since, now], the latest per stream, unless the stream fires again later today. A deadline reminder whose
 * deadline has passed is dropped.
 */
export function selectDue(items: readonly AgendaItem[], since: number, now: number, timeZone: string, today: CivilDate): DueSelection {
  const latest = new Map<string, { item: AgendaItem; at: number }>();
  const superseded: AgendaItem[] = [];
  const laterToday = new Set<string>();
  for (const item of items) {
    const at = instantOf(item.date, item.time, timeZone);
    const stream = streamOf(item);
    if (at > now) {
      if (item.date === today) laterToday.add(stream);
      continue;
    }
    if (at <= since) continue;
    const seen = latest.get(stream);
    if (!seen || at >= seen.at) {
      if (seen) superseded.push(seen.item);
      latest.set(stream, { item, at });
    } else {
      superseded.push(item);
    }
  }
  const due: AgendaItem[] = [];
  for (const [stream, { item }] of latest) {
    const stale = (item.kind === 'deadline' && (item.deadlineDue ?? item.cycle) < today) || (laterToday.has(stream) && item.date !== today);
    if (stale) superseded.push(item);
    else due.push(item);
  }
  const order = new Map(items.map((item, i) => [item, i]));
  return { due: due.sort((a, b) => (order.get(a) ?? 0) - (order.get(b) ?? 0)), superseded };
}
