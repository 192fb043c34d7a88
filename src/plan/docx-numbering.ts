/**
 * Word's automatic list numbers (编号: `一、` `1.` `(1)` drawn by Word, not typed by the author), read from
 * the .docx itself: word/numbering.xml (formats such as `chineseCounting` with `%1、`, start values,
 * restarts) and the list paragraphs of word/document.xml, counted the way Word counts them. mammoth drops
 * these numbers; docx-apply-numbers.ts writes them back into its document.
 */
import type { DOMParser as XmlParser } from '@xmldom/xmldom';
import type { JSZipObject } from 'jszip';
import { formatListNumber } from './docx-list-format';

// ---------------------------------------------------------------------------------------------------
// The package's XML, read with jszip and @xmldom/xmldom (both loaded on first use, as mammoth is).

/** A part that inflates beyond this is not read (a zip bomb): the numbers are then written by depth. */
const MAX_PART_BYTES = 256 * 1024 * 1024;

const W_MAIN = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';
const W_STRICT = 'http://purl.oclc.org/ooxml/wordprocessingml/main';
/** Element names are written with these prefixes, whatever prefixes the part declares. */
const PREFIXES = new Map([
  [W_MAIN, 'w'],
  [W_STRICT, 'w'],
  ['http://schemas.openxmlformats.org/markup-compatibility/2006', 'mc'],
]);
const ELEMENT_NODE = 1;

/** Reads a part as UTF-8 (as mammoth does), giving up once it inflates beyond MAX_PART_BYTES. */
function readPart(file: JSZipObject): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const stream = file.nodeStream('nodebuffer');
    stream.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      size += chunk.length;
      if (size > MAX_PART_BYTES) {
        stream.pause();
        stream.removeAllListeners('data');
        reject(new RangeError(`${file.name} inflates beyond ${MAX_PART_BYTES} bytes`));
      }
    });
    stream.on('error', reject);
    stream.on('end', () => resolve(new TextDecoder().decode(Buffer.concat(chunks))));
  });
}

function nameOf(element: Element | undefined): string | undefined {
  const prefix = element?.namespaceURI ? PREFIXES.get(element.namespaceURI) : undefined;
  return prefix === undefined ? element?.nodeName : `${prefix}:${element?.localName}`;
}

/** Child elements, each `mc:AlternateContent` replaced by its `mc:Fallback`'s children (mammoth reads those). */
function children(parent: Element | undefined, name?: string): Element[] {
  const out: Element[] = [];
  for (let node = parent?.firstChild ?? null; node !== null; node = node.nextSibling) {
    if (node.nodeType !== ELEMENT_NODE) continue;
    const element = node as Element;
    const own = nameOf(element);
    if (own === 'mc:AlternateContent') out.push(...children(first(element, 'mc:Fallback'), name));
    else if (name === undefined || own === name) out.push(element);
  }
  return out;
}

function first(parent: Element | undefined, name: string): Element | undefined {
  return children(parent, name)[0];
}

/** A WordprocessingML attribute (`w:val` is `attr(element, 'val')`). */
function attr(element: Element | undefined, local: string): string | undefined {
  return (element?.getAttributeNodeNS(W_MAIN, local) ?? element?.getAttributeNodeNS(W_STRICT, local))?.value;
}

