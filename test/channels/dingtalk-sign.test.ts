import { isFreshTimestamp, robotSign, SIGN_MAX_SKEW_MS, verifySign } from '../../src/channels/dingtalk-sign';

// Published vector (CatchZeng/dingtalk security_test.go), see /work/shared/reference/dingtalk-protocol.md §5.
const SECRET = 'SECb90923e19e58b466481e9e7b7a5b4f108a4531abde590ad3967fb29f0eae5c68';
const TS = 1582163555000;
const RAW = 'BQKsG+QOCl+bYJOLc6pxDHxjVquzlZPWgvRzeN2J5zY=';
const ENCODED = 'BQKsG%2BQOCl%2BbYJOLc6pxDHxjVquzlZPWgvRzeN2J5zY%3D';

describe('robotSign', () => {
  it('matches the published vector as raw base64', () => {
    expect(robotSign(SECRET, TS)).toBe(RAW);
    expect(robotSign(SECRET, String(TS))).toBe(RAW);
  });

  it('is encoded exactly once by URLSearchParams, giving the published URL-encoded value', () => {
    const url = new URL('https://oapi.dingtalk.com/robot/send?access_token=abc');
    url.searchParams.set('timestamp', String(TS));
    url.searchParams.set('sign', robotSign(SECRET, TS));
    expect(url.search).toContain(`sign=${ENCODED}`);
    expect(encodeURIComponent(robotSign(SECRET, TS))).toBe(ENCODED);
    expect(new URL(url.toString()).searchParams.get('sign')).toBe(RAW);
  });

  it('matches the self-computed regression vector for the doc sample secret', () => {
    expect(robotSign('this is secret', 1577262236757)).toBe('hmPWwU+7lVdm3ZZz0r9tSfx0L4Q26jWOZr9+Gs6EZQM=');
  });
});

describe('verifySign', () => {
  it('accepts the right signature and rejects others', () => {
    expect(verifySign(SECRET, TS, RAW)).toBe(true);
    expect(verifySign(SECRET, String(TS), RAW)).toBe(true);
    expect(verifySign(SECRET, TS + 1, RAW)).toBe(false);
    expect(verifySign('SECother', TS, RAW)).toBe(false);
    expect(verifySign(SECRET, TS, ENCODED)).toBe(false);
    expect(verifySign(SECRET, TS, RAW.slice(0, -1))).toBe(false);
    expect(verifySign(SECRET, TS, '')).toBe(false);
    expect(verifySign(SECRET, 'abc', RAW)).toBe(false);
  });
});

describe('isFreshTimestamp', () => {
  it('allows one hour of skew either way', () => {
    expect(isFreshTimestamp(TS, TS + SIGN_MAX_SKEW_MS)).toBe(true);
    expect(isFreshTimestamp(String(TS), TS - SIGN_MAX_SKEW_MS)).toBe(true);
    expect(isFreshTimestamp(TS, TS + SIGN_MAX_SKEW_MS + 1)).toBe(false);
    expect(isFreshTimestamp('1582163555', TS)).toBe(false);
    expect(isFreshTimestamp('12e3', 12000)).toBe(false);
  });
});
