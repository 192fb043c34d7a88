import { join } from 'node:path';
import { checkContacts, concretePlanUnits, describeContactCheck } from '../../src/contacts/check-contacts';
import { contactBookFromText, loadContacts } from '../../src/contacts/contacts-file';
import { CONTACTS_HEADER } from '../../src/contacts/parse-contacts';
import { emptyUnitDirectory, loadUnitDirectory } from '../../src/units/unit-directory';
import { SEED_DEPARTMENTS, SEED_TOWNS, SEED_UNITS } from '../helpers/seed-units';

const ROOT = join(__dirname, '..', '..');
const dir = loadUnitDirectory(join(ROOT, 'data', 'units.yaml'));

const DEPARTMENTS = [...SEED_DEPARTMENTS];
const TOWNS = [...SEED_TOWNS];

function book(...rows: string[]): ReturnType<typeof contactBookFromText> {
  return contactBookFromText([CONTACTS_HEADER, ...rows].join('\n'), dir, 'contacts.csv');
}

describe('concretePlanUnits', () => {
  it('expands the seed plan to 19 concrete units in plan order', () => {
    expect(concretePlanUnits(SEED_UNITS, dir)).toEqual([...DEPARTMENTS, ...TOWNS, '秀洲国家高新区管委会']);
  });

  it('canonicalises aliases and bracket variants and drops duplicates and empty names', () => {
    expect(concretePlanUnits(['司法局', '各镇人民政府（街道办事处）', '区司法局', ' ', '王江泾镇'], dir)).toEqual(['区司法局', ...TOWNS]);
  });
});

describe('checkContacts', () => {
  it('finds nothing wrong with the shipped contacts file and the seed plan', () => {
    const check = checkContacts(SEED_UNITS, loadContacts(join(ROOT, 'data', 'contacts.csv'), dir), dir);
    expect(check).toMatchObject({ unitsWithoutLiaison: [], contactsOutsidePlan: [], problems: [], clean: true });
    expect(check.counts.planUnits).toBe(19);
    expect(check.counts.unitsWithLiaison).toBe(19);
  });

  it('needs a liaison for each member of a collective, in plan order', () => {
    const check = checkContacts(['各镇人民政府(街道办事处)'], book('新城街道,示例甲,13800000001,,', '王江泾镇,示例乙,13800000002,,'), dir);
    expect(check.unitsWithoutLiaison).toEqual(TOWNS.filter((t) => t !== '王江泾镇' && t !== '新城街道'));
    expect(check.clean).toBe(false);
  });

  it('does not count a 分管领导 as a liaison', () => {
    const check = checkContacts(['区司法局', '区财政局'], book('区司法局,示例领导,13800000001,,分管领导', '区财政局,示例甲,13800000002,,'), dir);
    expect(check.unitsWithoutLiaison).toEqual(['区司法局']);
    expect(check.counts).toEqual({ contacts: 2, liaisons: 1, leaders: 1, planUnits: 2, unitsWithLiaison: 1 });
  });

  it('matches plan units and contacts written with different aliases', () => {
    const check = checkContacts(['司法局', '区府办'], book('区司法局,示例甲,13800000001,,', '区政府办,示例乙,13800000002,,'), dir);
    expect(check.unitsWithoutLiaison).toEqual([]);
    expect(check.contactsOutsidePlan).toEqual([]);
    expect(check.clean).toBe(true);
  });

  it('lists contacts whose unit is not in the plan, leaders included', () => {
    const check = checkContacts(
      ['区司法局'],
      book('区司法局,示例甲,13800000001,,', '区教育局,示例乙,13800000002,,', '区财政局,示例丙,13800000003,,分管领导'),
      dir,
    );
    expect(check.contactsOutsidePlan.map((c) => [c.unit, c.line])).toEqual([
      ['区教育局', 3],
      ['区财政局', 4],
    ]);
    expect(check.clean).toBe(false);
  });

  it('passes on the malformed rows and is then not clean', () => {
    const check = checkContacts(['区司法局'], book('区司法局,示例甲,13800000001,,', '区司法局,,13800000002,,'), dir);
    expect(check.problems).toEqual([{ line: 3, reason: '没有填写姓名。' }]);
    expect(check.unitsWithoutLiaison).toEqual([]);
    expect(check.clean).toBe(false);
  });

  it('treats an unexpanded collective as one unit when the directory is missing', () => {
    const empty = emptyUnitDirectory('data/units.yaml', true);
    const check = checkContacts(['各镇人民政府（街道办事处）'], book(), empty);
    expect(check.unitsWithoutLiaison).toEqual(['各镇人民政府(街道办事处)']);
  });
});

describe('describeContactCheck', () => {
  it('says all is fine on a clean check', () => {
    const check = checkContacts(['区司法局'], book('区司法局,示例甲,13800000001,,', '区司法局,示例领导,13800000002,,分管领导'), dir);
    expect(describeContactCheck(check, 'contacts.csv', dir)).toEqual([
      '联络员名单 contacts.csv：共 2 人（联络员 1 人，分管领导 1 人）。',
      '计划中有 1 个需要报送的单位（集合单位已展开为成员单位），其中 1 个已有联络员。',
      '联络员名单没有问题。',
    ]);
  });

  it('lists every finding, unread rows first, and does not say all is fine', () => {
    const contacts = book('区司法局,示例甲,13800000001,,', '区教育局,示例乙,13800000002,,', '区财政局,示例丙,12,,', '司法局,示例丁,13800000004,,');
    const lines = describeContactCheck(checkContacts(['区司法局', '区住建局', '区财政局'], contacts, dir), 'contacts.csv', dir);
    expect(lines).toEqual([
      '联络员名单 contacts.csv：共 3 人（联络员 3 人，分管领导 0 人）。',
      '计划中有 3 个需要报送的单位（集合单位已展开为成员单位），其中 1 个已有联络员。',
      '名单中有 1 处错误，出错的行没有读入，请修改：',
      '  第 4 行：手机号“12”不是 11 位的手机号码（应为 1 开头的 11 位数字，例如 13800000000）。',
      '以下 2 个单位没有联络员，将收不到提醒，请在名单中为每个单位登记至少一名联络员：',
      '  - 区住建局',
      '  - 区财政局',
      '以下 1 人所在的单位不在计划中，不会收到提醒（单位名称是否写错？）：',
      '  第 3 行：区教育局 示例乙（联络员）；单位目录中也没有这个单位，请检查是否写错',
    ]);
  });
});

describe('checkContacts for a channel that reaches people by id only', () => {
  it('lists the plan liaisons without a 钉钉ID, who would get nothing from the app robot or 浙政钉', () => {
    const text = [CONTACTS_HEADER, '区司法局,示例甲,13800000001,,', '区司法局,示例乙,,demo-2,', '区财政局,示例丙,13800000003,,分管领导'].join('\n');
    const book = contactBookFromText(text, dir);
    const check = checkContacts(['区司法局', '区财政局'], book, dir, '钉钉应用机器人');
    expect(check.liaisonsWithoutId.map((c) => c.name)).toEqual(['示例甲']);
    expect(check.clean).toBe(false);
    expect(describeContactCheck(check, 'contacts.csv', dir)).toContain('现在的发送渠道（钉钉应用机器人）按钉钉ID发送，以下 1 名联络员没有填钉钉ID，收不到提醒：');
    // The group robot @-mentions by mobile: nothing to report.
    expect(checkContacts(['区司法局', '区财政局'], book, dir).liaisonsWithoutId).toEqual([]);
  });
});
