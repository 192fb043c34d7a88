/**
 * The dashboard's HTTP handlers: `GET /dashboard` (the board, with the 通报), `/dashboard/unit?name=…`,
 * `/dashboard/item?plan=…&n=…`, and the 台账 as `/dashboard/ledger.xlsx` and `/dashboard/ledger.csv`. Each checks access (dashboard-auth.ts), decodes the query, builds one StatusView
 * for the request and hands it to the renderer in src/dashboard/. Every answer carries headers that keep it out of
 * caches, frames and referrers, and a CSP that allows nothing but this response's own inline style and script.
 */
import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type * as http from 'node:http';
import { boardPage } from '../dashboard/board-page';
import { markdownHtml } from '../dashboard/bulletin-html';
import { parseFilters } from '../dashboard/filters';
import { itemPage } from '../dashboard/item-page';
import { messagePage } from '../dashboard/layout';
import { linksFrom } from '../dashboard/links';
import { unitPage } from '../dashboard/unit-page';
import { ScheduleSetupError } from '../app/schedule-run';
import { bulletin } from '../status/bulletin';
import { cycleRecords } from '../status/cycle-record';
import { ledgerCsv } from '../status/ledger-csv';
import { StatusView, type StatusDeps } from '../status/status-view';
import type { StoredReport } from '../store/store';
import { UnitDirectoryError } from '../units/unit-directory';
import { checkAccess, type Access } from './dashboard-auth';
import type { Handler } from './server';

export interface DashboardDeps {
  /** What the status view is built from (one view per request). Its clock, when given, also judges links' expiry. */
  status: StatusDeps;
  /** The dashboard's token (dashboardToken()). */
  token: string;
}

/** How many cycles the reporting-rate chart shows. */
const CHART_CYCLES = 6;
/** How many of a unit's reports its page lists. */
const HISTORY_LIMIT = 200;

interface Request {
  req: http.IncomingMessage;
  res: http.ServerResponse;
  url: URL;
  deps: DashboardDeps;
  nonce: string;
}

function securityHeaders(res: http.ServerResponse, nonce: string): void {
  res.setHeader('cache-control', 'no-store');
  res.setHeader('x-content-type-options', 'nosniff');
  res.setHeader('referrer-policy', 'no-referrer');
  res.setHeader('x-frame-options', 'DENY');
  res.setHeader(
    'content-security-policy',
    `default-src 'none'; style-src 'nonce-${nonce}'; script-src 'nonce-${nonce}'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'`,
  );
}

/** Sends a page, gzipped when the browser takes it (a board is ~100 KB of HTML, a phone may be on a slow line). */
function sendHtml(r: Pick<Request, 'req' | 'res'>, status: number, body: string): void {
  let data = Buffer.from(body, 'utf8');
  const gzip = data.length > 1024 && /\bgzip\b/.test(String(r.req.headers['accept-encoding'] ?? ''));
  if (gzip) data = gzipSync(data);
  r.res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'content-length': data.length,
    vary: 'accept-encoding',
    ...(gzip ? { 'content-encoding': 'gzip' } : {}),
  });
  r.res.end(data);
}

const ASK_BOT = '请在钉钉里给督办机器人发送“看板”，用机器人回复的链接打开。';

function refused(r: Request, why: Extract<Access, { kind: 'denied' }>['why']): void {
  const lines = {
    missing: ['看板只对领导和管理员开放。', ASK_BOT],
    expired: ['这个看板链接已过期。', '请在钉钉里给督办机器人发送“看板”，获取新的链接。'],
    invalid: ['链接或口令不对，可能复制不完整或已经作废。', ASK_BOT],
  }[why];
  r.res.setHeader('www-authenticate', 'Bearer realm="duban-dashboard"');
  sendHtml(r, 401, messagePage({ title: why === 'expired' ? '链接已过期' : '需要授权', nonce: r.nonce, lines }));
}

/** A page that cannot be shown as asked (bad or unknown query values): a Chinese page and a link back. */
function problem(r: Request, status: number, title: string, lines: string[]): void {
  sendHtml(r, status, messagePage({ title, nonce: r.nonce, lines, link: { href: linksFrom('sub').board(), text: '返回看板' } }));
}

function clock(deps: DashboardDeps): number {
  return (deps.status.clock ?? Date.now)();
}

/** Checks access, then runs the page; a failure while building it becomes a Chinese error page. */
function guarded(page: (r: Request) => void | Promise<void>): Handler {
  return (req, res, httpDeps) => {
    const deps = httpDeps.dashboard;
    const url = new URL(req.url ?? '/', 'http://localhost');
    const nonce = randomBytes(16).toString('base64');
    securityHeaders(res, nonce);
    const r: Request = { req, res, url, deps: deps as DashboardDeps, nonce };
    if (!deps) return problem(r, 404, '没有这个页面', ['看板没有启用。']);
    const access = checkAccess(req, { token: deps.token, config: deps.status.config }, clock(deps));
    if (access.kind === 'denied') return refused(r, access.why);
    if (access.kind === 'grant') {
      res.writeHead(303, { location: access.location, 'set-cookie': access.cookie, 'content-length': 0 });
      return void res.end();
    }
    const failed = (err: unknown) => {
      // A broken units file or schedule setting is the admins' to fix: say what it is.
      const known = err instanceof UnitDirectoryError || err instanceof ScheduleSetupError;
      httpDeps.logger.error({ err, path: url.pathname }, '看板页面出错');
      if (!res.headersSent) problem(r, 500, '看板暂时无法显示', [known ? (err as Error).message : '服务器内部错误，请稍后再试，或请管理员查看日志。']);
      else res.destroy();
    };
    try {
      const done = page(r);
      if (done) done.catch(failed);
    } catch (err) {
      failed(err);
    }
  };
}

