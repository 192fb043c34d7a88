/**
 * Calendar dates (`YYYY-MM-DD`) without a time of day, and the day a moment falls on in a time zone.
 * The process runs in UTC while users live in Asia/Shanghai: nothing here reads the process's local time;
 * date arithmetic runs on UTC midnights, where no daylight-saving shift can move a day.
 */
import { format } from 'date-fns';
import { tz, TZDate } from '@date-fns/tz';

/** A calendar date as `YYYY-MM-DD`. */
export type CivilDate = string;

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isCivilDate(s: string): boolean {
  const m = DATE_RE.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return mo >= 1 && mo <= 12 && d >= 1 && d <= daysInMonth(y, mo);
}

/** Year, month (1–12) and day of a date string. */
export function dateParts(d: CivilDate): { year: number; month: number; day: number } {
  const m = DATE_RE.exec(d);
  if (!m) throw new RangeError(`not a YYYY-MM-DD date: ${d}`);
  return { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
}

export function makeDate(year: number, month: number, day: number): CivilDate {
  return toCivil(new Date(Date.UTC(year, month - 1, day)));
}

function toUtcMidnight(d: CivilDate): Date {
  const { year, month, day } = dateParts(d);
  return new Date(Date.UTC(year, month - 1, day));
}

function toCivil(utcMidnight: Date): CivilDate {
  return utcMidnight.toISOString().slice(0, 10);
}

export function addDays(d: CivilDate, days: number): CivilDate {
  const t = toUtcMidnight(d);
  t.setUTCDate(t.getUTCDate() + days);
  return toCivil(t);
}

/** ISO weekday: 1 = Monday … 7 = Sunday. */
export function isoWeekday(d: CivilDate): number {
  const w = toUtcMidnight(d).getUTCDay();
  return w === 0 ? 7 : w;
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Whole days from `a` to `b` (negative when b is earlier). */
export function daysBetween(a: CivilDate, b: CivilDate): number {
  return Math.round((toUtcMidnight(b).getTime() - toUtcMidnight(a).getTime()) / 86_400_000);
}

/**
 * Since this instant (1980-01-01Z) every zone's offset is a whole number of minutes, so two instants in the same
 * UTC minute are in the same local minute; before it some zones kept local mean time, offset by seconds.
 */
const WHOLE_MINUTE_OFFSETS_SINCE = Date.UTC(1980, 0, 1);

/** The last minute formatted as `yyyy-MM-dd HH:mm`, by zone: one chat message asks for `now` several times. */
let lastMinute = { timeZone: '', minute: Number.NaN, text: '' };

/** `yyyy-MM-dd HH:mm` of an instant in a time zone, formatted once per UTC minute and zone. */
function minuteInZone(instant: Date | number, timeZone: string): string {
  const ms = typeof instant === 'number' ? instant : instant.getTime();
  if (!(ms >= WHOLE_MINUTE_OFFSETS_SINCE)) return format(instant, 'yyyy-MM-dd HH:mm', { in: tz(timeZone) });
  const minute = Math.floor(ms / 60_000);
  if (minute !== lastMinute.minute || timeZone !== lastMinute.timeZone) {
    lastMinute = { timeZone, minute, text: format(instant, 'yyyy-MM-dd HH:mm', { in: tz(timeZone) }) };
  }
  return lastMinute.text;
}

/** The calendar date of an instant in a time zone, e.g. 2025-09-30T17:00Z in Asia/Shanghai → 2025-10-01. */
export function dateInZone(instant: Date | number, timeZone: string): CivilDate {
  return minuteInZone(instant, timeZone).slice(0, 10);
}

/** `HH:mm` of an instant in a time zone. */
export function timeInZone(instant: Date | number, timeZone: string): string {
  return format(instant, 'HH:mm', { in: tz(timeZone) });
}

/** `yyyy-MM-dd HH:mm` (or with `:ss`) of an instant in a time zone: how times are shown to users. */
export function dateTimeInZone(instant: Date | number, timeZone: string, opts: { seconds?: boolean } = {}): string {
  return opts.seconds ? format(instant, 'yyyy-MM-dd HH:mm:ss', { in: tz(timeZone) }) : minuteInZone(instant, timeZone);
}

/** ISO-8601 week-numbering year and week of a date (weeks start on Monday; week 1 holds the first Thursday). */
export function isoWeek(d: CivilDate): { year: number; week: number } {
  const thursday = addDays(d, 4 - isoWeekday(d));
  const year = dateParts(thursday).year;
  const week = Math.floor(daysBetween(makeDate(year, 1, 1), thursday) / 7) + 1;
  return { year, week };
}

const WEEKDAYS = ['星期一', '星期二', '星期三', '星期四', '星期五', '星期六', '星期日'];

/** `星期二`. */
export function weekdayName(d: CivilDate): string {
  return WEEKDAYS[isoWeekday(d) - 1] ?? '';
}

/** `2025年9月30日`. */
export function chineseDate(d: CivilDate): string {
  const { year, month, day } = dateParts(d);
  return `${year}年${month}月${day}日`;
}

/** `9月30日`: a date within the year everyone is talking about. */
export function monthDay(d: CivilDate): string {
  const { month, day } = dateParts(d);
  return `${month}月${day}日`;
}

/** The instant (ms) a wall-clock date and `HH:mm` time mean in a time zone. */
export function instantOf(date: CivilDate, time: string, timeZone: string): number {
  const { year, month, day } = dateParts(date);
  const [h = 0, m = 0] = time.split(':').map(Number);
  return new TZDate(year, month - 1, day, h, m, 0, timeZone).getTime();
}
