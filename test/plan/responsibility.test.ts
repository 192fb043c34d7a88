import { findAnnotations } from '../../src/plan/find-annotations';
import { mergeResponsibility, parseResponsibility, splitTopLevel, type Responsibility } from '../../src/plan/responsibility';
import { splitGluedUnits } from '../../src/plan/unit-names';

type Case = [content: string, units: string[], explicitLeads: string[] | null, qualifier: string | null];

describe('parseResponsibility', () => {
  it.each<Case>([
    // Seed brackets.
    ['责任单位:区发展和改革局、区住建局', ['区发展和改革局', '区住建局'], null, null],
    ['责任单位:区级有关部门,各镇人民政府(街道办事处)按职责分工落实', ['区级有关部门', '各镇人民政府(街道办事处)'], null, '按职责分工落实'],
    [
      '责任单位:区司法局,区级有关部门,各镇人民政府(街道办事处),秀洲国家高新区管委会',
      ['区司法局', '区级有关部门', '各镇人民政府(街道办事处)', '秀洲国家高新区管委会'],
      null,
      null,
    ],
    ['责任单位:区发展和改革局、区经济信息商务局、区司法局,区级有关部门按职责分工落实', ['区发展和改革局', '区经济信息商务局', '区司法局', '区级有关部门'], null, '按职责分工落实'],
    // Other labels and label-less lists.
    ['责任部门:县市场监管局', ['县市场监管局'], null, null],
    ['牵头单位:市行政审批局市司法局', ['市行政审批局', '市司法局'], ['市行政审批局', '市司法局'], null],
    ['责任单位:县政府办公室、县司法局、各有关部门,乡镇人民政府按职责分工分别负责。', ['县政府办公室', '县司法局', '各有关部门', '乡镇人民政府'], null, '按职责分工分别负责'],
    ['市发改委、市财政局', ['市发改委', '市财政局'], null, null],
    ['各县(市)区政府,市应急办等。', ['各县(市)区政府', '市应急办'], null, '等'],
    ['市发改委等部门', ['市发改委'], null, '等部门'],
    ['市发改委、市人力社保局、市科技局、团市委配合落实', ['市发改委', '市人力社保局', '市科技局', '团市委'], null, '配合落实'],
    // One name with a `、` inside: the shared head `各区`/`各县` belongs to the next piece.
    ['各县、区人民政府(管委会)', ['各县、区人民政府(管委会)'], null, null],
    ['市发改委、市经信局,各区、县(市)政府(管委会)', ['市发改委', '市经信局', '各区、县(市)政府(管委会)'], null, null],
    // Lead markings.
    ['★区发改委、统计局', ['区发改委', '统计局'], ['区发改委'], null],
    ['★生态环境局', ['生态环境局'], ['生态环境局'], null],
    ['A局、B局牵头,C局参与', ['A局', 'B局', 'C局'], ['A局', 'B局'], null],
    ['市发改委牵头,市财政局配合', ['市发改委', '市财政局'], ['市发改委'], null],
    ['市发改委牵头', ['市发改委'], ['市发改委'], null],
    ['市发改委负责,市财政局配合', ['市发改委', '市财政局'], ['市发改委'], null],
    ['市发改委牵头,各县(市、区)政府负责', ['市发改委', '各县(市、区)政府'], ['市发改委'], null],
    ['市教育局、市卫健委负责', ['市教育局', '市卫健委'], null, null],
    ['市发改委牵头,各县、区人民政府(管委会)按职责分工负责', ['市发改委', '各县、区人民政府(管委会)'], ['市发改委'], '按职责分工负责'],
    ['责任单位:区发改局(牵头)、区财政局', ['区发改局', '区财政局'], ['区发改局'], null],
    ['牵头单位:市市场监管局;配合单位:市公安局、市商务局', ['市市场监管局', '市公安局', '市商务局'], ['市市场监管局'], null],
    // Traditional script, with `及` between two units.
    [
      '市政府辦公室、市行政審批制度改革工作領導小組辦公室牽頭,市級各有關部門及各縣市區政府按職責分工負責',
      ['市政府辦公室', '市行政審批制度改革工作領導小組辦公室', '市級各有關部門', '各縣市區政府'],
      ['市政府辦公室', '市行政審批制度改革工作領導小組辦公室'],
      '按職責分工負責',
    ],
    // Brackets in names are half-width and spaces go.
    ['责任单位:市商务局（市粮食和物资储备局）', ['市商务局(市粮食和物资储备局)'], null, null],
    ['钱 宇局、方 勇办', ['钱宇局', '方勇办'], null, null],
    // A lone `区` (a copy cut mid-name) is no unit; what remains still is.
    ['责任单位:区发展和改革局、区', ['区发展和改革局'], null, null],
  ])('%s', (content, units, explicitLeads, qualifier) => {
    const r = parseResponsibility(content);
    expect(r).not.toBeNull();
    expect(r?.units).toEqual(units);
    expect(r?.explicitLeads).toEqual(explicitLeads);
    expect(r?.qualifier).toBe(qualifier);
  });

  it('notes the first-unit rule and whether it carries over (下同)', () => {
    const withRule = parseResponsibility('责任单位:区司法局、区市场监管局、区综合行政执法局。列第一位的为牵头单位,下同');
    expect(withRule).toMatchObject({ units: ['区司法局', '区市场监管局', '区综合行政执法局'], statesFirstLeads: true, ruleCarriesOver: true });
    const once = parseResponsibility('责任单位:区司法局、区财政局。列第一位的为牵头单位');
    expect(once).toMatchObject({ statesFirstLeads: true, ruleCarriesOver: false });
    expect(parseResponsibility('责任单位:区司法局')).toMatchObject({ statesFirstLeads: false, ruleCarriesOver: false });
  });

  it('marks units under a 配合单位 label as helpers', () => {
    expect(parseResponsibility('配合单位:市公安局、市商务局')?.coUnits).toEqual(['市公安局', '市商务局']);
    expect(parseResponsibility('责任单位:市财政局;配合单位:市审计局')).toMatchObject({
      units: ['市财政局', '市审计局'],
      explicitLeads: null,
      coUnits: ['市审计局'],
    });
  });

  it.each([
    ['2020年'],
    ['涉密涉敏事项除外'],
    ['浙委办发〔2019〕46号'],
    ['2015—2020年'],
    ['详见附件1'],
    ['如浙里办、浙政钉'],
    ['以下简称“一件事”'],
    [''],
  ])('does not read (%s) as a unit list', (content) => {
    expect(parseResponsibility(content)).toBeNull();
  });

  it('accepts only unit names when asked (a glued table tail)', () => {
    expect(parseResponsibility('市行政审批局市司法局市级相关单位,各区县政府、西咸新区管委会', { requireUnitsOnly: true })?.units).toEqual([
      '市行政审批局',
      '市司法局',
      '市级相关单位',
      '各区县政府',
      '西咸新区管委会',
    ]);
    expect(parseResponsibility('对未按时间节点完成的单位进行督办', { requireUnitsOnly: true })).toBeNull();
  });
});

