/**
 * Clean-ups of the plan body before its structure is read: attachments after the plan, notes that
 * state the lead rule for the whole plan, and brackets that a wrapped line split in two.
 */
import { bracketDelta } from './brackets';
import { findAnnotations } from './find-annotations';
import { ITEM_RE, PAREN_CN_RE, PAREN_NUM_RE, SECTION_RE } from './numbering';
import { LABEL_RE, parseResponsibility, RULE_RE } from './responsibility';
import { looksLikeUnit } from './unit-names';

const ATTACHMENT_RE = /^附件\s*([0-9一二三四五六七八九十]+)?\s*[:：]?\s*\S{0,40}$/;

function isHeading(line: string): boolean {
  return SECTION_RE.test(line) || PAREN_CN_RE.test(line) || ITEM_RE.test(line) || PAREN_NUM_RE.test(line);
}

/**
 * Cuts the body at an attachment (`附件`, `附件2:…`) that follows the plan's items: attachments are
 * other documents (forms, lists) and their numbering is not the plan's. A `附件` line before any item
 * is the label of the plan itself and stays.
 */
export function cutAttachments(lines: string[]): { lines: string[]; cut: boolean } {
  let seenItem = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (ATTACHMENT_RE.test(line) && seenItem) return { lines: lines.slice(0, i), cut: true };
    if (ITEM_RE.test(line) || PAREN_CN_RE.test(line)) seenItem = true;
  }
  return { lines, cut: false };
}

/**
 * A line of its own that states the lead rule for the whole plan — `(各项任务中列第一位的为牵头单位)`
 * under the title, or `注:列第一位的为牵头单位` at the end — applies to every task, and is not a task. A short
 * task whose bracket states the rule (`推进…(责任部门:A、B。列第一位的为牵头单位)`) names units: it stays.
 */
export function extractRuleNotes(lines: string[]): { lines: string[]; globalRule: boolean } {
  let globalRule = false;
  const kept = lines.filter((line) => {
    const note =
      line.length <= 80 && RULE_RE.test(line) && !LABEL_RE.test(line) && !/责任单位|責任單位/.test(line) && !isHeading(line) &&
      !findAnnotations(line).some((part) => part.kind === 'annotation');
    if (note) globalRule = true;
    return !note;
  });
  return { lines: kept, globalRule };
}

function depthAtEnd(line: string): number {
  let depth = 0;
  for (let i = 0; i < line.length; i++) depth = Math.max(0, depth + bracketDelta(line.charCodeAt(i)));
  return depth;
}

/**
 * Joins a line that leaves a bracket open with the next lines when that closes it within three lines
 * (`(责任单位:区司法局、⏎区财政局)`, a wrapped copy from a PDF or an OA system).
 */
export function joinOpenBrackets(lines: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i] ?? '';
    if (depthAtEnd(line) > 0) {
      let joined = line;
      for (let k = i + 1; k < Math.min(lines.length, i + 4); k++) {
        const next = lines[k] ?? '';
        if (isHeading(next) || LABEL_RE.test(next)) break;
        joined += next;
        if (depthAtEnd(joined) === 0) {
          line = joined;
          i = k;
          break;
        }
      }
    }
    out.push(line);
  }
  return out;
}

const LEADER_LABEL_RE =
  /(?:^|(?<=[(〔[【;,\s]))(牵头领导|责任领导|分管领导|联系领导|牵头区领导|牵头市领导|责任区领导)\s*:\s*[^;,\s()〔〕]+(?:、[^;,\s()〔〕]+)*\s*(?:[;,]\s*|\s+|$)/g;

/**
 * `牵头领导:张三;责任单位:A、B`: the leaders named beside the units are people, not units; the
 * label and names are dropped so that the unit label is read as usual.
 */
export function stripLeaderLabels(lines: string[]): string[] {
  return lines.map((l) => (l.includes('领导') ? l.replace(LEADER_LABEL_RE, '').replace(/[;,]\s*\)$/, ')').trim() : l));
}

/** The next line carries on a unit list that a wrapped `责任单位:` line cut (`…、区` / `税务局、…`). */
function continuesUnitList(line: string, next: string | undefined): boolean {
  if (next === undefined || next === '' || isHeading(next) || LABEL_RE.test(next) || /^[^:]{1,8}:/.test(next)) return false;
  const last = line.split(/[、,:]/).pop() ?? '';
  const cut = /[、,]$/.test(line) || (last !== '' && !looksLikeUnit(last) && !/[。.)]$/.test(line));
  return cut && parseResponsibility(next, { requireUnitsOnly: true }) !== null;
}

/** Joins a `责任单位:` line that wrapped onto the next line (copies from PDF or OA systems). */
export function joinWrappedLabels(lines: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i] ?? '';
    while (LABEL_RE.test(line) && continuesUnitList(line, lines[i + 1])) {
      line += lines[i + 1] ?? '';
      i++;
    }
    out.push(line);
  }
  return out;
}
