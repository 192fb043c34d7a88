/**
 * Reads what liaisons and leaders type in the chat into a {@link Command}. Pure: no I/O, no clock; the only
 * outside knowledge is the unit names (and aliases) to recognise. It never throws: anything it cannot read is
 * `{ kind: 'unknown' }`, with a short Chinese hint when something came close.
 *
 * Normalisation (per line): full-width ASCII (`３．２`, `８０％`, `：`, `，`, `？`) reads as half-width, every kind
 * of space (full-width, no-break, the U+2005 DingTalk puts after a mention) and control characters read as one
 * space, zero-width characters are dropped, trailing `。！!？?.~…` are ignored. A leading `@某某 ` (one or more
 * mentions) on the first line is skipped. The text handed back in entries keeps the characters as written
 * (full-width commas stay full-width), only with the spaces collapsed.
 *
 * Task references, at the start of a line (after an optional bullet `-`/`•`/`*` and optional brackets `【3.2】`):
 *   - `3`, `3项` → { item: 3 }. A bare number only counts when followed by a space, punctuation, a status word,
 *     a percentage or a question word (`3推进中` yes, `3月底前完成` / `3家企业` no).
 *   - `3.2`, `３．２`, `3。2`, `3-2`, `3—2`, `3_2`, `3、2`, `3 . 2` → { item: 3, task: 2 }. `3、2` reads as task 3.2
 *     (on a Chinese keyboard `、` and `。` are what the `\` and `.` keys type); two items are `第3项、第2项`
 *     or `3、2项`; three or more numbers in a row are items (`3、4、5`). `3 2` (a space only) is item 3. A number followed by a measure word (`3.5亿元`, `2020年`, `12月`) is not a reference.
 *   - `第3项`, `第三项`, `第三大项`, `第3项第2条`, `第三项第二个任务`, `第3项的第2项任务`, `第3.2项`, `第三.二条`.
 *   - Several references sharing one status: `3.2、3.3 已完成`, `第3项、第5项 推进中`, `3、4项 已完成` → one
 *     entry each (same `line`), at most {@link MAX_REFS_PER_LINE}.
 *   - Not accepted: bare Chinese numerals (`三.二`, `三、`: in the plan those are chapter headings, and at the
 *     start of a line they are as often prose, `一、二季度…`); third levels (`3.2.1`); items or tasks 0 or > 99.
 *
 * After the reference: an optional `改为`/`改成`/`更正为` (making it a correction), then the status word and a
 * percentage in either order (`完成80%`, `80% 推进中`, `推进中 进度80%`), then the text. A percentage at the very
 * end of the line, set off by a space or punctuation, counts too (`… 已完成目录清理 80%`); one inside prose
 * (`受理率达到80%`) stays text. Status from the percentage: a done word with less than 100% is in_progress;
 * no status word → 100% done, 0% not_started, otherwise in_progress.
 *
 * Messages:
 *   - A unit (a name or alias from `unitNames`, longest first, returned as listed there) may open the first
 *     line: `区司法局 3 推进中`, `司法局：3.2 已完成`, `区司法局 我的任务`, `区司法局 更正 3.2 …`, or stand alone on
 *     it as a header above report lines. A later report line may repeat the same unit; a different one is refused.
 *   - Reports: every line starting with a reference is an entry (`line` = that input line, trimmed, as
 *     written, mention and unit included); other lines are appended to the entries above (joined with `\n`),
 *     or, when those named nothing after the reference, give their status (`3.2` ⏎ `已完成，…`). Lines before
 *     the first reference are ignored (`本周进度如下：`).
 *   - Questions and commands are read from one-line messages only; several lines are always a report.
 *   - A one-line report with no status and no percentage is refused with a hint when nothing follows the
 *     reference (`3.2`) or only one short word does (`3.2 搞定`); longer text gives status null (the bot asks).
 *   - A reference alone or with a question word (`4`, `第4项`, `第三项进展怎么样`) is an item question, even
 *     after a unit (`区司法局 第3项`: the item's answer covers the unit); a task question (`3.2 怎么样`) is
 *     refused with a hint, since questions go by item.
 *   - `撤回` takes no unit or task (it is the sender's last report); with one it is refused with a hint, as is
 *     `撤回` followed by report lines.
 */
import type { ReportStatus } from '../store/report-store';
import { readNumber } from '../schedule/overrides';
import type { Command, ParseOptions, ReportEntry, TaskRef } from './command';

/** Only the first this many non-blank lines of a message are read at all (so a pasted document stays cheap). */
export const MAX_LINES = 50;
/** At most this many references share one line (`3.2、3.3、3.4 已完成`). */
export const MAX_REFS_PER_LINE = 20;

