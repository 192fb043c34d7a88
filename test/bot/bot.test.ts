/**
 * The bot against a real SQLite file holding the seed plan, the shipped units directory, contacts written for the
 * test, and an injected clock: what each sender may do, what is recorded, and what is answered.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { respond, type BotDeps } from '../../src/bot/bot';
import type { IncomingMessage } from '../../src/bot/message';
import { instantOf } from '../../src/calendar/civil-date';
import { ROOT } from '../helpers/run-cli';
import { LIGHT_EMOJI } from '../../src/status/light';
import { StatusView } from '../../src/status/status-view';
import { useTempStore } from '../store/temp-db';
import { seedBotDeps } from './seed-bot-deps';

const CONTACTS = [
  '单位,姓名,手机,钉钉ID,角色',
  '区司法局,张三,13800000001,zhangsan,联络员',
  '区司法局,司法局分管领导,13800000101,sfj-head,分管领导',
  '区市场监管局,李四,13800000003,lisi,联络员',
  '区经济信息商务局,赵六,13800000007,jxj,联络员',
  // One person for two units: must say which.
  '区财政局,王五,13800000005,wangwu,联络员',
  '区住建局,王五,13800000005,wangwu,联络员',
].join('\n');

/** 2025-09-26 10:00 in Shanghai: September (due 30th) is active, August (due 1 September) is overdue. */
let now = instantOf('2025-09-26', '10:00', 'Asia/Shanghai');

