import {
  ITEM_WINDOW,
  SIMILARITY_THRESHOLD,
  matchArchived,
  matchTasks,
  textSimilarity,
  type LiveTask,
  type NewTask,
  type RosterEntry,
} from '../../src/store/task-match';

/** Units in written order, the first one leading. */
const roster = (names: string[]): RosterEntry[] => names.map((name, k) => ({ name, role: k === 0 ? 'lead' : 'co' }));

// Task texts of the seed plan (item 6).
const T63 = '完善“名所名品名律师”培育工程,强化高素质涉外法律服务人才培育和高水平涉外法律服务机构建设。';
const T64 = '健全政府购买公共服务制度,完善社会力量兴办社会事业机制,探索公建民营、民办公助等制度,促进公共服务多元化供给。';
const T64_EDITED = '健全政府购买公共服务制度,完善社会资本参与社会事业机制,探索公建民营、民办公助等制度,促进公共服务多元化供给。';

describe('textSimilarity', () => {
  it('is 1 for equal texts and for texts differing only in punctuation, spaces or width', () => {
    expect(textSimilarity(T64, T64)).toBe(1);
    expect(textSimilarity('推进政务服务标准化。', '推进政务服务 标准化.')).toBe(1);
    expect(textSimilarity('工业投资增长１２％以上，', '工业投资增长12%以上')).toBe(1);
  });

  it('is the Dice coefficient of character-bigram multisets', () => {
    // AB BC CD vs AB BC CE: 2·2 / (3 + 3)
    expect(textSimilarity('甲乙丙丁', '甲乙丙戊')).toBeCloseTo(2 / 3, 10);
    // {啊啊 ×2} vs {啊啊 ×1}: 2·1 / (2 + 1)
    expect(textSimilarity('啊啊啊', '啊啊')).toBeCloseTo(2 / 3, 10);
    // 开展 展证 证明 明事 事项 项清 清理 all shared; 全面 面开 added: 2·7 / (7 + 9)
    expect(textSimilarity('开展证明事项清理。', '全面开展证明事项清理。')).toBeCloseTo(14 / 16, 10);
    expect(textSimilarity('旧文', '新文')).toBe(0);
  });

  it('is symmetric', () => {
    expect(textSimilarity(T63, T64_EDITED)).toBe(textSimilarity(T64_EDITED, T63));
    expect(textSimilarity('开展证明事项清理。', '全面开展证明事项清理。'))
      .toBe(textSimilarity('全面开展证明事项清理。', '开展证明事项清理。'));
  });

  it('handles texts too short for a bigram', () => {
    expect(textSimilarity('', '')).toBe(1);
    expect(textSimilarity('甲', '甲。')).toBe(1);
    expect(textSimilarity('甲', '乙')).toBe(0);
    expect(textSimilarity('甲', '甲乙')).toBe(0);
    expect(textSimilarity('', T63)).toBe(0);
  });

  it('scores an edited phrase above the threshold and a different task below it', () => {
    expect(textSimilarity(T64, T64_EDITED)).toBeGreaterThanOrEqual(SIMILARITY_THRESHOLD);
    expect(textSimilarity(T64, T64.replace(/。$/, ',并加强绩效评价。'))).toBeGreaterThanOrEqual(SIMILARITY_THRESHOLD);
    expect(textSimilarity(T63, T64)).toBeLessThan(SIMILARITY_THRESHOLD);
    expect(textSimilarity(T63, T64_EDITED)).toBeLessThan(SIMILARITY_THRESHOLD);
    // formulaic targets that share a long tail are still different tasks
    expect(textSimilarity('有效投资完成市下达目标任务。', '节能减排完成市下达目标任务。')).toBeLessThan(SIMILARITY_THRESHOLD);
    expect(textSimilarity('有效投资完成市下达目标任务。', '有效投资完成省下达目标任务。')).toBeGreaterThanOrEqual(SIMILARITY_THRESHOLD);
  });
});

