import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  emptyUnitDirectory,
  loadUnitDirectory,
  normalizeUnitName,
  parseUnitDirectory,
  UnitDirectoryError,
} from '../../src/units/unit-directory';
import { SEED_DEPARTMENTS, SEED_TOWNS } from '../helpers/seed-units';

const UNITS_FILE = join(__dirname, '..', '..', 'data', 'units.yaml');
const TOWNS = '各镇人民政府(街道办事处)';
const TOWN_MEMBERS = [...SEED_TOWNS];
const DEPARTMENTS = [...SEED_DEPARTMENTS];

function parseError(source: string, file = 'data/units.yaml'): UnitDirectoryError {
  try {
    parseUnitDirectory(source, file);
  } catch (error) {
    expect(error).toBeInstanceOf(UnitDirectoryError);
    return error as UnitDirectoryError;
  }
  throw new Error('expected a UnitDirectoryError');
}

describe('normalizeUnitName', () => {
  it('turns full-width brackets half-width and drops spaces', () => {
    expect(normalizeUnitName(' 各镇人民政府（街道办事处） ')).toBe(TOWNS);
    expect(normalizeUnitName('区 司法局\u3000')).toBe('区司法局');
  });
});

describe('the real data/units.yaml', () => {
  const dir = loadUnitDirectory(UNITS_FILE);

  it('loads and is not missing', () => {
    expect(dir.missing).toBe(false);
    expect(dir.file).toBe(UNITS_FILE);
  });

  it('expands the towns collective to its 9 members in order', () => {
    expect(dir.isCollective(TOWNS)).toBe(true);
    expect(dir.expand(TOWNS)).toEqual(TOWN_MEMBERS);
  });

  it('resolves the full-width bracket variant of a collective', () => {
    expect(dir.isCollective('各镇人民政府（街道办事处）')).toBe(true);
    expect(dir.isKnown('各镇人民政府（街道办事处）')).toBe(true);
    expect(dir.canonical('各镇人民政府（街道办事处）')).toBe(TOWNS);
    expect(dir.expand('各镇人民政府（街道办事处）')).toEqual(TOWN_MEMBERS);
  });

  it('expands 区级有关部门 to the district departments of the seed plan', () => {
    expect(dir.isCollective('区级有关部门')).toBe(true);
    expect(dir.expand('区级有关部门')).toEqual(DEPARTMENTS);
    expect(dir.collectiveNames()).toEqual([TOWNS, '区级有关部门']);
  });

  it('knows 秀洲国家高新区管委会 as a single unit', () => {
    expect(dir.isKnown('秀洲国家高新区管委会')).toBe(true);
    expect(dir.isCollective('秀洲国家高新区管委会')).toBe(false);
    expect(dir.expand('秀洲国家高新区管委会')).toEqual(['秀洲国家高新区管委会']);
  });

  it('resolves aliases to canonical names', () => {
    const cases: [string, string][] = [
      ['市场监管局', '区市场监管局'],
      ['区市场监督管理局', '区市场监管局'],
      ['司法局', '区司法局'],
      ['政务数据办', '区政务数据办'],
      ['区政务服务和数据资源管理办公室', '区政务数据办'],
      ['区发改局', '区发展和改革局'],
      ['发改局', '区发展和改革局'],
      ['区综合执法局', '区综合行政执法局'],
      ['区经信商务局', '区经济信息商务局'],
      ['财政局', '区财政局'],
      ['区住房和城乡建设局', '区住建局'],
      ['区府办', '区政府办公室'],
      ['区政府办', '区政府办公室'],
    ];
    for (const [alias, canonical] of cases) {
      expect(dir.canonical(alias)).toBe(canonical);
      expect(dir.isKnown(alias)).toBe(true);
      expect(dir.expand(alias)).toEqual([canonical]);
    }
    expect(dir.canonical('区司法局')).toBe('区司法局');
  });

  it('reports unknown names as unknown and returns them normalised', () => {
    expect(dir.isKnown('区教育局')).toBe(false);
    expect(dir.isCollective('区教育局')).toBe(false);
    expect(dir.canonical(' 区教育局 ')).toBe('区教育局');
    expect(dir.expand('区教育局')).toEqual(['区教育局']);
  });

  it('lists every single unit once, collectives excluded', () => {
    const all = dir.allUnits();
    expect(all[0]).toBe('秀洲国家高新区管委会');
    expect(all).toEqual(expect.arrayContaining([...TOWN_MEMBERS, ...DEPARTMENTS]));
    expect(all).toHaveLength(1 + TOWN_MEMBERS.length + DEPARTMENTS.length);
    expect(all).not.toContain(TOWNS);
    expect(all).not.toContain('区级有关部门');
  });
});