describe('the bot', () => {
  const db = useTempStore('duban-bot-');
  let deps: BotDeps;
  let seq = 0;

  beforeEach(async () => {
    now = instantOf('2025-09-26', '10:00', 'Asia/Shanghai');
    deps = await seedBotDeps(db.store, CONTACTS, () => now);
  });

  function say(senderId: string | null, text: string, extra: Partial<IncomingMessage> = {}): string {
    const reply = respond(deps, {
      msgId: `msg-${++seq}`,
      msgtype: 'text',
      text,
      senderId,
      senderNick: '测试',
      conversation: { type: 'group', id: 'cid-test', title: '督办群' },
      createdAt: now,
      ...extra,
    });
    return reply?.markdown ?? '';
  }

  const reports = () => db.store.reports.latestInCycle('2025-09').concat(db.store.reports.latestInCycle('2025-08'));
  const taskId = (key: string) => db.store.getPlanTree(db.store.listPlans()[0]!.id)!.items.flatMap((i) => i.tasks).find((t) => t.key === key)!.id;

  it('records a liaison’s report against the cycle it closes and confirms task, status, cycle and text', () => {
    // August is still owed: the first report on 3.2 closes it (a late report); the next counts for September.
    const first = say('zhangsan', '3.2 推进中 已完成目录清理');
    expect(first).toContain('#### 已记录区司法局的进展');
    expect(first).toContain('- **3.2**（2025年8月，补报）推进中：已完成目录清理');
    expect(first).toContain('记录人：张三，9月26日 10:00');
    const second = say('zhangsan', '３．２ 完成 80% 清单已报审');
    expect(second).toContain('- **3.2**（2025年9月）推进中 80%：清单已报审');
    expect(reports().map((r) => [r.cycle, r.status, r.percent, r.text, r.reporterId])).toEqual([
      ['2025-09', 'in_progress', 80, '清单已报审', 'zhangsan'],
      ['2025-08', 'in_progress', null, '已完成目录清理', 'zhangsan'],
    ]);
  });

  it('records several lines in one transaction, or none when one line cannot be placed', () => {
    const bad = say('zhangsan', '1.2 推进中 已制定方案\n9.9 已完成');
    expect(bad).toContain('9.9 不是区司法局的任务。区司法局的任务：1.1、1.2、1.3、2.1、3.1、3.2');
    expect(bad).toContain('本条消息没有记录');
    expect(reports()).toEqual([]);
    const good = say('zhangsan', '1.2 推进中 已制定方案\n1.3 有困难 需要协调经费\n6.2 已完成');
    expect(good.match(/^- \*\*/gm)).toHaveLength(3);
    expect(reports()).toHaveLength(3);
  });

  it('asks which task when an item holds several of the unit’s tasks and the text is about one', () => {
    const asked = say('zhangsan', '第三项 推进中 已完成目录清理');
    expect(asked).toContain('第3项中区司法局有 2 项任务（3.1、3.2），请写明是哪一项');
    expect(reports()).toEqual([]);
    // Without a text the status applies to all of them.
    expect(say('zhangsan', '第三项 已完成')).toMatch(/3\.1[\s\S]*3\.2/);
    expect(reports()).toHaveLength(2);
  });

  it('asks for the status when a line has none, and records nothing', () => {
    expect(say('zhangsan', '3.2 目录清理工作已经开展了一部分')).toContain('没有写状态');
    expect(reports()).toEqual([]);
  });

  it('answers an unknown sender politely and stores nothing', () => {
    const text = say('stranger', '3.2 已完成');
    expect(text).toContain('您还没有登记为督办联络员或领导');
    expect(text).toContain('（stranger）');
    expect(say(null, '进度')).toContain('您还没有登记');
    expect(reports()).toEqual([]);
  });

  it('asks a person of several units to name the unit, and accepts it named first', () => {
    expect(say('wangwu', '1.2 推进中 已部署')).toContain('您是 区财政局、区住建局 的联络员，请在前面写上单位名称');
    expect(say('wangwu', '区住建局 1.3 推进中 已部署')).toContain('已记录区住建局的进展');
    expect(say('wangwu', '区司法局 1.2 推进中 已部署')).toContain('您不是区司法局的联络员，不能报送进展');
    expect(reports().map((r) => r.unit)).toEqual(['区住建局']);
  });

  it('withdraws the sender’s last report and corrects one', () => {
    say('zhangsan', '1.2 推进中 已制定方案');
    say('zhangsan', '6.2 已完成');
    expect(say('zhangsan', '撤回')).toContain('已撤回您 9月26日 10:00 报送的 **6.2**（区司法局，2025年8月）：已完成');
    expect(say('zhangsan', '更正 1.2 已完成 方案已印发')).toContain('原为：推进中：已制定方案\n\n现为：已完成：方案已印发');
    expect(reports().map((r) => [r.taskId, r.status, r.text])).toEqual([[taskId('1.2'), 'done', '方案已印发']]);
    expect(say('zhangsan', '更正 9.1 已完成')).toContain('没有找到您对 9.1 的报送');
    expect(say('lisi', '撤回')).toContain('您还没有可以撤回的报送');
  });

  it('lists the unit’s tasks with this cycle’s state', () => {
    say('zhangsan', '6.2 已完成 已建成');
    const text = say('zhangsan', '我的任务');
    expect(text).toContain('#### 区司法局的任务（19 项）');
    expect(text).toMatch(/- \*\*6\.2\*\*〔牵头〕[^\n]*\n {2}2025年8月：已完成：已建成（9月26日 10:00）/);
    expect(text).toMatch(/- \*\*1\.2\*\*〔牵头〕[^\n]*\n {2}2025年8月：未报送，已逾期/);
  });

  it('answers a leader’s questions: 进度, 第N项, a unit, 未报送, 逾期', () => {
    say('zhangsan', '3.2 推进中 已完成目录清理');
    say('zhangsan', '3.2 有困难 需要协调经费');
    const overview = say('leader-01', '总体进度');
    expect(overview).toContain('#### 总体进度：2025年9月，截止 9月30日（星期二）');
    expect(overview).toContain('应报送 19 个单位');
    expect(overview).toContain('各项分工目前进展：已完成 0，推进中 0，有困难 1，未启动 0，未报送 231。');
    expect(overview).toContain('**有困难（1）**\n\n- **3.2** 区司法局：有困难：需要协调经费');
    expect(overview).toContain('**最新报送**\n\n- **3.2** 区司法局：2025年9月：有困难：需要协调经费（9月26日 10:00）');
    expect(overview).toContain('**上期 2025年8月**（截止 9月1日（星期一））：0 个单位已报齐，19 个单位逾期未报齐');
    const item = say('leader-01', '第3项进展怎么样');
    expect(item).toContain('#### 第3项\u3000深入推进简政放权');
    expect(item).toMatch(/\*\*3\.2\*\*[^\n]*\n\n- 区司法局〔牵头〕2025年9月：有困难：需要协调经费/);
    expect(say('leader-01', '4')).toContain('#### 第4项');
    expect(say('leader-01', '司法局')).toContain('#### 区司法局的任务（19 项）');
    expect(say('leader-01', '司法局还有哪些没报')).toContain('#### 区司法局本期未报送的任务（18 项）');
    expect(say('leader-01', '未报送')).toContain('#### 2025年9月未报送：19 个单位（共 19 个）');
    const late = say('leader-01', '逾期');
    expect(late).toContain('#### 逾期未报送：19 个单位');
    expect(late).toContain('2025年8月截止于 9月1日（星期一），已逾期 19 个工作日');
  });

  it('lets a liaison ask about their own unit only', () => {
    expect(say('lisi', '司法局')).toContain('您只能查询本单位（区市场监管局）的进度');
    expect(say('lisi', '进度')).toContain('#### 区市场监管局的任务');
    expect(say('lisi', '第3项')).not.toContain('区司法局');
    expect(say('lisi', '催办 司法局')).toContain('只有领导和管理员可以催办');
  });

  it('queues a leader’s 催办 through the outbox, once a day', () => {
    const first = say('leader-01', '催办 区司法局');
    expect(first).toContain('已向区司法局的联络员（张三）发出催办：2025年8月还有 19 项未报送');
    const rows = db.store.outbox.list(['pending']);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ kind: 'urge', unit: '区司法局', groupKey: 'urge|2025-08|区司法局|2025-09-26', title: '督办催办：区司法局2025年8月进度请尽快报送' });
    expect(rows[0]!.markdown).toContain('【催办】测试请尽快报送2025年8月工作进度');
    expect(say('admin-01', '催办 司法局')).toContain('今天已经催办过区司法局');
    now += 86_400_000;
    expect(say('leader-01', '催办 司法局')).toContain('已向区司法局的联络员');
  });

  it('answers other message types, empty and unknown text, and huge or hostile text without storing anything', () => {
    expect(say('zhangsan', '', { msgtype: 'picture' })).toContain('暂时只能看懂文字消息');
    expect(say('zhangsan', '')).toContain('请发送文字内容');
    expect(say('zhangsan', '今天天气不错')).toContain('没有看懂这条消息');
    expect(say('zhangsan', '3'.repeat(10_000)).length).toBeLessThan(20_000);
    const injected = say('zhangsan', "3.2 推进中 '); DROP TABLE reports;-- **加粗** [链接](http://x)");
    expect(injected).toContain("推进中：'); DROP TABLE reports;-- ＊＊加粗＊＊ ［链接］(http://x)");
    expect(reports().map((r) => r.text)).toEqual(["'); DROP TABLE reports;-- **加粗** [链接](http://x)"]);
  });

  it('does not record the same chat message twice', () => {
    say('zhangsan', '1.2 推进中 已制定方案', { msgId: 'dup' });
    expect(say('zhangsan', '1.2 推进中 已制定方案', { msgId: 'dup' })).toContain('这条消息已经记录过了');
    expect(reports()).toHaveLength(1);
  });

  it('shows the same colours as the status view, and the lead unit sees its co-units beneath its tasks', () => {
    // 4.2: 区经济信息商务局 leads, 区司法局 and 区市场监管局 co-operate.
    say('zhangsan', '4.2 有困难 需要协调经费');
    const board = new StatusView(deps).board();
    const item = say('leader-01', '第4项');
    for (const t of board.items.find((i) => i.number === 4)!.tasks) {
      expect(item).toContain(`**${t.key}** ${LIGHT_EMOJI[t.light]} `);
    }
    expect(item).toMatch(/- 区司法局〔配合〕2025年8月：有困难：需要协调经费（9月26日 10:00）\u3000🟡 有困难/);
    expect(item.indexOf('- 区经济信息商务局〔牵头〕')).toBeLessThan(item.indexOf('- 区司法局〔配合〕'));
    const lead = respond(deps, { msgId: 'm-lead', msgtype: 'text', text: '我的任务', senderId: 'jxj', senderNick: '', conversation: { type: 'single', id: 'c', title: '' }, createdAt: now });
    expect(lead?.markdown).toMatch(/- \*\*4\.2\*\*〔牵头〕[^\n]*\n {2}2025年8月：未报送，已逾期\u3000🔴 逾期未报送 19 个工作日\n {2}\u3000配合 区司法局：有困难：需要协调经费（9月26日 10:00）\n {2}\u3000配合单位尚未报送：区市场监管局/);
    const overview = say('leader-01', '进度');
    expect(overview).toContain(`**红黄绿灯**（按牵头单位计，共 ${board.tasks.length} 项任务）：🔴 红灯 ${board.totals.tasks.red}`);
  });

  it('gives leaders and admins a signed dashboard link, and nobody else', () => {
    expect(say('leader-01', '看板')).toContain('本服务没有启用看板');
    deps = { ...deps, dashboardLink: (at) => ({ url: `https://duban.example.cn/dashboard?exp=${at / 1000 + 86400}&sig=x`, expiresAt: at + 86_400_000 }) };
    const link = say('leader-01', '看板');
    expect(link).toContain(`[点击打开红黄绿灯看板](https://duban.example.cn/dashboard?exp=${now / 1000 + 86400}&sig=x)`);
    expect(link).toContain('链接有效至 9月27日 10:00');
    expect(say('admin-01', '打开看板')).toContain('点击打开红黄绿灯看板');
    expect(say('zhangsan', '看板')).toContain('看板只对领导和管理员开放');
  });

  it('has help with examples for liaisons and for leaders', () => {
    expect(say('zhangsan', '帮助')).toContain('3.2 推进中 已完成目录清理');
    expect(say('leader-01', '帮助')).toContain('**催办 区司法局**');
    expect(say('leader-01', '帮助')).toContain('**看板**');
    expect(say('zhangsan', '帮助')).not.toContain('**看板**');
  });
});

describe('the shipped contacts', () => {
  it('give every seed unit a liaison the bot recognises', () => {
    expect(fs.existsSync(path.join(ROOT, 'data', 'contacts.csv'))).toBe(true);
  });
});
