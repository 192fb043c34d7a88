/**
 * Properties of the parser over mutated real documents: it never throws anything but its own typed
 * error, what it returns is consistent, and the store always accepts it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { parsePlan } from '../../src/plan/parse-plan';
import { PlanParseError } from '../../src/plan/parse-error';
import { Store } from '../../src/store/store';
import { fuzzLabel, fuzzParams } from '../helpers/fuzz';
import { generatedPlan } from './plan-grammar';

const FIXTURES = path.join(__dirname, '..', 'fixtures');
const documents = [
  fs.readFileSync(path.join(FIXTURES, 'seed-xiuzhou-2020.txt'), 'utf8'),
  ...fs.readdirSync(path.join(FIXTURES, 'corpus')).map((f) => fs.readFileSync(path.join(FIXTURES, 'corpus', f), 'utf8')),
];

/** Fragments that matter to the parser: brackets, labels, numbering, separators, table rules. */
const FRAGMENTS = [
  '(', ')', '〔', '〕', '（', '）', '责任单位:', '责任部门：', '牵头单位:', '、', ',', '，', '。', '\n', '\n\n', '1.', '１．',
  '(一)', '一、', '(1)', '牵头', '参与', '|', '│', '├──┼──┤', '序号', '★', '按职责分工落实', '等', '2020年9月底前',
  '列第一位的为牵头单位,下同', '完成时限:', '各县、区人民政府(管委会)', '\u3000', '\u00a0',
];

type Edit = { kind: 'insert'; at: number; text: string } | { kind: 'delete'; at: number; length: number };

const edit: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({
    kind: fc.constant('insert' as const),
    at: fc.nat(),
    text: fc.oneof(fc.constantFrom(...FRAGMENTS), fc.string({ maxLength: 8 })),
  }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 60 }) }),
);

function apply(text: string, edits: Edit[]): string {
  let t = text;
  for (const e of edits) {
    const at = t.length === 0 ? 0 : e.at % (t.length + 1);
    t = e.kind === 'insert' ? t.slice(0, at) + e.text + t.slice(at) : t.slice(0, at) + t.slice(at + e.length);
  }
  return t;
}

const mutatedDocument = fc
  .tuple(fc.constantFrom(...documents), fc.array(edit, { minLength: 1, maxLength: 10 }))
  .map(([doc, edits]) => apply(doc, edits));

describe('parsePlan on mutated real documents', () => {
  it('returns a consistent plan or throws PlanParseError with a Chinese message, nothing else', () => {
    fc.assert(
      fc.property(mutatedDocument, (text) => {
        let plan;
        try {
          plan = parsePlan(text, { fallbackTitle: '测试计划' });
        } catch (err) {
          expect(err).toBeInstanceOf(PlanParseError);
          expect((err as Error).message).toMatch(/[\u4e00-\u9fa5]/);
          return;
        }
        expect(plan.items.length).toBeGreaterThan(0);
        const numbers = plan.items.map((i) => i.number);
        expect(new Set(numbers).size).toBe(numbers.length);
        expect(new Set(plan.sections.map((s) => s.number)).size).toBe(plan.sections.length);
        for (const item of plan.items) {
          expect(item.tasks.length).toBeGreaterThan(0);
          item.tasks.forEach((t, i) => {
            expect(t.id).toBe(`${item.number}.${i + 1}`);
            expect(new Set(t.units).size).toBe(t.units.length);
            for (const lead of t.leads) expect(t.units).toContain(lead);
            if (t.deadline !== null) expect(t.deadline).toMatch(/^\d{4}-\d{2}-\d{2}$/);
          });
        }
      }),
      { numRuns: 1500, seed: 20201111 },
    );
  });

  it('never loses a unit written in a plain responsibility bracket', () => {
    const unit = fc.constantFrom('区司法局', '区财政局', '区市场监管局', '各镇人民政府(街道办事处)', '区级有关部门', '秀洲国家高新区管委会');
    fc.assert(
      fc.property(fc.uniqueArray(unit, { minLength: 1, maxLength: 5 }), fc.constantFrom('、', ','), (units, sep) => {
        const plan = parsePlan(`2020年某区工作要点\n一、重点工作\n1.推进工作。开展专项行动。(责任单位:${units.join(sep)})`);
        expect(plan.items[0]!.tasks[0]!.units).toEqual(units);
      }),
      { numRuns: 300, seed: 7 },
    );
  });

  it('gives plans the store always accepts', () => {
    const store = Store.open(':memory:');
    try {
      fc.assert(
        fc.property(mutatedDocument, fc.nat(), (text, n) => {
          let plan;
          try {
            plan = parsePlan(text, { fallbackTitle: '测试计划' });
          } catch {
            return;
          }
          expect(() => store.importPlan(plan, { name: 'fuzz.txt', sha256: String(n) }, new Date(0))).not.toThrow();
        }),
        { numRuns: 300, seed: 42 },
      );
    } finally {
      store.close();
    }
  });
});

describe('parsePlan on plans generated from a grammar', () => {
  it(`finds every item, and every unit of every well-formed bracket with its lead ${fuzzLabel(400)}`, () => {
    fc.assert(
      fc.property(generatedPlan, ({ text, items }) => {
        let plan;
        try {
          plan = parsePlan(text, { fallbackTitle: '测试计划' });
        } catch (err) {
          // Only the typed error may come out, and a generated plan always has items: it must not come out at all.
          expect(err).toBeInstanceOf(PlanParseError);
          throw err;
        }
        expect(plan.items.map((i) => i.number)).toEqual(items.map((_, i) => i + 1));
        expect(plan.items.map((i) => i.tasks.map((t) => ({ units: t.units, leads: t.leads })))).toEqual(items);
      }),
      fuzzParams(400),
    );
  });

  it(`throws only its own typed error on generated plans with random edits ${fuzzLabel(300)}`, () => {
    fc.assert(
      fc.property(generatedPlan, fc.array(edit, { minLength: 1, maxLength: 10 }), ({ text }, edits) => {
        try {
          parsePlan(apply(text, edits), { fallbackTitle: '测试计划' });
        } catch (err) {
          expect(err).toBeInstanceOf(PlanParseError);
          expect((err as Error).message).toMatch(/[\u4e00-\u9fa5]/);
        }
      }),
      fuzzParams(300),
    );
  });
});
