/** The seed plan (2020年秀洲区法治政府建设工作要点) loaded into a temporary store, with the shipped units file. */
import * as path from 'node:path';
import { importPlanFile } from '../../src/app/import-plan-file';
import type { Store } from '../../src/store/store';
import { loadUnitDirectory } from '../../src/units/unit-directory';
import { ROOT, SEED } from '../helpers/run-cli';

export const UNITS_FILE = path.join(ROOT, 'data', 'units.yaml');

export async function loadSeed(store: Store) {
  const { result } = await importPlanFile(store, SEED, new Date('2025-09-01T00:00:00Z'));
  const tree = store.getPlanTree(result.planId);
  if (!tree) throw new Error('seed not imported');
  return { tree, directory: loadUnitDirectory(UNITS_FILE) };
}
