/** Numbering patterns of Chinese official documents: `一、` `(一)` `1.` `(1)`. */

const CN_DIGITS: Record<string, number> = {
  零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9,
};

/**
 * Parses a Chinese numeral up to 999 (`一` → 1, `十二` → 12, `二十` → 20, `一百零五` → 105);
 * NaN when it is not one.
 */
export function parseChineseNumber(s: string): number {
  if (!/^[零〇一二两三四五六七八九十百]+$/.test(s)) return Number.NaN;
  if (!/[十百]/.test(s)) {
    let n = 0;
    for (const ch of s) n = n * 10 + (CN_DIGITS[ch] ?? 0);
    return n;
  }
  let total = 0;
  let digit = 0;
  for (const ch of s) {
    if (ch === '百' || ch === '十') {
      total += (digit === 0 && ch === '十' ? 1 : digit) * (ch === '百' ? 100 : 10);
      digit = 0;
    } else {
      const d = CN_DIGITS[ch];
      if (d === undefined) return Number.NaN;
      digit = d;
    }
  }
  return total + digit;
}

const CN_NAMES = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];

/** Writes 1–999 as a Chinese numeral: 1 → 一, 10 → 十, 12 → 十二, 105 → 一百零五; other numbers in digits. */
export function toChineseNumber(n: number): string {
  if (!Number.isInteger(n) || n < 1 || n > 999) return String(n);
  const h = Math.floor(n / 100);
  const t = Math.floor((n % 100) / 10);
  const o = n % 10;
  let s = h ? `${CN_NAMES[h]}百` : '';
  if (t) s += `${h || t > 1 ? CN_NAMES[t] : ''}十`;
  else if (h && o) s += '零';
  if (o) s += CN_NAMES[o];
  return s;
}

const CN = '[一二三四五六七八九十百零〇]+';

/** `一、依法全面履行政府职能` */
export const SECTION_RE = new RegExp(`^(${CN})、\\s*(.*)$`);
/** `(一)地区生产总值增长7%以上` */
export const PAREN_CN_RE = new RegExp(`^\\((${CN})\\)\\s*(.*)$`);
/** `4.优化法治化营商环境。` — also `1*.`, and `1、`; never `3.0` (a decimal). Up to 9999 items. */
export const ITEM_RE = /^(\d{1,4})(\*?)\s*[.、](?!\d)\s*(.*)$/;
/** `(1)全面准确依法编制…` */
export const PAREN_NUM_RE = /^\((\d{1,3})\)\s*(.*)$/;
