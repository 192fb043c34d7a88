/**
 * Settings from the environment (and `.env`), validated once at start. A bad value stops the
 * program with a Chinese message that names the variable, the value, and an example of a good one.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseEnv } from 'node:util';
import { z } from 'zod';
import { DEFAULT_DUE_DAYS } from './schedule/cycle';
import { OverrideSyntaxError, parseOverrides } from './schedule/overrides';

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** A comma-separated list of ids (Chinese or ASCII commas, spaces around them ignored). */
const idList = z
  .string()
  .default('')
  .transform((s) => s.split(/[,，、\s]+/).filter(Boolean));

/** A custom group robot's webhook: an http(s) URL carrying its `access_token`. */
const robotWebhook = z
  .url({ protocol: /^https?$/ })
  // `refine` runs even when the value is not a URL at all (a pasted bare token): it must not throw then.
  .refine((u) => URL.canParse(u) && (new URL(u).searchParams.get('access_token') ?? '').trim() !== '')
  .optional();
/** A custom group robot's 加签 secret. */
const robotSecret = z.string().regex(/^SEC\w+$/).optional();

/** A time of day, `9:00` or `09:00` (a full-width colon too), normalised to `HH:mm`. */
const timeOfDay = z
  .string()
  .regex(/^([01]?\d|2[0-3])[:：]([0-5]\d)$/)
  .transform((s) => {
    const [h = '', m = ''] = s.split(/[:：]/);
    return `${h.padStart(2, '0')}:${m}`;
  });

const OFF_WORDS = /^(off|none|no|0|关闭|不提醒|无)$/i;

/** A time of day, or `off` (null): when a message goes out, if at all. */
function timeOrOff(fallback: string) {
  return z
    .string()
    .default(fallback)
    .transform((s, ctx) => {
      if (OFF_WORDS.test(s.trim())) return null;
      const t = timeOfDay.safeParse(s.trim());
      if (t.success) return t.data;
      ctx.addIssue({ code: 'custom', message: '应为 时:分 或 off' });
      return z.NEVER;
    });
}

/**
 * Working days before the due date: a list (`3,1`: on the 3rd and the 1st working day before), or one number N
 * for every one of the last N working days (`2`: the 2nd and the 1st), or `0` / `off` for none. Descending.
 */
export function parseBeforeWorkdays(raw: string): number[] | null {
  const s = raw.trim();
  if (OFF_WORDS.test(s)) return [];
  const parts = s.split(/[,，、\s]+/).filter(Boolean);
  if (!parts.every((p) => /^\d{1,2}$/.test(p))) return null;
  const values = parts.map(Number);
  if (values.some((n) => n < 1 || n > 20)) return null;
  const list = values.length === 1 ? Array.from({ length: values[0] ?? 0 }, (_, i) => i + 1) : values;
  return [...new Set(list)].sort((a, b) => b - a);
}

/** Chinese reasons from a transform are shown beside the example (zod's own messages are English: not shown). */
function chineseReason(error: z.ZodError): string {
  const issue = error.issues.find((i) => i.code === 'custom' && /[\u4e00-\u9fff]/.test(i.message));
  return issue ? `（${issue.message}）` : '';
}