/** Status words, longest first at match time. The first one right after the reference counts. */
const STATUS_WORDS: ReadonlyArray<readonly [string, ReportStatus]> = [
  ...(['已经完成', '已完成', '完成了', '全部完成', '完成', '已经办结', '已办结', '办结'] as const).map((w) => [w, 'done'] as const),
  ...(['正在推进', '正在进行', '正在办理', '持续推进', '推进中', '进行中', '办理中', '在推进', '已启动', '已开始', '推进'] as const).map(
    (w) => [w, 'in_progress'] as const,
  ),
  ...(['尚未启动', '尚未开始', '还没开始', '还没启动', '还未启动', '还未开始', '暂未启动', '暂未开始', '未启动', '未开始', '没开始'] as const).map(
    (w) => [w, 'not_started'] as const,
  ),
  ...(['有困难', '需协调', '需要协调', '存在困难', '遇到困难', '受阻'] as const).map((w) => [w, 'blocked'] as const),
].sort((a, b) => b[0].length - a[0].length);

const STATUS_HINT = '状态可写：未启动、推进中、已完成、有困难';

/** `3.2 改为已完成`: a correction written after the reference. */
const CORRECT_INFIX = ['更正为', '修改为', '改为', '改成', '应为'];
/** `更正 3.2 已完成`: a correction written first. */
const CORRECT_VERBS = ['更正', '修改', '修正', '纠正', '改为'];
/** Words that may stand before the status word without hiding it: `3.2 目前推进中`, `3.2 现已完成`. */
const STATUS_ADVERBS = ['目前', '现在', '当前', '现'];
/** Words that open a question about an item (`3进度`, `第3项怎么样`). */
const QUESTION_STARTS = ['进度', '进展', '情况', '怎么样', '咋样', '如何', '怎样', '完成情况', '推进情况', '落实情况', '的进度', '的进展', '的情况'];

/** Characters that separate a reference, status word, percentage and text: all skipped between them. */
const SEPARATORS = new Set([' ', ',', ';', '、', ':', '.', '。', '-', '—', '~']);
/** Characters trimmed off the end of the text. */
const TEXT_END_SEPARATORS = new Set([' ', ',', ';', '、', ':']);
/** Ignored at the end of every line. */
const TRAILING = new Set(['。', '!', '?', '.', '~', '…', ' ']);
const BULLETS = new Set(['-', '*', '•', '·', '●', '○', '◆', '▪', '>']);
const OPENING = new Set(['(', '[', '【', '〔']);
const CLOSING = new Set([')', ']', '】', '〕']);
/** After a number these make it a quantity, not a reference: `3.5亿`, `2家`, `12月`. */
const MEASURE = new Set('年月日号时点分秒个万千百亿元家人件次天周名所户台套批倍米吨亩位场期届岁'.split(''));

const NUM = '([0-9]{1,2}|[一二三四五六七八九十]{1,3})';
const ARABIC_REF = /([0-9]{1,2})(?: ?([.。、\-—_]) ?([0-9]{1,2}))?/y;
/** `3、4项`, `第三、四项`, `第3、4、5项`, `3、4、5`: items (two numbers need 项, else `3、4` is task 3.4). */
const ITEM_LIST = new RegExp(`(第)? ?${NUM}((?: ?、 ?${NUM})+) ?(项)?`, 'y');
const DI_DOTTED = new RegExp(`第 ?${NUM} ?([.。、\\-]) ?${NUM} ?(项|条)?`, 'y');
const DI_ITEM = new RegExp(`第 ?${NUM} ?(?:大项|项)`, 'y');
const DI_TASK = new RegExp(` ?(?:中的|的)? ?第 ?${NUM} ?(?:个任务|项任务|条任务|小项|个|条|项)`, 'y');
const REF_SUFFIX = /(?:任务|工作)/y;
const LIST_JOINER = / ?(?:、|,|和|及|与) ?/y;

const PERCENT_BODY = '(?:([0-9]{1,3}(?:\\.[0-9]{1,2})?) ?%|百分之 ?(一百|百|[0-9]{1,3}|[一二三四五六七八九十]{1,3}))';
const PERCENT_LINK = '(?: ?(?:为|达到|达|约|是|:) ?)?';
/** A percentage where one is expected (right after the reference or the status word). */
const PERCENT_AT = new RegExp(`\\(? ?(?:完成率|完成进度|完成度|进度|进展)?${PERCENT_LINK}${PERCENT_BODY} ?\\)?`, 'y');
/** A percentage closing the line, set off from the text before it. */
const PERCENT_AT_END = new RegExp(
  `(?:^|[ ,;、:(])(?:已完成|完成了|完成率|完成进度|完成度|完成|进度|进展)?${PERCENT_LINK}${PERCENT_BODY}\\)?$`,
);

