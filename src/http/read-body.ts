/**
 * Reads a request body with a size limit. A declared Content-Length over the limit is refused before a byte is
 * read; a chunked (or lying) body is counted while it arrives and abandoned as soon as it passes the limit, so a
 * huge body never sits in memory. Answer 413 with `connection: close` then: Node closes the socket after the
 * answer instead of reading the rest.
 */
import type * as http from 'node:http';

/** The callback's limit: DingTalk's messages are a few KB (a 10,000-character text is ~30 KB of JSON). */
export const MAX_BODY_BYTES = 64 * 1024;

export class BodyTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`请求体超过 ${limit} 字节的上限`);
    this.name = 'BodyTooLargeError';
  }
}

/** The client went away (or the stream failed) before the body was complete. */
export class BodyReadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BodyReadError';
  }
}

/** Whether the declared Content-Length is over `limit` (an absent or unparsable length is not). */
export function declaredTooLarge(req: Pick<http.IncomingMessage, 'headers'>, limit = MAX_BODY_BYTES): boolean {
  const raw = req.headers['content-length'];
  return raw !== undefined && /^\d+$/.test(raw) && Number(raw) > limit;
}

/**
 * The whole body, at most `limit` bytes.
 * @throws BodyTooLargeError over the limit (declared or counted); BodyReadError when the request is aborted.
 */
export function readBody(req: http.IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  if (declaredTooLarge(req, limit)) return Promise.reject(new BodyTooLargeError(limit));
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let bytes = 0;
    const cleanup = (): void => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('close', onClose);
    };
    const fail = (err: Error): void => {
      cleanup();
      // Stop pulling data: nothing more is read from the socket until the answer closes it.
      req.pause();
      reject(err);
    };
    const onData = (chunk: Buffer): void => {
      bytes += chunk.length;
      if (bytes > limit) return fail(new BodyTooLargeError(limit));
      chunks.push(chunk);
    };
    const onEnd = (): void => {
      cleanup();
      resolve(Buffer.concat(chunks, bytes));
    };
    const onError = (err: Error): void => fail(new BodyReadError(`读取请求体时出错：${err.message}`));
    const onClose = (): void => {
      if (!req.complete) fail(new BodyReadError('客户端在请求体发送完之前断开了连接'));
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('close', onClose);
  });
}