describe('matchTasks by similarity', () => {
  let nextId = 1;
  const live = (key: string, text: string, itemNumber = Number(key.split('.')[0])): LiveTask =>
    ({ id: nextId++, key, text, qualifier: null, deadline: null, itemId: 100 + itemNumber, itemNumber, position: 0 });
  const next = (key: string, text: string, units: string[] = [], itemNumber = Number(key.split('.')[0])): NewTask => ({
    key, text, qualifier: null, deadline: null, itemNumber, position: 0,
    source: { id: key, text, units, leads: units.slice(0, 1), qualifier: null, deadline: null },
  });
  const ids = (got: (LiveTask | undefined)[]): (number | undefined)[] => got.map((m) => m?.id);

  it('gives a deleted task’s key to nobody: the edited neighbour keeps its own row', () => {
    const a = live('6.3', T63);
    const b = live('6.4', T64);
    expect(ids(matchTasks([a, b], [next('6.3', T64_EDITED)]))).toEqual([b.id]);
  });

  it('leaves a wholly rewritten task unmatched', () => {
    const a = live('6.3', T63);
    expect(ids(matchTasks([a], [next('6.3', '建立健全行政执法协调监督工作体系。')]))).toEqual([undefined]);
  });

  it('takes the most similar pairs first, whatever their keys', () => {
    const a = live('1.1', '推进政务服务标准化、规范化、便利化建设。');
    const b = live('1.2', '开展证明事项清理工作,公布保留的证明事项清单。');
    const got = matchTasks([a, b], [
      next('1.1', '全面开展证明事项清理工作,公布保留的证明事项清单。'),
      next('1.2', '深入推进政务服务标准化、规范化、便利化建设。'),
    ]);
    expect(ids(got)).toEqual([b.id, a.id]);
  });

  it('exact texts win over similar ones', () => {
    const a = live('1.1', T64);
    const b = live('1.2', T64_EDITED);
    expect(ids(matchTasks([a, b], [next('1.1', T64_EDITED), next('1.2', T64)]))).toEqual([b.id, a.id]);
  });

  it('looks only ITEM_WINDOW items away', () => {
    expect(ITEM_WINDOW).toBe(1);
    const near = live('5.1', T64);
    expect(ids(matchTasks([near], [next('6.1', T64_EDITED)]))).toEqual([near.id]);
    expect(ids(matchTasks([near], [next('4.2', T64_EDITED)]))).toEqual([near.id]);
    const far = live('4.1', T64);
    expect(ids(matchTasks([far], [next('6.1', T64_EDITED)]))).toEqual([undefined]);
  });

  describe('ties', () => {
    // two stored tasks with one text, edited the same way in the new plan
    const other = T64.replace('促进', '推动');

    it('prefer the same item over the same key', () => {
      const a = live('6.1', T64, 6);
      const b = live('7.2', T64, 7);
      expect(ids(matchTasks([a, b], [next('6.1', other, [], 7)]))).toEqual([b.id]);
    });

    it('prefer the same units, then the same key', () => {
      const a = live('6.1', T64);
      const b = live('6.2', T64);
      const units = new Map([[a.id, ['区司法局']], [b.id, ['区财政局', '区级有关部门']]]);
      const unitsOf = (t: LiveTask): RosterEntry[] => roster(units.get(t.id) ?? []);
      const task = next('6.1', other, ['区级有关部门', '区财政局']);
      expect(ids(matchTasks([a, b], [task], { unitsOf }))).toEqual([b.id]);
      expect(ids(matchTasks([a, b], [task]))).toEqual([a.id]);
      expect(ids(matchTasks([a, b], [next('6.1', other, ['区审计局'])], { unitsOf }))).toEqual([a.id]);
    });

    it('asks for units only of stored tasks left after the exact-text steps', () => {
      const a = live('6.1', T63);
      const b = live('6.2', T64);
      const asked: number[] = [];
      const unitsOf = (t: LiveTask): RosterEntry[] => {
        asked.push(t.id);
        return [];
      };
      matchTasks([a, b], [next('6.1', T63), next('6.2', T64)], { unitsOf });
      matchTasks([a, b], [next('6.1', T63), next('6.2', T64_EDITED)], { unitsOf });
      expect(asked).toEqual([b.id]);
    });
  });
});

