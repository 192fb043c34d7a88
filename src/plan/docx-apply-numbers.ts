/**
 * Writes Word's automatic list numbers back into mammoth's document, whose model keeps only each list
 * paragraph's level and whether the list is ordered (and whose HTML restarts a list after every paragraph
 * that interrupts it).
 *
 * The exact numbers (read by docx-numbering.ts) are matched to mammoth's list paragraphs in document
 * order; when the two disagree (or the parts cannot be read) the numbers are written by depth instead:
 * with two or more ordered levels the outermost is `一、`, the next `1.`, deeper ones `(1)`; a single
 * level is `1.`.
 *
 * Bullets stay unnumbered, a paragraph that already starts with a typed number gets no second one, an
 * empty numbered paragraph in a table cell (a 序号 column) becomes the bare number (`3`), and an empty
 * numbered paragraph elsewhere gets nothing.
 */
import type { ListParagraph } from './docx-numbering';
import { toChineseNumber } from './numbering';

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
