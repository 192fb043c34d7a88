import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  Document,
  HeadingLevel,
  LevelFormat,
  Packer,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  WidthType,
  type ILevelsOptions,
} from 'docx';
import JSZip from 'jszip';
import mammoth from 'mammoth';
import { formatListNumber } from '../../src/plan/docx-list-format';
import { applyListNumbers, type MammothElement } from '../../src/plan/docx-apply-numbers';
import { readListParagraphs } from '../../src/plan/docx-numbering';
import { docxToText, htmlToText } from '../../src/plan/docx-to-text';
import { parsePlan } from '../../src/plan/parse-plan';
import { readDocument } from '../../src/plan/read-document';

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'duban-docx-'));
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

async function readDocx(name: string, buffer: Buffer): Promise<string[]> {
  const file = join(dir, name);
  writeFileSync(file, buffer);
  const result = await readDocument(file);
  expect(result.encoding).toBe('docx');
  return result.text.split('\n');
}

const CHINESE_SECTION: ILevelsOptions = { level: 0, format: LevelFormat.CHINESE_COUNTING, text: '%1、' };
const DECIMAL_ITEM: ILevelsOptions = { level: 1, format: LevelFormat.DECIMAL, text: '%2.' };
const PAREN_TASK: ILevelsOptions = { level: 2, format: LevelFormat.DECIMAL, text: '(%3)' };

/** A Word list paragraph: the number is drawn by Word, the text holds none. */
const listed = (text: string, reference: string, level = 0, instance?: number): Paragraph =>
  new Paragraph({ text, numbering: instance === undefined ? { reference, level } : { reference, level, instance } });

const pack = (children: (Paragraph | Table)[], config: { reference: string; levels: ILevelsOptions[] }[]): Promise<Buffer> =>
  Packer.toBuffer(new Document({ numbering: { config }, sections: [{ children }] }));

const TITLE = '2024年某区法治政府建设工作要点';

