/**
 * The console channel: prints each message readably instead of sending it, for trying the bot out before any
 * DingTalk credentials are set, and hands it to the local chat page when that is open. It never fails.
 */
import { dateTimeInZone } from '../calendar/civil-date';
import { CHANNEL_LABELS, describeRecipient, type Channel, type Clock, type Destination, type OutgoingMessage, type SendReceipt, systemClock } from './channel';

export interface ConsoleChannelOptions {
  /** Where messages are written; defaults to process.stdout. */
  stream?: NodeJS.WritableStream;
  /** Time shown in each header; defaults to the system clock. */
  clock?: Clock;
  /** Time zone of the header time (TIMEZONE); defaults to Asia/Shanghai. */
  timeZone?: string;
  /** Also told of each message, with the time it was "sent" (the local chat page shows it as its recipients would). */
  onShown?: (message: OutgoingMessage, at: number) => void;
}

const SEPARATOR = '─'.repeat(40);

export class ConsoleChannel implements Channel {
  readonly name = 'console' as const;
  readonly label = CHANNEL_LABELS.console;
  readonly maxMarkdownBytes = 1_000_000;
  private readonly stream: NodeJS.WritableStream;
  private readonly clock: Clock;
  private readonly timeZone: string;
  private readonly onShown: ConsoleChannelOptions['onShown'];

  constructor(options: ConsoleChannelOptions = {}) {
    this.stream = options.stream ?? process.stdout;
    this.clock = options.clock ?? systemClock;
    this.timeZone = options.timeZone ?? 'Asia/Shanghai';
    this.onShown = options.onShown;
  }

  send(message: OutgoingMessage): Promise<SendReceipt> {
    const at = this.clock();
    try {
      this.stream.write(formatConsoleMessage(message, at, this.timeZone));
    } catch {
      // A closed stream must not stop the bot: the console only shows what would have been sent.
    }
    this.onShown?.(message, at);
    return Promise.resolve({});
  }
}

/** The text the console channel writes for one message (header, title, plain body, separator). */
export function formatConsoleMessage(message: OutgoingMessage, nowMs: number, timeZone = 'Asia/Shanghai'): string {
  const lines = [`[${dateTimeInZone(nowMs, timeZone, { seconds: true })}] ${describeDestination(message.to)}`, `【${message.title}】`, markdownToPlain(message.markdown), SEPARATOR];
  return `${lines.join('\n')}\n`;
}

/** `发给 区司法局 的联络员：张三(13800000001)、…` / `发到督办群` / `发给 李四`. */
export function describeDestination(to: Destination): string {
  if (to.kind === 'group') return '发到督办群';
  if (to.kind === 'person') return `发给 ${describeRecipient(to.person)}`;
  if (to.kind === 'people') return `发给 ${to.label}：${to.people.length ? to.people.map(describeRecipient).join('、') : '（无）'}`;
  return `发给 ${to.unit} 的联络员：${to.people.length ? to.people.map(describeRecipient).join('、') : '（无）'}`;
}


/**
 * DingTalk markdown as plain text: headings, quotes, bold and italics lose their marks, list markers stay, links
 * become `text（url）`, HTML tags (`<font>`) go, and blank lines between paragraphs collapse to one newline.
 */
export function markdownToPlain(markdown: string): string {
  return markdown
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) =>
      line
        .replace(/^\s*(?:>\s?)+/, '')
        .replace(/^\s*#{1,6}\s+/, '')
        .replace(/!\[([^\]]*)\]\(([^)\s]+)[^)]*\)/g, (_m, alt: string, url: string) => `[图片${alt ? `：${alt}` : ''}]（${url}）`)
        .replace(/\[([^\]]+)\]\(([^)\s]+)[^)]*\)/g, (_m, text: string, url: string) => (text === url ? url : `${text}（${url}）`))
        .replace(/\*\*(.+?)\*\*/g, '$1')
        .replace(/__(.+?)__/g, '$1')
        .replace(/(^|[^*\w])\*(?!\s)([^*\n]+?)\*(?!\w)/g, '$1$2')
        .replace(/<\/?[a-z][^>]*>/gi, '')
        .replace(/\s+$/, ''),
    )
    .filter((line) => line !== '')
    .join('\n');
}

