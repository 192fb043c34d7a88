/**
 * The parser on real plan documents (excerpts in test/fixtures/corpus, described in its README): each
 * describe block covers the format feature its document shows, then the examples inline.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parsePlan } from '../../src/plan/parse-plan';
import type { ParsedPlan, PlanTask } from '../../src/plan/types';

function readFixture(name: string): string {
  return readFileSync(join(__dirname, '..', 'fixtures', 'corpus', name), 'utf8');
}

function parseFixture(name: string, fallbackTitle = name.replace(/\.txt$/, '')): ParsedPlan {
  return parsePlan(readFixture(name), { fallbackTitle });
}

const allTasks = (plan: ParsedPlan): PlanTask[] => plan.items.flatMap((i) => i.tasks);
const allUnits = (plan: ParsedPlan): string[] => allTasks(plan).flatMap((t) => t.units);
const allText = (plan: ParsedPlan): string => allTasks(plan).map((t) => t.text).join('\n');

function task(plan: ParsedPlan, id: string): PlanTask {
  const found = allTasks(plan).find((t) => t.id === id);
  if (!found) throw new Error(`no task ${id} in ${allTasks(plan).map((t) => t.id).join(' ')}`);
  return found;
}

/** units, leads, qualifier, deadline of one task, for compact table-driven checks. */
const summary = (t: PlanTask) => ({ units: t.units, leads: t.leads, qualifier: t.qualifier, deadline: t.deadline });

describe('03 蔡甸: (一) targets, 责任单位: on its own line, a notice numbered 一二三', () => {
  const plan = parseFixture('03-caidian-2023-zfgzbg-zeren-fenjie.txt');

  it('reads the frame', () => {
    expect(plan.title).toBe('2023年区《政府工作报告》确定的主要目标任务责任分解方案');
    expect(plan.year).toBe(2023);
    expect(plan.issuer).toBe('蔡甸区人民政府办公室');
    expect(plan.date).toBe('2023-01-03');
  });

  it('does not take the notice paragraphs 一、二、三 for sections', () => {
    expect(plan.sections).toEqual([{ number: '一', title: '2023年全区经济社会发展的主要预期目标' }]);
    expect(allText(plan)).not.toMatch(/各责任单位要高度重视|绩效考评|每季度最后一个月/);
  });

  it('makes each (一) target an item whose next-line 责任单位 are its units', () => {
    expect(plan.items.map((i) => [i.number, i.label, i.section, i.title])).toEqual([
      [1, '(一)', '一', '地区生产总值增长7%以上'],
      [2, '(二)', '一', '规上工业增加值增长12%以上'],
      [3, '(三)', '一', '固定资产投资增长10%以上'],
      [4, '(四)', '一', '工业投资增长12%以上'],
    ]);
    expect(allTasks(plan).map((t) => [t.id, t.text, t.units, t.leads])).toEqual([
      ['1.1', '地区生产总值增长7%以上', ['区发展和改革局'], ['区发展和改革局']],
      ['2.1', '规上工业增加值增长12%以上', ['区科技和经信局'], ['区科技和经信局']],
      ['3.1', '固定资产投资增长10%以上', ['区发展和改革局'], ['区发展和改革局']],
      // The excerpt is cut at `责任单位:区`: a lone `区` is no unit.
      ['4.1', '工业投资增长12%以上', [], []],
    ]);
    expect(plan.warnings).toEqual([expect.stringContaining('第4项')]);
  });

  it('does not take the notice deadlines (2023年1月15日前, 每季度…30日前)', () => {
    expect(allTasks(plan).map((t) => t.deadline)).toEqual([null, null, null, null]);
  });
});