describe('docxToText: Word automatic numbering', () => {
  it('writes two-level numbering (Chinese counting + decimal) so that the plan parses', async () => {
    const buffer = await pack(
      [
        new Paragraph(TITLE),
        listed('依法全面履行政府职能', 'plan', 0),
        listed('深化“最多跑一次”改革。全面推行证明事项告知承诺制。(责任单位:区司法局、区财政局)', 'plan', 1),
        // A paragraph that interrupts the list: Word keeps counting across it, mammoth's HTML restarts.
        new Paragraph('推进政务服务“一网通办”。(责任单位:区政务数据办)'),
        listed('优化法治化营商环境。(责任单位:区发展和改革局、区司法局)', 'plan', 1),
        // A section heading in a heading style: mammoth writes <h1> and loses the list number entirely.
        new Paragraph({ text: '完善依法行政制度体系', heading: HeadingLevel.HEADING_1, numbering: { reference: 'plan', level: 0 } }),
        listed('强化行政规范性文件管理。(责任单位:区司法局)', 'plan', 1),
      ],
      [{ reference: 'plan', levels: [CHINESE_SECTION, DECIMAL_ITEM] }],
    );
    const lines = await readDocx('two-level.docx', buffer);
    expect(lines).toEqual([
      TITLE,
      '一、依法全面履行政府职能',
      '1.深化“最多跑一次”改革。全面推行证明事项告知承诺制。(责任单位:区司法局、区财政局)',
      '推进政务服务“一网通办”。(责任单位:区政务数据办)',
      '2.优化法治化营商环境。(责任单位:区发展和改革局、区司法局)',
      '二、完善依法行政制度体系',
      // Word's default multilevel list restarts level 2 under each level-1 item.
      '1.强化行政规范性文件管理。(责任单位:区司法局)',
    ]);

    const plan = parsePlan(lines.join('\n'), { fallbackTitle: 'two-level' });
    expect(plan.title).toBe(TITLE);
    expect(plan.sections).toEqual([
      { number: '一', title: '依法全面履行政府职能' },
      { number: '二', title: '完善依法行政制度体系' },
    ]);
    expect(plan.items.map((i) => [i.number, i.section, i.title])).toEqual([
      [1, '一', '深化“最多跑一次”改革'],
      [2, '一', '优化法治化营商环境'],
      [3, '二', '强化行政规范性文件管理'],
    ]);
    const tasks = plan.items.flatMap((i) => i.tasks);
    expect(tasks[0]?.units).toEqual(['区司法局', '区财政局']);
    expect(tasks.map((t) => t.units)).toContainEqual(['区政务数据办']);
    expect(plan.items[2]?.tasks.map((t) => t.units)).toEqual([['区司法局']]);
  });

  it('uses the formats of separate single-level lists (sections 一、, items 1. continuing across sections)', async () => {
    const buffer = await pack(
      [
        new Paragraph(TITLE),
        listed('依法全面履行政府职能', 'sections'),
        listed('深化“最多跑一次”改革。(责任单位:区司法局、区财政局)', 'items'),
        listed('推进简政放权。(责任单位:区政务数据办)', 'items'),
        listed('完善依法行政制度体系', 'sections'),
        listed('强化行政规范性文件管理。(责任单位:区司法局)', 'items'),
      ],
      [
        { reference: 'sections', levels: [{ level: 0, format: LevelFormat.CHINESE_COUNTING, text: '%1、' }] },
        { reference: 'items', levels: [{ level: 0, format: LevelFormat.DECIMAL, text: '%1.' }] },
      ],
    );
    const lines = await readDocx('separate-lists.docx', buffer);
    expect(lines).toEqual([
      TITLE,
      '一、依法全面履行政府职能',
      '1.深化“最多跑一次”改革。(责任单位:区司法局、区财政局)',
      '2.推进简政放权。(责任单位:区政务数据办)',
      '二、完善依法行政制度体系',
      '3.强化行政规范性文件管理。(责任单位:区司法局)',
    ]);
    const plan = parsePlan(lines.join('\n'));
    expect(plan.sections.map((s) => s.number)).toEqual(['一', '二']);
    expect(plan.items.map((i) => [i.number, i.section])).toEqual([[1, '一'], [2, '一'], [3, '二']]);
    expect(plan.items.map((i) => i.tasks[0]?.units)).toEqual([['区司法局', '区财政局'], ['区政务数据办'], ['区司法局']]);
  });

  it('writes a single-level numbered list as 1. 2. 3., and a third level as (1)', async () => {
    const buffer = await pack(
      [
        listed('第一项工作', 'single'),
        listed('第二项工作', 'single'),
        listed('第三项工作', 'single'),
        new Paragraph('其他'),
        listed('部分', 'deep', 0),
        listed('事项', 'deep', 1),
        listed('子任务', 'deep', 2),
        listed('子任务', 'deep', 2),
      ],
      [
        { reference: 'single', levels: [{ level: 0, format: LevelFormat.DECIMAL, text: '%1.' }] },
        { reference: 'deep', levels: [CHINESE_SECTION, DECIMAL_ITEM, PAREN_TASK] },
      ],
    );
    expect(await readDocx('single.docx', buffer)).toEqual([
      '1.第一项工作', '2.第二项工作', '3.第三项工作', '其他', '一、部分', '1.事项', '(1)子任务', '(2)子任务',
    ]);
  });

  it('numbers paragraphs whose style is linked to a list level (Word\'s 标题 linked to a multilevel list)', async () => {
    const buffer = await Packer.toBuffer(
      new Document({
        numbering: {
          config: [
            {
              reference: 'outline',
              levels: [
                { ...CHINESE_SECTION, style: { style: 'PlanSection' } },
                { level: 1, format: LevelFormat.DECIMAL, text: '%1.%2', isLegalNumberingStyle: true },
              ],
            },
          ],
        },
        styles: {
          paragraphStyles: [
            { id: 'PlanSection', name: 'Plan Section', basedOn: 'Normal', paragraph: { numbering: { reference: 'outline', level: 0 } } },
          ],
        },
        sections: [
          {
            children: [
              new Paragraph({ text: '依法全面履行政府职能', style: 'PlanSection' }),
              listed('事项', 'outline', 1),
              listed('事项', 'outline', 1),
              new Paragraph({ text: '完善依法行政制度体系', style: 'PlanSection' }),
              listed('事项', 'outline', 1),
            ],
          },
        ],
      }),
    );
    expect(await readDocx('style-linked.docx', buffer)).toEqual([
      '一、依法全面履行政府职能', '1.1 事项', '1.2 事项', '二、完善依法行政制度体系', '2.1 事项',
    ]);
  });

  it('restarts a list where Word restarts it (a new list instance)', async () => {
    const buffer = await pack(
      [listed('甲', 'single'), listed('乙', 'single'), listed('丙', 'single', 0, 2), listed('丁', 'single', 0, 2)],
      [{ reference: 'single', levels: [{ level: 0, format: LevelFormat.DECIMAL, text: '%1.' }] }],
    );
    expect(await readDocx('restart.docx', buffer)).toEqual(['1.甲', '2.乙', '1.丙', '2.丁']);
  });

  it('does not number a list paragraph twice when its text already starts with a typed number', async () => {
    const buffer = await pack(
      [
        listed('一、依法全面履行政府职能', 'plan', 0),
        listed('1.深化改革。(责任单位:区司法局)', 'plan', 1),
        listed('2、推进简政放权。(责任单位:区财政局)', 'plan', 1),
        listed('(一)健全制度', 'plan', 1),
        listed('（1）全面准确依法编制', 'plan', 1),
        listed('没有编号的事项', 'plan', 1),
      ],
      [{ reference: 'plan', levels: [CHINESE_SECTION, DECIMAL_ITEM] }],
    );
    expect(await readDocx('typed.docx', buffer)).toEqual([
      '一、依法全面履行政府职能',
      '1.深化改革。(责任单位:区司法局)',
      '2、推进简政放权。(责任单位:区财政局)',
      '(一)健全制度',
      '（1）全面准确依法编制',
      // Word counts the typed paragraphs too: this is the fifth item of the list.
      '5.没有编号的事项',
    ]);
  });

  it('leaves bulleted paragraphs unnumbered', async () => {
    const buffer = await pack(
      [listed('要点一', 'bullets'), listed('要点二', 'bullets'), listed('事项', 'items'), listed('要点三', 'bullets')],
      [
        { reference: 'bullets', levels: [{ level: 0, format: LevelFormat.BULLET, text: '•' }] },
        { reference: 'items', levels: [{ level: 0, format: LevelFormat.DECIMAL, text: '%1.' }] },
      ],
    );
    expect(await readDocx('bullets.docx', buffer)).toEqual(['要点一', '要点二', '1.事项', '要点三']);
  });

  it('keeps table rows as "a | b | c" and writes an auto-numbered 序号 cell as the bare number', async () => {
    const cell = (...children: Paragraph[]): TableCell =>
      new TableCell({ children, width: { size: 3000, type: WidthType.DXA } });
    const row = (...cells: TableCell[]): TableRow => new TableRow({ children: cells });
    const buffer = await pack(
      [
        new Paragraph(TITLE),
        new Table({
          rows: [
            row(cell(new Paragraph('序号')), cell(new Paragraph('工作任务')), cell(new Paragraph('责任单位'))),
            row(cell(listed('', 'rows')), cell(new Paragraph('深化改革。'), new Paragraph('第二段。')), cell(new Paragraph('区司法局'))),
            row(cell(listed('', 'rows')), cell(new Paragraph('优化营商环境。')), cell(new Paragraph('区发展和改革局、区财政局'))),
          ],
        }),
        new Paragraph('表后段落'),
      ],
      [{ reference: 'rows', levels: [{ level: 0, format: LevelFormat.DECIMAL, text: '%1.' }] }],
    );
    const lines = await readDocx('table.docx', buffer);
    expect(lines).toEqual([
      TITLE,
      '序号 | 工作任务 | 责任单位',
      '1 | 深化改革。 第二段。 | 区司法局',
      '2 | 优化营商环境。 | 区发展和改革局、区财政局',
      '表后段落',
    ]);
    const plan = parsePlan(lines.join('\n'));
    expect(plan.items.map((i) => [i.number, i.tasks[0]?.units])).toEqual([
      [1, ['区司法局']],
      [2, ['区发展和改革局', '区财政局']],
    ]);
  });

  it('leaves documents without lists as before', async () => {
    const buffer = await pack([new Paragraph('一、手写的部分'), new Paragraph('1.手写的事项')], []);
    expect(await docxToText(buffer)).toBe('一、手写的部分\n1.手写的事项');
    expect(htmlToText('<table><tr><td><p>a</p></td><td>b</td></tr></table><ol><li>c</li></ol>')).toBe('a | b\nc');
  });
});

