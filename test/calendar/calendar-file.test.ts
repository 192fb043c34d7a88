import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CalendarFileError, loadCalendarFile, parseCalendarText } from '../../src/calendar/calendar-file';
import { WorkdayCalendar } from '../../src/calendar/workday-calendar';

const SHIPPED_FILE = join(__dirname, '..', '..', 'data', 'calendar.yaml');
const FILE = 'data/calendar.yaml';

const EXAMPLE = `# 2027年节假日安排（按国务院办公厅通知填写）
2027:
  放假:
    - 2027-01-01 元旦
    - 2027-02-06 至 2027-02-12 春节
  上班:
    - 2027-02-14 春节调休
`;

function parseError(text: string): CalendarFileError {
  try {
    parseCalendarText(text, FILE);
  } catch (error) {
    expect(error).toBeInstanceOf(CalendarFileError);
    return error as CalendarFileError;
  }
  throw new Error('expected a CalendarFileError');
}

describe('parseCalendarText', () => {
  it('reads the documented example', () => {
    const extras = parseCalendarText(EXAMPLE, FILE);
    expect(extras.file).toBe(FILE);
    expect([...extras.years]).toEqual([2027]);
    expect([...extras.holidays]).toEqual([
      ['2027-01-01', '元旦'],
      ['2027-02-06', '春节'],
      ['2027-02-07', '春节'],
      ['2027-02-08', '春节'],
      ['2027-02-09', '春节'],
      ['2027-02-10', '春节'],
      ['2027-02-11', '春节'],
      ['2027-02-12', '春节'],
    ]);
    expect([...extras.workdays]).toEqual([['2027-02-14', '春节调休']]);
    expect(WorkdayCalendar.create(extras).shift('2027-02-06', 'next')).toBe('2027-02-14');
  });

  it('accepts the other spellings of keys, dates and ranges', () => {
    const extras = parseCalendarText(
      `2027:
  休息:
    - 2027/1/1
    - 2027年2月6日~2027年2月7日 春节
  holidays:
    - 2027-04-03～2027-04-05 清明节
    - 2027-05-01..2027-05-05
    - 2027-06-09—2027-06-11 端午节
  调休上班: 2027-02-14
  workdays:
    - 2027-05-08 劳动节调休
`,
      FILE,
    );
    expect(extras.holidays.get('2027-01-01')).toBe('');
    expect(extras.holidays.get('2027-02-07')).toBe('春节');
    expect(extras.holidays.get('2027-04-04')).toBe('清明节');
    expect(extras.holidays.get('2027-05-05')).toBe('');
    expect(extras.holidays.get('2027-06-10')).toBe('端午节');
    expect(extras.holidays.size).toBe(1 + 2 + 3 + 5 + 3);
    expect([...extras.workdays.keys()]).toEqual(['2027-02-14', '2027-05-08']);
  });

  it('declares a year with no holidays, and accepts dates in a neighbouring year', () => {
    expect([...parseCalendarText('2027:\n2028: {}\n2029年:\n', FILE).years]).toEqual([2027, 2028, 2029]);
    const extras = parseCalendarText('2028:\n  放假:\n    - 2027-12-30 至 2028-01-01 元旦\n', FILE);
    expect([...extras.holidays.keys()]).toEqual(['2027-12-30', '2027-12-31', '2028-01-01']);
    expect([...extras.years]).toEqual([2028]);
  });

  it('reads empty or comment-only text as no extras', () => {
    for (const text of ['', '# 只有注释\n', '\ufeff']) {
      const extras = parseCalendarText(text, FILE);
      expect(extras.years.size + extras.holidays.size + extras.workdays.size).toBe(0);
    }
  });

  it.each([
    ['not YAML (an unclosed bracket)', '2027:\n  放假: [2027-01-01\n', 2, /方括号没有配对/],
    ['not YAML (a stray bracket)', '2027:\n  放假: [2027-01-01]]\n', 2, /无法识别的内容/],
    ['a duplicated year', '2027:\n2027:\n', 2, /写了两次/],
    ['a tab indent', '2027:\n\t放假: []\n', 2, /Tab/],
    ['a full-width colon', '2027：\n  放假: []\n', 1, /全角/],
    ['a key that is not a year', '二〇二七:\n  放假: []\n', 1, /“二〇二七”不是年份.*四位数的年份/],
    ['a top level that is a list', '- 2027-01-01\n', 1, /最外层应当是年份/],
    ['an unknown sub-key', '2027:\n  放假: []\n  假期:\n    - 2027-01-01\n', 3, /不认识“假期”.*“放假”或“上班”/],
    ['a bad date', '2027:\n  放假:\n    - 2027-01-01\n    - 2027-02-30 春节\n', 4, /日期“2027-02-30”不存在/],
    ['an unreadable entry', '2027:\n  放假:\n    - 元旦\n', 3, /无法识别“元旦”.*2027-01-01 元旦/],
    ['a name after a colon', '2027:\n  放假:\n    - 2027-01-01: 元旦\n', 3, /不要用冒号/],
    ['a range ending before its start', '2027:\n  放假:\n    - 2027-02-12 至 2027-02-06\n', 3, /结束日期早于开始日期/],
    ['a range over 31 days', '2027:\n  放假:\n    - 2027-01-01 至 2027-02-01\n', 3, /跨了 32 天.*最多 31 天/],
    ['a date far from its year', '2027:\n  上班:\n    - 2029-01-06\n', 3, /不在 2027 年前后一年之内/],
    [
      'a date both off and worked',
      '2027:\n  放假:\n    - 2027-02-06 至 2027-02-12\n  上班:\n    - 2027-02-10\n',
      5,
      /2027-02-10 既写在“上班”中，又写在“放假”中（见第 3 行）/,
    ],
  ])('rejects %s with a Chinese message naming the file and line', (_what, text, line, pattern) => {
    const error = parseError(text);
    expect(error.file).toBe(FILE);
    expect(error.line).toBe(line);
    expect(error.message).toContain(`节假日文件 ${FILE} 第 ${line} 行：`);
    expect(error.message).toMatch(pattern);
  });
});

