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
 * Canonical document text: `\n` line ends, half-width ASCII punctuation, every kind of space turned
 * into a plain space, each line trimmed. Blank lines are kept (they separate table cells in some
 * web copies).
 */
export function normalizeDocument(raw: string): string[] {
  return toHalfWidth(raw.replace(/^\uFEFF/, ''))
    .replace(/\r\n?/g, '\n')
    .replace(/[\u00a0\u2000-\u200b\u3000\t]/g, ' ')
    .split('\n')
    .map((line) => line.replace(/ {2,}/g, ' ').trim());
}
