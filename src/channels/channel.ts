/**
 * The one small interface every platform adapter implements (DingTalk custom robot, DingTalk app robot,
 * 浙政钉 work notification, console). The outbox hands a message to `send`; the adapter turns it into the
 * platform's request and says, through `DeliveryError`, whether a failure is worth retrying.
 */

/** A person a message is addressed to or mentions. */
export interface Recipient {
  name: string;
  /** Mainland mobile number, used for @-mentions in group robots. */
  mobile: string | null;
  /** DingTalk userId (staffId); on 浙政钉 the accountId. */
  userId: string | null;
}

/** `张三(13800000001)`: the name, with the mobile or else the id the message reaches the person by. */
export function describeRecipient(p: Recipient): string {
  const id = p.mobile ?? p.userId;
  return id ? `${p.name}(${id})` : p.name;
}

export type Destination =
  /** A unit's liaisons: @-mentioned in the group (custom robot) or messaged one by one (app robot, 浙政钉). */
  | { kind: 'unit'; unit: string; people: Recipient[] }
  /** The robot's group itself (digests, 通报, admin alerts), optionally @-mentioning some of its members. */
  | { kind: 'group'; mention?: Recipient[] }
  /** One person (admins, leaders). */
  | { kind: 'person'; person: Recipient }
  /** A named set of people (the leaders, a unit's 分管领导): @-mentioned in the group, or messaged one by one. */
  | { kind: 'people'; label: string; people: Recipient[] };

/** The people a destination names (none for the group itself unless it mentions some). */
export function peopleOf(to: Destination): Recipient[] {
  if (to.kind === 'unit' || to.kind === 'people') return to.people;
  if (to.kind === 'person') return [to.person];
  return to.mention ?? [];
}

export interface OutgoingMessage {
  /**
   * Stable, unique key of this message (the outbox key). Adapters pass it to the platform's idempotency
   * field (`msgUuid`, `bizMsgId`) so a retry after an unknown outcome is not delivered twice.
   */
  key: string;
  /** Shown in the conversation list and notification. */
  title: string;
  /** Body in DingTalk's markdown subset (no tables, no code blocks), without @-mentions: adapters add those. */
  markdown: string;
  to: Destination;
}

/** What the platform said when it accepted a message. */
export interface SendReceipt {
  /** The platform's id for the message (`processQueryKey`, 浙政钉 msgId…), when it gives one. */
  platformId?: string;
}

/**
 * Why a send failed, as the outbox needs to know it:
 * - `retry`: network error, timeout, HTTP 5xx, a busy platform; try again later with backoff;
 * - `throttled`: the platform's rate limit (`410100`, `130101`); back off before anything else is sent;
 * - `channel`: the channel cannot work until an admin fixes it (`310000` signature, keyword or IP;
 *   `300001` token; `400013` group dissolved…): stop the channel, fail its messages, tell the admins;
 * - `message`: this message can never be sent (content rejected, too long), the others can.
 */
export type FailureKind = 'retry' | 'throttled' | 'channel' | 'message';

export class DeliveryError extends Error {
  constructor(
    readonly kind: FailureKind,
    /** The platform's code (`310000`, `HTTP 502`, `ECONNREFUSED`…). */
    readonly code: string,
    /** A Chinese explanation for admins, with what to do when there is something to do. */
    message: string,
    /**
     * For `retry`: after this many attempts, give the message up (kind `message`) instead of blocking the queue
     * behind it forever. Unset for outages (network, 5xx), which are waited out however long they last.
     */
    readonly attemptsLimit?: number,
  ) {
    super(message);
    this.name = 'DeliveryError';
  }
}

export type ChannelName = 'console' | 'dingtalk-robot' | 'dingtalk-app' | 'zzd';

/** The Chinese name of each channel, as the adapters call themselves. */
export const CHANNEL_LABELS: Record<ChannelName, string> = {
  console: '本机控制台',
  'dingtalk-robot': '钉钉群机器人',
  'dingtalk-app': '钉钉应用机器人',
  zzd: '浙政钉工作通知',
};

export interface SendOptions {
  /** Cancels the request (adapters that support it fail with code `ABORTED`). */
  signal?: AbortSignal;
}

export interface Channel {
  readonly name: ChannelName;
  /** Chinese name for messages: 钉钉群机器人, 钉钉应用机器人, 浙政钉工作通知, 本机控制台. */
  readonly label: string;
  /**
   * The most UTF-8 bytes of `markdown` (title included) one message may carry on this platform, with room left
   * for the envelope and mentions; longer texts are split into numbered parts before they are queued.
   */
  readonly maxMarkdownBytes: number;
  /** Sends one message; resolves when the platform accepted it, throws DeliveryError otherwise. */
  send(message: OutgoingMessage, options?: SendOptions): Promise<SendReceipt>;
  /**
   * The text as the recipients will read it, when the adapter adds to the markdown (the group robot's
   * @-mention line); previews show this. Absent: the markdown as it is.
   */
  shownText?(message: OutgoingMessage): string;
}

/** Milliseconds since the epoch; injected so tests control time. */
export type Clock = () => number;
export const systemClock: Clock = () => Date.now();
