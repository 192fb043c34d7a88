/** The GLOB pattern that finds stored unit names not in normal form covers every character the normalisation changes. */
import Database from 'better-sqlite3';
import { normalizeUnitName, UNNORMALISED_UNIT_NAME_GLOB } from '../../src/plan/normalize';

describe('UNNORMALISED_UNIT_NAME_GLOB', () => {
  it('matches a name holding any character normalizeUnitName changes, and not a name in normal form', () => {
    const db = new Database(':memory:');
    try {
      const glob = db.prepare<[string, string], number>('SELECT ? GLOB ?').pluck();
      const missed: string[] = [];
      for (let cp = 0; cp <= 0xffff; cp++) {
        if (cp >= 0xd800 && cp <= 0xdfff) continue;
        const name = `区${String.fromCharCode(cp)}局`;
        if (normalizeUnitName(name) !== name && glob.get(name, UNNORMALISED_UNIT_NAME_GLOB) !== 1) missed.push(cp.toString(16));
      }
      expect(missed).toEqual([]);
      for (const name of ['区司法局', '各镇人民政府(街道办事处)', '区住建局']) expect(glob.get(name, UNNORMALISED_UNIT_NAME_GLOB)).toBe(0);
      expect(glob.get('各镇人民政府（街道办事处）', UNNORMALISED_UNIT_NAME_GLOB)).toBe(1);
    } finally {
      db.close();
    }
  });
});
