// The fake DingTalk itself: other tests (outbox, crash, outage) rely on it behaving like DingTalk.
import * as crypto from 'node:crypto';
import { type FakeDingtalk, startFakeDingtalk } from '../helpers/fake-dingtalk';

const SECRET = 'SECfakeSecretForTheFake';
const START = Date.UTC(2024, 4, 1, 1, 0, 0);
let now = START;
const clock = (): number => now;
let fake: FakeDingtalk;

const sign = (ts: number | string): string => crypto.createHmac('sha256', SECRET).update(`${ts}\n${SECRET}`).digest('base64');

async function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

function signedWebhook(ts = now, signature = sign(ts)): string {
  const u = new URL(fake.webhook);
  u.searchParams.set('timestamp', String(ts));
  u.searchParams.set('sign', signature);
  return u.toString();
}

const markdown = (text: string, msgUuid?: string): unknown => ({ msgtype: 'markdown', markdown: { title: 't', text }, msgUuid });

beforeEach(async () => {
  now = START;
  fake = await startFakeDingtalk({ secret: SECRET, clock });
});
afterEach(() => fake.close());

describe('fake DingTalk custom robot', () => {
  it('answers HTTP 200 with errcode, like DingTalk, and records attempts', async () => {
    expect(await post(signedWebhook(), markdown('hi'))).toEqual({ status: 200, json: { errcode: 0, errmsg: 'ok' } });
    expect(await post(fake.webhookFor('nope'), markdown('hi'))).toEqual({ status: 200, json: { errcode: 300001, errmsg: 'token is not exist' } });
    expect(fake.attempts.map((a) => a.outcome)).toEqual(['delivered', 'rejected']);
    expect(fake.delivered).toHaveLength(1);
  });

  it('refuses a signature sent without URL-encoding or encoded twice', async () => {
    let ts = START;
    while (!sign(ts).includes('+')) ts++;
    now = ts;
    const raw = `${fake.webhook}&timestamp=${ts}&sign=${sign(ts)}`; // '+' arrives as a space
    expect((await post(raw, markdown('x'))).json).toEqual({ errcode: 310000, errmsg: 'sign not match' });
    const twice = `${fake.webhook}&timestamp=${ts}&sign=${encodeURIComponent(encodeURIComponent(sign(ts)))}`;
    expect((await post(twice, markdown('x'))).json.errmsg).toBe('sign not match');
    expect((await post(`${fake.webhook}&timestamp=${ts}&sign=${encodeURIComponent(sign(ts))}`, markdown('x'))).json.errcode).toBe(0);
  });

  it('refuses a timestamp more than an hour from its clock, or none', async () => {
    const late = START - 60 * 60 * 1000 - 1;
    expect((await post(signedWebhook(late), markdown('x'))).json).toEqual({ errcode: 310000, errmsg: 'invalid timestamp' });
    expect((await post(fake.webhook, markdown('x'))).json.errmsg).toBe('invalid timestamp');
    expect((await post(signedWebhook(START + 60 * 60 * 1000), markdown('x'))).json.errcode).toBe(0);
  });

  it('refuses a body over 20,000 bytes with 460101, and a bad msgtype with 400105', async () => {
    expect((await post(signedWebhook(), markdown('x'.repeat(20_000)))).json.errcode).toBe(460101);
    expect((await post(signedWebhook(), { msgtype: 'table' })).json.errcode).toBe(400105);
    expect((await post(signedWebhook(), 'not json')).json.errcode).toBe(40035);
  });

  it('rate-limits per token over a rolling minute, with an optional penalty', async () => {
    await fake.close();
    fake = await startFakeDingtalk({ clock, ratePerMinute: 2, throttleMs: 10 * 60 * 1000 });
    expect((await post(fake.webhook, markdown('1'))).json.errcode).toBe(0);
    expect((await post(fake.webhook, markdown('2'))).json.errcode).toBe(0);
    expect((await post(fake.webhook, markdown('3'))).json).toEqual({ errcode: 410100, errmsg: '发送速度太快而限流' });
    now += 61_000;
    expect((await post(fake.webhook, markdown('4'))).json.errcode).toBe(410100); // still in the penalty
    now += 10 * 60 * 1000;
    expect((await post(fake.webhook, markdown('5'))).json.errcode).toBe(0);
  });

  it('answers ok to a repeated msgUuid without delivering it twice', async () => {
    await post(signedWebhook(), markdown('x', 'uuid-1'));
    expect((await post(signedWebhook(), markdown('x', 'uuid-1'))).json.errcode).toBe(0);
    expect(fake.delivered).toHaveLength(1);
    expect(fake.delivered[0]!.msgUuid).toBe('uuid-1');
  });

  it('injects failures by count, until a time or a predicate, and per scope', async () => {
    fake.fail(2, { errcode: -1, errmsg: '系统繁忙' });
    expect((await post(signedWebhook(), markdown('a'))).json.errcode).toBe(-1);
    expect((await post(signedWebhook(), markdown('b'))).json.errcode).toBe(-1);
    expect((await post(signedWebhook(), markdown('c'))).json.errcode).toBe(0);

    fake.failUntil(START + 5000, { status: 503 });
    expect((await post(signedWebhook(), markdown('d'))).status).toBe(503);
    now = START + 5000;
    expect((await post(signedWebhook(), markdown('e'))).status).toBe(200);

    let up = false;
    fake.failUntil(() => up, { status: 502 });
    expect((await post(signedWebhook(), markdown('f'))).status).toBe(502);
    up = true;
    expect((await post(signedWebhook(), markdown('g'))).status).toBe(200);

    fake.fail(1, { status: 500 }, 'token');
    expect((await post(signedWebhook(), markdown('h'))).status).toBe(200);
    expect(fake.attempts.map((a) => a.outcome)).toEqual(['failed', 'failed', 'delivered', 'failed', 'delivered', 'failed', 'delivered', 'delivered']);
  });

  it('delivers before a delayed answer, and ends hanging requests when closed', async () => {
    fake.delayMs = 100;
    const pending = post(signedWebhook(), markdown('slow'));
    await fake.waitForAttempts(1);
    expect(fake.delivered).toHaveLength(1);
    expect((await pending).json.errcode).toBe(0);

    fake.delayMs = 0;
    fake.fail(1, 'hang');
    const hanging = post(signedWebhook(), markdown('never'));
    await fake.waitForAttempts(2);
    expect(fake.attempts[1]!.outcome).toBe('hang');
    await fake.close();
    await expect(hanging).rejects.toThrow();
  });

  it('reset() forgets everything', async () => {
    await post(signedWebhook(), markdown('x', 'u'));
    fake.fail(5, 'reset');
    fake.reset();
    expect([fake.delivered.length, fake.attempts.length]).toEqual([0, 0]);
    expect((await post(signedWebhook(), markdown('x', 'u'))).json.errcode).toBe(0);
    expect(fake.delivered).toHaveLength(1);
  });
});

