/**
 * The bot's side of a chat: a message as the receiver hands it over (whatever the platform or transport:
 * DingTalk HTTP callback, Stream mode, `duban say`), and the reply the receiver sends back.
 */

export interface IncomingMessage {
  /** The platform's message id: a repeat of one already handled is dropped by the receiver. */
  msgId: string;
  /** `text`, `picture`, `richText`, `file`, `audio`, `video`, …: only `text` carries a command. */
  msgtype: string;
  /** The text, trimmed ('' for other types). */
  text: string;
  /** The sender's userId in the organisation (`senderStaffId`); null for external users. */
  senderId: string | null;
  senderNick: string;
  conversation: { type: 'single' | 'group'; id: string; title: string | null };
  /** When the platform received it (ms). */
  createdAt: number;
}

export interface BotReply {
  /** Shown in the notification. */
  title: string;
  /** DingTalk's markdown subset (no tables), under the platform's size limit. */
  markdown: string;
  /** @-mention the sender in a group. */
  mentionSender: boolean;
}

/** What the receivers call: the bot's answer to a message, or null when nothing should be said. */
export type BotHandler = (message: IncomingMessage) => Promise<BotReply | null>;