const POLITE = /^(?:请问一下|请问|麻烦|帮我|帮忙|请)?(?:查询一下|查询|查看一下|查看|查一下|看一下|看看|问一下|查)?/;
const HELP = /^(?:帮助|help|h|菜单|怎么用|如何使用|使用说明|使用帮助|说明|用法|功能|指令|命令|怎么报送|如何报送|\/help|\/帮助)$/i;
const OVERVIEW =
  /^(?:(?:目前|现在|当前|今天|本周|本月)?的?(?:总体|整体|全部任务|所有任务|全部|全区|所有|工作|总)?的?(?:完成情况|推进情况|落实情况|进展情况|进度情况|报送情况|推进进度|完成进度|进度|进展|情况)(?:怎么样了?|咋样了?|如何了?|怎样了?)?(?:呢|啊|呀)?|汇总|总览|概况|概览|总体|整体)$/;
const UNREPORTED =
  /^(?:还有)?(?:哪些单位|哪几个单位|哪个单位|哪些部门|哪几家|哪些人|有谁|谁|哪些)?还?(?:未|没|尚未|还未)有?(?:报送|上报|提交|报|交)(?:进度)?的?(?:单位|部门|人)?(?:有哪些|是哪些|有谁|名单|清单|情况)?(?:了|呢)?$/;
const OVERDUE =
  /^有?(?:有哪些|哪些|哪几个|哪个)?(?:单位|任务|事项|部门)?(?:已经|已)?(?:逾期|超期|过期|超时|延期)了?的?(?:单位|任务|事项|部门|情况|名单|清单)?(?:有哪些)?(?:了|呢|吗)?$/;
const WITHDRAW =
  /^(?:撤回|撤销)(?:一下)?(?:上一条|上条|刚才(?:的|那条)?|刚刚(?:的|那条)?|最后一条|上一次|上次的?|这条)?(?:报送|消息)?$/;
const WITHDRAW_START = /^(?:撤回|撤销)/;
const DASHBOARD = /^(?:打开|查看|发我|发一下|给我)?(?:督办)?(?:看板|红黄绿灯)(?:链接|地址|网址)?$|^dashboard$/i;
const MY_TASKS = /^(?:我的任务清单|我的任务|我们的任务|我单位的?任务|本单位的?任务|我有哪些任务|我有什么任务|我们有哪些任务|任务清单|我的待办|我的)(?:进度|情况|清单)?/;
const URGE = /^(?:催办|催一下|催一催|催促|催报|催)(?:一下)?/;
const URGE_ALONE = /^(?:催办|催一下|催一催|催促|催报|催)(?:一下)?吧?$/;
const URGE_TAIL = /^(?:一下)?(?:尽快|抓紧|赶紧|赶快)?(?:报送|上报|报)?(?:一下)?(?:进度)?(?:吧|了)?$/;
const UNIT_STATUS =
  /^的?(?:目前|现在|当前)?的?(?:总体|整体|工作)?(?:推进情况|完成情况|落实情况|进展情况|进度情况|报送情况|任务情况|进度|进展|情况|任务)?(?:怎么样了?|咋样了?|如何了?|怎样了?)?(?:呢|啊|呀)?$/;
const UNIT_MISSING =
  /^的?(?:还有)?(?:哪些|哪几项|哪几个|什么|啥)?(?:任务|事项)?还?(?:未|没|尚未|还未)有?(?:报送|上报|提交|报|交)的?(?:任务|事项)?(?:有哪些|是哪些)?(?:了|呢)?$/;
const QUESTION_TAIL =
  /^的?(?:目前|现在|当前)?的?(?:总体|整体|工作)?(?:推进情况|完成情况|落实情况|进展情况|进度情况|报送情况|进度|进展|情况)?(?:怎么样了?|咋样了?|如何了?|怎样了?|到哪了|到哪一步了)?(?:呢|啊|呀)?$/;
const CHINESE_REF = /^[一二三四五六七八九十]{1,3} ?[.。、-] ?(?:[一二三四五六七八九十]|[0-9])/;
const DEEP_REF = /^[0-9]{1,2} ?[.。] ?[0-9]{1,2} ?[.。] ?[0-9]/;
/** What looks like a unit's name the parser was not told about (`油车港镇`), for hints. */
const UNIT_LIKE = /^[^ ]{1,20}(?:局|办|镇|街道|委会|办公室|中心|政府)$/;
const MENTIONS = /^(?:@[^\s@]*(?: |$))+/;
const ONLY_QUESTION_MARKS = /^\s*(?:@[^\s@]*\s+)*[?？]+\s*$/;

/** One line, normalised: `norm` for matching and `clean` for text, index for index; `raw` as written (trimmed). */
interface Line {
  raw: string;
  norm: string;
  clean: string;
}

interface Unit {
  readonly name: string;
  readonly norm: string;
}

interface RefList {
  refs: TaskRef[];
  start: number;
  end: number;
}

interface Tail {
  status: ReportStatus | null;
  percent: number | null;
  text: string;
  correct: boolean;
}

interface Head {
  unit: string | null;
  verb: boolean;
  /** Where the rest of the first line starts (after mention, unit and verb). */
  pos: number;
}

