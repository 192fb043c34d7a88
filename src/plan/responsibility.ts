/**
 * A responsibility annotation (`责任单位:区司法局、区市场监管局。列第一位的为牵头单位,下同`,
 * `市政府办公室牵头,市级各有关部门按职责分工负责`) parsed into units, leads and a qualifier.
 * Pure functions; the simplified and traditional spellings of the key words are both understood.
 */
import { bracketDelta } from './brackets';
import { isDeadlineCell } from './deadline';
import { normalizeUnitName } from './normalize';
import { isCollectiveName, looksLikeUnit, splitGluedUnits } from './unit-names';

export interface Responsibility {
  units: string[];
  /** Leads named by the text itself (牵头, ★, a 牵头单位 label or column); null when it names none. */
  explicitLeads: string[] | null;
  qualifier: string | null;
  /** The annotation states `列第一位的为牵头单位`. */
  statesFirstLeads: boolean;
  /** …followed by `下同`: the rule holds for every later annotation too. */
  ruleCarriesOver: boolean;
  /** Units named under a `配合单位:` label: they help, so they never lead. */
  coUnits: string[];
  /** A deadline written inside the annotation (`完成时限:2021年底前`, `…,6月底前完成`), as written. */
  deadlineText: string | null;
  /** Parts of a labelled list that are not unit names (`2021年` where a copy went wrong), as written. */
  rejected: string[];
}

const LABEL_WORDS =
  '责任单位|責任單位|责任部门|責任部門|牵头单位|牽頭單位|牵头部门|牽頭部門|主办单位|主辦單位|主责单位|配合单位|配合單位|协办单位|協辦單位|参与单位|參與單位';

/** Labels that introduce a unit list: `责任单位:`, `责任部门:`, `牵头单位:`, … */
export const LABEL_RE = new RegExp(`^(${LABEL_WORDS})\\s*[:]\\s*`);

const LEAD_LABEL_RE = /^(牵头|牽頭|主办|主辦|主责)/;
const CO_LABEL_RE = /^(配合|协办|協辦|参与|參與)/;
/** A deadline label inside an annotation: `完成时限:2021年底前`. */
const DEADLINE_LABEL_RE = /^(完成时限|完成时间|完成期限|时间节点|时限要求|时限)\s*:\s*/;
/** Where a second label starts inside one annotation: `牵头单位:A;配合单位:B`, `…;完成时限:…`. */
const INNER_LABEL_RE = new RegExp(`[;。,](?=\\s*(?:${LABEL_WORDS}|完成时限|完成时间|完成期限|时间节点|时限要求|时限)\\s*:)`);

/**
 * `列第一位的为牵头单位`, and the other ways documents say it: `排在第一位的单位为牵头单位`,
 * `排名第一的为牵头单位`, `第一个单位为牵头单位`, `首位为牵头单位`, traditional script too.
 */
export const RULE_RE =
  /(列|排|排列|位列)(在)?(第[一1](位|个|名)|首位)的?(单位|部门|單位|部門)?(为|是|為)(牵头|牽頭)|排名第[一1]的?(单位|部门)?(为|是)牵头|第[一1]个?(单位|部门)(为|是)牵头|首位(单位|部门)?(为|是)牵头/;
const CARRIES_OVER_RE = /下同/;

/** Trailing words that say how the units work, not who they are. Longest first. */
const QUALIFIERS = [
  '按职责分工分别负责', '按職責分工分別負責', '按职责分工分别落实', '按职责分工落实', '按職責分工落實',
  '按职责分工负责', '按職責分工負責', '按职责分别负责', '按職責分別負責', '按职责负责', '按職責負責',
  '分别负责', '分別負責', '共同负责', '共同負責', '配合落实', '配合落實', '负责落实', '負責落實',
  '等部门', '等部門', '等单位', '等單位', '等',
];

/**
 * A role word ending a run of units: 1 lead (`牵头`), 2 helper (`参与`, `配合`), 3 `负责`, whose meaning
 * depends on the others (see parseUnitList).
 */
const ROLE_MARK_RE = /(?:(负责牵头|負責牽頭|牵头|牽頭)|(参与|參與|配合|协助|協助|协办|協辦|协同|協同)|(负责|負責))$/;
/** A lead mark on one unit only: `区发改局(牵头)`. */
const OWN_LEAD_RE = /\((牵头|牽頭|牵头单位|牽頭單位)\)$/;

/** Splits at depth 0 on the given separators, keeping brackets (and units inside them) whole. */
export function splitTopLevel(text: string, separators: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  const seps = Array.from(separators, (c) => c.charCodeAt(0));
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const delta = bracketDelta(code);
    if (delta !== 0) depth = Math.max(0, depth + delta);
    else if (depth === 0 && seps.includes(code)) {
      out.push(text.slice(start, i));
      start = i + 1;
    }
  }
  out.push(text.slice(start));
  return out;
}

