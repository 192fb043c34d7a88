/**
 * The chat command parser over messages as district office staff write them: reports (one line or several,
 * full-width digits, Chinese numerals, percentages, stray spaces, leading @mentions), questions, commands and
 * what it refuses. Plus properties: it never throws, and a report's lines are lines of the message.
 */
import fc from 'fast-check';
import type { Command, ReportEntry, TaskRef } from '../../src/bot/command';
import { MAX_LINES, parseCommand, parseCommandUnguarded } from '../../src/bot/parse-command';
import type { ReportStatus } from '../../src/store/report-store';
import { fuzzLabel, fuzzParams } from '../helpers/fuzz';

/** The seed plan's units with their aliases from data/units.yaml, as the bot hands them to the parser. */
const UNIT_NAMES: readonly string[] = [
  '区司法局',
  '司法局',
  '区市场监管局',
  '市场监管局',
  '区市场监督管理局',
  '区综合行政执法局',
  '综合行政执法局',
  '区综合执法局',
  '区政务数据办',
  '政务数据办',
  '区政务服务和数据资源管理办公室',
  '区发展和改革局',
  '区发改局',
  '发改局',
  '区住建局',
  '住建局',
  '区住房和城乡建设局',
  '区经济信息商务局',
  '区经信商务局',
  '经济信息商务局',
  '区财政局',
  '财政局',
  '区政府办公室',
  '区府办',
  '区政府办',
  '秀洲国家高新区管委会',
  '王江泾镇',
  '新城街道',
];

const parse = (text: string): Command => parseCommand(text, { unitNames: UNIT_NAMES });

const ref = (item: number, task?: number): TaskRef => (task === undefined ? { item } : { item, task });

/** An entry whose `line` is the message itself (trimmed), as for every one-line report. */
function e(line: string, r: TaskRef, status: ReportStatus | null, percent: number | null, text: string): ReportEntry {
  return { ref: r, status, percent, text, line: line.trim() };
}

/** A one-line report with a single entry. */
function one(line: string, r: TaskRef, status: ReportStatus | null, percent: number | null, text: string, unit: string | null = null): Command {
  return { kind: 'report', unit, entries: [e(line, r, status, percent, text)] };
}

function report(unit: string | null, ...entries: ReportEntry[]): Command {
  return { kind: 'report', unit, entries };
}

function unknown(text: string, hint: string | null | ReturnType<typeof expect.stringContaining>): Command {
  return { kind: 'unknown', text: text.trim(), hint } as Command;
}

const unitQ = (unit: string, question: 'status' | 'missing' = 'status'): Command => ({ kind: 'unit', unit, question });
const hinted = (part: string) => expect.stringContaining(part);

type Case = [string, Command];

