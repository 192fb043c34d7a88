/**
 * The 台账 sheet as CSV (RFC 4180: comma-separated, CRLF line ends, fields with a comma, quote or line break in
 * double quotes), in UTF-8 with a byte-order mark so that Excel reads the Chinese text right. Cells are cleaned as
 * in the workbook (cell-text.ts): a cell Excel would take for a formula starts with `'`.
 */
import { cellText } from './cell-text';
import { LEDGER_HEADERS, ledgerRows, ledgerValues } from './ledger';
import type { StatusView } from './status-view';

const BOM = '\uFEFF';

function field(value: string | number): string {
  const s = typeof value === 'number' ? String(value) : cellText(value);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function line(values: readonly (string | number)[]): string {
  return values.map(field).join(',');
}

export function ledgerCsv(view: StatusView): string {
  const rows = ledgerRows(view.board(), view.deps.config.TIMEZONE);
  return `${BOM}${[line(LEDGER_HEADERS), ...rows.map((r) => line(ledgerValues(r)))].join('\r\n')}\r\n`;
}
