/**
 * The 通报 for the leaders' group at the close of a cycle: how the reporting went (who reported on time, who late,
 * who not at all and how many working days overdue), the plan's tasks by colour, the tasks at red and why, and
 * the difficulties reported. Formal wording a government office forwards as it is, in DingTalk's markdown subset
 * (headings, bold, `- ` lists, paragraphs separated by blank lines; no tables). Text from the plan and the
 * reports is escaped (plainText) and shortened; long lists are cut so the whole stays under 12,000 bytes.
 */
import { STATUS_LABELS } from '../bot/reply-text';
import { chineseDate, dateTimeInZone, monthDay, type CivilDate } from '../calendar/civil-date';
import { plainText, shorten } from '../reminders/reminder-text';
import { utf8Bytes } from '../reminders/split-parts';
import type { ReportStatus } from '../store/store';
import { cycleRecords, type CycleRecord, type UnitRecord } from './cycle-record';
import type { LightCounts } from './light';
import type { StatusBoard } from './roll-up';
import type { AssignmentStatus, StatusView } from './status-view';
import { taskVerdict } from './task-verdict';

export type BulletinCycle = 'previous' | 'active';

export interface Bulletin {
  /** `关于2025年9月秀洲区法治政府建设工作要点落实情况的通报`. */
  title: string;
  markdown: string;
}

/** DingTalk takes 20,000 bytes of markdown; the 通报 stays well under, like the bot's answers. */
export const MAX_BULLETIN_BYTES = 12_000;

const SECTION_NUMBERS = ['一', '二', '三', '四', '五', '六', '七', '八'];

/** How many entries a list shows before it is cut, tried in turn until the 通报 fits. */
const LIST_CAPS = [60, 30, 15, 8, 4, 2];

/** `关于2025年9月秀洲区法治政府建设工作要点落实情况的通报`: the plan's title without its year. */
export function bulletinTitle(planTitles: readonly string[], cycleLabel: string): string {
  const subject = planTitles.length === 1 ? shorten((planTitles[0] ?? '').replace(/^\s*\d{4}\s*年度?/, '').trim(), 40) : '各项工作要点';
  return `关于${cycleLabel}${subject || '工作要点'}落实情况的通报`;
}

function percentText(part: number, whole: number): string {
  return `${(Math.round((part / whole) * 1000) / 10).toFixed(1).replace(/\.0$/, '')}%`;
}

function lightsText(c: LightCounts): string {
  return `红灯 ${c.red} 项、黄灯 ${c.yellow} 项、绿灯 ${c.green} 项`;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').replace(/([，。；：！？、]) /g, '$1').trim();
}

/** `区司法局、区财政局` or, past `cap`, `区司法局、区财政局等 12 个单位`. */
function names(list: readonly string[], cap: number): string {
  const shown = list.slice(0, cap).map(plainText).join('、');
  return list.length > cap ? `${shown}等 ${list.length} 个单位` : shown;
}

/** Bullets, cut past `cap` with a line saying how many more there are. */
function bullets(lines: readonly string[], cap: number, more: (n: number) => string): string[] {
  return lines.length > cap ? [...lines.slice(0, cap), `- ……${more(lines.length)}`] : [...lines];
}

/** Where each assignment stands now, by the words units report in. */
function progressCounts(board: StatusBoard): string {
  const counts: Record<ReportStatus | 'missing', number> = { done: 0, in_progress: 0, blocked: 0, not_started: 0, missing: 0 };
  for (const a of board.assignments) counts[a.done ? 'done' : (a.standing?.status ?? 'missing')]++;
  const order: ReportStatus[] = ['done', 'in_progress', 'blocked', 'not_started'];
  return `${order.map((s) => `${STATUS_LABELS[s]} ${counts[s]} 项`).join('，')}，未报送 ${counts.missing} 项`;
}

interface Facts {
  view: StatusView;
  board: StatusBoard;
  record: CycleRecord;
  /** The cycle's due date has passed: units not reported are overdue. */
  closed: boolean;
  workdaysLate: (from: CivilDate, to: CivilDate) => number;
}

function overviewSection(f: Facts): string[] {
  const { record, board, closed } = f;
  const owing = record.units.filter((u) => u.expected > 0);
  const reporting = record.expected
    ? `本期应报送 ${owing.length} 个单位、${record.expected} 项分工，已报送 ${record.reported} 项，报送率 ${percentText(record.reported, record.expected)}` +
      (closed ? `；其中按时报送 ${record.onTime} 项，按时报送率 ${percentText(record.onTime, record.expected)}。` : '。')
    : '本期各项分工均已完成，无需报送。';
  return [
    reporting,
    `工作要点共 ${board.tasks.length} 项任务，按牵头单位报送情况计，${lightsText(board.totals.tasks)}；共 ${board.assignments.length} 项分工，${lightsText(board.totals.assignments)}。`,
    `各项分工目前进展：${progressCounts(board)}。`,
    '（红灯：逾期未报送或已过计划时限；黄灯：有困难、临近报送截止或临近计划时限；绿灯：已完成或按期报送。）',
    ...(board.mixed ? ['部分事项按单独设置的周期报送，未计入以上报送统计。'] : []),
  ];
}

function lateLine(u: UnitRecord, f: Facts): string {
  const day = u.lastFirstReport ?? f.record.cycle.due;
  return `- ${plainText(u.unit)}：${monthDay(day)}补报，逾期 ${f.workdaysLate(f.record.cycle.due, day)} 个工作日`;
}

