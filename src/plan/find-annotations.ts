/**
 * Finds responsibility annotations inside a line of plan text: brackets such as
 * `〔责任单位:区司法局,各镇人民政府(街道办事处)〕` (brackets nest, and `(2020年)` or
 * `(浙委办发〔2019〕46号)` are not annotations) and unit lists glued to the end of a sentence by a
 * flattened table (`…进行督办。市行政审批局市司法局市级相关单位,各区县政府2022年9月底`).
 */
import { bracketDelta } from './brackets';
import { splitTrailingDeadline } from './deadline';
import { LABEL_RE, parseResponsibility, type Responsibility } from './responsibility';

export type LinePart =
  | { kind: 'text'; text: string }
  | { kind: 'annotation'; resp: Responsibility; glued: boolean; deadlineCell: string | null };


function bracketAnnotation(content: string, before: string): Responsibility | null {
  const resp = parseResponsibility(content);
  if (!resp) return null;
  const trimmed = content.trim();
  const labelled = LABEL_RE.test(trimmed);
  const roleVerb = /(牵头|牽頭|参与|參與|配合|负责|負責|落实|落實)/.test(trimmed);
  if (labelled || roleVerb) return resp;
  // A bare unit list counts only where a sentence has just ended: `…推进。(市发改委、市财政局)`
  return /[。;]\s*$/.test(before) || before.trim() === '' ? resp : null;
}

/** A unit list (and deadline) that a flattened table glued after the last sentence. */
function gluedTail(tail: string): { resp: Responsibility; deadlineCell: string | null } | null {
  const split = splitTrailingDeadline(tail);
  const rest = split && split.rest.trim() ? split.rest : tail.trim();
  if (rest.length < 2) return null;
  const resp = parseResponsibility(rest, { requireUnitsOnly: true });
  return resp ? { resp, deadlineCell: split && split.rest.trim() ? split.deadline : null } : null;
}

export interface FindOptions {
  /**
   * Look for unit lists glued after the last sentence. Only where a table lost its cell separators
   * (its header says so): in prose, a wrapped line ending in `…服务中心` would be taken for a unit.
   */
  gluedTails?: boolean;
}

/** Splits one line into text runs and annotations, in order. */
export function findAnnotations(line: string, opts: FindOptions = {}): LinePart[] {
  const parts: LinePart[] = [];
  let textStart = 0;
  let depth = 0;
  let openAt = -1;
  // Brackets inside quotation marks are quoted text (`落实“(责任单位:…)”这一要求`), not annotations.
  let quoted = 0;
  for (let i = 0; i < line.length; i++) {
    const code = line.charCodeAt(i);
    if (code === 0x201c && line.indexOf('\u201d', i) > 0) quoted++;
    else if (code === 0x201d) quoted = Math.max(0, quoted - 1);
    const delta = quoted > 0 && depth === 0 ? 0 : bracketDelta(code);
    if (delta > 0) {
      if (depth === 0) openAt = i;
      depth++;
    } else if (delta < 0 && depth > 0) {
      depth--;
      if (depth === 0 && openAt >= 0) {
        const before = line.slice(textStart, openAt);
        const resp = bracketAnnotation(line.slice(openAt + 1, i), before);
        if (resp) {
          if (before.trim()) parts.push({ kind: 'text', text: before });
          parts.push({ kind: 'annotation', resp, glued: false, deadlineCell: null });
          textStart = i + 1;
        }
        openAt = -1;
      }
    }
  }
  const rest = line.slice(textStart);
  const lastStop = rest.lastIndexOf('。');
  if (opts.gluedTails && lastStop >= 0 && lastStop < rest.length - 1) {
    const tail = gluedTail(rest.slice(lastStop + 1));
    if (tail) {
      parts.push({ kind: 'text', text: rest.slice(0, lastStop + 1) });
      parts.push({ kind: 'annotation', resp: tail.resp, glued: true, deadlineCell: tail.deadlineCell });
      return parts;
    }
  }
  if (rest.trim()) parts.push({ kind: 'text', text: rest });
  return parts;
}