describe('loadCalendarFile', () => {
  it('reads the shipped data/calendar.yaml as declaring no year', () => {
    const extras = loadCalendarFile(SHIPPED_FILE);
    expect(extras.file).toBe(SHIPPED_FILE);
    expect(extras.years.size).toBe(0);
    expect(extras.holidays.size).toBe(0);
    expect(extras.workdays.size).toBe(0);
    expect(WorkdayCalendar.create(extras).hasData(2027)).toBe(false);
  });

  it('ships a commented-out example that parses once uncommented', () => {
    const lines = readFileSync(SHIPPED_FILE, 'utf8').split('\n');
    const start = lines.findIndex((l) => /^# \d{4}:/.test(l));
    expect(start).toBeGreaterThan(0);
    const example = lines.slice(start).map((l) => l.replace(/^# ?/, '')).join('\n');
    const extras = parseCalendarText(example, FILE);
    expect(extras.years.size).toBe(1);
    expect(extras.holidays.size).toBeGreaterThan(0);
  });

  it('reads a file from disk, BOM included', () => {
    const dir = mkdtempSync(join(tmpdir(), 'duban-calendar-'));
    try {
      const file = join(dir, 'calendar.yaml');
      writeFileSync(file, `\ufeff${EXAMPLE}`);
      expect(loadCalendarFile(file).workdays.get('2027-02-14')).toBe('春节调休');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('treats a missing file as an error', () => {
    const missing = join(tmpdir(), 'duban-no-such-dir', 'calendar.yaml');
    expect(() => loadCalendarFile(missing)).toThrow(CalendarFileError);
    expect(() => loadCalendarFile(missing)).toThrow(/节假日文件 .*calendar\.yaml：无法打开文件（文件不存在）/);
  });
});
