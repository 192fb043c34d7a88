/**
 * The words and marks the dashboard shows for a colour, a reason, a role and a report. Colours always come with
 * their word (红灯/黄灯/绿灯), so a reader who cannot tell the colours apart reads the same board.
 */
import { chineseDate, dateTimeInZone, monthDay, weekdayName } from '../calendar/civil-date';
import { cycleLabelOf } from '../schedule/cycle';
import { LIGHT_LABELS, type Light } from '../status/light';
import { reasonText as reasonWords } from '../status/task-verdict';
import type { AssignmentStatus } from '../status/status-view';
import type { Role, StoredReport } from '../store/store';
import { shortTime, STATUS_LABELS } from '../bot/reply-text';
import { html, type Html } from './html';

/** `红灯` on red. */
export function lightBadge(light: Light): Html {
  return html`<span class="light light-${light}">${LIGHT_LABELS[light]}</span>`;
}

/** The one-character form inside a board cell: `红`. */
export function lightShort(light: Light): string {
  return LIGHT_LABELS[light].slice(0, 1);
}

export function roleName(role: Role): string {
  return role === 'lead' ? '牵头' : '配合';
}

/** `牵` or `配`. */
export function roleMark(role: Role): string {
  return role === 'lead' ? '牵' : '配';
}

export function roleBadge(role: Role): Html {
  return html`<span class="role role-${role}">${roleName(role)}</span>`;
}

/** `逾期未报送 10 个工作日`: the words the 台账 and the 通报 use (task-verdict.ts). */
export function reasonText(a: Pick<AssignmentStatus, 'reason' | 'lateDays'>): string {
  return reasonWords(a.reason, a.lateDays);
}

/** `推进中 80%：已完成目录清理` (whitespace folded; escaped where it is inserted). */
export function reportText(r: Pick<StoredReport, 'status' | 'percent' | 'text'>): string {
  const percent = r.percent !== null ? ` ${r.percent}%` : '';
  const text = r.text.replace(/\s+/g, ' ').trim();
  return `${STATUS_LABELS[r.status]}${percent}${text ? `：${text}` : ''}`;
}

/** `2025年8月报送，9月1日 10:00，张三`. */
export function reportSource(r: Pick<StoredReport, 'cycle' | 'reportedAt' | 'reporterName'>, timeZone: string): string {
  return [`${cycleLabelOf(r.cycle)}报送`, shortTime(r.reportedAt, timeZone), r.reporterName].filter(Boolean).join('，');
}

/** `9月30日（星期二）`. */
export function dueText(date: string): string {
  return `${monthDay(date)}（${weekdayName(date)}）`;
}

/** `2025年9月15日 10:00`. */
export function asOfText(now: number, timeZone: string): string {
  const [date = '', time = ''] = dateTimeInZone(now, timeZone).split(' ');
  return `${chineseDate(date)} ${time}`;
}

/** A task text cut to `chars` characters for a table cell (the page shows the whole text elsewhere). */
export function shortText(text: string, chars: number): string {
  const list = [...text];
  return list.length <= chars ? text : `${list.slice(0, chars).join('')}…`;
}