describe('04 西平: 责任单位:…。 line, qualifier 按职责分工分别负责, mixed 、 and ,', () => {
  const plan = parseFixture('04-xiping-2020-fzzf-gongzuoanpai.txt');

  it('reads the frame; the issuer heads the notice title when the signature is missing', () => {
    expect(plan.title).toBe('西平县2020年度法治政府建设工作安排');
    expect(plan.year).toBe(2020);
    expect(plan.issuer).toBe('西平县人民政府办公室');
    expect(plan.date).toBe('2020-07-08');
    expect(plan.sections).toEqual([{ number: '一', title: '依法全面履行政府职能' }]);
  });

  it('splits the unit list on both separators and keeps the qualifier apart', () => {
    const t = task(plan, '1.1');
    expect(plan.items[0]?.label).toBe('(一)');
    expect(plan.items[0]?.title).toBe('为推动经济高质量发展提供法治保障');
    expect(summary(t)).toEqual({
      units: ['县政府办公室', '县司法局', '各有关部门', '乡镇人民政府'],
      leads: [],
      qualifier: '按职责分工分别负责',
      deadline: null,
    });
    expect(t.text).toMatch(/^坚持稳中快进工作总基调,.*提供强有力的法治保障。$/);
  });

  it('keeps the preamble out of the items and flags the cut item', () => {
    expect(allText(plan)).not.toMatch(/现就做好|收官之年/);
    expect(plan.items.map((i) => i.title)).toEqual(['为推动经济高质量发展提供法治保障', '全面提高依法防控依法治理能力']);
    expect(task(plan, '2.1').units).toEqual([]);
    expect(plan.warnings).toEqual([expect.stringContaining('第2项')]);
  });
});

const XIAN_UNITS = ['市行政审批局', '市司法局', '市级相关单位', '各区县政府', '西咸新区管委会'];

describe('06 西安 pipes: ` | ` cells, four numbering levels, glued 牵头单位 cell, deadline column', () => {
  const plan = parseFixture('06-xian-2022-fangguanfu-fengong-pipes.txt');

  it('reads the frame and the section', () => {
    expect(plan.title).toBe('西安市贯彻落实陕西省《2022年深化“放管服”改革优化营商环境工作要点》分工方案');
    expect(plan.year).toBe(2022);
    expect(plan.issuer).toBe('西安市人民政府办公厅');
    expect(plan.date).toBe('2022-07-27');
    expect(plan.sections).toEqual([{ number: '一', title: '全链条优化审批' }]);
  });

  it('makes `1.` the item and each `(1)` a task', () => {
    expect(plan.items).toHaveLength(1);
    expect(plan.items[0]?.section).toBe('一');
    expect(plan.items[0]?.title).toMatch(/^按照国务院要求,2022年底前编制并公布省、市、县三级行政许可事项清单/);
    expect(allTasks(plan).map((t) => t.id)).toEqual(['1.1', '1.2']);
    expect(task(plan, '1.1').text).toMatch(/^全面准确依法编制市、区\(县\)行政许可事项清单,.*进行督办。$/);
    expect(task(plan, '1.2').text).toMatch(/^严格落实行政许可事项清单之外.*报省审改办备案。$/);
    expect(allText(plan)).not.toMatch(/\||序号|牵头单位|联系人/);
  });

  it('splits the 牵头单位 cell `市行政审批局市司法局` into two leads and dates the deadline column', () => {
    expect(summary(task(plan, '1.1'))).toEqual({ units: XIAN_UNITS, leads: ['市行政审批局', '市司法局'], qualifier: null, deadline: '2022-09-30' });
    // The deadline cell is cut (`2022年11`); the text's own `11月底前` dates the task.
    expect(summary(task(plan, '1.2'))).toEqual({ units: XIAN_UNITS, leads: ['市行政审批局', '市司法局'], qualifier: null, deadline: '2022-11-30' });
    expect(plan.warnings).toEqual([]);
  });
});

describe('07 西安 flat: the same table with its cells glued together', () => {
  const flat = parseFixture('07-xian-2022-fangguanfu-fengong-flat.txt');
  const pipes = parseFixture('06-xian-2022-fangguanfu-fengong-pipes.txt');

  it('gives the same plan as the piped copy', () => {
    expect(flat.title).toBe(pipes.title);
    expect(flat.issuer).toBe(pipes.issuer);
    expect(flat.date).toBe(pipes.date);
    expect(flat.sections).toEqual(pipes.sections);
    expect(flat.items[0]?.title).toBe(pipes.items[0]?.title);
    expect(flat.items[0]?.tasks.slice(0, 2)).toEqual(pipes.items[0]?.tasks);
  });

  it('takes the glued unit run and deadline off the end of the text', () => {
    expect(summary(task(flat, '1.1'))).toEqual({ units: XIAN_UNITS, leads: ['市行政审批局', '市司法局'], qualifier: null, deadline: '2022-09-30' });
    expect(task(flat, '1.1').text).toMatch(/进行督办。$/);
    expect(task(flat, '1.2').deadline).toBe('2022-11-30');
  });

  it('keeps the cut third row as a task without units, with a warning', () => {
    expect(summary(task(flat, '1.3'))).toEqual({ units: [], leads: [], qualifier: null, deadline: null });
    expect(flat.warnings).toEqual([expect.stringContaining('第1项')]);
  });
});

