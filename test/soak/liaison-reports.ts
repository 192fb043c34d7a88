/**
 * Liaisons reporting progress through the signed DingTalk callback while a reminder cycle runs: each report a fresh
 * msgId, its reply address a session of its own on the fake DingTalk, so the fake tells which reports the bot
 * confirmed (its reply reached the session).
 */
import { robotSign } from '../../src/channels/dingtalk-sign';
import type { FakeDingtalk } from '../helpers/fake-dingtalk';

export interface Liaison {
  unit: string;
  name: string;
  id: string;
}

export interface SentReport {
  msgId: string;
  liaison: Liaison;
  text: string;
  /** HTTP status of the callback (0 when the service could not be reached). */
  status: number;
}

export function reportBody(fake: FakeDingtalk, msgId: string, liaison: Liaison, text: string): Record<string, unknown> {
  return {
    conversationId: 'cid-duban-group',
    msgId,
    senderNick: liaison.name,
    senderStaffId: liaison.id,
    sessionWebhookExpiredTime: Date.now() + 5_400_000,
    createAt: Date.now(),
    conversationType: '2',
    conversationTitle: '督办群',
    isInAtList: true,
    // The session is the msgId: the fake's deliveries say which report was answered.
    sessionWebhook: fake.sessionWebhook(msgId),
    text: { content: ` ${text}` },
    msgtype: 'text',
  };
}

/** Posts one signed callback; resolves with the HTTP status, 0 when nobody answered (the service is down). */
export async function postCallback(port: number, secret: string, body: Record<string, unknown>): Promise<number> {
  const timestamp = String(Date.now());
  try {
    const res = await fetch(`http://127.0.0.1:${port}/dingtalk/callback`, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8', timestamp, sign: robotSign(secret, timestamp) },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(5_000),
    });
    await res.arrayBuffer();
    return res.status;
  } catch {
    return 0;
  }
}

/** msgIds whose confirmation (`已记录…的进展`) reached the fake so far. */
export function confirmedReports(fake: FakeDingtalk): Set<string> {
  return new Set(fake.delivered.filter((d) => d.api === 'session' && d.session && d.text?.includes('已记录')).map((d) => d.session!));
}
