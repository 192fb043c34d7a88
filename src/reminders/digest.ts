/**
 * The due-day digest (报送情况汇总) for the leaders: who has reported this cycle, who in part, who not at all.
 * Sent on the due day at DIGEST_AT even when nobody reported. Pure: the caller gives the duties and reports.
 */
import type { Destination } from '../channels/channel';
import type { Cycle } from '../schedule/cycle';
import { cycleSpan } from '../schedule/cycle';
import type { OutboxDraft, ReportState } from '../store/store';
import { reminderGroupKey } from './build-reminders';
import { dueDateText, plainText } from './reminder-text';
import { splitIntoParts } from './split-parts';
import type { UnitDuty } from './unit-duties';
import { monthDay } from '../calendar/civil-date';

export interface DigestInput {
  cycle: Cycle;
  /** The units it sums up, in plan order, with their duties under this cycle's rule. */
  units: ReadonlyMap<string, readonly UnitDuty[]>;
  states: readonly ReportState[];
  /** `2025-09-30 17:30`: when the figures were taken (in TIMEZONE). */
  asOf: string;
  /** The day it fires (part of its key). */
  date: string;
  destination: Destination;
  channel: { name: string; maxMarkdownBytes: number };
}

export interface UnitStanding {
  unit: string;
  /** Tasks reported this cycle or done for good, of all the unit's tasks in this cycle. */
  accounted: number;
  total: number;
}

/** Each unit's standing: how many of its tasks are accounted for in the cycle. */
export function standings(units: ReadonlyMap<string, readonly UnitDuty[]>, states: readonly ReportState[]): UnitStanding[] {
  const ok = new Set(states.filter((s) => s.reportedInCycle || s.latestStatus === 'done').map((s) => `${s.taskId}|${s.unit}`));
  return [...units].map(([unit, duties]) => ({
    unit,
    accounted: duties.filter((d) => ok.has(`${d.taskId}|${unit}`)).length,
    total: duties.length,
  }));
}

/** Names, twenty to a paragraph: a long list still splits into parts that fit the channel. */
function nameLines(names: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < names.length; i += 20) out.push(names.slice(i, i + 20).join('、'));
  return out;
}

export function digestDraft(input: DigestInput): OutboxDraft {
  const { cycle } = input;
  const all = standings(input.units, input.states);
  const done = all.filter((s) => s.accounted === s.total);
  const partly = all.filter((s) => s.accounted > 0 && s.accounted < s.total);
  const none = all.filter((s) => s.accounted === 0 && s.total > 0);
  const [date = '', time = ''] = input.asOf.split(' ');
  const header = [
    `#### 督办汇总：${cycle.label}工作进度报送情况`,
    `**报送周期**：${cycle.label}（${cycleSpan(cycle)}）`,
    `**截止时间**：${dueDateText(cycle.due)}`,
    `截至${monthDay(date)} ${time}，应报送单位 ${all.length} 个：已报送 ${done.length} 个，部分报送 ${partly.length} 个，未报送 ${none.length} 个。`,
  ].join('\n\n');
  const block = (title: string, names: string[]) => (names.length ? [[`**${title}（${names.length}）**`, ...nameLines(names.map(plainText))]] : []);
  const blocks = [
    ...block('未报送', none.map((s) => s.unit)),
    ...block('部分报送', partly.map((s) => `${s.unit}（${s.accounted}/${s.total}）`)),
    ...block('已报送', done.map((s) => s.unit)),
  ];
  const footer = none.length + partly.length
    ? '（未报送完的单位从下一个工作日起收到催办。来自督办机器人）'
    : '（本期各单位均已报送。来自督办机器人）';
  return {
    groupKey: reminderGroupKey('digest', cycle.id, '', input.channel.name, input.date),
    channel: input.channel.name,
    kind: 'digest',
    cycle: cycle.id,
    unit: null,
    destination: input.destination,
    title: `督办汇总：${cycle.label}报送情况`,
    parts: splitIntoParts({ header, blocks, footer }, input.channel.maxMarkdownBytes),
  };
}
