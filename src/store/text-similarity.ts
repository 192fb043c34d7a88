/** Text similarity of task texts (character-bigram Dice), used to recognise an edited task. No SQL here. */

/**
 * Lowest text similarity (see `textSimilarity`) at which an edited task keeps its stored row. Measured on the
 * seed, data/plan.txt and the corpus excerpts (89 tasks): replacing a 4–8 character phrase in a task of 39+
 * characters scores 0.77–0.97, adding or dropping a clause 0.72–1; two different tasks of one plan score at most
 * 0.67 (short formulaic targets such as `有效投资完成市下达目标任务。` / `节能减排完成市下达目标任务。`), 99% of
 * them below 0.34. A wrong match hands a task's progress history to another task, a missed one only archives
 * the old row (history kept) and starts a new one, so the threshold sits above the formulaic pairs.
 */
export const SIMILARITY_THRESHOLD = 0.7;

/** Characters that do not count for similarity: whitespace, punctuation and symbols (after NFKC). */
const NOISE_RE = /[\s\p{P}\p{S}]/u;

/** Per UTF-16 code unit: 0 not looked at yet, 1 counts, 2 noise (NOISE_RE), filled as units are met. */
const unitKind = new Uint8Array(0x10000);

function isNoise(unit: number): boolean {
  let kind = unitKind[unit] as number;
  if (kind === 0) {
    kind = NOISE_RE.test(String.fromCharCode(unit)) ? 2 : 1;
    unitKind[unit] = kind;
  }
  return kind === 2;
}

/**
 * The character bigrams of a text as a sorted multiset of codes (`first << 16 | second`, over UTF-16 code
 * units), with widths folded (NFKC) and whitespace and punctuation left out. When the text is too short for a
 * bigram, `plain` is what is left of it (at most one character), else ''.
 */
export interface Bigrams {
  codes: Uint32Array;
  plain: string;
}

export function bigrams(text: string): Bigrams {
  const folded = text.normalize('NFKC');
  const codes = new Uint32Array(Math.max(folded.length - 1, 0));
  let n = 0;
  let prev = -1;
  for (let i = 0; i < folded.length; i++) {
    const unit = folded.charCodeAt(i);
    if (isNoise(unit)) continue;
    if (prev >= 0) codes[n++] = prev * 0x10000 + unit;
    prev = unit;
  }
  return { codes: codes.subarray(0, n).sort(), plain: n === 0 && prev >= 0 ? String.fromCharCode(prev) : '' };
}

function dice(a: Bigrams, b: Bigrams): number {
  const x = a.codes;
  const y = b.codes;
  if (x.length === 0 || y.length === 0) return x.length === y.length && a.plain === b.plain ? 1 : 0;
  return (2 * commonCount(x, y)) / (x.length + y.length);
}

/** Dice ≥ t needs the shorter multiset to hold at least t / (2 − t) of the longer one. */
const MIN_SIZE_RATIO = SIMILARITY_THRESHOLD / (2 - SIMILARITY_THRESHOLD);

/** `dice(a, b)`, or 0 when it is certainly below SIMILARITY_THRESHOLD (sizes too far apart). */
export function diceAboveThreshold(a: Bigrams, b: Bigrams): number {
  const m = a.codes.length;
  const n = b.codes.length;
  if (Math.min(m, n) < MIN_SIZE_RATIO * Math.max(m, n) - 1e-9) return 0; // slack for rounding at the boundary
  return dice(a, b);
}

/** Size of the multiset intersection of two sorted arrays. */
function commonCount(x: Uint32Array, y: Uint32Array): number {
  let common = 0;
  for (let i = 0, j = 0; i < x.length && j < y.length; ) {
    const u = x[i] as number;
    const v = y[j] as number;
    if (u === v) {
      common += 1;
      i += 1;
      j += 1;
    } else if (u < v) i += 1;
    else j += 1;
  }
  return common;
}

/**
 * Sørensen–Dice coefficient of the character-bigram multisets of two task texts, in [0, 1]: 1 for texts
 * that differ only in punctuation, whitespace or full/half width, 0 for texts without a bigram in common.
 * Works on characters (Chinese has no word spaces); a text of one character only equals itself.
 */
export function textSimilarity(a: string, b: string): number {
  return dice(bigrams(a), bigrams(b));
}
