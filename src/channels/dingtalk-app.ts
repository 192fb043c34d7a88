/**
 * The DingTalk enterprise-internal app robot (企业内部应用机器人), through the new OpenAPI at api.dingtalk.com:
 * a unit's liaisons and single people get a 1:1 markdown message (`oToMessages/batchSend`, ≤ 20 userIds per
 * call); group messages go to the supervision group (`groupMessages/send`, DINGTALK_GROUP_ID). The access token
 * is cached and refreshed 5 minutes before it expires, or once when DingTalk says it is no longer valid.
 * `sendToConversation` and `sendToUser` send the chat bot's replies outside the outbox (see dingtalk-reply.ts).
 */
import { CHANNEL_LABELS, type Channel, type Clock, DeliveryError, type OutgoingMessage, peopleOf, type Recipient, type SendReceipt, systemClock } from './channel';
import { isOpenApiAuthFailure, openApiAnswerError, openApiError, tokenAnswerError } from './dingtalk-errors';
import { postJson } from './http-post';

export interface DingtalkAppOptions {
  /** DINGTALK_APP_KEY (Client ID). */
  appKey: string;
  /** DINGTALK_APP_SECRET (Client Secret). */
  appSecret: string;
  /** DINGTALK_ROBOT_CODE; defaults to the app key, as for most internal apps. */
  robotCode?: string;
  /** DINGTALK_GROUP_ID: the supervision group's openConversationId; needed only for group messages. */
  groupId?: string;
  /** DINGTALK_API_BASE; defaults to https://api.dingtalk.com. */
  apiBase?: string;
  /** Per-request timeout in milliseconds (DINGTALK_TIMEOUT_MS). */
  timeoutMs: number;
  /** Decides when the cached token is stale; defaults to the system clock. */
  clock?: Clock;
  /** Told (in Chinese) about recipients a message could not reach while it reached the others. */
  onWarning?: (text: string) => void;
}

/** batchSend takes at most 20 userIds per call. */
export const BATCH_SEND_MAX_USERS = 20;
/** groupMessages/send takes a msgParam of at most 15,000 bytes. */
export const GROUP_MAX_PARAM_BYTES = 15_000;
/** The cached token is replaced this long before DingTalk says it expires. */
export const TOKEN_REFRESH_EARLY_MS = 5 * 60 * 1000;
/** How many half-sent messages' progress is remembered, so a retry does not message the same people again. */
const MAX_PROGRESS = 1000;

const DEFAULT_API_BASE = 'https://api.dingtalk.com';

interface CachedToken {
  value: string;
  /** Clock time after which the token is not used any more. */
  refreshAt: number;
}

export class DingtalkAppChannel implements Channel {
  readonly name = 'dingtalk-app' as const;
  readonly label = CHANNEL_LABELS['dingtalk-app'];
  /** Leaves room under the 15,000-byte msgParam limit for JSON escaping of the markdown and the title. */
  readonly maxMarkdownBytes = 12_000;
  private readonly clock: Clock;
  private readonly base: string;
  private token: CachedToken | null = null;
  private tokenRequest: Promise<string> | null = null;
  /** Outbox key → userIds already messaged, for messages whose later batchSend calls failed. */
  private readonly progress = new Map<string, Set<string>>();

  constructor(private readonly options: DingtalkAppOptions) {
    this.clock = options.clock ?? systemClock;
    this.base = (options.apiBase ?? DEFAULT_API_BASE).replace(/\/+$/, '');
  }

  private get robotCode(): string {
    return this.options.robotCode ?? this.options.appKey;
  }

  async send(message: OutgoingMessage): Promise<SendReceipt> {
    const msgParam = JSON.stringify({ title: message.title, text: message.markdown });
    if (message.to.kind === 'group') return this.sendToGroup(message, msgParam);
    const people = peopleOf(message.to);
    return this.sendOneToOne(message, people, msgParam);
  }

  private async sendToGroup(message: OutgoingMessage, msgParam: string): Promise<SendReceipt> {
    const { groupId } = this.options;
    if (!groupId) {
      // Only group messages need the group: one-to-one reminders keep going out while it is missing.
      throw new DeliveryError(
        'message',
        'DINGTALK_GROUP_ID',
        `${this.label}无法发送群消息“${message.title}”：没有设置 DINGTALK_GROUP_ID。请填写督办群的 openConversationId（可从群里 @机器人 的回调中取得），并把应用机器人添加到该群。`,
      );
    }
    return this.groupSend(groupId, message.title, msgParam);
  }

