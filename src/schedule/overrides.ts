/**
 * `SCHEDULE_OVERRIDES`: report cycles that differ from the default, by item or by unit, in one line an admin
 * can write by hand:
 *
 *     第3项=每周五；区司法局=每月20日；第7项=每季度10日
 *
 * Entries are separated by `;`, `；` or new lines; target and rule by `=`, `:` or `：`. A target is an item
 * (`第3项`, `第三项`) or a unit (its name or an alias). A rule is `每周一`…`每周日` (or `每周1`…`每周7`),
 * `每月N日`, `每季度N日` (day of the quarter's last month), or the plain words `每周` / `每月` / `每季度` for the
 * default due day; `weekly:5`, `monthly:20`, `quarterly:10` are accepted too.
 * Precedence: an item's rule beats a unit's, which beats the default. Pure: unit names are resolved later.
 */
import { DEFAULT_DUE_DAYS, type CycleKind, type CycleRule } from './cycle';

export type OverrideTarget = { item: number } | { unit: string };

export interface ScheduleOverride {
  target: OverrideTarget;
  rule: CycleRule;
  /** The entry as written, for messages. */
  text: string;
}

export class OverrideSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OverrideSyntaxError';
  }
}

const DIGITS = '零一二三四五六七八九';

/** `3`, `３`, `三`, `十二`, `二十一` → number; null when it is not a number. */
export function readNumber(raw: string): number | null {
  const s = raw.replace(/[０-９]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).trim();
  if (/^\d+$/.test(s)) return Number(s);
  const m = /^([一二三四五六七八九]?)(十?)([一二三四五六七八九]?)$/.exec(s);
  if (!m || s === '') return null;
  const [, tens = '', ten = '', ones = ''] = m;
  if (!ten) return tens && !ones ? DIGITS.indexOf(tens) : null;
  return (tens ? DIGITS.indexOf(tens) : 1) * 10 + (ones ? DIGITS.indexOf(ones) : 0);
}

const WEEKDAY_CHARS: Record<string, number> = { 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 日: 7, 天: 7 };
const KIND_WORDS: Record<string, CycleKind> = { 每周: 'weekly', 每月: 'monthly', 每季度: 'quarterly', 每季: 'quarterly' };
const MAX_DAY: Record<CycleKind, number> = { weekly: 7, monthly: 31, quarterly: 31 };

const RULE_EXAMPLE = '每周五、每月20日、每季度10日（或 weekly:5、monthly:20、quarterly:10）';

/** Reads one rule; null when it is not one. */
export function parseCycleRule(raw: string): CycleRule | null {
  const s = raw.replace(/\s+/g, '');
  const english = /^(weekly|monthly|quarterly)(?:[:/](\d{1,2}))?$/i.exec(s);
  if (english) {
    const kind = (english[1] ?? '').toLowerCase() as CycleKind;
    return ruleOf(kind, english[2] === undefined ? null : Number(english[2]));
  }
  const chinese = /^(每周|每月|每季度|每季)(?:末月)?(.*)$/.exec(s);
  if (!chinese) return null;
  const kind = KIND_WORDS[chinese[1] ?? ''] as CycleKind;
  const rest = (chinese[2] ?? '').replace(/^(星期|周)/, '');
  if (rest === '') return ruleOf(kind, null);
  if (kind === 'weekly') {
    const day = WEEKDAY_CHARS[rest] ?? (/^[1-7]$/.test(rest) ? Number(rest) : null);
    return day === null ? null : ruleOf(kind, day);
  }
  const day = /^(.+?)[日号]?$/.exec(rest);
  const n = day ? readNumber(day[1] ?? '') : null;
  return n === null ? null : ruleOf(kind, n);
}

function ruleOf(kind: CycleKind, day: number | null): CycleRule | null {
  const dueDay = day ?? DEFAULT_DUE_DAYS[kind];
  return dueDay >= 1 && dueDay <= MAX_DAY[kind] ? { kind, dueDay } : null;
}

function parseTarget(raw: string): OverrideTarget | null {
  const s = raw.trim();
  const item = /^第(.+)项$/.exec(s);
  if (item) {
    const n = readNumber(item[1] ?? '');
    return n !== null && n > 0 ? { item: n } : null;
  }
  return s === '' ? null : { unit: s };
}

/**
 * Parses the whole setting.
 * @throws OverrideSyntaxError with a Chinese message naming the entry and what was expected.
 */
export function parseOverrides(text: string): ScheduleOverride[] {
  const out: ScheduleOverride[] = [];
  const seen = new Map<string, string>();
  for (const entry of text.split(/[;；\n]+/).map((e) => e.trim()).filter(Boolean)) {
    const m = /^(.+?)\s*[=:：]\s*(.+)$/.exec(entry);
    if (!m) throw new OverrideSyntaxError(`“${entry}”缺少“=”：应写成“对象=周期”，例如 第3项=每周五 或 区司法局=每月20日`);
    const target = parseTarget(m[1] ?? '');
    if (!target) throw new OverrideSyntaxError(`“${entry}”中的“${m[1]}”不是事项或单位：事项写 第3项，单位写单位名称`);
    const rule = parseCycleRule(m[2] ?? '');
    if (!rule) throw new OverrideSyntaxError(`“${entry}”中的“${m[2]}”不是报送周期，可写 ${RULE_EXAMPLE}`);
    const key = 'item' in target ? `item:${target.item}` : `unit:${target.unit}`;
    const earlier = seen.get(key);
    if (earlier) throw new OverrideSyntaxError(`“${earlier}”和“${entry}”重复设置了同一个${'item' in target ? '事项' : '单位'}，只保留一个`);
    seen.set(key, entry);
    out.push({ target, rule, text: entry });
  }
  return out;
}

/** `每周五`, `每月20日`, `每季度末月10日`: a rule as the README and the messages write it. */
export function describeRule(rule: CycleRule): string {
  if (rule.kind === 'weekly') return `每周${'一二三四五六日'[rule.dueDay - 1] ?? rule.dueDay}`;
  if (rule.kind === 'monthly') return `每月${rule.dueDay}日`;
  return `每季度末月${rule.dueDay}日`;
}

/** A rule as a short key: `monthly:25`. */
export function ruleKey(rule: CycleRule): string {
  return `${rule.kind}:${rule.dueDay}`;
}

/**
 * The rule an assignment follows: the item's override, else the unit's, else the default. `unit` is the
 * canonical name; unit overrides must already be resolved to canonical names.
 */
export function ruleFor(overrides: readonly ScheduleOverride[], fallback: CycleRule, itemNumber: number, unit: string): CycleRule {
  let byUnit: CycleRule | null = null;
  for (const o of overrides) {
    if ('item' in o.target && o.target.item === itemNumber) return o.rule;
    if ('unit' in o.target && o.target.unit === unit) byUnit = o.rule;
  }
  return byUnit ?? fallback;
}
