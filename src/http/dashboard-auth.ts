/**
 * Who may see the dashboard. Access is by the dashboard's token (DASHBOARD_TOKEN, or one generated on the first
 * start and kept in the database), given as `?token=` or `Authorization: Bearer …`, or by a signed, expiring link
 * the bot gives leaders in chat: `?exp=<unix seconds>&sig=<base64url HMAC-SHA256(secret, "dashboard:"+exp)>`,
 * whose secret derives from the token (a new token voids every link given before).
 *
 * A token or link in the address is traded for an HttpOnly cookie and a redirect to the same page without it, so
 * the credential does not stay in the address bar, the history or a referrer. Every comparison is constant-time.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type * as http from 'node:http';
import type { Config } from '../config';
import type { Store } from '../store/store';

/** The name the generated token is kept under in `app_settings`. */
export const TOKEN_SETTING = 'dashboard_token';
export const COOKIE_NAME = 'duban_dashboard';
/** The query parameters that carry a credential (removed by the redirect). */
const CREDENTIAL_PARAMS = ['token', 'exp', 'sig'];

/** The dashboard's token: DASHBOARD_TOKEN, else the one stored in the database (generated on the first call). */
export function dashboardToken(config: Pick<Config, 'DASHBOARD_TOKEN'>, store: Store, now = new Date()): string {
  return config.DASHBOARD_TOKEN ?? store.settings.getOrCreate(TOKEN_SETTING, () => randomBytes(16).toString('hex'), now);
}

/** The key links and cookies are signed with: derived from the token, never the token itself. */
function signingKey(token: string): Buffer {
  return createHmac('sha256', token).update('duban dashboard signing key').digest();
}

function mac(token: string, label: 'dashboard' | 'cookie', exp: number): string {
  return createHmac('sha256', signingKey(token)).update(`${label}:${exp}`).digest('base64url');
}

/** The signature of a dashboard link expiring at `exp` (unix seconds). */
export function linkSignature(token: string, exp: number): string {
  return mac(token, 'dashboard', exp);
}

/** Equal strings, compared in time independent of where they differ (and of their lengths). */
export function safeEqual(a: string, b: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();
  return timingSafeEqual(digest(a), digest(b));
}

/** Where users reach the service: PUBLIC_URL without a trailing slash, else `http://localhost:PORT`. */
export function publicBase(config: Pick<Config, 'PUBLIC_URL' | 'PORT'>): string {
  return config.PUBLIC_URL ? config.PUBLIC_URL.replace(/\/+$/, '') : `http://localhost:${config.PORT}`;
}

/**
 * The link the bot gives a leader for `看板`: the dashboard, signed, valid DASHBOARD_LINK_HOURS from `nowMs`.
 * @example dashboardLink(config, token, Date.now()) // 'https://duban.example.gov.cn/dashboard?exp=1758000000&sig=…'
 */
export function dashboardLink(config: Pick<Config, 'PUBLIC_URL' | 'PORT' | 'DASHBOARD_LINK_HOURS'>, token: string, nowMs: number): string {
  const exp = Math.floor(nowMs / 1000) + config.DASHBOARD_LINK_HOURS * 3600;
  return `${publicBase(config)}/dashboard?exp=${exp}&sig=${linkSignature(token, exp)}`;
}

/** The 看板 command's links for the bot: each signed at the moment asked, with when it expires. */
export function chatDashboardLinks(
  config: Pick<Config, 'PUBLIC_URL' | 'PORT' | 'DASHBOARD_LINK_HOURS'>,
  token: string,
): (nowMs: number) => { url: string; expiresAt: number } {
  return (nowMs) => ({ url: dashboardLink(config, token, nowMs), expiresAt: (Math.floor(nowMs / 1000) + config.DASHBOARD_LINK_HOURS * 3600) * 1000 });
}

export interface DashboardAuth {
  token: string;
  config: Pick<Config, 'PUBLIC_URL' | 'DASHBOARD_LINK_HOURS'>;
}