/** A .docx written by hand, to have the XML exactly as Word writes it. */
function handMadeDocx(body: string, numbering: string, styles = ''): Promise<Buffer> {
  const W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"';
  const MC = 'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" mc:Ignorable="w14"';
  const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
  const files: [string, string][] = [
    [
      '[Content_Types].xml',
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>' +
        '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
    ],
    [
      '_rels/.rels',
      `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL}/officeDocument" Target="word/document.xml"/></Relationships>`,
    ],
    [
      'word/_rels/document.xml.rels',
      `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL}/numbering" Target="numbering.xml"/><Relationship Id="rId2" Type="${REL}/styles" Target="styles.xml"/></Relationships>`,
    ],
    ['word/document.xml', `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document ${W} ${MC}><w:body>${body}<w:sectPr/></w:body></w:document>`],
    ['word/numbering.xml', `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:numbering ${W} ${MC}>${numbering}</w:numbering>`],
    ['word/styles.xml', `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:styles ${W}>${styles}</w:styles>`],
  ];
  const zip = new JSZip();
  for (const [name, text] of files) zip.file(name, text);
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
}

const run = (text: string): string => `<w:r><w:t xml:space="preserve">${text}</w:t></w:r>`;
const numPr = (numId: number, ilvl: number): string => `<w:numPr><w:ilvl w:val="${ilvl}"/><w:numId w:val="${numId}"/></w:numPr>`;
const para = (text: string, pPr = ''): string => `<w:p>${pPr ? `<w:pPr>${pPr}</w:pPr>` : ''}${text ? run(text) : ''}</w:p>`;
const cellXml = (content: string, tcPr = ''): string => `<w:tc><w:tcPr><w:tcW w:w="2000" w:type="dxa"/>${tcPr}</w:tcPr>${content}</w:tc>`;
const lvlXml = (ilvl: number, numFmt: string, text: string): string =>
  `<w:lvl w:ilvl="${ilvl}" w:tplc="04090019"><w:start w:val="1"/>${numFmt}<w:lvlText w:val="${text}"/><w:lvlJc w:val="left"/>` +
  '<w:pPr><w:ind w:left="720" w:hanging="720"/></w:pPr><w:rPr><w:rFonts w:hint="default"/></w:rPr></w:lvl>';

