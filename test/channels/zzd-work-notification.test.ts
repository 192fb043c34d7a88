import { DeliveryError, type OutgoingMessage, type Recipient } from '../../src/channels/channel';
import { verifyZzdSignature, zzdHeaders } from '../../src/channels/zzd-sign';
import {
  createZzdWorkNotificationChannel,
  type ZzdWorkNotificationOptions,
  ZZD_MAX_MARKDOWN_BYTES,
} from '../../src/channels/zzd-work-notification';
import { type FakeZzd, startFakeZzd, ZZD_ERROR } from '../helpers/fake-zzd';

const person = (name: string, userId: string | null): Recipient => ({ name, mobile: null, userId });

const unitMessage = (key = 'task-1:2024-01'): OutgoingMessage => ({
  key,
  title: '督办提醒：请报送进展',
  markdown: '### 督办提醒\n\n请于 **1 月 25 日**前报送“优化营商环境”任务的进展。',
  to: { kind: 'unit', unit: '县发改局', people: [person('张三', '10001'), person('李四', null), person('王五', ' 10002 ')] },
});

/** Rejects with a DeliveryError; returns it for checks. */
async function deliveryError(p: Promise<unknown>): Promise<DeliveryError> {
  const e: unknown = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(DeliveryError);
  return e as DeliveryError;
}

