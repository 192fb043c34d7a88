import { join } from 'node:path';
import { checkUnits } from '../../src/units/check-units';
import { emptyUnitDirectory, loadUnitDirectory } from '../../src/units/unit-directory';
import { SEED_TOWNS, SEED_UNITS } from '../helpers/seed-units';

const dir = loadUnitDirectory(join(__dirname, '..', '..', 'data', 'units.yaml'));

describe('checkUnits', () => {
  it('passes the units of the seed plan without unknowns', () => {
    const planUnits = [...SEED_UNITS];
    const result = checkUnits(planUnits, dir);
    expect(result.unknown).toEqual([]);
    expect(result.aliased).toEqual([]);
    expect(result.collectives.map((c) => c.name)).toEqual(['区级有关部门', '各镇人民政府(街道办事处)']);
    expect(result.collectives[1]?.members).toHaveLength(9);
  });

  it('reports unknown names in plan order without duplicates', () => {
    const result = checkUnits(['区教育局', '区司法局', '区卫健局', '区教育局', ' 区卫健局 ', ''], dir);
    expect(result.unknown).toEqual(['区教育局', '区卫健局']);
  });

  it('reports aliases with their canonical names, once each', () => {
    const result = checkUnits(['司法局', '区府办', '司法局', '区司法局'], dir);
    expect(result.aliased).toEqual([
      { name: '司法局', canonical: '区司法局' },
      { name: '区府办', canonical: '区政府办公室' },
    ]);
    expect(result.unknown).toEqual([]);
  });

  it('reports each collective once, whatever the bracket width', () => {
    const result = checkUnits(['各镇人民政府（街道办事处）', '各镇人民政府(街道办事处)'], dir);
    expect(result.collectives).toEqual([
      {
        name: '各镇人民政府(街道办事处)',
        members: [...SEED_TOWNS],
      },
    ]);
    expect(result.aliased).toEqual([]);
  });

  it('reports everything unknown against an empty directory', () => {
    const result = checkUnits(['区司法局', '区级有关部门'], emptyUnitDirectory('data/units.yaml', true));
    expect(result).toEqual({ unknown: ['区司法局', '区级有关部门'], collectives: [], aliased: [] });
  });

  it('does not modify its input', () => {
    const input = Object.freeze(['司法局', '区教育局']);
    checkUnits(input, dir);
    expect(input).toEqual(['司法局', '区教育局']);
  });
});
