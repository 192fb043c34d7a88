/**
 * The service's logger: pino, with messages in Chinese. In a terminal it prints readable lines
 * (`[2026-01-05 09:00:00] 信息: 已打开数据库 …`); elsewhere JSON lines for log collectors.
 * Fields named like secrets are redacted; errors are logged as name, code, message and stack (never the object,
 * whose request config carries URLs and headers); and every line leaves with the credentials in URLs and the values
 * of the secret settings masked (`SecretMask`), whatever field or message they reached.
 */
import { Writable } from 'node:stream';
import pino, { type Logger } from 'pino';
import pretty from 'pino-pretty';
import { dateTimeInZone } from './calendar/civil-date';

export type { Logger };
export type LogFormat = 'auto' | 'pretty' | 'json';

/** Fields never logged, at the top level or one level down. */
const SECRET_FIELDS = ['secret', 'token', 'password', 'sign', 'sessionWebhook', 'authorization', 'appSecret', 'accessToken', 'access_token'];
const REDACTED = SECRET_FIELDS.flatMap((f) => [f, `*.${f}`]);

const LEVEL_NAMES: Record<number, string> = { 10: '跟踪', 20: '调试', 30: '信息', 40: '警告', 50: '错误', 60: '致命' };

export interface LoggerOptions {
  level: string;
  /** `auto`: readable lines when the destination is a terminal, JSON otherwise. */
  format?: LogFormat;
  /** Defaults to stdout. */
  destination?: NodeJS.WritableStream;
  /** Time zone of the times in readable lines (TIMEZONE); the process itself runs in UTC. Default Asia/Shanghai. */
  timeZone?: string;
  /** Secret values to mask in every line (the settings' secrets, the dashboard's token); more can be added later. */
  mask?: SecretMask;
}

/** Masks the credential query parameters DingTalk and 浙政钉 URLs carry (`session`, `access_token`, `sign`…). */
export function maskSecrets(text: string): string {
  return text.replace(/([?&](?:session|access_token|accessToken|sign|sig|token|ticket|appsecret|appSecret)=)[^&#\s"'\\]*/g, '$1***');
}

/**
 * An error as it may be logged: name, code, kind and message with credentials in URLs masked, and the stack.
 * Never the error object itself: an axios error carries the request's URL and headers.
 */
export function describeError(err: unknown): Record<string, unknown> {
  if (!(err instanceof Error)) return { message: maskSecrets(String(err)) };
  const extra = err as { code?: unknown; kind?: unknown };
  return {
    name: err.name,
    ...(typeof extra.code === 'string' ? { code: extra.code } : {}),
    ...(typeof extra.kind === 'string' ? { kind: extra.kind } : {}),
    message: maskSecrets(err.message),
    ...(err.stack ? { stack: maskSecrets(err.stack) } : {}),
  };
}

/** Values shorter than this are not masked (they would blot out ordinary words and numbers). */
const MIN_SECRET_LENGTH = 6;

/**
 * The secret values no log line may carry, in each form they could be written in (as is, URL-encoded once or
 * twice, JSON-escaped); each is replaced by `***`. URL credentials (`access_token=…`) are masked whatever their value.
 */
export class SecretMask {
  private readonly forms = new Set<string>();
  private pattern: RegExp | null = null;

  constructor(values: Iterable<string | null | undefined> = []) {
    for (const v of values) this.add(v);
  }

  add(value: string | null | undefined): void {
    if (!value || value.length < MIN_SECRET_LENGTH) return;
    for (const form of [value, encodeURIComponent(value), encodeURIComponent(encodeURIComponent(value)), JSON.stringify(value).slice(1, -1)]) {
      this.forms.add(form);
    }
    // Longest first, so a value is not half-masked by a shorter one inside it.
    const alternatives = [...this.forms].sort((a, b) => b.length - a.length).map((f) => f.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
    this.pattern = new RegExp(alternatives.join('|'), 'g');
  }

  apply(text: string): string {
    const masked = maskSecrets(text);
    return this.pattern ? masked.replace(this.pattern, '***') : masked;
  }
}

/** A stream that writes each chunk (one log record) to `out` with the mask applied. */
function maskedStream(out: NodeJS.WritableStream, mask: SecretMask): Writable {
  return new Writable({
    write(chunk: Buffer, _encoding, done) {
      out.write(mask.apply(chunk.toString('utf8')));
      done();
    },
  });
}

export function createLogger({ level, format = 'auto', destination, timeZone = 'Asia/Shanghai', mask = new SecretMask() }: LoggerOptions): Logger {
  const options: pino.LoggerOptions = {
    level,
    base: undefined,
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: REDACTED, censor: '***' },
    serializers: { err: describeError, error: (e: unknown) => (e instanceof Error ? describeError(e) : e) },
  };
  const target = destination ?? process.stdout;
  const usePretty = format === 'pretty' || (format === 'auto' && Boolean((target as { isTTY?: boolean }).isTTY));
  const out = maskedStream(target, mask);
  // process.stdout rather than pino's own fd writer: when the reader of stdout is gone (EPIPE), pino's writer
  // retries its buffer forever at exit and a SIGTERM never ends the process; the Node stream just reports it.
  if (!usePretty) return pino(options, out);
  const stream = pretty({
    destination: out,
    colorize: format === 'auto',
    // Readable times are the users' wall clock, not the server's UTC; JSON lines keep ISO-8601 UTC.
    translateTime: false,
    // The message says it all in Chinese; the fields (English keys) stay in the JSON format.
    hideObject: true,
    sync: true,
    customPrettifiers: {
      level: (l) => LEVEL_NAMES[Number(l)] ?? String(l),
      time: (t) => `[${dateTimeInZone(new Date(String(t)), timeZone, { seconds: true })}]`,
    },
  });
  return pino(options, stream);
}