const ONE_LINE_REPORTS: Case[] = [
  ['1.2 推进中 已起草实施方案，下周报审', one('1.2 推进中 已起草实施方案，下周报审', ref(1, 2), 'in_progress', null, '已起草实施方案，下周报审')],
  ['区市场监管局 4.3 已完成 负面清单已公布', one('区市场监管局 4.3 已完成 负面清单已公布', ref(4, 3), 'done', null, '负面清单已公布', '区市场监管局')],
  ['3 推进中 已完成目录清理', one('3 推进中 已完成目录清理', ref(3), 'in_progress', null, '已完成目录清理')],
  ['3.2 已完成', one('3.2 已完成', ref(3, 2), 'done', null, '')],
  ['第三项 完成 80%', one('第三项 完成 80%', ref(3), 'in_progress', 80, '')],
  ['３．２ 有困难 需要协调经费', one('３．２ 有困难 需要协调经费', ref(3, 2), 'blocked', null, '需要协调经费')],
  ['2.1 已办结', one('2.1 已办结', ref(2, 1), 'done', null, '')],
  ['2.2 办结', one('2.2 办结', ref(2, 2), 'done', null, '')],
  ['4.3 已完成了', one('4.3 已完成了', ref(4, 3), 'done', null, '')],
  ['3 完成了目录清理', one('3 完成了目录清理', ref(3), 'done', null, '目录清理')],
  ['5.1 进行中 已接入政务服务2.0平台事项126项', one('5.1 进行中 已接入政务服务2.0平台事项126项', ref(5, 1), 'in_progress', null, '已接入政务服务2.0平台事项126项')],
  ['1.1 正在推进，已召开专题会议2次', one('1.1 正在推进，已召开专题会议2次', ref(1, 1), 'in_progress', null, '已召开专题会议2次')],
  ['1.3 正在进行', one('1.3 正在进行', ref(1, 3), 'in_progress', null, '')],
  ['8.1 在推进 执法事项目录已梳理', one('8.1 在推进 执法事项目录已梳理', ref(8, 1), 'in_progress', null, '执法事项目录已梳理')],
  ['1.2 推进，方案已报区政府', one('1.2 推进，方案已报区政府', ref(1, 2), 'in_progress', null, '方案已报区政府')],
  ['7.2 未启动 待区政府办公室统一部署', one('7.2 未启动 待区政府办公室统一部署', ref(7, 2), 'not_started', null, '待区政府办公室统一部署')],
  ['3.1 未开始', one('3.1 未开始', ref(3, 1), 'not_started', null, '')],
  ['8.2 还没开始', one('8.2 还没开始', ref(8, 2), 'not_started', null, '')],
  ['2.3 尚未启动，计划11月启动', one('2.3 尚未启动，计划11月启动', ref(2, 3), 'not_started', null, '计划11月启动')],
  ['4.2 需协调 涉企事项清单需市场监管局牵头确认', one('4.2 需协调 涉企事项清单需市场监管局牵头确认', ref(4, 2), 'blocked', null, '涉企事项清单需市场监管局牵头确认')],
  ['7.1 需要协调 人员不足', one('7.1 需要协调 人员不足', ref(7, 1), 'blocked', null, '人员不足')],
  ['4.4 存在困难：民营企业平等保护机制需法院配合', one('4.4 存在困难：民营企业平等保护机制需法院配合', ref(4, 4), 'blocked', null, '民营企业平等保护机制需法院配合')],
  ['9.1 遇到困难 需区政府协调', one('9.1 遇到困难 需区政府协调', ref(9, 1), 'blocked', null, '需区政府协调')],
  // Percentages: a done word below 100% is progress; without a status word 100% is done and 0% not started.
  ['6.3 完成80% 培育工程方案已印发', one('6.3 完成80% 培育工程方案已印发', ref(6, 3), 'in_progress', 80, '培育工程方案已印发')],
  ['9.1 百分之六十 目录初稿已形成', one('9.1 百分之六十 目录初稿已形成', ref(9, 1), 'in_progress', 60, '目录初稿已形成')],
  ['8.2 100%', one('8.2 100%', ref(8, 2), 'done', 100, '')],
  ['3.1 已完成 100%', one('3.1 已完成 100%', ref(3, 1), 'done', 100, '')],
  ['4.2 完成 100%', one('4.2 完成 100%', ref(4, 2), 'done', 100, '')],
  ['9.2 0%', one('9.2 0%', ref(9, 2), 'not_started', 0, '')],
  ['3.2 85.5%', one('3.2 85.5%', ref(3, 2), 'in_progress', 86, '')],
  ['4.1 80% 推进中 平台已上线', one('4.1 80% 推进中 平台已上线', ref(4, 1), 'in_progress', 80, '平台已上线')],
  ['4.1 进度80%', one('4.1 进度80%', ref(4, 1), 'in_progress', 80, '')],
  ['第3项 推进中，完成率60%', one('第3项 推进中，完成率60%', ref(3), 'in_progress', 60, '')],
  ['1.3 推进中 已完成全生命周期一件事梳理 70%', one('1.3 推进中 已完成全生命周期一件事梳理 70%', ref(1, 3), 'in_progress', 70, '已完成全生命周期一件事梳理')],
  ['新城街道 2.2 推进中 百分之五十', one('新城街道 2.2 推进中 百分之五十', ref(2, 2), 'in_progress', 50, '', '新城街道')],
  ['王江泾镇 2.2 推进中 镇政务服务中心改造 进度60%', one('王江泾镇 2.2 推进中 镇政务服务中心改造 进度60%', ref(2, 2), 'in_progress', 60, '镇政务服务中心改造', '王江泾镇')],
  // A percentage inside prose is a figure, not the progress; no status word → the bot asks.
  ['5.1 网上受理率达到80%', one('5.1 网上受理率达到80%', ref(5, 1), null, null, '网上受理率达到80%')],
  ['6.2 法律服务网络已覆盖全区各镇街道', one('6.2 法律服务网络已覆盖全区各镇街道', ref(6, 2), null, null, '法律服务网络已覆盖全区各镇街道')],
  // Reference forms.
  ['第3项第2条 推进中', one('第3项第2条 推进中', ref(3, 2), 'in_progress', null, '')],
  ['第三项第二个任务 已完成 目录已公布', one('第三项第二个任务 已完成 目录已公布', ref(3, 2), 'done', null, '目录已公布')],
  ['第十二项 推进中', one('第十二项 推进中', ref(12), 'in_progress', null, '')],
  ['第３项　推进中', one('第３项　推进中', ref(3), 'in_progress', null, '')],
  ['12.3 已完成', one('12.3 已完成', ref(12, 3), 'done', null, '')],
  ['3-2 已完成', one('3-2 已完成', ref(3, 2), 'done', null, '')],
  ['3、2 已完成', one('3、2 已完成', ref(3, 2), 'done', null, '')],
  ['3。2 已完成', one('3。2 已完成', ref(3, 2), 'done', null, '')],
  ['3.2已完成。', one('3.2已完成。', ref(3, 2), 'done', null, '')],
  ['3.2：已办结', one('3.2：已办结', ref(3, 2), 'done', null, '')],
  ['【3.2】已完成', one('【3.2】已完成', ref(3, 2), 'done', null, '')],
  ['- 3.2 已完成', one('- 3.2 已完成', ref(3, 2), 'done', null, '')],
  ['3.2 目前推进中', one('3.2 目前推进中', ref(3, 2), 'in_progress', null, '')],
  ['3.2 现已完成', one('3.2 现已完成', ref(3, 2), 'done', null, '')],
  ['  3.2    已完成   负面清单    已公布  ', one('3.2    已完成   负面清单    已公布', ref(3, 2), 'done', null, '负面清单 已公布')],
  ['３.２　推进中　ｐｐｔ已报审', one('３.２　推进中　ｐｐｔ已报审', ref(3, 2), 'in_progress', null, 'ｐｐｔ已报审')],
  // Several references sharing one status.
  ['3.2、3.3 已完成', report(null, e('3.2、3.3 已完成', ref(3, 2), 'done', null, ''), e('3.2、3.3 已完成', ref(3, 3), 'done', null, ''))],
  ['3、4项 已完成', report(null, e('3、4项 已完成', ref(3), 'done', null, ''), e('3、4项 已完成', ref(4), 'done', null, ''))],
  ['第3项、第5项 推进中', report(null, e('第3项、第5项 推进中', ref(3), 'in_progress', null, ''), e('第3项、第5项 推进中', ref(5), 'in_progress', null, ''))],
  // Mentions and units (names and aliases, as written).
  ['@督办机器人 3.2 已完成', one('@督办机器人 3.2 已完成', ref(3, 2), 'done', null, '')],
  ['@督办机器人\u2005 6.2 推进中 法律服务网络建设中', one('@督办机器人\u2005 6.2 推进中 法律服务网络建设中', ref(6, 2), 'in_progress', null, '法律服务网络建设中')],
  ['司法局：3.2 已完成', one('司法局：3.2 已完成', ref(3, 2), 'done', null, '', '司法局')],
  ['区司法局 3 推进中 涉疫纠纷已化解12件', one('区司法局 3 推进中 涉疫纠纷已化解12件', ref(3), 'in_progress', null, '涉疫纠纷已化解12件', '区司法局')],
  ['区发改局 4.1 推进中 在线审批监管平台3.0已上线', one('区发改局 4.1 推进中 在线审批监管平台3.0已上线', ref(4, 1), 'in_progress', null, '在线审批监管平台3.0已上线', '区发改局')],
  ['区住房和城乡建设局 4.1 已完成', one('区住房和城乡建设局 4.1 已完成', ref(4, 1), 'done', null, '', '区住房和城乡建设局')],
  ['区府办 7.1 推进中，规范性文件清理已完成初稿', one('区府办 7.1 推进中，规范性文件清理已完成初稿', ref(7, 1), 'in_progress', null, '规范性文件清理已完成初稿', '区府办')],
  ['区政府办公室 9.1 已完成 重大行政决策事项目录已公布', one('区政府办公室 9.1 已完成 重大行政决策事项目录已公布', ref(9, 1), 'done', null, '重大行政决策事项目录已公布', '区政府办公室')],
  ['区政务服务和数据资源管理办公室：5.1 完成了，好差评已闭环', one('区政务服务和数据资源管理办公室：5.1 完成了，好差评已闭环', ref(5, 1), 'done', null, '好差评已闭环', '区政务服务和数据资源管理办公室')],
  ['秀洲国家高新区管委会 5 已完成', one('秀洲国家高新区管委会 5 已完成', ref(5), 'done', null, '', '秀洲国家高新区管委会')],
  // Injection attempts are text like any other.
  ["3 推进中 '); DROP TABLE reports;--", one("3 推进中 '); DROP TABLE reports;--", ref(3), 'in_progress', null, "'); DROP TABLE reports;--")],
  ['2.1 推进中 **已完成** [详情](http://example.com)', one('2.1 推进中 **已完成** [详情](http://example.com)', ref(2, 1), 'in_progress', null, '**已完成** [详情](http://example.com)')],
];