/** Reads one chat message. See the file comment for what is accepted. */
export function parseCommand(text: string, options: ParseOptions): Command {
  try {
    return parseCommandUnguarded(text, options);
  } catch {
    // Defensive only: nothing above is meant to throw.
    return unknown(typeof text === 'string' ? text : '', null);
  }
}

/** parseCommand without its defensive catch, so that the fuzz properties can show the catch is never needed. */
export function parseCommandUnguarded(text: string, options: ParseOptions): Command {
  return parseMessage(typeof text === 'string' ? text : '', prepareUnits(options?.unitNames));
}

function parseMessage(raw: string, units: readonly Unit[]): Command {
  // `?` alone is help; checked before the trailing question marks are dropped (short inputs only).
  if (raw.length <= 100 && ONLY_QUESTION_MARKS.test(raw)) return { kind: 'help' };
  const lines = takeLines(raw);
  if (lines.length === 0) return unknown(raw, null);
  const first = lines[0] as Line;
  const head = readHead(first, units);
  if (lines.length === 1 && !head.verb) {
    const command = readSingle(first, head, units, raw);
    if (command) return command;
  }
  if (lines.length > 1 && !head.verb && head.unit === null && WITHDRAW.test(first.norm.slice(head.pos))) {
    return unknown(raw, '撤回和报送请分开发送：先发“撤回”，再发新的报送');
  }
  return readReport(lines, head, units, raw);
}

// ---------------------------------------------------------------------------------------------------------
// Lines and normalisation

/** The first {@link MAX_LINES} non-blank lines, normalised; mentions skipped at the start of the first one. */
function takeLines(text: string): Line[] {
  const out: Line[] = [];
  const breaks = /\r\n|[\r\n\u2028\u2029]/g;
  let start = 0;
  while (out.length < MAX_LINES) {
    breaks.lastIndex = start;
    const m = breaks.exec(text);
    const end = m ? m.index : text.length;
    let line = normaliseLine(text.slice(start, end));
    if (out.length === 0) line = skipMentions(line);
    if (line.norm !== '') out.push(line);
    if (!m) break;
    start = m.index + m[0].length;
  }
  return out;
}

function normaliseLine(raw: string): Line {
  const norm: string[] = [];
  const clean: string[] = [];
  let pendingSpace = false;
  for (let k = 0; k < raw.length; k++) {
    const code = raw.charCodeAt(k);
    if (isInvisible(code)) continue;
    if (isSpace(code)) {
      pendingSpace = norm.length > 0;
      continue;
    }
    if (pendingSpace) {
      norm.push(' ');
      clean.push(' ');
      pendingSpace = false;
    }
    const ch = raw.charAt(k);
    clean.push(ch);
    norm.push(code >= 0xff01 && code <= 0xff5e ? String.fromCharCode(code - 0xfee0) : ch);
  }
  let n = norm.length;
  while (n > 0 && TRAILING.has(norm[n - 1] as string)) n--;
  return { raw: raw.trim(), norm: norm.slice(0, n).join(''), clean: clean.slice(0, n).join('') };
}

function isSpace(code: number): boolean {
  return (
    code <= 0x20 ||
    (code >= 0x7f && code <= 0xa0) ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000
  );
}

function isInvisible(code: number): boolean {
  return (code >= 0x200b && code <= 0x200d) || code === 0x2060 || code === 0xfeff || code === 0x00ad;
}

function skipMentions(line: Line): Line {
  const m = MENTIONS.exec(line.norm);
  if (!m) return line;
  const at = m[0].length;
  return { raw: line.raw, norm: line.norm.slice(at), clean: line.clean.slice(at) };
}

/** The last list of unit names prepared, and what it gave: every message of a chat brings the same list. */
let prepared: { names: readonly unknown[]; units: readonly Unit[] } = { names: [], units: [] };

function prepareUnits(names: readonly string[] | undefined): readonly Unit[] {
  const list: readonly unknown[] = Array.isArray(names) ? names : [];
  // A copy is kept, so that a list changed in place after the call is not taken for the same one.
  if (list.length !== prepared.names.length || list.some((name, i) => name !== prepared.names[i])) {
    prepared = { names: [...list], units: prepareUnitsAfresh(list) };
  }
  return prepared.units;
}

function prepareUnitsAfresh(names: readonly unknown[]): Unit[] {
  const seen = new Set<string>();
  const out: Unit[] = [];
  for (const name of names) {
    if (typeof name !== 'string') continue;
    const norm = normaliseLine(name).norm.replace(/ /g, '');
    if (norm === '' || seen.has(norm)) continue;
    seen.add(norm);
    out.push({ name, norm });
  }
  return out.sort((a, b) => b.norm.length - a.norm.length);
}

// ---------------------------------------------------------------------------------------------------------
// Small matchers (all constant work at one position, except where noted)

function skipSeparators(s: string, i: number): number {
  while (i < s.length && SEPARATORS.has(s.charAt(i))) i++;
  return i;
}

