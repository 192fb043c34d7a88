/**
 * The plan parser: document text in, plan structure out (sections → items → tasks → units).
 * A pure function: no I/O, no clock. See DESIGN.md for the structure and README for the rules.
 *
 * @example
 *   const plan = parsePlan(fs.readFileSync('plan.txt', 'utf8'));
 *   plan.items[3].tasks[1]; // { id: '4.2', units: ['区经济信息商务局', …], leads: ['区经济信息商务局'], … }
 */
import { latestDeadline, parseDeadlineCell } from './deadline';
import { findFrame, isChrome } from './document-frame';
import { findAnnotations } from './find-annotations';
import { flattenTables } from './flatten-table';
import { cutAttachments, extractRuleNotes, joinOpenBrackets, joinWrappedLabels, stripLeaderLabels } from './prepare-body';
import { normalizeDocument } from './normalize';
import { ITEM_RE, PAREN_CN_RE, PAREN_NUM_RE, SECTION_RE, parseChineseNumber, toChineseNumber } from './numbering';
import { PlanParseError } from './parse-error';
import { LABEL_RE, leadsOfGluedHead, mergeResponsibility, parseResponsibility, RULE_RE, splitTopLevel, type Responsibility } from './responsibility';
import type { ParsedPlan, PlanItem, PlanSection, PlanTask } from './types';

export interface ParseOptions {
  /** Title to use when the document states none (e.g. the file name). */
  fallbackTitle?: string;
}

interface RawItem {
  /** The item came from a table row: its task cell is the task as a whole, not a title plus text. */
  fromTable: boolean;
  number: number;
  label: string | null;
  /** Index into the plan's sections, or -1 before the first section. */
  section: number;
  lines: string[];
}

interface Segment {
  text: string;
  resp: Responsibility | null;
  glued: boolean;
  deadlineCell: string | null;
  /** The last token added was an annotation or label: a following label joins this segment. */
  open: boolean;
  /** The segment is a `(1)` sub-task. */
  subtask: boolean;
  /** Its units came from a label line (`责任单位:…`), not a bracket in the text. */
  fromLabel: boolean;
}

interface Context {
  year: number | null;
  gluedLeadColumn: boolean;
  /** `列第一位的为牵头单位,下同` has been stated earlier in the document. */
  firstLeadsRule: boolean;
  /** Warnings collected while building items. */
  warnings: string[];
}

function isStructural(line: string): boolean {
  return SECTION_RE.test(line) || PAREN_CN_RE.test(line) || ITEM_RE.test(line) || line === '序号' || /^序号|[|│┌├]/.test(line);
}

function segmentItem(lines: string[], gluedTails: boolean): { preamble: string; segments: Segment[] } {
  const segments: Segment[] = [];
  let preamble = '';
  const fresh = (subtask = false): Segment => ({ text: '', resp: null, glued: false, deadlineCell: null, open: false, subtask, fromLabel: false });
  let cur = fresh();
  let subtaskSeen = false;
  const push = () => {
    if (cur.text.trim() || cur.resp) segments.push(cur);
    cur = fresh();
  };
  const addText = (text: string) => {
    if (!text.trim()) return;
    // `推进农业绿色发展(责任单位:…)。开展…`: a bracket set before the full stop belongs to the sentence
    // it ends, and the text after it continues that task.
    if (cur.resp && !/^\s*。/.test(text)) push();
    cur.open = false;
    cur.text += text;
  };
  const addResp = (resp: Responsibility, glued: boolean, deadlineCell: string | null, fromLabel: boolean) => {
    if (cur.resp && !cur.open) push();
    cur.resp = mergeResponsibility(cur.resp, resp);
    cur.glued = cur.glued || glued;
    cur.fromLabel = fromLabel;
    if (deadlineCell) cur.deadlineCell = deadlineCell;
    cur.open = true;
  };
  for (const line of lines) {
    if (/^完成时限:/.test(line)) {
      const value = line.replace(/^完成时限:/, '');
      const target = cur.resp || !segments.length ? cur : (segments[segments.length - 1] as Segment);
      target.deadlineCell = value;
      continue;
    }
    if (/^[省市区县]牵头单位:|^完成情况:|^备注:/.test(line)) continue;
    if (LABEL_RE.test(line)) {
      const resp = parseResponsibility(line);
      if (resp) addResp(resp, false, null, true);
      continue;
    }
    const sub = PAREN_NUM_RE.exec(line);
    let body = line;
    if (sub) {
      // Text before the first `(1)` without units of its own introduces the sub-tasks.
      if (!subtaskSeen && !cur.resp && cur.text.trim() && segments.length === 0) {
        preamble = cur.text;
        cur = fresh();
      } else push();
      subtaskSeen = true;
      cur = fresh(true);
      body = sub[2] ?? '';
    }
    for (const part of findAnnotations(body, { gluedTails })) {
      if (part.kind === 'text') addText(part.text);
      else addResp(part.resp, part.glued, part.deadlineCell, false);
    }
  }
  push();
  shareTrailingLabel(segments);
  return { preamble, segments };
}

