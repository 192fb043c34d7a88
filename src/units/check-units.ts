/**
 * Checks the units named in a plan against the units directory. Pure: no I/O.
 */
import { normalizeUnitName, type UnitDirectory } from './unit-directory';

export interface UnitCheck {
  /** Names the directory does not know, normalised, in plan order, without duplicates. */
  unknown: string[];
  /** Collectives named in the plan (as written, normalised) with the units they expand to. */
  collectives: { name: string; members: string[] }[];
  /** Names written as an alias, with their canonical name. */
  aliased: { name: string; canonical: string }[];
}

export function checkUnits(planUnits: readonly string[], dir: UnitDirectory): UnitCheck {
  const unknown: string[] = [];
  const collectives: UnitCheck['collectives'] = [];
  const aliased: UnitCheck['aliased'] = [];
  const seen = new Set<string>();
  const seenCollectives = new Set<string>();

  for (const written of planUnits) {
    const name = normalizeUnitName(written);
    if (name === '' || seen.has(name)) continue;
    seen.add(name);
    const canonical = dir.canonical(name);
    if (!dir.isKnown(name)) {
      unknown.push(name);
      continue;
    }
    if (canonical !== name) aliased.push({ name, canonical });
    if (dir.isCollective(name) && !seenCollectives.has(canonical)) {
      seenCollectives.add(canonical);
      collectives.push({ name, members: dir.expand(name) });
    }
  }
  return { unknown, collectives, aliased };
}
