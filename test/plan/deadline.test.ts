import { findDeadlinesInText, isDeadlineCell, latestDeadline, parseDeadlineCell } from '../../src/plan/deadline';

describe('deadlines in running text', () => {
  it.each<[string, number | null, string | null]>([
    ['2019年9月底前完成下放事项承接', 2019, '2019-09-30'],
    ['2019年9月底前完成', null, '2019-09-30'],
    ['年底前全面推广', 2020, '2020-12-31'],
    ['年末前完成', 2021, '2021-12-31'],
    ['6月30日前报送', 2021, '2021-06-30'],
    ['2022年底前编制并公布', 2021, '2022-12-31'],
    ['2022年10月底前编制并公布', null, '2022-10-31'],
    ['11月底前完成变相许可清查整治', 2022, '2022-11-30'],
    ['上半年前完成', 2020, '2020-06-30'],
    ['下半年前完成', 2020, '2020-12-31'],
    ['三季度末前完成', 2020, '2020-09-30'],
    ['第一季度前完成', 2020, '2020-03-31'],
    ['10月中旬前完成', 2020, '2020-10-20'],
    ['3月上旬前完成', 2020, '2020-03-10'],
    ['2024年2月底前完成', null, '2024-02-29'],
    ['2月底前完成', 2023, '2023-02-28'],
    ['2月底前完成', 2000, '2000-02-29'],
    ['2月底前完成', 1900, '1900-02-28'],
    // Not deadlines: a period, a target year, a phrase without 前, a month with no plan year.
    ['开展专项行动(2020年)', 2020, null],
    ['到2025年,社会消费品零售总额达到3.5万亿元', 2021, null],
    ['《法治政府建设实施纲要(2015—2020年)》', 2020, null],
    ['1-9月,实现地区生产总值增长9.6%', 2021, null],
    ['每季度最后一个月的30日前报送', 2023, null],
    ['各单位工作落实情况请于每月23日前报送', 2022, null],
    ['年底前完成', null, null],
    ['6月30日前报送', null, null],
    // Dates that do not exist are dropped rather than shifted.
    ['2月30日前', 2021, null],
    ['13月底前', 2021, null],
  ])('%s (plan year %s) → %s', (text, year, expected) => {
    expect(latestDeadline(text, year)).toBe(expected);
  });

  it('finds every deadline in order and returns the latest as the task deadline', () => {
    const text = '8月底前编制完成市级行政许可事项清单并向社会公布,9月底前编制完成区(县)级清单,6月底前启动。';
    expect(findDeadlinesInText(text, 2022)).toEqual(['2022-08-31', '2022-09-30', '2022-06-30']);
    expect(latestDeadline(text, 2022)).toBe('2022-09-30');
  });

  it('lets an explicit year win over the plan year', () => {
    expect(findDeadlinesInText('2021年6月底前试点,年底前推广', 2020)).toEqual(['2021-06-30', '2020-12-31']);
  });
});

describe('deadline cells of a table', () => {
  it.each<[string, number | null, string | null]>([
    ['2022年9月底', 2022, '2022-09-30'],
    ['2022年9月底前', null, '2022-09-30'],
    ['2022年 11月底', null, '2022-11-30'],
    ['年底前', 2021, '2021-12-31'],
    ['6月30日', 2021, '2021-06-30'],
    ['三季度', 2021, '2021-09-30'],
    ['2022年11', 2022, null],
    ['长期', 2022, null],
    ['市行政审批局', 2022, null],
  ])('%s (plan year %s) → %s', (cell, year, expected) => {
    expect(parseDeadlineCell(cell, year)).toBe(expected);
  });

  it.each<[string, boolean]>([
    ['2022年9月底', true],
    ['年底前', true],
    ['长期', true],
    ['持续推进', true],
    ['年内', true],
    ['市行政审批局', false],
    ['加快钱塘江金融港湾建设。', false],
    ['', false],
  ])('isDeadlineCell(%s) is %s', (cell, expected) => {
    expect(isDeadlineCell(cell)).toBe(expected);
  });
});