function view(r: Request): StatusView {
  return new StatusView(r.deps.status);
}

function board(r: Request): void {
  const v = view(r);
  const b = v.board();
  const { filters, problems } = parseFilters(r.url.searchParams, {
    plans: v.plans,
    units: b.units.map((u) => u.unit),
    // As in chat: canonical names, aliases and the short form (`司法局`).
    canonical: (name) => v.resolveUnit(name) ?? name,
  });
  const html = boardPage({
    board: b,
    plans: v.plans,
    filters,
    problems,
    records: cycleRecords(v, CHART_CYCLES),
    timeZone: r.deps.status.config.TIMEZONE,
    nonce: r.nonce,
    bulletin: b.assignments.length ? withHtml(bulletin(v)) : null,
    downloads: b.assignments.length > 0,
  });
  sendHtml(r, problems.length ? 400 : 200, html);
}

function unit(r: Request): void {
  const name = (r.url.searchParams.get('name') ?? '').trim();
  if (!name) return problem(r, 400, '缺少单位名称', ['请在地址中写明单位，例如 /dashboard/unit?name=区司法局，或从看板上点单位名称进入。']);
  const v = view(r);
  // The directory first (one unit's status needs no other plan data), then every name chat accepts.
  let canonical = r.deps.status.directory().canonical(name);
  let status = v.unitStatus(canonical);
  if (!status) {
    canonical = v.resolveUnit(name) ?? canonical;
    status = v.unitStatus(canonical);
  }
  if (!status) return problem(r, 404, '没有这个单位', [`计划中没有“${name}”这个单位（或它没有任务）。可写全称、别名或简称（如“司法局”），或回到看板从单位列表中选择。`]);
  const records = cycleRecords(v, CHART_CYCLES).map((c) => ({ cycle: c.cycle, record: c.units.find((u) => u.unit === canonical) ?? null }));
  sendHtml(
    r,
    200,
    unitPage({ status, history: r.deps.status.store.reports.historyOfUnit(canonical, HISTORY_LIMIT), records, now: v.now, timeZone: r.deps.status.config.TIMEZONE, nonce: r.nonce }),
  );
}

/** A positive whole number written in the query, or null. */
function positiveInt(s: string | null): number | null {
  return s !== null && /^\s*[1-9]\d{0,5}\s*$/.test(s) ? Number(s) : null;
}

function item(r: Request): void {
  const q = r.url.searchParams;
  const n = positiveInt(q.get('n'));
  if (n === null) return problem(r, 400, '事项序号无效', [`事项序号应为正整数，例如 /dashboard/item?n=4（收到的是“${q.get('n') ?? ''}”）。`]);
  const planText = q.get('plan');
  const planId = planText === null || planText.trim() === '' ? undefined : positiveInt(planText);
  if (planId === null) return problem(r, 400, '计划编号无效', [`计划编号应为正整数（收到的是“${planText}”）。`]);
  const v = view(r);
  const items = v.itemStatus(n, planId);
  if (items.length === 0) return problem(r, 404, '没有这个事项', [`计划中没有第${n}项${planId === undefined ? '' : `（计划编号 ${planId}）`}，请从看板上点事项进入。`]);
  const history = new Map<number, StoredReport[]>();
  const latest = (taskId: number, unitName: string): StoredReport | null => {
    let list = history.get(taskId);
    if (!list) history.set(taskId, (list = r.deps.status.store.reports.historyOfTask(taskId).filter((h) => h.withdrawnAt === null)));
    return list.find((h) => h.unit === unitName) ?? null;
  };
  sendHtml(r, 200, itemPage({ items, latest, now: v.now, timeZone: r.deps.status.config.TIMEZONE, nonce: r.nonce }));
}

function withHtml(b: { title: string; markdown: string }) {
  return { ...b, html: markdownHtml(b.markdown) };
}

/**
 * `attachment` with the file's Chinese name (RFC 5987/6266 `filename*`) and an ASCII name for old clients:
 * `督办台账-2025-09-15.xlsx`.
 */
export function attachment(name: string, asciiName: string): string {
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${asciiName}"; filename*=UTF-8''${encoded}`;
}

function sendFile(r: Request, body: Buffer, type: string, name: string, asciiName: string): void {
  r.res.writeHead(200, { 'content-type': type, 'content-length': body.length, 'content-disposition': attachment(name, asciiName) });
  r.res.end(body);
}

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

async function ledgerXlsxFile(r: Request): Promise<void> {
  const v = view(r);
  // exceljs takes most of a second to load: only when a workbook is asked for, not in everything that imports the router.
  const body = await (await import('../status/ledger-xlsx')).ledgerXlsx(v);
  sendFile(r, body, XLSX_TYPE, `督办台账-${v.today}.xlsx`, `duban-ledger-${v.today}.xlsx`);
}

function ledgerCsvFile(r: Request): void {
  const v = view(r);
  sendFile(r, Buffer.from(ledgerCsv(v), 'utf8'), 'text/csv; charset=utf-8', `督办台账-${v.today}.csv`, `duban-ledger-${v.today}.csv`);
}

/** The dashboard's routes, added to the router when HttpDeps has `dashboard`. */
export const DASHBOARD_ROUTES: Record<string, Partial<Record<string, Handler>>> = {
  '/dashboard': { GET: guarded(board) },
  '/dashboard/unit': { GET: guarded(unit) },
  '/dashboard/item': { GET: guarded(item) },
  '/dashboard/ledger.xlsx': { GET: guarded(ledgerXlsxFile) },
  '/dashboard/ledger.csv': { GET: guarded(ledgerCsvFile) },
};