const MULTI_LINE_REPORTS: Case[] = [
  [
    '区司法局：\n3.2 已完成\n3.3 推进中 方案已报审\n下周印发',
    report('区司法局', e('3.2 已完成', ref(3, 2), 'done', null, ''), e('3.3 推进中 方案已报审', ref(3, 3), 'in_progress', null, '方案已报审\n下周印发')),
  ],
  [
    '本周进度如下：\n1.1 已完成\n1.2 推进中 已起草方案',
    report(null, e('1.1 已完成', ref(1, 1), 'done', null, ''), e('1.2 推进中 已起草方案', ref(1, 2), 'in_progress', null, '已起草方案')),
  ],
  [
    '@督办机器人\n区市场监管局\n4.2 推进中 70%\n4.3 已完成 负面清单已公布',
    report('区市场监管局', e('4.2 推进中 70%', ref(4, 2), 'in_progress', 70, ''), e('4.3 已完成 负面清单已公布', ref(4, 3), 'done', null, '负面清单已公布')),
  ],
  ['3.2\n已完成，目录已公布', report(null, e('3.2', ref(3, 2), 'done', null, '目录已公布'))],
  ['3.2 有困难 需要协调经费\n经费缺口约50万元', report(null, e('3.2 有困难 需要协调经费', ref(3, 2), 'blocked', null, '需要协调经费\n经费缺口约50万元'))],
  [
    '区司法局 3.2 已完成\r\n区司法局 4.3 推进中',
    report('区司法局', e('区司法局 3.2 已完成', ref(3, 2), 'done', null, ''), e('区司法局 4.3 推进中', ref(4, 3), 'in_progress', null, '')),
  ],
  ['1.1 已完成\n\n\n1.2 推进中', report(null, e('1.1 已完成', ref(1, 1), 'done', null, ''), e('1.2 推进中', ref(1, 2), 'in_progress', null, ''))],
  [
    '各位领导好，区综合行政执法局本周报送如下：\n8.1 推进中 执法事项统一目录已报审\n8.2 推进中 试点镇已确定\n以上，请审阅',
    report(
      null,
      e('8.1 推进中 执法事项统一目录已报审', ref(8, 1), 'in_progress', null, '执法事项统一目录已报审'),
      e('8.2 推进中 试点镇已确定', ref(8, 2), 'in_progress', null, '试点镇已确定\n以上，请审阅'),
    ),
  ],
  ['１．１　已完成\n１．２　推进中　８０％', report(null, e('１．１　已完成', ref(1, 1), 'done', null, ''), e('１．２　推进中　８０％', ref(1, 2), 'in_progress', 80, ''))],
  // In a longer report an unclear line is kept with no status (the bot asks) rather than refusing the lot.
  ['3.2 已完成\n3.3 搞定', report(null, e('3.2 已完成', ref(3, 2), 'done', null, ''), e('3.3 搞定', ref(3, 3), null, null, '搞定'))],
];