export type Access =
  /** A valid cookie or bearer token: serve the page. */
  | { kind: 'allowed' }
  /** A valid token or link in the address: set the cookie and redirect to `location` (the page without it). */
  | { kind: 'grant'; cookie: string; location: string }
  /** No credential, an expired one, or a wrong one. */
  | { kind: 'denied'; why: 'missing' | 'expired' | 'invalid' };

/** The cookie that lets the browser back in until `exp` (unix seconds). */
function grantCookie(auth: DashboardAuth, exp: number, nowSec: number): string {
  const secure = auth.config.PUBLIC_URL?.startsWith('https:') ? '; Secure' : '';
  const maxAge = Math.max(0, exp - nowSec);
  return `${COOKIE_NAME}=${exp}.${mac(auth.token, 'cookie', exp)}; Path=/dashboard; Max-Age=${maxAge}; HttpOnly; SameSite=Lax${secure}`;
}

/** The page's own address, relative to it, with the credential removed: `dashboard?status=red`, `unit?name=…`. */
function cleanLocation(url: URL): string {
  const params = new URLSearchParams(url.searchParams);
  for (const p of CREDENTIAL_PARAMS) params.delete(p);
  const query = params.toString();
  const last = url.pathname.split('/').pop() ?? 'dashboard';
  return `${last || '.'}${query ? `?${query}` : ''}`;
}

function cookieValue(header: string | undefined): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === COOKIE_NAME) return part.slice(eq + 1).trim();
  }
  return null;
}

/** `exp` as written in a link or cookie: whole unix seconds, nothing else. */
function parseExp(s: string): number | null {
  return /^\d{1,12}$/.test(s) ? Number(s) : null;
}

/** Checks a signed `exp`/`sig` pair: the signature first, so a changed `exp` is invalid rather than expired. */
function checkSigned(auth: DashboardAuth, label: 'dashboard' | 'cookie', expText: string, sig: string, nowSec: number): 'ok' | 'expired' | 'invalid' {
  const exp = parseExp(expText);
  if (exp === null) return 'invalid';
  if (!safeEqual(sig, mac(auth.token, label, exp))) return 'invalid';
  return exp > nowSec ? 'ok' : 'expired';
}

/** Decides what a request to the dashboard may do. Pure apart from the clock passed in. */
export function checkAccess(req: Pick<http.IncomingMessage, 'url' | 'headers'>, auth: DashboardAuth, nowMs: number): Access {
  const nowSec = Math.floor(nowMs / 1000);
  const url = new URL(req.url ?? '/', 'http://localhost');
  const q = url.searchParams;
  const token = q.get('token');
  if (token !== null) {
    if (!safeEqual(token, auth.token)) return { kind: 'denied', why: 'invalid' };
    const exp = nowSec + auth.config.DASHBOARD_LINK_HOURS * 3600;
    return { kind: 'grant', cookie: grantCookie(auth, exp, nowSec), location: cleanLocation(url) };
  }
  const exp = q.get('exp');
  const sig = q.get('sig');
  if (exp !== null || sig !== null) {
    const verdict = checkSigned(auth, 'dashboard', exp ?? '', sig ?? '', nowSec);
    if (verdict !== 'ok') return { kind: 'denied', why: verdict };
    return { kind: 'grant', cookie: grantCookie(auth, Number(exp), nowSec), location: cleanLocation(url) };
  }
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
  if (req.headers.authorization !== undefined) {
    return bearer?.[1] !== undefined && safeEqual(bearer[1], auth.token) ? { kind: 'allowed' } : { kind: 'denied', why: 'invalid' };
  }
  const cookie = cookieValue(req.headers.cookie);
  if (cookie !== null) {
    const dot = cookie.indexOf('.');
    const verdict = dot > 0 ? checkSigned(auth, 'cookie', cookie.slice(0, dot), cookie.slice(dot + 1), nowSec) : 'invalid';
    if (verdict === 'ok') return { kind: 'allowed' };
    // A cookie signed with an earlier token is no one's mistake: the visitor just needs a new link.
    return { kind: 'denied', why: verdict === 'expired' ? 'expired' : 'missing' };
  }
  return { kind: 'denied', why: 'missing' };
}
