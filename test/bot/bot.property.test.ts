/**
 * The bot end to end on random messages: the real bot on a temporary SQLite file holding the seed plan, with the
 * shipped units directory and contacts written for the test. From a liaison, a person of two units, a leader, an
 * unknown sender or none, every message gets a non-empty Chinese answer and never an exception; and the database
 * changes only when the parse says it should: a report of tasks the sender's unit owes (or 更正/撤回 of the
 * sender's reports), a leader's 催办. Anything else commits nothing.
 */
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { BotContext } from '../../src/bot/bot-context';
import { respond, type BotDeps } from '../../src/bot/bot';
import type { Command } from '../../src/bot/command';
import type { IncomingMessage } from '../../src/bot/message';
import { parseCommandUnguarded } from '../../src/bot/parse-command';
import { instantOf } from '../../src/calendar/civil-date';
import { fuzzLabel, fuzzParams } from '../helpers/fuzz';
import { useTempStore } from '../store/temp-db';
import { seedBotDeps } from './seed-bot-deps';

const CONTACTS = [
  '单位,姓名,手机,钉钉ID,角色',
  '区司法局,张三,13800000001,zhangsan,联络员',
  '区市场监管局,李四,13800000003,lisi,联络员',
  '区财政局,王五,13800000005,wangwu,联络员',
  '区住建局,王五,13800000005,wangwu,联络员',
].join('\n');
const LIAISON_UNITS: Record<string, string[]> = { zhangsan: ['区司法局'], lisi: ['区市场监管局'], wangwu: ['区财政局', '区住建局'] };
const SENDERS = ['zhangsan', 'lisi', 'wangwu', 'leader-01', 'stranger', null] as const;

/** Pieces of real messages (task numbers of the seed plan among them), so that random text reaches the grammar. */
const FRAGMENTS = [
  '1.2', '3.2', '6.2', '9.9', '1.3', '2.1', '第三项', '第3项第2条', '3', '４．１', '推进中', '已完成', '完成', '有困难', '未启动',
  '80%', '百分之百', '更正', '撤回', '催办', '我的任务', '帮助', '进度', '逾期', '未报送', '谁还没报', '看板', '区司法局', '司法局',
  '区财政局', '区住建局', '区市场监管局', '新城街道', '@督办机器人', ' ', '\n', '\r\n', '：', '，', '、', '。', '已起草实施方案',
  "'); DROP TABLE reports;--", '\u0000', '\u200b', '全部',
];
const message = fc.oneof(
  { weight: 3, arbitrary: fc.array(fc.oneof(fc.constantFrom(...FRAGMENTS), fc.string({ maxLength: 3 })), { maxLength: 12 }).map((p) => p.join(' ')) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 120 }) },
  { weight: 1, arbitrary: fc.array(fc.constantFrom(...FRAGMENTS), { maxLength: 6 }).map((p) => p.join('')) },
  // Commands as people write them: `[动词] [单位] [编号] [状态] [进展]`, each part optional.
  {
    weight: 2,
    arbitrary: fc
      .tuple(
        fc.constantFrom('', '', '催办', '更正', '撤回', '我的任务'),
        fc.constantFrom('', '', '区司法局', '司法局', '区财政局', '区住建局', '区市场监管局', '区教育局'),
        fc.constantFrom('', '1.2', '3.2', '6.2', '9.9', '2.1', '3', '第一项'),
        fc.constantFrom('', '推进中', '已完成', '有困难', '80%'),
        fc.string({ maxLength: 6 }),
      )
      .map((parts) => parts.join(' ')),
  },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom('催办', '催办：', '@督办机器人 催办'), fc.constantFrom('区司法局', '市场监管局', '区住建局', '区教育局')).map((p) => p.join(' ')) },
);
const turn = fc.record({ sender: fc.constantFrom(...SENDERS), text: message, msgtype: fc.oneof({ weight: 9, arbitrary: fc.constant('text') }, { weight: 1, arbitrary: fc.constantFrom('picture', 'file', '') }) });