describe('matchTasks by identical text', () => {
  const live = (id: number, key: string, text: string, itemNumber = 1): LiveTask =>
    ({ id, key, text, qualifier: null, deadline: null, itemId: 100 + itemNumber, itemNumber, position: 0 });
  const next = (key: string, text: string, units: string[] = [], itemNumber = 1): NewTask => ({
    key, text, qualifier: null, deadline: null, itemNumber, position: 0,
    source: { id: key, text, units, leads: units.slice(0, 1), qualifier: null, deadline: null },
  });

  it('prefers the same key among equal texts, then text, then key', () => {
    const old = [live(1, '1.1', '同文'), live(2, '1.2', '同文'), live(3, '1.3', '旧文')];
    const got = matchTasks(old, [next('1.1', '新文'), next('1.2', '同文'), next('1.3', '同文'), next('1.4', '其他')]);
    expect(got.map((m) => m?.id)).toEqual([undefined, 2, 1, undefined]);
  });

  it('matches an edited text that is still similar when the key is free', () => {
    const old = [live(1, '1.1', '推进政务服务标准化。'), live(2, '1.2', '乙')];
    const got = matchTasks(old, [next('1.1', '全面推进政务服务标准化。'), next('1.2', '乙')]);
    expect(got.map((m) => m?.id)).toEqual([1, 2]);
  });

  describe('with units', () => {
    const check = '开展安全生产大检查。';
    const a = live(1, '1.1', check, 1);
    const b = live(2, '3.1', check, 3);
    const c = live(3, '5.1', check, 5);
    const units = new Map([[1, ['区应急管理局']], [2, ['区住建局']], [3, ['区交通运输局', '公安秀洲分局']]]);
    const unitsOf = (t: LiveTask): RosterEntry[] => roster(units.get(t.id) ?? []);

    it('prefers the same units over the same key and the nearest position', () => {
      const got = matchTasks([a, b, c], [next('3.1', check, ['区交通运输局', '公安秀洲分局'], 3), next('1.1', check, ['区住建局'], 1)], { unitsOf });
      expect(got.map((m) => m?.id)).toEqual([3, 2]);
    });

    it('never pairs a shared text without a unit in common, even by similarity', () => {
      const got = matchTasks([a, b], [next('2.1', check, ['区住建局'], 2), next('4.1', check, ['区农业农村局'], 3)], { unitsOf });
      expect(got.map((m) => m?.id)).toEqual([2, undefined]);
    });

    it('ranks the same roles in the same order above the same names, then the nearest item', () => {
      const d = live(4, '7.1', check, 7);
      const e = live(5, '9.1', check, 9);
      const of = new Map([[4, roster(['区财政局', '区审计局'])], [5, roster(['区审计局', '区财政局'])]]);
      const got = matchTasks([d, e], [next('9.1', check, ['区财政局', '区审计局'], 9)], { unitsOf: (t) => of.get(t.id) ?? [] });
      expect(got.map((m) => m?.id)).toEqual([4]);
      const near = matchTasks([d, e], [next('10.1', check, ['区审计局'], 10), next('6.1', check, ['区审计局'], 6)]);
      expect(near.map((m) => m?.id)).toEqual([5, 4]);
    });

    it('keeps a text held by one stored and one new task whatever the units', () => {
      expect(matchTasks([a], [next('2.1', check, ['区农业农村局'], 2)], { unitsOf }).map((m) => m?.id)).toEqual([1]);
    });

    it('restores archived tasks with the same text, by units when the text is shared', () => {
      const news = [next('1.1', check, ['区住建局']), next('1.2', check, ['区农业农村局']), next('1.3', '另一项任务。')];
      const got = matchArchived([a, b, live(9, '2.1', '另一项任务。')], news, [undefined, undefined, undefined], [], { unitsOf });
      expect(got.map((m) => m?.id)).toEqual([2, undefined, 9]);
      // a live task with the text makes it shared, so a lone archived one needs a unit in common too
      const lone = matchArchived([a], [next('1.2', check, ['区农业农村局'])], [undefined], [b], { unitsOf });
      expect(lone).toEqual([undefined]);
    });
  });
});
