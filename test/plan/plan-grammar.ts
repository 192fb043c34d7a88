/**
 * Plans generated from a small grammar of real documents: a title, `一、` sections, `1.` items, task sentences
 * ending in responsibility brackets (labelled or bare, half- or full-width, units separated by 、 , ， 和 or
 * spaces, `列第一位的为牵头单位` clauses), noise lines of random Unicode, very long lines, CRLF and a BOM.
 * Each plan comes with what a correct parse must find: per item, per task, the units in order and the lead.
 */
import fc from 'fast-check';

export interface ExpectedTask {
  /** The units as the parser stores them (half-width brackets, no spaces), in the order written. */
  units: string[];
  /** The lead the text makes plain: the first unit under a lead rule, the only unit, else none. */
  leads: string[];
}

export interface GeneratedPlan {
  text: string;
  items: ExpectedTask[][];
}

/** Real-looking unit names; `（）` are written half- or full-width at random. */
const UNITS = [
  '区司法局', '区财政局', '区市场监管局', '区发展和改革局', '区文化和旅游局', '区人力社保局', '区住建局', '区卫生健康局',
  '区委组织部', '区人民法院', '区公安分局', '区税务局', '区教育局', '区民政局', '秀洲国家高新区管委会', '区级有关部门',
  '各镇人民政府(街道办事处)', '各县、区人民政府(管委会)', '新城街道', '王店镇', '区综合行政执法局', '区12345热线办公室',
];
/** Names that only a labelled bracket may hold: they do not read as units on their own (digits). */
const LABEL_ONLY = new Set(['区12345热线办公室']);
/** A shared head (`各县、区…`): never right after a space or 和, which would split it from its head. */
const SHARED_HEAD = '各县、区人民政府(管委会)';

const SENTENCES = [
  '推进法治政府建设示范创建', '开展证明事项清理', '落实重大行政决策程序制度', '深化“最多跑一次”改革',
  '健全行政规范性文件管理制度,提高备案审查质量', '加强行政执法队伍建设', '完善公共法律服务体系',
  '推行行政执法公示制度', '组织开展2020年度法治政府建设考评', '建设“互联网+监管”平台，提升监管效能',
];
const ITEM_TITLES = ['深化行政审批制度改革', '优化法治化营商环境', '加强规范性文件监督管理', '推进严格规范公正文明执法', '强化行政权力制约和监督'];
const SECTION_TITLES = ['依法全面履行政府职能', '健全依法行政制度体系', '推进行政决策科学化民主化法治化', '强化法治政府建设保障'];
const CN = ['一', '二', '三', '四', '五', '六'];

