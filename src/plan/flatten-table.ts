/**
 * Tables in web copies of plans come flattened in several ways: rows with ` | ` between cells, one
 * cell per line with `|` lines between them, one cell per paragraph, or box-drawing characters.
 * This module turns each into the numbered prose the plan parser reads: `1.任务…` lines followed by
 * `牵头单位:` / `责任单位:` / `完成时限:` label lines.
 */
import { isDeadlineCell } from './deadline';
import { ITEM_RE, PAREN_CN_RE, PAREN_NUM_RE, SECTION_RE } from './numbering';
import { LABEL_RE, parseResponsibility } from './responsibility';
import { looksLikeUnit } from './unit-names';

export type TableLayout = 'prose' | 'pipe-rows' | 'pipe-stream' | 'paragraph-stream' | 'box';

interface Cell {
  text: string;
  /** The cell opens a new table row (known for row layouts only). */
  rowStart: boolean;
  /** The cell belongs to the header row (the row that holds `序号`), known for row layouts only. */
  header?: boolean;
}

const HEADER_WORDS =
  /^(序号|项目|项目名称|工作任务|工作目标|重点工作任务|重点工作目标任务|主要工作内容|具体任务|工作措施|主要任务|任务内容|牵头单位|责任单位|责任部门|配合单位|牵头领导|责任领导|分管领导|完成时限|完成时间|时间节点|备注|完成情况|进展情况)$/;

