/**
 * Two versions of one large plan for the re-import crash soak: version 1 is the benchmark's synthetic plan of
 * `items` items; version 2 is the same plan revised the way an office revises one: the last tenth of its items
 * dropped, some task texts reworded and some units replaced. Both keep the title, so version 2 re-imports onto
 * version 1's plan. Deterministic: the same `items` gives the same two texts.
 */
import * as fs from 'node:fs';
import { buildSyntheticPlan, readSeedTemplate } from '../../bench/synthetic-plan';
import { SEED } from '../helpers/run-cli';

export interface PlanVersions {
  v1: string;
  v2: string;
}

const ITEM_LINE_RE = /^(\d+)\./;

export function planVersions(items: number): PlanVersions {
  const seed = readSeedTemplate(fs.readFileSync(SEED, 'utf8'));
  const v1 = buildSyntheticPlan(seed, items, 'global').text;
  const keep = Math.floor(items * 0.9);
  const v2 = v1
    .split('\n')
    .filter((line) => {
      const m = ITEM_LINE_RE.exec(line);
      return !m || Number(m[1]) <= keep;
    })
    .map((line) => {
      const m = ITEM_LINE_RE.exec(line);
      if (!m) return line;
      const n = Number(m[1]);
      let out = line;
      // Reworded tasks (updated in place or replaced, as the importer's matching decides).
      if (n % 5 === 0) out = out.replace(/相关工作纳入第/g, '相关工作列入第');
      // Other units responsible (assignments archived and added).
      if (n % 3 === 0) out = out.replace(/区部门(\d+)/g, '区单位$1');
      return out;
    })
    .join('\n');
  return { v1, v2 };
}
