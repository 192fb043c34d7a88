import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import axios from 'axios';
import { createLogger, SecretMask } from '../src/logger';

function collect(): { stream: Writable; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      chunks.push(chunk.toString('utf8'));
      done();
    },
  });
  return { stream, text: () => chunks.join('') };
}

describe('createLogger', () => {
  it('writes JSON lines with the Chinese message and redacts secrets', () => {
    const out = collect();
    const logger = createLogger({ level: 'info', format: 'json', destination: out.stream });
    logger.info({ file: 'data/plan.txt', app: { secret: 'SECb90923e1' }, token: 'abc' }, '已导入计划');
    const line = JSON.parse(out.text().trim());
    expect(line).toMatchObject({ level: 30, msg: '已导入计划', file: 'data/plan.txt', app: { secret: '***' }, token: '***' });
    expect(out.text()).not.toContain('SECb90923e1');
  });

  it('writes readable lines with Chinese level names in pretty format', () => {
    const out = collect();
    const logger = createLogger({ level: 'info', format: 'pretty', destination: out.stream });
    logger.warn({ unknown: 2 }, '单位目录中没有 2 个单位');
    logger.debug('not shown at info');
    expect(out.text()).toMatch(/^\[\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\] 警告: 单位目录中没有 2 个单位\n$/);
  });
});

describe('readable log times', () => {
  afterEach(() => jest.useRealTimers());

  it('are Beijing time although the process runs in UTC', () => {
    jest.useFakeTimers({ now: new Date('2025-09-30T17:30:05Z') });
    const out = collect();
    createLogger({ level: 'info', format: 'pretty', destination: out.stream }).info('提醒已发出');
    expect(out.text()).toBe('[2025-10-01 01:30:05] 信息: 提醒已发出\n');
    const other = collect();
    createLogger({ level: 'info', format: 'pretty', destination: other.stream, timeZone: 'UTC' }).info('提醒已发出');
    expect(other.text()).toBe('[2025-09-30 17:30:05] 信息: 提醒已发出\n');
  });
});

describe('what the logger never writes', () => {
  it('logs an error as name, code, message and stack, not the request it carries (an axios error)', async () => {
    const out = collect();
    const logger = createLogger({ level: 'info', format: 'json', destination: out.stream });
    const server = http.createServer((_req, res) => res.writeHead(500).end());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const err = await axios
      .post(`http://127.0.0.1:${port}/robot/send?access_token=tok-in-url-123`, { text: 'body' }, { headers: { 'x-acs-dingtalk-access-token': 'hdr-token-456' } })
      .catch((e: unknown) => e);
    server.close();
    expect(err).toBeInstanceOf(Error);
    logger.error({ err }, '发送失败');
    const line = JSON.parse(out.text().trim()) as { err: Record<string, unknown> };
    expect(Object.keys(line.err).sort()).toEqual(['code', 'message', 'name', 'stack']);
    expect(out.text()).not.toContain('tok-in-url-123');
    expect(out.text()).not.toContain('hdr-token-456');
  });

  it.each(['json', 'pretty'] as const)('masks secret values in every form, and URL credentials, wherever they are (%s)', (format) => {
    const out = collect();
    const mask = new SecretMask(['app/secret+value=1', 'short', null]);
    const logger = createLogger({ level: 'info', format, destination: out.stream, mask });
    mask.add('generated-token-789');
    logger.info({ note: 'app/secret+value=1', nested: { url: 'https://x/robot/sendBySession?session=abc123&y=1' } }, `原因：app%2Fsecret%2Bvalue%3D1、"generated-token-789"、https://x/send?access_token=zzz&sign=s%2B1`);
    const text = out.text();
    for (const leak of ['app/secret+value=1', 'app%2Fsecret%2Bvalue%3D1', 'generated-token-789', 'abc123', 'zzz', 's%2B1']) expect(text).not.toContain(leak);
    expect(text).toContain('access_token=***&sign=***');
    // Too short to mask without blotting out ordinary words.
    logger.info('short');
    expect(out.text()).toContain('short');
    if (format === 'json') for (const l of out.text().trim().split('\n')) expect(() => JSON.parse(l) as unknown).not.toThrow();
  });
});