function missingLine(u: UnitRecord, f: Facts): string {
  const missing = u.expected - u.reported;
  const what = u.reported === 0 ? `${u.expected} 项分工均未报送` : `${u.expected} 项分工中 ${missing} 项未报送`;
  return `- ${plainText(u.unit)}：${what}${f.closed ? `，已逾期 ${f.workdaysLate(f.record.cycle.due, f.view.today)} 个工作日` : ''}`;
}

function redLines(board: StatusBoard): string[] {
  return board.tasks
    .filter((t) => t.light === 'red')
    .map((t) => {
      const leads = t.leads.map((a) => a.unit);
      const who = leads.length === 0 ? '' : `（牵头：${leads.length > 2 ? `${plainText(leads[0] ?? '')}等 ${leads.length} 个单位` : leads.map(plainText).join('、')}）`;
      return `- **${t.key}** ${plainText(shorten(oneLine(t.text), 30))}${who}：${plainText(taskVerdict(t).reason)}`;
    });
}

function blockedLines(board: StatusBoard): string[] {
  const line = (a: AssignmentStatus) => {
    const text = oneLine(a.standing?.text ?? '');
    return `- **${a.duty.taskKey}** ${plainText(a.unit)}（${a.duty.role === 'lead' ? '牵头' : '配合'}）：${text ? plainText(shorten(text, 60)) : '报告有困难，未说明原因'}`;
  };
  return board.assignments.filter((a) => !a.done && a.standing?.status === 'blocked').map(line);
}

function closingText(overdue: boolean, red: boolean, blocked: boolean): string {
  const asks = [
    ...(overdue ? ['请逾期未报送的单位抓紧补报'] : []),
    ...(red ? ['红灯事项的牵头单位要加快推进，确保按计划时限完成'] : []),
    ...(blocked ? ['有困难的事项请牵头单位会同配合单位研究解决，需要协调的及时报告'] : []),
  ];
  return asks.length ? `${asks.join('；')}。` : '请各单位继续按时报送工作进展，确保各项任务按计划推进。';
}

function render(f: Facts, title: string, cap: number): string {
  const { record, closed, board, view } = f;
  const cycle = record.cycle;
  const [, time = ''] = dateTimeInZone(view.now, view.deps.config.TIMEZONE).split(' ');
  const owing = record.units.filter((u) => u.expected > 0);
  const complete = owing.filter((u) => (closed ? u.onTime : u.reported) === u.expected);
  const late = closed ? owing.filter((u) => u.reported === u.expected && u.onTime < u.expected) : [];
  // Worst first: the most left unreported, then the plan's order of units.
  const missing = owing.filter((u) => u.reported < u.expected).sort((a, b) => b.expected - b.reported - (a.expected - a.reported));
  const red = redLines(board);
  const blocked = blockedLines(board);
  const sections: [string, string[]][] = [
    ['总体情况', overviewSection(f)],
    [`${closed ? '按时报送' : '已报齐'}的单位（${complete.length} 个）`, [complete.length ? `${names(complete.map((u) => u.unit), cap * 2)}。` : '无。']],
    ...(late.length ? [[`逾期补报的单位（${late.length} 个）`, bullets(late.map((u) => lateLine(u, f)), cap, (n) => `等 ${n} 个单位`)] as [string, string[]]] : []),
    [
      closed ? `逾期未报送的单位（${missing.length} 个）` : `尚未报送的单位（${missing.length} 个，${monthDay(cycle.due)}截止）`,
      missing.length ? bullets(missing.map((u) => missingLine(u, f)), cap, (n) => `等 ${n} 个单位`) : ['无。'],
    ],
    [`红灯事项（${red.length} 项）`, red.length ? bullets(red, cap, (n) => `共 ${n} 项，其余详见台账`) : ['无。']],
    [`有困难的事项（${blocked.length} 项）`, blocked.length ? bullets(blocked, cap, (n) => `共 ${n} 项，其余详见台账`) : ['无。']],
  ];
  const paragraphs = [
    `#### ${plainText(title)}`,
    `截至${chineseDate(view.today)} ${time}，${cycle.label}工作进展报送${closed ? `已于${monthDay(cycle.due)}截止` : `将于${monthDay(cycle.due)}截止`}。现将各单位报送和任务落实情况通报如下。`,
    ...sections.flatMap(([heading, body], i) => [`**${SECTION_NUMBERS[i]}、${heading}**`, ...body]),
    closingText(closed && missing.length > 0, red.length > 0, blocked.length > 0),
  ];
  return paragraphs.join('\n\n');
}

/**
 * The 通报 for the cycle that most recently closed (`previous`, the default), or for the active one so far. Counts
 * of reports are those of the board's main reporting rule (cycle-record.ts); colours are today's.
 */
export function bulletin(view: StatusView, cycle: BulletinCycle = 'previous'): Bulletin {
  const board = view.board();
  const records = cycleRecords(view, 2);
  const record = cycle === 'previous' ? records[0] : records[1];
  if (!record) return { title: '督办通报', markdown: '#### 督办通报\n\n计划中目前没有需要报送进展的任务。' };
  const calendar = view.deps.calendar;
  const facts: Facts = {
    view,
    board,
    record,
    closed: record.cycle.due < view.today,
    workdaysLate: (from, to) => (to <= from ? 0 : calendar.workdaysBetween(from, to)),
  };
  const title = bulletinTitle(view.plans.map((p) => p.title), record.cycle.label);
  let markdown = '';
  for (const cap of LIST_CAPS) {
    markdown = render(facts, title, cap);
    if (utf8Bytes(markdown) <= MAX_BULLETIN_BYTES) break;
  }
  return { title, markdown };
}
