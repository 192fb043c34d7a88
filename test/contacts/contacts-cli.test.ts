import * as fs from 'node:fs';
import * as path from 'node:path';
import { CONTACTS_HEADER } from '../../src/contacts/parse-contacts';
import { dbBytes, ROOT, runCli, SEED, tempDir } from '../helpers/run-cli';

const SHIPPED = path.join(ROOT, 'data', 'contacts.csv');

describe('duban contacts check', () => {
  let dir: string;
  let cleanup: () => void;
  let db: string;

  beforeAll(() => {
    ({ dir, cleanup } = tempDir('duban-contacts-cli-'));
    db = path.join(dir, 'duban.db');
    expect(runCli(['--db', db, 'plan', 'import', SEED]).status).toBe(0);
  });
  afterAll(() => cleanup());

  function writeContacts(name: string, ...rows: string[]): string {
    const file = path.join(dir, name);
    fs.writeFileSync(file, [CONTACTS_HEADER, ...rows].join('\n'));
    return file;
  }

  it('finds the shipped data/contacts.csv clean against the seed plan', () => {
    const before = dbBytes(db);
    const r = runCli(['--db', db, 'contacts', 'check']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`联络员名单 ${SHIPPED}：共 `);
    expect(r.stdout).toContain('计划中有 19 个需要报送的单位（集合单位已展开为成员单位），其中 19 个已有联络员。');
    expect(r.stdout.trimEnd().split('\n').pop()).toBe('联络员名单没有问题。');
    expect(dbBytes(db)).toBe(before);
  });

  it('reads CONTACTS_FILE, and --contacts-file before it', () => {
    const one = writeContacts('one.csv', '区司法局,示例甲,13800000001,,');
    const viaEnv = runCli(['--db', db, 'contacts', 'check'], { CONTACTS_FILE: one });
    expect(viaEnv.stdout).toContain(`联络员名单 ${one}：共 1 人`);
    const viaOption = runCli(['--db', db, 'contacts', 'check', '--contacts-file', SHIPPED], { CONTACTS_FILE: one });
    expect(viaOption.status).toBe(0);
  });

  it('lists units without a liaison, contacts outside the plan and malformed rows, and exits 1', () => {
    const shipped = fs.readFileSync(SHIPPED, 'utf8').trimEnd().split('\n').slice(1);
    const rows = shipped.filter((row) => !row.startsWith('王店镇,') && !row.startsWith('高照街道,'));
    rows.push('区教育局,示例戊,13800000090,,', '高照街道,示例己,12345,,', '高照街道,示例庚,13800000091,,分管领导');
    const file = writeContacts('findings.csv', ...rows);
    const lines = fs.readFileSync(file, 'utf8').split('\n');
    const lineOf = (start: string): number => lines.findIndex((l) => l.startsWith(start)) + 1;

    const r = runCli(['--db', db, 'contacts', 'check', '--contacts-file', file]);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('其中 17 个已有联络员');
    expect(r.stdout).toContain('以下 2 个单位没有联络员，将收不到提醒，请在名单中为每个单位登记至少一名联络员：\n  - 王店镇\n  - 高照街道\n');
    expect(r.stdout).toContain(`  第 ${lineOf('区教育局,')} 行：区教育局 示例戊（联络员）；单位目录中也没有这个单位`);
    expect(r.stdout).toContain(`  第 ${lineOf('高照街道,示例己')} 行：手机号“12345”不是 11 位的手机号码`);
    expect(r.stdout).not.toContain('联络员名单没有问题');
  });

  it('expands collectives with --units-file', () => {
    const units = path.join(dir, 'units.yaml');
    fs.writeFileSync(units, '集合单位:\n  区级有关部门: [区司法局, 区教育局]\n  各镇人民政府(街道办事处): [王江泾镇]\n');
    const r = runCli(['--db', db, 'contacts', 'check', '--units-file', units]);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('  - 区教育局\n');
    const line = fs.readFileSync(SHIPPED, 'utf8').split('\n').findIndex((l) => l.startsWith('油车港镇,')) + 1;
    expect(r.stdout).toContain(`  第 ${line} 行：油车港镇 `);
    expect(r.stdout).not.toContain('  - 王江泾镇');
  });

  it('explains how to create a missing contacts file and exits 1', () => {
    const missing = path.join(dir, 'none', 'contacts.csv');
    const r = runCli(['--db', db, 'contacts', 'check', '--contacts-file', missing]);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`联络员名单 ${missing} 不存在，计划中的 19 个单位都收不到提醒。`);
    expect(r.stderr).toContain(`  ${CONTACTS_HEADER}\n`);
    expect(r.stderr).toContain('--contacts-file');
    expect(fs.existsSync(path.dirname(missing))).toBe(false);
  });

  it('exits 2 with a Chinese message naming a file that cannot be read', () => {
    const r = runCli(['--db', db, 'contacts', 'check', '--contacts-file', dir]);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(`联络员名单 ${dir}：无法打开文件（这是一个文件夹）。请检查路径和文件权限后再试。\n`);
  });

  it('reports a wrong header as one problem on line 1', () => {
    const file = path.join(dir, 'no-header.csv');
    fs.writeFileSync(file, '区司法局,示例甲,13800000001,,\n');
    const r = runCli(['--db', db, 'contacts', 'check', '--contacts-file', file]);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain(`名单中有 1 处错误，出错的行没有读入，请修改：\n  第 1 行：第一行应当是表头“${CONTACTS_HEADER}”`);
  });

  it('does not create a database, and says to import a plan into an empty one', () => {
    const absent = path.join(dir, 'typo', 'duban.db');
    const r = runCli(['--db', absent, 'contacts', 'check']);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`数据库文件 ${absent} 不存在`);
    expect(fs.existsSync(path.dirname(absent))).toBe(false);
  });

  it('has Chinese help', () => {
    const r = runCli(['contacts', 'check', '--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('用法：');
    expect(r.stdout).toContain('--contacts-file <文件>');
    expect(r.stdout).toContain('--units-file <文件>');
  });
});
