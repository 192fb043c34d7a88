/**
 * previewImport (a dry run that leaves the file untouched) and the summary fields that tell renumbering,
 * restoring and item changes apart from real task changes.
 */
import Database from 'better-sqlite3';
import { LATER, NOW, basePlan, checkpointedBytes, dump, task, useTempStore } from './temp-db';

const db = useTempStore('duban-preview-');

/** basePlan with 1.1 deleted (1.2 renumbered to 1.1), 2.1 edited and a task added to item 3. */
function editedPlan() {
  const plan = basePlan();
  plan.items[0]!.tasks = [{ ...plan.items[0]!.tasks[1]!, id: '1.1' }];
  plan.items[1]!.tasks[0]!.text = '全面落实公平竞争审查制度。';
  plan.items[2]!.tasks.push(task('3.3', '新增一项任务。', ['区新单位']));
  return plan;
}

describe('previewImport', () => {
  it('reports what importPlan will do and leaves the database byte-identical', () => {
    db.store.importPlan(basePlan(), { name: 'a.docx', sha256: 'a1' }, NOW);
    const bytes = checkpointedBytes(db.file);
    const before = dump(db.file);

    const preview = db.store.previewImport(editedPlan(), { name: 'b.docx', sha256: 'b2' }, LATER);
    expect(dump(db.file)).toEqual(before);
    expect(checkpointedBytes(db.file).equals(bytes)).toBe(true);

    expect(preview).toMatchObject({
      unchanged: false, created: false, added: ['3.3'], updated: ['2.1'], renumbered: ['1.1'], archived: ['1.1'],
    });
    expect(db.store.importPlan(editedPlan(), { name: 'b.docx', sha256: 'b2' }, LATER)).toEqual(preview);
  });

  it('previews a new plan, a planId import and an unchanged file without writing', () => {
    const bytes = checkpointedBytes(db.file);
    const before = dump(db.file);
    const created = db.store.previewImport(basePlan(), { name: 'a.docx', sha256: 'a1' }, NOW);
    expect(created).toMatchObject({ created: true, added: ['1.1', '1.2', '2.1', '3.1', '3.2'], itemsChanged: 3 });
    expect(dump(db.file)).toEqual(before);
    expect(checkpointedBytes(db.file).equals(bytes)).toBe(true);
    expect(db.store.hasAnyPlan()).toBe(false);

    const { planId } = db.store.importPlan(basePlan(), { name: 'a.docx', sha256: 'a1' }, NOW);
    const after = dump(db.file);
    expect(db.store.previewImport(basePlan(), { name: 'copy.docx', sha256: 'a1' }, LATER)).toMatchObject({ planId, unchanged: true });
    const renamed = { ...basePlan(), title: '改过标题的工作要点' };
    expect(db.store.previewImport(renamed, { name: 'b.docx', sha256: 'b2' }, LATER, { planId })).toMatchObject({ planId, created: false });
    expect(() => db.store.previewImport(renamed, { name: 'b.docx', sha256: 'b2' }, LATER, { planId: 42 })).toThrow('没有编号为 42 的计划');
    expect(dump(db.file)).toEqual(after);
    expect(db.store.listPlans()[0]?.title).toBe(basePlan().title);
  });

  it('leaves no unit behind that only the rolled-back import created', () => {
    db.store.importPlan(basePlan(), { name: 'a.docx', sha256: 'a1' }, NOW);
    db.store.previewImport(editedPlan(), { name: 'b.docx', sha256: 'b2' }, LATER);
    // the unit cache of the importer must not remember the rolled-back unit row
    const r = db.store.importPlan(editedPlan(), { name: 'b.docx', sha256: 'b2' }, LATER);
    expect(r.added).toEqual(['3.3']);
    expect(db.store.listUnitNames()).toContain('区新单位');
  });
});

describe('summary fields', () => {
  it('says when only item titles changed', () => {
    db.store.importPlan(basePlan(), { name: 'a.docx', sha256: 'a1' }, NOW);
    const plan = basePlan();
    plan.items[1]!.title = '持续优化法治化营商环境。';
    const r = db.store.importPlan(plan, { name: 'b.docx', sha256: 'b2' }, LATER);
    expect(r).toMatchObject({ added: [], updated: [], renumbered: [], archived: [], unchangedTasks: 5, itemsChanged: 1 });
  });

  it('keeps the new fields in the import log', () => {
    db.store.importPlan(basePlan(), { name: 'a.docx', sha256: 'a1' }, NOW);
    const r = db.store.importPlan(editedPlan(), { name: 'b.docx', sha256: 'b2' }, LATER);
    const raw = new Database(db.file, { readonly: true });
    try {
      const json = raw.prepare<[], string>('SELECT summary_json FROM plan_imports ORDER BY id DESC LIMIT 1').pluck().get();
      expect(JSON.parse(json as string)).toEqual({
        created: false, added: ['3.3'], updated: ['2.1'], renumbered: ['1.1'], restored: [], archived: ['1.1'],
        unchangedTasks: 2, itemsChanged: 0, items: 3, tasks: 5, units: r.units,
      });
    } finally {
      raw.close();
    }
  });
});