  /**
   * Sends a markdown message to a group the robot is in, outside the outbox: the chat bot's answer once the
   * callback's sessionWebhook has expired. `openConversationId` is the callback's `conversationId`.
   * @throws DeliveryError, classified like `send`.
   */
  async sendToConversation(openConversationId: string, title: string, markdown: string): Promise<SendReceipt> {
    try {
      return await this.groupSend(openConversationId, title, JSON.stringify({ title, text: markdown }));
    } catch (err) {
      // The group's error speaks of the supervision group (DINGTALK_GROUP_ID): a reply goes to the group it came from.
      if (err instanceof DeliveryError && err.message.includes('DINGTALK_GROUP_ID')) {
        throw new DeliveryError('message', err.code, `${this.label}无法回复群 ${openConversationId} 中的消息：机器人已不在该群，或群已解散。`);
      }
      throw err;
    }
  }

  /**
   * Sends a markdown message 1:1 to one person by userId (staffId), outside the outbox: the chat bot's answer in
   * a single chat once the sessionWebhook has expired.
   * @throws DeliveryError, classified like `send`; `message` when DingTalk does not know the userId, `throttled`
   * when it flow-controlled the person.
   */
  async sendToUser(userId: string, title: string, markdown: string): Promise<SendReceipt> {
    const msgParam = JSON.stringify({ title, text: markdown });
    const data = (await this.call('/v1.0/robot/oToMessages/batchSend', { robotCode: this.robotCode, userIds: [userId], msgKey: 'sampleMarkdown', msgParam })) as
      | { processQueryKey?: unknown; invalidStaffIdList?: unknown; flowControlledStaffIdList?: unknown }
      | undefined;
    if (stringList(data?.flowControlledStaffIdList).includes(userId)) {
      throw new DeliveryError('throttled', 'flowControlled', `${this.label}发送“${title}”时，钉钉限流了接收人 ${userId}（推送太频繁）。`);
    }
    if (stringList(data?.invalidStaffIdList).includes(userId)) {
      throw new DeliveryError('message', 'invalidStaffIdList', `${this.label}无法把“${title}”发给 ${userId}：钉钉不认识这个钉钉ID。`);
    }
    return typeof data?.processQueryKey === 'string' ? { platformId: data.processQueryKey } : {};
  }

  private async groupSend(openConversationId: string, title: string, msgParam: string): Promise<SendReceipt> {
    const bytes = Buffer.byteLength(msgParam, 'utf8');
    if (bytes > GROUP_MAX_PARAM_BYTES) {
      throw new DeliveryError('message', 'msgParam.tooLong', `${this.label}无法发送“${title}”：消息共 ${bytes} 字节，超过钉钉群消息 ${GROUP_MAX_PARAM_BYTES} 字节的上限，请缩短内容。`);
    }
    const data = await this.call('/v1.0/robot/groupMessages/send', { robotCode: this.robotCode, openConversationId, msgKey: 'sampleMarkdown', msgParam });
    const key = (data as { processQueryKey?: unknown } | undefined)?.processQueryKey;
    return typeof key === 'string' ? { platformId: key } : {};
  }

