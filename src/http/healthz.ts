/**
 * `GET /healthz`: 200 with JSON once the database is open and a plan is loaded, 503 before. The body also says
 * which channel sends reminders, whether a permanent error stopped it, and how many messages wait or failed,
 * so that monitoring can tell the admins.
 */
import type * as http from 'node:http';
import type { HttpDeps } from './server';
import { sendJson } from './server';

export function handleHealthz(_req: http.IncomingMessage, res: http.ServerResponse, deps: HttpDeps): void {
  if (!deps.ready()) return sendJson(res, 503, { status: 'starting', message: '正在启动，计划尚未加载' });
  const plans = deps.store.listPlans();
  if (plans.length === 0) return sendJson(res, 503, { status: 'no-plan', message: '数据库中没有计划' });
  const { pending, sending, failed } = deps.store.outbox.counts();
  sendJson(res, 200, {
    status: 'ok',
    plans: plans.map((p) => ({ id: p.id, title: p.title, items: p.itemCount, tasks: p.taskCount })),
    channel: deps.channel?.() ?? null,
    outbox: { pending: pending + sending, failed },
    schedule: deps.schedule?.() ?? null,
  });
}
