/** Text made safe for a spreadsheet cell: no characters XML forbids, no formula, no more than Excel holds. */
import { cellText, MAX_CELL_CHARS } from '../../src/status/cell-text';

describe('cellText', () => {
  it('keeps ordinary text, line breaks and characters outside the BMP as they are', () => {
    expect(cellText('推进中，已完成 80%\n下一步：验收 𠀋')).toBe('推进中，已完成 80%\n下一步：验收 𠀋');
  });

  it('drops control characters and lone surrogates, and writes line breaks and tabs plainly', () => {
    expect(cellText('a\u0000b\u0008c\u000bd\u001fe\u007ff\r\ng\rh\ti\ud800j\udc00k\uffff')).toBe('abcdef\ng\nh ijk');
  });

  it.each(['=1+1', '+86 123', '-5', '@SUM(A1)', "=cmd|' /c calc'!A1"])('guards %j against being read as a formula', (s) => {
    expect(cellText(s)).toBe(`'${s}`);
  });

  it('guards a formula hidden behind a dropped control character', () => {
    expect(cellText('\u0007=1+1')).toBe("'=1+1");
  });

  it('cuts text to what a cell holds without splitting a character', () => {
    const cut = cellText('𠀋'.repeat(20_000));
    expect(cut.length).toBeLessThanOrEqual(MAX_CELL_CHARS);
    expect(cut.endsWith('…（内容过长，以下从略）')).toBe(true);
    expect(/[\ud800-\udbff](?![\udc00-\udfff])/.test(cut)).toBe(false);
  });
});
