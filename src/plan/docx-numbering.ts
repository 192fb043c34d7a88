/**
 * Word's automatic list numbers (编号: `一、` `1.` `(1)` drawn by Word, not typed by the author) written
 * back into the text. mammoth drops them: its document model keeps only each list paragraph's level and
 * whether the list is ordered, and its HTML restarts a list after every paragraph that interrupts it.
 *
 * The exact numbers come from the .docx itself: word/numbering.xml (formats such as `chineseCounting`
 * with `%1、`, start values, restarts) and the list paragraphs of word/document.xml, counted the way Word
 * counts them. They are matched to mammoth's list paragraphs in document order; when the two disagree
 * (or the parts cannot be read) the numbers are written by depth instead: with two or more ordered
 * levels the outermost is `一、`, the next `1.`, deeper ones `(1)`; a single level is `1.`.
 *
 * Bullets stay unnumbered, a paragraph that already starts with a typed number gets no second one, an
 * empty numbered paragraph in a table cell (a 序号 column) becomes the bare number (`3`), and an empty
 * numbered paragraph elsewhere gets nothing.
 */
import { inflateRawSync } from 'node:zlib';
import { toChineseNumber } from './numbering';

// ---------------------------------------------------------------------------------------------------
// Minimal ZIP reading (central directory, stored or deflated entries; no ZIP64, no encryption).

const MAX_PART_BYTES = 256 * 1024 * 1024;

function zipEntries(zip: Buffer): Map<string, Buffer | null> | null {
  const entries = new Map<string, Buffer | null>();
  let eocd = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 0xffff); i--) {
    if (zip.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return null;
  const count = zip.readUInt16LE(eocd + 10);
  let p = zip.readUInt32LE(eocd + 16);
  if (p === 0xffffffff) return null;
  for (let k = 0; k < count; k++) {
    if (zip.readUInt32LE(p) !== 0x02014b50) return null;
    const flags = zip.readUInt16LE(p + 8);
    const method = zip.readUInt16LE(p + 10);
    const size = zip.readUInt32LE(p + 20);
    const nameLength = zip.readUInt16LE(p + 28);
    const extraLength = zip.readUInt16LE(p + 30);
    const commentLength = zip.readUInt16LE(p + 32);
    const local = zip.readUInt32LE(p + 42);
    const name = zip.toString('utf8', p + 46, p + 46 + nameLength);
    p += 46 + nameLength + extraLength + commentLength;
    let data: Buffer | null = null;
    if ((flags & 1) === 0 && (method === 0 || method === 8) && zip.readUInt32LE(local) === 0x04034b50) {
      const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
      const raw = zip.subarray(start, start + size);
      data = method === 0 ? raw : inflateRawSync(raw, { maxOutputLength: MAX_PART_BYTES });
    }
    entries.set(name.replace(/^\/+/, '').toLowerCase(), data);
  }
  return entries;
}

// ---------------------------------------------------------------------------------------------------
// Minimal XML: elements and attributes only (text is not needed). Element and attribute prefixes are
// normalised by namespace: `w:` (WordprocessingML), `mc:` (markup compatibility), `rel:` (package
// relationships); attributes are parsed on first use.

interface XmlElement {
  name: string;
  children: XmlElement[];
  /** The attribute text of the start tag. */
  source: string;
  parsed?: Record<string, string>;
  rename: (raw: string) => string;
}

const NAMESPACES: Record<string, string> = {
  'http://schemas.openxmlformats.org/wordprocessingml/2006/main': 'w',
  'http://purl.oclc.org/ooxml/wordprocessingml/main': 'w',
  'http://schemas.openxmlformats.org/markup-compatibility/2006': 'mc',
  'http://schemas.openxmlformats.org/package/2006/relationships': 'rel',
};

const XML_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decodeXml(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|amp|lt|gt|quot|apos);/g, (whole, body: string) => {
    if (body[0] === '#') {
      const code = body[1] === 'x' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
      return code >= 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return XML_ENTITIES[body] ?? whole;
  });
}