const CORRECTIONS_AND_WITHDRAWALS: Case[] = [
  ['更正 3.2 已完成 目录已公布', { kind: 'correct', unit: null, entry: e('更正 3.2 已完成 目录已公布', ref(3, 2), 'done', null, '目录已公布') }],
  ['更正：3.2 推进中 80%', { kind: 'correct', unit: null, entry: e('更正：3.2 推进中 80%', ref(3, 2), 'in_progress', 80, '') }],
  ['区司法局 更正 3.2 已完成', { kind: 'correct', unit: '区司法局', entry: e('区司法局 更正 3.2 已完成', ref(3, 2), 'done', null, '') }],
  [
    '更正 区司法局 4.3 有困难 需市场监管局配合',
    { kind: 'correct', unit: '区司法局', entry: e('更正 区司法局 4.3 有困难 需市场监管局配合', ref(4, 3), 'blocked', null, '需市场监管局配合') },
  ],
  ['修改 1.2 推进中', { kind: 'correct', unit: null, entry: e('修改 1.2 推进中', ref(1, 2), 'in_progress', null, '') }],
  ['更正\n3.2 推进中 80%', { kind: 'correct', unit: null, entry: e('3.2 推进中 80%', ref(3, 2), 'in_progress', 80, '') }],
  ['3.2 改为推进中', { kind: 'correct', unit: null, entry: e('3.2 改为推进中', ref(3, 2), 'in_progress', null, '') }],
  ['撤回', { kind: 'withdraw' }],
  ['撤销', { kind: 'withdraw' }],
  ['撤回上一条', { kind: 'withdraw' }],
  ['撤回刚才的报送', { kind: 'withdraw' }],
];

