import { parsePlan } from '../../src/plan/parse-plan';
import { ITEM_RE, parseChineseNumber, SECTION_RE } from '../../src/plan/numbering';

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
      lines.push(`${['一', '二', '三', '四', '五', '六', '七', '八', '九', '十'][(s - 1) % 10]}、第${s}部分`);
      lines.push('1.推进工作。(责任单位:区司法局)', '2.推进工作。(责任单位:区财政局)');
    }
    const plan = parsePlan(lines.join('\n'));
    expect(plan.items).toHaveLength(80);
    expect(plan.warnings).toHaveLength(1);
    expect(plan.warnings[0]).toContain('等 80 个');
    expect(plan.warnings[0]!.length).toBeLessThan(200);
  });
});
