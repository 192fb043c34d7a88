/**
 * Text formatting of the benchmark report: numbers in Chinese-friendly units and a plain-text table whose
 * columns line up in a terminal although Chinese characters take two columns.
 */

/** Terminal columns of one code point: East Asian wide and full-width characters take two. */
function charWidth(cp: number): number {
  if (
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0x303e) ||
    (cp >= 0x3041 && cp <= 0x33ff) ||
    (cp >= 0x3400 && cp <= 0x4dbf) ||
    (cp >= 0x4e00 && cp <= 0x9fff) ||
    (cp >= 0xa000 && cp <= 0xa4cf) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
  ) {
    return 2;
  }
  return 1;
}

export function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) w += charWidth(ch.codePointAt(0) ?? 0);
  return w;
}

function pad(s: string, width: number, align: 'left' | 'right'): string {
  const fill = ' '.repeat(Math.max(0, width - displayWidth(s)));
  return align === 'left' ? s + fill : fill + s;
}

export type Align = 'left' | 'right';

/** A row of cells, or a separator line. */
export type Row = string[] | 'separator';

/** Renders a table with `│` between columns and `─` rules. */
export function renderTable(headers: string[], rows: Row[], aligns: Align[]): string {
  const widths = headers.map((h, i) =>
    Math.max(displayWidth(h), ...rows.map((r) => (r === 'separator' ? 0 : displayWidth(r[i] ?? '')))),
  );
  const line = (cells: string[], forceLeft = false): string =>
    cells.map((c, i) => pad(c, widths[i] ?? 0, forceLeft ? 'left' : (aligns[i] ?? 'left'))).join(' │ ');
  const rule = widths.map((w) => '─'.repeat(w)).join('─┼─');
  const out = [line(headers, true), rule];
  for (const r of rows) out.push(r === 'separator' ? rule : line(r));
  return out.join('\n');
}

/** Milliseconds with a precision that suits the size. */
export function fmtMs(ms: number): string {
  if (ms < 1) return `${ms.toFixed(3)} ms`;
  if (ms < 10) return `${ms.toFixed(2)} ms`;
  if (ms < 100) return `${ms.toFixed(1)} ms`;
  return `${ms.toFixed(0)} ms`;
}

/** Milliseconds, or seconds from 10 s on: 16.2 s. */
export function fmtDuration(ms: number): string {
  return ms < 10_000 ? fmtMs(ms) : `${(ms / 1000).toFixed(1)} s`;
}

/** An integer with thousands separators: 5,000. */
export function fmtInt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** A ratio such as `12.3×`. */
export function fmtTimes(ratio: number): string {
  if (!Number.isFinite(ratio)) return '—';
  return ratio >= 100 ? `${ratio.toFixed(0)}×` : `${ratio.toFixed(1)}×`;
}

export function fmtBytes(bytes: number): string {
  return `${(bytes / 1024 ** 3).toFixed(1)} GB`;
}

/** Bytes in megabytes (10^6): 4.2 MB. */
export function fmtMB(bytes: number): string {
  return bytes >= 1e6 ? `${(bytes / 1e6).toFixed(1)} MB` : `${(bytes / 1e3).toFixed(0)} KB`;
}
