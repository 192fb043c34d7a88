import * as fs from 'node:fs';
import * as path from 'node:path';
import { channelKind, ConfigError, loadConfig, loadDotEnv, localConsole, reportDueDay, secretValues, SETTING_NAMES } from '../src/config';
import { ROOT } from './helpers/run-cli';
import { tempDir } from './helpers/run-cli';

describe('loadConfig', () => {
  it('has working defaults with an empty environment', () => {
    expect(loadConfig({})).toEqual({
      DB_PATH: 'data/duban.db',
      PLAN_FILE: 'data/plan.txt',
      UNITS_FILE: 'data/units.yaml',
      PORT: 3000,
      HOST: '0.0.0.0',
      LOCAL_CONSOLE: 'auto',
      LOG_LEVEL: 'info',
      LOG_FORMAT: 'auto',
      TIMEZONE: 'Asia/Shanghai',
      REPORT_CYCLE: 'monthly',
      REPORT_DUE_DAY: undefined,
      DUE_ON_HOLIDAY: 'next',
      REMIND_AT: '09:00',
      REMIND_BEFORE_WORKDAYS: [3, 1],
      OVERDUE_EVERY_WORKDAYS: 1,
      ESCALATE_AFTER_WORKDAYS: 3,
      DIGEST_AT: '17:30',
      SCHEDULE_OVERRIDES: [],
      CALENDAR_FILE: 'data/calendar.yaml',
      SCHEDULER: 'on',
      WARN_WITHIN_WORKDAYS: 2,
      BULLETIN_AT: '09:30',
      DASHBOARD_LINK_HOURS: 24,
      CONTACTS_FILE: 'data/contacts.csv',
      CHANNEL: 'auto',
      DINGTALK_WEBHOOK: undefined,
      DINGTALK_SECRET: undefined,
      DINGTALK_APP_KEY: undefined,
      DINGTALK_APP_SECRET: undefined,
      DINGTALK_ROBOT_CODE: undefined,
      DINGTALK_GROUP_ID: undefined,
      DINGTALK_MODE: 'auto',
      CALLBACK_RATE_PER_MINUTE: 20,
      DINGTALK_API_BASE: 'https://api.dingtalk.com',
      ZZD_APP_KEY: undefined,
      ZZD_APP_SECRET: undefined,
      ZZD_TENANT_ID: undefined,
      ZZD_BASE_URL: 'https://openplatform-pro.ding.zj.gov.cn',
      DINGTALK_RATE_PER_MINUTE: 20,
      DINGTALK_TIMEOUT_MS: 10000,
      ADMIN_IDS: [],
      LEADER_IDS: [],
    });
    expect(channelKind(loadConfig({}))).toBe('console');
  });

  it('reads values and treats blank ones as unset', () => {
    const c = loadConfig({ PORT: '8080', DB_PATH: '/var/lib/duban/duban.db', LOG_LEVEL: ' ' });
    expect(c.PORT).toBe(8080);
    expect(c.DB_PATH).toBe('/var/lib/duban/duban.db');
    expect(c.LOG_LEVEL).toBe('info');
  });

  it.each([
    [{ PORT: 'abc' }, 'PORT 的值“abc”无效，示例：PORT=3000'],
    [{ PORT: '70000' }, 'PORT 的值“70000”无效'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL 的值“loud”无效，示例：LOG_LEVEL=info'],
  ])('rejects %o with a Chinese message naming the variable, value and an example', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('reads the schedule settings', () => {
    const c = loadConfig({
      REMIND_AT: '8:30',
      REMIND_BEFORE_WORKDAYS: '2',
      DIGEST_AT: 'off',
      DUE_ON_HOLIDAY: 'previous',
      OVERDUE_EVERY_WORKDAYS: '0',
      SCHEDULE_OVERRIDES: '第3项=每周五；区司法局=每月20日',
    });
    expect(c.REMIND_AT).toBe('08:30');
    // One number N: every one of the last N working days; a list: exactly those.
    expect(c.REMIND_BEFORE_WORKDAYS).toEqual([2, 1]);
    expect(loadConfig({ REMIND_BEFORE_WORKDAYS: '5，3，1' }).REMIND_BEFORE_WORKDAYS).toEqual([5, 3, 1]);
    expect(loadConfig({ REMIND_BEFORE_WORKDAYS: '0' }).REMIND_BEFORE_WORKDAYS).toEqual([]);
    expect(loadConfig({ CALLBACK_RATE_PER_MINUTE: ' 45 ' }).CALLBACK_RATE_PER_MINUTE).toBe(45);
    expect(loadConfig({ CALLBACK_RATE_PER_MINUTE: 'OFF' }).CALLBACK_RATE_PER_MINUTE).toBeNull();
    expect(c.DIGEST_AT).toBeNull();
    expect(c.DUE_ON_HOLIDAY).toBe('previous');
    expect(c.OVERDUE_EVERY_WORKDAYS).toBe(0);
    expect(c.SCHEDULE_OVERRIDES.map((o) => o.target)).toEqual([{ item: 3 }, { unit: '区司法局' }]);
  });

  it.each([
    [{ REMIND_AT: '25:00' }, 'REMIND_AT 的值“25:00”无效，示例：REMIND_AT=09:00'],
    [{ REMIND_BEFORE_WORKDAYS: '3,x' }, 'REMIND_BEFORE_WORKDAYS 的值“3,x”无效（应为 1–20 的工作日数），示例：REMIND_BEFORE_WORKDAYS=3,1'],
    [{ DIGEST_AT: 'evening' }, 'DIGEST_AT 的值“evening”无效（应为 时:分 或 off），示例：DIGEST_AT=17:30'],
    [{ DUE_ON_HOLIDAY: 'later' }, 'DUE_ON_HOLIDAY 的值“later”无效，示例：DUE_ON_HOLIDAY=next'],
    [{ CALLBACK_RATE_PER_MINUTE: '0' }, 'CALLBACK_RATE_PER_MINUTE 的值“0”无效（应为 1 到 600 的整数，或 off），示例：CALLBACK_RATE_PER_MINUTE=20（每人每分钟最多处理 20 条'],
    [{ CALLBACK_RATE_PER_MINUTE: '601' }, 'CALLBACK_RATE_PER_MINUTE 的值“601”无效（应为 1 到 600 的整数，或 off）'],
    [{ OVERDUE_EVERY_WORKDAYS: '-1' }, 'OVERDUE_EVERY_WORKDAYS 的值“-1”无效'],
    [{ SCHEDULE_OVERRIDES: '第3项=每天' }, 'SCHEDULE_OVERRIDES 的值“第3项=每天”无效（“第3项=每天”中的“每天”不是报送周期'],
  ])('rejects the schedule setting %o naming the value and an example', (env, message) => {
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('names every bad variable at once', () => {
    expect(() => loadConfig({ PORT: 'x', LOG_LEVEL: 'y' })).toThrow(/PORT[\s\S]*LOG_LEVEL/);
  });
});

describe('channel settings', () => {
  const webhook = 'http://127.0.0.1:9/robot/send?access_token=t0';

  it('picks the channel from the credentials under CHANNEL=auto', () => {
    expect(channelKind(loadConfig({ DINGTALK_WEBHOOK: webhook }))).toBe('dingtalk-robot');
    expect(channelKind(loadConfig({ DINGTALK_APP_KEY: 'k', DINGTALK_APP_SECRET: 's' }))).toBe('dingtalk-app');
    expect(channelKind(loadConfig({ ZZD_APP_KEY: 'k', ZZD_APP_SECRET: 's', ZZD_TENANT_ID: '1' }))).toBe('zzd');
    expect(channelKind(loadConfig({ CHANNEL: 'console', DINGTALK_WEBHOOK: webhook }))).toBe('console');
  });

  it('opens the local chat page with the console channel or LOCAL_CONSOLE=1, and not in production', () => {
    expect(localConsole(loadConfig({}))).toBe(true);
    expect(localConsole(loadConfig({ DINGTALK_WEBHOOK: webhook }))).toBe(false);
    expect(localConsole(loadConfig({ DINGTALK_WEBHOOK: webhook, LOCAL_CONSOLE: '1' }))).toBe(true);
    expect(localConsole(loadConfig({ LOCAL_CONSOLE: '0' }))).toBe(false);
    expect(localConsole(loadConfig({ LOCAL_CONSOLE: 'off' }))).toBe(false);
    expect(() => loadConfig({ LOCAL_CONSOLE: 'maybe' })).toThrow('LOCAL_CONSOLE 的值“maybe”无效（应为 auto、1 或 0）');
  });

  it('keeps the admins\' alert robot apart from the channel that sends reminders', () => {
    const config = loadConfig({ ALERT_WEBHOOK: webhook, ALERT_SECRET: 'SEC0123' });
    expect(channelKind(config)).toBe('console');
    expect(config.ALERT_WEBHOOK).toBe(webhook);
  });

  it('splits id lists on ASCII and Chinese commas', () => {
    expect(loadConfig({ ADMIN_IDS: 'a01, b02，c03' }).ADMIN_IDS).toEqual(['a01', 'b02', 'c03']);
  });

  it.each([
    [{ DINGTALK_WEBHOOK: 'https://oapi.dingtalk.com/robot/send' }, 'DINGTALK_WEBHOOK 的值“https://oapi.dingtalk.com/robot/send”无效'],
    [{ DINGTALK_WEBHOOK: 'https://oapi.dingtalk.com/robot/send?access_token=' }, 'DINGTALK_WEBHOOK 的值“https://oapi.dingtalk.com/robot/send?access_token=（已隐藏）”无效'],
    [{ CHANNEL: 'dingtalk-robot' }, 'CHANNEL=dingtalk-robot（钉钉自定义群机器人），还需要设置 DINGTALK_WEBHOOK'],
    [{ CHANNEL: 'zzd', ZZD_APP_KEY: 'k' }, '还需要设置 ZZD_APP_SECRET、ZZD_TENANT_ID'],
    [{ DINGTALK_APP_KEY: 'k' }, '还需要设置 DINGTALK_APP_SECRET'],
    [{ ALERT_SECRET: 'SEC0123' }, '设置了 ALERT_SECRET，还需要设置 ALERT_WEBHOOK'],
    [{ ALERT_WEBHOOK: 'https://oapi.dingtalk.com/robot/send?token=abc' }, 'ALERT_WEBHOOK 的值“https://oapi.dingtalk.com/robot/send?token=abc”无效'],
    [{ ALERT_WEBHOOK: webhook, ALERT_SECRET: 'not-a-sec' }, 'ALERT_SECRET 的值“（已隐藏）”无效'],
    [{ TIMEZONE: 'Asia/Beijing' }, 'TIMEZONE 的值“Asia/Beijing”无效，示例：TIMEZONE=Asia/Shanghai'],
    [{ REPORT_CYCLE: 'weekly', REPORT_DUE_DAY: '15' }, '每周报送（REPORT_CYCLE=weekly）时写 1–7'],
  ])('rejects %o', (env, message) => {
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('never echoes a secret in its error message', () => {
    expect(() => loadConfig({ DINGTALK_SECRET: 'my-real-secret' })).toThrow('DINGTALK_SECRET 的值“（已隐藏）”无效');
    expect(() => loadConfig({ DINGTALK_SECRET: 'my-real-secret' })).not.toThrow(/my-real-secret/);
  });

  it('names DINGTALK_WEBHOOK when it is not a URL at all (a pasted bare token), and never echoes the token', () => {
    for (const value of ['oapi.dingtalk.com/robot/send?access_token=0123456789abcdef', '0123456789abcdef']) {
      expect(() => loadConfig({ DINGTALK_WEBHOOK: value })).toThrow(ConfigError);
      expect(() => loadConfig({ DINGTALK_WEBHOOK: value })).toThrow('DINGTALK_WEBHOOK 的值“');
    }
    const message = (() => {
      try {
        loadConfig({ DINGTALK_WEBHOOK: 'ftp://oapi.dingtalk.com/robot/send?access_token=0123456789abcdef' });
      } catch (err) {
        return (err as Error).message;
      }
      return '';
    })();
    expect(message).toContain('DINGTALK_WEBHOOK 的值“ftp://oapi.dingtalk.com/robot/send?access_token=（已隐藏）”无效');
    expect(message).not.toContain('0123456789abcdef');
  });

  it('defaults the due day by cycle', () => {
    expect(reportDueDay(loadConfig({ REPORT_CYCLE: 'weekly' }))).toBe(5);
    expect(reportDueDay(loadConfig({}))).toBe(25);
    expect(reportDueDay(loadConfig({ REPORT_DUE_DAY: '30' }))).toBe(30);
  });
});

describe('loadDotEnv', () => {
  it('fills unset variables from .env and never overrides the environment', () => {
    const { dir, cleanup } = tempDir();
    try {
      const file = path.join(dir, '.env');
      fs.writeFileSync(file, '# 注释\nPORT=4000\nDB_PATH="data/x.db"\n');
      const env: NodeJS.ProcessEnv = { PORT: '5000' };
      loadDotEnv(env, file);
      expect(env).toEqual({ PORT: '5000', DB_PATH: 'data/x.db' });
    } finally {
      cleanup();
    }
  });
});

describe('secretValues', () => {
  it('lists every secret and token setting and the access_token of each webhook, for the logger to mask', () => {
    const config = loadConfig({
      DINGTALK_WEBHOOK: 'https://oapi.dingtalk.com/robot/send?access_token=robot-tok',
      DINGTALK_SECRET: 'SECrobot',
      DINGTALK_APP_KEY: 'dingkey',
      DINGTALK_APP_SECRET: 'app-secret',
      ALERT_WEBHOOK: 'https://oapi.dingtalk.com/robot/send?access_token=alert-tok',
      ALERT_SECRET: 'SECalert',
      ZZD_APP_KEY: 'zzd-key',
      ZZD_APP_SECRET: 'zzd-secret',
      ZZD_TENANT_ID: '1',
      DASHBOARD_TOKEN: '0123456789abcdef0',
    });
    expect(secretValues(config).sort()).toEqual(['0123456789abcdef0', 'SECalert', 'SECrobot', 'alert-tok', 'app-secret', 'robot-tok', 'zzd-secret']);
  });
});

describe('documentation of the settings', () => {
  it.each(SETTING_NAMES)('%s is explained in .env.example and in the README table', (name) => {
    expect(fs.readFileSync(path.join(ROOT, '.env.example'), 'utf8')).toMatch(new RegExp(`^#? ?${name}=`, 'm'));
    expect(fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8')).toContain(`| \`${name}\` |`);
  });
});
