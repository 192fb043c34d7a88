import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findAnnotations } from '../../src/plan/find-annotations';
import { PlanParseError } from '../../src/plan/parse-error';
import { parsePlan } from '../../src/plan/parse-plan';
import type { ParsedPlan, PlanTask } from '../../src/plan/types';

const SEED_TEXT = readFileSync(join(__dirname, '..', 'fixtures', 'seed-xiuzhou-2020.txt'), 'utf8');
const seed = parsePlan(SEED_TEXT, { fallbackTitle: 'seed-xiuzhou-2020' });

const allTasks = (plan: ParsedPlan): PlanTask[] => plan.items.flatMap((i) => i.tasks);

function task(plan: ParsedPlan, id: string): PlanTask {
  const found = allTasks(plan).find((t) => t.id === id);
  if (!found) throw new Error(`no task ${id}`);
  return found;
}

const TOWNS = '各镇人民政府(街道办事处)';
const ZONE = '秀洲国家高新区管委会';
const DEPTS = '区级有关部门';
const RULE = '按职责分工落实';

/** Every task of the seed as the document writes it: [id, units in order, leads, qualifier]. */
const SEED_TASKS: [string, string[], string[], string | null][] = [
  // Before the rule `列第一位的为牵头单位,下同` (stated in 1.2's bracket) no unit of a list leads.
  ['1.1', [DEPTS, TOWNS], [], RULE],
  ['1.2', ['区司法局', '区市场监管局', '区综合行政执法局'], ['区司法局'], null],
  ['1.3', ['区司法局', DEPTS, TOWNS, ZONE], ['区司法局'], null],
  ['2.1', ['区政务数据办', DEPTS, TOWNS, ZONE], ['区政务数据办'], RULE],
  ['3.1', ['区政务数据办', '区司法局', '区市场监管局', DEPTS, TOWNS, ZONE], ['区政务数据办'], null],
  ['3.2', [DEPTS, TOWNS], [DEPTS], null],
  ['4.1', ['区发展和改革局', '区住建局'], ['区发展和改革局'], null],
  ['4.2', ['区经济信息商务局', '区司法局', '区市场监管局'], ['区经济信息商务局'], null],
  ['4.3', ['区发展和改革局', '区经济信息商务局', '区司法局', '区财政局', '区市场监管局'], ['区发展和改革局'], RULE],
  ['4.4', ['区发展和改革局', '区经济信息商务局', '区司法局', DEPTS], ['区发展和改革局'], RULE],
  ['5.1', ['区政务数据办', DEPTS, TOWNS, ZONE], ['区政务数据办'], null],
  ['6.1', [DEPTS, TOWNS, ZONE], [DEPTS], RULE],
  ['6.2', ['区司法局', '区财政局'], ['区司法局'], null],
  ['6.3', ['区司法局', '区经济信息商务局'], ['区司法局'], null],
  // A single unit leads by itself.
  ['6.4', [DEPTS], [DEPTS], null],
  ['7.1', ['区政府办公室', '区司法局', DEPTS], ['区政府办公室'], null],
  ['8.1', ['区综合行政执法局', DEPTS, TOWNS], ['区综合行政执法局'], null],
  ['8.2', ['区综合行政执法局', DEPTS, TOWNS], ['区综合行政执法局'], null],
  ['9.1', ['区政府办公室', '区司法局'], ['区政府办公室'], null],
  ['9.2', [DEPTS, TOWNS, ZONE], [DEPTS], null],
];