const QUESTIONS_AND_COMMANDS: Case[] = [
  ['我的任务', { kind: 'my-tasks', unit: null }],
  ['我的', { kind: 'my-tasks', unit: null }],
  ['任务清单', { kind: 'my-tasks', unit: null }],
  ['我有哪些任务', { kind: 'my-tasks', unit: null }],
  ['查看我的任务', { kind: 'my-tasks', unit: null }],
  ['我的任务 区司法局', { kind: 'my-tasks', unit: '区司法局' }],
  ['区司法局 我的任务', { kind: 'my-tasks', unit: '区司法局' }],
  ['帮助', { kind: 'help' }],
  ['help', { kind: 'help' }],
  ['HELP', { kind: 'help' }],
  ['?', { kind: 'help' }],
  ['？', { kind: 'help' }],
  ['怎么用', { kind: 'help' }],
  ['使用说明', { kind: 'help' }],
  ['@督办机器人 帮助', { kind: 'help' }],
  ['进度', { kind: 'overview' }],
  ['看板', { kind: 'dashboard' }],
  ['打开看板', { kind: 'dashboard' }],
  ['看板链接', { kind: 'dashboard' }],
  ['红黄绿灯', { kind: 'dashboard' }],
  ['总体进度', { kind: 'overview' }],
  ['整体进度', { kind: 'overview' }],
  ['总体情况', { kind: 'overview' }],
  ['整体情况怎么样', { kind: 'overview' }],
  ['进展', { kind: 'overview' }],
  ['请问总体进度怎么样？', { kind: 'overview' }],
  ['第4项', { kind: 'item', item: 4 }],
  ['4', { kind: 'item', item: 4 }],
  ['第三项进展怎么样', { kind: 'item', item: 3 }],
  ['第3项怎么样了', { kind: 'item', item: 3 }],
  ['4项进度', { kind: 'item', item: 4 }],
  ['查询第7项', { kind: 'item', item: 7 }],
  ['第十项进度如何？', { kind: 'item', item: 10 }],
  ['司法局', unitQ('司法局')],
  ['区司法局', unitQ('区司法局')],
  ['区司法局进度', unitQ('区司法局')],
  ['司法局怎么样', unitQ('司法局')],
  ['区市场监督管理局情况怎么样？', unitQ('区市场监督管理局')],
  ['司法局还有哪些没报', unitQ('司法局', 'missing')],
  ['司法局哪些没报送', unitQ('司法局', 'missing')],
  ['区司法局未报送的任务', unitQ('区司法局', 'missing')],
  ['区财政局还有哪些任务没报', unitQ('区财政局', 'missing')],
  ['请问住建局还有哪些没报？', unitQ('住建局', 'missing')],
  ['未报送', { kind: 'unreported' }],
  ['哪些单位没报', { kind: 'unreported' }],
  ['谁还没报', { kind: 'unreported' }],
  ['没报的', { kind: 'unreported' }],
  ['还有谁没报？', { kind: 'unreported' }],
  ['逾期', { kind: 'overdue' }],
  ['哪些逾期了', { kind: 'overdue' }],
  ['逾期单位', { kind: 'overdue' }],
  ['超期', { kind: 'overdue' }],
  ['有哪些任务逾期了？', { kind: 'overdue' }],
  ['催办 区司法局', { kind: 'urge', unit: '区司法局' }],
  ['催一下司法局', { kind: 'urge', unit: '司法局' }],
  ['催办司法局', { kind: 'urge', unit: '司法局' }],
  ['区财政局 催办', { kind: 'urge', unit: '区财政局' }],
  ['请催办区住建局！', { kind: 'urge', unit: '区住建局' }],
];

