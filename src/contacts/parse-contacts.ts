/**
 * Parses the text of the contacts file (联络员名单, CSV `单位,姓名,手机,钉钉ID,角色`). Pure: no I/O.
 *
 * Every row that cannot be used is reported with its line number and a Chinese reason, and left out of
 * the contacts: bad rows never silently vanish. Rules:
 * - the first row is the header `单位,姓名,手机,钉钉ID,角色`; the `角色` column may be left out (everyone is
 *   then a 联络员); spaces around names and letter case of `ID` do not matter. A missing or wrong header is
 *   one problem and no row is read;
 * - blank lines, rows of empty cells (Excel's `,,,,`) and lines starting with `#` are skipped;
 * - a row must have as many cells as the header (empty cells after the last column are ignored);
 * - 单位 and 姓名 are required; 单位 may not be a collective (集合单位): each member unit gets its own rows;
 * - 手机 is an 11-digit mainland mobile (`1[3-9]` and 9 digits); spaces, dashes, full-width digits and a
 *   `+86`/`0086`/`86` prefix are accepted and dropped; at least one of 手机 and 钉钉ID is required;
 * - 钉钉ID is kept as written, but may not contain spaces;
 * - 角色 is `联络员` (also when empty) or `分管领导`; anything else, `领导` included, is refused, because the
 *   leaders who may ask for every unit's progress are set in LEADER_IDS, not here;
 * - the same person twice for one unit (same unit and same 手机 or same 钉钉ID) is reported on the later line.
 */
import { CsvError, parse } from 'csv-parse/sync';
import type { UnitDirectory } from '../units/unit-directory';
import { ROLE_LABELS, type Contact, type ContactRole } from './contact';

/** A row of the contacts file that was not read, and why (in Chinese). */
export interface ContactProblem {
  /** 1-based line in the file. */
  line: number;
  reason: string;
}

export interface ParsedContacts {
  contacts: Contact[];
  problems: ContactProblem[];
}

/** The columns of the contacts file, in order. */
export const CONTACT_COLUMNS = ['单位', '姓名', '手机', '钉钉ID', '角色'] as const;

/** The header line of the contacts file. */
export const CONTACTS_HEADER = CONTACT_COLUMNS.join(',');

/** One CSV record and the line it starts on. */
interface CsvRow {
  line: number;
  cells: string[];
}

const LINE_BREAK = /\r\n|\r|\n/;

function lineBreaksIn(cells: readonly string[]): number {
  return cells.reduce((n, cell) => n + cell.split(LINE_BREAK).length - 1, 0);
}

function isSkippedLine(line: string): boolean {
  const trimmed = line.trim();
  return trimmed === '' || trimmed.startsWith('#');
}

/** The first line after `afterLine` (1-based) that holds data, or `afterLine + 1`. */
function firstDataLine(lines: readonly string[], afterLine: number): number {
  for (let i = afterLine; i < lines.length; i++) if (!isSkippedLine(lines[i] ?? '')) return i + 1;
  return afterLine + 1;
}

function describeCsvError(error: CsvError): string {
  if (error.code === 'CSV_QUOTE_NOT_CLOSED') {
    return '双引号没有配对（少了结尾的英文双引号“"”），这一行没有读入。';
  }
  return '双引号的用法有误（含逗号的内容要整个用英文双引号括起来，例如 "张三,李四"），这一行没有读入。';
}

interface ChunkResult {
  rows: CsvRow[];
  /** Last line (1-based, in the whole text) of the last record read. */
  lastLine: number;
  error: CsvError | null;
}

/** Parses the lines from index `from` on, until the end or the first CSV syntax error. */
function parseChunk(lines: readonly string[], from: number): ChunkResult {
  const rows: CsvRow[] = [];
  let lastLine = from;
  try {
    // `on_record` sees each record with its parse info as it is read, so the records before a syntax error
    // are kept and their lines known (`context.lines` is the record's last line).
    parse(lines.slice(from).join('\n'), {
      trim: true,
      comment: '#',
      comment_no_infix: true,
      skip_empty_lines: true,
      relax_column_count: true,
      relax_quotes: true,
      on_record: (record, context) => {
        lastLine = from + context.lines;
        rows.push({ line: lastLine - lineBreaksIn(record), cells: record });
        return null;
      },
    });
    return { rows, lastLine, error: null };
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    return { rows, lastLine, error };
  }
}

/**
 * Splits the text into CSV records with their first line. A record with a quoting error becomes a problem,
 * and reading goes on after it, so one stray quote does not swallow the rest of the file.
 */
