/**
 * Text normalisation shared by the plan parser. Real documents mix full- and half-width punctuation,
 * non-breaking and ideographic spaces, and CRLF line ends; the parser works on one canonical form.
 */

const FULL_TO_HALF: Record<string, string> = {
  '（': '(',
  '）': ')',
  '：': ':',
  '，': ',',
  '；': ';',
  '．': '.',
  '％': '%',
  '！': '!',
  '？': '?',
  '＊': '*',
  '｜': '|',
  '－': '-',
  '／': '/',
  '［': '[',
  '］': ']',
};

/** Full-width digits and Latin letters to ASCII, selected punctuation to half-width. */
export function toHalfWidth(s: string): string {
  return s.replace(/[０-９Ａ-Ｚａ-ｚ（）：，；．％！？＊｜－／［］]/g, (ch) => {
    const mapped = FULL_TO_HALF[ch];
    if (mapped) return mapped;
    return String.fromCharCode(ch.charCodeAt(0) - 0xfee0);
  });
}

/** Brackets inside a unit name are normalised to half-width `()`; spaces are removed. */
export function normalizeUnitName(name: string): string {
  return toHalfWidth(name).replace(/[\s\u00a0\u3000]+/g, '').trim();
}

/**
 * A SQLite GLOB pattern matching every name that normalizeUnitName would change: one holding a character that
 * toHalfWidth maps or a space it removes. For finding, among stored names, those not stored in normal form.
 */
export const UNNORMALISED_UNIT_NAME_GLOB =
  '*[０-９Ａ-Ｚａ-ｚ（）：，；．％！？＊｜－／［］\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]*';

/**
 * Canonical document text: `\n` line ends, half-width ASCII punctuation, every kind of space turned
 * into a plain space, each line trimmed, tab-separated table rows turned into `|` rows. Blank lines
 * are kept (they separate table cells in some web copies).
 */
export function normalizeDocument(raw: string): string[] {
  const lines = toHalfWidth(raw.replace(/^\uFEFF/, ''))
    .replace(/\r\n?/g, '\n')
    .replace(/[\u00a0\u2000-\u200b\u3000]/g, ' ')
    .split('\n')
    .map((line) => line.replace(/ {2,}/g, ' ').trim());
  // A table pasted or exported from a spreadsheet separates cells with tabs: make them the `|`
  // cells the table reader knows. Elsewhere a tab is only a space.
  const tabbedRows = lines.filter((l) => (l.match(/\t/g)?.length ?? 0) >= 2).length;
  return lines.map((l) => (tabbedRows >= 2 && l.includes('\t') ? l.split(/\t+/).map((c) => c.trim()).join(' | ') : l.replace(/\t+/g, ' ').trim()));
}
