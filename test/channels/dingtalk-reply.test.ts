import type { BotReply } from '../../src/bot/message';
import type { DeliveryError } from '../../src/channels/channel';
import { DingtalkAppChannel } from '../../src/channels/dingtalk-app';
import { createDingtalkReplier, type DingtalkReplierOptions, type ReplyTarget, SESSION_MARGIN_MS, sessionReplyBody } from '../../src/channels/dingtalk-reply';
import { type FakeDingtalk, startFakeDingtalk } from '../helpers/fake-dingtalk';

const START = Date.UTC(2024, 4, 1, 1, 0, 0);
const GROUP = 'cid-group-1';
const SESSION = 'sess-secret-79b48';

let now = START;
const clock = (): number => now;
let fake: FakeDingtalk;

const REPLY: BotReply = { title: '督办', markdown: '已收到：第3项已报送', mentionSender: true };

function app(): DingtalkAppChannel {
  return new DingtalkAppChannel({ appKey: fake.appKey, appSecret: fake.appSecret, apiBase: fake.baseUrl, timeoutMs: 2000, clock });
}

function replier(options: Partial<DingtalkReplierOptions> = {}) {
  return createDingtalkReplier({ app: app(), timeoutMs: 500, clock, ...options });
}

function target(extra: Partial<ReplyTarget> = {}): ReplyTarget {
  return {
    sessionWebhook: fake.sessionWebhook(SESSION, START + 90 * 60_000),
    sessionWebhookExpiredTime: START + 90 * 60_000,
    conversation: { type: 'group', id: GROUP },
    senderId: 'user123',
    ...extra,
  };
}

async function failure(promise: Promise<unknown>): Promise<DeliveryError> {
  const err = await promise.then(
    () => {
      throw new Error('expected the reply to fail');
    },
    (e: unknown) => e,
  );
  expect((err as Error).name).toBe('DeliveryError');
  return err as DeliveryError;
}

beforeEach(async () => {
  now = START;
  fake = await startFakeDingtalk({ clock, groupIds: [GROUP] });
});
afterEach(() => fake.close());

describe('sessionReplyBody', () => {
  it('mentions the sender in a group with at.atUserIds and @userId at the end of the text', () => {
    expect(sessionReplyBody(target(), REPLY)).toEqual({
      msgtype: 'markdown',
      markdown: { title: '督办', text: '已收到：第3项已报送\n\n@user123' },
      at: { atUserIds: ['user123'], isAtAll: false },
    });
  });

  it('mentions nobody in a single chat, when the bot does not ask, or when the sender has no userId', () => {
    const plain = { title: '督办', text: '已收到：第3项已报送' };
    expect(sessionReplyBody(target({ conversation: { type: 'single', id: 'cid-1' } }), REPLY).markdown).toEqual(plain);
    expect(sessionReplyBody(target(), { ...REPLY, mentionSender: false }).at.atUserIds).toEqual([]);
    expect(sessionReplyBody(target({ senderId: null }), REPLY).markdown).toEqual(plain);
  });
});

