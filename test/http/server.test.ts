import * as fs from 'node:fs';
import type { Server } from 'node:http';
import * as net from 'node:net';
import * as path from 'node:path';
import { createHttpServer, listen } from '../../src/http/server';
import { createLogger } from '../../src/logger';
import { parsePlan } from '../../src/plan/parse-plan';
import { Store } from '../../src/store/store';
import { SEED, tempDir } from '../helpers/run-cli';

describe('HTTP server', () => {
  let dir: string;
  let cleanup: () => void;
  let store: Store;
  let server: Server;
  let base: string;
  let ready: boolean;

  beforeEach(async () => {
    ({ dir, cleanup } = tempDir());
    store = Store.open(path.join(dir, 'duban.db'));
    ready = false;
    server = createHttpServer({ store, logger: createLogger({ level: 'silent', format: 'json' }), ready: () => ready });
    base = `http://127.0.0.1:${await listen(server, 0, '127.0.0.1')}`;
  });

  afterEach(async () => {
    await new Promise((resolve) => server.close(resolve));
    store.close();
    cleanup();
  });

  it('answers /healthz with 503 while starting, 503 without a plan, then 200 with the plans', async () => {
    let res = await fetch(`${base}/healthz`);
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ status: 'starting', message: '正在启动，计划尚未加载' });

    ready = true;
    res = await fetch(`${base}/healthz`);
    expect(res.status).toBe(503);
    expect(((await res.json()) as { status: string }).status).toBe('no-plan');

    store.importPlan(parsePlan(fs.readFileSync(SEED, 'utf8')), { name: 'seed.txt', sha256: 'x' }, new Date());
    res = await fetch(`${base}/healthz`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(await res.json()).toEqual({
      status: 'ok',
      plans: [{ id: 1, title: '2020年秀洲区法治政府建设工作要点', items: 9, tasks: 20 }],
      channel: null,
      schedule: null,
      outbox: { pending: 0, failed: 0 },
    });
  });

  it('answers unknown paths with 404 and wrong methods with 405 and an Allow header, in Chinese', async () => {
    const missing = await fetch(`${base}/dingtalk/nothing`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: '没有这个地址' });
    const wrong = await fetch(`${base}/healthz`, { method: 'DELETE' });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('GET, HEAD');
    expect(((await wrong.json()) as { error: string }).error).toContain('DELETE');
  });

  it('answers a request target that is no URL (`GET //`) with 400 instead of crashing (found by fuzzing)', async () => {
    const rawGet = (target: string) =>
      new Promise<string>((resolve, reject) => {
        let text = '';
        const socket = net.connect(Number(new URL(base).port), '127.0.0.1', () => socket.write(`GET ${target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`));
        // A server that crashed on the request never answers: fail on the assertions below, not by hanging.
        socket.setTimeout(2000, () => {
          socket.destroy();
          resolve(text);
        });
        socket.on('data', (c: Buffer) => (text += c.toString('utf8')));
        socket.on('end', () => resolve(text));
        socket.on('error', reject);
      });
    for (const target of ['//', '//x:99999', '//[']) {
      const answer = await rawGet(target);
      expect(answer).toMatch(/^HTTP\/1\.1 400 /);
      expect(answer).toContain('请求地址无效');
    }
    expect((await fetch(`${base}/healthz`)).status).toBe(503);
  });

  it('answers a HEAD request to /healthz without a body', async () => {
    ready = true;
    const res = await fetch(`${base}/healthz`, { method: 'HEAD' });
    expect(res.status).toBe(503);
    expect(await res.text()).toBe('');
  });
});
