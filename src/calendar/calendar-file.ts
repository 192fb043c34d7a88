/**
 * The calendar file (CALENDAR_FILE, default data/calendar.yaml): holidays (放假) and make-up workdays (上班)
 * an admin types by hand for years chinese-days lacks (the State Council publishes next year's arrangement
 * each November/December), or to correct it. The format is documented in comments in data/calendar.yaml:
 *
 *   2027:                       # a year key declares the whole year known (`2027:` alone: weekends only)
 *     放假:                     # also 休息 / holidays
 *       - 2027-01-01 元旦
 *       - 2027-02-06 至 2027-02-12 春节
 *     上班:                     # also 调休上班 / workdays
 *       - 2027-02-14 春节调休
 */
import { readFileSync } from 'node:fs';
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node as YamlNode } from 'yaml';
import { addDays, daysBetween, daysInMonth, makeDate, type CivilDate } from './civil-date';
import type { CalendarExtras } from './workday-calendar';

export const DEFAULT_CALENDAR_FILE = 'data/calendar.yaml';

/** The calendar file is missing, unreadable or malformed. The message is Chinese and names the file and line. */
export class CalendarFileError extends Error {
  readonly file: string;
  /** 1-based line of the problem in the file, or null when unknown. */
  readonly line: number | null;

  constructor(file: string, line: number | null, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CalendarFileError';
    this.file = file;
    this.line = line;
  }
}

const HOLIDAY_KEYS = ['放假', '休息', 'holidays'];
const WORKDAY_KEYS = ['上班', '调休上班', 'workdays'];
/** Longest range one entry may cover (the longest real holiday block is 9 days). */
const MAX_RANGE_DAYS = 31;

const FIX_HINT = '请按文件开头注释中的格式修改后再试。';
const FULL_WIDTH_COLON_HINT = '请注意冒号要用半角“:”，不要用全角“：”，冒号后面要有空格。';
const DATE_HINT = '请对照国务院办公厅的节假日安排通知核对后再试。';
const ENTRY_EXAMPLE = '应当是“2027-01-01 元旦”或“2027-02-06 至 2027-02-12 春节”这样的写法';

const DATE = String.raw`\d{4}-\d{1,2}-\d{1,2}|\d{4}/\d{1,2}/\d{1,2}|\d{4}年\d{1,2}月\d{1,2}日`;
/** A date, optionally `至`/`~`/`～`/`..`/`—` and an end date, optionally a name after whitespace. */
const ENTRY_RE = new RegExp(String.raw`^(${DATE})(?:\s*(?:至|~|～|\.\.|—{1,2})\s*(${DATE}))?(?:\s+(.*))?$`);

function describeYamlError(code: string): string {
  switch (code) {
    case 'TAB_AS_INDENT':
      return '使用了 Tab 缩进，请改用空格缩进';
    case 'BAD_INDENT':
      return '缩进不正确（同一层的项目要对齐），或方括号没有配对';
    case 'MISSING_CHAR':
      return '缺少符号（例如冒号、右方括号或引号）';
    case 'BLOCK_AS_IMPLICIT_KEY':
    case 'MULTILINE_IMPLICIT_KEY':
      return '键后面缺少冒号，或缩进不对';
    case 'UNEXPECTED_TOKEN':
      return '有无法识别的内容（例如多余的括号）';
    case 'MULTIPLE_DOCS':
      return '文件中只能有一个文档，请删除多余的“---”';
    default:
      return `不是有效的 YAML 格式（${code}）`;
  }
}

type Fail = (node: YamlNode | null | undefined, problem: string, hint?: string) => never;