describe('loadUnitDirectory', () => {
  let tmp: string;
  beforeAll(() => {
    tmp = mkdtempSync(join(tmpdir(), 'duban-units-'));
  });
  afterAll(() => {
    rmSync(tmp, { recursive: true, force: true });
  });

  it('gives an empty directory flagged missing when the file does not exist', () => {
    const dir = loadUnitDirectory(join(tmp, 'nope.yaml'));
    expect(dir.missing).toBe(true);
    expect(dir.allUnits()).toEqual([]);
    expect(dir.isKnown('区司法局')).toBe(false);
    expect(dir.canonical('各镇人民政府（街道办事处）')).toBe(TOWNS);
  });

  it('reads an empty or comment-only file as an empty directory', () => {
    const file = join(tmp, 'empty.yaml');
    writeFileSync(file, '# 只有注释\n');
    const dir = loadUnitDirectory(file);
    expect(dir.missing).toBe(false);
    expect(dir.allUnits()).toEqual([]);
  });

  it('reports malformed YAML in Chinese with the file and line', () => {
    const file = join(tmp, 'bad.yaml');
    writeFileSync(file, '别名:\n  区司法局: [司法局\n  区财政局: [财政局]\n');
    expect(() => loadUnitDirectory(file)).toThrow(UnitDirectoryError);
    try {
      loadUnitDirectory(file);
    } catch (error) {
      const e = error as UnitDirectoryError;
      expect(e.file).toBe(file);
      expect(e.line).not.toBeNull();
      expect(e.message).toContain(`单位目录 ${file} 第 ${e.line} 行：`);
      expect(e.message).toMatch(/[\u4e00-\u9fff]/);
    }
  });

  it('strips a UTF-8 BOM', () => {
    const file = join(tmp, 'bom.yaml');
    writeFileSync(file, '\ufeff单位:\n  - 区教育局\n');
    expect(loadUnitDirectory(file).allUnits()).toEqual(['区教育局']);
  });
});

describe('parseUnitDirectory validation', () => {
  it('rejects an alias claimed by two units, naming both and the line', () => {
    const e = parseError('别名:\n  区司法局: [司法局]\n  区财政局: [财政局, 司法局]\n');
    expect(e.line).toBe(3);
    expect(e.message).toBe(
      '单位目录 data/units.yaml 第 3 行：别名“司法局”同时属于“区司法局”和“区财政局”。一个别名只能对应一个单位，请删除其中一处。',
    );
  });

  it('treats full-width and half-width alias spellings as the same alias', () => {
    const e = parseError('别名:\n  甲单位: [乙（丙）]\n  丁单位: [乙(丙)]\n');
    expect(e.message).toContain('别名“乙(丙)”同时属于“甲单位”和“丁单位”');
  });

  it('rejects a collective with no members', () => {
    for (const source of ['集合单位:\n  区级有关部门:\n', '集合单位:\n  区级有关部门: []\n']) {
      const e = parseError(source);
      expect(e.line).toBe(2);
      expect(e.message).toContain('集合单位“区级有关部门”没有列出任何成员单位');
    }
  });

  it('rejects an unknown section key, e.g. a typo', () => {
    const e = parseError('集体单位:\n  a: [b]\n');
    expect(e.line).toBe(1);
    expect(e.message).toContain('不认识的部分“集体单位”');
  });

  it('hints at the full-width colon', () => {
    const e = parseError('别名:\n  区司法局： [司法局]\n  区财政局: [财政局]\n');
    expect(e.message).toContain('半角“:”');
  });

  it('rejects duplicate keys', () => {
    const e = parseError('别名:\n  区司法局: [司法局]\n  区司法局: [司法所]\n');
    expect(e.line).toBe(3);
    expect(e.message).toContain('写了两次');
  });

  it('rejects an alias that is also a canonical name', () => {
    const e = parseError('别名:\n  区司法局: [司法局]\n  司法局: [司法]\n');
    expect(e.message).toContain('“司法局”已被写作“区司法局”的别名');
  });

  it('rejects a collective that is also listed as a single unit', () => {
    const e = parseError('集合单位:\n  甲组: [甲一, 甲二]\n单位:\n  - 甲组\n');
    expect(e.line).toBe(4);
    expect(e.message).toContain('“甲组”已是集合单位');
  });

  it('rejects collectives that contain each other', () => {
    const e = parseError('集合单位:\n  甲组: [乙组, 甲一]\n  乙组: [甲组]\n');
    expect(e.message).toContain('循环包含');
  });

  it('rejects a non-mapping top level', () => {
    const e = parseError('- 区司法局\n- 区财政局\n');
    expect(e.line).toBe(1);
    expect(e.message).toContain('最外层');
  });

  it('canonicalises alias members, flattens nested collectives and resolves aliases of a collective', () => {
    const dir = parseUnitDirectory(
      [
        '集合单位:',
        '  全体:',
        '    - 各镇（街道）',
        '    - 司法局',
        '  各镇人民政府（街道办事处）:',
        '    - 甲镇',
        '    - 乙街道',
        '    - 甲镇',
        '别名:',
        '  区司法局: 司法局、区司法行政局',
        '  各镇人民政府(街道办事处): [各镇(街道)]',
        '',
      ].join('\n'),
    );
    expect(dir.expand('全体')).toEqual(['甲镇', '乙街道', '区司法局']);
    expect(dir.expand('各镇(街道)')).toEqual(['甲镇', '乙街道']);
    expect(dir.isCollective('各镇（街道）')).toBe(true);
    expect(dir.canonical('区司法行政局')).toBe('区司法局');
    expect(dir.allUnits()).toEqual(['区司法局', '甲镇', '乙街道']);
  });

  it('emptyUnitDirectory knows nothing', () => {
    const dir = emptyUnitDirectory();
    expect(dir.missing).toBe(false);
    expect(dir.isKnown('区司法局')).toBe(false);
    expect(dir.expand('区司法局')).toEqual(['区司法局']);
  });
});

describe('a full-width colon', () => {
  it('is named in the message even when the top-level key is what it broke', () => {
    expect(() => parseUnitDirectory('单位：\n  - 区司法局\n', 'data/units.yaml')).toThrow('不要用全角“：”');
  });
});
