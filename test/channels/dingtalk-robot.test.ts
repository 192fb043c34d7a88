import type { DeliveryError, OutgoingMessage, Recipient } from '../../src/channels/channel';
import { DingtalkRobotChannel, robotMarkdownBody } from '../../src/channels/dingtalk-robot';
import { robotSign } from '../../src/channels/dingtalk-sign';
import { type FakeDingtalk, startFakeDingtalk } from '../helpers/fake-dingtalk';

const SECRET = 'SECfake0123456789abcdef';
const START = Date.UTC(2024, 4, 1, 1, 0, 0);
const ZHANG: Recipient = { name: '张三', mobile: '13800000001', userId: 'zhang3' };
const LI: Recipient = { name: '李四', mobile: '13800000002', userId: null };
const WANG: Recipient = { name: '王五', mobile: null, userId: 'wang5' };

let now = START;
const clock = (): number => now;
let fake: FakeDingtalk;

function message(key: string, extra: Partial<OutgoingMessage> = {}): OutgoingMessage {
  return {
    key,
    title: '督办提醒：请报送进展',
    markdown: '### 督办提醒\n\n**任务**：推进法治政府建设\n\n- 截止：5月25日',
    to: { kind: 'unit', unit: '区司法局', people: [ZHANG, LI, WANG] },
    ...extra,
  };
}

function channel(options: Partial<ConstructorParameters<typeof DingtalkRobotChannel>[0]> = {}): DingtalkRobotChannel {
  return new DingtalkRobotChannel({ webhook: fake.webhook, secret: SECRET, timeoutMs: 2000, clock, ...options });
}

async function failure(promise: Promise<unknown>): Promise<DeliveryError> {
  const err = await promise.then(
    () => {
      throw new Error('expected the send to fail');
    },
    (e: unknown) => e,
  );
  expect((err as Error).name).toBe('DeliveryError');
  return err as DeliveryError;
}

beforeEach(async () => {
  now = START;
  fake = await startFakeDingtalk({ secret: SECRET, clock });
});
afterEach(() => fake.close());

