/**
 * Settings from the environment (and `.env`), validated once at start. A bad value stops the
 * program with a Chinese message that names the variable, the value, and an example of a good one.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseEnv } from 'node:util';
import { z } from 'zod';

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** Every setting: its schema, and an example shown when a value is wrong. */
const SETTINGS = {
  DB_PATH: { schema: z.string().min(1).default('data/duban.db'), example: 'data/duban.db' },
  PLAN_FILE: { schema: z.string().min(1).default('data/plan.txt'), example: 'data/plan.txt' },
  UNITS_FILE: { schema: z.string().min(1).default('data/units.yaml'), example: 'data/units.yaml' },
  PORT: { schema: z.coerce.number().int().min(0).max(65535).default(3000), example: '3000' },
  HOST: { schema: z.string().min(1).default('0.0.0.0'), example: '0.0.0.0 或 127.0.0.1' },
  LOG_LEVEL: {
    schema: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    example: 'info（可选 fatal、error、warn、info、debug、trace、silent）',
  },
  LOG_FORMAT: {
    schema: z.enum(['auto', 'pretty', 'json']).default('auto'),
    example: 'auto（终端中显示易读的文字，否则输出 JSON 行；也可写 pretty 或 json）',
  },
} as const;

type Settings = typeof SETTINGS;
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
    else problems.push(`${name} 的值“${raw}”无效，示例：${name}=${example}`);
  }
  if (problems.length) {
    throw new ConfigError(`配置有误，请修改 .env 或环境变量后重试：\n  ${problems.join('\n  ')}`);
  }
  return out as Config;
}

/** Paths in settings are relative to the working directory. */
export function resolvePath(p: string): string {
  return path.resolve(process.cwd(), p);
}