describe('docxToText on XML as Word writes it', () => {
  // Word 2010+ writes a level's format twice: for new readers (mc:Choice) and for old ones (mc:Fallback).
  const NUMBERING =
    '<w:abstractNum w:abstractNumId="0"><w:nsid w:val="1A2B3C4D"/><w:multiLevelType w:val="hybridMultilevel"/>' +
    lvlXml(0, '<mc:AlternateContent><mc:Choice Requires="w14"><w:numFmt w:val="custom" w:format="一, 二, 三, ..."/></mc:Choice><mc:Fallback><w:numFmt w:val="japaneseCounting"/></mc:Fallback></mc:AlternateContent>', '%1、') +
    lvlXml(1, '<w:numFmt w:val="decimal"/>', '%2.') +
    '</w:abstractNum>' +
    '<w:abstractNum w:abstractNumId="1"><w:multiLevelType w:val="singleLevel"/>' + lvlXml(0, '<w:numFmt w:val="decimal"/>', '%1.') + '</w:abstractNum>' +
    '<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>' +
    '<w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num>' +
    // Another instance of the same list without overrides: it continues the numbering.
    '<w:num w:numId="3"><w:abstractNumId w:val="0"/></w:num>';

  it('counts as Word counts: Fallback formats, deleted paragraph marks, removed numbering, merged cells', async () => {
    const body = [
      para(TITLE),
      para('依法全面履行政府职能', numPr(1, 0)),
      para('深化改革。(责任单位:区司法局)', numPr(1, 1)),
      // A deleted paragraph mark: the text joins the next paragraph, which keeps its own number.
      para('推进', `${numPr(1, 1)}<w:rPr><w:del w:id="1" w:author="a" w:date="2024-01-01T00:00:00Z"/></w:rPr>`),
      para('简政放权。(责任单位:区财政局)', numPr(1, 1)),
      // numId 0 removes the numbering of the paragraph.
      para('说明文字', numPr(0, 1)),
      '<w:tbl><w:tblPr/><w:tblGrid><w:gridCol w:w="2000"/><w:gridCol w:w="2000"/></w:tblGrid>' +
        `<w:tr>${cellXml(para('', numPr(2, 0)), '<w:vMerge w:val="restart"/>')}${cellXml(para('任务甲'))}</w:tr>` +
        `<w:tr>${cellXml(para('', numPr(2, 0)), '<w:vMerge/>')}${cellXml(para('任务乙'))}</w:tr>` +
        `<w:tr>${cellXml(para('', numPr(2, 0)))}${cellXml(para('任务丙'))}</w:tr></w:tbl>`,
      para('完善依法行政制度体系', numPr(1, 0)),
      para('强化文件管理。(责任单位:区司法局)', numPr(3, 1)),
    ].join('');
    const buffer = await handMadeDocx(body, NUMBERING);
    expect(await readDocx('word-xml.docx', buffer)).toEqual([
      TITLE,
      '一、依法全面履行政府职能',
      '1.深化改革。(责任单位:区司法局)',
      '2.推进简政放权。(责任单位:区财政局)',
      '说明文字',
      // mammoth drops the merged-away cell of the second row; its number is not counted either.
      '1 | 任务甲',
      '任务乙',
      '2 | 任务丙',
      '二、完善依法行政制度体系',
      '1.强化文件管理。(责任单位:区司法局)',
    ]);
  });

  it('falls back to numbers by depth when its list paragraphs do not match mammoth\'s', async () => {
    const numbering =
      '<w:abstractNum w:abstractNumId="0">' + lvlXml(0, '<w:numFmt w:val="decimal"/>', '%1)') + lvlXml(1, '<w:numFmt w:val="decimal"/>', '%2)') + '</w:abstractNum>' +
      '<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>';
    // mammoth ignores an element it does not know, numbered paragraphs inside included.
    const body = [para('部分', numPr(1, 0)), `<w:unknown>${para('未知', numPr(1, 1))}</w:unknown>`, para('事项', numPr(1, 1))].join('');
    expect(await docxToText(await handMadeDocx(body, numbering))).toBe('一、部分\n1.事项');
  });
});

