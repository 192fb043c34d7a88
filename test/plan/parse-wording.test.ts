/**
 * Ways real plans are written that a first parser got wrong (found in review): deadlines and rule
 * sentences inside brackets, units separated by spaces or 和, attachments, wrapped lines, quotes.
 */
import { findDeadlinesInText } from '../../src/plan/deadline';
import { parsePlan } from '../../src/plan/parse-plan';

const plan = (...lines: string[]) => parsePlan(['2021年某区法治政府建设工作要点', ...lines].join('\n'));
const tasks = (p: ReturnType<typeof parsePlan>) => p.items.flatMap((i) => i.tasks);

describe('deadlines written inside the responsibility bracket', () => {
  it('takes `完成时限:` apart from the units', () => {
    const [t] = tasks(plan('一、重点工作', '1.推进改革。完善制度。(责任单位:区发改局;完成时限:2021年底前)'));
    expect(t).toMatchObject({ units: ['区发改局'], leads: ['区发改局'], deadline: '2021-12-31' });
  });

  it('takes a completion time listed among the units apart from them', () => {
    const [t] = tasks(plan('一、重点工作', '1.推进改革。完善制度。(责任单位:区司法局,2021年6月底前完成)'));
    expect(t).toMatchObject({ units: ['区司法局'], leads: ['区司法局'], deadline: '2021-06-30' });
  });

  it('reports, and does not store as units, fragments of a labelled list that are not unit names', () => {
    const p = plan('一、重点工作', '1.推进改革。完善制度。(责任单位:区司法局、2021版台账)');
    expect(tasks(p)[0]!.units).toEqual(['区司法局']);
    expect(p.warnings.join('')).toContain('2021版台账');
  });
});

describe('the lead rule in other words', () => {
  it('understands `列第一位的单位为牵头单位,下同` and applies it onward', () => {
    const [a, b] = tasks(
      plan('一、重点工作', '1.推进改革。完善制度。(责任单位:区司法局、区财政局。列第一位的单位为牵头单位,下同)', '2.加强监管。开展检查。(责任单位:区市场监管局、区司法局)'),
    );
    expect(a).toMatchObject({ units: ['区司法局', '区财政局'], leads: ['区司法局'] });
    expect(b).toMatchObject({ units: ['区市场监管局', '区司法局'], leads: ['区市场监管局'] });
  });

  it('understands `排在第一位的为牵头单位` in a bracket without a label', () => {
    const [t] = tasks(plan('一、重点工作', '1.推进改革。完善制度。(区司法局、区财政局。排在第一位的为牵头单位,下同)'));
    expect(t).toMatchObject({ units: ['区司法局', '区财政局'], leads: ['区司法局'], text: '完善制度。' });
  });

  it('applies a note under the title to every task, and a 注 line is not a task', () => {
    const p = plan(
      '(各项任务中列第一位的为牵头单位)',
      '一、重点工作',
      '1.推进改革。完善制度。(责任单位:区司法局、区财政局)',
      '2.加强监管。开展检查。(责任单位:区市场监管局、区司法局)',
      '注:列第一位的为牵头单位。',
    );
    expect(tasks(p).map((t) => t.leads)).toEqual([['区司法局'], ['区市场监管局']]);
    expect(tasks(p)).toHaveLength(2);
  });
});

describe('unit lists', () => {
  it('splits units separated by spaces, as a Word cell with one unit per line gives them', () => {
    const [t] = tasks(plan('一、重点工作', '1.推进改革。完善制度。(责任单位:区司法局 区财政局 各镇人民政府(街道办事处))'));
    expect(t!.units).toEqual(['区司法局', '区财政局', '各镇人民政府(街道办事处)']);
  });

  it('splits two units joined by 和 or 与, never a name such as 区发展和改革局', () => {
    const [a, b] = tasks(
      plan('一、重点工作', '1.推进改革。完善制度。(责任单位:区司法局和区市场监管局)', '2.优化服务。开展评估。(责任单位:区发展和改革局、区文化和旅游局与区教育局)'),
    );
    expect(a!.units).toEqual(['区司法局', '区市场监管局']);
    expect(a!.leads).toEqual([]);
    expect(b!.units).toEqual(['区发展和改革局', '区文化和旅游局', '区教育局']);
  });
});

describe('the plan body', () => {
  it('stops at an attachment after the items, with a warning', () => {
    const p = plan('一、重点工作', '1.推进改革。完善制度。(责任单位:区司法局)', '附件', '一、任务清单', '1.填报表格。(责任单位:区统计局)');
    expect(p.items).toHaveLength(1);
    expect(p.sections).toHaveLength(1);
    expect(p.warnings).toContain('文件中“附件”及其后的内容不属于计划正文，未导入。');
  });

  it('joins a bracket that a wrapped line split in two', () => {
    const [t] = tasks(plan('一、重点工作', '1.推进改革。完善制度。(责任单位:区司法局、', '区财政局、区发改局)'));
    expect(t!.units).toEqual(['区司法局', '区财政局', '区发改局']);
    expect(t!.text).toBe('完善制度。');
  });

  it('does not take a wrapped sentence for a unit list', () => {
    const p = plan('一、重点工作', '1.推进政务服务。建设区政务服务中心', '和镇便民服务中心。(责任单位:区政务数据办)');
    expect(tasks(p)).toEqual([
      expect.objectContaining({ text: '建设区政务服务中心和镇便民服务中心。', units: ['区政务数据办'], leads: ['区政务数据办'] }),
    ]);
  });

  it('keeps the title short of the bracket when the first sentence has no full stop', () => {
    expect(plan('一、重点工作', '1.推进依法行政工作(责任单位:区司法局)').items[0]!.title).toBe('推进依法行政工作');
  });

  it('reads a title that wrapped onto the next line as one sentence', () => {
    const p = plan('一、重点工作', '1.深入推进依法行政,全面落实行政执法三项制度,加强行政执法', '监督。6月底前完成执法案卷评查。(责任单位:区司法局)');
    expect(p.items[0]!.title).toBe('深入推进依法行政,全面落实行政执法三项制度,加强行政执法监督');
    expect(tasks(p)[0]).toMatchObject({ text: '6月底前完成执法案卷评查。', deadline: '2021-06-30' });
  });

  it('does not split a task at a bracket inside quotation marks', () => {
    const p = plan('一、重点工作', '1.推进改革。落实“(责任单位:区政府办)”这一要求,完善制度。(责任单位:区司法局)');
    expect(tasks(p)).toHaveLength(1);
    expect(tasks(p)[0]!.units).toEqual(['区司法局']);
  });
});

describe('deadlines in running text', () => {
  it.each([
    ['6月底完成清理', ['2021-06-30']],
    ['年内完成全部整改', ['2021-12-31']],
    ['上半年建成平台', ['2021-06-30']],
    ['明年6月底前完成', ['2022-06-30']],
    ['在3月前后组织检查', []],
    ['到2025年,零售总额达到3.5万亿元', []],
  ])('%s → %j', (text, expected) => {
    expect(findDeadlinesInText(text, 2021)).toEqual(expected);
  });
});