/**
 * `(1)…(2)…(3)…` followed by one `责任单位:` line: the line names who does all of them, so the
 * sub-tasks before it that have no units of their own share it.
 */
function shareTrailingLabel(segments: Segment[]): void {
  let pending: Segment[] = [];
  for (const seg of segments) {
    if (!seg.resp) {
      if (seg.subtask) pending.push(seg);
      continue;
    }
    if (seg.fromLabel && seg.subtask) for (const p of pending) p.resp = seg.resp;
    pending = [];
  }
}

function firstSentence(text: string): string {
  const t = text.trim();
  const stop = t.indexOf('。');
  return (stop >= 0 ? t.slice(0, stop) : t).replace(/[,;:]$/, '').trim();
}

function cleanText(text: string): string {
  return text.trim().replace(/^[,;:、。]+/, '').trim();
}

function decideLeads(resp: Responsibility, glued: boolean, ctx: Context): string[] {
  if (resp.explicitLeads) return resp.explicitLeads;
  if (glued && ctx.gluedLeadColumn) return leadsOfGluedHead(resp.units);
  // Units under a 配合单位 label never lead; the rules below pick among the others.
  const main = resp.units.filter((u) => !resp.coUnits.includes(u));
  if (resp.statesFirstLeads || ctx.firstLeadsRule) return main.slice(0, 1);
  // One responsible unit leads; so do the 责任单位 set beside a separate 配合单位 list.
  return main.length === 1 || resp.coUnits.length > 0 ? main : [];
}

/** The item's title: its first sentence, up to the first `。` or annotation, across wrapped lines. */
function itemTitle(lines: string[], headingOnly: boolean): string {
  const textLines: string[] = [];
  for (const l of headingOnly ? lines.slice(0, 1) : lines) {
    if (LABEL_RE.test(l) || /^完成时限:/.test(l) || PAREN_NUM_RE.test(l)) break;
    textLines.push(l);
    if (l.includes('。')) break;
  }
  // Only the first sentence can hold the title: look for annotations there, not in the whole item.
  const joined = textLines.join('');
  const stop = splitTopLevel(joined, '。')[0]?.length ?? -1;
  const first = findAnnotations(stop < joined.length ? joined.slice(0, stop + 1) : joined)[0];
  return firstSentence(first?.kind === 'text' ? first.text : (lines[0] ?? ''));
}

