import type { DeliveryError, OutgoingMessage, Recipient } from '../../src/channels/channel';
import { type DingtalkAppOptions, DingtalkAppChannel, TOKEN_REFRESH_EARLY_MS } from '../../src/channels/dingtalk-app';
import { type FakeDingtalk, startFakeDingtalk } from '../helpers/fake-dingtalk';

const START = Date.UTC(2024, 4, 1, 1, 0, 0);
const TOKEN_PATH = '/v1.0/oauth2/accessToken';
const OTO_PATH = '/v1.0/robot/oToMessages/batchSend';

let now = START;
const clock = (): number => now;
let fake: FakeDingtalk;

function people(n: number): Recipient[] {
  return Array.from({ length: n }, (_, i) => ({ name: `联络员${i + 1}`, mobile: null, userId: `u${i + 1}` }));
}

function message(key: string, extra: Partial<OutgoingMessage> = {}): OutgoingMessage {
  return {
    key,
    title: '督办提醒',
    markdown: '### 督办提醒\n\n请于5月25日前报送进展',
    to: { kind: 'person', person: { name: '李四', mobile: '13800000002', userId: 'li4' } },
    ...extra,
  };
}

function channel(options: Partial<DingtalkAppOptions> = {}): DingtalkAppChannel {
  return new DingtalkAppChannel({ appKey: fake.appKey, appSecret: fake.appSecret, apiBase: fake.baseUrl, timeoutMs: 2000, clock, ...options });
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

const requestsTo = (path: string): number => fake.attempts.filter((a) => a.path === path).length;

beforeEach(async () => {
  now = START;
  fake = await startFakeDingtalk({ clock });
});
afterEach(() => fake.close());

describe('DingtalkAppChannel', () => {
  it('names itself and keeps markdown under the msgParam limit', () => {
    const c = channel();
    expect([c.name, c.label]).toEqual(['dingtalk-app', '钉钉应用机器人']);
    expect(c.maxMarkdownBytes).toBeLessThanOrEqual(12_000);
  });

  it('sends a person a 1:1 sampleMarkdown message with the robotCode defaulting to the app key', async () => {
    const receipt = await channel().send(message('m-1'));
    expect(fake.delivered).toHaveLength(1);
    const d = fake.delivered[0]!;
    expect(d.api).toBe('oto');
    expect(d.userIds).toEqual(['li4']);
    expect(d.body.robotCode).toBe(fake.appKey);
    expect(d.msgKey).toBe('sampleMarkdown');
    expect(d.msgParam).toEqual({ title: '督办提醒', text: '### 督办提醒\n\n请于5月25日前报送进展' });
    expect(receipt.platformId).toMatch(/^fake-pqk-/);
  });

  it('fetches the token once and reuses it, also for concurrent sends', async () => {
    const c = channel();
    await Promise.all([c.send(message('a')), c.send(message('b')), c.send(message('c'))]);
    await c.send(message('d'));
    expect(requestsTo(TOKEN_PATH)).toBe(1);
    expect(fake.tokensIssued).toHaveLength(1);
    expect(fake.delivered).toHaveLength(4);
  });

  it('refreshes the token 5 minutes before it expires, per the injected clock', async () => {
    const c = channel();
    await c.send(message('a'));
    now += 7200_000 - TOKEN_REFRESH_EARLY_MS - 1000;
    await c.send(message('b'));
    expect(fake.tokensIssued).toHaveLength(1);
    now += 2000; // inside the last 5 minutes of the token's life
    await c.send(message('c'));
    expect(fake.tokensIssued).toHaveLength(2);
    now += 3 * 60 * 60 * 1000; // long after expiry
    await c.send(message('d'));
    expect(fake.tokensIssued).toHaveLength(3);
    const headers = fake.attempts.filter((a) => a.path === OTO_PATH).map((a) => a.headers['x-acs-dingtalk-access-token']);
    expect(headers).toEqual([fake.tokensIssued[0]!.token, fake.tokensIssued[0]!.token, fake.tokensIssued[1]!.token, fake.tokensIssued[2]!.token]);
  });

  it('gets a fresh token once when DingTalk no longer accepts the cached one', async () => {
    const c = channel();
    await c.send(message('a'));
    fake.revokeTokens();
    await c.send(message('b'));
    expect(fake.tokensIssued).toHaveLength(2);
    expect(fake.delivered).toHaveLength(2);
  });

  it('fails the channel when a fresh token is refused too', async () => {
    fake.failUntil(() => false, { status: 401, code: 'InvalidAuthentication', message: '不合法的access_token' });
    const err = await failure(channel().send(message('a')));
    expect([err.kind, err.code]).toEqual(['channel', 'InvalidAuthentication']);
    expect(err.message).toContain('DINGTALK_APP_SECRET');
    expect(requestsTo(TOKEN_PATH)).toBe(2);
    expect(requestsTo(OTO_PATH)).toBe(2);
  });

  it('fails the channel naming the settings when the app secret is wrong', async () => {
    const err = await failure(channel({ appSecret: 'wrong' }).send(message('a')));
    expect(err.kind).toBe('channel');
    expect(err.message).toContain('DINGTALK_APP_KEY');
    expect(err.message).toContain('DINGTALK_APP_SECRET');
    expect(err.message).toContain('无效的clientId或者clientSecret');
  });

  it('splits 45 userIds into batchSend calls of 20, 20 and 5', async () => {
    await channel().send(message('unit', { to: { kind: 'unit', unit: '区司法局', people: people(45) } }));
    expect(fake.delivered.map((d) => d.userIds?.length)).toEqual([20, 20, 5]);
    expect(fake.delivered.flatMap((d) => d.userIds)).toEqual(people(45).map((p) => p.userId));
  });

  it('after a failed call, a retry only messages the people not reached yet', async () => {
    let calls = 0;
    fake.failWhen((r) => r.path === OTO_PATH && ++calls === 2, { status: 502 });
    const c = channel();
    const msg = message('unit', { to: { kind: 'unit', unit: '区司法局', people: people(45) } });
    const err = await failure(c.send(msg));
    expect([err.kind, err.code]).toEqual(['retry', 'ServiceUnavailable']);
    await c.send(msg);
    const reached = fake.delivered.flatMap((d) => d.userIds);
    expect(reached).toHaveLength(45);
    expect(new Set(reached).size).toBe(45);
  });

  it('skips liaisons without a userId, with a warning, and fails the message when nobody has one', async () => {
    const warnings: string[] = [];
    const c = channel({ onWarning: (w) => warnings.push(w) });
    const someone: Recipient = { name: '张三', mobile: '13800000001', userId: null };
    await c.send(message('a', { to: { kind: 'unit', unit: '区司法局', people: [someone, ...people(1)] } }));
    expect(fake.delivered[0]!.userIds).toEqual(['u1']);
    expect(warnings.join()).toContain('张三');
    const err = await failure(c.send(message('b', { to: { kind: 'unit', unit: '区司法局', people: [someone] } })));
    expect([err.kind, err.code]).toEqual(['message', 'NO_USER_ID']);
    expect(err.message).toContain('钉钉ID');
    expect(err.message).toContain('张三');
  });

  it('fails the message when DingTalk knows none of the userIds', async () => {
    await fake.close();
    fake = await startFakeDingtalk({ clock, userIds: ['li4'] });
    const err = await failure(channel().send(message('a', { to: { kind: 'person', person: { name: '某人', mobile: null, userId: 'ghost' } } })));
    expect(err.kind).toBe('message');
    expect(err.message).toContain('ghost');
  });

  it('sends a group message only with DINGTALK_GROUP_ID, failing that message alone without it', async () => {
    const err = await failure(channel().send(message('g', { to: { kind: 'group' } })));
    expect([err.kind, err.code]).toEqual(['message', 'DINGTALK_GROUP_ID']);
    expect(err.message).toContain('DINGTALK_GROUP_ID');
    expect(fake.attempts).toHaveLength(0);

    await channel({ groupId: fake.groupId }).send(message('g', { to: { kind: 'group' } }));
    expect(fake.delivered[0]).toMatchObject({ api: 'group', openConversationId: fake.groupId, msgKey: 'sampleMarkdown', title: '督办提醒' });
  });

  it('fails the channel naming DINGTALK_GROUP_ID when the group is unknown', async () => {
    const err = await failure(channel({ groupId: 'cid-unknown' }).send(message('g', { to: { kind: 'group' } })));
    expect(err.kind).toBe('channel');
    expect(err.message).toContain('DINGTALK_GROUP_ID');
  });

  it('fails the channel naming DINGTALK_ROBOT_CODE when the robotCode is wrong', async () => {
    const err = await failure(channel({ robotCode: 'dingwrong' }).send(message('a')));
    expect(err.kind).toBe('channel');
    expect(err.message).toContain('DINGTALK_ROBOT_CODE');
  });

  it('is throttled by a QPS limit code without refreshing the token', async () => {
    fake.fail(1, { status: 403, code: 'Forbidden.AccessDenied.QpsLimitForApi', message: '调用频率超过限制' });
    const err = await failure(channel().send(message('a')));
    expect([err.kind, err.code]).toEqual(['throttled', 'Forbidden.AccessDenied.QpsLimitForApi']);
    expect(requestsTo(TOKEN_PATH)).toBe(1);
  });

  it('is throttled for flow-controlled users and later sends only to them', async () => {
    fake.flowControlledUserIds.add('u2');
    const c = channel();
    const msg = message('unit', { to: { kind: 'unit', unit: '区司法局', people: people(3) } });
    const err = await failure(c.send(msg));
    expect(err.kind).toBe('throttled');
    expect(err.message).toContain('u2');
    fake.flowControlledUserIds.clear();
    await c.send(msg);
    expect(fake.delivered.map((d) => d.userIds)).toEqual([['u1', 'u3'], ['u2']]);
  });

  it('retries after a 5xx, a timeout or a refused connection', async () => {
    fake.fail(1, { status: 503 });
    expect((await failure(channel().send(message('a')))).kind).toBe('retry');
    fake.fail(1, 'hang');
    const timedOut = await failure(channel({ timeoutMs: 200 }).send(message('a')));
    expect([timedOut.kind, timedOut.code]).toEqual(['retry', 'ETIMEDOUT']);
    const base = fake.baseUrl;
    await fake.close();
    const refused = await failure(channel({ apiBase: base }).send(message('a')));
    expect([refused.kind, refused.code]).toEqual(['retry', 'ECONNREFUSED']);
  });

  it('gives up on the message for another 400', async () => {
    fake.fail(1, { status: 400, code: 'invalidParameter.msgParam.invalid', message: 'msgParam 不合法' });
    const err = await failure(channel().send(message('a')));
    expect([err.kind, err.code]).toEqual(['message', 'invalidParameter.msgParam.invalid']);
    expect(err.message).toContain('msgParam 不合法');
  });
});
