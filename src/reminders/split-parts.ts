/**
 * Splits a long message into numbered parts that each fit a platform's size limit: the header and footer are
 * repeated in every part, and the body is cut between blocks (an item with its tasks), or between the lines
 * of a block when one block alone is too big (its first line is then repeated with `（续）`).
 */

export interface MessageLayout {
  header: string;
  /** Each block is a list of paragraphs; its first paragraph is the heading repeated on continuation. */
  blocks: string[][];
  footer: string;
}

const SEP = '\n\n';

export function utf8Bytes(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}

/** Cuts a paragraph that alone exceeds `max` bytes at a character boundary, ending it with `…`. */
function clip(paragraph: string, max: number): string {
  if (utf8Bytes(paragraph) <= max) return paragraph;
  let out = '';
  for (const ch of paragraph) {
    if (utf8Bytes(out + ch + '…') > max) break;
    out += ch;
  }
  return `${out}…`;
}

/**
 * Returns the markdown of each part. `maxBytes` bounds each part's UTF-8 size; `reserve` is kept free for
 * what the channel adds (title suffix, mentions).
 */
export function splitIntoParts(layout: MessageLayout, maxBytes: number): string[] {
  const frame = utf8Bytes(layout.header) + utf8Bytes(layout.footer) + 2 * SEP.length;
  const room = Math.max(maxBytes - frame, 200);
  const parts: string[][] = [];
  let current: string[] = [];
  let size = 0;
  const flush = () => {
    if (current.length) parts.push(current);
    current = [];
    size = 0;
  };
  const add = (p: string) => {
    const cost = utf8Bytes(p) + SEP.length;
    if (size + cost > room && current.length) flush();
    current.push(p);
    size += cost;
  };
  for (const block of layout.blocks) {
    const paragraphs = block.map((p) => clip(p, Math.floor(room / 2)));
    const blockSize = paragraphs.reduce((n, p) => n + utf8Bytes(p) + SEP.length, 0);
    if (size + blockSize <= room) {
      paragraphs.forEach((p) => add(p));
      continue;
    }
    if (blockSize <= room) {
      flush();
      paragraphs.forEach((p) => add(p));
      continue;
    }
    // One block larger than a part: cut between its lines, repeating its heading.
    const [heading = '', ...lines] = paragraphs;
    flush();
    add(heading);
    for (const line of lines) {
      if (size + utf8Bytes(line) + SEP.length > room) {
        flush();
        add(`${heading}（续）`);
      }
      add(line);
    }
  }
  flush();
  if (parts.length === 0) parts.push([]);
  return parts.map((body) => [layout.header, ...body, layout.footer].filter(Boolean).join(SEP));
}