/** Characters of noise lines: CJK, Latin, emoji, astral CJK, odd spaces and punctuation that mean nothing here. */
const noiseChar = fc.oneof(
  fc.integer({ min: 0x4e00, max: 0x9fa5 }).map((c) => String.fromCharCode(c)),
  fc.constantFrom('a', 'Z', '0', '7', ' ', '\u3000', '\u00a0', '😀', '𠮷', 'é', '，', '。', ',', '!', '？', '—', '·', '\u200b'),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
);
/** Nothing in a noise line may be structure: no brackets, labels, line breaks, tabs, colons, quotes or key words. */
const NOT_NEUTRAL = /[()（）〔〕[\]［］【】{}<>《》“”"'|│┌├:：\t\r\n\u0085\u2028\u2029\p{Cc}\p{Cs}]|附件|领导|牵头|牽頭|责任|單位|单位|部门|序号|位置|第一|首位|完成|下同|时限|备注|号/u;

const noiseLine = fc
  .tuple(
    fc.constantFrom('另外', '同时', '此外', '其中', '据统计'),
    fc.array(noiseChar, { maxLength: 40 }).map((cs) => cs.join('')),
    fc.oneof({ weight: 9, arbitrary: fc.constant(1) }, { weight: 1, arbitrary: fc.integer({ min: 100, max: 600 }) }),
  )
  .map(([start, body, repeat]) => start + body.repeat(repeat))
  .filter((line) => !NOT_NEUTRAL.test(line));

/** Full-width brackets in unit names, sometimes. */
function writeName(name: string, fullWidth: boolean): string {
  return fullWidth ? name.replace(/\(/g, '（').replace(/\)/g, '）') : name;
}

const unitList = fc
  .uniqueArray(fc.constantFrom(...UNITS), { minLength: 1, maxLength: 5 })
  .chain((units) =>
    fc.record({
      units: fc.constant(units),
      seps: fc.array(fc.constantFrom('、', ',', '，', '和', ' ', '、 ', ' ，'), { minLength: units.length, maxLength: units.length }),
      fullWidthNames: fc.boolean(),
      form: fc.constantFrom('labelled', 'labelled-after-stop', 'bare'),
      brackets: fc.constantFrom(['(', ')'], ['（', '）'], ['〔', '〕']),
      colon: fc.constantFrom(':', '：', ': '),
      label: fc.constantFrom('责任单位', '责任部门'),
      rule: fc.constantFrom('none', 'none', 'none', 'this', 'from-here'),
      deadline: fc.boolean(),
    }),
  );

type UnitList = typeof unitList extends fc.Arbitrary<infer T> ? T : never;

/** The units joined as written; a separator that would change the reading falls back to `、`. */
function joinUnits(list: UnitList): string {
  return list.units
    .map((u, i) => {
      const name = writeName(u, list.fullWidthNames);
      if (i === 0) return name;
      let sep = list.seps[i] ?? '、';
      // A space or 和 separates only names that read as units on both sides, and never cuts a shared head off.
      const plain = (n: string | undefined) => n !== undefined && n !== SHARED_HEAD && !LABEL_ONLY.has(n);
      if ((sep.trim() === '' || sep === '和') && !(plain(u) && plain(list.units[i - 1]))) sep = '、';
      return sep + name;
    })
    .join('');
}

/** A task: its sentence and bracket as written, and what the parser must read from it. */
function writeTask(sentence: string, list: UnitList, ruleInForce: boolean): { text: string; ruleFromHere: boolean; expected: ExpectedTask } {
  const labelled = list.form !== 'bare' || list.units.some((u) => LABEL_ONLY.has(u)) || list.rule !== 'none';
  const [open, close] = list.brackets as [string, string];
  let inside = joinUnits(list);
  if (labelled) inside = `${list.label}${list.colon}${inside}`;
  if (list.rule !== 'none') inside += `。列第一位的为牵头单位${list.rule === 'from-here' ? ',下同' : ''}`;
  if (labelled && list.deadline) inside += ';完成时限:2020年12月底前';
  const bracket = `${open}${inside}${close}`;
  const text = labelled && list.form === 'labelled' ? `${sentence}${bracket}。` : `${sentence}。${bracket}`;
  const units = list.units.map((u) => u.replace(/\s+/g, ''));
  const firstLeads = ruleInForce || list.rule !== 'none' || units.length === 1;
  return { text, ruleFromHere: list.rule === 'from-here', expected: { units, leads: firstLeads ? units.slice(0, 1) : [] } };
}

const itemShape = fc.record({
  layout: fc.constantFrom('one-line', 'lines', 'heading'),
  title: fc.constantFrom(...ITEM_TITLES),
  tasks: fc.array(fc.tuple(fc.constantFrom(...SENTENCES), unitList, fc.option(noiseLine, { freq: 4 })), { minLength: 1, maxLength: 4 }),
});

const planShape = fc.record({
  year: fc.integer({ min: 2018, max: 2030 }),
  place: fc.constantFrom('秀洲区', '嘉兴市', '某县'),
  globalRule: fc.oneof({ weight: 4, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.constantFrom('(各项任务中列第一位的为牵头单位)', '（列第一位的为牵头单位）') }),
  headNoise: fc.array(noiseLine, { maxLength: 2 }),
  sections: fc.array(fc.tuple(fc.constantFrom(...SECTION_TITLES), fc.array(noiseLine, { maxLength: 1 }), fc.array(itemShape, { minLength: 1, maxLength: 3 })), {
    minLength: 1,
    maxLength: 4,
  }),
  restartNumbers: fc.boolean(),
  eol: fc.constantFrom('\n', '\r\n'),
  bom: fc.boolean(),
});

export const generatedPlan: fc.Arbitrary<GeneratedPlan> = planShape.map((shape) => {
  const lines: string[] = [`${shape.year}年${shape.place}法治政府建设工作要点`];
  if (shape.globalRule) lines.push(shape.globalRule);
  lines.push(...shape.headNoise);
  let ruleInForce = shape.globalRule !== null;
  const items: ExpectedTask[][] = [];
  shape.sections.forEach(([sectionTitle, sectionNoise, sectionItems], s) => {
    lines.push(`${CN[s]}、${sectionTitle}`, ...sectionNoise);
    sectionItems.forEach((item, i) => {
      const number = shape.restartNumbers ? i + 1 : items.length + 1;
      const expected: ExpectedTask[] = [];
      const taskLines: string[] = [];
      for (const [sentence, list, noise] of item.tasks) {
        const task = writeTask(sentence, list, ruleInForce);
        if (task.ruleFromHere) ruleInForce = true;
        expected.push(task.expected);
        // Noise goes before a task (never after the last one, where it would read as a task without units).
        if (noise !== null && item.layout !== 'one-line') taskLines.push(noise);
        taskLines.push(task.text);
      }
      if (item.layout === 'one-line') lines.push(`${number}.${item.title}。${taskLines.join('')}`);
      else if (item.layout === 'lines') lines.push(`${number}.${item.title}。`, ...taskLines);
      else lines.push(`${number}.${item.title}`, ...taskLines);
      items.push(expected);
    });
  });
  return { text: (shape.bom ? '\uFEFF' : '') + lines.join(shape.eol), items };
});