describe('浙政钉 work-notification channel against the fake platform', () => {
  let now: number;
  let fake: FakeZzd;
  const clock = () => now;
  const channel = (over: Partial<ZzdWorkNotificationOptions> = {}) =>
    createZzdWorkNotificationChannel({
      baseUrl: fake.url,
      appKey: fake.appKey,
      appSecret: fake.appSecret,
      tenantId: fake.tenantId,
      timeoutMs: 2000,
      clock,
      random: () => 0.5,
      ...over,
    });

  beforeEach(async () => {
    now = Date.UTC(2024, 0, 1, 4);
    fake = await startFakeZzd({ clock });
  });
  afterEach(() => fake.close());

  it('names itself and keeps room in the 2,048-byte msg for the envelope', () => {
    const c = channel();
    expect(c.name).toBe('zzd');
    expect(c.label).toBe('浙政钉工作通知');
    expect(c.maxMarkdownBytes).toBeLessThanOrEqual(1600);
    expect(c.maxMarkdownBytes).toBe(ZZD_MAX_MARKDOWN_BYTES);
  });

  it("delivers a unit message to the people's accountIds with a valid signature, skipping people without one", async () => {
    const receipt = await channel().send(unitMessage());
    expect(receipt).toEqual({ platformId: 'msg-1' });
    expect(fake.delivered).toHaveLength(1);
    expect(fake.delivered[0]).toMatchObject({
      bizMsgId: 'task-1:2024-01',
      receiverIds: ['10001', '10002'],
      msg: { msgtype: 'markdown', markdown: { title: '督办提醒：请报送进展', text: unitMessage().markdown } },
    });
    const attempt = fake.attempts[0]!;
    expect(attempt).toMatchObject({ method: 'POST', path: '/message/workNotification', verdict: 'ok' });
    expect(attempt.params).toMatchObject({ tenantId: fake.tenantId, receiverIds: '10001,10002', bizMsgId: 'task-1:2024-01' });
    expect(attempt.headers['x-hmac-auth-timestamp']).toBe('2024-01-01T12:00:00.000+08:00');
    expect(attempt.headers['x-hmac-auth-version']).toBe('1.0');
    expect(attempt.headers['x-hmac-auth-nonce']).toBe('17040816000005000');
    expect(attempt.headers['content-type']).toMatch(/^application\/x-www-form-urlencoded/);
    // Re-checked here, independently of the fake, with the received (decoded) form fields.
    const check = verifyZzdSignature({
      appKey: fake.appKey,
      secret: fake.appSecret,
      method: 'POST',
      path: '/message/workNotification',
      params: attempt.params,
      headers: attempt.headers,
      now,
    });
    expect(check).toEqual({ ok: true });
  });

  it('tells the admin about liaisons it skipped for want of an accountId, as the app robot does', async () => {
    const warnings: string[] = [];
    await channel({ onWarning: (w) => warnings.push(w) }).send(unitMessage());
    expect(fake.delivered[0]!.receiverIds).toEqual(['10001', '10002']);
    expect(warnings).toEqual(['浙政钉工作通知：“督办提醒：请报送进展”没有发给县发改局的联络员李四，因为联络员名单（CONTACTS_FILE）中没有填钉钉ID（浙政钉 accountId），请补填。']);
  });

  it('sends a person destination to that one accountId', async () => {
    await channel().send({ ...unitMessage('digest-1'), to: { kind: 'person', person: person('赵书记', '20001') } });
    expect(fake.delivered[0]!.receiverIds).toEqual(['20001']);
  });

  it('by default neither fetches nor sends an access token (the SDK signs work notifications only)', async () => {
    await channel().send(unitMessage());
    expect(fake.attempts.map((a) => a.path)).toEqual(['/message/workNotification']);
    expect(fake.attempts[0]!.params).not.toHaveProperty('access_token');
  });

  it('with sendAccessToken, caches the token and fetches a new one after it expires', async () => {
    const c = channel({ sendAccessToken: true });
    await c.send(unitMessage('m1'));
    now += 60 * 60 * 1000; // 1 h: still valid
    await c.send(unitMessage('m2'));
    expect(fake.tokens).toEqual(['token-1']);
    now += 56 * 60 * 1000; // 1 h 56 min: within 5 min of the 2 h expiry
    await c.send(unitMessage('m3'));
    expect(fake.tokens).toEqual(['token-1', 'token-2']);
    expect(fake.delivered.map((d) => d.accessToken)).toEqual(['token-1', 'token-1', 'token-2']);
    const tokenCall = fake.attempts.find((a) => a.path === '/gettoken.json')!;
    expect(tokenCall).toMatchObject({ method: 'GET', verdict: 'ok', params: { appkey: fake.appKey, appsecret: fake.appSecret } });
  });

  it('with sendAccessToken, fetches a new token once when the platform rejects the cached one', async () => {
    const c = channel({ sendAccessToken: true });
    await c.send(unitMessage('m1'));
    fake.revokeTokens();
    await c.send(unitMessage('m2'));
    expect(fake.tokens).toEqual(['token-1', 'token-2']);
    expect(fake.delivered.map((d) => d.bizMsgId)).toEqual(['m1', 'm2']);
    fake.fail(2, { body: ZZD_ERROR.token });
    const e = await deliveryError(c.send(unitMessage('m3')));
    expect(e.kind).toBe('channel');
    expect(fake.tokens).toHaveLength(3);
  });

  it('treats a duplicate-bizMsgId answer as accepted, and the platform delivers only once', async () => {
    const c = channel();
    await c.send(unitMessage('same-key'));
    await expect(c.send(unitMessage('same-key'))).resolves.toEqual({});
    expect(fake.delivered).toHaveLength(1);
    expect(fake.attempts.map((a) => a.verdict)).toEqual(['ok', 'duplicate']);
  });

  it('fails with kind channel when the secret is wrong (forged signature), with a Chinese reason', async () => {
    const e = await deliveryError(channel({ appSecret: 'forged-secret' }).send(unitMessage()));
    expect(e.kind).toBe('channel');
    expect(e.code).toBe('InvalidSignature');
    expect(e.message).toContain('ZZD_APP_SECRET');
    expect(e.message).toContain('签名校验失败');
    expect(fake.attempts[0]!.verdict).toBe('signature');
    expect(fake.delivered).toHaveLength(0);
  });

  it('fails with kind channel when the server clock is 20 minutes off', async () => {
    const e = await deliveryError(channel({ clock: () => now - 20 * 60 * 1000 }).send(unitMessage()));
    expect(e.kind).toBe('channel');
    expect(fake.attempts[0]!.verdict).toBe('stale-timestamp');
  });

  it('retries on HTTP 500 and on a reset connection', async () => {
    fake.fail(1, 'http500');
    fake.fail(1, 'reset');
    const c = channel();
    expect((await deliveryError(c.send(unitMessage()))).kind).toBe('retry');
    expect((await deliveryError(c.send(unitMessage()))).kind).toBe('retry');
    await c.send(unitMessage());
    expect(fake.delivered).toHaveLength(1);
  });

  it('retries when the platform does not answer within the timeout', async () => {
    fake.fail(1, 'hang');
    const started = Date.now();
    const e = await deliveryError(channel({ timeoutMs: 200 }).send(unitMessage()));
    expect(e.kind).toBe('retry');
    expect(e.code).toBe('TIMEOUT');
    // Far below the 10 s default: the 200 ms given was used (with room for a slow machine).
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('classifies platform errors: busy → retry, flow control → throttled, parameter → message', async () => {
    fake.fail(1, { body: ZZD_ERROR.busy });
    fake.fail(1, { body: ZZD_ERROR.throttled });
    fake.fail(1, { body: ZZD_ERROR.param });
    fake.fail(1, { status: 403, body: { Code: 'Forbidden', Message: '无权限' } });
    const c = channel();
    const kinds = [];
    for (let i = 0; i < 4; i++) kinds.push((await deliveryError(c.send(unitMessage()))).kind);
    expect(kinds).toEqual(['retry', 'throttled', 'message', 'channel']);
  });

  it('includes the platform code and message in the Chinese reason', async () => {
    fake.fail(1, { body: ZZD_ERROR.param });
    const e = await deliveryError(channel().send(unitMessage()));
    expect(e.code).toBe('InvalidParameter');
    expect(e.message).toContain('InvalidParameter');
    expect(e.message).toContain('参数不合法');
  });

  it('refuses the group destination for that message alone, without calling the platform', async () => {
    const e = await deliveryError(channel().send({ ...unitMessage(), to: { kind: 'group' } }));
    expect(e.kind).toBe('message');
    expect(e.message).toContain('逐一');
    expect(fake.attempts).toHaveLength(0);
  });

  it('fails with kind message when nobody has an accountId, telling the admin to fill 钉钉ID', async () => {
    const msg: OutgoingMessage = { ...unitMessage(), to: { kind: 'unit', unit: '县财政局', people: [person('甲', null), person('乙', ' ')] } };
    const e = await deliveryError(channel().send(msg));
    expect(e.kind).toBe('message');
    expect(e.message).toContain('县财政局');
    expect(e.message).toContain('钉钉ID');
    expect(e.message).toContain('accountId');
    expect(fake.attempts).toHaveLength(0);
  });

  it('fails with kind message when the msg JSON would exceed 2,048 bytes', async () => {
    const e = await deliveryError(channel().send({ ...unitMessage(), markdown: '督'.repeat(700) }));
    expect(e.kind).toBe('message');
    expect(e.message).toContain('2048');
    expect(fake.attempts).toHaveLength(0);
  });

  it('the fake platform refuses unsigned requests and a signed msg over 2,048 bytes', async () => {
    const unsigned = await fetch(`${fake.url}/message/workNotification`, { method: 'POST' });
    expect(unsigned.status).toBe(401);
    const params = { tenantId: fake.tenantId, receiverIds: '1', bizMsgId: 'big', msg: JSON.stringify({ msgtype: 'text', text: { content: 'x'.repeat(2100) } }) };
    const headers = zzdHeaders({ appKey: fake.appKey, secret: fake.appSecret, method: 'POST', path: '/message/workNotification', params, now });
    const res = await fetch(`${fake.url}/message/workNotification`, { method: 'POST', headers, body: new URLSearchParams(params) });
    expect(await res.json()).toMatchObject({ success: false, Code: ZZD_ERROR.msgTooLong.Code });
    expect(fake.attempts.map((a) => a.verdict)).toEqual(['missing-header', 'msg-too-long']);
    expect(fake.delivered).toHaveLength(0);
  });
});
