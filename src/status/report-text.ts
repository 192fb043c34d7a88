/** A report in words: the status labels, a report in one line, and when it was made. */
import { dateTimeInZone, monthDay } from '../calendar/civil-date';
import { plainText, shorten } from '../reminders/reminder-text';
import type { ReportStatus, StoredReport } from '../store/store';

export const STATUS_LABELS: Record<ReportStatus, string> = {
  not_started: '未启动',
  in_progress: '推进中',
  done: '已完成',
  blocked: '有困难',
};

/** `推进中 80%：已完成目录清理` (the text escaped, shortened). */
export function reportSummary(r: Pick<StoredReport, 'status' | 'percent' | 'text'>, chars = 60): string {
  const percent = r.percent !== null ? ` ${r.percent}%` : '';
  const text = r.text.trim() ? `：${plainText(shorten(r.text.replace(/\s+/g, ' ').trim(), chars))}` : '';
  return `${STATUS_LABELS[r.status]}${percent}${text}`;
}

/** `9月28日 10:02` in the users' zone. */
export function shortTime(at: string | number, timeZone: string): string {
  const [date = '', time = ''] = dateTimeInZone(new Date(at), timeZone).split(' ');
  return `${monthDay(date)} ${time}`;
}