describe('mergeResponsibility', () => {
  const r = (units: string[], extra: Partial<Responsibility> = {}): Responsibility => ({
    units,
    explicitLeads: null,
    qualifier: null,
    statesFirstLeads: false,
    ruleCarriesOver: false,
    coUnits: [],
    deadlineText: null,
    rejected: [],
    ...extra,
  });

  it('appends new units in order and keeps explicit leads', () => {
    const merged = mergeResponsibility(r(['县司法局'], { explicitLeads: ['县司法局'] }), r(['县卫健委', '县司法局', '县公安局']));
    expect(merged.units).toEqual(['县司法局', '县卫健委', '县公安局']);
    expect(merged.explicitLeads).toEqual(['县司法局']);
  });

  it('keeps the later qualifier, the rule flags and the helpers of both', () => {
    const merged = mergeResponsibility(
      r(['A局'], { qualifier: '等', statesFirstLeads: true }),
      r(['B局'], { qualifier: '按职责分工落实', ruleCarriesOver: true, coUnits: ['B局'] }),
    );
    expect(merged).toMatchObject({ qualifier: '按职责分工落实', statesFirstLeads: true, ruleCarriesOver: true, coUnits: ['B局'] });
  });

  it('returns the second annotation when there is no first', () => {
    const only = r(['A局']);
    expect(mergeResponsibility(null, only)).toBe(only);
  });
});

