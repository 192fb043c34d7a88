import { Writable } from 'node:stream';
import { TOPIC_ROBOT } from 'dingtalk-stream';
import type { DWClientDownStream } from 'dingtalk-stream';
import type { BotReply, IncomingMessage } from '../../src/bot/message';
import { replyTargetOf, robotMessageSchema, toIncomingMessage } from '../../src/channels/dingtalk-incoming';
import { maskSecrets } from '../../src/logger';
import type { Replier, ReplyTarget } from '../../src/channels/dingtalk-reply';
import { type StreamClient, startDingtalkStream } from '../../src/channels/dingtalk-stream';
import { SenderLimit } from '../../src/channels/sender-limit';
import { RecentIds } from '../../src/http/recent-ids';
import { createLogger } from '../../src/logger';
import { GROUP, omit, SINGLE } from '../helpers/robot-messages';

describe('the message mapping shared by the HTTP callback and Stream mode', () => {
  const parse = (body: unknown) => robotMessageSchema.parse(body);

  it('maps a group text message, trimming the space left by the @mention', () => {
    expect(toIncomingMessage(parse(GROUP), 1)).toEqual<IncomingMessage>({
      msgId: 'msg0xxxxx',
      msgtype: 'text',
      text: '你好',
      senderId: 'user123',
      senderNick: '杨xx',
      conversation: { type: 'group', id: 'cid-group-1', title: '机器人测试-TEST' },
      createdAt: 1613630252678,
    });
    expect(replyTargetOf(parse(GROUP))).toEqual<ReplyTarget>({
      sessionWebhook: GROUP.sessionWebhook,
      sessionWebhookExpiredTime: 1613635652738,
      conversation: { type: 'group', id: 'cid-group-1' },
      senderId: 'user123',
    });
  });

  it('maps a single chat, with numeric strings for the times', () => {
    const body = parse({ ...SINGLE, createAt: '1695283635765', sessionWebhookExpiredTime: '1695289035996' });
    expect(toIncomingMessage(body, 1)).toMatchObject({ text: 'hello DingTalk!', conversation: { type: 'single', id: 'cide****4g=', title: null }, createdAt: 1695283635765 });
    expect(replyTargetOf(body).sessionWebhookExpiredTime).toBe(1695289035996);
  });

  it('gives other types an empty text, and external senders a null id; a missing createAt is the receipt time', () => {
    const rest = omit(SINGLE, 'text', 'senderStaffId', 'createAt');
    const picture = parse({ ...rest, msgtype: 'picture', content: { downloadCode: 'dc', pictureDownloadCode: 'pdc' } });
    expect(toIncomingMessage(picture, 42)).toMatchObject({ msgtype: 'picture', text: '', senderId: null, createdAt: 42 });
    expect(toIncomingMessage(parse({ ...SINGLE, text: { content: ' \u3000 ' } }), 1).text).toBe('');
  });

  it('masks the credentials in DingTalk URLs', () => {
    expect(maskSecrets('POST https://oapi.dingtalk.com/robot/sendBySession?session=abc&x=1 failed')).toBe('POST https://oapi.dingtalk.com/robot/sendBySession?session=***&x=1 failed');
    expect(maskSecrets('…/robot/send?access_token=tok&timestamp=1&sign=s%2B')).toBe('…/robot/send?access_token=***&timestamp=1&sign=***');
  });
});

