/**
 * The baseline of the callback benchmarks: a bare `node:http` server that reads the body and answers 200 `{}` with
 * the callback's headers. Imported by the callback benchmark (a server in its worker thread), and run on its own as
 * a process (`node dist-bench/bench/bare-server.js`) by the memory benchmark: then it imports nothing but node:http,
 * listens on a free loopback port, prints `{"port":N}` on a line, and on SIGTERM prints `{"requests":N}` and exits 0.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export function bareServer(): http.Server {
  return http.createServer((req, res) => {
    req.on('data', () => {});
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': 2 });
      res.end('{}');
    });
  });
}

function runAsProcess(): void {
  let requests = 0;
  const server = bareServer();
  server.on('request', () => requests++);
  process.once('SIGTERM', () => {
    server.closeAllConnections();
    server.close(() => {
      process.stdout.write(`${JSON.stringify({ requests })}\n`, () => process.exit(0));
    });
  });
  server.listen(0, '127.0.0.1', () => {
    process.stdout.write(`${JSON.stringify({ port: (server.address() as AddressInfo).port })}\n`);
  });
}

if (require.main === module) runAsProcess();
