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
 * One deadline phrase. In running text a phrase must say "before" (`前`) to count, so that a
 * period such as `(2020年)` or a target like `到2025年` is not taken for a deadline; in a
 * deadline column (`完成时限`) the bare form `2022年9月底` counts too.
 */
const PHRASE_RE =
  /(?:(\d{4})年)?(?:(\d{1,2})月(?:(\d{1,2})[日号])?(底|末|中旬|上旬|下旬|份)?|(年底|年末|底|上半年|下半年)|(?:第?([一二三四1-4])季度)(?:末|底)?)(前|之前|以前)?/g;

function phraseToDate(m: RegExpExecArray, year: number | null): string | null {
  const y = m[1] ? Number(m[1]) : year;
  if (y === null) return null;
  if (m[2]) {
    const month = Number(m[2]);
    if (month < 1 || month > 12) return null;
    if (m[3]) return iso(y, month, Number(m[3]));
    const when = m[4];
    if (when === '上旬') return iso(y, month, 10);
    if (when === '中旬') return iso(y, month, 20);
    return iso(y, month, lastDayOfMonth(y, month));
  }
  const named = m[5];
  if (named === '年底' || named === '年末' || named === '底') {
    // a bare `底` only counts right after an explicit year: `2022年底前`
    if (named === '底' && !m[1]) return null;
    return iso(y, 12, 31);
  }
  if (named === '上半年') return iso(y, 6, 30);
  if (named === '下半年') return iso(y, 12, 31);
  const q = m[6];
  if (q) {
    const month = QUARTER_END[q] ?? 12;
    return iso(y, month, lastDayOfMonth(y, month));
  }
  return null;
}

/** All deadlines mentioned in running text, in order; only phrases that say "before" count. */
export function findDeadlinesInText(text: string, year: number | null): string[] {
  const out: string[] = [];
  PHRASE_RE.lastIndex = 0;
  for (let m = PHRASE_RE.exec(text); m; m = PHRASE_RE.exec(text)) {
    if (m[0] === '') {
      PHRASE_RE.lastIndex++;
      continue;
    }
    if (!m[7]) continue;
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

const CELL_RE = new RegExp(`^${PHRASE_RE.source}$`);

/** A deadline cell (`2022年9月底`, `年底前`); null when the cell is not a deadline. */
export function parseDeadlineCell(cell: string, year: number | null): string | null {
  const m = CELL_RE.exec(cell.replace(/\s+/g, ''));
  if (!m || m[0] === '') return null;
  return phraseToDate(m, year);
}

/** True when the cell reads as a deadline, even one the parser cannot date (`长期`, `持续推进`). */
export function isDeadlineCell(cell: string): boolean {
  const c = cell.replace(/\s+/g, '');
  if (/^(长期|持续推进|持续开展|常态化|年内)(推进|开展)?$/.test(c)) return true;
  const m = CELL_RE.exec(c);
  return Boolean(m && m[0] !== '' && (m[1] || m[2] || m[5] || m[6]));
}