/** The SDK's client as far as startDingtalkStream uses it, without a network. */
class FakeClient implements StreamClient {
  listeners = new Map<string, (frame: DWClientDownStream) => void>();
  acks: { messageId: string; result: unknown }[] = [];
  connected = true;
  config = { autoReconnect: true };
  connects = 0;
  disconnects = 0;
  registerCallbackListener(topic: string, callback: (frame: DWClientDownStream) => void): this {
    this.listeners.set(topic, callback);
    return this;
  }
  socketCallBackResponse(messageId: string, result: unknown): void {
    this.acks.push({ messageId, result });
  }
  connect(): Promise<void> {
    this.connects++;
    return Promise.resolve();
  }
  disconnect(): void {
    this.disconnects++;
  }
  /** Pushes a robot frame as the SDK would emit it. */
  push(data: unknown, messageId = `frame-${Math.random()}`): void {
    const listener = this.listeners.get(TOPIC_ROBOT);
    if (!listener) throw new Error('no robot listener');
    listener({
      specVersion: '1.0',
      type: 'CALLBACK',
      headers: { appId: 'app', connectionId: 'conn', contentType: 'application/json', messageId, time: '0', topic: TOPIC_ROBOT },
      data: typeof data === 'string' ? data : JSON.stringify(data),
    });
  }
}

