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

  it('keeps a short task line whose bracket states the rule: it is a task, not a note (found by fuzzing)', () => {
    const p = plan(
      '一、重点工作',
      '1.推进改革',
      '完善制度(责任部门:区人民法院、区司法局。列第一位的为牵头单位)。',
      '开展检查。(区财政局、区市场监管局。排在第一位的为牵头单位)',
    );
    expect(tasks(p).map((t) => [t.units, t.leads])).toEqual([
      [['区人民法院', '区司法局'], ['区人民法院']],
      [['区财政局', '区市场监管局'], ['区财政局']],
    ]);
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

describe('more wordings from a second review', () => {
  it('gives every (1)(2)(3) sub-task the units of one 责任单位 line after them', () => {
    const p = plan(
      '一、农业农村',
      '1.稳定粮食生产。',
      '(1)全年粮食播种面积稳定在20万亩以上。',
      '(2)建设高标准农田1万亩,2021年10月底前完成。',
      '(3)推进粮食生产功能区提标改造。',
      '责任单位:区农业农村局、区财政局',
    );
    expect(tasks(p).map((t) => [t.id, t.units, t.deadline])).toEqual([
      ['1.1', ['区农业农村局', '区财政局'], null],
      ['1.2', ['区农业农村局', '区财政局'], '2021-10-31'],
      ['1.3', ['区农业农村局', '区财政局'], null],
    ]);
  });

  it('joins a 责任单位 line that wrapped, cut inside a name or after a separator', () => {
    for (const [a, b] of [['责任单位:区政务数据办、区市场监管局、区', '税务局、区公安分局'], ['责任单位:区政务数据办、区市场监管局、', '区税务局、区公安分局']]) {
      const p = plan('一、营商环境', '1.优化营商环境。推进税费便利化改革。', a!, b!);
      expect(tasks(p)).toHaveLength(1);
      expect(tasks(p)[0]!.units).toEqual(['区政务数据办', '区市场监管局', '区税务局', '区公安分局']);
    }
  });

  it('reads units beside a leader label, and does not take the leader for a unit', () => {
    const p = plan('一、重点工作', '1.推进改革。完善制度。', '牵头领导:张三;责任单位:区发改局、区财政局', '2.加强法治。开展培训。', '责任领导:王五 责任单位:区法院、区检察院');
    expect(tasks(p).map((t) => t.units)).toEqual([['区发改局', '区财政局'], ['区法院', '区检察院']]);
    expect(tasks(p)[0]!.text).toBe('完善制度。');
    expect(p.warnings).toEqual([]);
  });

  it('knows people’s organisations (区残联, 区妇联, 区工商联, 区科协) as units', () => {
    const p = plan('一、社会事业', '1.加强残疾人服务。推进残疾人之家建设。(区残联、区民政局)', '2.关爱儿童。开展关爱活动。(区妇联、团区委、区关工委、区科协)');
    expect(tasks(p).map((t) => t.units)).toEqual([['区残联', '区民政局'], ['区妇联', '团区委', '区关工委', '区科协']]);
  });

  it('applies the lead rule stated in the covering notice', () => {
    const p = parsePlan(
      [
        '各镇人民政府、街道办事处,区政府各部门:',
        '现将《2021年某区工作要点》印发给你们,请认真贯彻执行。各项任务中列第一位的为牵头单位。',
        '某区人民政府办公室',
        '2021年3月1日',
        '2021年某区工作要点',
        '一、重点工作',
        '1.推进数字化改革。建设数据平台。(责任单位:区政务数据办、区级有关部门)',
      ].join('\n'),
    );
    expect(tasks(p)[0]!.leads).toEqual(['区政务数据办']);
  });

  it('reads a table pasted from a spreadsheet with tabs', () => {
    const p = plan('序号\t重点任务\t责任单位\t完成时限', '1\t建设城市大脑。\t区数据局、区财政局\t2021年12月31日前', '2.\t建立企业家恳谈会制度。\t区工商联、各有关单位\t2021年三季度');
    expect(tasks(p).map((t) => [t.id, t.text, t.units, t.deadline])).toEqual([
      ['1.1', '建设城市大脑。', ['区数据局', '区财政局'], '2021-12-31'],
      ['2.1', '建立企业家恳谈会制度。', ['区工商联', '各有关单位'], '2021-09-30'],
    ]);
  });

  it('reads (1) entries directly under 一、 as items', () => {
    const p = plan('一、重点工作', '(1)推进改革。完善制度。(责任单位:区司法局)', '(2)加强监管。开展检查。(责任单位:区市场监管局)');
    expect(p.items.map((i) => [i.number, i.label, i.title, i.tasks[0]!.units])).toEqual([
      [1, '(1)', '推进改革', ['区司法局']],
      [2, '(2)', '加强监管', ['区市场监管局']],
    ]);
  });

  it('keeps a bracket set before the title’s full stop with the item’s one task', () => {
    const p = plan('一、农业', '2.推进农业绿色发展(责任单位:区农业农村局)。开展化肥农药减量行动。');
    expect(tasks(p)).toEqual([expect.objectContaining({ text: '开展化肥农药减量行动。', units: ['区农业农村局'] })]);
    expect(p.items[0]!.title).toBe('推进农业绿色发展');
  });
});