describe('readListParagraphs', () => {
  it('reads the numbers Word shows from numbering.xml', async () => {
    const buffer = await pack(
      [listed('部分', 'deep', 0), listed('事项', 'deep', 1), listed('任务', 'deep', 2), listed('要点', 'bullets')],
      [
        { reference: 'deep', levels: [CHINESE_SECTION, { ...DECIMAL_ITEM, start: 4 }, { level: 2, format: LevelFormat.DECIMAL_ENCLOSED_CIRCLE, text: '%3' }] },
        { reference: 'bullets', levels: [{ level: 0, format: LevelFormat.BULLET, text: '•' }] },
      ],
    );
    expect(await readListParagraphs(buffer)).toEqual([
      { level: 0, ordered: true, label: '一、' },
      { level: 1, ordered: true, label: '4.' },
      { level: 2, ordered: true, label: '①' },
      { level: 0, ordered: false, label: null },
    ]);
  });

  it('reads paragraphs numbered only through their style, and none from a document without lists', async () => {
    const numbering = {
      config: [{ reference: 'outline', levels: [{ ...CHINESE_SECTION, style: { style: 'PlanSection' } }] }],
    };
    const styled = await Packer.toBuffer(
      new Document({
        numbering,
        styles: {
          paragraphStyles: [
            { id: 'PlanSection', name: 'Plan Section', basedOn: 'Normal', paragraph: { numbering: { reference: 'outline', level: 0 } } },
          ],
        },
        sections: [{ children: [new Paragraph({ text: '部分', style: 'PlanSection' }), new Paragraph({ text: '部分', style: 'PlanSection' })] }],
      }),
    );
    expect(await readListParagraphs(styled)).toEqual([
      { level: 0, ordered: true, label: '一、' },
      { level: 0, ordered: true, label: '二、' },
    ]);
    const plain = await Packer.toBuffer(new Document({ numbering, sections: [{ children: [new Paragraph('1.手写的事项')] }] }));
    expect(await readListParagraphs(plain)).toEqual([]);
  });

  it('returns null for bytes that are not a .docx', async () => {
    expect(await readListParagraphs(Buffer.from('not a zip'))).toBeNull();
  });
});

