/**
 * The HTTP layer: a bare `node:http` server with a tiny router. Handlers only verify, decode and
 * hand over: `/healthz`, `POST /dingtalk/callback` when the DingTalk callback is given, the dashboard
 * (`/dashboard…`, dashboard.ts) when its deps are given, and the local chat page's routes when they are given.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ScheduleStatus } from '../app/schedule-service';
import type { Logger } from '../logger';
import type { Store } from '../store/store';
import { DASHBOARD_ROUTES, type DashboardDeps } from './dashboard';
import { handleHealthz } from './healthz';

export interface HttpDeps {
  store: Store;
  logger: Logger;
  /** The plan has been loaded: `/healthz` answers 503 until then. */
  ready: () => boolean;
  /** The reminder channel and, when a permanent error stopped it, why (shown in `/healthz` for monitoring). */
  channel?: () => { name: string; label: string; stopped: string | null } | null;
  /** The scheduler: last and next tick, years without holiday data. */
  schedule?: () => ScheduleStatus | null;
  /**
   * `POST /dingtalk/callback` (from `createDingtalkCallback`); when absent the path answers 404 like any unknown
   * path (DINGTALK_MODE=off or stream).
   */
  callback?: Handler;
  /** More routes: the local chat page's, when LOCAL_CONSOLE is on. */
  routes?: Routes;
  /** The dashboard at `/dashboard`; when absent its paths answer 404. */
  dashboard?: DashboardDeps;
}

export type Handler = (req: http.IncomingMessage, res: http.ServerResponse, deps: HttpDeps) => void;
/** Path → method → handler. */
export type Routes = Record<string, Partial<Record<string, Handler>>>;

export function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

const ROUTES: Routes = {
  '/healthz': { GET: handleHealthz, HEAD: handleHealthz },
};

export function createHttpServer(deps: HttpDeps): http.Server {
  const routes: Routes = {
    ...deps.routes,
    ...ROUTES,
    ...(deps.callback ? { '/dingtalk/callback': { POST: deps.callback } } : {}),
    ...(deps.dashboard ? DASHBOARD_ROUTES : {}),
  };
  return http.createServer((req, res) => {
    const url = parseTarget(req.url);
    // `GET // HTTP/1.1`, `GET //x:99999 …`: a target URL cannot parse. Thrown here it would end the process.
    if (!url) return sendJson(res, 400, { error: '请求地址无效' });
    const route = routes[url.pathname];
    if (!route) return sendJson(res, 404, { error: '没有这个地址' });
    const handler = route[req.method ?? 'GET'];
    if (!handler) {
      res.setHeader('allow', Object.keys(route).join(', '));
      return sendJson(res, 405, { error: `此地址不支持 ${req.method} 请求` });
    }
    try {
      handler(req, res, deps);
    } catch (err) {
      deps.logger.error({ err, path: url.pathname }, '处理请求时出错');
      if (!res.headersSent) sendJson(res, 500, { error: '服务器内部错误' });
    }
  });
}

/** The request target as a URL (handlers parse `req.url` the same way), or null when it is not one. */
function parseTarget(target: string | undefined): URL | null {
  try {
    return new URL(target ?? '/', 'http://localhost');
  } catch {
    return null;
  }
}

/** Starts listening; resolves with the bound port (useful with PORT=0). */
export function listen(server: http.Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}
