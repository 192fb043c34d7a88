/**
 * readDocument on random files: random bytes (with and without the ZIP, OLE2, PDF and BOM signatures) and random
 * ZIP packages (a real .docx with parts replaced by random text, random XML, deep nesting, numbering that points
 * nowhere, parts removed, bytes cut or flipped). Whatever comes in, it resolves with text or rejects with its own
 * DocumentReadError and a Chinese message: no other error, no hang, no unhandled rejection.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Document, Packer, Paragraph, TextRun } from 'docx';
import fc from 'fast-check';
import JSZip from 'jszip';
import { DocumentReadError, readDocument } from '../../src/plan/read-document';
import { fuzzLabel, fuzzParams } from '../helpers/fuzz';

const W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"';
const SIGNATURES = [
  [],
  [0x50, 0x4b, 0x03, 0x04],
  [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1],
  [0x25, 0x50, 0x44, 0x46, 0x2d],
  [0xef, 0xbb, 0xbf],
  [0xff, 0xfe],
  [0xfe, 0xff],
];
/** Longest a single read may take before it counts as a hang. */
const HANG_MS = 10_000;

let dir: string;
let seq = 0;
let realDocx: Buffer;
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown): void => void unhandled.push(reason);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'duban-read-fuzz-'));
  process.on('unhandledRejection', onUnhandled);
  const doc = new Document({
    sections: [{ children: ['2020年某区工作要点', '一、重点工作', '1.推进改革。(责任单位:区司法局)'].map((t) => new Paragraph({ children: [new TextRun(t)] })) }],
  });
  realDocx = await Packer.toBuffer(doc);
});

afterAll(() => {
  process.off('unhandledRejection', onUnhandled);
  rmSync(dir, { recursive: true, force: true });
});

/** Reads the bytes as a file; resolves 'text' or 'error', throws on anything else (or after HANG_MS). */
async function readOutcome(bytes: Uint8Array): Promise<'text' | 'error'> {
  const file = join(dir, `f${++seq}`);
  writeFileSync(file, bytes);
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`readDocument hung on ${file}`)), HANG_MS)));
  try {
    const result = await Promise.race([readDocument(file), hang]);
    expect(typeof result.text).toBe('string');
    expect(result.text.trim()).not.toBe('');
    return 'text';
  } catch (err) {
    if (!(err instanceof DocumentReadError)) throw err;
    expect(err.message).toMatch(/[\u4e00-\u9fa5]/);
    expect(err.file).toBe(file);
    return 'error';
  } finally {
    clearTimeout(timer);
    rmSync(file, { force: true });
  }
}

const randomBytes = fc
  .tuple(fc.constantFrom(...SIGNATURES), fc.uint8Array({ maxLength: 2048 }))
  .map(([head, tail]) => Uint8Array.from([...head, ...tail]));

const xmlText = fc.string({ unit: 'binary', maxLength: 60 }).map((s) => s.replace(/[<&]/g, ''));
/** XML a Word part might hold: paragraphs and runs, deep nesting, numbering references, tables, garbage. */
const wordXml = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.array(xmlText, { maxLength: 8 }).map((ts) => `<?xml version="1.0"?><w:document ${W}><w:body>${ts.map((t) => `<w:p><w:r><w:t>${t}</w:t></w:r></w:p>`).join('')}</w:body></w:document>`),
  fc.integer({ min: 1, max: 3000 }).map((n) => `<w:document ${W}><w:body>${'<w:p><w:r>'.repeat(n)}深${'</w:r></w:p>'.repeat(n)}</w:body></w:document>`),
  fc.tuple(fc.integer({ min: -5, max: 99999 }), fc.integer({ min: -5, max: 20 }), xmlText).map(
    ([numId, ilvl, t]) => `<w:document ${W}><w:body><w:p><w:pPr><w:numPr><w:ilvl w:val="${ilvl}"/><w:numId w:val="${numId}"/></w:numPr></w:pPr><w:r><w:t>${t}</w:t></w:r></w:p></w:body></w:document>`,
  ),
  fc.tuple(fc.integer({ min: -5, max: 50 }), xmlText).map(
    ([start, t]) => `<w:numbering ${W}><w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:start w:val="${start}"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%9${t}%1、"/></w:lvl></w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="7"/></w:num></w:numbering>`,
  ),
  fc.integer({ min: 1, max: 50 }).map((n) => `<w:document ${W}><w:body>${'<w:tbl><w:tr><w:tc>'.repeat(n)}<w:p><w:r><w:t>格</w:t></w:r></w:p>${'</w:tc></w:tr></w:tbl>'.repeat(n)}</w:body></w:document>`),
);

const PARTS = ['[Content_Types].xml', '_rels/.rels', 'word/document.xml', 'word/_rels/document.xml.rels', 'word/numbering.xml', 'word/styles.xml'];
type ZipEdit = { kind: 'replace'; part: string; xml: string } | { kind: 'remove'; part: string } | { kind: 'add'; part: string; bytes: Uint8Array };
const zipEdit: fc.Arbitrary<ZipEdit> = fc.oneof(
  fc.record({ kind: fc.constant('replace' as const), part: fc.constantFrom(...PARTS), xml: wordXml }),
  fc.record({ kind: fc.constant('remove' as const), part: fc.constantFrom(...PARTS) }),
  fc.record({ kind: fc.constant('add' as const), part: fc.oneof(fc.constantFrom(...PARTS), fc.string({ minLength: 1, maxLength: 20 })), bytes: fc.uint8Array({ maxLength: 200 }) }),
);
/** After the package is written: cut its bytes, or flip some. */
const byteDamage = fc.oneof(
  fc.constant(null),
  fc.record({ cutAt: fc.nat() }),
  fc.record({ flips: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }) }),
);

async function damagedDocx(edits: ZipEdit[], damage: { cutAt: number } | { flips: [number, number][] } | null): Promise<Buffer> {
  const zip = await JSZip.loadAsync(realDocx);
  for (const e of edits) {
    if (e.kind === 'replace') zip.file(e.part, e.xml);
    else if (e.kind === 'remove') zip.remove(e.part);
    else zip.file(e.part, e.bytes);
  }
  const bytes = await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
  if (damage && 'cutAt' in damage) return bytes.subarray(0, Math.max(4, damage.cutAt % bytes.length));
  if (damage) for (const [at, value] of damage.flips) bytes[4 + (at % (bytes.length - 4))] = value;
  return bytes;
}

describe('readDocument on random files', () => {
  it(`answers random bytes with text or its own error ${fuzzLabel(300)}`, async () => {
    const seen = new Set<string>();
    await fc.assert(
      fc.asyncProperty(randomBytes, async (bytes) => {
        seen.add(await readOutcome(bytes));
      }),
      fuzzParams(300),
    );
    expect(unhandled).toEqual([]);
  });

  it(`answers damaged .docx packages with text or its own error ${fuzzLabel(100)}`, async () => {
    const seen = new Set<string>();
    await fc.assert(
      fc.asyncProperty(fc.array(zipEdit, { maxLength: 4 }), byteDamage, async (edits, damage) => {
        seen.add(await readOutcome(await damagedDocx(edits, damage)));
      }),
      fuzzParams(100),
    );
    // Both ways out were taken: the generator reaches readable and unreadable packages alike.
    expect([...seen].sort()).toEqual(['error', 'text']);
    // Rejections that surface late (mammoth's or jszip's promises) get a moment to show.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(unhandled).toEqual([]);
  });
});
