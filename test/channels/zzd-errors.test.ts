import { classifyZzdFailure, isDuplicateBizMsgId, isTokenError } from '../../src/channels/zzd-errors';

const kind = (f: Parameters<typeof classifyZzdFailure>[0]) => classifyZzdFailure(f, '发送工作通知').kind;

describe('classifyZzdFailure', () => {
  it('sends signature, app-key, permission and token problems to the admins (channel)', () => {
    expect(kind({ code: 'InvalidSignature', message: '签名不匹配' })).toBe('channel');
    expect(kind({ code: 'Auth.Failed' })).toBe('channel');
    expect(kind({ message: 'apiKey不存在' })).toBe('channel');
    expect(kind({ status: 403 })).toBe('channel');
    expect(kind({ status: 401, message: 'Unauthorized' })).toBe('channel');
    expect(kind({ code: 'InvalidAccessToken', message: 'access_token 已过期' })).toBe('channel');
  });

  it('stops the channel when the address is wrong (HTTP 404, 405, a redirect), naming ZZD_BASE_URL', () => {
    expect(kind({ status: 404 })).toBe('channel');
    expect(kind({ status: 405 })).toBe('channel');
    expect(kind({ status: 302 })).toBe('channel');
    expect(classifyZzdFailure({ status: 404 }, '发送工作通知').message).toContain('ZZD_BASE_URL');
  });

  it('backs off on flow control (throttled) and retries busy platforms and HTTP 5xx', () => {
    expect(kind({ code: 'Throttling', message: '请求过于频繁' })).toBe('throttled');
    expect(kind({ message: '调用频率超过限制' })).toBe('throttled');
    expect(kind({ status: 429 })).toBe('throttled');
    expect(kind({ code: 'ServiceUnavailable', message: '系统繁忙，请稍后再试' })).toBe('retry');
    expect(kind({ status: 502 })).toBe('retry');
  });

  it('does not mistake a size limit for flow control (it would be retried forever, holding up the queue)', () => {
    expect(kind({ message: '消息内容超过长度限制' })).toBe('message');
    expect(kind({ code: 'InvalidParameter', message: 'msg 超过最大长度限制' })).toBe('message');
    expect(kind({ message: '接收人数超过上限' })).toBe('message');
    expect(kind({ message: '调用次数超过上限' })).toBe('throttled');
  });

  it('fails only this message on parameter errors and unknown refusals', () => {
    expect(kind({ code: 'InvalidParameter', message: 'receiverIds 参数错误' })).toBe('message');
    expect(kind({ bizErrorCode: 'X-123', message: '接收人不在应用可见范围' })).toBe('message');
  });

  it('writes a Chinese reason with the code, the platform message and the request id', () => {
    const e = classifyZzdFailure({ status: 200, code: 'InvalidParameter', message: 'msg 格式错误', requestId: 'r-1' }, '发送工作通知');
    expect(e.code).toBe('InvalidParameter');
    expect(e.message).toMatch(/^浙政钉发送工作通知失败（InvalidParameter，msg 格式错误，HTTP 200，请求号 r-1）/);
  });
});

describe('isDuplicateBizMsgId and isTokenError', () => {
  it('recognises a repeated bizMsgId but not a repeated nonce (a replay refusal)', () => {
    expect(isDuplicateBizMsgId({ message: 'bizMsgId 重复' })).toBe(true);
    expect(isDuplicateBizMsgId({ code: 'DuplicateBizMsgId' })).toBe(true);
    expect(isDuplicateBizMsgId({ message: 'nonce 重复，疑似重放请求' })).toBe(false);
    expect(isDuplicateBizMsgId({ message: '参数错误' })).toBe(false);
  });

  it('recognises an invalid or expired token', () => {
    expect(isTokenError({ code: 'InvalidAccessToken' })).toBe(true);
    expect(isTokenError({ message: 'access_token过期' })).toBe(true);
    expect(isTokenError({ message: 'token is missing' })).toBe(false);
  });
});