describe('createDingtalkReplier', () => {
  it('posts to the sessionWebhook while it is valid, without a token', async () => {
    expect(await replier().reply(target(), REPLY)).toEqual({ via: 'session' });
    expect(fake.delivered).toHaveLength(1);
    expect(fake.delivered[0]).toMatchObject({ api: 'session', session: SESSION, title: '督办', text: '已收到：第3项已报送\n\n@user123', atUserIds: ['user123'] });
    expect(fake.tokensIssued).toHaveLength(0);
  });

  it('keeps a safety margin of 60 s before the expiry', async () => {
    expect(SESSION_MARGIN_MS).toBe(60_000);
    now = START + 90 * 60_000 - SESSION_MARGIN_MS - 1;
    expect((await replier().reply(target(), REPLY)).via).toBe('session');
    now += 1;
    expect((await replier().reply(target(), REPLY)).via).toBe('group');
  });

  it('uses the OpenAPI group send after the expiry, to the conversation the message came from', async () => {
    now = START + 2 * 60 * 60_000;
    const receipt = await replier().reply(target(), REPLY);
    expect(receipt.via).toBe('group');
    expect(receipt.platformId).toMatch(/^fake-pqk-/);
    expect(fake.delivered).toHaveLength(1);
    expect(fake.delivered[0]).toMatchObject({ api: 'group', openConversationId: GROUP, msgKey: 'sampleMarkdown', title: '督办', text: '已收到：第3项已报送' });
  });

  it('uses the OpenAPI 1:1 send for a single chat without a sessionWebhook', async () => {
    const receipt = await replier().reply(target({ sessionWebhook: null, sessionWebhookExpiredTime: null, conversation: { type: 'single', id: 'cid-single' } }), REPLY);
    expect(receipt.via).toBe('oto');
    expect(fake.delivered[0]).toMatchObject({ api: 'oto', userIds: ['user123'], title: '督办' });
  });

  it('does not trust a sessionWebhook without an expiry', async () => {
    expect((await replier().reply(target({ sessionWebhookExpiredTime: null }), REPLY)).via).toBe('group');
  });

  it('cannot answer a single chat of an external user once the session is gone', async () => {
    const err = await failure(replier().reply(target({ sessionWebhook: null, conversation: { type: 'single', id: 'c' }, senderId: null }), REPLY));
    expect([err.kind, err.code]).toEqual(['message', 'NO_USER_ID']);
    expect(err.message).toContain('外部联系人');
  });

  it('says DINGTALK_APP_KEY is missing when the OpenAPI is needed but not configured', async () => {
    now = START + 2 * 60 * 60_000;
    const err = await failure(replier({ app: null }).reply(target(), REPLY));
    expect([err.kind, err.code]).toEqual(['channel', 'NO_APP_KEY']);
    expect(err.message).toContain('DINGTALK_APP_KEY');
  });

  it('falls back to the OpenAPI when the sessionWebhook refuses (expired early, HTTP 500), and says so', async () => {
    const warnings: string[] = [];
    fake.expireSession(SESSION);
    expect((await replier({ onWarning: (t) => warnings.push(t) }).reply(target(), REPLY)).via).toBe('group');
    fake.fail(1, { status: 500 });
    expect((await replier({ onWarning: (t) => warnings.push(t) }).reply(target({ sessionWebhook: fake.sessionWebhook() }), REPLY)).via).toBe('group');
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toContain('300001');
    expect(warnings[0]).toContain('改用钉钉 OpenAPI 发送');
    expect(warnings.join('\n')).not.toContain(SESSION);
  });

  it('does not retry elsewhere when the sessionWebhook refuses the content itself', async () => {
    fake.fail(1, { errcode: 430104, errmsg: '消息内容中含有违禁词' });
    const err = await failure(replier().reply(target(), REPLY));
    expect([err.kind, err.code]).toEqual(['message', '430104']);
    expect(err.message).toContain('违禁词');
    expect(fake.delivered).toHaveLength(0);
  });

  it('throws a refusal when there is no OpenAPI to fall back to', async () => {
    fake.expireSession(SESSION);
    const err = await failure(replier({ app: null }).reply(target(), REPLY));
    expect(err.code).toBe('300001');
    expect(err.message).not.toContain(SESSION);
  });

  it('does not send twice when the sessionWebhook times out (the outcome is unknown)', async () => {
    fake.fail(1, 'hang');
    const err = await failure(replier().reply(target(), REPLY));
    expect([err.kind, err.code]).toEqual(['retry', 'ETIMEDOUT']);
    expect(err.message).not.toContain(SESSION);
    expect(fake.attempts.filter((a) => a.path !== '/robot/sendBySession')).toHaveLength(0);
  });

  it('passes the OpenAPI errors on, classified', async () => {
    now = START + 2 * 60 * 60_000;
    const err = await failure(replier().reply(target({ conversation: { type: 'group', id: 'cid-not-a-member' } }), REPLY));
    // Only this reply fails: the robot left that group. The message names it, not the supervision group's setting.
    expect(err.kind).toBe('message');
    expect(err.code).toBe('invalidParameter.openConversationId.invalid');
    expect(err.message).toContain('无法回复群 cid-not-a-member 中的消息：机器人已不在该群，或群已解散');
    expect(err.message).not.toContain('DINGTALK_GROUP_ID');
  });
});

describe('DingtalkAppChannel replies outside the outbox', () => {
  it('sends markdown to a conversation and to one user with the cached token', async () => {
    const channel = app();
    await channel.sendToConversation(GROUP, '督办', '**好的**');
    await channel.sendToUser('user9', '督办', '收到');
    expect(fake.tokensIssued).toHaveLength(1);
    expect(fake.delivered.map((d) => [d.api, d.openConversationId ?? d.userIds, d.msgParam])).toEqual([
      ['group', GROUP, { title: '督办', text: '**好的**' }],
      ['oto', ['user9'], { title: '督办', text: '收到' }],
    ]);
  });

  it('refuses an unknown userId or a flow-controlled one, and a group message over 15,000 bytes', async () => {
    await fake.close();
    fake = await startFakeDingtalk({ clock, groupIds: [GROUP], userIds: ['known'] });
    const channel = app();
    expect((await failure(channel.sendToUser('stranger', '督办', '收到'))).kind).toBe('message');
    fake.flowControlledUserIds.add('known');
    expect((await failure(channel.sendToUser('known', '督办', '收到'))).kind).toBe('throttled');
    const err = await failure(channel.sendToConversation(GROUP, '督办', '长'.repeat(6000)));
    expect([err.kind, err.code]).toEqual(['message', 'msgParam.tooLong']);
  });
});