describe('fake DingTalk OpenAPI', () => {
  async function token(): Promise<string> {
    const { json } = await post(fake.url('/v1.0/oauth2/accessToken'), { appKey: fake.appKey, appSecret: fake.appSecret });
    return json.accessToken as string;
  }
  const oto = (userIds: string[]): unknown => ({ robotCode: fake.robotCode, userIds, msgKey: 'sampleMarkdown', msgParam: JSON.stringify({ title: 't', text: 'x' }) });

  it('issues tokens that expire on its clock', async () => {
    expect((await post(fake.url('/v1.0/oauth2/accessToken'), { appKey: fake.appKey, appSecret: 'bad' })).status).toBe(400);
    const t = await token();
    const send = (): ReturnType<typeof post> => post(fake.url('/v1.0/robot/oToMessages/batchSend'), oto(['u1']), { 'x-acs-dingtalk-access-token': t });
    expect((await send()).status).toBe(200);
    now += 7200_000;
    const expired = await send();
    expect(expired.status).toBe(400);
    expect(expired.json.code).toBe('InvalidAuthentication');
  });

  it('checks userIds and answers batchSend like DingTalk', async () => {
    await fake.close();
    fake = await startFakeDingtalk({ clock, userIds: ['u1', 'u2'] });
    fake.flowControlledUserIds.add('u2');
    const headers = { 'x-acs-dingtalk-access-token': await token() };
    const many = await post(fake.url('/v1.0/robot/oToMessages/batchSend'), oto(Array.from({ length: 21 }, (_, i) => `u${i}`)), headers);
    expect([many.status, many.json.code]).toEqual([400, 'invalidParameter.userIds.overMax']);
    const ok = await post(fake.url('/v1.0/robot/oToMessages/batchSend'), oto(['u1', 'u2', 'u3']), headers);
    expect(ok.json).toMatchObject({ invalidStaffIdList: ['u3'], flowControlledStaffIdList: ['u2'] });
    expect(fake.delivered.map((d) => d.userIds)).toEqual([['u1']]);
  });
});
