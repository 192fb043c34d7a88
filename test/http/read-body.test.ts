import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { BodyReadError, BodyTooLargeError, declaredTooLarge, MAX_BODY_BYTES, readBody } from '../../src/http/read-body';

const LIMIT = 1024;

/** A loopback server that reads each body with `readBody(LIMIT)` and says what happened. */
async function startServer(): Promise<{ port: number; results: unknown[]; bytesRead: number[]; close: () => Promise<void> }> {
  const results: unknown[] = [];
  /** Bytes each closed connection read from its socket. */
  const bytesRead: number[] = [];
  const server = http.createServer((req, res) => {
    readBody(req, LIMIT).then(
      (body) => {
        results.push(body.length);
        res.end(`ok ${body.length}`);
      },
      (err: Error) => {
        results.push(err);
        if (res.destroyed) return;
        res.writeHead(err instanceof BodyTooLargeError ? 413 : 400, { connection: 'close' });
        res.end(err.name);
      },
    );
  });
  server.on('connection', (socket) => socket.on('close', () => bytesRead.push(socket.bytesRead)));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    results,
    bytesRead,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/**
 * POSTs `chunk` `times` times (chunked unless `contentLength` is given), stopping as soon as an answer arrives;
 * resolves with the status and how many chunks were written by then.
 */
function post(port: number, chunk: Buffer, times: number, contentLength?: number, end = true): Promise<{ status: number; written: number }> {
  return new Promise((resolve, reject) => {
    let written = 0;
    let answered = false;
    const req = http.request({ host: '127.0.0.1', port, method: 'POST', path: '/', headers: contentLength === undefined ? {} : { 'content-length': String(contentLength) } }, (res) => {
      answered = true;
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, written }));
      req.destroy();
    });
    req.on('error', (err) => {
      if (!answered) reject(err);
    });
    const pump = (): void => {
      while (!answered && written < times) {
        written++;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
      if (!answered && end) req.end();
    };
    pump();
  });
}

describe('readBody', () => {
  let server: Awaited<ReturnType<typeof startServer>>;
  beforeEach(async () => {
    server = await startServer();
  });
  afterEach(() => server.close());

  it('limits the callback to 64 KB by default', () => {
    expect(MAX_BODY_BYTES).toBe(65_536);
  });

  it('reads a body up to the limit, with or without Content-Length', async () => {
    expect(await post(server.port, Buffer.alloc(256, 'a'), 4, 1024)).toEqual({ status: 200, written: 4 });
    expect(await post(server.port, Buffer.alloc(256, 'a'), 4)).toEqual({ status: 200, written: 4 });
    expect(server.results).toEqual([1024, 1024]);
  });

  it('refuses a declared Content-Length over the limit before the body arrives', async () => {
    // Declares 10 MB, sends 10 bytes and never ends: the answer must not wait for the rest.
    const res = await post(server.port, Buffer.from('0123456789'), 1, 10 * 1024 * 1024, false);
    expect(res.status).toBe(413);
    expect(server.results[0]).toBeInstanceOf(BodyTooLargeError);
  });

  it('counts a chunked body and gives up as soon as it passes the limit', async () => {
    const res = await post(server.port, Buffer.alloc(512, 'b'), 10_000);
    expect(res.status).toBe(413);
    expect(server.results[0]).toBeInstanceOf(BodyTooLargeError);
    // The server closed the connection instead of reading the 5 MB (what the client wrote sits in kernel buffers).
    while (!server.bytesRead.length) await new Promise((r) => setTimeout(r, 5));
    expect(server.bytesRead[0]).toBeLessThan(256 * 1024);
  });

  it('stops pulling from a stream that passed the limit', async () => {
    let pulls = 0;
    const source = new Readable({
      highWaterMark: 256,
      read() {
        pulls++;
        this.push(Buffer.alloc(256));
      },
    });
    const req = Object.assign(source, { headers: {}, complete: false }) as unknown as http.IncomingMessage;
    await expect(readBody(req, LIMIT)).rejects.toBeInstanceOf(BodyTooLargeError);
    const atFailure = pulls;
    await new Promise((r) => setTimeout(r, 20));
    expect(pulls).toBeLessThanOrEqual(atFailure + 2);
    expect(pulls).toBeLessThan(20);
  });

  it('rejects with BodyReadError when the client goes away mid-body', async () => {
    const got = new Promise<unknown>((resolve) => {
      const check = setInterval(() => {
        if (server.results.length) {
          clearInterval(check);
          resolve(server.results[0]);
        }
      }, 5);
    });
    const req = http.request({ host: '127.0.0.1', port: server.port, method: 'POST', headers: { 'content-length': '500' } });
    req.on('error', () => undefined);
    req.write('half a body');
    await new Promise((r) => setTimeout(r, 20));
    req.destroy();
    expect(await got).toBeInstanceOf(BodyReadError);
  });

  it('reads the declared length only when it is a plain number', () => {
    expect(declaredTooLarge({ headers: { 'content-length': '65537' } })).toBe(true);
    expect(declaredTooLarge({ headers: { 'content-length': '65536' } })).toBe(false);
    expect(declaredTooLarge({ headers: {} })).toBe(false);
    expect(declaredTooLarge({ headers: { 'content-length': 'lots' } })).toBe(false);
  });
});