function val(element: Element | undefined): string | undefined {
  return attr(element, 'val');
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

function readLevel(element: Element): LevelDef {
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

class NumberingDefinitions {
  /** Keyed like mammoth's (a null-prototype object), so that iteration order matches. */
  private readonly abstracts: Record<string, AbstractNum> = Object.create(null) as Record<string, AbstractNum>;
  private readonly nums = new Map<string, NumInstance>();
  private readonly numberingStyleNumIds = new Map<string, string>();
  private readonly paragraphStyles = new Map<string, { basedOn: string | undefined; numId: string | undefined }>();
  private readonly levelsByStyle = new Map<string, { abstractId: string; ilvl: string }>();

  /** Whether a paragraph style alone (without `w:numPr`) can make a list paragraph. */
  get linksStyles(): boolean {
    return this.levelsByStyle.size > 0;
  }

  constructor(numbering: Element, styles: Element | undefined) {
    const isNumbering = nameOf(numbering) === 'w:numbering';
    for (const element of isNumbering ? children(numbering, 'w:abstractNum') : []) {
      const id = attr(element, 'abstractNumId') ?? '';
      const abstract: AbstractNum = { id, levels: {}, numStyleLink: val(first(element, 'w:numStyleLink')) };
      let withoutIndex: (LevelDef & { ilvl: string; pStyle: string | undefined }) | null = null;
      for (const lvl of children(element, 'w:lvl')) {
        const ilvl = attr(lvl, 'ilvl');
        const level = { ...readLevel(lvl), ilvl: ilvl ?? '0', pStyle: val(first(lvl, 'w:pStyle')) };
        if (ilvl === undefined) withoutIndex = level;
        else abstract.levels[ilvl] = level;
      }
      if (withoutIndex && abstract.levels['0'] === undefined) abstract.levels['0'] = withoutIndex;
      this.abstracts[id] = abstract;
    }
    for (const element of isNumbering ? children(numbering, 'w:num') : []) {
      const overrides = new Map<number, Partial<LevelDef>>();
      for (const override of children(element, 'w:lvlOverride')) {
        const ilvl = parseInt(attr(override, 'ilvl') ?? '', 10);
        if (!Number.isFinite(ilvl)) continue;
        const lvl = first(override, 'w:lvl');
        const change: Partial<LevelDef> = lvl ? readLevel(lvl) : {};
        const start = parseInt(val(first(override, 'w:startOverride')) ?? '', 10);
        if (Number.isFinite(start)) change.start = start;
        overrides.set(ilvl, change);
      }
      this.nums.set(attr(element, 'numId') ?? '', { abstractId: val(first(element, 'w:abstractNumId')) ?? '', overrides });
    }
    // mammoth indexes the levels linked to a paragraph style over all abstract numberings; the last wins.
    for (const abstract of Object.values(this.abstracts)) {
      for (const level of Object.values(abstract.levels)) {
        if (level.pStyle !== undefined) this.levelsByStyle.set(level.pStyle, { abstractId: abstract.id, ilvl: level.ilvl });
      }
    }
    for (const style of nameOf(styles) === 'w:styles' ? children(styles, 'w:style') : []) {
      const id = attr(style, 'styleId') ?? '';
      const numId = val(first(first(first(style, 'w:pPr'), 'w:numPr'), 'w:numId'));
      if (attr(style, 'type') === 'numbering') {
        if (numId !== undefined) this.numberingStyleNumIds.set(id, numId);
      } else if (attr(style, 'type') === 'paragraph') {
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
  resolve(pPr: Element | undefined): ListLevel | null {
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
// Counting the list paragraphs of word/document.xml as Word does.

/** A list paragraph as mammoth will see it, with the number Word shows (null for bullets). */
export interface ListParagraph {
  level: number;
  ordered: boolean;
  label: string | null;
}

/** The list paragraphs of the main document, in document order, skipping what mammoth skips. */
function listLevels(body: Element, defs: NumberingDefinitions): ListLevel[] {
  const out: ListLevel[] = [];
  const walk = (element: Element): void => {
    for (const child of children(element)) {
      switch (nameOf(child)) {
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

function relationshipTargets(relationships: Element | undefined, base: string): Map<string, string> {
  const targets = new Map<string, string>();
  if (relationships?.localName !== 'Relationships') return targets;
  for (const rel of children(relationships)) {
    const type = rel.getAttribute('Type');
    const target = rel.getAttribute('Target');
    if (type && target && rel.getAttribute('TargetMode') !== 'External') {
      const kind = type.slice(type.lastIndexOf('/') + 1);
      if (!targets.has(kind)) targets.set(kind, partPath(base, target));
    }
  }
  return targets;
}

/**
 * The list paragraphs of a .docx with the numbers Word shows for them, in document order; null (never an
 * error) when the document or its numbering part cannot be read.
 */
export async function readListParagraphs(docx: Buffer): Promise<ListParagraph[] | null> {
  try {
    const [{ default: JSZip }, { DOMParser }] = await Promise.all([import('jszip'), import('@xmldom/xmldom')]);
    const zip = await JSZip.loadAsync(docx);
    const files = new Map<string, JSZipObject>();
    zip.forEach((path, file) => files.set(path.replace(/^\/+/, '').toLowerCase(), file));
    // Like mammoth, read nothing from a part that is not well-formed.
    const parser: XmlParser = new DOMParser({
      errorHandler: (level: string, message: unknown) => {
        throw new Error(`${level}: ${String(message)}`);
      },
    });
    const text = async (path: string): Promise<string | undefined> => {
      const file = files.get(path.toLowerCase());
      return file ? readPart(file) : undefined;
    };
    const parse = (xml: string | undefined): Element | undefined =>
      xml === undefined ? undefined : (parser.parseFromString(xml, 'text/xml').documentElement ?? undefined);
    const read = async (path: string): Promise<Element | undefined> => parse(await text(path));
    const main = relationshipTargets(await read('_rels/.rels'), '').get('officeDocument') ?? 'word/document.xml';
    const slash = main.lastIndexOf('/');
    const related = relationshipTargets(await read(`${main.slice(0, slash + 1)}_rels/${main.slice(slash + 1)}.rels`), main);
    const numbering = await read(related.get('numbering') ?? 'word/numbering.xml');
    if (!numbering) return null;
    const defs = new NumberingDefinitions(numbering, await read(related.get('styles') ?? 'word/styles.xml'));
    const documentXml = await text(main);
    // No `w:numPr` and no style linked to a list level: no list paragraphs (mammoth finds none either).
    if (documentXml !== undefined && !documentXml.includes('numPr') && !defs.linksStyles) return [];
    const document = parse(documentXml);
    const body = nameOf(document) === 'w:document' ? first(document, 'w:body') : undefined;
    return body ? labelsOf(listLevels(body, defs)) : null;
  } catch {
    return null;
  }
}
