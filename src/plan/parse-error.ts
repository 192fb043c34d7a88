/** The plan parser's own error: a stable code and a Chinese message that says what to do. */
export type PlanParseErrorCode = 'EMPTY' | 'NO_ITEMS';

export class PlanParseError extends Error {
  readonly code: PlanParseErrorCode;
  /** The file being parsed, when the caller knows it (the parser itself only sees text). */
  readonly file: string | null;

  constructor(code: PlanParseErrorCode, message: string, file: string | null = null) {
    super(message);
    this.name = 'PlanParseError';
    this.code = code;
    this.file = file;
  }

  /** The same error, its message naming the file: `无法解析计划文件 X：…`. */
  inFile(file: string): PlanParseError {
    return this.file ? this : new PlanParseError(this.code, `无法解析计划文件 ${file}：${this.message}`, file);
  }
}