function readCsv(text: string): { rows: CsvRow[]; problems: ContactProblem[] } {
  const lines = text.replace(/^\ufeff/, '').split(LINE_BREAK);
  const rows: CsvRow[] = [];
  const problems: ContactProblem[] = [];
  let from = 0;
  while (from < lines.length) {
    const chunk = parseChunk(lines, from);
    rows.push(...chunk.rows);
    if (chunk.error === null) break;
    const line = firstDataLine(lines, chunk.lastLine);
    problems.push({ line, reason: describeCsvError(chunk.error) });
    const errorLine = from + Number(chunk.error.lines ?? 0);
    from = chunk.error.code === 'CSV_QUOTE_NOT_CLOSED' ? line : Math.max(errorLine, line);
  }
  return { rows, problems };
}

/** Drops empty cells after the last non-empty one. */
function withoutTrailingEmpty(cells: readonly string[]): string[] {
  let end = cells.length;
  while (end > 0 && (cells[end - 1] ?? '').trim() === '') end--;
  return cells.slice(0, end);
}

/** The cells, without empty cells past the last column (Excel writes them for formatted empty columns). */
function withoutExtraEmpty(cells: readonly string[], columns: number): string[] {
  if (cells.length <= columns) return [...cells];
  return [...cells.slice(0, columns), ...withoutTrailingEmpty(cells.slice(columns))];
}

function headerCell(cell: string): string {
  return cell.replace(/\s+/g, '').toUpperCase();
}

/** The number of columns the header declares (4 without 角色, 5 with it), or null when it is not the header. */
function headerColumns(cells: readonly string[]): number | null {
  const names = withoutTrailingEmpty(cells).map(headerCell);
  const expected = CONTACT_COLUMNS.map(headerCell);
  const matches = (n: number): boolean => names.length === n && names.every((name, i) => name === expected[i]);
  if (matches(CONTACT_COLUMNS.length)) return CONTACT_COLUMNS.length;
  if (matches(CONTACT_COLUMNS.length - 1)) return CONTACT_COLUMNS.length - 1;
  return null;
}

function headerProblem(row: CsvRow | undefined): ContactProblem {
  const expected = `第一行应当是表头“${CONTACTS_HEADER}”（“角色”一列可以省略）`;
  if (!row) return { line: 1, reason: `文件中没有内容，${expected}。` };
  const written = row.cells.join(',');
  const hint = written.includes('，') ? '列之间要用英文逗号“,”分隔，不要用中文逗号“，”。' : '请在文件第一行写上这个表头，其余各行按表头的列顺序填写。';
  return { line: row.line, reason: `${expected}，现在是“${written}”，名单没有读入。${hint}` };
}

/** Mainland mobile numbers: `1[3-9]` and nine more digits, after an optional country code. */
const MOBILE = /^(?:\+?86|0086)?(1[3-9]\d{9})$/;

/** The 11-digit mobile number, or null when `raw` is not one. */
export function normalizeMobile(raw: string): string | null {
  const compact = raw.normalize('NFKC').replace(/[\s\-‐‑‒–—]/g, '');
  return MOBILE.exec(compact)?.[1] ?? null;
}

/** The role a cell names, or null when it names none. An empty cell is a liaison. */
export function parseRole(raw: string): ContactRole | null {
  const role = raw.replace(/\s+/g, '');
  if (role === '' || role === ROLE_LABELS.liaison) return 'liaison';
  if (role === ROLE_LABELS.leader) return 'leader';
  return null;
}

function roleProblem(raw: string): string {
  const base = `角色“${raw}”无法识别，只能是“联络员”或“分管领导”（空着表示联络员）`;
  if (!raw.includes('领导')) return `${base}。`;
  return `${base}。单位的分管领导请写“分管领导”；可以查看全部单位进度的领导不在这里登记，请在 LEADER_IDS 中设置。`;
}

function columnCountProblem(cells: readonly string[], expected: number): string {
  const base = `有 ${cells.length} 列，应当是 ${expected} 列（${CONTACT_COLUMNS.slice(0, expected).join(',')}）`;
  if (cells.length < expected && cells.some((cell) => cell.includes('，'))) {
    return `${base}。列之间要用英文逗号“,”分隔，不要用中文逗号“，”。`;
  }
  if (cells.length > expected) return `${base}。内容中如有逗号，请把这一项整个用英文双引号括起来。`;
  return `${base}。没有的内容请留空，但逗号不能少。`;
}

