/**
 * Reads a plan document (工作要点) from disk into text. The format is detected by content, never by the
 * file name: a ZIP is read as .docx, otherwise the bytes are decoded as UTF-8 / UTF-16 (BOM) / GB18030.
 */
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { decodeTextBytes, type TextEncoding } from './detect-encoding';
import { DocxConversionError, docxToText } from './docx-to-text';
import { DocumentReadError } from './errors';

export { DocumentReadError } from './errors';
export type { DocumentReadErrorCode } from './errors';

export type DocumentEncoding = TextEncoding | 'docx';

export interface DocumentText {
  /** The text, lines separated by `\n`, without a BOM. */
  text: string;
  encoding: DocumentEncoding;
  /** sha256 (hex) of the raw file bytes. */
  sha256: string;
  /** Size of the raw file in bytes. */
  bytes: number;
}

export interface ReadDocumentOptions {
  /** Largest accepted file, in bytes (default 20 MB). */
  maxBytes?: number;
}

export const DEFAULT_MAX_DOCUMENT_BYTES = 20 * 1024 * 1024;

const PREFIX = '无法读取计划文件';
const SAVE_AS_HINT = '请用 Word 或 WPS 打开后另存为 .docx，或另存为 UTF-8 编码的 .txt 后再试。';

function formatSize(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} KB`;
}

function startsWith(bytes: Uint8Array, signature: number[]): boolean {
  return signature.every((b, i) => bytes[i] === b);
}

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];
const OLE2_MAGIC = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
const PDF_MAGIC = [0x25, 0x50, 0x44, 0x46, 0x2d];

async function readBytes(file: string, maxBytes: number): Promise<Buffer> {
  try {
    const stat = await fs.stat(file);
    if (stat.isDirectory()) {
      throw new DocumentReadError('NOT_FOUND', file, `${PREFIX} ${file}：这是一个文件夹，不是文件。请指定工作要点文件的路径。`);
    }
    if (stat.size > maxBytes) {
      throw new DocumentReadError(
        'TOO_LARGE',
        file,
        `${PREFIX} ${file}：文件过大（${formatSize(stat.size)}，上限 ${formatSize(maxBytes)}）。` +
          '请确认选择的是工作要点文件；如文档含大量图片，请删除图片或只导出正文后再试。',
      );
    }
    const bytes = await fs.readFile(file);
    if (bytes.length > maxBytes) {
      throw new DocumentReadError(
        'TOO_LARGE',
        file,
        `${PREFIX} ${file}：文件过大（${formatSize(bytes.length)}，上限 ${formatSize(maxBytes)}）。请确认选择的是工作要点文件。`,
      );
    }
    return bytes;
  } catch (error) {
    if (error instanceof DocumentReadError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      throw new DocumentReadError('NOT_FOUND', file, `${PREFIX} ${file}：文件不存在。请检查文件路径和文件名是否正确。`, {
        cause: error,
      });
    }
    if (code === 'EACCES' || code === 'EPERM') {
      throw new DocumentReadError('NOT_FOUND', file, `${PREFIX} ${file}：没有读取权限。请检查文件权限后再试。`, {
        cause: error,
      });
    }
    throw new DocumentReadError('NOT_FOUND', file, `${PREFIX} ${file}：打开文件失败（${code ?? '未知错误'}）。请检查文件路径后再试。`, {
      cause: error,
    });
  }
}

function emptyError(file: string, what: string): DocumentReadError {
  return new DocumentReadError('EMPTY', file, `${PREFIX} ${file}：${what}。请确认导出的是工作要点正文。`);
}

async function readDocx(file: string, bytes: Buffer): Promise<string> {
  try {
    return await docxToText(bytes);
  } catch (error) {
    if (!(error instanceof DocxConversionError)) throw error;
    const isWord = bytes.includes('word/');
    const problem = isWord ? '文件已损坏或格式不完整' : '这是一个 ZIP 压缩包，但不是 Word 文档';
    throw new DocumentReadError('DOCX', file, `无法读取 .docx 文件 ${file}：${problem}。${SAVE_AS_HINT}`, {
      cause: error,
    });
  }
}

/**
 * Reads a plan document into text.
 * @throws DocumentReadError (code EMPTY, BINARY, ENCODING, DOCX, NOT_FOUND or TOO_LARGE) with a Chinese message.
 */
export async function readDocument(file: string, options: ReadDocumentOptions = {}): Promise<DocumentText> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_DOCUMENT_BYTES;
  const bytes = await readBytes(file, maxBytes);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  if (bytes.length === 0) throw emptyError(file, '文件为空');

  if (startsWith(bytes, ZIP_MAGIC)) {
    const text = await readDocx(file, bytes);
    if (text.trim() === '') throw emptyError(file, '文档中没有文字内容');
    return { text, encoding: 'docx', sha256, bytes: bytes.length };
  }
  if (startsWith(bytes, OLE2_MAGIC)) {
    throw new DocumentReadError(
      'BINARY',
      file,
      `${PREFIX} ${file}：这是旧版 Word（.doc）或其他 Office 二进制文件，无法直接读取。${SAVE_AS_HINT}`,
    );
  }
  if (startsWith(bytes, PDF_MAGIC)) {
    throw new DocumentReadError(
      'BINARY',
      file,
      `${PREFIX} ${file}：这是 PDF 文件，无法直接读取。请使用原始的 Word 文档（.docx），或把正文复制到记事本中另存为 UTF-8 编码的 .txt 后再试。`,
    );
  }

  const decoded = decodeTextBytes(bytes);
  if (!decoded.ok) {
    if (decoded.reason === 'BINARY') {
      throw new DocumentReadError('BINARY', file, `${PREFIX} ${file}：这不是文本文件（内容看起来是二进制数据）。${SAVE_AS_HINT}`);
    }
    const which = decoded.encoding ? `文件标明为 ${decoded.encoding.toUpperCase()} 编码，但内容有错误` : '无法识别文件编码（既不是 UTF-8，也不是 GBK/GB18030 中文）';
    throw new DocumentReadError('ENCODING', file, `${PREFIX} ${file}：${which}。请用记事本或 WPS 打开，另存为 UTF-8 编码的 .txt 后再试。`);
  }
  if (decoded.text.trim() === '') throw emptyError(file, '文件只有空白，没有文字内容');
  return { text: decoded.text, encoding: decoded.encoding, sha256, bytes: bytes.length };
}