describe('the bot on random messages', () => {
  const db = useTempStore('duban-bot-fuzz-');
  let deps: BotDeps;
  let seq = 0;

  beforeEach(async () => {
    const now = instantOf('2025-09-26', '10:00', 'Asia/Shanghai');
    deps = await seedBotDeps(db.store, CONTACTS, () => now);
  });

  it(`answers every message in Chinese, never throws, and writes only what the parse allows ${fuzzLabel(300)}`, () => {
    // An independent connection: its data_version moves whenever the bot's connection commits anything.
    const reader = new Database(db.file, { readonly: true });
    const version = () => reader.pragma('data_version', { simple: true }) as number;
    const counts = () => reader.prepare<[], { reports: number; withdrawn: number; outbox: number }>(
      'SELECT (SELECT count(*) FROM reports) AS reports, (SELECT count(withdrawn_at) FROM reports) AS withdrawn, (SELECT count(*) FROM outbox) AS outbox',
    ).get()!;
    const ctx = new BotContext(deps);
    const unitNames = ctx.unitNames();
    // The first status read stores the duty index (a cache): done before the property watches the commits.
    respond(deps, { msgId: 'warm', msgtype: 'text', text: '进度', senderId: 'leader-01', senderNick: '', conversation: { type: 'single', id: 'c', title: null }, createdAt: 0 });
    const keysOf = (unit: string) => new Set(ctx.assignments(unit).map((a) => a.duty.taskKey));
    const itemsOf = (unit: string) => new Set(ctx.assignments(unit).map((a) => a.duty.itemNumber));
    const kinds = new Map<string, number>();
    try {
      fc.assert(
        fc.property(fc.array(turn, { minLength: 1, maxLength: 6 }), (turns) => {
          for (const { sender, text, msgtype } of turns) {
            const msg: IncomingMessage = {
              msgId: `fuzz-${++seq}`,
              msgtype,
              text,
              senderId: sender,
              senderNick: '测试',
              conversation: { type: 'group', id: 'cid-fuzz', title: '督办群' },
              createdAt: deps.clock!(),
            };
            const command: Command = parseCommandUnguarded(text, { unitNames });
            const [v0, c0] = [version(), counts()];
            const reply = respond(deps, msg);
            const [v1, c1] = [version(), counts()];
            expect(reply?.markdown.trim()).toBeTruthy();
            expect(reply!.markdown).toMatch(/[\u4e00-\u9fa5]/);
            const liaison = typeof sender === 'string' ? LIAISON_UNITS[sender] : undefined;
            const kind = msgtype === 'text' ? command.kind : 'not-text';
            kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
            if (v1 === v0) continue;
            // Something was committed: it must be one of the writes the parse asked for, by someone allowed to.
            const wroteReports = c1.reports !== c0.reports || c1.withdrawn !== c0.withdrawn;
            expect(wroteReports || c1.outbox !== c0.outbox).toBe(true);
            if (c1.outbox !== c0.outbox) {
              expect([kind, sender]).toEqual(['urge', 'leader-01']);
              expect(c1.outbox).toBeGreaterThan(c0.outbox);
            }
            if (wroteReports) {
              expect(liaison).toBeDefined();
              expect(['report', 'correct', 'withdraw']).toContain(kind);
            }
            if (kind === 'report' && command.kind === 'report' && c1.reports !== c0.reports) {
              // Only tasks (or items) of a unit the sender answers for, each line with a status.
              const units = liaison ?? [];
              for (const e of command.entries) {
                expect(e.status).not.toBeNull();
                const ok = units.some((u) => (e.ref.task === undefined ? itemsOf(u).has(e.ref.item) : keysOf(u).has(`${e.ref.item}.${e.ref.task}`)));
                expect(ok).toBe(true);
              }
            }
          }
        }),
        fuzzParams(300),
      );
      // The generator reaches the writes as well as everything else.
      expect(kinds.get('report')).toBeGreaterThan(20);
      expect(counts().reports).toBeGreaterThan(0);
      expect(counts().outbox).toBeGreaterThan(0);
    } finally {
      reader.close();
    }
  });

  it(`records a liaison's report of tasks the unit owes, one row per task ${fuzzLabel(150)}`, () => {
    const reader = new Database(db.file, { readonly: true });
    const live = () => reader.prepare<[], number>('SELECT count(*) FROM reports').pluck().get()!;
    const keys = [...new BotContext(deps).assignments('区司法局').map((a) => a.duty.taskKey)];
    const line = fc.record({
      key: fc.constantFrom(...keys),
      status: fc.constantFrom('推进中', '已完成', '有困难', '未启动'),
      text: fc.string({ maxLength: 20 }).map((s) => s.replace(/[\r\n\u2028\u2029\u0085]/g, ' ')),
    });
    try {
      fc.assert(
        fc.property(fc.array(line, { minLength: 1, maxLength: 4 }), (lines) => {
          const text = lines.map((l) => `${l.key} ${l.status} ${l.text}`).join('\n');
          const before = live();
          const reply = respond(deps, { msgId: `ok-${++seq}`, msgtype: 'text', text, senderId: 'zhangsan', senderNick: '张三', conversation: { type: 'group', id: 'cid', title: null }, createdAt: 0 });
          expect(reply?.markdown).toContain('已记录区司法局的进展');
          expect(live() - before).toBe(new Set(lines.map((l) => l.key)).size);
        }),
        fuzzParams(150),
      );
    } finally {
      reader.close();
    }
  });
});
