/** Deadlines written in plan text (`2019年9月底前`, `年底前`, `6月30日前`) as `YYYY-MM-DD`. */

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

function lastDayOfMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function iso(year: number, month: number, day: number): string | null {
  if (month < 1 || month > 12 || day < 1 || day > lastDayOfMonth(year, month)) return null;
  return `${year}-${pad(month)}-${pad(day)}`;
}

const QUARTER_END: Record<string, number> = { 一: 3, 二: 6, 三: 9, 四: 12, '1': 3, '2': 6, '3': 9, '4': 12 };

/**
 * One deadline phrase. In running text a phrase must say "before" (`前`) or be followed by a verb of
 * completion (`6月底完成`) to count, so that a period such as `(2020年)` or a target like `到2025年`
 * is not taken for a deadline; in a deadline column (`完成时限`) the bare form `2022年9月底` counts too.
 * Groups: 1 year, 2 明年/次年, 3 month, 4 day, 5 part of month, 6 named period, 7 quarter, 8 "before".
 */
const PHRASE_SOURCE =
  '(?:(\\d{4})年|(明年|次年))?(?:(\\d{1,2})月(?:(\\d{1,2})[日号])?(底|末|中旬|上旬|下旬|份)?|(年底|年末|年内|底|上半年|下半年)|(?:第?([一二三四1-4])季度)(?:末|底)?)(前(?!后)|之前|以前)?';

const PHRASE_RE = new RegExp(PHRASE_SOURCE, 'g');
const CELL_RE = new RegExp(`^${PHRASE_SOURCE}$`);
/** Verbs that make a bare period a deadline: `6月底完成`, `年内建成`. */
const COMPLETION_RE = /^(完成|建成|办结|出台|印发|上线|实现|到位|落地|投用|竣工|全覆盖)/;

function phraseToDate(m: RegExpExecArray, year: number | null): string | null {
  const y = m[1] ? Number(m[1]) : year === null ? null : m[2] ? year + 1 : year;
  if (y === null) return null;
  if (m[3]) {
    const month = Number(m[3]);
    if (month < 1 || month > 12) return null;
    if (m[4]) return iso(y, month, Number(m[4]));
    const when = m[5];
    if (when === '上旬') return iso(y, month, 10);
    if (when === '中旬') return iso(y, month, 20);
    return iso(y, month, lastDayOfMonth(y, month));
  }
  const named = m[6];
  if (named === '年底' || named === '年末' || named === '年内' || named === '底') {
    // a bare `底` only counts right after an explicit year: `2022年底前`
    if (named === '底' && !m[1] && !m[2]) return null;
    return iso(y, 12, 31);
  }
  if (named === '上半年') return iso(y, 6, 30);
  if (named === '下半年') return iso(y, 12, 31);
  const q = m[7];
  if (q) {
    const month = QUARTER_END[q] ?? 12;
    return iso(y, month, lastDayOfMonth(y, month));
  }
  return null;
}

/** All deadlines mentioned in running text, in order; only phrases that say "before" or "done by" count. */
export function findDeadlinesInText(text: string, year: number | null): string[] {
  const out: string[] = [];
  PHRASE_RE.lastIndex = 0;
  for (let m = PHRASE_RE.exec(text); m; m = PHRASE_RE.exec(text)) {
    if (m[0] === '') {
      PHRASE_RE.lastIndex++;
      continue;
    }
    if (!m[8] && !COMPLETION_RE.test(text.slice(PHRASE_RE.lastIndex))) continue;
    const d = phraseToDate(m, year);
    if (d) out.push(d);
  }
  return out;
}

/** The latest deadline in running text (a task is done when all its steps are), or null. */
export function latestDeadline(text: string, year: number | null): string | null {
  const all = findDeadlinesInText(text, year);
  return all.length === 0 ? null : all.reduce((a, b) => (b > a ? b : a));
}

/** A deadline cell (`2022年9月底`, `年底前`); null when the cell is not a deadline. */
export function parseDeadlineCell(cell: string, year: number | null): string | null {
  const c = cell.replace(/\s+/g, '').replace(/(完成|办结|建成)$/, '');
  const m = CELL_RE.exec(c);
  if (!m || m[0] === '') return null;
  return phraseToDate(m, year);
}

const OPEN_ENDED_RE = /^(长期|持续推进|持续开展|常态化|年内)(推进|开展|完成)?$/;

/** True when the cell reads as a deadline, even one the parser cannot date (`长期`, `持续推进`). */
export function isDeadlineCell(cell: string): boolean {
  const c = cell.replace(/\s+/g, '').replace(/(完成|办结|建成)$/, '');
  if (OPEN_ENDED_RE.test(c)) return true;
  const m = CELL_RE.exec(c);
  return Boolean(m && m[0] !== '' && (m[1] || m[2] || m[3] || m[6] || m[7]));
}

/**
 * A deadline at the end of a unit list or a glued table row (`…西咸新区管委会2022年9月底`,
 * `区司法局,2021年6月底前完成`): the text before it and the deadline phrase, or null when none.
 */
export function splitTrailingDeadline(text: string): { rest: string; deadline: string } | null {
  const t = text.trim();
  for (let i = Math.max(0, t.length - 16); i < t.length; i++) {
    const tail = t.slice(i);
    if (isDeadlineCell(tail) && !/^\d/.test(t.slice(i - 1, i))) return { rest: t.slice(0, i), deadline: tail };
  }
  return null;
}
