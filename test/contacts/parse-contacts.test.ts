import { join } from 'node:path';
import type { Contact } from '../../src/contacts/contact';
import {
  CONTACTS_HEADER,
  normalizeMobile,
  parseContacts,
  parseRole,
  type ContactProblem,
} from '../../src/contacts/parse-contacts';
import { emptyUnitDirectory, loadUnitDirectory } from '../../src/units/unit-directory';

const dir = loadUnitDirectory(join(__dirname, '..', '..', 'data', 'units.yaml'));
const TOWNS = '王江泾镇、油车港镇、新塍镇、王店镇、洪合镇、新城街道、嘉北街道、塘汇街道、高照街道';

/** The header, then the given rows: the first row is line 2. */
function parseRows(...rows: string[]): ReturnType<typeof parseContacts> {
  return parseContacts([CONTACTS_HEADER, ...rows].join('\n'), dir);
}

function contact(fields: Partial<Contact>): Contact {
  return {
    unit: '区司法局',
    unitAsWritten: '区司法局',
    name: '示例甲',
    mobile: '13800000001',
    dingtalkId: null,
    role: 'liaison',
    line: 2,
    ...fields,
  };
}

describe('parseContacts: good rows', () => {
  it('reads a full row into a contact', () => {
    const result = parseRows('区司法局,示例甲,13800000001,demo-sfj-01,联络员');
    expect(result).toEqual({ contacts: [contact({ dingtalkId: 'demo-sfj-01' })], problems: [] });
  });

  it('reads an empty role as 联络员 and 分管领导 as leader', () => {
    const result = parseRows('区司法局,示例联络员甲,13800000001,,', '区司法局,示例领导乙,13800000002,, 分管 领导 ');
    expect(result.contacts.map((c) => c.role)).toEqual(['liaison', 'leader']);
    expect(result.problems).toEqual([]);
  });

  it('accepts a contact with only a DingTalk id, or only a mobile', () => {
    const result = parseRows('区司法局,示例联络员甲,,demo-01,', '区财政局,示例联络员乙,13800000002,,');
    expect(result.contacts.map((c) => [c.mobile, c.dingtalkId])).toEqual([
      [null, 'demo-01'],
      ['13800000002', null],
    ]);
  });

  it('canonicalises aliases and brackets, keeping the unit as written', () => {
    const result = parseRows('司法局,示例甲,13800000001,,', '区府办,示例乙,13800000002,,', '王江泾镇（示例片区）,示例丙,13800000003,,');
    expect(result.contacts.map((c) => [c.unit, c.unitAsWritten])).toEqual([
      ['区司法局', '司法局'],
      ['区政府办公室', '区府办'],
      ['王江泾镇(示例片区)', '王江泾镇（示例片区）'],
    ]);
  });

  it('trims spaces around cells and reads a quoted field holding a comma', () => {
    const result = parseRows(' 区司法局 , "示例,甲" , 13800000001 ,  demo-01  , 联络员 ');
    expect(result.contacts).toEqual([contact({ name: '示例,甲', dingtalkId: 'demo-01' })]);
  });

  it.each([
    ['+86 138 0000 0001'],
    ['86-138-0000-0001'],
    ['0086 13800000001'],
    ['138-0000-0001'],
    ['１３８０００００００１'],
  ])('normalises the mobile %s to 11 digits', (raw) => {
    expect(parseRows(`区司法局,示例甲,${raw},,`).contacts[0]?.mobile).toBe('13800000001');
  });

  it('handles a BOM, CRLF line ends, blank lines and comment lines, keeping line numbers', () => {
    const text = `\ufeff${CONTACTS_HEADER}\r\n# 区司法局\r\n\r\n区司法局,示例甲,13800000001,,\r\n   # 缩进的注释\r\n\r\n区财政局,示例乙,13800000002,,\r\n`;
    const result = parseContacts(text, dir);
    expect(result.problems).toEqual([]);
    expect(result.contacts.map((c) => [c.unit, c.line])).toEqual([
      ['区司法局', 4],
      ['区财政局', 7],
    ]);
  });

  it('gives the first line of a record whose quoted field spans lines, and counts on correctly', () => {
    const result = parseRows('区司法局,"示例\n甲",13800000001,,', '区财政局,示例乙,13800000002,,', '区住建局,示例丙,12,,');
    expect(result.contacts.map((c) => [c.name, c.line])).toEqual([
      ['示例\n甲', 2],
      ['示例乙', 4],
    ]);
    expect(result.problems.map((p) => p.line)).toEqual([5]);
  });

  it('skips rows of empty cells and ignores empty cells after the last column', () => {
    const result = parseRows(',,,,', '区司法局,示例甲,13800000001,,,,,', ' , , ');
    expect(result.problems).toEqual([]);
    expect(result.contacts).toEqual([contact({ line: 3 })]);
  });

  it('accepts a header without 角色, with spaces and a lower-case id; everyone is then a 联络员', () => {
    const result = parseContacts(' 单位 , 姓名 ,手机, 钉钉 id \n区司法局,示例甲,13800000001,demo-01\n区财政局,示例乙,13800000002,demo-02,分管领导', dir);
    expect(result.contacts).toEqual([contact({ dingtalkId: 'demo-01' })]);
    expect(result.problems).toEqual([
      { line: 3, reason: '有 5 列，应当是 4 列（单位,姓名,手机,钉钉ID）。内容中如有逗号，请把这一项整个用英文双引号括起来。' },
    ]);
  });

  it('lets one person serve several units', () => {
    const result = parseRows('区司法局,示例甲,13800000001,demo-01,', '区财政局,示例甲,13800000001,demo-01,');
    expect(result.contacts).toHaveLength(2);
    expect(result.problems).toEqual([]);
  });

  it('only normalises names without a units directory', () => {
    const result = parseContacts(`${CONTACTS_HEADER}\n各镇人民政府（街道办事处）,示例甲,13800000001,,`, emptyUnitDirectory());
    expect(result.contacts[0]?.unit).toBe('各镇人民政府(街道办事处)');
  });
});

