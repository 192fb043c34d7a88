import { parsePlan } from '../../src/plan/parse-plan';
import { ITEM_RE, parseChineseNumber, SECTION_RE, toChineseNumber } from '../../src/plan/numbering';

describe('parseChineseNumber', () => {
  it.each([
    ['一', 1], ['九', 9], ['十', 10], ['十二', 12], ['二十', 20], ['九十九', 99],
    ['一百', 100], ['一百零五', 105], ['一百一十', 110], ['一百二十三', 123], ['三百', 300],
  ])('%s → %d', (cn, n) => {
    expect(parseChineseNumber(cn)).toBe(n);
  });

  it('rejects what is not a numeral', () => {
    expect(parseChineseNumber('第一')).toBeNaN();
    expect(parseChineseNumber('')).toBeNaN();
  });
});

describe('numbering patterns', () => {
  it('reads sections past 九十九', () => {
    expect(SECTION_RE.exec('一百零一、加强组织领导')?.[1]).toBe('一百零一');
  });

  it('reads item numbers up to four digits but not decimals', () => {
    expect(ITEM_RE.exec('1234.推进改革。')?.[1]).toBe('1234');
    expect(ITEM_RE.exec('3.0平台全面上线')).toBeNull();
  });
});

describe('large plans', () => {
  it('keeps items numbered past 999 apart instead of folding them into item 999', () => {
    const lines = ['2020年某区工作要点', '一、重点工作'];
    for (let n = 1; n <= 1002; n++) lines.push(`${n}.推进第${n}项工作。(责任单位:区司法局)`);
    const plan = parsePlan(lines.join('\n'));
    expect(plan.items).toHaveLength(1002);
    expect(plan.items[1001]).toMatchObject({ number: 1002, title: '推进第1002项工作' });
    expect(plan.warnings).toEqual([]);
  });

  it('keeps the renumbering warning short when numbering restarts many times', () => {
    const lines = ['2020年某区工作要点'];
    for (let s = 1; s <= 40; s++) {
      lines.push(`${toChineseNumber(s)}、第${s}部分`);
      lines.push('1.推进工作。(责任单位:区司法局)', '2.推进工作。(责任单位:区财政局)');
    }
    const plan = parsePlan(lines.join('\n'));
    expect(plan.items).toHaveLength(80);
    expect(plan.warnings).toHaveLength(1);
    expect(plan.warnings[0]).toContain('等 80 个');
    expect(plan.warnings[0]!.length).toBeLessThan(200);
  });
});

describe('toChineseNumber', () => {
  it('writes what parseChineseNumber reads, for 1–999', () => {
    for (let n = 1; n <= 999; n++) expect(parseChineseNumber(toChineseNumber(n))).toBe(n);
    expect([1, 10, 12, 20, 105, 110, 999].map(toChineseNumber)).toEqual(['一', '十', '十二', '二十', '一百零五', '一百一十', '九百九十九']);
  });
});

describe('plans whose parts restart at 一', () => {
  it('renumbers the sections so each number is unique, with a warning, and keeps items under them', () => {
    const plan = parsePlan(
      [
        '2021年某区工作要点',
        '一、上半年重点', '1.推进改革。(责任单位:区司法局)',
        '二、下半年重点', '2.完善制度。(责任单位:区财政局)',
        '其他事项',
        '一、保障措施', '3.加强督查。(责任单位:区政府办公室)',
      ].join('\n'),
    );
    expect(plan.sections).toEqual([
      { number: '一', title: '上半年重点' },
      { number: '二', title: '下半年重点' },
      { number: '三', title: '保障措施' },
    ]);
    expect(plan.items.map((i) => i.section)).toEqual(['一', '二', '三']);
    expect(plan.warnings[0]).toContain('部分编号有重复');
  });
});
