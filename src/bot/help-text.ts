/** `帮助`: what the sender can do, with examples; leaders see the questions and 催办 first. */
import type { Speaker } from './bot-context';

export function helpText(speaker: Speaker): string[] {
  const report = [
    '**报送进展**（联络员）：任务编号 状态 进展，一行一项，可以一次发多行',
    '- 3.2 推进中 已完成目录清理',
    '- 第三项 完成 80%',
    '- 4.1 有困难 需要协调经费',
    '- 状态可写：未启动、推进中、已完成（办结）、有困难（需协调）',
    '- 同时负责几个单位时，在前面写单位：区司法局 3.2 已完成',
    '**撤回**：撤回刚才报送的一条；**更正 3.2 已完成 ……**：更正对 3.2 的报送',
    '**我的任务**：本单位的任务和本期报送情况',
  ];
  const ask = [
    '**查询进度**',
    '- 进度 / 总体进度：本期总体情况',
    '- 第4项（或 4）：该事项各单位的进展',
    '- 区司法局（或 司法局）：该单位的任务和进展；司法局还有哪些没报',
    '- 未报送：本期还没报送的单位；逾期：上期逾期未报和计划时限已过的任务',
  ];
  const lead = speaker.isLeader || speaker.isAdmin;
  const leaderOnly = lead
    ? ['**催办 区司法局**：立即给该单位联络员发一条催办（每个单位每天一次）', '**看板**：获取红黄绿灯看板的链接（有时效，请勿转发）']
    : [];
  const own = lead ? [] : ['（联络员只能查询本单位的进度）'];
  return ['#### 督办机器人使用说明', ...(speaker.units.length ? [...report, ...ask] : [...ask]), ...leaderOnly, ...own];
}