describe('parseContacts: bad rows are reported with their line and never read', () => {
  const MOBILE_HINT = '（应为 1 开头的 11 位数字，例如 13800000000）。';
  const cases: [string, string, string[]][] = [
    ['too few columns', '区司法局,示例甲,13800000001,demo-01', ['有 4 列，应当是 5 列（单位,姓名,手机,钉钉ID,角色）。没有的内容请留空，但逗号不能少。']],
    ['too many columns', '区司法局,示例,甲,13800000001,,联络员', ['有 6 列，应当是 5 列（单位,姓名,手机,钉钉ID,角色）。内容中如有逗号，请把这一项整个用英文双引号括起来。']],
    ['Chinese commas', '区司法局，示例甲，13800000001', ['有 1 列，应当是 5 列（单位,姓名,手机,钉钉ID,角色）。列之间要用英文逗号“,”分隔，不要用中文逗号“，”。']],
    ['an empty unit', ',示例甲,13800000001,,', ['没有填写单位。']],
    ['an empty name', '区司法局, ,13800000001,,', ['没有填写姓名。']],
    ['a mobile one digit short', '区司法局,示例甲,1380000000,,', [`手机号“1380000000”不是 11 位的手机号码${MOBILE_HINT}`]],
    ['a landline', '区司法局,示例甲,0573-82720000,,', [`手机号“0573-82720000”不是 11 位的手机号码${MOBILE_HINT}`]],
    ['a mobile not starting 13–19', '区司法局,示例甲,12800000001,demo-01,', [`手机号“12800000001”不是 11 位的手机号码${MOBILE_HINT}`]],
    ['no way to reach the person', '区司法局,示例甲, , ,联络员', ['手机和钉钉ID都没有填写，机器人无法联系此人，请至少填写一项。']],
    ['a DingTalk id with a space', '区司法局,示例甲,,demo 01,', ['钉钉ID“demo 01”中间有空格，请删去。']],
    ['an unknown role', '区司法局,示例甲,13800000001,,组长', ['角色“组长”无法识别，只能是“联络员”或“分管领导”（空着表示联络员）。']],
    [
      'the role 领导',
      '区司法局,示例甲,13800000001,,领导',
      ['角色“领导”无法识别，只能是“联络员”或“分管领导”（空着表示联络员）。单位的分管领导请写“分管领导”；可以查看全部单位进度的领导不在这里登记，请在 LEADER_IDS 中设置。'],
    ],
    [
      'a collective',
      '各镇人民政府（街道办事处）,示例甲,13800000001,,',
      [`“各镇人民政府（街道办事处）”是集合单位，不能登记联络员，请按成员单位逐个登记：${TOWNS}。`],
    ],
    [
      'several faults in one row',
      ',,12345,,主任',
      ['没有填写单位。', '没有填写姓名。', `手机号“12345”不是 11 位的手机号码${MOBILE_HINT}`, '角色“主任”无法识别，只能是“联络员”或“分管领导”（空着表示联络员）。'],
    ],
  ];

  it.each(cases)('%s', (_what, row, reasons) => {
    const result = parseRows('区财政局,示例联络员乙,13800000002,,', '', row, '区住建局,示例联络员丙,13800000003,,');
    expect(result.problems).toEqual(reasons.map((reason): ContactProblem => ({ line: 4, reason })));
    expect(result.contacts.map((c) => c.line)).toEqual([2, 5]);
  });
});