function buildItem(raw: RawItem, section: string | null, ctx: Context): PlanItem {
  const firstLine = raw.lines[0] ?? '';
  // A short heading line with no punctuation, followed by body text, is the item's title only; a long
  // line, or one with commas, is a sentence that wrapped.
  const next = raw.lines[1];
  const headingOnly =
    !/[。,;]/.test(firstLine) && firstLine.length <= 30 && !/、$/.test(firstLine) &&
    next !== undefined && !LABEL_RE.test(next) && !/^完成时限:/.test(next) && !PAREN_NUM_RE.test(next);
  const title = itemTitle(raw.lines, headingOnly);
  const { preamble, segments } = segmentItem(headingOnly ? raw.lines.slice(1) : raw.lines, ctx.gluedLeadColumn);
  const tasks: PlanTask[] = [];
  segments.forEach((seg, i) => {
    let text = cleanText(seg.text);
    // In prose the first sentence is the item's heading (`4.优化法治化营商环境。`) and not part of the
    // first task; in a table row it is the task's own wording (`…,金融业增加值增长8%。优化…`).
    if (i === 0 && !preamble && !headingOnly && !raw.fromTable) {
      const rest = cleanText(text.slice(text.indexOf('。') + 1));
      if (text.includes('。') && rest && firstSentence(text) === title) text = rest;
    }
    if (!text) text = title;
    const resp = seg.resp;
    const units = resp ? resp.units : [];
    const leads = resp ? decideLeads(resp, seg.glued, ctx) : [];
    if (resp?.ruleCarriesOver) ctx.firstLeadsRule = true;
    if (resp?.rejected.length) {
      ctx.warnings.push(`第${raw.number}项的责任单位中有不像单位名称的内容（${resp.rejected.join('、')}），已略去，请核对原文。`);
    }
    const written = seg.deadlineCell ?? resp?.deadlineText ?? null;
    const deadline = (written ? parseDeadlineCell(written, ctx.year) : null) ?? latestDeadline(text, ctx.year);
    tasks.push({ id: '', text, units, leads, qualifier: resp?.qualifier ?? null, deadline });
  });
  if (tasks.length === 0) {
    tasks.push({ id: '', text: title, units: [], leads: [], qualifier: null, deadline: latestDeadline(title, ctx.year) });
  }
  return { number: raw.number, label: raw.label, section, title, tasks };
}

/** A list for a warning: at most 30 entries, then `等 N 个`, so a large plan's warning stays readable. */
function listShort(values: (string | number)[], measure: string): string {
  return values.length > 30 ? `${values.slice(0, 30).join('、')} 等 ${values.length} ${measure}` : values.join('、');
}

/**
 * Parses the text of a plan document.
 * @throws PlanParseError when the text is empty or holds no recognisable numbered items.
 */
