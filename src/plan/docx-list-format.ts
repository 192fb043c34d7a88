/** Word's list number formats (`w:numFmt` in word/numbering.xml) written as Word shows them. */
import { toChineseNumber } from './numbering';

const CN_LEGAL: Record<string, string> = {
  一: '壹', 二: '贰', 三: '叁', 四: '肆', 五: '伍', 六: '陆', 七: '柒', 八: '捌', 九: '玖', 十: '拾', 百: '佰',
};
const TIANGAN = '甲乙丙丁戊己庚辛壬癸';
const DIZHI = '子丑寅卯辰巳午未申酉戌亥';
const FULL_WIDTH_DIGITS = '０１２３４５６７８９';
const IDEOGRAPH_DIGITS = '〇一二三四五六七八九';

function roman(n: number): string {
  if (n < 1 || n > 3999) return String(n);
  const parts: [number, string][] = [
    [1000, 'M'], [900, 'CM'], [500, 'D'], [400, 'CD'], [100, 'C'], [90, 'XC'],
    [50, 'L'], [40, 'XL'], [10, 'X'], [9, 'IX'], [5, 'V'], [4, 'IV'], [1, 'I'],
  ];
  let out = '';
  let rest = n;
  for (const [value, letters] of parts) {
    while (rest >= value) {
      out += letters;
      rest -= value;
    }
  }
  return out;
}

function enclosed(n: number, firstCode: number, count: number): string {
  return n >= 1 && n <= count ? String.fromCodePoint(firstCode + n - 1) : String(n);
}

/** Writes a list counter in a Word number format (`w:numFmt`); unknown formats as decimal. */
export function formatListNumber(n: number, format: string): string {
  switch (format) {
    case 'none':
      return '';
    case 'decimalZero':
      return n >= 0 && n < 10 ? `0${n}` : String(n);
    case 'decimalFullWidth':
    case 'decimalFullWidth2':
      return String(n).replace(/\d/g, (d) => FULL_WIDTH_DIGITS[Number(d)] ?? d);
    case 'chineseCounting':
    case 'chineseCountingThousand':
    case 'japaneseCounting':
    case 'taiwaneseCounting':
    case 'taiwaneseCountingThousand':
    case 'koreanCounting':
      return toChineseNumber(n);
    case 'ideographDigital':
    case 'taiwaneseDigital':
    case 'japaneseDigitalTenThousand':
    case 'koreanDigital':
      return String(n).replace(/\d/g, (d) => IDEOGRAPH_DIGITS[Number(d)] ?? d);
    case 'chineseLegalSimplified':
    case 'ideographLegalTraditional':
    case 'japaneseLegal':
      return toChineseNumber(n).replace(/[一二三四五六七八九十百]/g, (c) => CN_LEGAL[c] ?? c);
    case 'ideographTraditional':
      return n >= 1 && n <= 10 ? (TIANGAN[n - 1] ?? String(n)) : String(n);
    case 'ideographZodiac':
      return n >= 1 && n <= 12 ? (DIZHI[n - 1] ?? String(n)) : String(n);
    case 'decimalEnclosedCircle':
    case 'decimalEnclosedCircleChinese':
      return enclosed(n, 0x2460, 20);
    case 'decimalEnclosedParen':
      return enclosed(n, 0x2474, 20);
    case 'decimalEnclosedFullstop':
      return enclosed(n, 0x2488, 20);
    case 'ideographEnclosedCircle':
      return enclosed(n, 0x3280, 10);
    case 'upperLetter':
    case 'lowerLetter': {
      if (n < 1) return String(n);
      const letter = String.fromCharCode(0x41 + ((n - 1) % 26)).repeat(Math.floor((n - 1) / 26) + 1);
      return format === 'upperLetter' ? letter : letter.toLowerCase();
    }
    case 'upperRoman':
      return roman(n);
    case 'lowerRoman':
      return roman(n).toLowerCase();
    default:
      return String(n);
  }
}