function skipBullets(s: string, i: number): number {
  return BULLETS.has(s.charAt(i)) ? skipSpace(s, i + 1) : i;
}

function isDigit(c: string): boolean {
  return c >= '0' && c <= '9';
}

function wordAt(s: string, i: number, words: readonly string[]): number {
  let best = -1;
  for (const w of words) if (s.startsWith(w, i) && i + w.length > best) best = i + w.length;
  return best;
}

function unitAt(s: string, i: number, units: readonly Unit[]): { name: string; end: number } | null {
  for (const u of units) if (s.startsWith(u.norm, i)) return { name: u.name, end: i + u.norm.length };
  return null;
}

function statusAt(s: string, i: number): { status: ReportStatus; end: number } | null {
  for (const [word, status] of STATUS_WORDS) if (s.startsWith(word, i)) return { status, end: i + word.length };
  return null;
}

function percentValue(m: RegExpExecArray): number | null {
  let value: number | null;
  if (m[1] !== undefined) value = Math.round(Number(m[1]));
  else if (m[2] === '百' || m[2] === '一百') value = 100;
  else value = readNumber(m[2] ?? '');
  return value !== null && Number.isFinite(value) && value >= 0 && value <= 100 ? value : null;
}

function percentAt(s: string, i: number): { value: number; end: number } | null {
  PERCENT_AT.lastIndex = i;
  const m = PERCENT_AT.exec(s);
  if (!m) return null;
  const value = percentValue(m);
  return value === null ? null : { value, end: i + m[0].length };
}

function mentionsReport(s: string): boolean {
  if (s.includes('%') || s.includes('百分之')) return true;
  for (const [word] of STATUS_WORDS) if (s.includes(word)) return true;
  return false;
}

// ---------------------------------------------------------------------------------------------------------
// References

/**
 * One reference (or `3、4项`, two items) at `i`; 'deep' for `3.2.1`; null when there is none. Bare numbers need
 * a clear end (see {@link bareEnds}); the others only must not run on into a longer number or a quantity.
 */
function refAt(s: string, i: number): { refs: TaskRef[]; end: number; bare: boolean } | 'deep' | null {
  const items = itemListAt(s, i);
  if (items) return items;
  if (s.charAt(i) === '第') return diRefAt(s, i);
  ARABIC_REF.lastIndex = i;
  const m = ARABIC_REF.exec(s);
  if (!m) return null;
  const item = Number(m[1]);
  if (item < 1) return null;
  if (m[3] !== undefined) {
    const listed = m[2] === '、';
    const task = Number(m[3]);
    let j = i + m[0].length;
    const next = s.charAt(j);
    if ((next === '.' || next === '。') && isDigit(s.charAt(skipSpace(s, j + 1)))) return 'deep';
    if (next === '项' && listed && task >= 1) return { refs: [{ item }, { item: task }], end: j + 1, bare: false };
    if (next === '项' || next === '条') j++;
    const quantity = isDigit(next) || next === '%' || MEASURE.has(s.charAt(j)) || task < 1 || (listed && next === '、');
    if (!quantity) return { refs: [{ item, task }], end: suffixEnd(s, j), bare: false };
    // `3.5亿`, `3-5月` are quantities; `3、20家企业…` is item 3 followed by its text.
    if (!listed) return null;
  }
  // A bare item number (also the fallback for `3、20家…`: item 3, then text).
  let j = i + (m[1] as string).length;
  const next = s.charAt(j);
  if (isDigit(next) || next === '%') return null;
  if ((next === '.' || next === '。' || next === ':' || next === '-') && isDigit(s.charAt(j + 1))) return null;
  if (next === '项') j = suffixEnd(s, j + 1);
  return bareEnds(s, j) ? { refs: [{ item }], end: j, bare: true } : null;
}

function itemListAt(s: string, i: number): { refs: TaskRef[]; end: number; bare: boolean } | null {
  ITEM_LIST.lastIndex = i;
  const m = ITEM_LIST.exec(s);
  if (!m) return null;
  const written = [m[2] ?? '', ...(m[3] ?? '').split('、').slice(1)].map((n) => n.trim());
  if (m[4] !== '项' && written.length < 3) return null;
  if (m[1] === undefined && !written.every((n) => /^[0-9]+$/.test(n))) return null;
  const end = i + m[0].length;
  const next = s.charAt(end);
  if (m[4] !== '项' && (isDigit(next) || next === '%' || MEASURE.has(next))) return null;
  const refs: TaskRef[] = [];
  for (const n of written.slice(0, MAX_REFS_PER_LINE)) {
    const item = readNumber(n);
    if (item === null || item < 1) return null;
    refs.push({ item });
  }
  return { refs, end: suffixEnd(s, end), bare: false };
}

