/** Shared pieces of the bot's answers: status words, a report in one line, and the answer's frame and size. */
import type { BotReply } from './message';
import { plainText, shorten } from '../reminders/reminder-text';
import { utf8Bytes } from '../reminders/split-parts';
import type { ReportStatus, StoredReport } from '../store/store';
import { dateTimeInZone, monthDay } from '../calendar/civil-date';
import { LIGHT_EMOJI, LIGHT_LABELS, REASON_LABELS, type LightCounts, type LightVerdict } from '../status/light';

export const STATUS_LABELS: Record<ReportStatus, string> = {
  not_started: '未启动',
  in_progress: '推进中',
  done: '已完成',
  blocked: '有困难',
};

/** Answers stay well under DingTalk's 20,000-byte message limit. */
export const MAX_ANSWER_BYTES = 12_000;

/** `推进中 80%：已完成目录清理` (the text escaped, shortened). */
export function reportSummary(r: Pick<StoredReport, 'status' | 'percent' | 'text'>, chars = 60): string {
  const percent = r.percent !== null ? ` ${r.percent}%` : '';
  const text = r.text.trim() ? `：${plainText(shorten(r.text.replace(/\s+/g, ' ').trim(), chars))}` : '';
  return `${STATUS_LABELS[r.status]}${percent}${text}`;
}

/** `9月28日 10:02` in the users' zone. */
export function shortTime(iso: string, timeZone: string): string {
  const [date = '', time = ''] = dateTimeInZone(new Date(iso), timeZone).split(' ');
  return `${monthDay(date)} ${time}`;
}

/**
 * The answer: paragraphs joined the way DingTalk's markdown needs (blank lines), cut at a paragraph boundary
 * when too long with a note saying how much was left out.
 */
export function answer(title: string, paragraphs: readonly string[], mentionSender = true): BotReply {
  const out: string[] = [];
  let bytes = 0;
  for (let i = 0; i < paragraphs.length; i++) {
    const p = paragraphs[i] ?? '';
    const cost = utf8Bytes(p) + 2;
    if (bytes + cost > MAX_ANSWER_BYTES) {
      out.push(`……（内容较多，以下 ${paragraphs.length - i} 段未显示，请缩小查询范围，例如发“第4项”或单位名称）`);
      break;
    }
    out.push(p);
    bytes += cost;
  }
  return { title, markdown: out.join('\n\n'), mentionSender };
}

/** `🔴 红灯 3`, `🟡 黄灯 1` and `🟢 绿灯 15`, separated by ideographic spaces. */
export function lightCounts(c: LightCounts): string {
  return (['red', 'yellow', 'green'] as const).map((l) => `${LIGHT_EMOJI[l]} ${LIGHT_LABELS[l]} ${c[l]}`).join('\u3000');
}

/** `🔴 逾期未报送 3 个工作日` / `🟡 有困难`: an assignment's colour and why. */
export function lightText(a: LightVerdict): string {
  const days = a.lateDays !== null && a.lateDays > 0 ? ` ${a.lateDays} 个工作日` : '';
  return `${LIGHT_EMOJI[a.light]} ${REASON_LABELS[a.reason]}${days}`;
}
