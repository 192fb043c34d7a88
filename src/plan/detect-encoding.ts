/**
 * Decides how the bytes of a plain-text plan are encoded, by content only.
 *
 * Order: BOM (UTF-8 / UTF-16) → binary check → strict UTF-8 → GB18030 (accepted only when the result
 * reads like Chinese). ZIP/.docx detection happens before this, in read-document.ts.
 */
import iconv from 'iconv-lite';

export type TextEncoding = 'utf-8' | 'gb18030' | 'utf-16le' | 'utf-16be';

export type DecodeResult =
  | { ok: true; text: string; encoding: TextEncoding }
  | { ok: false; reason: 'BINARY' | 'ENCODING'; encoding?: TextEncoding };

/** Share of suspicious control bytes above which content counts as binary. */
const MAX_CONTROL_SHARE = 0.05;

/** True for C0 controls other than tab, LF, CR, form feed and SUB (0x1A, a DOS end-of-file mark), and DEL. */
function isControlCode(c: number): boolean {
  return (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d && c !== 0x0c && c !== 0x1a) || c === 0x7f;
}

/** True when the decoded text holds NULs or too many control characters to be a document. */
export function looksBinaryText(text: string): boolean {
  if (text.length === 0) return false;
  let controls = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0) return true;
    if (isControlCode(c)) controls++;
  }
  return controls / text.length > MAX_CONTROL_SHARE;
}

function looksBinaryBytes(bytes: Uint8Array): boolean {
  let controls = 0;
  for (const b of bytes) {
    if (b === 0) return true;
    if (isControlCode(b)) controls++;
  }
  return controls / bytes.length > MAX_CONTROL_SHARE;
}

function decodeStrict(bytes: Uint8Array, label: 'utf-8' | 'utf-16le' | 'utf-16be'): string | null {
  try {
    return new TextDecoder(label, { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return null;
  }
}

/**
 * UTF-16 without a BOM: only recognisable when the text holds enough ASCII that every other byte is NUL.
 * Returns the byte order when the NULs sit (almost) only on one parity.
 */
function guessBomlessUtf16(bytes: Uint8Array): 'utf-16le' | 'utf-16be' | null {
  if (bytes.length < 4 || bytes.length % 2 !== 0) return null;
  let evenNuls = 0;
  let oddNuls = 0;
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] === 0) {
      if (i % 2 === 0) evenNuls++;
      else oddNuls++;
    }
  }
  const units = bytes.length / 2;
  if (oddNuls >= units * 0.2 && evenNuls <= oddNuls * 0.02) return 'utf-16le';
  if (evenNuls >= units * 0.2 && oddNuls <= evenNuls * 0.02) return 'utf-16be';
  return null;
}

function isHan(c: number): boolean {
  return (c >= 0x4e00 && c <= 0x9fff) || (c >= 0x3400 && c <= 0x4dbf);
}

/**
 * Whether GB18030 bytes and their decoding look like real Chinese text rather than bytes of some other
 * encoding (Latin-1, Big5, random data) that happen to decode.
 *
 * - no replacement characters and no private-use characters (GBK user-defined areas);
 * - most double-byte characters fall inside the GB2312 area (common hanzi and punctuation), which holds
 *   nearly all characters of real simplified-Chinese text but only a small share of what mis-decoded bytes give;
 * - hanzi make up a good share of the non-ASCII characters.
 */
export function isPlausibleChinese(bytes: Uint8Array, text: string): boolean {
  if (text.includes('\ufffd')) return false;
  let multiByte = 0;
  let gb2312 = 0;
  for (let i = 0; i < bytes.length; ) {
    const lead = bytes[i] ?? 0;
    if (lead < 0x80) {
      i++;
      continue;
    }
    const trail = bytes[i + 1] ?? 0;
    multiByte++;
    if (trail >= 0x30 && trail <= 0x39) {
      i += 4; // four-byte GB18030 sequence: never part of GB2312
      continue;
    }
    if (lead >= 0xa1 && lead <= 0xf7 && trail >= 0xa1 && trail <= 0xfe) gb2312++;
    i += 2;
  }
  if (multiByte === 0) return false;
  let nonAscii = 0;
  let han = 0;
  for (const ch of text) {
    const c = ch.codePointAt(0) ?? 0;
    if (c < 0x80) continue;
    if (c >= 0xe000 && c <= 0xf8ff) return false;
    nonAscii++;
    if (isHan(c)) han++;
  }
  return gb2312 / multiByte >= 0.8 && han / nonAscii >= 0.5;
}

/** Normalises line ends to `\n`. */
function normaliseNewlines(text: string): string {
  return text.replace(/\r\n?/g, '\n');
}

function accept(text: string, encoding: TextEncoding): DecodeResult {
  if (looksBinaryText(text)) return { ok: false, reason: 'BINARY', encoding };
  return { ok: true, text: normaliseNewlines(text), encoding };
}

/**
 * Decodes the bytes of a text document. The BOM is dropped and line ends become `\n`; nothing else changes.
 * `bytes` must not be empty (the caller reports empty files).
 */
export function decodeTextBytes(bytes: Uint8Array): DecodeResult {
  const b0 = bytes[0];
  const b1 = bytes[1];
  const b2 = bytes[2];
  if (b0 === 0xef && b1 === 0xbb && b2 === 0xbf) {
    const text = decodeStrict(bytes.subarray(3), 'utf-8');
    return text === null ? { ok: false, reason: 'ENCODING', encoding: 'utf-8' } : accept(text, 'utf-8');
  }
  if ((b0 === 0xff && b1 === 0xfe) || (b0 === 0xfe && b1 === 0xff)) {
    const encoding = b0 === 0xff ? 'utf-16le' : 'utf-16be';
    const text = decodeStrict(bytes.subarray(2), encoding);
    return text === null ? { ok: false, reason: 'ENCODING', encoding } : accept(text, encoding);
  }
  if (looksBinaryBytes(bytes)) {
    const utf16 = guessBomlessUtf16(bytes);
    const text = utf16 === null ? null : decodeStrict(bytes, utf16);
    if (utf16 !== null && text !== null && !looksBinaryText(text)) return accept(text, utf16);
    return { ok: false, reason: 'BINARY' };
  }
  const utf8 = decodeStrict(bytes, 'utf-8');
  if (utf8 !== null) return accept(utf8, 'utf-8');
  const gb = iconv.decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), 'gb18030');
  if (isPlausibleChinese(bytes, gb)) return accept(gb, 'gb18030');
  return { ok: false, reason: 'ENCODING' };
}
