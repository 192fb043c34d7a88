import { OverrideSyntaxError, parseCycleRule, parseOverrides, readNumber, ruleFor, describeRule } from '../../src/schedule/overrides';

describe('parseCycleRule', () => {
  it.each([
    ['每周五', { kind: 'weekly', dueDay: 5 }],
    ['每周日', { kind: 'weekly', dueDay: 7 }],
    ['每周星期三', { kind: 'weekly', dueDay: 3 }],
    ['每周2', { kind: 'weekly', dueDay: 2 }],
    ['每周', { kind: 'weekly', dueDay: 5 }],
    ['每月20日', { kind: 'monthly', dueDay: 20 }],
    ['每月二十号', { kind: 'monthly', dueDay: 20 }],
    ['每月', { kind: 'monthly', dueDay: 25 }],
    ['每季度10日', { kind: 'quarterly', dueDay: 10 }],
    ['每季度末月15日', { kind: 'quarterly', dueDay: 15 }],
    ['weekly:4', { kind: 'weekly', dueDay: 4 }],
    ['Monthly/28', { kind: 'monthly', dueDay: 28 }],
    ['quarterly', { kind: 'quarterly', dueDay: 20 }],
  ])('reads %s', (text, rule) => {
    expect(parseCycleRule(text)).toEqual(rule);
  });

  it.each(['每周八', '每月32日', '每年', 'daily', '每月第二个周五', 'weekly:9'])('refuses %s', (text) => {
    expect(parseCycleRule(text)).toBeNull();
  });

  it('writes a rule back in words', () => {
    expect(describeRule({ kind: 'weekly', dueDay: 5 })).toBe('每周五');
    expect(describeRule({ kind: 'monthly', dueDay: 20 })).toBe('每月20日');
    expect(describeRule({ kind: 'quarterly', dueDay: 10 })).toBe('每季度末月10日');
  });
});

describe('readNumber', () => {
  it.each([
    ['3', 3],
    ['３', 3],
    ['三', 3],
    ['十', 10],
    ['十二', 12],
    ['二十', 20],
    ['二十一', 21],
    ['', null],
    ['三五', null],
  ])('%s → %s', (text, n) => {
    expect(readNumber(text)).toBe(n);
  });
});

describe('parseOverrides', () => {
  it('reads items and units, separated by either semicolon or new lines', () => {
    expect(parseOverrides('第3项=每周五；区司法局:每月20日\n第七项：每季度10日;')).toEqual([
      { target: { item: 3 }, rule: { kind: 'weekly', dueDay: 5 }, text: '第3项=每周五' },
      { target: { unit: '区司法局' }, rule: { kind: 'monthly', dueDay: 20 }, text: '区司法局:每月20日' },
      { target: { item: 7 }, rule: { kind: 'quarterly', dueDay: 10 }, text: '第七项：每季度10日' },
    ]);
    expect(parseOverrides('')).toEqual([]);
  });

  it.each([
    ['第3项 每周五', '缺少“='],
    ['第3项=每天', '“每天”不是报送周期'],
    ['第零项=每周五', '不是事项或单位'],
    ['第3项=每周五；第三项=每月', '重复设置了同一个事项'],
  ])('refuses %s with a Chinese reason', (text, reason) => {
    expect(() => parseOverrides(text)).toThrow(OverrideSyntaxError);
    expect(() => parseOverrides(text)).toThrow(reason);
  });
});

describe('ruleFor', () => {
  const overrides = parseOverrides('区司法局=每月20日；第3项=每周五');
  const fallback = { kind: 'monthly' as const, dueDay: 25 };

  it('gives the item’s rule first, then the unit’s, then the default', () => {
    expect(ruleFor(overrides, fallback, 3, '区司法局')).toEqual({ kind: 'weekly', dueDay: 5 });
    expect(ruleFor(overrides, fallback, 4, '区司法局')).toEqual({ kind: 'monthly', dueDay: 20 });
    expect(ruleFor(overrides, fallback, 4, '区财政局')).toEqual(fallback);
  });
});
