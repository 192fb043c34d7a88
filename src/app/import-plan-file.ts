/**
 * Reading, parsing and importing a plan file: the one path that `duban plan import` and the
 * service's first start share.
 */
import * as path from 'node:path';
import { PlanParseError } from '../plan/parse-error';
import { parsePlan } from '../plan/parse-plan';
import { readDocument, type DocumentText } from '../plan/read-document';
import type { ParsedPlan } from '../plan/types';
import type { ImportResult, Store } from '../store/store';

export interface LoadedPlan {
  plan: ParsedPlan;
  doc: DocumentText;
}

/** Reads and parses a plan file; the file name stands in for a title the document does not state. */
export async function loadPlanFile(file: string): Promise<LoadedPlan> {
  const doc = await readDocument(file);
  try {
    const plan = parsePlan(doc.text, { fallbackTitle: path.basename(file).replace(/\.[^.]+$/, '') });
    return { plan, doc };
  } catch (err) {
    throw err instanceof PlanParseError ? err.inFile(file) : err;
  }
}

/** Parses first, then writes in one transaction: a file that cannot be parsed changes nothing. */
export async function importPlanFile(store: Store, file: string, now: Date): Promise<LoadedPlan & { result: ImportResult }> {
  const loaded = await loadPlanFile(file);
  const result = store.importPlan(loaded.plan, { name: path.basename(file), sha256: loaded.doc.sha256 }, now);
  return { ...loaded, result };
}

/** What an import changed, in Chinese, one line per kind of change. */
export function describeImport(title: string, r: ImportResult): string {
  if (r.unchanged) return `计划《${title}》与上次导入的文件完全相同，数据库未作任何修改。`;
  const lines = [
    r.created
      ? `已导入新计划《${title}》：${r.items} 项事项、${r.tasks} 项任务、${r.units} 个责任单位。`
      : `已更新计划《${title}》：现有 ${r.items} 项事项、${r.tasks} 项任务、${r.units} 个责任单位。`,
  ];
  if (!r.created) {
    const list = (keys: string[]) => (keys.length > 20 ? `${keys.slice(0, 20).join('、')} 等` : keys.join('、'));
    if (r.added.length) lines.push(`  新增任务 ${r.added.length} 项：${list(r.added)}`);
    if (r.updated.length) lines.push(`  修改任务 ${r.updated.length} 项：${list(r.updated)}（保留原有编号与进度记录）`);
    if (r.archived.length) lines.push(`  归档任务 ${r.archived.length} 项：${list(r.archived)}（已不在新文件中，记录保留）`);
    if (!r.added.length && !r.updated.length && !r.archived.length) lines.push('  任务内容没有变化。');
  }
  return lines.join('\n');
}
