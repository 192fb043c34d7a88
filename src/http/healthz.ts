/** `GET /healthz`: 200 with JSON once the database is open and a plan is loaded, 503 before. */
import type * as http from 'node:http';
import type { HttpDeps } from './server';
import { sendJson } from './server';

export function handleHealthz(_req: http.IncomingMessage, res: http.ServerResponse, deps: HttpDeps): void {
  if (!deps.ready()) return sendJson(res, 503, { status: 'starting', message: '正在启动，计划尚未加载' });
  const plans = deps.store.listPlans();
  if (plans.length === 0) return sendJson(res, 503, { status: 'no-plan', message: '数据库中没有计划' });
  sendJson(res, 200, {
    status: 'ok',
    plans: plans.map((p) => ({ id: p.id, title: p.title, items: p.itemCount, tasks: p.taskCount })),
  });
}