const ATTRIBUTE_RE = /([^\s=]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;

function attributesOf(source: string): [string, string][] {
  const list: [string, string][] = [];
  for (const a of source.matchAll(ATTRIBUTE_RE)) list.push([a[1] ?? '', decodeXml(a[2] ?? a[3] ?? '')]);
  return list;
}

/** An attribute by its normalised name (`w:val`); unprefixed attributes keep their bare name. */
function attr(element: XmlElement | undefined, name: string): string | undefined {
  if (!element) return undefined;
  if (!element.parsed) {
    element.parsed = {};
    for (const [key, value] of attributesOf(element.source)) {
      if (key !== 'xmlns' && !key.startsWith('xmlns:')) element.parsed[key.includes(':') ? element.rename(key) : key] = value;
    }
  }
  return element.parsed[name];
}

function parseXml(xml: string): XmlElement {
  const prefixes = new Map<string, string>();
  const renamed = new Map<string, string>();
  const rename = (raw: string): string => {
    let name = renamed.get(raw);
    if (name === undefined) {
      const colon = raw.indexOf(':');
      const mapped = prefixes.get(colon < 0 ? '' : raw.slice(0, colon)) ?? (colon < 0 ? '' : raw.slice(0, colon));
      const local = colon < 0 ? raw : raw.slice(colon + 1);
      name = mapped ? `${mapped}:${local}` : local;
      renamed.set(raw, name);
    }
    return name;
  };
  const root: XmlElement = { name: '#root', children: [], source: '', rename };
  const stack: XmlElement[] = [root];
  const token = /<!--[\s\S]*?-->|<!\[CDATA\[[\s\S]*?\]\]>|<[?!][\s\S]*?>|<(\/?)([^\s/>]+)([^>]*?)(\/?)>/g;
  for (let m = token.exec(xml); m !== null; m = token.exec(xml)) {
    const [, closing, rawName, source = '', selfClosing] = m;
    if (rawName === undefined) continue;
    if (closing) {
      const name = rename(rawName);
      let at = stack.length - 1;
      while (at > 0 && stack[at]?.name !== name) at--;
      if (at > 0) stack.length = at;
      continue;
    }
    if (source.includes('xmlns')) {
      for (const [key, value] of attributesOf(source)) {
        const known = NAMESPACES[value];
        if (known && (key === 'xmlns' || key.startsWith('xmlns:'))) {
          prefixes.set(key === 'xmlns' ? '' : key.slice(6), known);
          renamed.clear();
        }
      }
    }
    const element: XmlElement = { name: rename(rawName), children: [], source, rename };
    stack[stack.length - 1]?.children.push(element);
    if (!selfClosing) stack.push(element);
  }
  return root;
}

function first(element: XmlElement | undefined, name: string): XmlElement | undefined {
  return element?.children.find((c) => c.name === name);
}

function val(element: XmlElement | undefined): string | undefined {
  return attr(element, 'w:val');
}

// ---------------------------------------------------------------------------------------------------
// Numbering definitions (word/numbering.xml) and the styles that link to them (word/styles.xml).

interface LevelDef {
  start: number;
  format: string;
  text: string;
  /** One-based level after which this level restarts; 0 = never; undefined = after the level above. */
  restart: number | undefined;
  legal: boolean;
}

interface AbstractNum {
  id: string;
  levels: Record<string, LevelDef & { ilvl: string; pStyle: string | undefined }>;
  numStyleLink: string | undefined;
}

interface NumInstance {
  abstractId: string;
  /** Levels replaced or restarted by `w:lvlOverride`. */
  overrides: Map<number, Partial<LevelDef>>;
}

function readLevel(element: XmlElement): LevelDef {
  const start = parseInt(val(first(element, 'w:start')) ?? '', 10);
  const restart = parseInt(val(first(element, 'w:lvlRestart')) ?? '', 10);
  const legal = first(element, 'w:isLgl');
  return {
    start: Number.isFinite(start) ? start : 1,
    format: val(first(element, 'w:numFmt')) ?? 'decimal',
    text: val(first(element, 'w:lvlText')) ?? '',
    restart: Number.isFinite(restart) ? restart : undefined,
    legal: legal !== undefined && !/^(0|false|off)$/.test(val(legal) ?? ''),
  };
}

/** Removes `mc:Choice` branches (mammoth, like older Word, reads `mc:Fallback`). */
function fallbackOnly(element: XmlElement): XmlElement {
  const children: XmlElement[] = [];
  for (const child of element.children) {
    if (child.name === 'mc:AlternateContent') {
      const fallback = first(child, 'mc:Fallback');
      if (fallback) children.push(...fallbackOnly(fallback).children);
    } else {
      children.push(fallbackOnly(child));
    }
  }
  return { ...element, children };
}

class NumberingDefinitions {
  /** Keyed like mammoth's (a null-prototype object), so that iteration order matches. */
  private readonly abstracts: Record<string, AbstractNum> = Object.create(null) as Record<string, AbstractNum>;
  private readonly nums = new Map<string, NumInstance>();
  private readonly numberingStyleNumIds = new Map<string, string>();
  private readonly paragraphStyles = new Map<string, { basedOn: string | undefined; numId: string | undefined }>();
  private readonly levelsByStyle = new Map<string, { abstractId: string; ilvl: string }>();

  constructor(numberingXml: XmlElement, stylesXml: XmlElement | null) {
    const numbering = first(fallbackOnly(numberingXml), 'w:numbering');
    for (const element of numbering?.children ?? []) {
      if (element.name !== 'w:abstractNum') continue;
      const id = attr(element, 'w:abstractNumId') ?? '';
      const abstract: AbstractNum = { id, levels: {}, numStyleLink: val(first(element, 'w:numStyleLink')) };
      let withoutIndex: (LevelDef & { ilvl: string; pStyle: string | undefined }) | null = null;
      for (const lvl of element.children.filter((c) => c.name === 'w:lvl')) {
        const ilvl = attr(lvl, 'w:ilvl');
        const level = { ...readLevel(lvl), ilvl: ilvl ?? '0', pStyle: val(first(lvl, 'w:pStyle')) };
        if (ilvl === undefined) withoutIndex = level;
        else abstract.levels[ilvl] = level;
      }
      if (withoutIndex && abstract.levels['0'] === undefined) abstract.levels['0'] = withoutIndex;
      this.abstracts[id] = abstract;
    }
    for (const element of numbering?.children ?? []) {
      if (element.name !== 'w:num') continue;
      const overrides = new Map<number, Partial<LevelDef>>();
      for (const override of element.children.filter((c) => c.name === 'w:lvlOverride')) {
        const ilvl = parseInt(attr(override, 'w:ilvl') ?? '', 10);
        if (!Number.isFinite(ilvl)) continue;
        const lvl = first(override, 'w:lvl');
        const change: Partial<LevelDef> = lvl ? readLevel(lvl) : {};
        const start = parseInt(val(first(override, 'w:startOverride')) ?? '', 10);
        if (Number.isFinite(start)) change.start = start;
        overrides.set(ilvl, change);
      }
      this.nums.set(attr(element, 'w:numId') ?? '', { abstractId: val(first(element, 'w:abstractNumId')) ?? '', overrides });
    }
    // mammoth indexes the levels linked to a paragraph style over all abstract numberings; the last wins.
    for (const abstract of Object.values(this.abstracts)) {
      for (const level of Object.values(abstract.levels)) {
        if (level.pStyle !== undefined) this.levelsByStyle.set(level.pStyle, { abstractId: abstract.id, ilvl: level.ilvl });
      }
    }
    const styles = stylesXml ? first(fallbackOnly(stylesXml), 'w:styles') : undefined;
    for (const style of styles?.children ?? []) {
      if (style.name !== 'w:style') continue;
      const id = attr(style, 'w:styleId') ?? '';
      const numId = val(first(first(first(style, 'w:pPr'), 'w:numPr'), 'w:numId'));
      if (attr(style, 'w:type') === 'numbering') {
        if (numId !== undefined) this.numberingStyleNumIds.set(id, numId);
      } else if (attr(style, 'w:type') === 'paragraph') {
        this.paragraphStyles.set(id, { basedOn: val(first(style, 'w:basedOn')), numId });
      }
    }
  }

  /** The abstract numbering a list instance uses (following `w:numStyleLink`, as mammoth does). */
  private abstractOf(numId: string, seen = new Set<string>()): AbstractNum | null {
    if (seen.has(numId)) return null;
    seen.add(numId);
    const num = this.nums.get(numId);
    const abstract = num ? this.abstracts[num.abstractId] : undefined;
    if (!abstract) return null;
    if (abstract.numStyleLink === undefined) return abstract;
    const linked = this.numberingStyleNumIds.get(abstract.numStyleLink);
    return linked === undefined ? null : this.abstractOf(linked, seen);
  }

  private styleNumId(styleId: string): string | undefined {
    const seen = new Set<string>();
    for (let id: string | undefined = styleId; id !== undefined && !seen.has(id); id = this.paragraphStyles.get(id)?.basedOn) {
      seen.add(id);
      const numId = this.paragraphStyles.get(id)?.numId;
      if (numId !== undefined) return numId;
    }
    return undefined;
  }

  /**
   * The list level of a paragraph, chosen as mammoth chooses it: `w:numPr` with both `w:numId` and
   * `w:ilvl`, else a level linked to the paragraph's style, else `w:numId` alone at level 0.
   */
  resolve(pPr: XmlElement | undefined): ListLevel | null {
    const numPr = first(pPr, 'w:numPr');
    const ilvl = val(first(numPr, 'w:ilvl'));
    const numId = val(first(numPr, 'w:numId'));
    if (ilvl !== undefined && numId !== undefined) return this.level(numId, ilvl);
    const styleId = val(first(pPr, 'w:pStyle'));
    const byStyle = styleId === undefined ? undefined : this.levelsByStyle.get(styleId);
    if (styleId !== undefined && byStyle) {
      const abstract = this.abstracts[byStyle.abstractId];
      const styleNum = numId ?? this.styleNumId(styleId);
      const num = styleNum === undefined ? undefined : this.nums.get(styleNum);
      const instance = styleNum !== undefined && this.abstractOf(styleNum) === abstract ? styleNum : undefined;
      return abstract ? this.levelOf(abstract, byStyle.ilvl, instance, instance === undefined ? undefined : num) : null;
    }
    return numId === undefined ? null : this.level(numId, '0');
  }

  private level(numId: string, ilvl: string): ListLevel | null {
    const abstract = this.abstractOf(numId);
    return abstract ? this.levelOf(abstract, ilvl, numId, this.nums.get(numId)) : null;
  }

  private levelOf(abstract: AbstractNum, ilvl: string, numId: string | undefined, num: NumInstance | undefined): ListLevel | null {
    const base = abstract.levels[ilvl];
    if (base === undefined) return null;
    const overrides = num?.overrides ?? new Map<number, Partial<LevelDef>>();
    const defs: (LevelDef | undefined)[] = [];
    for (let k = 0; k < 9; k++) {
      const own = abstract.levels[String(k)];
      const change = overrides.get(k);
      defs.push(own || change ? { start: 1, format: 'decimal', text: '', restart: undefined, legal: false, ...own, ...change } : undefined);
    }
    // A list instance that restarts or redefines levels counts on its own (Word's 重新开始编号);
    // instances without overrides continue the numbering of their abstract list.
    const key = overrides.size > 0 && numId !== undefined ? `num:${numId}` : `abstract:${abstract.id}`;
    const level = parseInt(ilvl, 10);
    const def = defs[level];
    if (!def || !Number.isInteger(level)) return null;
    // Ordered as mammoth decides it: from the abstract list's format.
    return { key, level, ordered: base.format !== 'bullet', defs };
  }
}

interface ListLevel {
  /** Identifies the counters this paragraph advances. */
  key: string;
  level: number;
  ordered: boolean;
  /** Level definitions 0–8 of the list instance. */
  defs: (LevelDef | undefined)[];
}

// ---------------------------------------------------------------------------------------------------
// Number formats.

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

// ---------------------------------------------------------------------------------------------------
// Counting the list paragraphs of word/document.xml as Word does.

/** A list paragraph as mammoth will see it, with the number Word shows (null for bullets). */
export interface ListParagraph {
  level: number;
  ordered: boolean;
  label: string | null;
}

/** The list paragraphs of the main document, in document order, skipping what mammoth skips. */
function listLevels(body: XmlElement, defs: NumberingDefinitions): ListLevel[] {
  const out: ListLevel[] = [];
  const walk = (element: XmlElement): void => {
    for (const child of element.children) {
      switch (child.name) {
        case 'mc:AlternateContent': {
          const fallback = first(child, 'mc:Fallback');
          if (fallback) walk(fallback);
          continue;
        }
        case 'w:del':
        case 'w:moveFrom':
        case 'w:pPrChange':
        case 'w:rPrChange':
        case 'w:sectPr':
          continue;
        case 'w:tr':
          if (first(first(child, 'w:trPr'), 'w:del')) continue;
          break;
        case 'w:tc': {
          // mammoth drops the continuation cells of a vertical merge.
          const vMerge = first(first(child, 'w:tcPr'), 'w:vMerge');
          if (vMerge && (val(vMerge) === undefined || val(vMerge) === 'continue')) continue;
          break;
        }
        case 'w:p': {
          const pPr = first(child, 'w:pPr');
          // A deleted paragraph mark merges the paragraph into the next one, which keeps its own numbering.
          if (!first(first(pPr, 'w:rPr'), 'w:del')) {
            const level = defs.resolve(pPr);
            if (level) out.push(level);
          }
          break;
        }
        default:
          break;
      }
      walk(child);
    }
  };
  walk(body);
  return out;
}

function labelsOf(levels: ListLevel[]): ListParagraph[] {
  const counters = new Map<string, (number | undefined)[]>();
  return levels.map(({ key, level, ordered, defs }) => {
    const counts = counters.get(key) ?? [];
    counters.set(key, counts);
    for (let k = level + 1; k < 9; k++) {
      const restart = defs[k]?.restart;
      const after = restart === undefined || restart > k ? k : restart;
      if (level < after) counts[k] = undefined;
    }
    const def = defs[level];
    counts[level] = (counts[level] ?? (def?.start ?? 1) - 1) + 1;
    if (!ordered || !def || def.format === 'bullet') return { level, ordered, label: null };
    const label = def.text.replace(/%([1-9])/g, (_whole, digit: string) => {
      const k = Number(digit) - 1;
      const n = counts[k] ?? defs[k]?.start ?? 1;
      return formatListNumber(n, def.legal && k !== level ? 'decimal' : (defs[k]?.format ?? 'decimal'));
    });
    return { level, ordered, label: label.trim() === '' ? null : label.trim() };
  });
}

function partPath(base: string, target: string): string {
  if (target.startsWith('/')) return target.slice(1);
  const parts = base.split('/').slice(0, -1);
  for (const piece of target.split('/')) {
    if (piece === '..') parts.pop();
    else if (piece !== '.' && piece !== '') parts.push(piece);
  }
  return parts.join('/');
}

function relationshipTargets(xml: string | undefined, base: string): Map<string, string> {
  const targets = new Map<string, string>();
  if (xml === undefined) return targets;
  const root = parseXml(xml);
  const relationships = root.children.find((c) => /(^|:)Relationships$/.test(c.name));
  for (const rel of relationships?.children ?? []) {
    const type = attr(rel, 'Type');
    const target = attr(rel, 'Target');
    if (type && target && attr(rel, 'TargetMode') !== 'External') {
      const kind = type.slice(type.lastIndexOf('/') + 1);
      if (!targets.has(kind)) targets.set(kind, partPath(base, target));
    }
  }
  return targets;
}

/**
 * The list paragraphs of a .docx with the numbers Word shows for them, in document order; null when the
 * document has no readable numbering part.
 */
export function readListParagraphs(docx: Buffer): ListParagraph[] | null {
  try {
    const entries = zipEntries(docx);
    if (!entries) return null;
    const text = (path: string): string | undefined => entries.get(path.toLowerCase())?.toString('utf8');
    const main = relationshipTargets(text('_rels/.rels'), '').get('officeDocument') ?? 'word/document.xml';
    const slash = main.lastIndexOf('/');
    const related = relationshipTargets(text(`${main.slice(0, slash + 1)}_rels/${main.slice(slash + 1)}.rels`), main);
    const documentXml = text(main);
    const numberingXml = text(related.get('numbering') ?? 'word/numbering.xml');
    if (documentXml === undefined || numberingXml === undefined) return null;
    const stylesXml = text(related.get('styles') ?? 'word/styles.xml');
    const defs = new NumberingDefinitions(parseXml(numberingXml), stylesXml === undefined ? null : parseXml(stylesXml));
    const body = first(first(parseXml(documentXml), 'w:document'), 'w:body');
    return body ? labelsOf(listLevels(body, defs)) : null;
  } catch {
    return null;
  }
}

// ---------------------------------------------------------------------------------------------------
// Writing the numbers into mammoth's document.

/** The parts of mammoth's document model used here. */
export interface MammothElement {
  type: string;
  children?: MammothElement[];
  value?: string;
  numbering?: { level: string; isOrdered: boolean } | null;
}

/** A paragraph that already starts with a typed number: `一、` `(一)` `1.` `1、` `(1)` `①`. */
const TYPED_NUMBER_RE =
  /^(?:[一二三四五六七八九十百零〇]+\s*[、.．]|[(（]\s*[一二三四五六七八九十百零〇\d０-９]+\s*[)）]|[\d０-９]{1,4}\s*\*?\s*[.．、](?![\d０-９])|[\u2460-\u249b\u3220-\u3229\u3280-\u3289])/;

function textOf(element: MammothElement): string {
  if (element.type === 'text') return element.value ?? '';
  if (element.type === 'tab' || element.type === 'break') return ' ';
  return (element.children ?? []).map(textOf).join('');
}

function labelRun(text: string): MammothElement {
  return {
    type: 'run',
    children: [{ type: 'text', value: text }],
    styleId: null, styleName: null, isBold: false, isUnderline: false, isItalic: false, isStrikethrough: false,
    isAllCaps: false, isSmallCaps: false, verticalAlignment: 'baseline', font: null, fontSize: null, highlight: null,
  } as MammothElement;
}

interface Found {
  paragraph: MammothElement;
  level: number;
  ordered: boolean;
  /** Identity of mammoth's level object: one per list definition and level. */
  identity: object;
  inCell: boolean;
}

/** Numbers by depth when the exact numbers are unknown (see the module comment). */
function depthLabels(found: Found[]): (string | null)[] {
  const ordered = [...new Set(found.filter((f) => f.ordered).map((f) => f.level))].sort((a, b) => a - b);
  const multiLevel = ordered.length >= 2;
  const counts = new Map<object, { level: number; n: number }>();
  return found.map((f) => {
    if (!f.ordered) return null;
    for (const [identity, count] of counts) if (count.level > f.level) counts.delete(identity);
    const n = (counts.get(f.identity)?.n ?? 0) + 1;
    counts.set(f.identity, { level: f.level, n });
    const rank = ordered.indexOf(f.level);
    if (rank === 0 && multiLevel) return `${toChineseNumber(n)}、`;
    return rank <= 1 ? `${n}.` : `(${n})`;
  });
}

/**
 * Writes list numbers into the list paragraphs of mammoth's document (in place): the exact numbers when
 * `readExact` (called only when the document has list paragraphs) lists the same list paragraphs as
 * mammoth found, else numbers by depth.
 */
export function applyListNumbers(document: MammothElement, readExact: () => ListParagraph[] | null): void {
  const found: Found[] = [];
  const walk = (element: MammothElement, inCell: boolean): void => {
    if (element.type === 'paragraph' && element.numbering) {
      const level = parseInt(element.numbering.level, 10);
      found.push({
        paragraph: element,
        level: Number.isFinite(level) ? level : 0,
        ordered: element.numbering.isOrdered,
        identity: element.numbering,
        inCell,
      });
    }
    for (const child of element.children ?? []) walk(child, inCell || element.type === 'tableCell');
  };
  walk(document, false);
  if (found.length === 0) return;

  const exact = readExact();
  const matches =
    exact !== null &&
    exact.length === found.length &&
    exact.every((e, i) => e.level === found[i]?.level && e.ordered === found[i]?.ordered);
  const labels = matches ? exact.map((e) => e.label) : depthLabels(found);

  found.forEach((f, i) => {
    const label = labels[i];
    if (!label) return;
    const text = textOf(f.paragraph).trim();
    if (TYPED_NUMBER_RE.test(text)) return;
    let written: string;
    if (text === '') {
      // An auto-numbered 序号 cell: the bare number, as it would be typed.
      if (!f.inCell) return;
      written = label.replace(/[.．、]$/, '');
    } else {
      written = /[\p{L}\p{Nd}]$/u.test(label) ? `${label} ` : label;
    }
    f.paragraph.children = [labelRun(written), ...(f.paragraph.children ?? [])];
  });
}
