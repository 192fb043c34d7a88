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

/** What an import changed (or, with `dryRun`, would change), in Chinese, one line per kind of change. */
export function describeImport(
  title: string,
  r: ImportResult,
  opts: { dryRun?: boolean; retitledFrom?: string | null } = {},
): string {
  const dry = Boolean(opts.dryRun);
  if (r.unchanged) {
    return `计划《${title}》与上次导入的文件完全相同，${dry ? '导入也不会作任何修改' : '数据库未作任何修改'}。`;
  }
  const counts = `${r.items} 项事项、${r.tasks} 项任务、${r.units} 个责任单位`;
  const lines = [
    dry
      ? `试导入，数据库未作任何修改。正式导入将${r.created ? `新建计划《${title}》：${counts}` : `更新计划《${title}》，更新后有 ${counts}`}。`
      : r.created
        ? `已导入新计划《${title}》：${counts}。`
        : `已更新计划《${title}》：现有 ${counts}。`,
  ];
  if (!r.created) {
    const list = (keys: string[]) => (keys.length > 20 ? `${keys.slice(0, 20).join('、')} 等` : keys.join('、'));
    const kinds: [string[], string, string][] = [
      [r.added, '新增任务', ''],
      [r.updated, '修改任务', '（保留原有记录）'],
      [r.restored, '恢复任务', '（此前归档的任务，原有记录接续）'],
      [r.renumbered, '重新编号', '（内容未变，只是序号变了，原有记录保留）'],
      [r.archived, '归档任务', '（原任务在新文件中已找不到，记录保留；序号为原序号）'],
    ];
    for (const [keys, label, note] of kinds) {
      if (keys.length) lines.push(`  ${label} ${keys.length} 项：${list(keys)}${note}`);
    }
    if (kinds.every(([keys]) => keys.length === 0)) lines.push('  任务内容没有变化。');
    if (r.itemsChanged) lines.push(`  事项有 ${r.itemsChanged} 处变化（新增、归档、恢复或改了标题）。`);
    if (opts.retitledFrom) lines.push(`  计划标题由《${opts.retitledFrom}》改为《${title}》。`);
  }
  return lines.join('\n');
}
