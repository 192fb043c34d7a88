/** The service's logger: pino JSON lines, messages in Chinese; secrets are redacted by key. */
import pino, { type Logger } from 'pino';

export type { Logger };

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level,
    base: undefined,
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: ['*.secret', '*.token', '*.password', 'secret', 'token', 'password'], censor: '***' },
  };
  return destination ? pino(options, destination) : pino(options);
}
