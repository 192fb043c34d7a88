import * as fs from 'node:fs';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import type { Contact } from '../../src/contacts/contact';
import {
  contactBookFrom,
  contactBookFromText,
  ContactsFileError,
  loadContacts,
} from '../../src/contacts/contacts-file';
import { CONTACTS_HEADER } from '../../src/contacts/parse-contacts';
import { loadUnitDirectory } from '../../src/units/unit-directory';
import { tempDir } from '../helpers/run-cli';

const ROOT = join(__dirname, '..', '..');
const dir = loadUnitDirectory(join(ROOT, 'data', 'units.yaml'));
const SHIPPED = join(ROOT, 'data', 'contacts.csv');

const SAMPLE = [
  CONTACTS_HEADER,
  '区司法局,示例联络员甲,13800000001,demo-sfj-01,联络员',
  '司法局,示例分管领导乙,13800000002,demo-sfj-ld,分管领导',
  '区财政局,示例联络员甲,13800000001,demo-sfj-01,',
  '区财政局,示例联络员丙,13800000003,,联络员',
  '王江泾镇,,13800000004,,',
].join('\r\n');

let tmp: { dir: string; cleanup: () => void };
beforeEach(() => (tmp = tempDir('duban-contacts-')));
afterEach(() => tmp.cleanup());

function write(name: string, bytes: Buffer | string): string {
  const file = join(tmp.dir, name);
  fs.writeFileSync(file, bytes);
  return file;
}

function loadError(file: string): ContactsFileError {
  try {
    loadContacts(file, dir);
  } catch (error) {
    expect(error).toBeInstanceOf(ContactsFileError);
    return error as ContactsFileError;
  }
  throw new Error('expected a ContactsFileError');
}

const names = (contacts: readonly Contact[]): string[] => contacts.map((c) => c.name);

describe('loadContacts', () => {
  it('reads a UTF-8 file', () => {
    const file = write('contacts.csv', SAMPLE);
    const book = loadContacts(file, dir);
    expect(book.file).toBe(file);
    expect(book.missing).toBe(false);
    expect(names(book.contacts)).toEqual(['示例联络员甲', '示例分管领导乙', '示例联络员甲', '示例联络员丙']);
    expect(book.problems).toEqual([{ line: 6, reason: '没有填写姓名。' }]);
  });

  it('reads a GBK file saved by Excel the same as the UTF-8 one', () => {
    const utf8 = loadContacts(write('utf8.csv', SAMPLE), dir);
    const gbk = loadContacts(write('gbk.csv', iconv.encode(SAMPLE, 'gbk')), dir);
    expect(gbk.contacts).toEqual(utf8.contacts);
    expect(gbk.problems).toEqual(utf8.problems);
  });

  it('reads UTF-8 with a BOM and UTF-16 with a BOM', () => {
    const expected = loadContacts(write('plain.csv', SAMPLE), dir).contacts;
    const bom = write('bom.csv', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(SAMPLE, 'utf8')]));
    expect(loadContacts(bom, dir).contacts).toEqual(expected);
    const utf16 = write('utf16.csv', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(SAMPLE, 'utf16le')]));
    expect(loadContacts(utf16, dir).contacts).toEqual(expected);
  });

  it('gives an empty book, marked missing, for a file that does not exist', () => {
    const file = join(tmp.dir, 'nope', 'contacts.csv');
    const book = loadContacts(file, dir);
    expect(book).toMatchObject({ file, missing: true, contacts: [], problems: [] });
    expect(book.units()).toEqual([]);
    expect(book.liaisonsOf('区司法局')).toEqual([]);
  });

  it('reports an empty file as a missing header', () => {
    const book = loadContacts(write('empty.csv', ''), dir);
    expect(book.missing).toBe(false);
    expect(book.problems.map((p) => p.line)).toEqual([1]);
  });

  it('throws a ContactsFileError naming the file when it is a folder', () => {
    const error = loadError(tmp.dir);
    expect(error.file).toBe(tmp.dir);
    expect(error.message).toBe(`联络员名单 ${tmp.dir}：无法打开文件（这是一个文件夹）。请检查路径和文件权限后再试。`);
  });

  it('tells an Excel workbook from a CSV file', () => {
    const file = write('contacts.xlsx', Buffer.concat([Buffer.from('PK\x03\x04', 'latin1'), Buffer.alloc(64, 1)]));
    expect(loadError(file).message).toBe(
      `联络员名单 ${file} 是 Excel 工作簿（.xlsx），不是 CSV 文件。请在 Excel 中用“另存为”选择“CSV UTF-8（逗号分隔）”格式保存后再试。`,
    );
  });

  it('refuses binary content and text in an encoding it cannot tell', () => {
    const binary = write('binary.csv', Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0, 0, 0, 0, 1, 2, 3]));
    expect(loadError(binary).message).toContain(`联络员名单 ${binary} 不是文本文件。`);
    const latin = write('latin.csv', Buffer.from([0x61, 0xe9, 0x2c, 0xe8, 0xff, 0x0a]));
    expect(loadError(latin).message).toContain(`联络员名单 ${latin} 的文字编码无法识别。`);
  });
});