function isHeaderCell(t: string): boolean {
  const c = t.replace(/\s+/g, '');
  if (HEADER_WORDS.test(c)) return true;
  return c.length <= 40 && !/。/.test(c) && /(部署任务|落实措施|重点工作任务\(|工作任务\()/.test(c);
}

function isLeaderCell(t: string): boolean {
  return t
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .every((l) => /^[\u4e00-\u9fa5](\s?[\u4e00-\u9fa5]){1,2}$/.test(l) && !looksLikeUnit(l.replace(/\s/g, '')));
}

/** A cell that holds only a unit list (`★区发改委、统计局`, `市行政审批局市司法局`). */
export function isUnitCell(t: string): boolean {
  const c = t.trim();
  if (!c || LABEL_RE.test(c)) return Boolean(c);
  // Sentences end with 。; a unit list only in `…等。`.
  if (/。./.test(c) || (c.endsWith('。') && !/等。$/.test(c))) return false;
  return parseResponsibility(c, { requireUnitsOnly: true }) !== null;
}

/** Which layout the document's lines use. */
export function detectLayout(lines: string[]): TableLayout {
  const box = lines.filter((l) => /[│┌├└┬┼]/.test(l)).length;
  if (box >= 3) return 'box';
  const barLines = lines.filter((l) => /^\|+$/.test(l)).length;
  if (barLines >= 3) return 'pipe-stream';
  const rowLines = lines.filter((l) => !/^\|+$/.test(l) && (l.match(/\|/g)?.length ?? 0) >= 2).length;
  if (rowLines >= 2) return 'pipe-rows';
  const headerAt = lines.findIndex((l) => l === '序号');
  if (headerAt >= 0 && lines.slice(headerAt, headerAt + 6).some((l) => l === '')) return 'paragraph-stream';
  return 'prose';
}

function cellsFromPipeRows(lines: string[]): Cell[] {
  const cells: Cell[] = [];
  for (const line of lines) {
    const parts = line.split('|').map((p) => p.trim());
    const header = parts.includes('序号');
    parts.forEach((text, i) => cells.push({ text, rowStart: i === 0, header }));
  }
  return cells;
}

function cellsFromPipeStream(lines: string[]): Cell[] {
  const cells: Cell[] = [];
  let cur: string[] = [];
  const flush = () => {
    cells.push({ text: cur.join('\n').trim(), rowStart: false });
    cur = [];
  };
  for (const line of lines) {
    if (/^\|+$/.test(line)) {
      flush();
      for (let i = 1; i < line.length; i++) cells.push({ text: '', rowStart: false });
    } else {
      cur.push(line);
    }
  }
  flush();
  return cells;
}

function cellsFromParagraphs(lines: string[]): Cell[] {
  const cells: Cell[] = [];
  let cur: string[] = [];
  for (const line of [...lines, '']) {
    if (line === '') {
      if (cur.length) cells.push({ text: cur.join(''), rowStart: false });
      cur = [];
    } else {
      cur.push(line);
    }
  }
  return cells;
}

/**
 * Box tables (`┌─┬─┐ │ … │`): text wraps inside cells across physical lines, so cells are rebuilt
 * column by column between rule lines; left columns that span several rows (工作任务, 工作目标)
 * close only at a rule that crosses them.
 */
function linesFromBox(lines: string[]): string[] {
  const out: string[] = [];
  let left: string[][] = [];
  let rows: { content: string; units: string }[] = [];
  let content = '';
  let units = '';
  let columns = 0;
  const closeRow = () => {
    if (content.trim() || units.trim()) rows.push({ content: content.trim(), units: units.trim() });
    content = '';
    units = '';
  };
  const closeGroup = () => {
    closeRow();
    const columns = left.map((col) => col.join(''));
    const leftText = columns.join('');
    const paren = /\(([一二三四五六七八九十]+)\)/.exec(leftText);
    if (rows.length) {
      // 工作任务 holds the number, 工作目标 (the column before the content) the title.
      const title = (columns.length > 1 ? columns.slice(1) : columns).join('').replace(/\([一二三四五六七八九十]+\)/, '').trim();
      out.push(paren ? `(${paren[1]})${title}` : title);
      for (const r of rows) {
        out.push(r.content);
        if (r.units) out.push(`责任单位:${r.units}`);
      }
    }
    rows = [];
    left = [];
  };
  for (const line of lines) {
    if (!/[│├┌└┼┬┴┤┐┘─]/.test(line)) {
      closeGroup();
      out.push(line);
      continue;
    }
    const segs = line.split('│');
    const ruled = line.includes('─');
    if (ruled) {
      // A rule that starts at the left edge closes the spanning columns too.
      if (/^[├┌└]/.test(line.trim())) closeGroup();
      else closeRow();
      continue;
    }
    // A line cut short (the excerpt ends mid-row) has no closing `│`.
    const inner = (line.trimEnd().endsWith('│') ? segs.slice(1, -1) : segs.slice(1)).map((s) => s.trim());
    if (inner.length <= 1) {
      closeGroup();
      if (inner[0]) out.push(inner[0]);
      continue;
    }
    if (inner.some((c) => isHeaderCell(c)) && inner.filter((c) => c).every((c) => isHeaderCell(c))) continue;
    // Cells are positional from the left: a cut line has fewer cells than the table has columns.
    columns = Math.max(columns, inner.length);
    const n = columns;
    units += inner[n - 1] ?? '';
    content += inner[n - 2] ?? '';
    inner.slice(0, Math.max(0, n - 2)).forEach((c, k) => {
      (left[k] ??= []).push(c);
    });
  }
  closeGroup();
  return out;
}

interface ConvertState {
  pendingNumber: string | null;
  unitCells: number;
  afterUnits: boolean;
  expectGroupLabel: boolean;
  inHeader: boolean;
}

/** Turns a cell sequence into numbered prose lines with label lines for units and deadlines. */
function linesFromCells(cells: Cell[], headerHint: string[]): string[] {
  const out: string[] = [];
  const header: string[] = [...headerHint];
  // Items written in their own cells (`1.地区生产总值增长5%以上。`) make bare numbers group ordinals.
  const numberedItems = cells.some((c) => Boolean(ITEM_RE.exec(c.text)?.[3]));
  const st: ConvertState = { pendingNumber: null, unitCells: 0, afterUnits: false, expectGroupLabel: false, inHeader: false };
  for (const cell of cells) {
    const t = cell.text.trim();
    if (cell.rowStart) {
      st.unitCells = 0;
      st.afterUnits = false;
    }
    if (!t) continue;
    if (cell.header) {
      header.push(t.replace(/\s+/g, ''));
      continue;
    }
    if (t === '序号' || (st.inHeader && isHeaderCell(t))) {
      st.inHeader = true;
      header.push(t.replace(/\s+/g, ''));
      continue;
    }
    if (isHeaderCell(t)) {
      header.push(t.replace(/\s+/g, ''));
      continue;
    }
    st.inHeader = false;
    const hasLeadCol = header.some((h) => /^牵头单位/.test(h));
    const hasRespCol = header.some((h) => /^(责任单位|责任部门|配合单位)/.test(h));
    if (SECTION_RE.test(t)) {
      out.push(t);
      st.pendingNumber = null;
      continue;
    }
    // A group row (`(二)戴建平常务副市长牵头重点工作`) may follow the previous row's units directly;
    // only a short heading counts there, not a 完成情况 text that happens to start with `(一)`.
    if (PAREN_CN_RE.test(t) && (!st.afterUnits || (t.length <= 40 && !t.includes('。')))) {
      out.push(t);
      st.afterUnits = false;
      continue;
    }
    // A number cell: `1`, `1*`, or `1.` as a spreadsheet export writes it.
    const num = /^(\d{1,4}\*?)[.、]?$/.exec(t);
    if (num) {
      st.unitCells = 0;
      st.afterUnits = false;
      if (numberedItems) {
        st.expectGroupLabel = true;
        st.pendingNumber = null;
      } else {
        st.pendingNumber = num[1] ?? t;
      }
      continue;
    }
    if (ITEM_RE.test(t) || PAREN_NUM_RE.test(t)) {
      out.push(t);
      st.unitCells = 0;
      st.afterUnits = false;
      st.expectGroupLabel = false;
      continue;
    }
    if (LABEL_RE.test(t) || /^[省市区县]?牵头单位:/.test(t)) {
      out.push(t.replace(/\n/g, ''));
      continue;
    }
    if (isDeadlineCell(t)) {
      out.push(`完成时限:${t.replace(/\s+/g, '')}`);
      continue;
    }
    if (isUnitCell(t)) {
      const label = hasLeadCol && (!hasRespCol || st.unitCells === 0) ? '牵头单位' : '责任单位';
      out.push(`${label}:${t.replace(/\s+/g, '')}`);
      st.unitCells++;
      st.afterUnits = true;
      continue;
    }
    if (header.some((h) => /领导/.test(h)) && isLeaderCell(t)) continue;
    // Text after the units belongs to a 完成情况 / 备注 column, not to the task.
    if (st.afterUnits) continue;
    if (st.expectGroupLabel) {
      st.expectGroupLabel = false;
      continue;
    }
    if (st.pendingNumber) {
      out.push(`${st.pendingNumber}.${t.replace(/\n/g, '')}`);
      st.pendingNumber = null;
      continue;
    }
    out.push(t.replace(/\n/g, ''));
  }
  return out;
}

/**
 * Flattens whatever table the body holds into prose lines; prose passes through unchanged.
 * The header line of a table whose separators were lost (`序号…牵头单位责任单位完成时限备注`) is
 * dropped but reported, so the caller knows that glued unit runs hold a lead column.
 */
export interface FlatBody {
  lines: string[];
  layout: TableLayout;
  /** The header of a table that lost its separators names both 牵头单位 and 责任单位 columns. */
  gluedLeadColumn: boolean;
  /** Index of the first line that came from a table (lines.length when none did). */
  firstTableLine: number;
}

export function flattenTables(lines: string[]): FlatBody {
  const layout = detectLayout(lines);
  let gluedLeadColumn = false;
  const prose = lines.filter((l) => {
    if (/^序号.*牵头单位.*责任单位/.test(l) && !l.includes('|')) {
      gluedLeadColumn = true;
      return false;
    }
    return true;
  });
  const done = (out: string[], firstTableLine: number): FlatBody => ({ lines: out, layout, gluedLeadColumn, firstTableLine });
  switch (layout) {
    case 'prose': {
      const out = prose.filter((l) => l !== '');
      // A table whose separators were lost reads as prose, but its rows are still table rows.
      return done(out, gluedLeadColumn ? 0 : out.length);
    }
    case 'box':
      return done(linesFromBox(prose).filter((l) => l !== ''), 0);
    case 'pipe-rows':
      return withPreamble(prose, (l) => l.includes('|'), cellsFromPipeRows, done);
    case 'pipe-stream':
      return withPreamble(prose, (l) => l === '序号' || /^\|+$/.test(l), cellsFromPipeStream, done);
    case 'paragraph-stream':
      return withPreamble(prose, (l) => l === '序号', cellsFromParagraphs, done);
  }
}

/** Lines before the table (title, preamble) stay prose; the table from its first line on becomes cells. */
function withPreamble(
  lines: string[],
  isTableStart: (l: string) => boolean,
  toCells: (ls: string[]) => Cell[],
  done: (out: string[], firstTableLine: number) => FlatBody,
): FlatBody {
  const start = lines.findIndex(isTableStart);
  const head = (start < 0 ? lines : lines.slice(0, start)).filter((l) => l !== '');
  const table = start < 0 ? [] : lines.slice(start);
  return done([...head, ...linesFromCells(toCells(table), [])], head.length);
}