/** Parses the text of a calendar file. `file` is used in messages only. @throws CalendarFileError */
export function parseCalendarText(text: string, file: string): CalendarExtras {
  const source = text.replace(/^\ufeff/, '');
  const lineCounter = new LineCounter();
  // Duplicate years are reported by the reader (on the right line); a repeated 放假/上班 key just adds entries.
  const doc = parseDocument(source, { lineCounter, uniqueKeys: false, prettyErrors: false });
  const lines = source.split(/\r?\n/);
  /** Without an explicit hint, a key typed with a full-width colon (`2027：`) gets the colon hint. */
  const report = (offset: number | undefined, problem: string, hint: string | undefined, cause?: unknown): never => {
    let line = offset === undefined ? null : lineCounter.linePos(offset).line || 1;
    // An unclosed bracket is reported at the end of the file: point at the last line with text instead.
    while (line !== null && line > 1 && (lines[line - 1] ?? '').trim() === '') line--;
    const lineText = line === null ? '' : (lines[line - 1] ?? '');
    const fix = hint ?? (/^\s*[^\s#：]+\s*：/.test(lineText) ? FULL_WIDTH_COLON_HINT : FIX_HINT);
    const where = line === null ? '' : ` 第 ${line} 行`;
    throw new CalendarFileError(file, line, `节假日文件 ${file}${where}：${problem}。${fix}`, { cause });
  };
  const [firstError] = doc.errors;
  if (firstError) report(firstError.pos[0], describeYamlError(firstError.code), undefined, firstError);
  const fail: Fail = (node, problem, hint) => report(node?.range?.[0], problem, hint);
  const lineOf = (node: YamlNode): number | null =>
    node.range ? lineCounter.linePos(node.range[0]).line || 1 : null;
  return new Reader(doc, fail, lineOf).read(file);
}

/** Where each date was listed, to report a date listed both as 放假 and as 上班. */
interface Listed {
  name: string;
  node: YamlNode;
}

class Reader {
  private readonly years = new Set<number>();
  private readonly holidays = new Map<CivilDate, Listed>();
  private readonly workdays = new Map<CivilDate, Listed>();

  constructor(
    private readonly doc: Document,
    private readonly fail: Fail,
    private readonly lineOf: (node: YamlNode) => number | null,
  ) {}

  read(file: string): CalendarExtras {
    const root = this.resolve(this.doc.contents);
    if (root !== null && !(isScalar(root) && (root.value === null || root.value === ''))) {
      if (!isMap(root)) this.fail(root, '文件的最外层应当是年份，例如“2027:”，下面再写“放假:”和“上班:”');
      for (const pair of root.items) this.readYear(this.resolve(pair.key), this.resolve(pair.value));
    }
    const names = (listed: Map<CivilDate, Listed>) => new Map([...listed].map(([d, { name }]) => [d, name]));
    return { file, years: this.years, holidays: names(this.holidays), workdays: names(this.workdays) };
  }

  private resolve(node: unknown): YamlNode | null {
    if (node === null || node === undefined) return null;
    if (isAlias(node)) return (node.resolve(this.doc) as YamlNode | undefined) ?? null;
    return node as YamlNode;
  }

  private readYear(keyNode: YamlNode | null, value: YamlNode | null): void {
    const key = isScalar(keyNode) ? String(keyNode.value).trim() : '';
    const match = /^(\d{4})年?$/.exec(key);
    if (!match) this.fail(keyNode, `“${key}”不是年份，最外层的键应当是四位数的年份，例如“2027:”`);
    const year = Number(match[1]);
    if (this.years.has(year)) this.fail(keyNode, `${year} 年写了两次，请合并为一项`);
    this.years.add(year);
    if (value === null || (isScalar(value) && (value.value === null || value.value === ''))) return;
    if (!isMap(value)) {
      this.fail(value, `${year} 年下面应当是“放假:”和“上班:”两部分（没有节假日可以只写“${year}:”）`);
    }
    for (const pair of value.items) {
      const subKeyNode = this.resolve(pair.key);
      const subKey = isScalar(subKeyNode) ? String(subKeyNode.value).trim() : '';
      const target = HOLIDAY_KEYS.includes(subKey) ? this.holidays : WORKDAY_KEYS.includes(subKey) ? this.workdays : null;
      if (target === null) {
        this.fail(subKeyNode, `${year} 年下面不认识“${subKey}”，只能是“放假”或“上班”`, '请检查是否写错了字。');
      }
      for (const entry of this.entriesOf(this.resolve(pair.value), `${year} 年的“${subKey}”`)) {
        this.readEntry(entry, year, target === this.holidays ? '放假' : '上班');
      }
    }
  }

  /** The items of a `放假:` / `上班:` list; a single line is accepted as a list of one. */
  private entriesOf(node: YamlNode | null, what: string): YamlNode[] {
    if (node === null || (isScalar(node) && node.value === null)) return [];
    if (isScalar(node)) return [node];
    if (isSeq(node)) return node.items.map((item) => this.resolve(item) ?? this.fail(node, `${what}中有空的一项`));
    return this.fail(node, `${what}应当是逐行列出的日期，每行以“- ”开头`);
  }

  private readEntry(node: YamlNode, year: number, kind: '放假' | '上班'): void {
    if (!isScalar(node) || node.value === null || typeof node.value === 'object') {
      this.fail(node, `“${kind}”中的每一项${ENTRY_EXAMPLE}（日期和名称之间用空格，不要用冒号）`, FIX_HINT);
    }
    const text = String(node.value).replace(/\u3000/g, ' ').trim();
    const match = ENTRY_RE.exec(text);
    if (!match) {
      this.fail(
        node,
        `无法识别“${text}”，${ENTRY_EXAMPLE}（日期也可写作 2027/1/1 或 2027年1月1日，名称前要有空格）`,
        FIX_HINT,
      );
    }
    const start = this.date(node, match[1] ?? '', year);
    const end = match[2] === undefined ? start : this.date(node, match[2], year);
    const span = daysBetween(start, end) + 1;
    if (span < 1) this.fail(node, `“${text}”的结束日期早于开始日期，请把较早的日期写在前面`, DATE_HINT);
    if (span > MAX_RANGE_DAYS) this.fail(node, `“${text}”跨了 ${span} 天，一项最多 ${MAX_RANGE_DAYS} 天，请检查日期是否写错`, DATE_HINT);
    const name = (match[3] ?? '').trim();
    const [target, other, otherKind] =
      kind === '放假' ? [this.holidays, this.workdays, '上班'] : [this.workdays, this.holidays, '放假'];
    for (let i = 0; i < span; i++) {
      const d = addDays(start, i);
      const clash = other.get(d);
      if (clash) {
        const line = this.lineOf(clash.node);
        const seeAlso = line === null ? '' : `（见第 ${line} 行）`;
        this.fail(node, `${d} 既写在“${kind}”中，又写在“${otherKind}”中${seeAlso}，一天只能是其中一种`, '请删除其中一处。');
      }
      const previous = target.get(d);
      if (!previous || (previous.name === '' && name !== '')) target.set(d, { name, node });
    }
  }

  /** A date in one of the accepted spellings, checked to exist and to lie within a year of its key. */
  private date(node: YamlNode, text: string, year: number): CivilDate {
    const [y, m, d] = (text.match(/\d+/g) ?? []).map(Number) as [number, number, number];
    if (m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) {
      this.fail(node, `日期“${text}”不存在，请检查月份和日子`, DATE_HINT);
    }
    if (Math.abs(y - year) > 1) {
      this.fail(node, `日期“${text}”不在 ${year} 年前后一年之内，请检查年份是否写错，或把它写到对应年份下面`, DATE_HINT);
    }
    return makeDate(y, m, d);
  }
}

/**
 * Loads the calendar file. A missing file is an error (the project ships data/calendar.yaml).
 * @throws CalendarFileError
 */
export function loadCalendarFile(file: string): CalendarExtras {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT' ? '文件不存在' : code === 'EISDIR' ? '这是一个文件夹' : code === 'EACCES' ? '没有读取权限' : (code ?? '未知错误');
    throw new CalendarFileError(
      file,
      null,
      `节假日文件 ${file}：无法打开文件（${why}）。请检查 CALENDAR_FILE 设置的路径；项目自带的文件是 ${DEFAULT_CALENDAR_FILE}。`,
      { cause: error },
    );
  }
  return parseCalendarText(text, file);
}
