/**
 * Turns a .docx into plain text through mammoth's HTML output:
 * - each paragraph (p, h1–h6, li, …) on its own line;
 * - each table row on its own line, cells joined by ` | `, paragraphs inside a cell joined by a space
 *   (a table nested in a cell contributes its rows to that cell, joined by a space);
 * - `<br>` starts a new line (inside a cell: a space);
 * - HTML entities decoded; images dropped;
 * - Word's automatic list numbers (`一、` `1.` `(1)`), which mammoth drops, written back at the start of
 *   their paragraphs before the HTML is made (see docx-numbering.ts and docx-apply-numbers.ts).
 */
import type mammothType from 'mammoth';
import { applyListNumbers, type MammothElement } from './docx-apply-numbers';
import { readListParagraphs } from './docx-numbering';

const BLOCK_TAGS = new Set([
  'p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'li', 'ul', 'ol', 'div', 'blockquote', 'pre', 'dl', 'dt', 'dd',
]);
const CELL_TAGS = new Set(['td', 'th']);

const NAMED_ENTITIES: Record<string, string> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ',
};

export function decodeHtmlEntities(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);/g, (whole, body: string) => {
    if (body.startsWith('#')) {
      const code = body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
      return Number.isFinite(code) && code >= 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return NAMED_ENTITIES[body] ?? whole;
  });
}

interface TableState {
  /** Cells of the row being read. */
  cells: string[];
  /** Paragraph texts of the cell being read, or null outside a cell. */
  cell: string[] | null;
}

/** Converts mammoth's simple HTML to text lines (see the module comment). */
export function htmlToText(html: string): string {
  const lines: string[] = [];
  const tables: TableState[] = [];
  let buffer = '';

  const emit = (text: string): void => {
    const line = text.replace(/\s+/g, ' ').trim();
    if (line === '') return;
    const table = tables[tables.length - 1];
    if (table?.cell) table.cell.push(line);
    else lines.push(line);
  };
  const flush = (): void => {
    emit(buffer);
    buffer = '';
  };

  const token = /<(\/?)([a-zA-Z][a-zA-Z0-9]*)\b[^>]*>|<!--[\s\S]*?-->|([^<]+)|</g;
  for (let m = token.exec(html); m !== null; m = token.exec(html)) {
    const [whole, closing, rawTag, text] = m;
    if (text !== undefined) {
      buffer += decodeHtmlEntities(text);
      continue;
    }
    if (rawTag === undefined) {
      if (whole === '<') buffer += '<';
      continue; // comment
    }
    const tag = rawTag.toLowerCase();
    if (tag === 'br') {
      flush();
    } else if (BLOCK_TAGS.has(tag)) {
      flush();
    } else if (tag === 'table') {
      flush();
      if (closing) tables.pop();
      else tables.push({ cells: [], cell: null });
    } else if (tag === 'tr') {
      flush();
      const table = tables[tables.length - 1];
      if (!table) continue;
      if (closing) {
        const row = table.cells;
        table.cells = [];
        if (row.some((cell) => cell !== '')) {
          tables.pop();
          emit(row.join(' | '));
          tables.push(table);
        }
      } else {
        table.cells = [];
      }
    } else if (CELL_TAGS.has(tag)) {
      flush();
      const table = tables[tables.length - 1];
      if (!table) continue;
      if (closing) {
        if (table.cell) table.cells.push(table.cell.join(' '));
        table.cell = null;
      } else {
        table.cell = [];
      }
    }
    // Inline tags (strong, em, a, sup, span, img, …) are dropped; their text stays.
  }
  flush();
  return lines.join('\n');
}

/** Raised when mammoth cannot read the buffer as a Word document. */
export class DocxConversionError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DocxConversionError';
  }
}

/** Reads a .docx buffer into text. Throws DocxConversionError when the ZIP is not a readable Word document. */
export async function docxToText(buffer: Buffer): Promise<string> {
  let html: string;
  try {
    // Loaded on first use: mammoth takes ~120 ms to load and most plans are plain text.
    const mammoth = (await import('mammoth')).default as typeof mammothType;
    // Read before mammoth runs: its transformDocument callback cannot wait. Never throws (null instead).
    const exact = await readListParagraphs(buffer);
    const result = await mammoth.convertToHtml(
      { buffer },
      {
        // Images are dropped anyway: do not spend time base64-encoding them.
        convertImage: mammoth.images.imgElement(() => Promise.resolve({ src: '' })),
        transformDocument: (document: MammothElement) => {
          try {
            applyListNumbers(document, () => exact);
          } catch {
            // The list numbers are a best effort: a document they fail on is still read, without them.
          }
          return document;
        },
      },
    );
    html = result.value;
  } catch (error) {
    throw new DocxConversionError(error instanceof Error ? error.message : String(error), { cause: error });
  }
  return htmlToText(html);
}
