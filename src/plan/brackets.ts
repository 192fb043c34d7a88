/**
 * Bracket depth for the parser's scanners. Works on UTF-16 code units, not one-character strings:
 * plan text is almost all CJK, and building a string per character dominated parse time.
 */

/** +1 for an opening bracket `(〔[【`, -1 for a closing one `)〕]】`, 0 otherwise. */
export function bracketDelta(code: number): number {
  switch (code) {
    case 0x28: // (
    case 0x5b: // [
    case 0x3014: // 〔
    case 0x3010: // 【
      return 1;
    case 0x29: // )
    case 0x5d: // ]
    case 0x3015: // 〕
    case 0x3011: // 】
      return -1;
    default:
      return 0;
  }
}
