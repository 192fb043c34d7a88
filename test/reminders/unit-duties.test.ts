import { unitDuties } from '../../src/reminders/unit-duties';
import { useTempStore } from '../store/temp-db';
import { loadSeed } from './seed-duties';

describe('unitDuties on the seed plan', () => {
  const db = useTempStore('duban-duties-');

  it('gives every single unit its own list, collectives expanded', async () => {
    const { tree, directory } = await loadSeed(db.store);
    const duties = unitDuties([tree], directory);
    expect(duties.size).toBe(19);
    expect([...duties.keys()]).toContain('王江泾镇');
    expect(duties.has('各镇人民政府(街道办事处)')).toBe(false);
    expect(duties.has('区级有关部门')).toBe(false);

    const sfj = duties.get('区司法局')!;
    const byKey = new Map(sfj.map((d) => [d.taskKey, d]));
    // 1.2: named directly as lead.
    expect(byKey.get('1.2')).toMatchObject({ role: 'lead', via: null, leads: ['区司法局'] });
    // 1.1: through 区级有关部门, with no lead in the plan.
    expect(byKey.get('1.1')).toMatchObject({ role: 'co', via: '区级有关部门', leads: [] });
    // 3.1: named directly as co-unit and also through 区级有关部门: listed once, as named.
    expect(sfj.filter((d) => d.taskKey === '3.1')).toEqual([expect.objectContaining({ role: 'co', via: null, leads: ['区政务数据办'] })]);
    // Tasks stay in document order.
    const keys = sfj.map((d) => d.taskKey);
    expect(keys).toEqual([...keys].sort((a, b) => Number(a.split('.')[0]) - Number(b.split('.')[0]) || Number(a.split('.')[1]) - Number(b.split('.')[1])));

    // A town gets every task of 各镇人民政府(街道办事处), as co-unit or as lead where the collective leads.
    const town = duties.get('新塍镇')!;
    expect(town.map((d) => d.taskKey)).toEqual(['1.1', '1.3', '2.1', '3.1', '3.2', '5.1', '6.1', '8.1', '8.2', '9.2']);
    expect(town.every((d) => d.via === '各镇人民政府(街道办事处)')).toBe(true);
  });

  it('gives a unit that leads through a collective the lead role', async () => {
    const { tree, directory } = await loadSeed(db.store);
    const fin = unitDuties([tree], directory).get('区财政局')!;
    // 3.2: 区级有关部门 leads.
    expect(fin.find((d) => d.taskKey === '3.2')).toMatchObject({ role: 'lead', via: '区级有关部门' });
  });
});