function diRefAt(s: string, i: number): { refs: TaskRef[]; end: number; bare: boolean } | null {
  DI_DOTTED.lastIndex = i;
  const dotted = DI_DOTTED.exec(s);
  if (dotted) {
    const item = readNumber(dotted[1] ?? '');
    const task = readNumber(dotted[3] ?? '');
    if (item === null || task === null || item < 1 || task < 1) return null;
    const end = i + dotted[0].length;
    if (dotted[2] === '、' && dotted[4] === '项') return { refs: [{ item }, { item: task }], end, bare: false };
    return { refs: [{ item, task }], end: suffixEnd(s, end), bare: false };
  }
  DI_ITEM.lastIndex = i;
  const di = DI_ITEM.exec(s);
  if (!di) return null;
  const item = readNumber(di[1] ?? '');
  if (item === null || item < 1) return null;
  let end = i + di[0].length;
  DI_TASK.lastIndex = end;
  const t = DI_TASK.exec(s);
  if (t) {
    const task = readNumber(t[1] ?? '');
    if (task !== null && task >= 1) return { refs: [{ item, task }], end: suffixEnd(s, end + t[0].length), bare: false };
  }
  end = suffixEnd(s, end);
  return { refs: [{ item }], end, bare: false };
}

function suffixEnd(s: string, j: number): number {
  REF_SUFFIX.lastIndex = j;
  const m = REF_SUFFIX.exec(s);
  return m ? j + m[0].length : j;
}

function skipSpace(s: string, j: number): number {
  return s.charAt(j) === ' ' ? j + 1 : j;
}

/** A bare number is a reference only when what follows clearly is not more of a number or a phrase. */
function bareEnds(s: string, j: number): boolean {
  if (j >= s.length) return true;
  const c = s.charAt(j);
  if (SEPARATORS.has(c) || CLOSING.has(c)) return true;
  return (
    statusAt(s, j) !== null ||
    percentAt(s, j) !== null ||
    wordAt(s, j, QUESTION_STARTS) >= 0 ||
    wordAt(s, j, CORRECT_INFIX) >= 0 ||
    wordAt(s, j, STATUS_ADVERBS) >= 0
  );
}

/** The references a line starts with (after an optional bullet and bracket); null when it starts with none. */
function refListAt(s: string, from: number): RefList | 'deep' | null {
  let i = skipBullets(s, from);
  if (OPENING.has(s.charAt(i))) i = skipSpace(s, i + 1);
  const start = i;
  const first = refAt(s, i);
  if (first === null || first === 'deep') return first;
  const refs = [...first.refs];
  let end = first.end;
  while (refs.length < MAX_REFS_PER_LINE) {
    LIST_JOINER.lastIndex = end;
    const joiner = LIST_JOINER.exec(s);
    if (!joiner) break;
    const next = refAt(s, end + joiner[0].length);
    if (next === null || next === 'deep' || next.bare) break;
    refs.push(...next.refs);
    end = next.end;
  }
  // `【3.2】`, `(3)`, and also `3)` with no opening bracket.
  const j = skipSpace(s, end);
  if (CLOSING.has(s.charAt(j))) end = j + 1;
  return { refs: refs.slice(0, MAX_REFS_PER_LINE), start, end };
}

function refLabel(ref: TaskRef): string {
  return ref.task === undefined ? `第${ref.item}项` : `${ref.item}.${ref.task}`;
}

// ---------------------------------------------------------------------------------------------------------
// Status, percentage and text after the reference

function readTail(line: Line, from: number): Tail {
  const s = line.norm;
  let j = skipSeparators(s, from);
  let correct = false;
  const infix = wordAt(s, j, CORRECT_INFIX);
  if (infix >= 0) {
    correct = true;
    j = skipSeparators(s, infix);
  }
  let percent: number | null = null;
  let status: ReportStatus | null = null;
  const before = percentAt(s, j);
  if (before) {
    percent = before.value;
    j = skipSeparators(s, before.end);
  }
  const adverb = wordAt(s, j, STATUS_ADVERBS);
  const st = statusAt(s, j) ?? (adverb >= 0 ? statusAt(s, skipSeparators(s, adverb)) : null);
  if (st) {
    status = st.status;
    j = st.end;
    if (s.charAt(j) === '了' || s.charAt(j) === '啦') j++;
    if (percent === null) {
      const after = percentAt(s, skipSeparators(s, j));
      if (after) {
        percent = after.value;
        j = after.end;
      }
    }
    j = skipSeparators(s, j);
  }
  let end = s.length;
  if (percent === null && j < end) {
    const m = PERCENT_AT_END.exec(s.slice(j));
    const value = m ? percentValue(m) : null;
    if (m && value !== null) {
      percent = value;
      end = j + m.index;
    }
  }
  while (end > j && TEXT_END_SEPARATORS.has(s.charAt(end - 1))) end--;
  if (status === 'done' && percent !== null && percent < 100) status = 'in_progress';
  if (status === null && percent !== null) status = percent >= 100 ? 'done' : percent === 0 ? 'not_started' : 'in_progress';
  return { status, percent, text: line.clean.slice(j, end).trim(), correct };
}

