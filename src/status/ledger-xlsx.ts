/**
 * The 台账 as an Excel workbook (opens in Excel and WPS): sheet `台账` with a title, the header frozen and filtered,
 * wrapped text and each 状态 cell filled in its colour; sheet `报送记录` with every report ever made.
 */
import ExcelJS from 'exceljs';
import { chineseDate, dateTimeInZone, monthDay } from '../calendar/civil-date';
import { cellText } from './cell-text';
import { HISTORY_HEADERS, historyRows, historyValues, LEDGER_HEADERS, ledgerRows, ledgerValues, type HistoryRow, type LedgerRow } from './ledger';
import type { Light } from './light';
import type { StatusBoard } from './roll-up';
import type { StatusView } from './status-view';

/** Excel's own "good / neutral / bad" styles: readable on screen and in print. */
export const LIGHT_FILLS: Record<Light, { fill: string; font: string }> = {
  green: { fill: 'FFC6EFCE', font: 'FF006100' },
  yellow: { fill: 'FFFFEB9C', font: 'FF9C5700' },
  red: { fill: 'FFFFC7CE', font: 'FF9C0006' },
};

const HEADER_FILL = 'FFD9E1F2';
const LEDGER_WIDTHS = [6, 24, 50, 18, 28, 14, 50, 24, 17, 10];
const HISTORY_WIDTHS = [17, 12, 40, 18, 8, 9, 60, 10, 20];
/** The ledger's title, the line under it, then the header. */
const LEDGER_HEADER_ROW = 3;

const THIN: Partial<ExcelJS.Borders> = {
  top: { style: 'thin', color: { argb: 'FFBFBFBF' } },
  left: { style: 'thin', color: { argb: 'FFBFBFBF' } },
  bottom: { style: 'thin', color: { argb: 'FFBFBFBF' } },
  right: { style: 'thin', color: { argb: 'FFBFBFBF' } },
};

function solid(argb: string): ExcelJS.Fill {
  return { type: 'pattern', pattern: 'solid', fgColor: { argb } };
}

/** Cells as Excel may hold them: text cleaned (cell-text.ts), numbers as numbers, empty text as an empty cell. */
function cells(values: readonly (string | number | null)[]): (string | number | null)[] {
  return values.map((v) => (v === '' ? null : typeof v === 'string' ? cellText(v) : v));
}

function styleHeader(row: ExcelJS.Row): void {
  row.font = { bold: true };
  row.alignment = { vertical: 'middle', horizontal: 'center', wrapText: true };
  row.height = 22;
  row.eachCell((c) => {
    c.fill = solid(HEADER_FILL);
    c.border = THIN;
  });
}

function styleBody(row: ExcelJS.Row): void {
  row.alignment = { vertical: 'top', wrapText: true };
  row.eachCell({ includeEmpty: true }, (c) => (c.border = THIN));
}

/** `2020年秀洲区法治政府建设工作要点落实情况台账`. */
function ledgerTitle(view: StatusView): string {
  const titles = view.plans.map((p) => p.title);
  if (titles.length === 1) return `${titles[0]}落实情况台账`;
  return `工作要点落实情况台账（${titles.map((t) => `《${t}》`).join('、')}）`;
}

/** `截至 2025年10月15日 10:00\u3000本期：2025年10月（10月30日截止）`. */
function asOfLine(board: StatusBoard, timeZone: string): string {
  const [date = '', time = ''] = dateTimeInZone(board.now, timeZone).split(' ');
  const cycle = board.cycle ? `\u3000本期：${board.cycle.active.label}（${monthDay(board.cycle.active.due)}截止）` : '';
  const mixed = board.mixed ? '，部分事项按单独设置的周期报送' : '';
  return `截至 ${chineseDate(date)} ${time}${cycle}${mixed}`;
}

function addLedgerSheet(wb: ExcelJS.Workbook, view: StatusView, board: StatusBoard, rows: readonly LedgerRow[]): void {
  const ws = wb.addWorksheet('台账', {
    views: [{ state: 'frozen', xSplit: 0, ySplit: LEDGER_HEADER_ROW, topLeftCell: `A${LEDGER_HEADER_ROW + 1}` }],
    pageSetup: { paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0, printTitlesRow: `${LEDGER_HEADER_ROW}:${LEDGER_HEADER_ROW}` },
  });
  LEDGER_WIDTHS.forEach((w, i) => (ws.getColumn(i + 1).width = w));
  const last = LEDGER_HEADERS.length;
  ws.mergeCells(1, 1, 1, last);
  ws.mergeCells(2, 1, 2, last);
  const title = ws.getCell(1, 1);
  title.value = cellText(ledgerTitle(view));
  title.font = { bold: true, size: 16 };
  title.alignment = { horizontal: 'center', vertical: 'middle' };
  ws.getRow(1).height = 30;
  const asOf = ws.getCell(2, 1);
  asOf.value = asOfLine(board, view.deps.config.TIMEZONE);
  asOf.alignment = { horizontal: 'right' };
  styleHeader(ws.addRow([...LEDGER_HEADERS]));
  for (const r of rows) {
    const row = ws.addRow(cells(ledgerValues(r)));
    styleBody(row);
    row.getCell(1).alignment = { vertical: 'top', horizontal: 'center' };
    const status = row.getCell(LEDGER_HEADERS.indexOf('状态') + 1);
    status.fill = solid(LIGHT_FILLS[r.light].fill);
    status.font = { color: { argb: LIGHT_FILLS[r.light].font }, bold: r.light === 'red' };
  }
  ws.autoFilter = { from: { row: LEDGER_HEADER_ROW, column: 1 }, to: { row: LEDGER_HEADER_ROW + rows.length, column: last } };
}

function addHistorySheet(wb: ExcelJS.Workbook, rows: readonly HistoryRow[]): void {
  const ws = wb.addWorksheet('报送记录', { views: [{ state: 'frozen', xSplit: 0, ySplit: 1, topLeftCell: 'A2' }] });
  HISTORY_WIDTHS.forEach((w, i) => (ws.getColumn(i + 1).width = w));
  ws.getColumn(HISTORY_HEADERS.indexOf('完成比例') + 1).numFmt = '0"%"';
  styleHeader(ws.addRow([...HISTORY_HEADERS]));
  for (const r of rows) styleBody(ws.addRow(cells(historyValues(r))));
  ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1 + rows.length, column: HISTORY_HEADERS.length } };
}

export interface LedgerWorkbook {
  buffer: Buffer;
  tasks: number;
  reports: number;
}

/** The workbook and how many tasks and reports it holds (for the command's message). */
export async function ledgerWorkbook(view: StatusView): Promise<LedgerWorkbook> {
  const board = view.board();
  const tz = view.deps.config.TIMEZONE;
  const rows = ledgerRows(board, tz);
  const history = historyRows(view.deps.store.reports.all(), board, tz);
  const wb = new ExcelJS.Workbook();
  wb.creator = '督办机器人';
  wb.created = new Date(view.now);
  addLedgerSheet(wb, view, board, rows);
  addHistorySheet(wb, history);
  const buffer = Buffer.from(await wb.xlsx.writeBuffer());
  return { buffer, tasks: rows.length, reports: history.length };
}

export async function ledgerXlsx(view: StatusView): Promise<Buffer> {
  return (await ledgerWorkbook(view)).buffer;
}