const STATUS_WORDS_HINT = '状态可写：未启动、推进中、已完成、有困难';

const REFUSALS: Case[] = [
  ['', unknown('', null)],
  ['   \n  ', unknown('', null)],
  ['@督办机器人', unknown('@督办机器人', null)],
  ['收到，谢谢', unknown('收到，谢谢', null)],
  ['[图片]', unknown('[图片]', null)],
  ['3.2 搞定', unknown('3.2 搞定', `“3.2 搞定”中没有看懂“搞定”，${STATUS_WORDS_HINT}`)],
  ['区司法局 4.1 OK', unknown('区司法局 4.1 OK', `“4.1 OK”中没有看懂“OK”，${STATUS_WORDS_HINT}`)],
  ['3.2', unknown('3.2', hinted('“3.2”后面缺少状态'))],
  ['区司法局 3.2', unknown('区司法局 3.2', hinted('“3.2”后面缺少状态'))],
  ['3.2 进展怎么样', unknown('3.2 进展怎么样', hinted('请发送“第3项”'))],
  ['3.2.1 已完成', unknown('3.2.1 已完成', hinted('任务一级'))],
  ['三.二 已完成', unknown('三.二 已完成', hinted('阿拉伯数字'))],
  ['已完成目录清理', unknown('已完成目录清理', hinted('没有找到任务编号'))],
  ['12月底前完成', unknown('12月底前完成', hinted('没有找到任务编号'))],
  ['3.5亿元资金已到位', unknown('3.5亿元资金已到位', null)],
  ['催办 油车港镇', unknown('催办 油车港镇', hinted('没有找到单位“油车港镇”'))],
  ['催办', unknown('催办', hinted('请写明要催办的单位'))],
  ['催办 区司法局、区财政局', unknown('催办 区司法局、区财政局', hinted('一次催办一个单位'))],
  ['撤回 3.2', unknown('撤回 3.2', hinted('请直接发送“撤回”'))],
  ['区司法局 撤回', unknown('区司法局 撤回', hinted('请直接发送“撤回”'))],
  ['撤回\n3.2 已完成', unknown('撤回\n3.2 已完成', hinted('分开发送'))],
  ['更正 3.2', unknown('更正 3.2', hinted('更正请写成'))],
  ['更正 3.2 已完成\n3.3 推进中', unknown('更正 3.2 已完成\n3.3 推进中', hinted('一次只能更正一个任务'))],
  ['区司法局 3.2 已完成\n区财政局 6.2 推进中', unknown('区司法局 3.2 已完成\n区财政局 6.2 推进中', hinted('一条消息只能报送一个单位'))],
];

