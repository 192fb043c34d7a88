/**
 * What a responsible unit's name looks like. Used to tell a unit list from ordinary text and to split
 * units that a flattened table glued together (`市行政审批局市司法局`).
 */

/** Endings of unit names (局, 委, 办, 政府, 管委会, and 联/协 of 区妇联, 区科协, …), simplified and traditional. */
const UNIT_END =
  '(?:局|委|办|辦|厅|廳|院|政府|管委会|管委會|委员会|委員會|中心|公司|部门|部門|单位|單位|处|處|室|所|队|隊|站|集团|集團|海关|海關|部|行|社|馆|館|团|團|会|會|街道|镇|鎮|乡|鄉|办事处|辦事處|小组|小組|总队|支队|大队|银行|银保监|监管局|联|聯|协|協)';

const UNIT_END_RE = new RegExp(`${UNIT_END}$`);

/** A collective (区级有关部门, 各镇人民政府, 市级相关单位): never a lead by itself in a glued run. */
export function isCollectiveName(name: string): boolean {
  return /^各|有关|有關|相关|相關|各级|各級|所属|所屬/.test(name);
}

/**
 * Verbs that start clauses, never unit names: `加强有关部门…`, `督促各镇人民政府…` end like units but are
 * text (a sentence that a wrapped line or a missing 。 left next to a unit list).
 */
const CLAUSE_START_RE =
  /^(加强|督促|推进|推动|建立|完善|落实|开展|指导|协调|支持|鼓励|会同|要求|确保|做好|依托|按照|根据|强化|深化|健全|提升|实施|制定|实现|促进|引导|发挥|动员|联合|配合|牵头|负责|由|请|对|向|在|与|将|把|和|及)/;

/** True when the text reads as one unit's name (no sentence punctuation, a unit ending). */
export function looksLikeUnit(name: string): boolean {
  const n = name.replace(/^[★☆*]+/, '').replace(/\([^()]*\)$/, '');
  if (n.length < 2 || n.length > 40) return false;
  // Sentence punctuation, and `的`, which unit names do not use but clauses ending in 办/会/部 do:
  // `对未按时间节点完成的单位进行督办` is text, not a unit.
  if (/[。;:!?“”"《》的]/.test(n)) return false;
  if (/\d{2,}|%/.test(n)) return false;
  if (CLAUSE_START_RE.test(n)) return false;
  // Collectives without a unit ending (`各县(市)区`, `各区县`) start with 各 and are short.
  return UNIT_END_RE.test(n) || (/^各/.test(n) && n.length <= 12);
}

/** Place prefixes that start a new unit name inside a glued run: 市 区 县 省. */
const GLUE_SPLIT_RE = new RegExp(`(?<=${UNIT_END})(?=[市区县省][^场)]{2,})`, 'g');

/**
 * Splits a run of unit names written with no separator (`市行政审批局市司法局`) where one name's ending
 * is followed by a place prefix; returns the run unchanged when a part would not look like a unit.
 */
export function splitGluedUnits(run: string): string[] {
  // Only a run with a place prefix after its start can hold two names.
  if (run.length < 6 || /[()]/.test(run) || !/[市区县省]/.test(run.slice(2))) return [run];
  const parts = run.split(GLUE_SPLIT_RE).filter((p) => p.length > 0);
  if (parts.length < 2 || !parts.every((p) => looksLikeUnit(p))) return [run];
  return parts;
}