type RowCheck = { contact: Contact; reasons: [] } | { contact: null; reasons: string[] };

function unitProblems(unit: string, directory: UnitDirectory): string[] {
  if (unit === '') return ['没有填写单位。'];
  if (!directory.isCollective(unit)) return [];
  const members = directory.expand(unit).join('、');
  return [`“${unit}”是集合单位，不能登记联络员，请按成员单位逐个登记：${members}。`];
}

function reachProblems(mobileRaw: string, mobile: string | null, dingtalkId: string): string[] {
  const reasons: string[] = [];
  if (mobileRaw !== '' && mobile === null) {
    reasons.push(`手机号“${mobileRaw}”不是 11 位的手机号码（应为 1 开头的 11 位数字，例如 13800000000）。`);
  }
  if (/\s/.test(dingtalkId)) reasons.push(`钉钉ID“${dingtalkId}”中间有空格，请删去。`);
  if (mobileRaw === '' && dingtalkId === '') {
    reasons.push('手机和钉钉ID都没有填写，机器人无法联系此人，请至少填写一项。');
  }
  return reasons;
}

/** Checks one data row (already of the right width) on its own, without looking at other rows. */
function checkRow(row: CsvRow, directory: UnitDirectory): RowCheck {
  const [unitAsWritten = '', name = '', mobileRaw = '', dingtalkId = '', roleRaw = ''] = row.cells.map((c) => c.trim());
  const mobile = normalizeMobile(mobileRaw);
  const role = parseRole(roleRaw);
  const reasons = [
    ...unitProblems(unitAsWritten, directory),
    ...(name === '' ? ['没有填写姓名。'] : []),
    ...reachProblems(mobileRaw, mobile, dingtalkId),
    ...(role === null ? [roleProblem(roleRaw)] : []),
  ];
  if (reasons.length > 0 || role === null) return { contact: null, reasons };
  const contact: Contact = {
    unit: directory.canonical(unitAsWritten),
    unitAsWritten,
    name,
    mobile,
    dingtalkId: dingtalkId === '' ? null : dingtalkId,
    role,
    line: row.line,
  };
  return { contact, reasons: [] };
}

/** Remembers who is already listed for a unit, to refuse the same person twice. */
class DuplicateFinder {
  private readonly seen = new Map<string, number>();

  /** The reason the contact repeats an earlier one, or null; remembers it otherwise. */
  check(contact: Contact): string | null {
    const keys: [string, string][] = [];
    if (contact.mobile !== null) keys.push([`${contact.unit}\u0000m\u0000${contact.mobile}`, '手机号']);
    if (contact.dingtalkId !== null) keys.push([`${contact.unit}\u0000d\u0000${contact.dingtalkId}`, '钉钉ID']);
    for (const [key, what] of keys) {
      const earlier = this.seen.get(key);
      if (earlier !== undefined) {
        return `与第 ${earlier} 行重复：同一单位（${contact.unit}）登记了同一${what}，这一行没有读入。一个人在同一单位只登记一行。`;
      }
    }
    for (const [key] of keys) this.seen.set(key, contact.line);
    return null;
  }
}

/**
 * Reads the text of a contacts file. Unit names are canonicalised with the directory (aliases resolved,
 * brackets normalised), the name as written is kept in `unitAsWritten`.
 * @returns the usable contacts in file order, and one problem per fault, sorted by line.
 */
export function parseContacts(text: string, directory: UnitDirectory): ParsedContacts {
  const csv = readCsv(text);
  const rows = csv.rows.filter((row) => row.cells.some((cell) => cell.trim() !== ''));
  const [header, ...dataRows] = rows;
  const columns = header ? headerColumns(header.cells) : null;
  if (columns === null) return { contacts: [], problems: [headerProblem(header)] };

  const contacts: Contact[] = [];
  const problems = [...csv.problems];
  const duplicates = new DuplicateFinder();
  for (const row of dataRows) {
    const cells = withoutExtraEmpty(row.cells, columns);
    if (cells.length !== columns) {
      problems.push({ line: row.line, reason: columnCountProblem(cells, columns) });
      continue;
    }
    const checked = checkRow({ line: row.line, cells }, directory);
    const duplicate = checked.contact && duplicates.check(checked.contact);
    if (checked.contact && !duplicate) contacts.push(checked.contact);
    for (const reason of duplicate ? [duplicate] : checked.reasons) problems.push({ line: row.line, reason });
  }
  problems.sort((a, b) => a.line - b.line);
  return { contacts, problems };
}
