/** Shared pieces of the bot's answers: status words, a report in one line, colours, and the answer's frame and size. */
export { STATUS_LABELS, reportSummary, shortTime } from '../status/report-text';
import type { BotReply } from './message';
import { utf8Bytes } from '../reminders/split-parts';
import { LIGHT_EMOJI, LIGHT_LABELS, REASON_LABELS, type LightCounts, type LightVerdict } from '../status/light';

/** Answers stay well under DingTalk's 20,000-byte message limit. */
export const MAX_ANSWER_BYTES = 12_000;

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
