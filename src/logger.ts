/**
 * The service's logger: pino, with messages in Chinese. In a terminal it prints readable lines
 * (`[2026-01-05 09:00:00] 信息: 已打开数据库 …`); elsewhere JSON lines for log collectors.
 * Fields named like secrets are redacted.
 */
import pino, { type Logger } from 'pino';
import pretty from 'pino-pretty';
import { dateTimeInZone } from './calendar/civil-date';

export type { Logger };
export type LogFormat = 'auto' | 'pretty' | 'json';

const LEVEL_NAMES: Record<number, string> = { 10: '跟踪', 20: '调试', 30: '信息', 40: '警告', 50: '错误', 60: '致命' };

export interface LoggerOptions {
  level: string;
  /** `auto`: readable lines when the destination is a terminal, JSON otherwise. */
  format?: LogFormat;
  /** Defaults to stdout. */
  destination?: NodeJS.WritableStream;
  /** Time zone of the times in readable lines (TIMEZONE); the process itself runs in UTC. Default Asia/Shanghai. */
  timeZone?: string;
}

export function createLogger({ level, format = 'auto', destination, timeZone = 'Asia/Shanghai' }: LoggerOptions): Logger {
  const options: pino.LoggerOptions = {
    level,
    base: undefined,
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: ['*.secret', '*.token', '*.password', 'secret', 'token', 'password'], censor: '***' },
  };
  const out = destination ?? process.stdout;
  const usePretty = format === 'pretty' || (format === 'auto' && Boolean((out as { isTTY?: boolean }).isTTY));
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