/** Every setting: its schema, and an example shown when a value is wrong. */
const SETTINGS = {
  DB_PATH: { schema: z.string().min(1).default('data/duban.db'), example: 'data/duban.db' },
  PLAN_FILE: { schema: z.string().min(1).default('data/plan.txt'), example: 'data/plan.txt' },
  UNITS_FILE: { schema: z.string().min(1).default('data/units.yaml'), example: 'data/units.yaml' },
  PORT: { schema: z.coerce.number().int().min(0).max(65535).default(3000), example: '3000' },
  HOST: { schema: z.string().min(1).default('0.0.0.0'), example: '0.0.0.0 或 127.0.0.1' },
  LOCAL_CONSOLE: {
    schema: z
      .string()
      .default('auto')
      .transform((s, ctx) => {
        const v = s.trim();
        if (/^auto$/i.test(v)) return 'auto' as const;
        if (/^(1|on|yes|true|打开|开启)$/i.test(v)) return 'on' as const;
        if (OFF_WORDS.test(v) || /^false$/i.test(v)) return 'off' as const;
        ctx.addIssue({ code: 'custom', message: '应为 auto、1 或 0' });
        return z.NEVER;
      }),
    example: 'auto（发送渠道是本机控制台时打开本机聊天页面 http://localhost:3000/；1 总是打开；0 关闭）',
  },
  LOG_LEVEL: {
    schema: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    example: 'info（可选 fatal、error、warn、info、debug、trace、silent）',
  },
  LOG_FORMAT: {
    schema: z.enum(['auto', 'pretty', 'json']).default('auto'),
    example: 'auto（终端中显示易读的文字，否则输出 JSON 行；也可写 pretty 或 json）',
  },
  TIMEZONE: { schema: z.string().refine(isTimeZone).default('Asia/Shanghai'), example: 'Asia/Shanghai' },
  REPORT_CYCLE: {
    schema: z.enum(['weekly', 'monthly', 'quarterly']).default('monthly'),
    example: 'monthly（每月报送；也可写 weekly 每周、quarterly 每季度）',
  },
  REPORT_DUE_DAY: {
    schema: z.coerce.number().int().min(1).max(31).optional(),
    example: '25（每月 25 日；每周报送时写 1–7 表示周一至周日；每季度报送时写季末月的日期）',
  },
  DUE_ON_HOLIDAY: {
    schema: z.enum(['next', 'previous']).default('next'),
    example: 'next（截止日遇节假日、周末顺延到下一个工作日；写 previous 提前到上一个工作日）',
  },
  REMIND_AT: { schema: timeOfDay.default('09:00'), example: '09:00（提醒、催办的发送时间，北京时间）' },
  REMIND_BEFORE_WORKDAYS: {
    schema: z
      .string()
      .default('3,1')
      .transform((s, ctx) => parseBeforeWorkdays(s) ?? (ctx.addIssue({ code: 'custom', message: '应为 1–20 的工作日数' }), z.NEVER)),
    example: '3,1（截止日前第 3 个和第 1 个工作日各提醒一次；写一个数 2 表示截止前 2 个工作日每天提醒；0 表示不提前提醒）',
  },
  OVERDUE_EVERY_WORKDAYS: {
    schema: z.coerce.number().int().min(0).max(20).default(1),
    example: '1（逾期后每个工作日催办一次；2 表示每 2 个工作日；0 表示不催办）',
  },
  ESCALATE_AFTER_WORKDAYS: {
    schema: z.coerce.number().int().min(0).max(60).default(3),
    example: '3（逾期满 3 个工作日仍未报送，告知该单位分管领导和区领导；0 表示不升级）',
  },
  DIGEST_AT: {
    schema: timeOrOff('17:30'),
    example: '17:30（截止日当天向领导发送报送情况汇总的时间；off 表示不发）',
  },
  BULLETIN_AT: {
    schema: timeOrOff('09:30'),
    example: '09:30（截止日后第一个工作日向领导发送本期通报的时间；off 表示不发）',
  },
  SCHEDULE_OVERRIDES: {
    schema: z
      .string()
      .default('')
      .transform((s, ctx) => {
        try {
          return parseOverrides(s);
        } catch (err) {
          if (!(err instanceof OverrideSyntaxError)) throw err;
          ctx.addIssue({ code: 'custom', message: err.message });
          return z.NEVER;
        }
      }),
    example: '第3项=每周五；区司法局=每月20日（按事项或单位单独设置报送周期，用分号隔开）',
  },
  CALENDAR_FILE: { schema: z.string().min(1).default('data/calendar.yaml'), example: 'data/calendar.yaml' },
  SCHEDULER: {
    schema: z.enum(['on', 'off']).default('on'),
    example: 'on（npm start 时按计划自动发送提醒；off 表示只在手动运行 duban remind --now 时发送）',
  },
  WARN_WITHIN_WORKDAYS: {
    schema: z.coerce.number().int().min(0).max(20).default(2),
    example: '2（距截止日或计划时限不足 2 个工作日仍未报送的亮黄灯；0 表示只在截止当天亮黄灯）',
  },
  CONTACTS_FILE: { schema: z.string().min(1).default('data/contacts.csv'), example: 'data/contacts.csv' },
  CHANNEL: {
    schema: z.enum(['auto', 'console', 'dingtalk-robot', 'dingtalk-app', 'zzd']).default('auto'),
    example: 'auto（按已填写的凭据自动选择；也可写 console、dingtalk-robot、dingtalk-app、zzd）',
  },
  DINGTALK_WEBHOOK: { schema: robotWebhook, example: 'https://oapi.dingtalk.com/robot/send?access_token=机器人的access_token' },
  DINGTALK_SECRET: { schema: robotSecret, example: 'SEC 开头的加签密钥，例如 SECb909…5c68' },
  DINGTALK_APP_KEY: { schema: z.string().min(1).optional(), example: 'dingxxxxxxxxxxxxxxxx（应用的 AppKey / Client ID）' },
  DINGTALK_APP_SECRET: { schema: z.string().min(1).optional(), example: '应用的 AppSecret / Client Secret' },
  DINGTALK_ROBOT_CODE: { schema: z.string().min(1).optional(), example: 'dingxxxxxxxxxxxxxxxx（企业内部应用机器人一般与 AppKey 相同）' },
  DINGTALK_GROUP_ID: { schema: z.string().min(1).optional(), example: 'cidXXXXXXXX==（督办群的 openConversationId）' },
  DINGTALK_MODE: {
    schema: z.enum(['auto', 'http', 'stream', 'off']).default('auto'),
    example: 'auto（设置了 DINGTALK_APP_SECRET 时接收钉钉回调 POST /dingtalk/callback；stream 为 Stream 模式，无需公网地址；off 不接收消息）',
  },
  CALLBACK_RATE_PER_MINUTE: {
    schema: z
      .string()
      .default('20')
      .transform((v, ctx) => {
        const text = v.trim();
        if (/^(off|关闭|不限)$/i.test(text)) return null;
        const n = /^\d+$/.test(text) ? Number(text) : NaN;
        if (Number.isInteger(n) && n >= 1 && n <= 600) return n;
        ctx.addIssue({ code: 'custom', message: '应为 1 到 600 的整数，或 off' });
        return z.NEVER;
      }),
    example: '20（每人每分钟最多处理 20 条发给机器人的消息，超出的暂不处理并提醒对方稍后再发；off 表示不限制）',
  },
  DINGTALK_API_BASE: { schema: z.url({ protocol: /^https?$/ }).default('https://api.dingtalk.com'), example: 'https://api.dingtalk.com' },
  ZZD_APP_KEY: { schema: z.string().min(1).optional(), example: '浙政钉应用的 AppKey' },
  ZZD_APP_SECRET: { schema: z.string().min(1).optional(), example: '浙政钉应用的 AppSecret' },
  ZZD_TENANT_ID: { schema: z.string().regex(/^\d+$/).optional(), example: '196729（浙政钉租户 ID）' },
  ZZD_BASE_URL: {
    schema: z.url({ protocol: /^https?$/ }).default('https://openplatform-pro.ding.zj.gov.cn'),
    example: 'https://openplatform-pro.ding.zj.gov.cn（测试环境为 https://openplatform.dg-work.cn）',
  },
  DINGTALK_RATE_PER_MINUTE: { schema: z.coerce.number().int().min(1).max(6000).default(20), example: '20' },
  DINGTALK_TIMEOUT_MS: { schema: z.coerce.number().int().min(100).max(120000).default(10000), example: '10000' },
  ADMIN_IDS: { schema: idList, example: 'manager001,manager002（钉钉用户 ID，用逗号分隔）' },
  ALERT_WEBHOOK: {
    schema: robotWebhook,
    example: 'https://oapi.dingtalk.com/robot/send?access_token=管理员群机器人的access_token',
  },
  ALERT_SECRET: { schema: robotSecret, example: 'SEC 开头的加签密钥（管理员群机器人的“加签”）' },
  LEADER_IDS: { schema: idList, example: 'leader001,leader002（钉钉用户 ID，用逗号分隔）' },
  DASHBOARD_TOKEN: {
    schema: z.string().regex(/^[\x21-\x7e]{16,}$/).optional(),
    example: '至少 16 位的随机字符串，例如 openssl rand -hex 16 的输出（不设置时首次启动自动生成并保存在数据库中）',
  },
  PUBLIC_URL: {
    schema: z.url({ protocol: /^https?$/ }).optional(),
    example: 'https://duban.example.gov.cn（机器人发给领导的看板链接用这个地址；不设置时为 http://localhost:端口）',
  },
  DASHBOARD_LINK_HOURS: {
    schema: z.coerce.number().int().min(1).max(720).default(24),
    example: '24（机器人发出的看板链接的有效小时数）',
  },
} as const;

