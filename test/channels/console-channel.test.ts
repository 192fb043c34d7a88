import { Writable } from 'node:stream';
import type { OutgoingMessage } from '../../src/channels/channel';
import { ConsoleChannel, describeDestination, markdownToPlain } from '../../src/channels/console-channel';

const AT = Date.UTC(2024, 4, 1, 1, 2, 3); // 09:02:03 in Shanghai

function collector(): { stream: Writable; text: () => string } {
  let out = '';
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      out += chunk.toString('utf8');
      done();
    },
  });
  return { stream, text: () => out };
}

const MARKDOWN = [
  '### 督办提醒：法治政府建设',
  '',
  '> 请于 **5月25日** 前报送进展',
  '',
  '- 任务一：完善规章制度',
  '',
  '1. 第一步 [查看详情](https://example.com/t/1)',
  '',
  '#### 联系人',
  '',
  '<font color=#FF0000>*逾期*将通报</font>',
].join('\n');

describe('ConsoleChannel', () => {
  it('writes a header, the title, the body as plain text and a separator', async () => {
    const { stream, text } = collector();
    const c = new ConsoleChannel({ stream, clock: () => AT });
    expect([c.name, c.label]).toEqual(['console', '本机控制台']);
    expect(c.maxMarkdownBytes).toBeGreaterThanOrEqual(1_000_000);
    const message: OutgoingMessage = {
      key: 'k1',
      title: '督办提醒',
      markdown: MARKDOWN,
      to: {
        kind: 'unit',
        unit: '区司法局',
        people: [
          { name: '张三', mobile: '13800000001', userId: 'z3' },
          { name: '王五', mobile: null, userId: 'wang5' },
          { name: '赵六', mobile: null, userId: null },
        ],
      },
    };
    await expect(c.send(message)).resolves.toEqual({});
    expect(text()).toBe(
      [
        '[2024-05-01 09:02:03] 发给 区司法局 的联络员：张三(13800000001)、王五(wang5)、赵六',
        '【督办提醒】',
        '督办提醒：法治政府建设',
        '请于 5月25日 前报送进展',
        '- 任务一：完善规章制度',
        '1. 第一步 查看详情（https://example.com/t/1）',
        '联系人',
        '逾期将通报',
        '─'.repeat(40),
        '',
      ].join('\n'),
    );
  });

  it('uses the configured time zone', async () => {
    const { stream, text } = collector();
    await new ConsoleChannel({ stream, clock: () => AT, timeZone: 'UTC' }).send({ key: 'k', title: 't', markdown: 'x', to: { kind: 'group' } });
    expect(text().split('\n')[0]).toBe('[2024-05-01 01:02:03] 发到督办群');
  });

  it('never fails, even when the stream throws', async () => {
    const broken = { write: () => { throw new Error('EPIPE'); } } as unknown as NodeJS.WritableStream;
    await expect(new ConsoleChannel({ stream: broken }).send({ key: 'k', title: 't', markdown: 'x', to: { kind: 'group' } })).resolves.toEqual({});
  });

  it('hands each message, with the time on its clock, to the local chat page when asked to', async () => {
    const { stream } = collector();
    const shown: [string, number][] = [];
    const c = new ConsoleChannel({ stream, clock: () => AT, onShown: (m, at) => shown.push([m.title, at]) });
    await c.send({ key: 'k', title: '督办提醒', markdown: 'x', to: { kind: 'group' } });
    expect(shown).toEqual([['督办提醒', AT]]);
  });
});

describe('describeDestination', () => {
  it('says who a message is for in Chinese', () => {
    expect(describeDestination({ kind: 'group' })).toBe('发到督办群');
    expect(describeDestination({ kind: 'person', person: { name: '李四', mobile: null, userId: null } })).toBe('发给 李四');
    expect(describeDestination({ kind: 'person', person: { name: '李四', mobile: '13800000002', userId: 'li4' } })).toBe('发给 李四(13800000002)');
    expect(describeDestination({ kind: 'unit', unit: '区财政局', people: [] })).toBe('发给 区财政局 的联络员：（无）');
  });
});

describe('markdownToPlain', () => {
  it('keeps list markers and plain text, drops blank lines', () => {
    expect(markdownToPlain('- a\n\n* b\n\n2. c\n\n\n\nd  ')).toBe('- a\n* b\n2. c\nd');
    expect(markdownToPlain('![图](https://x/y.png)')).toBe('[图片：图]（https://x/y.png）');
  });
});
