import { Writable } from 'node:stream';
import { createLogger } from '../src/logger';

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
