import {
  compareCaseInsensitive,
  verifyZzdSignature,
  zzdCanonicalParams,
  zzdHeaders,
  zzdNonce,
  zzdSignature,
  zzdStringToSign,
  zzdTimestamp,
} from '../../src/channels/zzd-sign';

const VECTOR = {
  secret: 'test-app-secret',
  method: 'GET',
  timestamp: '2024-01-01T12:00:00.000+08:00',
  nonce: '17040816000001234',
  path: '/gettoken.json',
  params: { appkey: 'test-app-key', appsecret: 'test-app-secret' },
};

describe('zzdSignature', () => {
  it('matches the regression vector of the protocol notes (test vector 4)', () => {
    expect(zzdSignature(VECTOR)).toBe('bX0UP06Squjab+UocSxoNEoxSG1M7PFJzmBsD2LV+rM=');
  });

  it('does not depend on the order the parameters are given in', () => {
    expect(zzdSignature({ ...VECTOR, params: { appsecret: 'test-app-secret', appkey: 'test-app-key' } })).toBe(
      'bX0UP06Squjab+UocSxoNEoxSG1M7PFJzmBsD2LV+rM=',
    );
  });

  it('omits the parameter line when there are no parameters', () => {
    const input = { method: 'POST', timestamp: 'T', nonce: 'N', path: '/p' };
    expect(zzdStringToSign(input)).toBe('POST\nT\nN\n/p');
    expect(zzdStringToSign({ ...input, params: { empty: '', blank: '  ', nothing: undefined } })).toBe('POST\nT\nN\n/p');
  });
});

describe('zzdCanonicalParams', () => {
  it('sorts keys case-insensitively, repeats a key per value with the values sorted, and drops empty values', () => {
    expect(zzdCanonicalParams({ b: '2', A: '1', c: ['z', 'y'], d: '', e: null, F: 0 })).toBe('A=1&b=2&c=y&c=z&F=0');
  });

  it('keeps values raw, not URL-encoded, as the Java SDK does', () => {
    const msg = JSON.stringify({ msgtype: 'markdown', markdown: { title: '督办 提醒', text: 'a&b=c+d 100%' } });
    expect(zzdCanonicalParams({ msg, tenantId: '1' })).toBe(`msg=${msg}&tenantId=1`);
  });

  it('accepts received pairs with repeated keys, merging keys that differ only in case', () => {
    expect(
      zzdCanonicalParams([
        ['x', '2'],
        ['X', '1'],
        ['a', 'q'],
      ]),
    ).toBe('a=q&x=1&x=2');
  });

  it('orders like Java String.CASE_INSENSITIVE_ORDER', () => {
    expect(['tenantId', 'bizMsgId', 'Msg', 'receiverIds', 'access_token'].sort(compareCaseInsensitive)).toEqual([
      'access_token',
      'bizMsgId',
      'Msg',
      'receiverIds',
      'tenantId',
    ]);
    expect(compareCaseInsensitive('abc', 'ABC')).toBe(0);
    expect(compareCaseInsensitive('ab', 'abc')).toBeLessThan(0);
    // Java ends by comparing lower-cased chars: '_' (0x5F) < 'z' (0x7A), though '_' > 'Z' (0x5A) in plain order.
    expect(compareCaseInsensitive('a_b', 'aZ')).toBeLessThan(0);
    expect(['aZ', 'a_b'].sort()).toEqual(['aZ', 'a_b']);
  });
});

describe('zzdTimestamp and zzdNonce', () => {
  it('formats a UTC instant in China time with milliseconds and +08:00', () => {
    expect(zzdTimestamp(Date.UTC(2024, 0, 1, 4, 0, 0))).toBe('2024-01-01T12:00:00.000+08:00');
    expect(zzdTimestamp(Date.UTC(2023, 11, 31, 20, 30, 15, 5))).toBe('2024-01-01T04:30:15.005+08:00');
  });

  it('makes the nonce from the 13-digit ms timestamp and 4 random digits', () => {
    const ms = Date.UTC(2024, 0, 1, 4);
    expect(zzdNonce(ms, () => 0.1234)).toBe('17040816000001234');
    expect(zzdNonce(ms, () => 0)).toBe('17040816000000000');
    expect(zzdNonce(ms, () => 0.99999)).toMatch(/^\d{13}9999$/);
  });
});

describe('zzdHeaders and verifyZzdSignature', () => {
  const now = Date.UTC(2024, 0, 1, 4);
  const params = { appkey: 'test-app-key', appsecret: 'test-app-secret' };
  const headers = zzdHeaders({
    appKey: 'test-app-key',
    secret: 'test-app-secret',
    method: 'GET',
    path: '/gettoken.json',
    params,
    now,
    random: () => 0.1234,
    ip: '10.0.0.1',
    mac: 'aa:bb:cc:dd:ee:ff',
  });
  const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  const verify = (over: Partial<Parameters<typeof verifyZzdSignature>[0]> = {}) =>
    verifyZzdSignature({ appKey: 'test-app-key', secret: 'test-app-secret', method: 'GET', path: '/gettoken.json', params, headers: lower, now, ...over });

  it('builds the seven X-Hmac-Auth headers, signed as in the vector', () => {
    expect(headers).toEqual({
      apiKey: 'test-app-key',
      'X-Hmac-Auth-Timestamp': '2024-01-01T12:00:00.000+08:00',
      'X-Hmac-Auth-Version': '1.0',
      'X-Hmac-Auth-Nonce': '17040816000001234',
      'X-Hmac-Auth-Signature': 'bX0UP06Squjab+UocSxoNEoxSG1M7PFJzmBsD2LV+rM=',
      'X-Hmac-Auth-IP': '10.0.0.1',
      'X-Hmac-Auth-MAC': 'aa:bb:cc:dd:ee:ff',
    });
  });

  it('accepts the request it signed, within 15 minutes either way', () => {
    expect(verify()).toEqual({ ok: true });
    expect(verify({ now: now + 14 * 60_000 })).toEqual({ ok: true });
    expect(verify({ now: now - 14 * 60_000 })).toEqual({ ok: true });
  });

  it('rejects a wrong secret, a changed parameter or path, a stale timestamp, a foreign apiKey', () => {
    expect(verify({ secret: 'other' })).toEqual({ ok: false, reason: 'signature' });
    expect(verify({ params: { ...params, appkey: 'x' } })).toEqual({ ok: false, reason: 'signature' });
    expect(verify({ path: '/message/workNotification' })).toEqual({ ok: false, reason: 'signature' });
    expect(verify({ now: now + 16 * 60_000 })).toEqual({ ok: false, reason: 'stale-timestamp' });
    expect(verify({ appKey: 'other-key' })).toEqual({ ok: false, reason: 'api-key' });
    expect(verify({ headers: { ...lower, 'x-hmac-auth-signature': undefined } })).toEqual({ ok: false, reason: 'missing-header' });
  });
});