// ---------------------------------------------------------------------------------------------------------
// The first line: unit, verb; single-line questions and commands

function readHead(line: Line, units: readonly Unit[]): Head {
  const s = line.norm;
  let unit: string | null = null;
  let i = 0;
  const u = unitAt(s, i, units);
  if (u) {
    unit = u.name;
    i = skipSeparators(s, u.end);
  }
  let verb = false;
  const v = wordAt(s, i, CORRECT_VERBS);
  if (v >= 0) {
    let after = s.startsWith('一下', v) ? v + 2 : v;
    const c = s.charAt(after);
    if (after >= s.length || SEPARATORS.has(c) || isDigit(c) || c === '第' || OPENING.has(c) || unitAt(s, after, units)) {
      verb = true;
      after = skipSeparators(s, after);
      if (unit === null) {
        const u2 = unitAt(s, after, units);
        if (u2) {
          unit = u2.name;
          after = skipSeparators(s, u2.end);
        }
      }
      i = after;
    }
  }
  return { unit, verb, pos: i };
}

/** Questions and commands of a one-line message; null when it should be read as a report. */
function readSingle(line: Line, head: Head, units: readonly Unit[], raw: string): Command | null {
  const s = line.norm;
  const rest = s.slice(head.pos);
  if (head.unit !== null) {
    const unit = head.unit;
    if (WITHDRAW_START.test(rest)) return unknown(raw, '撤回只针对您最近的一条报送：请直接发送“撤回”');
    if (MY_TASKS.exec(rest)?.[0] === rest && rest !== '') return { kind: 'my-tasks', unit };
    if (URGE_ALONE.test(rest)) return { kind: 'urge', unit };
    if (UNIT_MISSING.test(rest)) return { kind: 'unit', unit, question: 'missing' };
    if (UNIT_STATUS.test(rest)) return { kind: 'unit', unit, question: 'status' };
  } else {
    const q = rest.slice((POLITE.exec(rest)?.[0] ?? '').length);
    const u = unitAt(q, 0, units);
    if (u) {
      const after = q.slice(skipSeparators(q, u.end));
      if (UNIT_MISSING.test(after)) return { kind: 'unit', unit: u.name, question: 'missing' };
      if (UNIT_STATUS.test(after)) return { kind: 'unit', unit: u.name, question: 'status' };
    }
    if (HELP.test(q)) return { kind: 'help' };
    if (DASHBOARD.test(q)) return { kind: 'dashboard' };
    if (OVERVIEW.test(q)) return { kind: 'overview' };
    if (UNREPORTED.test(q)) return { kind: 'unreported' };
    if (OVERDUE.test(q)) return { kind: 'overdue' };
    if (WITHDRAW.test(q)) return { kind: 'withdraw' };
    if (WITHDRAW_START.test(q)) return unknown(raw, '撤回只针对您最近的一条报送：请直接发送“撤回”，再重新报送');
    const myTasks = MY_TASKS.exec(q);
    if (myTasks && myTasks[0] !== '') {
      const tail = q.slice(skipSeparators(q, myTasks[0].length));
      if (tail === '') return { kind: 'my-tasks', unit: null };
      const tu = unitAt(tail, 0, units);
      if (tu && tu.end === tail.length) return { kind: 'my-tasks', unit: tu.name };
      if (UNIT_LIKE.test(tail)) return unknown(raw, `没有找到单位“${tail}”：请写单位名称，例如“我的任务 区司法局”`);
    }
    const urge = URGE.exec(q);
    if (urge) return readUrge(q.slice(skipSeparators(q, urge[0].length)), units, raw);
    // `查询第3项`: the item question after a polite prefix.
    if (q !== rest) {
      const asked = itemQuestion(q, 0, raw);
      if (asked) return asked;
    }
  }
  return itemQuestion(s, head.pos, raw);
}

/** `第3项`, `4`, `第三项进展怎么样`: an item question; a task question gets a hint (queries go by item). */
function itemQuestion(s: string, from: number, raw: string): Command | null {
  const refs = refListAt(s, from);
  if (refs === null || refs === 'deep' || refs.refs.length !== 1) return null;
  const tail = s.slice(skipSeparators(s, refs.end));
  if (!QUESTION_TAIL.test(tail)) return null;
  const ref = refs.refs[0] as TaskRef;
  if (ref.task === undefined) return { kind: 'item', item: ref.item };
  if (tail === '') return unknown(raw, missingStatusHint(ref));
  return unknown(raw, `目前按事项查询进度：请发送“第${ref.item}项”`);
}