export function parsePlan(text: string, opts: ParseOptions = {}): ParsedPlan {
  const lines = normalizeDocument(text);
  if (!lines.some((l) => l !== '')) throw new PlanParseError('EMPTY', '文件内容为空，没有可解析的文字。');

  const frame = findFrame(lines, isStructural);
  const attachments = cutAttachments(lines.slice(frame.bodyStart));
  const body = attachments.lines.filter((l) => !isChrome(l));
  const flat = flattenTables(body);
  // Prose and table rows are cleaned apart, so that it stays known which lines came from a table.
  const clean = (ls: string[]) => extractRuleNotes(joinWrappedLabels(joinOpenBrackets(stripLeaderLabels(ls))));
  const prose = clean(flat.lines.slice(0, flat.firstTableLine));
  const table = clean(flat.lines.slice(flat.firstTableLine));
  // The covering notice may state the lead rule for every task (`各项任务中列第一位的为牵头单位`).
  const noticeRule = lines.slice(0, frame.bodyStart).some((l) => RULE_RE.test(l));
  const bodyLines = [...prose.lines, ...table.lines];
  const title = frame.title ?? opts.fallbackTitle ?? '未命名计划';
  const yearMatch = /(\d{4})年/.exec(title) ?? /^(\d{4})-/.exec(frame.date ?? '');
  const ctx: Context = {
    year: yearMatch ? Number(yearMatch[1]) : null,
    gluedLeadColumn: flat.gluedLeadColumn,
    firstLeadsRule: noticeRule || prose.globalRule || table.globalRule,
    warnings: [],
  };

  const hasItemNumbers = bodyLines.some((l) => {
    const m = ITEM_RE.exec(l);
    return Boolean(m && m[3]);
  });
  const hasParenCn = bodyLines.some((l) => PAREN_CN_RE.test(l));
  const hasSections = bodyLines.some((l) => SECTION_RE.test(l));
  const hasParenNum = bodyLines.some((l) => Boolean(PAREN_NUM_RE.exec(l)?.[2]));
  // The item level is the highest numbering under the sections: `1.`, else `(一)`, else `(1)`.
  const itemLevel = hasItemNumbers ? 'num' : hasParenCn ? 'paren-cn' : hasParenNum ? 'paren-num' : null;
  if (!itemLevel) {
    throw new PlanParseError(
      'NO_ITEMS',
      '没有找到编号的事项（如“1.”“(一)”或“(1)”开头的段落）。请确认文件是工作要点正文，而不是通知或其他文件；' +
        '如果是 Word 文件中的表格，请确认序号列有编号。',
    );
  }

  const sections: PlanSection[] = [];
  const rawItems: RawItem[] = [];
  let section = -1;
  let current: RawItem | null = null;
  for (const [index, line] of bodyLines.entries()) {
    const sec = SECTION_RE.exec(line);
    if (sec) {
      current = null;
      section = sections.push({ number: sec[1] ?? '', title: (sec[2] ?? '').trim() }) - 1;
      continue;
    }
    const fromTable = index >= prose.lines.length;
    const pc = PAREN_CN_RE.exec(line);
    if (pc) {
      current = null;
      if (itemLevel === 'paren-cn') {
        current = { fromTable, number: parseChineseNumber(pc[1] ?? ''), label: `(${pc[1]})`, section, lines: [pc[2] ?? ''] };
        rawItems.push(current);
      } else if (!hasSections) {
        section = sections.push({ number: pc[1] ?? '', title: (pc[2] ?? '').trim() }) - 1;
      }
      continue;
    }
    const pn = itemLevel === 'paren-num' ? PAREN_NUM_RE.exec(line) : null;
    if (pn && pn[2]) {
      current = { fromTable, number: Number(pn[1]), label: `(${pn[1]})`, section, lines: [pn[2]] };
      rawItems.push(current);
      continue;
    }
    const it = itemLevel === 'num' ? ITEM_RE.exec(line) : null;
    if (it && it[3]) {
      current = { fromTable, number: Number(it[1]), label: it[2] ? `${it[1]}${it[2]}` : null, section, lines: [it[3]] };
      rawItems.push(current);
      continue;
    }
    if (current) current.lines.push(line);
  }
  if (rawItems.length === 0) {
    throw new PlanParseError('NO_ITEMS', '没有找到编号的事项。请确认文件是工作要点正文。');
  }

  const warnings: string[] = [];
  if (attachments.cut) warnings.push('文件中“附件”及其后的内容不属于计划正文，未导入。');
  // Section numbers must be unique (items refer to them); a plan whose parts restart at 一 is renumbered.
  const sectionNumbers = sections.map((x) => x.number);
  if (new Set(sectionNumbers).size !== sectionNumbers.length) {
    warnings.push(`文中部分编号有重复（${listShort(sectionNumbers, '个')}），已按出现顺序重新编号为 一–${toChineseNumber(sections.length)}。`);
    sections.forEach((x, i) => (x.number = toChineseNumber(i + 1)));
  }
  const numbers = rawItems.map((r) => r.number);
  const increasing = numbers.every((n, i) => i === 0 || n > (numbers[i - 1] ?? 0));
  if (!increasing) {
    warnings.push(`文中事项编号有重复或不连续（${listShort(numbers, '个')}），已按出现顺序重新编号为 1–${rawItems.length}。`);
    rawItems.forEach((r, i) => {
      r.label = r.label ?? String(r.number);
      r.number = i + 1;
    });
  }
  const items = rawItems.map((r) => buildItem(r, sections[r.section]?.number ?? null, ctx));
  warnings.push(...ctx.warnings);
  for (const item of items) item.tasks.forEach((t, i) => (t.id = `${item.number}.${i + 1}`));
  const missing = items.filter((i) => i.tasks.some((t) => t.units.length === 0));
  if (missing.length) {
    warnings.push(`以下事项有任务没有找到责任单位：${listShort(missing.map((i) => `第${i.number}项`), '项')}。`);
  }
  return { title, year: ctx.year, issuer: frame.issuer, date: frame.date, sections, items, warnings };
}