/** `各县`, `各区`: the shared head of `各县、区人民政府(管委会)`, not a unit on its own. */
function isSharedHead(piece: string): boolean {
  return /^各[省市区县镇乡]{1,2}$/.test(piece) || /^[省市区县]$/.test(piece);
}

interface Piece {
  name: string;
  /** Marked as lead on its own: `★区发改委`, `区发改局(牵头)`. */
  lead: boolean;
  role: 'lead' | 'co' | 'resp' | null;
}

const QUALIFIER_RE = new RegExp(`(${QUALIFIERS.join('|')})$`);

export function stripQualifier(piece: string): { rest: string; qualifier: string | null } {
  const m = QUALIFIER_RE.exec(piece);
  if (m && m.index > 0) return { rest: piece.slice(0, m.index), qualifier: m[1] ?? null };
  return { rest: piece, qualifier: null };
}

/**
 * `区司法局和区市场监管局` → two units; `区文化和旅游局与区教育局` → two units; `区发展和改革局` → one:
 * a joiner splits only where both sides read as unit names.
 */
function splitJoinedUnits(p: string): string[] {
  if (!/及|和|与/.test(p)) return [p];
  const joiner = /以及|及|和|与/g;
  for (let m = joiner.exec(p); m; m = joiner.exec(p)) {
    const left = p.slice(0, m.index);
    if (!looksLikeUnit(left)) continue;
    const rest = splitJoinedUnits(p.slice(m.index + m[0].length));
    if (rest.every((r) => looksLikeUnit(r))) return [left, ...rest];
  }
  return [p];
}

/** Combines two annotations of one task (`牵头单位:A` then `责任单位:B、C`, or two labels in one bracket). */
export function mergeResponsibility(a: Responsibility | null, b: Responsibility): Responsibility {
  if (!a) return b;
  const units = [...a.units, ...b.units.filter((u) => !a.units.includes(u))];
  const leads = a.explicitLeads || b.explicitLeads ? [...(a.explicitLeads ?? []), ...(b.explicitLeads ?? [])] : null;
  return {
    units,
    explicitLeads: leads ? [...new Set(leads)] : null,
    qualifier: b.qualifier ?? a.qualifier,
    statesFirstLeads: a.statesFirstLeads || b.statesFirstLeads,
    ruleCarriesOver: a.ruleCarriesOver || b.ruleCarriesOver,
    coUnits: [...new Set([...a.coUnits, ...b.coUnits])],
    deadlineText: b.deadlineText ?? a.deadlineText,
    rejected: [...a.rejected, ...b.rejected],
  };
}

/**
 * Parses a unit list (the text after a label, or a whole bracket's content). Returns null when the
 * text does not read as a unit list, e.g. `(2020年)` or `(涉密涉敏事项除外)`. One bracket may hold
 * several labels (`牵头单位:A;配合单位:B、C`): each part is parsed on its own and merged.
 */
export function parseResponsibility(content: string, opts: { requireUnitsOnly?: boolean } = {}): Responsibility | null {
  const parts = content.split(INNER_LABEL_RE);
  let merged: Responsibility | null = null;
  let deadlineText: string | null = null;
  for (const part of parts) {
    const deadline = DEADLINE_LABEL_RE.exec(part.trim());
    if (deadline) {
      deadlineText = part.trim().slice(deadline[0].length).replace(/[。;,]+$/, '') || null;
      continue;
    }
    const r = parseUnitList(part, opts);
    if (r) merged = mergeResponsibility(merged, r);
  }
  if (merged && deadlineText) merged.deadlineText = deadlineText;
  return merged;
}