describe('findAnnotations', () => {
  const shape = (line: string) =>
    findAnnotations(line, { gluedTails: true }).map((p) => (p.kind === 'text' ? p.text : p.resp.units));

  it.each<[string, (string | string[])[]]>([
    ['推进改革。(责任单位:区司法局)加强监管。', ['推进改革。', ['区司法局'], '加强监管。']],
    ['推进改革。〔责任单位:区级有关部门,各镇人民政府(街道办事处)〕', ['推进改革。', ['区级有关部门', '各镇人民政府(街道办事处)']]],
    ['推进改革。(市发改委、市财政局)', ['推进改革。', ['市发改委', '市财政局']]],
    ['推进改革(区司法局负责)', ['推进改革', ['区司法局']]],
    // A bare unit list mid-sentence is an aside, not an annotation.
    ['加强合作(市外办、市商务局)推进对外开放。', ['加强合作(市外办、市商务局)推进对外开放。']],
    ['开展专项行动(2020年),完成任务。', ['开展专项行动(2020年),完成任务。']],
    ['落实《实施意见》(浙委办发〔2019〕46号),完善体系。', ['落实《实施意见》(浙委办发〔2019〕46号),完善体系。']],
    ['进行督办。市行政审批局市司法局市级相关单位,各区县政府2022年9月底', ['进行督办。', ['市行政审批局', '市司法局', '市级相关单位', '各区县政府']]],
  ])('%s', (line, expected) => {
    expect(shape(line)).toEqual(expected);
  });

  it('keeps the deadline cell glued after a unit run', () => {
    const parts = findAnnotations('进行督办。市行政审批局市司法局市级相关单位2022年9月底', { gluedTails: true });
    expect(parts[1]).toMatchObject({ kind: 'annotation', glued: true, deadlineCell: '2022年9月底' });
  });

  it('looks for glued unit runs only where a table lost its separators', () => {
    // In prose, a wrapped line that ends in `…服务中心` is text, not a unit.
    expect(findAnnotations('推进政务服务。建设区政务服务中心')).toEqual([{ kind: 'text', text: '推进政务服务。建设区政务服务中心' }]);
  });

  it('does not take a bracket inside quotation marks for an annotation', () => {
    expect(findAnnotations('落实“(责任单位:区政府办)”这一要求。')).toEqual([{ kind: 'text', text: '落实“(责任单位:区政府办)”这一要求。' }]);
  });
});

describe('splitTopLevel and splitGluedUnits', () => {
  it('splits only outside brackets', () => {
    expect(splitTopLevel('区级有关部门,各镇人民政府(街道办事处、村),区司法局', '、,')).toEqual([
      '区级有关部门',
      '各镇人民政府(街道办事处、村)',
      '区司法局',
    ]);
    expect(splitTopLevel('A〔B,C〕,D', ',')).toEqual(['A〔B,C〕', 'D']);
  });

  it.each<[string, string[]]>([
    ['市行政审批局市司法局', ['市行政审批局', '市司法局']],
    ['市行政审批局市司法局市级相关单位', ['市行政审批局', '市司法局', '市级相关单位']],
    ['市规划和自然资源局', ['市规划和自然资源局']],
    ['区市场监管局', ['区市场监管局']],
    ['各县(市)区政府', ['各县(市)区政府']],
  ])('%s → %j', (run, parts) => {
    expect(splitGluedUnits(run)).toEqual(parts);
  });
});

describe('role words', () => {
  it('reads 负责牵头 as one lead mark, not a unit named …负责', () => {
    const r = parseResponsibility('区司法局负责牵头,区财政局配合');
    expect(r).toMatchObject({ units: ['区司法局', '区财政局'], explicitLeads: ['区司法局'] });
  });
});