describe('startDingtalkStream', () => {
  let client: FakeClient;
  let messages: IncomingMessage[];
  let replies: { target: ReplyTarget; reply: BotReply }[];
  let acksAtBotCall: number[];
  let acksAtReply: number[];
  let bot: (m: IncomingMessage) => Promise<BotReply | null>;
  let log: string;
  const recordReply: Replier['reply'] = (target, reply) => {
    acksAtReply.push(client.acks.length);
    replies.push({ target, reply });
    return Promise.resolve({ via: 'session' });
  };
  const replier: Replier = { reply: recordReply };

  function start(seen = new RecentIds(), limit?: SenderLimit) {
    const destination = new Writable({
      write(chunk: Buffer, _enc, done) {
        log += chunk.toString();
        done();
      },
    });
    return startDingtalkStream({
      appKey: 'ding-app-key',
      appSecret: 'stream-app-secret',
      bot: (m) => {
        messages.push(m);
        acksAtBotCall.push(client.acks.length);
        return bot(m);
      },
      replier,
      logger: createLogger({ level: 'debug', format: 'json', destination }),
      seen,
      clock: () => 1_700_000_000_000,
      client,
      limit,
    });
  }

  beforeEach(() => {
    client = new FakeClient();
    messages = [];
    replies = [];
    acksAtBotCall = [];
    acksAtReply = [];
    log = '';
    replier.reply = recordReply;
    bot = (m) => Promise.resolve({ title: '督办', markdown: `收到：${m.text}`, mentionSender: true });
  });

  it('registers the robot topic, connects, acknowledges each message once the bot has handled it, before the reply', async () => {
    const stream = start();
    expect([...client.listeners.keys()]).toEqual([TOPIC_ROBOT]);
    expect(client.connects).toBe(1);
    client.push(GROUP, 'frame-1');
    await stream.idle();
    expect(client.acks).toEqual([{ messageId: 'frame-1', result: null }]);
    // Not before the bot ran (a process killed meanwhile would have acknowledged a message it lost)…
    expect(acksAtBotCall).toEqual([0]);
    // …and before the reply went out.
    expect(acksAtReply).toEqual([1]);
    expect(messages).toEqual([toIncomingMessage(robotMessageSchema.parse(GROUP), 0)]);
    expect(replies).toEqual([{ target: replyTargetOf(robotMessageSchema.parse(GROUP)), reply: { title: '督办', markdown: '收到：你好', mentionSender: true } }]);
    expect(log).toContain('已连接钉钉 Stream');
    expect(log).toContain('已回复钉钉消息');
    expect(log).not.toContain('stream-app-secret');
    expect(log).not.toContain('session=xxxxx');
  });

  it('applies the per-sender limit: messages over it are acknowledged, not handed to the bot, and asked to wait once', async () => {
    const stream = start(new RecentIds(), new SenderLimit({ perMinute: 2, clock: () => 1_700_000_000_000 }));
    for (let i = 1; i <= 5; i++) {
      client.push({ ...SINGLE, msgId: `m-${i}`, senderStaffId: 'flooder' }, `frame-${i}`);
      await stream.idle();
    }
    // Keyed on senderId when there is no senderStaffId.
    client.push({ ...omit(SINGLE, 'senderStaffId'), msgId: 'other-1', senderId: '$:other' }, 'frame-other');
    await stream.idle();
    expect(client.acks).toHaveLength(6);
    expect(messages.map((m) => m.msgId)).toEqual(['m-1', 'm-2', 'other-1']);
    const waits = replies.filter((r) => r.reply.markdown.includes('发消息太频繁'));
    expect(waits).toHaveLength(1);
    expect(waits[0]!.target.senderId).toBe('flooder');
    expect(log.split('\n').filter((l) => l.includes('CALLBACK_RATE_PER_MINUTE'))).toHaveLength(1);
  });

  it('drops a redelivered msgId (acknowledged again, the bot called once)', async () => {
    const stream = start();
    client.push(SINGLE, 'frame-1');
    client.push(SINGLE, 'frame-2'); // while the first is in flight
    await stream.idle();
    client.push(SINGLE, 'frame-3'); // after it was handled
    await stream.idle();
    // The repeat is acknowledged at once; the first once the bot has handled it.
    expect(client.acks.map((a) => a.messageId)).toEqual(['frame-2', 'frame-1', 'frame-3']);
    expect(messages).toHaveLength(1);
    expect(replies).toHaveLength(1);
  });

  it('de-duplicates on the frame messageId when the data has no msgId', async () => {
    const stream = start();
    const noId = omit(SINGLE, 'msgId');
    client.push(noId, 'frame-9');
    client.push(noId, 'frame-9');
    await stream.idle();
    expect(messages.map((m) => m.msgId)).toEqual(['frame-9']);
  });

  it('processes a redelivery of a message whose handling failed', async () => {
    const stream = start();
    bot = () => Promise.reject(new Error('数据库忙'));
    client.push(SINGLE, 'frame-failed');
    await stream.idle();
    expect(log).toContain('机器人处理钉钉消息时出错');
    // Not acknowledged: DingTalk pushes it again.
    expect(client.acks).toEqual([]);
    expect(log).toContain('钉钉约一分钟后会再推送一次');
    bot = (m) => Promise.resolve({ title: '督办', markdown: m.text, mentionSender: false });
    client.push(SINGLE);
    await stream.idle();
    expect(messages).toHaveLength(2);
    expect(replies).toHaveLength(1);
  });

  it('acknowledges and ignores frames that are not robot messages', async () => {
    const stream = start();
    client.push('{not json', 'frame-a');
    client.push({ ...SINGLE, conversationType: '3' }, 'frame-b');
    client.push([1, 2], 'frame-c');
    await stream.idle();
    expect(client.acks).toHaveLength(3);
    expect(messages).toHaveLength(0);
    expect(log).toContain('不是有效的 JSON');
    expect(log).toContain('conversationType');
  });

  it('survives a bot that throws synchronously and a reply that fails', async () => {
    const stream = start();
    bot = () => {
      throw new Error('boom');
    };
    client.push(SINGLE);
    await stream.idle();
    bot = () => Promise.resolve({ title: '督办', markdown: 'x', mentionSender: false });
    replier.reply = () => Promise.reject(new Error('https://oapi.dingtalk.com/robot/sendBySession?session=79b48****4d4b 不通'));
    client.push(GROUP);
    await stream.idle();
    expect(log).toContain('回复钉钉消息失败');
    expect(log).not.toContain('79b48');
  });

  it('warns in Chinese when the first connection attempt failed', async () => {
    client.connected = false;
    start();
    await new Promise((r) => setImmediate(r));
    expect(log).toContain('暂时连不上钉钉 Stream');
  });

  it('stops: disconnects, no reconnecting, later frames ignored', async () => {
    const stream = start();
    stream.stop();
    stream.stop();
    expect(client.disconnects).toBe(1);
    expect(client.config.autoReconnect).toBe(false);
    await client.connect();
    expect(client.connects).toBe(1); // the SDK's scheduled retry does nothing now
    client.push(SINGLE);
    await stream.idle();
    expect(messages).toHaveLength(0);
  });
});