describe('09 杭州 table: `|` cell lines, leader group rows, 配合落实 glued to a unit', () => {
  const plan = parseFixture('09-hangzhou-2021-shizfgzbg-zeren-fenjie-table.txt');

  it('has no title of its own, so the fallback title is used', () => {
    expect(plan.title).toBe('09-hangzhou-2021-shizfgzbg-zeren-fenjie-table');
    expect(plan.year).toBeNull();
  });

  it('makes the leader group rows headings, never tasks', () => {
    expect(plan.sections).toEqual([
      { number: '一', title: '刘忻市长牵头重点工作' },
      { number: '二', title: '戴建平常务副市长牵头重点工作' },
    ]);
    expect(plan.items.map((i) => i.section)).toEqual(['一', '一', ...Array(10).fill('二')]);
    expect(allText(plan)).not.toMatch(/市长牵头重点工作|序号|\|/);
    expect(allUnits(plan).filter((u) => /市长/.test(u))).toEqual([]);
  });

  it('numbers the rows 1–12 and keeps the whole task cell as text', () => {
    expect(plan.items.map((i) => i.number)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(task(plan, '7.1').text).toBe(
      '实施金融强基工程,大力推动金融更好服务实体经济,金融业增加值增长8%。优化金融科技平台产业生态,提升蚂蚁集团、连连科技等金融科技龙头企业带动力服务力。',
    );
    expect(plan.items[6]?.title).toBe('实施金融强基工程,大力推动金融更好服务实体经济,金融业增加值增长8%');
  });

  it.each([
    ['1.1', ['市政府各直属单位'], ['市政府各直属单位'], null],
    [
      '3.1',
      ['杭州城西科创产业集聚区管委会', '市科技局', '市发改委', '市经信局', '市规划和自然资源局', '市人力社保局', '市地方金融监管局', '市教育局', '市建委'],
      [],
      null,
    ],
    // `团市委配合落实`: the unit is 团市委, `配合落实` is how it works.
    ['4.1', ['市发改委', '市人力社保局', '市科技局', '团市委'], [], '配合落实'],
    // `、` inside `各区、县(市)政府(管委会)` does not split the name.
    ['5.1', ['市发改委', '市经信局', '市商务局', '市投资促进局', '各区、县(市)政府(管委会)'], [], null],
    ['6.1', ['市发改委'], ['市发改委'], null],
    ['11.1', ['市财政局', '市发改委'], [], null],
    ['12.1', [], [], null],
  ])('task %s has its units', (id, units, leads, qualifier) => {
    expect(summary(task(plan, id))).toEqual({ units, leads, qualifier, deadline: null });
  });
});

describe('10 杭州 省任务: paragraph cells, `1*`, renumbered items, 省牵头单位 rows', () => {
  const plan = parseFixture('10-hangzhou-2021-shengzfgzbg-shehang-renwu.txt');

  it('reads the title past the site chrome', () => {
    expect(plan.title).toBe('2021年省政府工作报告重点工作涉杭任务和市政府工作报告重点工作责任分解');
    expect(plan.year).toBe(2021);
    expect(plan.sections).toEqual([
      { number: '一', title: '省政府工作报告“十四五”时期重点工作涉杭任务责任分解' },
      { number: '二', title: '省政府工作报告2021年重点工作涉杭任务责任分解' },
    ]);
    expect(allText(plan)).not.toMatch(/豆豆简历馆|位置|副市长牵头/);
  });

  it('renumbers the items because numbering restarts, keeping the written labels', () => {
    expect(plan.items.map((i) => [i.number, i.label, i.section])).toEqual([
      [1, '1', '一'],
      [2, '2', '一'],
      [3, '1*', '二'],
      [4, '2', '二'],
    ]);
    expect(plan.warnings).toContainEqual(expect.stringMatching(/重新编号/));
  });

  it('keeps an alias in brackets inside one unit and ignores the 省牵头单位 row', () => {
    expect(task(plan, '1.1').units).toEqual(['市农业农村局', '市规划和自然资源局', '市商务局(市粮食和物资储备局)']);
    expect(task(plan, '2.1').units).toEqual(['市商务局', '市发改委']);
    expect(allUnits(plan).filter((u) => u.startsWith('省'))).toEqual([]);
    expect(allText(plan)).not.toMatch(/省牵头单位/);
  });

  it('does not read the target `到2025年` as a deadline', () => {
    expect(task(plan, '2.1').text).toContain('到2025年');
    expect(task(plan, '2.1').deadline).toBeNull();
  });

  it('reads the starred row like any other', () => {
    expect(task(plan, '3.1').text).toBe('大力推进杭州城西科创大走廊建设。');
    expect(task(plan, '3.1').units).toHaveLength(9);
  });
});

describe('11 吴江: `||||` runs, ★ lead marker, leader names, 1.–11. across rows', () => {
  const plan = parseFixture('11-wujiang-2024-zhongdian-mubiao-renwu-fenjie.txt');

  it('reads the frame', () => {
    expect(plan.title).toBe('区政府2024年重点工作目标任务分解落实方案');
    expect(plan.issuer).toBe('苏州市吴江区人民政府');
    expect(plan.date).toBe('2024-01-25');
    expect(plan.sections).toEqual([{ number: '一', title: '2024年全区经济社会发展主要预期目标' }]);
  });

  it('numbers items by the task numbers, not by the restarting 序号', () => {
    expect(plan.items.map((i) => i.number)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(plan.warnings.some((w) => /重新编号/.test(w))).toBe(false);
    expect(task(plan, '1.1').text).toBe('地区生产总值增长5%以上。');
  });

  it.each([
    ['1.1', ['区发改委', '统计局'], ['区发改委']],
    ['2.1', ['区财政局', '税务局'], ['区财政局']],
    ['6.1', ['区商务局', '吴江海关'], ['区商务局']],
    ['8.1', ['区发改委', '人社局', '农业农村局', '统计局'], ['区发改委']],
    ['10.1', ['生态环境局'], ['生态环境局']],
    ['11.1', ['区应急管理局'], ['区应急管理局']],
  ])('task %s: the ★ unit leads', (id, units, leads) => {
    expect(summary(task(plan, id))).toEqual({ units, leads, qualifier: null, deadline: null });
  });

  it('takes neither leader names nor the 项目 column for units or text', () => {
    const names = allUnits(plan).join('、');
    expect(names).not.toMatch(/钱|宇|方勇|王嵘|★/);
    expect(allText(plan)).not.toMatch(/钱 宇|方 勇|王 嵘|主要预期目标|筑牢经济发展底座|共118项/);
  });
});

describe('12 拱墅: a progress table whose 完成情况 column is not task text', () => {
  const plan = parseFixture('12-gongshu-2021q4-zfgzbg-renwu-wancheng-qingkuang.txt');

  it('reads the title and the group labels', () => {
    expect(plan.title).toBe('2021年四季度《政府工作报告》主要目标任务完成情况');
    expect(plan.year).toBe(2021);
    expect(plan.sections).toEqual([
      { number: '一', title: '经济社会发展主要预期目标' },
      { number: '二', title: '慎终如始精准防控' },
    ]);
  });

  it('keeps the 主要工作内容 cell as the task and drops the progress text', () => {
    expect(allTasks(plan).map((t) => [t.id, t.text, t.units])).toEqual([
      ['1.1', '地区生产总值增长7.5%左右。', ['区发改经信局']],
      ['2.1', '财政收入增长与经济增长基本同步。', ['区财政局']],
      ['3.1', '有效投资完成市下达目标任务。', ['区发改经信局']],
      ['4.1', '节能减排完成市下达目标任务。', ['区发改经信局']],
      ['5.1', '环境保护完成市下达目标任务。', ['生态环境拱墅分局']],
      [
        '6.1',
        '严格实施入境人员健康申报、核酸检测、医学隔离等举措,围绕重点场所、重点人群,实行核酸检测“应检尽检”,规范有序开展新冠病毒疫苗接种。',
        ['区卫健局'],
      ],
      ['7.1', '完善精密智控机制,落实“人物同防”各项措施。', []],
    ]);
    expect(allText(plan)).not.toMatch(/1-9月|数据尚未出|14\+7|累计|信息索引号/);
  });
});

describe('13 宁波: a box-drawing table whose unit lists wrap across lines', () => {
  const plan = parseFixture('13-ningbo-2010-gongmin-quanyi-baozhang-boxtable.txt');

  it('reads the frame, with the date in Chinese numerals', () => {
    expect(plan.title).toBe('宁波市推进公民权益依法保障行动2010年实施计划');
    expect(plan.year).toBe(2010);
    expect(plan.issuer).toBe('宁波市人民政府办公厅');
    expect(plan.date).toBe('2010-05-13');
    expect(plan.sections).toEqual([{ number: '一', title: '依法保障公民人身财产权益' }]);
    expect(plan.items.map((i) => [i.number, i.label, i.section])).toEqual([[1, '(一)', '一']]);
  });

  it('joins wrapped cell text and unit lists, keeping 等 as the qualifier', () => {
    expect(task(plan, '1.1').text).toBe(
      '健全突发事件应急管理体制,加强应急管理法制建设,进一步完善重大突发事件风险评估体系、应急预案体系、应急物资储备保障体系和应急通信保障体系,推进政府应急平台建设,加强基层应急管理工作。',
    );
    expect(summary(task(plan, '1.1'))).toEqual({ units: ['各县(市)区政府', '市应急办'], leads: [], qualifier: '等', deadline: null });
    expect(task(plan, '1.2').text).toBe('健全救灾减灾机制,进一步推进农业政策性保险。');
    expect(summary(task(plan, '1.2'))).toEqual({
      units: ['各县(市)区政府', '市发改委', '市农业局', '市林业局'],
      leads: [],
      qualifier: '等',
      deadline: null,
    });
  });

  it('leaves no box characters or header cells behind', () => {
    const everything = JSON.stringify(plan);
    expect(everything).not.toMatch(/[│─┌┬├┼]/);
    expect(allText(plan)).not.toMatch(/工作任务|主要工作内容|责任单位/);
  });
});

describe('14 咸阳 (traditional script): 牽頭 in the bracket, 按職責分工負責, 及 between units', () => {
  // The mirror lost the title; the caller's fallback (the title from the mirror's address) gives the year.
  const plan = parseFixture('14-xianyang-2022-fangguanfu-gongzuoyaodian-TRADITIONAL-mirror.txt', '咸阳市2022年深化“放管服”改革优化营商环境工作要点');

  it('takes title and year from the fallback title', () => {
    expect(plan.title).toBe('咸阳市2022年深化“放管服”改革优化营商环境工作要点');
    expect(plan.year).toBe(2022);
    expect(plan.sections).toEqual([{ number: '一', title: '堅持系統集成,推動審批全鏈條最佳化' }]);
    expect(plan.items.map((i) => i.title)).toEqual(['全面實施行政許可事項清單管理', '持續深化相對集中行政許可權改革']);
  });

  it('reads two leads, 及 as a separator, the qualifier and the deadline in the text', () => {
    const t = task(plan, '1.1');
    expect(summary(t)).toEqual({
      units: ['市政府辦公室', '市行政審批制度改革工作領導小組辦公室', '市級各有關部門', '各縣市區政府'],
      leads: ['市政府辦公室', '市行政審批制度改革工作領導小組辦公室'],
      qualifier: '按職責分工負責',
      deadline: '2022-10-31',
    });
    expect(t.text).toMatch(/^依據國家和省行政許可事項清單,2022年10月底前編制並公布/);
    expect(t.text).not.toMatch(/牽頭|按職責/);
  });

  it('leaves the task whose bracket the excerpt cut without units', () => {
    expect(task(plan, '2.1').units).toEqual([]);
    expect(plan.warnings).toEqual([expect.stringContaining('第2项')]);
  });
});

describe('the issue examples, as small texts written like these documents', () => {
  it('reads a 责任部门: line and separate 牵头单位:/责任单位: lines', () => {
    const plan = parsePlan(
      [
        '西平县2020年度法治政府建设工作安排',
        '一、依法全面履行政府职能',
        '(一)为推动经济高质量发展提供法治保障。加强规范性文件备案审查工作。',
        '责任部门:县司法局',
        '(二)全面提高依法防控依法治理能力。坚持依法科学有序防控。',
        '牵头单位:县司法局',
        '责任单位:县卫健委、县公安局,各乡镇人民政府',
      ].join('\n'),
    );
    expect(allTasks(plan).map((t) => [t.id, t.text, t.units, t.leads])).toEqual([
      ['1.1', '加强规范性文件备案审查工作。', ['县司法局'], ['县司法局']],
      ['2.1', '坚持依法科学有序防控。', ['县司法局', '县卫健委', '县公安局', '各乡镇人民政府'], ['县司法局']],
    ]);
    expect(plan.warnings).toEqual([]);
  });

  it('reads the role-verb style (A、B牵头,C参与)', () => {
    const plan = parsePlan(
      [
        '咸阳市2022年深化“放管服”改革优化营商环境工作要点',
        '一、坚持系统集成,推动审批全链条优化',
        '1.全面实施行政许可事项清单管理。2022年10月底前编制并公布市、县两级行政许可事项清单。(市政府办公室、市行政审批局牵头,市级各有关部门参与)',
      ].join('\n'),
    );
    expect(summary(task(plan, '1.1'))).toEqual({
      units: ['市政府办公室', '市行政审批局', '市级各有关部门'],
      leads: ['市政府办公室', '市行政审批局'],
      qualifier: null,
      deadline: '2022-10-31',
    });
  });

  it('keeps `各县、区人民政府(管委会)` as one unit', () => {
    const plan = parsePlan(
      '2021年某市工作要点\n一、改革\n1.全面推进开发区(园区)整合提升。打造一批高能级战略平台。(责任单位:市发改委、市商务局,各县、区人民政府(管委会))',
    );
    expect(task(plan, '1.1').units).toEqual(['市发改委', '市商务局', '各县、区人民政府(管委会)']);
  });

  it('dates `2019年9月底前` and `年底前` (the plan year)', () => {
    const plan = parsePlan(
      [
        '2019年某区法治政府建设工作要点',
        '一、依法全面履行政府职能',
        '1.深入推进简政放权。2019年9月底前完成下放事项承接。(责任单位:区司法局)',
        '2.推进政府数字化转型。年底前实现政务服务事项网上可办。(责任单位:区政务数据办)',
        '3.优化法治化营商环境。开展专项行动(2019年)。(责任单位:区发展和改革局)',
      ].join('\n'),
    );
    expect(allTasks(plan).map((t) => t.deadline)).toEqual(['2019-09-30', '2019-12-31', null]);
  });

  it('parses GB-style full-width punctuation and digits like half-width', () => {
    const half = '2020年某区工作要点\n一、依法行政\n1.推进依法行政。加强规范性文件管理。(责任单位:区司法局,区财政局)\n2.深化改革。推进改革。(责任单位:区司法局、区财政局。列第一位的为牵头单位,下同)';
    const full = '２０２０年某区工作要点\n一、依法行政\n１．推进依法行政。加强规范性文件管理。（责任单位：区司法局，区财政局）\n２．深化改革。推进改革。（责任单位：区司法局、区财政局。列第一位的为牵头单位，下同）';
    const plan = parsePlan(full);
    expect(plan).toEqual(parsePlan(half));
    expect(plan.year).toBe(2020);
    expect(allTasks(plan).map((t) => [t.id, t.units, t.leads])).toEqual([
      ['1.1', ['区司法局', '区财政局'], []],
      ['2.1', ['区司法局', '区财政局'], ['区司法局']],
    ]);
  });

  it.each([
    ['(市发改委负责,市财政局配合)', ['市发改委', '市财政局'], ['市发改委']],
    ['(牵头单位:市市场监管局;配合单位:市公安局、市商务局)', ['市市场监管局', '市公安局', '市商务局'], ['市市场监管局']],
    ['(责任单位:市政务办(牵头)、市大数据局)', ['市政务办', '市大数据局'], ['市政务办']],
    ['(责任单位:市财政局;配合单位:市审计局、市税务局)', ['市财政局', '市审计局', '市税务局'], ['市财政局']],
  ])('reads the other common lead markings: %s', (bracket, units, leads) => {
    const plan = parsePlan(`2021年某市工作要点\n一、总体\n1.推进改革。深化改革。${bracket}`);
    expect(task(plan, '1.1').units).toEqual(units);
    expect(task(plan, '1.1').leads).toEqual(leads);
  });

  it('reads 责任单位: and 配合单位: lines: the responsible unit leads', () => {
    const plan = parsePlan('2021年某市工作要点\n一、总体\n1.抓好落实。狠抓落实。\n责任单位:市政府办公室\n配合单位:市级各部门');
    expect(task(plan, '1.1').units).toEqual(['市政府办公室', '市级各部门']);
    expect(task(plan, '1.1').leads).toEqual(['市政府办公室']);
  });
});