describe('the contact book', () => {
  const book = contactBookFromText(SAMPLE, dir, 'sample.csv');

  it('finds the liaisons and leaders of a unit by any spelling', () => {
    expect(names(book.liaisonsOf('区司法局'))).toEqual(['示例联络员甲']);
    expect(names(book.liaisonsOf(' 司法局 '))).toEqual(['示例联络员甲']);
    expect(names(book.leadersOf('司法局'))).toEqual(['示例分管领导乙']);
    expect(names(book.liaisonsOf('区财政局'))).toEqual(['示例联络员甲', '示例联络员丙']);
    expect(book.leadersOf('区财政局')).toEqual([]);
    expect(book.liaisonsOf('区教育局')).toEqual([]);
  });

  it('finds every unit a DingTalk id serves', () => {
    expect(book.byDingtalkId('demo-sfj-01').map((c) => c.unit)).toEqual(['区司法局', '区财政局']);
    expect(book.byDingtalkId(' demo-sfj-ld ').map((c) => c.role)).toEqual(['leader']);
    expect(book.byDingtalkId('nobody')).toEqual([]);
  });

  it('lists the units having a liaison, in file order, once each', () => {
    expect(book.units()).toEqual(['区司法局', '区财政局']);
  });

  it('is built without a file, normalising unit names when no directory is given', () => {
    const contact: Contact = {
      unit: '新区(示例)',
      unitAsWritten: '新区（示例）',
      name: '示例甲',
      mobile: null,
      dingtalkId: 'demo-01',
      role: 'liaison',
      line: 2,
    };
    const built = contactBookFrom([contact]);
    expect(built).toMatchObject({ file: 'data/contacts.csv', missing: false, problems: [] });
    expect(built.liaisonsOf('新区（示例）')).toEqual([contact]);
    expect(built.units()).toEqual(['新区(示例)']);
  });

  it('keeps a unit with only a leader out of units()', () => {
    const onlyLeader = contactBookFromText(`${CONTACTS_HEADER}\n区住建局,示例领导,13800000009,,分管领导`, dir);
    expect(onlyLeader.units()).toEqual([]);
    expect(onlyLeader.leadersOf('住建局')).toHaveLength(1);
  });
});

describe('the shipped data/contacts.csv', () => {
  const book = loadContacts(SHIPPED, dir);

  it('reads without problems, starts with the header, and names obviously fictional people', () => {
    expect(book.problems).toEqual([]);
    expect(fs.readFileSync(SHIPPED, 'utf8').split('\n')[0]).toBe(CONTACTS_HEADER);
    expect(book.contacts.length).toBeGreaterThan(19);
    for (const c of book.contacts) {
      expect(c.name).toMatch(/^示例/);
      if (c.mobile !== null) expect(c.mobile).toMatch(/^13800000[01]\d\d$/);
      if (c.dingtalkId !== null) expect(c.dingtalkId).toMatch(/^demo-/);
    }
  });

  it('gives some units two liaisons and some a 分管领导', () => {
    expect(book.liaisonsOf('区司法局')).toHaveLength(2);
    expect(book.leadersOf('区司法局')).toHaveLength(1);
    expect(book.contacts.filter((c) => c.role === 'leader').length).toBeGreaterThanOrEqual(2);
  });
});
