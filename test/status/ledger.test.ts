/**
 * The 台账's rows from the seed plan on a real SQLite file: one per task in plan order, the lead's report with
 * each co-unit's beneath it, the colour in words with its reason, and the history of every report.
 */
import { historyRows, ledgerRows, type LedgerRow } from '../../src/status/ledger';
import { useTempStore } from '../store/temp-db';
import { addReports, loadSeedWithDeadlines, REPORTS, statusDeps, taskIds, viewOf } from './ledger-fixture';

describe('the 台账 rows', () => {
  const db = useTempStore('duban-ledger-');
  let planId = 0;

  beforeEach(async () => {
    planId = await loadSeedWithDeadlines(db.store);
    addReports(db.store, planId, REPORTS);
  });

  const rows = () => ledgerRows(viewOf(statusDeps(db.store)).board(), 'Asia/Shanghai');
  const row = (list: LedgerRow[], key: string) => list.find((r) => r.task.startsWith(`${key} `))!;

  it('has one row per task in plan order, numbered from 1', () => {
    const list = rows();
    expect(list).toHaveLength(20);
    expect(list.map((r) => r.seq)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(list.map((r) => r.task.split(' ')[0])).toEqual([
      '1.1', '1.2', '1.3', '2.1', '3.1', '3.2', '4.1', '4.2', '4.3', '4.4',
      '5.1', '6.1', '6.2', '6.3', '6.4', '7.1', '8.1', '8.2', '9.1', '9.2',
    ]);
  });

  it('shows the lead\'s report with each co-unit\'s beneath it, and the lead\'s time and reporter', () => {
    expect(row(rows(), '4.2')).toEqual({
      seq: 8,
      item: '第4项 优化法治化营商环境',
      task: '4.2 落实外商投资企业准入前国民待遇加负面清单管理制度,推进常态化企业开办全流程“一日办结”和地方设置涉企事项零许可。',
      leads: '区经济信息商务局',
      co: '区司法局、区市场监管局',
      deadline: '本期截止 10月30日',
      progress: '推进中 60%，已完成清单梳理，正在征求意见\n区司法局：有困难，需要协调经费\n区市场监管局：未报送',
      status: '绿灯（本期未到截止）',
      reportedAt: '2025-09-29 16:30',
      reporter: '张三',
      light: 'green',
      planId,
      taskId: taskIds(db.store, planId)['4.2'],
    });
  });

  it('says 有困难 in yellow, and a co-unit done in an earlier cycle as 已完成', () => {
    expect(row(rows(), '6.2')).toMatchObject({
      leads: '区司法局',
      co: '区财政局',
      progress: '有困难，场地尚未落实\n区财政局：已完成',
      status: '黄灯（有困难）',
      reportedAt: '2025-09-26 10:00',
      reporter: '李四',
      light: 'yellow',
    });
  });

  it('gives the plan\'s deadline, red with the working days since it passed, yellow when near', () => {
    const list = rows();
    expect(row(list, '9.1')).toMatchObject({
      seq: 19,
      item: '第9项 部署开展重大行政决策目录化管理专项行动',
      deadline: '2025年9月30日',
      progress: '推进中 80%，目录已起草\n区司法局：未报送',
      // 1–8 October are holidays; 11 October, a Saturday, is worked: 9, 10, 11, 13, 14, 15 October.
      status: '红灯（已过计划时限 6 个工作日）',
      reportedAt: '2025-10-10 15:00',
      reporter: '王五',
      light: 'red',
    });
    expect(row(list, '6.3')).toMatchObject({ deadline: '2025年10月17日', status: '黄灯（临近计划时限）', light: 'yellow' });
  });

  it('says how long a lead is overdue, and leaves time and reporter empty when nobody reported', () => {
    expect(row(rows(), '4.1')).toMatchObject({
      leads: '区发展和改革局',
      co: '区住建局',
      progress: '未报送\n区住建局：未报送',
      status: '红灯（逾期未报送 6 个工作日）',
      reportedAt: '',
      reporter: '',
      light: 'red',
    });
  });

  it('names each lead of a task with several, and the leads behind its colour', () => {
    const r = row(rows(), '3.2');
    expect(r.leads).toBe('区司法局、区市场监管局、区综合行政执法局、区政务数据办、区发展和改革局、区住建局、区经济信息商务局、区财政局、区政府办公室');
    expect(r.progress.split('\n')).toEqual([
      '区司法局：推进中，清单已报区政府',
      ...r.leads.split('、').slice(1).map((u) => `${u}：未报送`),
      ...r.co.split('、').map((u) => `${u}：未报送`),
    ]);
    expect(r.status).toBe('红灯（区市场监管局等 8 个单位逾期未报送 6 个工作日）');
    expect([r.reportedAt, r.reporter]).toEqual(['2025-09-26 10:10', '李四']);
  });

  it('colours a task without a lead by all its units, named only when they differ', () => {
    const r = row(rows(), '1.1');
    expect(r.leads).toBe('');
    expect(r.co.split('、')).toHaveLength(18);
    expect(r.status).toBe('红灯（逾期未报送 6 个工作日）');
  });

  it('lists every report oldest first with its cycle, task, status and the withdrawn ones marked', () => {
    const ids = taskIds(db.store, planId);
    const last = db.store.reports.add({ taskId: ids['4.1']!, unit: '区住建局', cycle: '2025-09', status: 'not_started', reporterId: 'zj01', reportedAt: new Date('2025-10-15T01:00:00Z') });
    db.store.reports.withdraw(last, new Date('2025-10-15T01:30:00Z'));
    const view = viewOf(statusDeps(db.store));
    const history = historyRows(db.store.reports.all(), view.board(), 'Asia/Shanghai');
    expect(history).toHaveLength(REPORTS.length + 1);
    expect(history.map((h) => h.reportedAt)).toEqual([
      '2025-08-28 09:00', '2025-09-26 10:00', '2025-09-26 10:05', '2025-09-26 10:10', '2025-09-29 16:30', '2025-10-10 15:00', '2025-10-14 09:30', '2025-10-15 09:00',
    ]);
    expect(history[0]).toEqual({
      reportedAt: '2025-08-28 09:00',
      cycle: '2025年8月',
      task: '6.2 开展公共法律服务“十百千万”提升专项行动,整合律师、司法鉴定…',
      unit: '区财政局',
      status: '已完成',
      percent: null,
      text: '服务网络已建成',
      reporter: '钱六',
      withdrawn: '',
    });
    expect(history[4]).toMatchObject({ status: '推进中', percent: 60, text: '已完成清单梳理，\n正在征求意见' });
    expect(history[7]).toMatchObject({ unit: '区住建局', status: '未启动', reporter: 'zj01', withdrawn: '是（2025-10-15 09:30）' });
    // The withdrawn report does not count in the 台账.
    expect(row(ledgerRows(view.board(), 'Asia/Shanghai'), '4.1').progress).toBe('未报送\n区住建局：未报送');
  });
});
