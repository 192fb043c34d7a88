import { httpStatusError, openApiAnswerError, openApiError, robotAnswerError, robotErrcodeError, securityReason, tokenAnswerError } from '../../src/channels/dingtalk-errors';

const CHINESE = /[\u4e00-\u9fff]/;

describe('robotErrcodeError', () => {
  it.each([
    [410100, 'throttled'],
    [130101, 'throttled'],
    [310000, 'channel'],
    [300001, 'channel'],
    [300005, 'channel'],
    [400013, 'channel'],
    [400101, 'channel'],
    [400102, 'channel'],
    [400106, 'channel'],
    [400105, 'message'],
    [430101, 'message'],
    [430102, 'message'],
    [430103, 'message'],
    [430104, 'message'],
    [460101, 'message'],
    [101002, 'message'],
    [-1, 'retry'],
    [999999, 'retry'],
  ])('errcode %i is %s, explained in Chinese with the code and errmsg', (errcode, kind) => {
    const err = robotErrcodeError(errcode, 'the errmsg');
    expect(err.kind).toBe(kind);
    expect(err.code).toBe(String(errcode));
    expect(err.message).toContain(String(errcode));
    expect(err.message).toContain('the errmsg');
    expect(err.message).toMatch(CHINESE);
  });
});

describe('securityReason (310000)', () => {
  it.each([
    ['sign not match, more: [https://ding-doc.dingtalk.com/doc#/serverapi2/qf2nxq]', 'DINGTALK_SECRET'],
    ['description:机器人发送签名不匹配;solution:请确认签名和生成签名的时间戳必须都放在调用的网址中', 'DINGTALK_SECRET'],
    ['invalid timestamp', '时钟'],
    ['description:机器人发送签名过期;solution:签名生成时间和发送时间请保持在 timestampms 以内;', '时钟'],
    ['keywords not in content', '关键词'],
    ['错误描述:关键词不匹配;解决方案:请联系群管理员查看此机器人的关键词', '关键词'],
    ['ip 1.2.3.4 not in whitelist', '1.2.3.4'],
    ['description:ip 不在白名单中;solution:请联系对应群的管理员，设置机器人安全ip地址段', '出口 IP'],
    ['something new', '安全设置'],
  ])('%s → mentions %s', (errmsg, expected) => {
    expect(securityReason(errmsg)).toContain(expected);
  });
});

describe('robotAnswerError', () => {
  it('accepts errcode 0 only, also as a string', () => {
    expect(robotAnswerError(200, { errcode: 0, errmsg: 'ok' }, '')).toBeNull();
    expect(robotAnswerError(200, { errcode: '0', errmsg: 'ok' }, '')).toBeNull();
    expect(robotAnswerError(200, { errcode: 310000, errmsg: 'sign not match' }, '')?.kind).toBe('channel');
  });

  it('retries an HTTP 200 that is not DingTalk JSON', () => {
    const err = robotAnswerError(200, undefined, '<html>portal</html>');
    expect(err?.kind).toBe('retry');
    expect(err?.message).toContain('portal');
  });

  it.each([
    [500, 'retry'],
    [502, 'retry'],
    [429, 'retry'],
    [401, 'channel'],
    [403, 'channel'],
    [404, 'channel'],
    [302, 'channel'],
    [400, 'message'],
    [413, 'message'],
  ])('HTTP %i is %s', (status, kind) => {
    const err = robotAnswerError(status, undefined, 'body text');
    expect(err?.kind).toBe(kind);
    expect(err?.code).toBe(`HTTP ${status}`);
    expect(err?.message).toContain('body text');
  });

  it('names the fix for auth statuses', () => {
    expect(httpStatusError(403, '', '钉钉群机器人', '请检查 X').message).toContain('请检查 X');
  });
});

describe('openApiAnswerError', () => {
  const classify = (status: number, body: unknown): ReturnType<typeof openApiAnswerError> => openApiAnswerError(openApiError(status, body, JSON.stringify(body)));

  it.each([
    [429, 'Throttling', 'throttled'],
    [403, 'Forbidden.AccessDenied.QpsLimitForApi', 'throttled'],
    [400, 'send.too.fast', 'throttled'],
    [400, 'send.byToken.tooFast', 'throttled'],
    [401, 'InvalidAuthentication', 'channel'],
    [400, 'InvalidAuthentication', 'channel'],
    [403, 'Forbidden.AccessDenied.AccessTokenPermissionDenied', 'channel'],
    [400, 'invalidParameter.robotCode.empty', 'channel'],
    [400, 'invalidParameter.openConversationId.invalid', 'channel'],
    [500, 'InternalError', 'retry'],
    [503, 'ServiceUnavailable', 'retry'],
    [400, 'invalidParameter.msgParam.invalid', 'message'],
    [400, 'invalidParameter.userIds.overMax', 'message'],
  ])('HTTP %i %s is %s', (status, code, kind) => {
    const err = classify(status, { code, message: '平台说明', requestid: 'R1' });
    expect(err.kind).toBe(kind);
    expect(err.code).toBe(code);
    expect(err.message).toContain(code);
    expect(err.message).toContain('平台说明');
  });

  it('falls back to the HTTP status when the body is not JSON', () => {
    const err = openApiAnswerError(openApiError(502, undefined, 'Bad Gateway'));
    expect([err.kind, err.code]).toEqual(['retry', 'HTTP 502']);
    expect(err.message).toContain('Bad Gateway');
  });
});

describe('tokenAnswerError', () => {
  it('blames the key and secret for a 4xx, retries a 5xx', () => {
    expect(tokenAnswerError(openApiError(400, { code: 'invalidClientIdOrSecret', message: 'x' }, '')).kind).toBe('channel');
    expect(tokenAnswerError(openApiError(429, {}, '')).kind).toBe('throttled');
    expect(tokenAnswerError(openApiError(500, {}, '')).kind).toBe('retry');
  });
});

describe('attempts limit', () => {
  it('gives an unknown errcode a few tries, but waits out a busy DingTalk however long', () => {
    expect(robotErrcodeError(40035, '缺少参数 json').attemptsLimit).toBe(6);
    expect(robotErrcodeError(-1, '系统繁忙').attemptsLimit).toBeUndefined();
    expect(robotErrcodeError(410100, '限流').attemptsLimit).toBeUndefined();
  });
});