describe('parsePlan on the seed plan (2020年秀洲区法治政府建设工作要点)', () => {
  it('reads title, year, issuer and date from the covering notice and the title line', () => {
    expect(seed.title).toBe('2020年秀洲区法治政府建设工作要点');
    expect(seed.year).toBe(2020);
    expect(seed.issuer).toBe('嘉兴市秀洲区人民政府办公室');
    expect(seed.date).toBe('2020-11-11');
  });

  it('finds exactly the three sections', () => {
    expect(seed.sections).toEqual([
      { number: '一', title: '依法全面履行政府职能' },
      { number: '二', title: '完善依法行政制度体系' },
      { number: '三', title: '健全重大行政决策机制' },
    ]);
  });

  it('finds nine items with their titles and sections', () => {
    expect(seed.items.map((i) => [i.number, i.section, i.label, i.title])).toEqual([
      [1, '一', null, '依法依规做好疫情防控各项工作'],
      [2, '一', null, '深化“最多跑一次”改革'],
      [3, '一', null, '深入推进简政放权'],
      [4, '一', null, '优化法治化营商环境'],
      [5, '一', null, '推进政府数字化转型'],
      [6, '一', null, '提升公共服务质量'],
      [7, '二', null, '强化行政规范性文件管理'],
      [8, '二', null, '推进综合行政执法体制改革'],
      [9, '三', null, '部署开展重大行政决策目录化管理专项行动'],
    ]);
  });

  it('finds exactly the 20 tasks, numbered per item', () => {
    expect(allTasks(seed).map((t) => t.id)).toEqual(SEED_TASKS.map(([id]) => id));
  });

  it.each(SEED_TASKS)('task %s has its units, leads and qualifier', (id, units, leads, qualifier) => {
    const t = task(seed, id);
    expect(t.units).toEqual(units);
    expect(t.leads).toEqual(leads);
    expect(t.qualifier).toBe(qualifier);
  });

  it('gives no task a deadline and raises no warning', () => {
    expect(allTasks(seed).map((t) => t.deadline)).toEqual(SEED_TASKS.map(() => null));
    expect(seed.warnings).toEqual([]);
  });

  it('keeps the task text without the item title and without the responsibility brackets', () => {
    expect(task(seed, '1.1').text).toMatch(/^贯彻省人大常委会《关于依法全力做好当前新型冠状病毒感染肺炎疫情防控工作的决定》/);
    expect(task(seed, '1.1').text).toMatch(/建立健全疫情防控应急预案。$/);
    expect(task(seed, '1.2').text).toBe('加强对疫情防控涉及行政执法工作的指导与监督,加大对危害疫情防控行为的执法力度。');
    expect(task(seed, '9.2').text).toBe('制定本单位重大决策重大行政决策目录清单指引。');
    for (const t of allTasks(seed)) {
      expect(t.text).not.toMatch(/责任单位|列第一位/);
      expect(t.text).not.toMatch(/^[〔(]|[〕)]$/);
    }
  });

  it('leaves brackets that are not annotations inside the task text', () => {
    expect(task(seed, '4.1').text).toContain('开展法治化营商环境优化专项行动(2020年),');
    expect(task(seed, '5.1').text).toContain('政务服务2.0平台(涉密涉敏事项除外),');
    expect(task(seed, '8.1').text).toContain('《关于深化综合行政执法改革的实施意见》(浙委办发〔2019〕46号),');
    // `(2015—2020年)` is in the preamble before the first section, so it belongs to no task.
    const preamble = SEED_TEXT.split('\n').find((l) => l.includes('(2015—2020年)')) ?? '';
    expect(findAnnotations(preamble)).toEqual([{ kind: 'text', text: preamble }]);
    const units = allTasks(seed).flatMap((t) => t.units);
    for (const bracket of ['2020年', '涉密涉敏事项除外', '浙委办发', '2015—2020年']) {
      expect(units.some((u) => u.includes(bracket))).toBe(false);
    }
  });

  it('keeps `各镇人民政府(街道办事处)` as one unit', () => {
    const units = new Set(allTasks(seed).flatMap((t) => t.units));
    expect(units.has(TOWNS)).toBe(true);
    expect([...units].filter((u) => u.includes('街道办事处'))).toEqual([TOWNS]);
    expect(units.has('各镇人民政府')).toBe(false);
  });

  it('takes nothing from the covering notice', () => {
    const units = new Set(allTasks(seed).flatMap((t) => t.units));
    for (const notice of ['街道办事处', '秀洲经济开发区管委会', '区政府各部门', '嘉兴市秀洲区人民政府办公室']) {
      expect(units.has(notice)).toBe(false);
    }
    const texts = [...allTasks(seed).map((t) => t.text), ...seed.items.map((i) => i.title)].join('\n');
    expect(texts).not.toMatch(/朗读|各镇人民政府、街道办事处|现印发给你们|2020年11月11日|此件公开发布|总体要求/);
  });

  it('parses CRLF line ends and a byte-order mark the same way', () => {
    const windows = `\uFEFF${SEED_TEXT.replace(/\n/g, '\r\n')}`;
    expect(parsePlan(windows, { fallbackTitle: 'seed-xiuzhou-2020' })).toEqual(seed);
  });

  it('parses a full-width (GB-style) copy the same way as the half-width one', () => {
    const fullWidth = SEED_TEXT.replace(/[0-9(),:;.]/g, (ch) => {
      const map: Record<string, string> = { '(': '（', ')': '）', ',': '，', ':': '：', ';': '；', '.': '．' };
      return map[ch] ?? String.fromCharCode(ch.charCodeAt(0) + 0xfee0);
    });
    expect(fullWidth).toContain('１．依法依规做好疫情防控各项工作');
    expect(fullWidth).toContain('（责任单位：区发展和改革局、区住建局）');
    expect(parsePlan(fullWidth, { fallbackTitle: 'seed-xiuzhou-2020' })).toEqual(seed);
  });
});

describe('parsePlan on input it cannot parse', () => {
  function parseError(text: string): PlanParseError {
    try {
      parsePlan(text);
    } catch (err) {
      if (err instanceof PlanParseError) return err;
      throw err;
    }
    throw new Error('parsePlan did not throw');
  }

  it.each([
    ['an empty string', ''],
    ['spaces and line ends', ' \n\t\r\n  '],
    ['ideographic and non-breaking spaces', '\u3000\u00a0\n\u3000'],
    ['a byte-order mark only', '\uFEFF'],
  ])('rejects %s with EMPTY and a Chinese message', (_name, text) => {
    const err = parseError(text);
    expect(err.code).toBe('EMPTY');
    expect(err.name).toBe('PlanParseError');
    expect(err.message).toMatch(/[\u4e00-\u9fa5]/);
  });

  it('rejects the covering notice alone with NO_ITEMS and a Chinese message', () => {
    const notice = SEED_TEXT.slice(0, SEED_TEXT.indexOf('(此件公开发布)'));
    expect(notice).toContain('2020年11月11日');
    const err = parseError(notice);
    expect(err.code).toBe('NO_ITEMS');
    expect(err.message).toMatch(/没有找到编号的事项/);
  });

  it('rejects a notice whose own paragraphs are numbered 一、二、三 with NO_ITEMS', () => {
    const text = readFileSync(join(__dirname, '..', 'fixtures', 'corpus', '03-caidian-2023-zfgzbg-zeren-fenjie.txt'), 'utf8');
    const notice = text.slice(0, text.indexOf('蔡甸区人民政府办公室'));
    expect(notice).toContain('三、从2023年第一季度开始');
    expect(parseError(notice).code).toBe('NO_ITEMS');
  });

  it('rejects sections with no numbered items with NO_ITEMS', () => {
    expect(parseError('2020年某区工作要点\n一、依法全面履行政府职能\n二、完善依法行政制度体系\n').code).toBe('NO_ITEMS');
  });
});