function readUrge(target: string, units: readonly Unit[], raw: string): Command {
  if (target === '') return unknown(raw, '请写明要催办的单位，例如“催办 区司法局”');
  const u = unitAt(target, 0, units);
  if (u && URGE_TAIL.test(target.slice(u.end))) return { kind: 'urge', unit: u.name };
  if (u) return unknown(raw, `没有看懂“${target}”：一次催办一个单位，例如“催办 ${u.name}”`);
  return unknown(raw, `没有找到单位“${target}”：请写单位名称，例如“催办 区司法局”`);
}

function missingStatusHint(ref: TaskRef): string {
  const label = refLabel(ref);
  return `“${label}”后面缺少状态：报送请写成“${label} 推进中 …”，${STATUS_HINT}；查询进度请发送“第${ref.item}项”`;
}

// ---------------------------------------------------------------------------------------------------------
// Reports

interface Group {
  refs: TaskRef[];
  line: string;
  /** The line from the reference on, for hints. */
  quoted: string;
  tail: Tail;
}

function readReport(lines: readonly Line[], head: Head, units: readonly Unit[], raw: string): Command {
  let unit = head.unit;
  const groups: Group[] = [];
  let current: Group | null = null;
  for (let idx = 0; idx < lines.length; idx++) {
    const line = lines[idx] as Line;
    const s = line.norm;
    let pos = idx === 0 ? head.pos : 0;
    let lineUnit: string | null = null;
    if (idx > 0) {
      const u = unitAt(s, pos, units);
      if (u) {
        const after = skipSeparators(s, u.end);
        const r = refListAt(s, after);
        if (r !== null && r !== 'deep') {
          lineUnit = u.name;
          pos = after;
        }
      }
    }
    const refs = refListAt(s, pos);
    if (refs !== null && refs !== 'deep') {
      if (lineUnit !== null) {
        if (unit === null) unit = lineUnit;
        else if (lineUnit !== unit) return unknown(raw, `一条消息只能报送一个单位：请把“${unit}”和“${lineUnit}”的进度分开发送`);
      }
      current = { refs: refs.refs, line: line.raw, quoted: line.clean.slice(refs.start), tail: readTail(line, refs.end) };
      groups.push(current);
    } else if (current) {
      const t = current.tail;
      if (t.status === null && t.percent === null && t.text === '') {
        // `3.2` on one line, `已完成，目录已公布` on the next.
        const next = readTail(line, skipBullets(s, 0));
        current.tail = { ...next, correct: next.correct || t.correct };
      } else {
        t.text = t.text === '' ? line.clean : `${t.text}\n${line.clean}`;
      }
    }
  }
  if (groups.length === 0) return unknown(raw, noEntryHint(lines, head));

  const entries: ReportEntry[] = groups.flatMap((g) =>
    g.refs.map((ref) => ({ ref, status: g.tail.status, percent: g.tail.percent, text: g.tail.text, line: g.line })),
  );
  const only = groups.length === 1 ? (groups[0] as Group) : null;
  if (head.verb || groups.some((g) => g.tail.correct)) {
    if (!only || entries.length !== 1) return unknown(raw, '一次只能更正一个任务：请写成“更正 3.2 已完成 …”');
    const entry = entries[0] as ReportEntry;
    if (entry.status === null && entry.text === '') return unknown(raw, `更正请写成“更正 ${refLabel(entry.ref)} 已完成 …”，${STATUS_HINT}`);
    return { kind: 'correct', unit, entry };
  }
  if (only && lines.length === 1 && only.tail.status === null) {
    // A one-line report that names no status: ask for one when the rest is a single short word (`3.2 搞定`).
    if (only.tail.text === '') return unknown(raw, missingStatusHint(only.refs[0] as TaskRef));
    if (isShortWord(only.tail.text)) return unknown(raw, `“${only.quoted}”中没有看懂“${only.tail.text}”，${STATUS_HINT}`);
  }
  return { kind: 'report', unit, entries };
}

/** One short word (`搞定`, `OK`), judged on the half-width form so that `３．２` and `3.2` agree. */
function isShortWord(text: string): boolean {
  const norm = normaliseLine(text).norm;
  return [...norm].length <= 4 && !/[ ,;、:.。!?]/.test(norm);
}

function noEntryHint(lines: readonly Line[], head: Head): string | null {
  if (head.verb) return `更正请写成“更正 3.2 已完成 …”，${STATUS_HINT}`;
  const first = lines[0] as Line;
  const rest = first.norm.slice(skipBullets(first.norm, head.pos));
  if (CHINESE_REF.test(rest)) return '编号请写阿拉伯数字，例如“3.2 已完成”，或写“第三项第二条 已完成”';
  if (DEEP_REF.test(rest)) return '编号写到任务一级即可，例如“3.2 已完成”';
  if (lines.some((l) => mentionsReport(l.norm))) return '没有找到任务编号：报送请写成“3.2 推进中 …”，编号在前，状态在后';
  return null;
}

function unknown(raw: string, hint: string | null): Command {
  return { kind: 'unknown', text: raw.trim(), hint };
}