describe('applyListNumbers without the exact numbers (numbers by depth)', () => {
  async function byDepth(buffer: Buffer): Promise<string> {
    const result = await mammoth.convertToHtml(
      { buffer },
      {
        transformDocument: (document: MammothElement) => {
          applyListNumbers(document, () => null);
          return document;
        },
      },
    );
    return htmlToText(result.value);
  }

  it('writes the outer of two levels as 一、 and the next as 1., counting across interruptions', async () => {
    const buffer = await pack(
      [
        listed('部分', 'plan', 0),
        listed('事项', 'plan', 1),
        new Paragraph('续段'),
        listed('事项', 'plan', 1),
        listed('部分', 'plan', 0),
        listed('事项', 'plan', 1),
        listed('任务', 'plan', 2),
      ],
      // The formats are deliberately not what the depth rule writes: it must not read them.
      [{ reference: 'plan', levels: [
        { level: 0, format: LevelFormat.DECIMAL, text: '%1)' },
        { level: 1, format: LevelFormat.UPPER_LETTER, text: '%2)' },
        { level: 2, format: LevelFormat.LOWER_ROMAN, text: '%3)' },
      ] }],
    );
    expect(await byDepth(buffer)).toBe('一、部分\n1.事项\n续段\n2.事项\n二、部分\n1.事项\n(1)任务');
  });

  it('writes a single level as 1. and leaves bullets and typed numbers alone', async () => {
    const buffer = await pack(
      [listed('甲', 'single'), listed('要点', 'bullets'), listed('3.乙', 'single'), listed('丙', 'single')],
      [
        { reference: 'single', levels: [{ level: 0, format: LevelFormat.CHINESE_COUNTING, text: '%1、' }] },
        { reference: 'bullets', levels: [{ level: 0, format: LevelFormat.BULLET, text: '•' }] },
      ],
    );
    expect(await byDepth(buffer)).toBe('1.甲\n要点\n3.乙\n3.丙');
  });
});

describe('formatListNumber', () => {
  it.each([
    [12, 'decimal', '12'],
    [3, 'decimalZero', '03'],
    [12, 'decimalFullWidth', '１２'],
    [1, 'chineseCounting', '一'],
    [10, 'chineseCounting', '十'],
    [21, 'chineseCountingThousand', '二十一'],
    [12, 'chineseLegalSimplified', '拾贰'],
    [3, 'ideographTraditional', '丙'],
    [10, 'ideographDigital', '一〇'],
    [2, 'decimalEnclosedCircle', '②'],
    [2, 'decimalEnclosedCircleChinese', '②'],
    [3, 'decimalEnclosedParen', '⑶'],
    [28, 'upperLetter', 'BB'],
    [4, 'lowerRoman', 'iv'],
    [4, 'none', ''],
    [5, 'someFutureFormat', '5'],
  ])('%i as %s is %s', (n, format, expected) => {
    expect(formatListNumber(n, format)).toBe(expected);
  });
});
