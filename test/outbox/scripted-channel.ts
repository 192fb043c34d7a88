/** A Channel whose answers a test scripts: the worker's logic is tested apart from any platform. */
import { DeliveryError, type Channel, type ChannelName, type OutgoingMessage, type SendReceipt } from '../../src/channels/channel';

export type Answer = 'ok' | DeliveryError;

export class ScriptedChannel implements Channel {
  readonly label = '测试渠道';
  readonly maxMarkdownBytes = 4000;
  readonly sent: { message: OutgoingMessage; at: number }[] = [];
  readonly calls: { message: OutgoingMessage; at: number }[] = [];
  private script: Answer[] = [];

  constructor(
    readonly name: ChannelName,
    private readonly now: () => number,
  ) {}

  /** The next answers, in order; after them every send succeeds. */
  answer(...answers: Answer[]): void {
    this.script.push(...answers);
  }

  async send(message: OutgoingMessage): Promise<SendReceipt> {
    await new Promise((r) => setImmediate(r));
    this.calls.push({ message, at: this.now() });
    const next = this.script.shift() ?? 'ok';
    if (next !== 'ok') throw next;
    this.sent.push({ message, at: this.now() });
    return { platformId: `p${this.sent.length}` };
  }
}

export const retry = (code = 'HTTP 502') => new DeliveryError('retry', code, `钉钉暂时无法访问（${code}）`);
export const throttled = () => new DeliveryError('throttled', '410100', '发送速度太快而限流');
export const badSign = () => new DeliveryError('channel', '310000', '签名不匹配，请检查 DINGTALK_SECRET');
export const tooLong = () => new DeliveryError('message', '460101', '消息太长');