describe('parseCommand', () => {
  describe.each([
    ['one-line reports', ONE_LINE_REPORTS],
    ['multi-line reports', MULTI_LINE_REPORTS],
    ['corrections and withdrawals', CORRECTIONS_AND_WITHDRAWALS],
    ['questions and commands', QUESTIONS_AND_COMMANDS],
    ['refusals', REFUSALS],
  ])('%s', (_name, cases) => {
    it.each(cases)('%j', (text, expected) => {
      expect(parse(text)).toEqual(expected);
    });
  });

  it('has a good many real-sounding cases', () => {
    const all = [...ONE_LINE_REPORTS, ...MULTI_LINE_REPORTS, ...CORRECTIONS_AND_WITHDRAWALS, ...QUESTIONS_AND_COMMANDS, ...REFUSALS];
    expect(all.length).toBeGreaterThanOrEqual(80);
    expect(new Set(all.map(([text]) => text)).size).toBe(all.length);
  });

  it('recognises no unit when given none, and tolerates odd unit lists', () => {
    expect(parseCommand('区司法局 3.2 已完成', { unitNames: [] })).toEqual(unknown('区司法局 3.2 已完成', hinted('没有找到任务编号')));
    expect(parseCommand('区司法局 3.2 已完成', { unitNames: ['', ' ', '区司法局', '区司法局'] })).toEqual(
      one('区司法局 3.2 已完成', ref(3, 2), 'done', null, '', '区司法局'),
    );
    expect(parseCommand('3.2 已完成', undefined as unknown as { unitNames: string[] })).toEqual(one('3.2 已完成', ref(3, 2), 'done', null, ''));
  });

  it(`reads only the first ${MAX_LINES} lines of a long message`, () => {
    const lines = Array.from({ length: 80 }, (_, i) => `${(i % 9) + 1}.${Math.floor(i / 9) + 1} 推进中`);
    const got = parse(lines.join('\n'));
    expect(got.kind).toBe('report');
    if (got.kind === 'report') {
      expect(got.entries).toHaveLength(MAX_LINES);
      expect(got.entries.map((x) => x.line)).toEqual(lines.slice(0, MAX_LINES));
    }
  });

  it('stays fast on huge and hostile inputs', () => {
    const hostile = [
      '3'.repeat(100_000),
      '3.'.repeat(50_000),
      '第'.repeat(100_000),
      '@'.repeat(100_000),
      `3 推进中 ${'百分之'.repeat(30_000)}`,
      `3.2${'、3.3'.repeat(25_000)} 已完成`,
      `3 ${' \u3000\u0000'.repeat(30_000)}已完成`,
      '区司法局'.repeat(25_000),
      `3.2 推进中 ${'已完成目录清理，'.repeat(12_000)} 80%`,
      '3.2 已完成\n'.repeat(20_000),
    ];
    const started = Date.now();
    for (const text of hostile) expect(() => parse(text)).not.toThrow();
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('answers a 10,000-character message full of control characters', () => {
    const text = `3.2 推进中 ${Array.from({ length: 10_000 }, (_, i) => String.fromCharCode(i % 40)).join('')}`;
    const got = parse(text);
    expect(got.kind).toBe('report');
  });
});

// ---------------------------------------------------------------------------------------------------------
// Properties

const LINE_BREAKS = /\r\n|[\r\n\u2028\u2029]/;

/** Pieces of real messages, so that generated strings reach deep into the grammar. */
const FRAGMENTS = [
  '3', '3.2', '３．２', '12.3', '3、2', '3-2', '3.2.1', '第三项', '第3项第2条', '第十二项', '4项', '【', '】', '(', ')',
  '推进中', '已完成', '完成', '完成了', '有困难', '未启动', '需协调', '80%', '８０％', '百分之八十', '百分之百', '100%', '0%',
  '改为', '更正', '撤回', '催办', '我的任务', '帮助', '进度', '怎么样', '还有哪些没报', '逾期', '谁还没报', '?', '？',
  '区司法局', '司法局', '区市场监管局', '新城街道', '@督办机器人', '@', ' ', '　', '\u2005', '\n', '\r\n', '\r', '\u2028',
  '：', ':', '，', '、', '。', '-', '—', '\u0000', '\u200b', '\t', '已起草实施方案', '下周报审', "'); DROP TABLE reports;--", '**',
];

const messages = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.array(fc.oneof(fc.constantFrom(...FRAGMENTS), fc.string({ maxLength: 4 })), { maxLength: 30 }).map((parts) => parts.join('')),
);

const STATUSES = new Set(['not_started', 'in_progress', 'done', 'blocked']);

function checkEntry(entry: ReportEntry, inputLines: readonly string[]): void {
  expect(inputLines).toContain(entry.line);
  expect(Number.isInteger(entry.ref.item) && entry.ref.item >= 1 && entry.ref.item <= 99).toBe(true);
  if (entry.ref.task !== undefined) expect(Number.isInteger(entry.ref.task) && entry.ref.task >= 1 && entry.ref.task <= 99).toBe(true);
  if (entry.status !== null) expect(STATUSES.has(entry.status)).toBe(true);
  if (entry.percent !== null) expect(Number.isInteger(entry.percent) && entry.percent >= 0 && entry.percent <= 100).toBe(true);
  expect(typeof entry.text).toBe('string');
}

describe('parseCommand properties', () => {
  const KINDS = new Set<Command['kind']>(['report', 'withdraw', 'correct', 'my-tasks', 'help', 'overview', 'item', 'unit', 'unreported', 'overdue', 'dashboard', 'urge', 'unknown']);
  /** Any text at all: random code points (lone surrogates, controls, astral), fragments, and very long runs. */
  const anyText = fc.oneof(
    messages,
    fc.string({ unit: 'binary', maxLength: 2000 }),
    fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)), maxLength: 300 }),
    fc.tuple(fc.constantFrom(...FRAGMENTS), fc.integer({ min: 100, max: 3000 })).map(([f, n]) => f.repeat(n)),
  );

  it(`is total and deterministic: every text gets a command of a known kind, the same each time ${fuzzLabel(1500)}`, () => {
    const names = fc.oneof(fc.constant(UNIT_NAMES), fc.array(fc.string({ maxLength: 6 }), { maxLength: 5 }));
    fc.assert(
      fc.property(anyText, anyText, names, (text, other, unitNames) => {
        // Without the defensive catch: it is never what answers.
        const first = parseCommandUnguarded(text, { unitNames });
        expect(KINDS.has(first.kind)).toBe(true);
        // Parsing another text in between leaves nothing behind: no state, no shared regex lastIndex.
        parseCommandUnguarded(other, { unitNames });
        expect(parseCommandUnguarded(text, { unitNames })).toEqual(first);
        expect(parseCommand(text, { unitNames })).toEqual(first);
        if (first.kind === 'unit' || first.kind === 'urge') expect(first.unit.length).toBeGreaterThan(0);
        if (first.kind === 'item') expect(Number.isInteger(first.item) && first.item >= 1).toBe(true);
      }),
      fuzzParams(1500),
    );
  });

  it('never throws, and a report’s lines are lines of the message', () => {
    fc.assert(
      fc.property(messages, (text) => {
        const got = parseCommand(text, { unitNames: UNIT_NAMES });
        const inputLines = text.split(LINE_BREAKS).map((l) => l.trim());
        if (got.kind === 'report') {
          expect(got.entries.length).toBeGreaterThan(0);
          for (const entry of got.entries) checkEntry(entry, inputLines);
        }
        if (got.kind === 'correct') checkEntry(got.entry, inputLines);
        if (got.kind === 'unknown') expect(got.text).toBe(text.trim());
      }),
      { numRuns: 2000 },
    );
  });

  it('reads full-width digits, percent signs and spaces like half-width ones', () => {
    const toFullWidth = (s: string) => s.replace(/[0-9.%:]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0)).replace(/ /g, '\u3000');
    /** What a command means, leaving out what is quoted as written. */
    const meaning = (c: Command) => {
      if (c.kind === 'report') return { ...c, entries: c.entries.map(({ ref, status, percent }) => ({ ref, status, percent })) };
      if (c.kind === 'correct') return { ...c, entry: { ref: c.entry.ref, status: c.entry.status, percent: c.entry.percent } };
      if (c.kind === 'unknown') return { kind: c.kind, hinted: c.hint !== null };
      return c;
    };
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...FRAGMENTS), { maxLength: 12 }).map((parts) => parts.join(' ')),
        (text) => {
          expect(meaning(parse(toFullWidth(text)))).toEqual(meaning(parse(text)));
        },
      ),
      { numRuns: 1000 },
    );
  });
});
