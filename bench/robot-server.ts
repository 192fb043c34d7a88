/**
 * A stand-in for DingTalk's custom robot endpoint (`POST /robot/send?access_token=…`) on the loopback
 * interface, for the delivery benchmark: it reads each request's JSON body, records its `msgUuid` and answers
 * `{"errcode":0,"errmsg":"ok"}` at once. It checks nothing else (no signature), so that what is timed is the
 * sender, not the server.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RobotServer {
  /** The webhook to give the channel: `http://127.0.0.1:PORT/robot/send?access_token=bench`. */
  webhook: string;
  /** Requests answered with errcode 0. */
  readonly accepted: number;
  /** Requests whose body was not a markdown message with a msgUuid (answered errcode 400402). */
  readonly rejected: number;
  /** The msgUuid of every accepted request, in arrival order. */
  readonly uuids: readonly string[];
  /** Forgets what was received (between runs). */
  reset(): void;
  close(): Promise<void>;
}

const OK = JSON.stringify({ errcode: 0, errmsg: 'ok' });
const BAD = JSON.stringify({ errcode: 400402, errmsg: 'bench: not a markdown message' });

export async function startRobotServer(): Promise<RobotServer> {
  let accepted = 0;
  let rejected = 0;
  let uuids: string[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      let ok = false;
      if (req.method === 'POST' && url.pathname === '/robot/send') {
        try {
          const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { msgtype?: unknown; msgUuid?: unknown };
          if (body.msgtype === 'markdown' && typeof body.msgUuid === 'string') {
            ok = true;
            uuids.push(body.msgUuid);
          }
        } catch {
          ok = false;
        }
      }
      if (ok) accepted++;
      else rejected++;
      const answer = ok ? OK : BAD;
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(answer) });
      res.end(answer);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    webhook: `http://127.0.0.1:${port}/robot/send?access_token=bench`,
    get accepted() {
      return accepted;
    },
    get rejected() {
      return rejected;
    },
    get uuids() {
      return uuids;
    },
    reset() {
      accepted = 0;
      rejected = 0;
      uuids = [];
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