function parseUnitList(content: string, opts: { requireUnitsOnly?: boolean }): Responsibility | null {
  let text = content.trim();
  let labelled = false;
  let labelLeads = false;
  let labelCo = false;
  const label = LABEL_RE.exec(text);
  if (label) {
    labelled = true;
    labelLeads = LEAD_LABEL_RE.test(label[1] ?? '');
    labelCo = CO_LABEL_RE.test(label[1] ?? '');
    text = text.slice(label[0].length);
  }
  // A rule sentence may follow the list: `…区综合行政执法局。列第一位的为牵头单位,下同`
  const sentences = splitTopLevel(text, '。;').map((s) => s.trim()).filter(Boolean);
  let statesFirstLeads = false;
  let ruleCarriesOver = false;
  const listParts: string[] = [];
  for (const s of sentences) {
    if (RULE_RE.test(s)) {
      statesFirstLeads = true;
      ruleCarriesOver = ruleCarriesOver || CARRIES_OVER_RE.test(s);
    } else {
      listParts.push(s);
    }
  }
  // Spaces separate units too where each side reads as a unit: a Word cell with one unit per line.
  const rawPieces = splitTopLevel(listParts.join(','), '、,')
    .map((p) => p.trim())
    .flatMap((p) => {
      if (!/\s/.test(p)) return [p];
      const words = p.split(/\s+/);
      return words.length > 1 && words.every((w) => looksLikeUnit(stripQualifier(w).rest)) ? words : [p];
    });
  // Re-join shared heads: `各县、区人民政府(管委会)` is one unit.
  const joined: string[] = [];
  for (let i = 0; i < rawPieces.length; i++) {
    let p = rawPieces[i] ?? '';
    while (isSharedHead(p) && i + 1 < rawPieces.length) {
      i++;
      p = `${p}、${rawPieces[i] ?? ''}`;
    }
    if (p) joined.push(p);
  }
  if (joined.length === 0) return null;

  let qualifier: string | null = null;
  let deadlineText: string | null = null;
  const pieces: Piece[] = [];
  let pendingStart = 0;
  let anyMark = false;
  for (const raw of joined) {
    let p = raw.replace(/\s+/g, '');
    // A completion time among the units: `区司法局,2021年6月底前完成`.
    if (/[\d年季底]|长期|持续|常态/.test(p) && isDeadlineCell(p)) {
      deadlineText = p;
      continue;
    }
    let marked = /^[★☆*]/.test(p);
    p = p.replace(/^[★☆*]+/, '');
    const q = stripQualifier(p);
    if (q.qualifier) qualifier = q.qualifier;
    p = q.rest;
    if (OWN_LEAD_RE.test(p)) {
      marked = true;
      p = p.replace(OWN_LEAD_RE, '');
    }
    anyMark = anyMark || marked;
    let role: Piece['role'] = null;
    const mark = ROLE_MARK_RE.exec(p);
    if (mark && mark.index >= 2) {
      role = mark[1] ? 'lead' : mark[2] ? 'co' : 'resp';
      p = p.slice(0, mark.index);
    }
    // `市级各有关部门及各县市区政府`, `区司法局和区财政局`: 及/和/与 join two units when both halves read
    // as units (and so never split `区发展和改革局`, whose halves do not).
    const names = splitJoinedUnits(p);
    for (const n of names) {
      for (const g of splitGluedUnits(n)) {
        pieces.push({ name: normalizeUnitName(g), lead: marked && g === names[0], role: null });
      }
    }
    // A role word at the end of a run covers every unit since the previous one: `A、B牵头,C参与`.
    if (role) {
      for (const piece of pieces.slice(pendingStart)) piece.role = role;
      pendingStart = pieces.length;
    }
  }
  // `负责` names the lead beside helpers (`A负责,B配合`), a helper beside a lead (`A牵头,B负责`),
  // and nothing on its own (`A、B负责`).
  const hasLead = pieces.some((p) => p.role === 'lead');
  const hasCo = pieces.some((p) => p.role === 'co');
  for (const p of pieces) if (p.role === 'resp') p.role = hasLead ? 'co' : hasCo ? 'lead' : null;
  const hasRoleMarks = pieces.some((p) => p.role !== null);

  const units: string[] = [];
  const rejected: string[] = [];
  for (const p of pieces) {
    p.name = p.name.replace(/[。.]+$/, '');
    // A single character (`区` where a copy was cut mid-name) is never a unit, nor is a fragment that
    // starts with a number, holds a year or a label (`2021版台账`, `备注:…`): reported, not stored.
    // Digits inside a name are fine: `区12345热线办公室`.
    if (p.name.length < 2) continue;
    if (labelled && /^\d|\d{4}年|:/.test(p.name)) {
      rejected.push(p.name);
      continue;
    }
    if (!units.includes(p.name)) units.push(p.name);
  }
  if (units.length === 0) return null;
  const allUnits = units.every((u) => looksLikeUnit(u));
  if (!labelled && !hasRoleMarks && !allUnits) return null;
  if (opts.requireUnitsOnly && !allUnits) return null;
  if (!labelled && !allUnits && hasRoleMarks && !units.some((u) => looksLikeUnit(u))) return null;

  let explicitLeads: string[] | null = null;
  if (labelLeads) explicitLeads = [...units];
  else if (hasRoleMarks) explicitLeads = pieces.filter((p) => p.role === 'lead').map((p) => p.name);
  else if (anyMark) explicitLeads = pieces.filter((p) => p.lead).map((p) => p.name);
  if (explicitLeads) explicitLeads = [...new Set(explicitLeads)].filter((u) => units.includes(u));

  return {
    units,
    explicitLeads,
    qualifier,
    statesFirstLeads,
    ruleCarriesOver,
    coUnits: labelCo ? [...units] : [],
    deadlineText,
    rejected,
  };
}

/**
 * Leads of a glued run such as `市行政审批局市司法局市级相关单位` from a table whose 牵头单位 and
 * 责任单位 columns lost their separator: the specific units at the head of the run.
 */
export function leadsOfGluedHead(units: string[]): string[] {
  const leads: string[] = [];
  for (const u of units) {
    if (isCollectiveName(u)) break;
    leads.push(u);
  }
  return leads.length === units.length ? leads.slice(0, 1) : leads;
}