type Settings = typeof SETTINGS;

/** The names of every setting, in documentation order. */
export const SETTING_NAMES = Object.keys(SETTINGS) as (keyof Settings)[];
export type Config = { [K in keyof Settings]: z.output<Settings[K]['schema']> };

/** Reads `.env` from the working directory into `env` without overriding what is already set. */
export function loadDotEnv(env: NodeJS.ProcessEnv = process.env, file = '.env'): void {
  if (!fs.existsSync(file)) return;
  const parsed = parseEnv(fs.readFileSync(file, 'utf8')) as Record<string, string>;
  for (const [k, v] of Object.entries(parsed)) if (env[k] === undefined) env[k] = v;
}

/**
 * Validates the settings in `env` (a pure function of its argument).
 * @example loadConfig({ PORT: '8080' }).PORT === 8080
 * @throws ConfigError naming every bad variable.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const out: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const [name, { schema, example }] of Object.entries(SETTINGS)) {
    const raw = env[name];
    const value = raw === undefined || raw.trim() === '' ? undefined : raw.trim();
    const result = (schema as z.ZodType).safeParse(value);
    if (result.success) out[name] = result.data;
    else problems.push(`${name} 的值“${shownValue(name, raw ?? '')}”无效${chineseReason(result.error)}，示例：${name}=${example}`);
  }
  if (problems.length === 0) problems.push(...crossChecks(out as Config));
  if (problems.length) {
    throw new ConfigError(`配置有误，请修改 .env 或环境变量后重试：\n  ${problems.join('\n  ')}`);
  }
  return out as Config;
}

/** A bad value as the error message shows it: secrets hidden, and the robot's access_token masked in a webhook. */
function shownValue(name: string, raw: string): string {
  if (/SECRET|TOKEN/.test(name)) return '（已隐藏）';
  return raw.replace(/(access_token=)[^&#\s]*/gi, '$1（已隐藏）');
}

/**
 * The secret values among the settings, for the logger to mask: every *SECRET and *TOKEN setting, and the
 * access_token of each robot webhook.
 */
export function secretValues(c: Config): string[] {
  const out: string[] = [];
  for (const name of SETTING_NAMES) {
    const value = c[name];
    if (/SECRET|TOKEN/.test(name) && typeof value === 'string') out.push(value);
  }
  for (const url of [c.DINGTALK_WEBHOOK, c.ALERT_WEBHOOK]) {
    const token = url && URL.canParse(url) ? new URL(url).searchParams.get('access_token') : null;
    if (token) out.push(token);
  }
  return out;
}

/** Paths in settings are relative to the working directory. */
export function resolvePath(p: string): string {
  return path.resolve(process.cwd(), p);
}

/** The channel that sends reminders: the one named by CHANNEL, or under `auto` the first with credentials. */
export type ChannelKind = Exclude<Config['CHANNEL'], 'auto'>;

export function channelKind(c: Config): ChannelKind {
  if (c.CHANNEL !== 'auto') return c.CHANNEL;
  if (c.DINGTALK_WEBHOOK) return 'dingtalk-robot';
  if (c.DINGTALK_APP_KEY && c.DINGTALK_APP_SECRET) return 'dingtalk-app';
  if (c.ZZD_APP_KEY && c.ZZD_APP_SECRET && c.ZZD_TENANT_ID) return 'zzd';
  return 'console';
}

/**
 * Whether `npm start` serves the local chat page (`/`): LOCAL_CONSOLE=1, or under `auto` while the console channel
 * runs (no credentials: nothing leaves the machine). Off in production unless asked for.
 */
export function localConsole(c: Config): boolean {
  return c.LOCAL_CONSOLE === 'on' || (c.LOCAL_CONSOLE === 'auto' && channelKind(c) === 'console');
}

/** How chat messages reach the bot: the HTTP callback, Stream mode, or not at all. */
export function receiveMode(c: Config): 'http' | 'stream' | 'off' {
  if (c.DINGTALK_MODE !== 'auto') return c.DINGTALK_MODE;
  return c.DINGTALK_APP_SECRET ? 'http' : 'off';
}

/** Settings that are valid alone but not together. */
function crossChecks(c: Config): string[] {
  const need = (names: (keyof Config)[], why: string): string[] => {
    const missing = names.filter((n) => c[n] === undefined);
    return missing.length ? [`${why}，还需要设置 ${missing.join('、')}`] : [];
  };
  const out: string[] = [];
  if (c.CHANNEL === 'dingtalk-robot') out.push(...need(['DINGTALK_WEBHOOK'], 'CHANNEL=dingtalk-robot（钉钉自定义群机器人）'));
  if (c.CHANNEL === 'dingtalk-app') out.push(...need(['DINGTALK_APP_KEY', 'DINGTALK_APP_SECRET'], 'CHANNEL=dingtalk-app（钉钉应用机器人）'));
  if (c.CHANNEL === 'zzd') out.push(...need(['ZZD_APP_KEY', 'ZZD_APP_SECRET', 'ZZD_TENANT_ID'], 'CHANNEL=zzd（浙政钉工作通知）'));
  if (c.ALERT_SECRET && !c.ALERT_WEBHOOK) out.push('设置了 ALERT_SECRET，还需要设置 ALERT_WEBHOOK（管理员群机器人的 Webhook 地址）');
  if (c.DINGTALK_APP_KEY && !c.DINGTALK_APP_SECRET) out.push('设置了 DINGTALK_APP_KEY，还需要设置 DINGTALK_APP_SECRET');
  if (c.DINGTALK_MODE === 'http') out.push(...need(['DINGTALK_APP_SECRET'], 'DINGTALK_MODE=http（接收钉钉机器人回调，用 AppSecret 验证签名）'));
  if (c.DINGTALK_MODE === 'stream') out.push(...need(['DINGTALK_APP_KEY', 'DINGTALK_APP_SECRET'], 'DINGTALK_MODE=stream（钉钉 Stream 模式接收消息）'));
  if (c.ZZD_APP_KEY && !(c.ZZD_APP_SECRET && c.ZZD_TENANT_ID)) out.push(...need(['ZZD_APP_SECRET', 'ZZD_TENANT_ID'], '设置了 ZZD_APP_KEY'));
  if (c.REPORT_DUE_DAY !== undefined) {
    if (c.REPORT_CYCLE === 'weekly' && c.REPORT_DUE_DAY > 7) {
      out.push(`REPORT_DUE_DAY 的值“${c.REPORT_DUE_DAY}”无效：每周报送（REPORT_CYCLE=weekly）时写 1–7（周一至周日），示例：REPORT_DUE_DAY=5`);
    }
  }
  return out;
}

/** The due day of the configured cycle: REPORT_DUE_DAY, or Friday / the 25th / the 20th of the quarter's last month. */
export function reportDueDay(c: Config): number {
  return c.REPORT_DUE_DAY ?? DEFAULT_DUE_DAYS[c.REPORT_CYCLE];
}
