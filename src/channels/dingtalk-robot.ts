/**
 * The DingTalk custom group robot (自定义机器人): every message goes to the supervision group as markdown; a
 * unit's liaisons or one person are @-mentioned. Signed with 加签 when a secret is set; `msgUuid` carries the
 * outbox key so a retry after an unknown outcome is not shown twice.
 */
import { CHANNEL_LABELS, type Channel, type Clock, DeliveryError, type OutgoingMessage, peopleOf, type SendOptions, type SendReceipt, systemClock } from './channel';
import { robotAnswerError } from './dingtalk-errors';
import { robotSign } from './dingtalk-sign';
import { postJson } from './http-post';

export interface DingtalkRobotOptions {
  /** The robot's webhook, `https://oapi.dingtalk.com/robot/send?access_token=…` (DINGTALK_WEBHOOK). */
  webhook: string;
  /** The 加签 secret starting with `SEC` (DINGTALK_SECRET); without it requests are not signed. */
  secret?: string;
  /** Per-request timeout in milliseconds (DINGTALK_TIMEOUT_MS). */
  timeoutMs: number;
  /** Source of the signing timestamp; defaults to the system clock. */
  clock?: Clock;
}

/** DingTalk rejects request bodies over 20,000 bytes (errcode 460101). */
export const ROBOT_MAX_BODY_BYTES = 20_000;

/** The JSON body the robot API takes for a markdown message. */
export interface RobotMarkdownBody {
  msgtype: 'markdown';
  markdown: { title: string; text: string };
  at: { atMobiles: string[]; atUserIds: string[]; isAtAll: false };
  msgUuid: string;
}

export class DingtalkRobotChannel implements Channel {
  readonly name = 'dingtalk-robot' as const;
  readonly label = CHANNEL_LABELS['dingtalk-robot'];
  /** Leaves room under the 20,000-byte body limit for the JSON envelope, escaping and the mention line. */
  readonly maxMarkdownBytes = 16_000;
  private readonly clock: Clock;

  constructor(private readonly options: DingtalkRobotOptions) {
    this.clock = options.clock ?? systemClock;
  }

  async send(message: OutgoingMessage, options: SendOptions = {}): Promise<SendReceipt> {
    const body = robotMarkdownBody(message);
    const bytes = Buffer.byteLength(JSON.stringify(body), 'utf8');
    if (bytes > ROBOT_MAX_BODY_BYTES) {
      throw new DeliveryError(
        'message',
        '460101',
        `${this.label}发送失败（错误码 460101：消息共 ${bytes} 字节，超过钉钉 ${ROBOT_MAX_BODY_BYTES} 字节的上限，未发送）：请缩短内容。`,
      );
    }
    const answer = await postJson(this.signedUrl(), body, { timeoutMs: this.options.timeoutMs, label: this.label, signal: options.signal });
    const error = robotAnswerError(answer.status, answer.data, answer.text);
    if (error) throw error;
    return {};
  }

  shownText(message: OutgoingMessage): string {
    return robotMarkdownBody(message).markdown.text;
  }

  /** The webhook with a fresh `timestamp` and `sign` (computed per request: a signature expires after an hour). */
  private signedUrl(): string {
    const url = new URL(this.options.webhook);
    if (this.options.secret) {
      const timestamp = this.clock();
      url.searchParams.set('timestamp', String(timestamp));
      url.searchParams.set('sign', robotSign(this.options.secret, timestamp));
    }
    return url.toString();
  }
}

/** Builds the robot's markdown body: the message as written, plus the @-mention line and `at` list. */
export function robotMarkdownBody(message: OutgoingMessage): RobotMarkdownBody {
  const people = peopleOf(message.to);
  const atMobiles = unique(people.flatMap((p) => (p.mobile ? [p.mobile] : [])));
  const atUserIds = unique(people.flatMap((p) => (p.userId ? [p.userId] : [])));
  // DingTalk only notifies a mention that is also written in the text: @mobile, or @userId without a mobile.
  const handles = unique(people.flatMap((p) => (p.mobile ? [p.mobile] : p.userId ? [p.userId] : []))).map((h) => `@${h}`);
  let text = message.markdown;
  if (handles.length) {
    const who = message.to.kind === 'unit' ? `${message.to.unit}联络员` : message.to.kind === 'people' ? message.to.label : '';
    text = `${text.replace(/\s+$/, '')}\n\n请${who} ${handles.join(' ')} 查收`;
  }
  return { msgtype: 'markdown', markdown: { title: message.title, text }, at: { atMobiles, atUserIds, isAtAll: false }, msgUuid: message.key };
}


function unique(values: string[]): string[] {
  return [...new Set(values)];
}
