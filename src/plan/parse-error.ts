/** The plan parser's own error: a stable code and a Chinese message that says what to do. */
export type PlanParseErrorCode = 'EMPTY' | 'NO_ITEMS';

export class PlanParseError extends Error {
  readonly code: PlanParseErrorCode;

  constructor(code: PlanParseErrorCode, message: string) {
    super(message);
    this.name = 'PlanParseError';
    this.code = code;
  }
}