describe('parseContacts: duplicates', () => {
  it('reports the same person twice for a unit on the later line, by mobile or by DingTalk id', () => {
    const result = parseRows(
      '区司法局,示例甲,13800000001,demo-01,',
      '区财政局,示例甲,13800000001,demo-01,',
      '司法局,示例甲（重复）,138 0000 0001,,',
      '区司法局,示例甲,13900000009,demo-01,分管领导',
      '区司法局,示例乙,13800000002,demo-02,',
    );
    expect(result.problems).toEqual([
      { line: 4, reason: '与第 2 行重复：同一单位（区司法局）登记了同一手机号，这一行没有读入。一个人在同一单位只登记一行。' },
      { line: 5, reason: '与第 2 行重复：同一单位（区司法局）登记了同一钉钉ID，这一行没有读入。一个人在同一单位只登记一行。' },
    ]);
    expect(result.contacts.map((c) => c.line)).toEqual([2, 3, 6]);
  });

  it('does not count a rejected row as the first of a pair', () => {
    const result = parseRows('区司法局,示例甲,13800000001,,组长', '区司法局,示例甲,13800000001,,');
    expect(result.problems.map((p) => p.line)).toEqual([2]);
    expect(result.contacts.map((c) => c.line)).toEqual([3]);
  });
});

describe('parseContacts: the header', () => {
  it('reports an empty file as one problem on line 1', () => {
    for (const text of ['', '\ufeff', '\n\n', '# 只有注释\n']) {
      expect(parseContacts(text, dir)).toEqual({
        contacts: [],
        problems: [{ line: 1, reason: `文件中没有内容，第一行应当是表头“${CONTACTS_HEADER}”（“角色”一列可以省略）。` }],
      });
    }
  });

  it('reports a missing header as one problem on line 1 and reads no row', () => {
    const result = parseContacts('区司法局,示例甲,13800000001,,\n区财政局,示例乙,1,,\n', dir);
    expect(result).toEqual({
      contacts: [],
      problems: [
        {
          line: 1,
          reason: `第一行应当是表头“${CONTACTS_HEADER}”（“角色”一列可以省略），现在是“区司法局,示例甲,13800000001,,”，名单没有读入。请在文件第一行写上这个表头，其余各行按表头的列顺序填写。`,
        },
      ],
    });
  });

  it('explains a header written with Chinese commas', () => {
    const result = parseContacts('单位，姓名，手机，钉钉ID，角色\n区司法局,示例甲,13800000001,,', dir);
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]?.line).toBe(1);
    expect(result.problems[0]?.reason).toContain('列之间要用英文逗号“,”分隔，不要用中文逗号“，”');
  });

  it('refuses columns in another order', () => {
    const result = parseContacts('姓名,单位,手机,钉钉ID,角色\n示例甲,区司法局,13800000001,,', dir);
    expect(result.contacts).toEqual([]);
    expect(result.problems.map((p) => p.line)).toEqual([1]);
  });
});

describe('parseContacts: quoting errors do not swallow the rest of the file', () => {
  it('reports an unclosed quote on its line and reads the rows after it', () => {
    const result = parseRows('区司法局,示例甲,13800000001,,', '区财政局,"示例乙,13800000002,,', '', '区住建局,示例丙,13800000003,,');
    expect(result.problems).toEqual([{ line: 3, reason: '双引号没有配对（少了结尾的英文双引号“"”），这一行没有读入。' }]);
    expect(result.contacts.map((c) => [c.unit, c.line])).toEqual([
      ['区司法局', 2],
      ['区住建局', 5],
    ]);
  });

  it('reports text after a closing quote and reads the rows after it', () => {
    const result = parseRows('区财政局,"示例"乙,13800000002,,', '区住建局,示例丙,13800000003,,');
    expect(result.problems).toEqual([
      { line: 2, reason: '双引号的用法有误（含逗号的内容要整个用英文双引号括起来，例如 "张三,李四"），这一行没有读入。' },
    ]);
    expect(result.contacts.map((c) => c.line)).toEqual([3]);
  });

  it('keeps a quote inside an unquoted cell as text', () => {
    expect(parseRows('区司法局,示例"甲",13800000001,,').contacts[0]?.name).toBe('示例"甲"');
  });

  it('sorts problems by line', () => {
    const result = parseRows('区司法局,,13800000001,,', '区财政局,"示例"乙,1,,', '区住建局,示例丙,1,,');
    expect(result.problems.map((p) => p.line)).toEqual([2, 3, 4]);
  });
});

describe('normalizeMobile and parseRole', () => {
  it('normalises or refuses mobiles', () => {
    expect(normalizeMobile('+8613800000001')).toBe('13800000001');
    expect(normalizeMobile('138 0000 00011')).toBeNull();
    expect(normalizeMobile('')).toBeNull();
  });

  it('reads roles', () => {
    expect(parseRole('')).toBe('liaison');
    expect(parseRole('联络员')).toBe('liaison');
    expect(parseRole('分管领导')).toBe('leader');
    expect(parseRole('领导')).toBeNull();
  });
});