  private async sendOneToOne(message: OutgoingMessage, people: Recipient[], msgParam: string): Promise<SendReceipt> {
    const reachable = people.filter((p) => p.userId);
    const unreachable = people.filter((p) => !p.userId).map((p) => p.name);
    const whom = message.to.kind === 'unit' ? `${message.to.unit}的联络员` : message.to.kind === 'people' ? message.to.label : '';
    if (!reachable.length) {
      const names = unreachable.length ? `${unreachable.join('、')} 没有填写钉钉ID` : '没有接收人';
      throw new DeliveryError(
        'message',
        'NO_USER_ID',
        `${this.label}无法把“${message.title}”发给${whom}：${names}，应用机器人只能按钉钉ID（userId）发消息。请在联络员名单（CONTACTS_FILE）中填写钉钉ID，再运行 duban remind --now。`,
      );
    }
    if (unreachable.length) {
      this.options.onWarning?.(`${this.label}：“${message.title}”没有发给${whom}${unreachable.join('、')}，因为联络员名单（CONTACTS_FILE）中没有填钉钉ID，请补填。`);
    }

    const userIds = [...new Set(reachable.map((p) => p.userId as string))];
    const done = this.progress.get(message.key) ?? new Set<string>();
    const invalid: string[] = [];
    const throttled: string[] = [];
    const keys: string[] = [];
    try {
      const pending = userIds.filter((id) => !done.has(id));
      for (let i = 0; i < pending.length; i += BATCH_SEND_MAX_USERS) {
        const chunk = pending.slice(i, i + BATCH_SEND_MAX_USERS);
        const data = (await this.call('/v1.0/robot/oToMessages/batchSend', { robotCode: this.robotCode, userIds: chunk, msgKey: 'sampleMarkdown', msgParam })) as
          | { processQueryKey?: unknown; invalidStaffIdList?: unknown; flowControlledStaffIdList?: unknown }
          | undefined;
        const limited = stringList(data?.flowControlledStaffIdList);
        for (const id of chunk) if (!limited.includes(id)) done.add(id);
        invalid.push(...stringList(data?.invalidStaffIdList));
        throttled.push(...limited);
        if (typeof data?.processQueryKey === 'string') keys.push(data.processQueryKey);
      }
    } finally {
      this.remember(message.key, done, userIds);
    }
    if (throttled.length) {
      throw new DeliveryError('throttled', 'flowControlled', `${this.label}发送“${message.title}”时，钉钉限流了这些接收人：${throttled.join('、')}（推送太频繁），稍后自动补发给他们。`);
    }
    if (invalid.length) {
      const text = `钉钉不认识这些钉钉ID：${invalid.join('、')}。请在联络员名单（CONTACTS_FILE）中改正`;
      if (invalid.length >= userIds.length) throw new DeliveryError('message', 'invalidStaffIdList', `${this.label}无法把“${message.title}”发给${whom}：${text}。`);
      this.options.onWarning?.(`${this.label}：“${message.title}”没有发给其中一部分人。${text}。`);
    }
    return keys.length ? { platformId: keys.join(',') } : {};
  }

  /** Keeps the progress of a half-sent message (bounded), forgets a message that reached everyone. */
  private remember(key: string, done: Set<string>, userIds: string[]): void {
    this.progress.delete(key);
    if (userIds.every((id) => done.has(id)) || done.size === 0) return;
    this.progress.set(key, done);
    if (this.progress.size > MAX_PROGRESS) this.progress.delete(this.progress.keys().next().value as string);
  }

  /** POSTs to the OpenAPI with the access token; on an auth failure gets a fresh token and tries once more. */
  private async call(path: string, body: unknown): Promise<unknown> {
    for (let attempt = 1; ; attempt++) {
      const token = await this.accessToken();
      const answer = await postJson(`${this.base}${path}`, body, {
        timeoutMs: this.options.timeoutMs,
        label: this.label,
        headers: { 'x-acs-dingtalk-access-token': token },
      });
      if (answer.status >= 200 && answer.status < 300) return answer.data;
      const error = openApiError(answer.status, answer.data, answer.text);
      if (attempt === 1 && isOpenApiAuthFailure(error)) {
        if (this.token?.value === token) this.token = null;
        continue;
      }
      throw openApiAnswerError(error);
    }
  }

  /** The cached token, or a new one; concurrent callers share one token request. */
  private accessToken(): Promise<string> {
    if (this.token && this.clock() < this.token.refreshAt) return Promise.resolve(this.token.value);
    this.tokenRequest ??= this.fetchToken().finally(() => {
      this.tokenRequest = null;
    });
    return this.tokenRequest;
  }

  private async fetchToken(): Promise<string> {
    const requestedAt = this.clock();
    const answer = await postJson(
      `${this.base}/v1.0/oauth2/accessToken`,
      { appKey: this.options.appKey, appSecret: this.options.appSecret },
      { timeoutMs: this.options.timeoutMs, label: this.label },
    );
    const data = answer.data as { accessToken?: unknown; expireIn?: unknown } | undefined;
    if (answer.status >= 200 && answer.status < 300 && typeof data?.accessToken === 'string' && data.accessToken) {
      const lifeMs = (typeof data.expireIn === 'number' && data.expireIn > 0 ? data.expireIn : 7200) * 1000;
      this.token = { value: data.accessToken, refreshAt: requestedAt + lifeMs - Math.min(TOKEN_REFRESH_EARLY_MS, lifeMs / 2) };
      return data.accessToken;
    }
    throw tokenAnswerError(openApiError(answer.status, answer.data, answer.text));
  }
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}