describe('DingtalkRobotChannel', () => {
  it('names itself for the outbox and leaves room under the 20,000-byte body limit', () => {
    const c = channel();
    expect([c.name, c.label]).toEqual(['dingtalk-robot', '钉钉群机器人']);
    expect(c.maxMarkdownBytes).toBeLessThan(20_000);
  });

  it('delivers a signed markdown message that @-mentions the unit liaisons', async () => {
    await expect(channel().send(message('m-1'))).resolves.toEqual({});
    expect(fake.delivered).toHaveLength(1);
    const d = fake.delivered[0]!;
    expect(d.body.msgtype).toBe('markdown');
    expect(d.msgUuid).toBe('m-1');
    expect(d.title).toBe('督办提醒：请报送进展');
    expect(d.atMobiles).toEqual(['13800000001', '13800000002']);
    expect(d.atUserIds).toEqual(['zhang3', 'wang5']);
    expect(d.text).toBe('### 督办提醒\n\n**任务**：推进法治政府建设\n\n- 截止：5月25日\n\n请区司法局联络员 @13800000001 @13800000002 @wang5 查收');
    expect(d.query.timestamp).toBe(String(START));
    expect(d.query.sign).toBe(robotSign(SECRET, START));
    expect(d.query.access_token).toBe('robot-token');
    // the signature is URL-encoded exactly once in the request line
    expect(fake.attempts[0]!.rawUrl).toContain(`sign=${encodeURIComponent(robotSign(SECRET, START))}`);
  });

  it('signs every request with a fresh timestamp and replaces a stale one left in the webhook', async () => {
    const stale = `${fake.webhook}&timestamp=1&sign=old`;
    const c = channel({ webhook: stale });
    await c.send(message('m-1'));
    now += 90 * 60 * 1000; // later than a signature's one-hour life
    await c.send(message('m-2'));
    expect(fake.delivered.map((d) => d.query.timestamp)).toEqual([String(START), String(now)]);
    expect(fake.attempts.every((a) => (a.rawUrl.match(/timestamp=/g) ?? []).length === 1)).toBe(true);
  });

  it('mentions one person for a person destination and nobody for the group', async () => {
    const c = channel();
    await c.send(message('p', { to: { kind: 'person', person: WANG } }));
    await c.send(message('g', { to: { kind: 'group' } }));
    const [p, g] = fake.delivered;
    expect(p!.atUserIds).toEqual(['wang5']);
    expect(p!.atMobiles).toEqual([]);
    expect(p!.text).toMatch(/\n\n请 @wang5 查收$/);
    expect(g!.atMobiles).toEqual([]);
    expect(g!.atUserIds).toEqual([]);
    expect(g!.text).toBe(message('g').markdown);
  });

  it('does not sign without a secret', async () => {
    await fake.close();
    fake = await startFakeDingtalk({ clock });
    await channel({ secret: undefined }).send(message('m-1'));
    expect(fake.delivered[0]!.query).toEqual({ access_token: 'robot-token' });
  });

  it('fails the channel with a reason naming DINGTALK_SECRET when the secret is wrong', async () => {
    const err = await failure(channel({ secret: 'SECwrongwrongwrong' }).send(message('m-1')));
    expect(err.kind).toBe('channel');
    expect(err.code).toBe('310000');
    expect(err.message).toContain('sign not match');
    expect(err.message).toContain('DINGTALK_SECRET');
    expect(err.message).toContain('签名不匹配');
    expect(fake.delivered).toHaveLength(0);
  });

  it('fails the channel with a reason about the clock when it is 2 hours off', async () => {
    const err = await failure(channel({ clock: () => now + 2 * 60 * 60 * 1000 }).send(message('m-1')));
    expect(err.kind).toBe('channel');
    expect(err.message).toContain('invalid timestamp');
    expect(err.message).toContain('时钟');
  });

  it('fails the channel naming DINGTALK_WEBHOOK when the access_token does not exist', async () => {
    const err = await failure(channel({ webhook: fake.webhookFor('nope') }).send(message('m-1')));
    expect([err.kind, err.code]).toEqual(['channel', '300001']);
    expect(err.message).toContain('token is not exist');
    expect(err.message).toContain('DINGTALK_WEBHOOK');
  });

  it('explains a missing keyword', async () => {
    await fake.close();
    fake = await startFakeDingtalk({ clock, keywords: ['督办通知'] });
    const err = await failure(channel({ secret: undefined }).send(message('m-1')));
    expect(err.kind).toBe('channel');
    expect(err.message).toContain('关键词');
  });

  it('is throttled at the 21st message within a minute, and sends again a minute later', async () => {
    const c = channel();
    for (let i = 1; i <= 20; i++) {
      await c.send(message(`m-${i}`));
      now += 1000;
    }
    const err = await failure(c.send(message('m-21')));
    expect([err.kind, err.code]).toEqual(['throttled', '410100']);
    expect(err.message).toContain('发送速度太快而限流');
    now = START + 61_000;
    await expect(c.send(message('m-21'))).resolves.toEqual({});
    expect(fake.delivered).toHaveLength(21);
  });

  it('retries after an HTTP 500', async () => {
    fake.fail(1, { status: 500 });
    const err = await failure(channel().send(message('m-1')));
    expect([err.kind, err.code]).toEqual(['retry', 'HTTP 500']);
    await channel().send(message('m-1'));
    expect(fake.delivered).toHaveLength(1);
  });

  it('retries after a timeout when DingTalk never answers', async () => {
    fake.fail(1, 'hang');
    const started = Date.now();
    const err = await failure(channel({ timeoutMs: 200 }).send(message('m-1')));
    // Far below the 10 s default: the 200 ms given was used (with room for a slow machine).
    expect(Date.now() - started).toBeLessThan(5000);
    expect([err.kind, err.code]).toEqual(['retry', 'ETIMEDOUT']);
    expect(err.message).toContain('200 毫秒');
  });

  it('retries when the connection is reset', async () => {
    fake.fail(1, 'reset');
    const err = await failure(channel().send(message('m-1')));
    expect([err.kind, err.code]).toEqual(['retry', 'ECONNRESET']);
  });

  it('retries when the connection is refused', async () => {
    const closed = await startFakeDingtalk();
    const webhook = closed.webhook;
    await closed.close();
    const err = await failure(channel({ webhook }).send(message('m-1')));
    expect([err.kind, err.code]).toEqual(['retry', 'ECONNREFUSED']);
    expect(err.message).toContain('127.0.0.1');
  });

  it('gives up on the message (not the channel) when DingTalk says it is too long', async () => {
    fake.fail(1, { errcode: 460101, errmsg: 'message too long, exceed 20000 bytes' });
    const err = await failure(channel().send(message('m-1')));
    expect([err.kind, err.code]).toEqual(['message', '460101']);
    expect(err.message).toContain('exceed 20000 bytes');
  });

  it('does not send a body over 20,000 bytes at all', async () => {
    const err = await failure(channel().send(message('big', { markdown: '长'.repeat(7000) })));
    expect([err.kind, err.code]).toEqual(['message', '460101']);
    expect(fake.attempts).toHaveLength(0);
  });

  it('delivers a repeated msgUuid once, also when the first answer was lost to a timeout', async () => {
    // The request must reach the fake before the timeout, even on a busy machine: half a second for that.
    const c = channel({ timeoutMs: 500 });
    fake.delayMs = 1500;
    const err = await failure(c.send(message('m-1')));
    expect(err.kind).toBe('retry');
    fake.delayMs = 0;
    await expect(c.send(message('m-1'))).resolves.toEqual({});
    await expect(c.send(message('m-1'))).resolves.toEqual({});
    expect(fake.delivered).toHaveLength(1);
    expect(fake.attempts.map((a) => a.outcome)).toEqual(['delivered', 'duplicate', 'duplicate']);
  });
});

describe('robotMarkdownBody', () => {
  it('writes no mention line when nobody in the unit has a mobile or userId', () => {
    const body = robotMarkdownBody(message('k', { to: { kind: 'unit', unit: '区司法局', people: [{ name: '赵六', mobile: null, userId: null }] } }));
    expect(body.markdown.text).toBe(message('k').markdown);
    expect(body.at).toEqual({ atMobiles: [], atUserIds: [], isAtAll: false });
  });
});
