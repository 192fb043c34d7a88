/**
 * A responsibility annotation (`责任单位:区司法局、区市场监管局。列第一位的为牵头单位,下同`,
 * `市政府办公室牵头,市级各有关部门按职责分工负责`) parsed into units, leads and a qualifier.
 * Pure functions; the simplified and traditional spellings of the key words are both understood.
 */
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
}

/** Labels that introduce a unit list: `责任单位:`, `责任部门:`, `牵头单位:`, … */
export const LABEL_RE =
  /^(责任单位|責任單位|责任部门|責任部門|牵头单位|牽頭單位|牵头部门|牽頭部門|主办单位|主辦單位|主责单位|配合单位|配合單位|协办单位|協辦單位|参与单位|參與單位)\s*[:]\s*/;

const LEAD_LABEL_RE = /^(牵头|牽頭|主办|主辦|主责)/;

const RULE_RE = /列第[一1]位的?为牵头单位|列第[一1]位的?為牽頭單位|排名第一的为牵头单位|第一个单位为牵头单位/;
const CARRIES_OVER_RE = /下同/;

/** Trailing words that say how the units work, not who they are. Longest first. */
const QUALIFIERS = [
  '按职责分工分别负责', '按職責分工分別負責', '按职责分工分别落实', '按职责分工落实', '按職責分工落實',
  '按职责分工负责', '按職責分工負責', '按职责分别负责', '按職責分別負責', '按职责负责', '按職責負責',
  '分别负责', '分別負責', '共同负责', '共同負責', '配合落实', '配合落實', '负责落实', '負責落實', '等',
];

const LEAD_MARK_RE = /(牵头|牽頭|负责牵头|負責牽頭)$/;
const CO_MARK_RE = /(参与|參與|配合|协助|協助|协办|協辦|协同|協同)$/;

/** Splits at depth 0 on the given separators, keeping brackets (and units inside them) whole. */
export function splitTopLevel(text: string, separators: RegExp): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of text) {
    if ('(〔[【'.includes(ch)) depth++;
    else if (')〕]】'.includes(ch)) depth = Math.max(0, depth - 1);
    if (depth === 0 && separators.test(ch)) {
      out.push(cur);
      cur = '';
    } else {
      cur += ch;
    }
  }
  out.push(cur);
  return out;
}

/** `各县`, `各区`: the shared head of `各县、区人民政府(管委会)`, not a unit on its own. */
function isSharedHead(piece: string): boolean {
  return /^各[省市区县镇乡]{1,2}$/.test(piece) || /^[省市区县]$/.test(piece);
}

interface Piece {
  name: string;
  lead: boolean;
  role: 'lead' | 'co' | null;
  gluedRun: number;
}

function stripQualifier(piece: string): { rest: string; qualifier: string | null } {
  for (const q of QUALIFIERS) {
    if (piece.endsWith(q) && piece.length > q.length) {
      return { rest: piece.slice(0, -q.length), qualifier: q };
    }
  }
  return { rest: piece, qualifier: null };
}

/**
 * Parses a unit list (the text after a label, or a whole bracket's content). Returns null when the
 * text does not read as a unit list, e.g. `(2020年)` or `(涉密涉敏事项除外)`.
 */
export function parseResponsibility(content: string, opts: { requireUnitsOnly?: boolean } = {}): Responsibility | null {
  let text = content.trim();
  let labelled = false;
  let labelLeads = false;
  const label = LABEL_RE.exec(text);
  if (label) {
    labelled = true;
    labelLeads = LEAD_LABEL_RE.test(label[1] ?? '');
    text = text.slice(label[0].length);
  }
  // A rule sentence may follow the list: `…区综合行政执法局。列第一位的为牵头单位,下同`
  const sentences = splitTopLevel(text, /[。;]/).map((s) => s.trim()).filter(Boolean);
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
  const rawPieces = splitTopLevel(listParts.join(','), /[、,]/).map((p) => p.trim());
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
  const pieces: Piece[] = [];
  let hasRoleMarks = false;
  let pendingStart = 0;
  let anyStar = false;
  for (const raw of joined) {
    let p = raw.replace(/\s+/g, '');
    const star = /^[★☆*]/.test(p);
    anyStar = anyStar || star;
    p = p.replace(/^[★☆*]+/, '');
    const q = stripQualifier(p);
    if (q.qualifier) qualifier = q.qualifier;
    p = q.rest;
    let role: 'lead' | 'co' | null = null;
    if (LEAD_MARK_RE.test(p) && p.replace(LEAD_MARK_RE, '').length >= 2) {
      role = 'lead';
      p = p.replace(LEAD_MARK_RE, '');
    } else if (CO_MARK_RE.test(p) && p.replace(CO_MARK_RE, '').length >= 2) {
      role = 'co';
      p = p.replace(CO_MARK_RE, '');
    }
    // `市级各有关部门及各县市区政府`: `及` joins two units when both halves read as units.
    const halves = p.split(/及|以及/);
    const names = halves.length > 1 && halves.every((h) => looksLikeUnit(h)) ? halves : [p];
    const runId = pieces.length;
    for (const n of names) {
      for (const g of splitGluedUnits(n)) {
        pieces.push({ name: normalizeUnitName(g), lead: star && g === names[0], role: null, gluedRun: runId });
      }
    }
    if (role) {
      hasRoleMarks = true;
      for (let k = pendingStart; k < pieces.length; k++) {
        const piece = pieces[k];
        if (piece) piece.role = role;
      }
      pendingStart = pieces.length;
    }
  }
  const units: string[] = [];
  for (const p of pieces) {
    const name = p.name.replace(/[。.]+$/, '');
    // A single character (`区` where a copy was cut mid-name) is never a unit.
    if (name.length >= 2 && !units.includes(name)) units.push(name);
  }
  if (units.length === 0) return null;
  const allUnits = units.every((u) => looksLikeUnit(u));
  if (!labelled && !hasRoleMarks && !allUnits) return null;
  if (opts.requireUnitsOnly && !allUnits) return null;
  if (!labelled && !allUnits && hasRoleMarks && !units.some((u) => looksLikeUnit(u))) return null;

  let explicitLeads: string[] | null = null;
  if (labelLeads) explicitLeads = [...units];
  else if (hasRoleMarks) explicitLeads = pieces.filter((p) => p.role === 'lead').map((p) => p.name);
  else if (anyStar) explicitLeads = pieces.filter((p) => p.lead).map((p) => p.name);
  if (explicitLeads) explicitLeads = [...new Set(explicitLeads)].filter((u) => units.includes(u));

  return { units, explicitLeads, qualifier, statesFirstLeads, ruleCarriesOver };
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
