/** Numbering patterns of Chinese official documents: `一、` `(一)` `1.` `(1)`. */

const CN_DIGITS: Record<string, number> = {
  零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9,
};

/** Parses a Chinese numeral up to 99 (`一` → 1, `十二` → 12, `二十` → 20); NaN when it is not one. */
export function parseChineseNumber(s: string): number {
  if (!/^[零〇一二两三四五六七八九十]+$/.test(s)) return Number.NaN;
  if (!s.includes('十')) {
    let n = 0;
    for (const ch of s) n = n * 10 + (CN_DIGITS[ch] ?? 0);
    return n;
  }
  const [tens, ones] = s.split('十') as [string, string];
  const t = tens === '' ? 1 : (CN_DIGITS[tens] ?? Number.NaN);
  const o = ones === '' ? 0 : (CN_DIGITS[ones] ?? Number.NaN);
  return t * 10 + o;
}

const CN = '[一二三四五六七八九十]+';

/** `一、依法全面履行政府职能` */
export const SECTION_RE = new RegExp(`^(${CN})、\\s*(.*)$`);
/** `(一)地区生产总值增长7%以上` */
export const PAREN_CN_RE = new RegExp(`^\\((${CN})\\)\\s*(.*)$`);
/** `4.优化法治化营商环境。` — also `1*.`, and `1、`; never `3.0` (a decimal). */
export const ITEM_RE = /^(\d{1,3})(\*?)\s*[.、](?!\d)\s*(.*)$/;
/** `(1)全面准确依法编制…` */
export const PAREN_NUM_RE = /^\((\d{1,3})\)\s*(.*)$/;
