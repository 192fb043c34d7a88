/**
 * Errors raised while reading a plan document from disk.
 * Every message is user-facing and therefore in Simplified Chinese; `code` is for programs.
 */

export type DocumentReadErrorCode = 'EMPTY' | 'BINARY' | 'ENCODING' | 'DOCX' | 'NOT_FOUND' | 'TOO_LARGE';

export class DocumentReadError extends Error {
  readonly code: DocumentReadErrorCode;
  /** The path as the caller gave it. */
  readonly file: string;

  constructor(code: DocumentReadErrorCode, file: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DocumentReadError';
    this.code = code;
    this.file = file;
  }
}
