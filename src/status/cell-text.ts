/**
 * Text as a spreadsheet cell may hold it, for the 台账 in .xlsx and .csv. Report text is whatever a liaison typed:
 * - control characters (other than line breaks) are not allowed in the XML of an .xlsx, and Excel refuses the
 *   whole file when one is there: they are dropped, as are lone surrogates and U+FFFE/U+FFFF;
 * - a cell starting with `=`, `+`, `-` or `@` is taken for a formula by Excel when a CSV is opened (CSV
 *   injection, e.g. `=cmd|' /c calc'!A1`): it gets a leading `'`, which shows the text as it was written;
 * - Excel holds at most 32,767 characters in a cell: longer text is cut with a note.
 */

/** Excel's limit on the characters (UTF-16 units) of one cell. */
export const MAX_CELL_CHARS = 32_767;

const CUT_NOTE = '…（内容过长，以下从略）';

// eslint-disable-next-line no-control-regex
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

const FORMULA_START = /^[=+\-@]/;

export function cellText(raw: string): string {
  let s = raw.replace(/\r\n?/g, '\n').replace(/\t/g, ' ').replace(NOT_XML, '');
  if (FORMULA_START.test(s)) s = `'${s}`;
  if (s.length > MAX_CELL_CHARS) {
    let end = MAX_CELL_CHARS - CUT_NOTE.length;
    // Do not split a character outside the Basic Multilingual Plane.
    if (/[\uD800-\uDBFF]/.test(s.charAt(end - 1))) end--;
    s = `${s.slice(0, end)}${CUT_NOTE}`;
  }
  return s;
}
