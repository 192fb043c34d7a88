import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import { dateInZone } from '../src/calendar/civil-date';
import { WorkdayCalendar } from '../src/calendar/workday-calendar';
import type { AgendaEntry } from '../src/schedule/agenda';
import { robotSign } from '../src/channels/dingtalk-sign';
import { Store } from '../src/store/store';
import { clearOfCycleTurn } from './helpers/cycle-boundary';
import { startFakeDingtalk } from './helpers/fake-dingtalk';
import { childEnv, ROOT, runCli, runCliAsync, SEED, tempDir } from './helpers/run-cli';
import { MAIN, runUntilExit, startService, stop, until } from './helpers/run-service';

/** The log's `看板：…` line (the dashboard's local address, without a credential). */
function dashboardLine(lines: string[]): string {
  const rec = lines.map((l) => JSON.parse(l) as { msg: string }).find((r) => r.msg.startsWith('看板：'));
  return rec?.msg ?? '';
}

/** `duban dashboard-link` against the service's database and port: the signed link it prints. */
function linkFor(db: string, port: number): string {
  const r = runCli(['dashboard-link'], { DB_PATH: db, PORT: String(port) });
  expect(r.stderr).toContain('看板链接有效至');
  expect(r.status).toBe(0);
  return r.stdout.trim();
}

/** Opens a signed link as a browser would: the redirect's cookie, then the board. */
async function openBoard(link: string): Promise<Response> {
  const granted = await fetch(link.replace('localhost', '127.0.0.1'), { redirect: 'manual' });
  expect(granted.status).toBe(303);
  const cookie = granted.headers.get('set-cookie')!.split(';')[0]!;
  return fetch(new URL('/dashboard', link.replace('localhost', '127.0.0.1')), { headers: { cookie } });
}

describe('npm start (dist/main.js)', () => {
  it('imports the bundled plan into a fresh database, serves /healthz, and stops cleanly on SIGTERM', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const db = path.join(dir, 'nested', 'duban.db');
      const s = await startService({ DB_PATH: db, PLAN_FILE: SEED });
      const res = await fetch(`http://127.0.0.1:${s.port}/healthz`);
      expect(res.status).toBe(200);
      const body = (await res.json()) as Record<string, unknown>;
      expect(body).toEqual({
        status: 'ok',
        plans: [{ id: 1, title: '2020年秀洲区法治政府建设工作要点', items: 9, tasks: 20 }],
        channel: { name: 'console', label: '本机控制台', stopped: null },
        outbox: { pending: 0, failed: 0 },
        schedule: { enabled: false, lastTick: null, nextRun: null, yearsWithoutCalendar: [] },
      });
      expect(s.logs().join('\n')).toContain('已导入新计划《2020年秀洲区法治政府建设工作要点》');
      // The console cannot fail to deliver, so there is no word about alerts.
      expect(s.logs().join('\n')).not.toContain('ALERT_WEBHOOK');
      const missing = await fetch(`http://127.0.0.1:${s.port}/nowhere`);
      expect(missing.status).toBe(404);
      expect(((await missing.json()) as { error: string }).error).toBe('没有这个地址');
      expect((await fetch(`http://127.0.0.1:${s.port}/healthz`, { method: 'POST' })).status).toBe(405);
      // The dashboard's address is in the log without any credential; `duban dashboard-link` signs a link to it.
      await until(() => s.logs().some((l) => l.includes('看板：')), 5000);
      const dashboard = dashboardLine(s.logs());
      expect(dashboard).toMatch(new RegExp(`^看板：http://localhost:${s.port}/dashboard（需要授权才能打开：运行 duban dashboard-link`));
      expect(dashboard).not.toMatch(/token=|sig=/);
      const link = linkFor(db, s.port);
      expect(link).toMatch(new RegExp(`^http://localhost:${s.port}/dashboard\\?exp=\\d+&sig=[\\w-]+$`));
      expect((await openBoard(link)).status).toBe(200);
      expect((await fetch(`http://127.0.0.1:${s.port}/dashboard`)).status).toBe(401);
      expect(await stop(s.child)).toBe(0);

      // A restart finds the plan and does not import it again.
      const again = await startService({ DB_PATH: db, PLAN_FILE: SEED });
      expect(again.logs().join('\n')).not.toContain('导入内置计划文件');
      // The generated token was kept: a link signed before the restart still opens the board.
      expect((await openBoard(link.replace(`:${s.port}/`, `:${again.port}/`))).status).toBe(200);
      expect(await stop(again.child)).toBe(0);
      const store = Store.open(db);
      try {
        expect(store.countRows().planImports).toBe(1);
      } finally {
        store.close();
      }
    } finally {
      cleanup();
    }
  });

  it('with no settings at all, prints the local chat page\'s address in Chinese and serves the page there', async () => {
    const { dir, cleanup } = tempDir();
    try {
      // Only where the database goes and a port: everything else is the embedded default (console channel).
      const s = await startService({ DB_PATH: path.join(dir, 'duban.db') });
      const line = `本机聊天页面：http://localhost:${s.port}/`;
      await until(() => s.logs().some((l) => l.includes(line)), 10_000);
      expect(s.logs().join('\n')).toContain(line);
      const page = await fetch(`http://127.0.0.1:${s.port}/`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('督办群（本机试用）');
      const { people } = (await (await fetch(`http://127.0.0.1:${s.port}/console/api/state`)).json()) as { people: { people: { id: string }[] }[] };
      expect(people.flatMap((g) => g.people.map((p) => p.id))).toEqual(expect.arrayContaining(['demo-sfj-01', 'demo-leader']));
      expect(await stop(s.child)).toBe(0);
    } finally {
      cleanup();
    }
  });

  it('refuses to start with a bad setting and names it in Chinese', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const { code, out } = await runUntilExit({ PORT: 'abc', DB_PATH: path.join(dir, 'x.db') }, dir);
      expect(code).toBe(1);
      expect(out).toContain('PORT 的值“abc”无效，示例：PORT=3000');
      expect(fs.existsSync(path.join(dir, 'x.db'))).toBe(false);
    } finally {
      cleanup();
    }
  });

  it.each([
    ['DINGTALK_MODE=http with only the AppKey', { DINGTALK_MODE: 'http', DINGTALK_APP_KEY: 'dingtestappkey' }, 'DINGTALK_MODE=http（接收钉钉机器人回调，用 AppSecret 验证签名），还需要设置 DINGTALK_APP_SECRET'],
    ['DINGTALK_MODE=http alone', { DINGTALK_MODE: 'http' }, 'DINGTALK_MODE=http（接收钉钉机器人回调，用 AppSecret 验证签名），还需要设置 DINGTALK_APP_SECRET'],
    ['DINGTALK_MODE=stream alone', { DINGTALK_MODE: 'stream' }, 'DINGTALK_MODE=stream（钉钉 Stream 模式接收消息），还需要设置 DINGTALK_APP_KEY、DINGTALK_APP_SECRET'],
  ])('refuses to receive messages without DINGTALK_APP_SECRET (%s), in Chinese', async (_name, env, message) => {
    const { dir, cleanup } = tempDir();
    try {
      const { code, out } = await runUntilExit({ ...env, DB_PATH: path.join(dir, 'x.db'), PLAN_FILE: SEED, HOST: '127.0.0.1' }, dir);
      expect(code).not.toBe(0);
      expect(out).toContain('配置有误，请修改 .env 或环境变量后重试');
      expect(out).toContain(message);
      // Nothing was opened, let alone served.
      expect(fs.existsSync(path.join(dir, 'x.db'))).toBe(false);
      expect(out).not.toContain('督办服务已启动');
    } finally {
      cleanup();
    }
  });

  it('does not serve the callback when no DINGTALK_APP_SECRET is set (DINGTALK_MODE=auto)', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const s = await startService({ DB_PATH: path.join(dir, 'duban.db'), PLAN_FILE: SEED, DINGTALK_APP_KEY: '' });
      try {
        const timestamp = String(Date.now());
        const res = await fetch(`http://127.0.0.1:${s.port}/dingtalk/callback`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', timestamp, sign: robotSign('', timestamp) },
          body: JSON.stringify({ msgId: 'm1', msgtype: 'text', conversationId: 'c', conversationType: '1', text: { content: '3.2 已完成' } }),
        });
        expect(res.status).toBe(404);
        expect(s.logs().join('\n')).not.toContain('接收钉钉消息');
      } finally {
        expect(await stop(s.child)).toBe(0);
      }
    } finally {
      cleanup();
    }
  });

  it('says in Chinese that the port is taken', async () => {
    const { dir, cleanup } = tempDir();
    const blocker = http.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    try {
      const port = String((blocker.address() as { port: number }).port);
      const { code, out } = await runUntilExit({ DB_PATH: path.join(dir, 'x.db'), PLAN_FILE: SEED, PORT: port, HOST: '127.0.0.1' });
      expect(code).toBe(1);
      expect(out).toContain(`端口 ${port} 已被占用`);
      expect(out).not.toContain('EADDRINUSE');
    } finally {
      blocker.close();
      cleanup();
    }
  });

  it('refuses to start when the bundled plan has no items, naming the file', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const planFile = path.join(dir, 'notice-only.txt');
      fs.writeFileSync(planFile, '关于做好有关工作的通知\n请各单位认真落实。\n');
      const { code, out } = await runUntilExit({ DB_PATH: path.join(dir, 'x.db'), PLAN_FILE: planFile });
      expect(code).toBe(1);
      expect(out).toContain(`无法解析计划文件 ${planFile}：没有找到编号的事项`);
    } finally {
      cleanup();
    }
  });

  it('starts with a broken units file and warns instead', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const units = path.join(dir, 'units.yaml');
      fs.writeFileSync(units, '单位：\n  - 区司法局\n');
      const s = await startService({ DB_PATH: path.join(dir, 'duban.db'), PLAN_FILE: SEED, UNITS_FILE: units });
      expect(s.logs().join('\n')).toContain('无法检查责任单位');
      expect(await stop(s.child)).toBe(0);
    } finally {
      cleanup();
    }
  });

  it('refuses to start when the bundled plan cannot be read, and says which file', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const { code, out } = await runUntilExit({ DB_PATH: path.join(dir, 'x.db'), PLAN_FILE: path.join(dir, 'missing-plan.txt') });
      expect(code).toBe(1);
      expect(out).toContain('missing-plan.txt');
    } finally {
      cleanup();
    }
  });

  it('delivers what is left in the outbox, e.g. after DingTalk was down during duban remind --now', async () => {
    const { dir, cleanup } = tempDir();
    const fake = await startFakeDingtalk();
    try {
      const db = path.join(dir, 'duban.db');
      const env = { DB_PATH: db, PLAN_FILE: SEED, DINGTALK_WEBHOOK: fake.webhook };
      expect(runCli(['plan', 'import', SEED], env).status).toBe(0);
      let down = true;
      fake.failUntil(() => !down, { status: 503 });
      // 0.6 s: shorter than the first backoff (1–2 s), so exactly one attempt is made (none after the deadline,
      // even when the machine is slow). A second one would count against the 20-a-minute limit and hold the
      // service's 19th message back for a minute.
      const r = await runCliAsync(['remind', '--now', '--wait', '0.01'], env);
      expect(r.status).toBe(1);
      expect(fake.delivered).toHaveLength(0);
      expect(fake.attempts).toHaveLength(1);

      down = false;
      const s = await startService(env);
      try {
        expect(s.logs().join('\n')).toContain('提醒发送渠道：钉钉群机器人；发件箱中有 19 条消息待发送');
        await until(() => fake.delivered.length >= 19, 15_000);
        expect(fake.delivered).toHaveLength(19);
      } finally {
        expect(await stop(s.child)).toBe(0);
      }
      const store = Store.open(db);
      try {
        expect(store.outbox.counts()).toMatchObject({ pending: 0, sending: 0, sent: 19 });
      } finally {
        store.close();
      }
    } finally {
      await fake.close();
      cleanup();
    }
  });

  it('sends on start an alert that the previous run had to leave when it was stopped', async () => {
    const { dir, cleanup } = tempDir();
    const fake = await startFakeDingtalk({ secret: 'SECright', robotTokens: ['robot-token', 'admin-token'] });
    try {
      const db = path.join(dir, 'duban.db');
      const env = { DB_PATH: db, PLAN_FILE: SEED, DINGTALK_WEBHOOK: fake.webhook, ALERT_WEBHOOK: fake.webhookFor('admin-token'), ALERT_SECRET: 'SECright' };
      const store = Store.open(db);
      const at = Date.now() - 60_000;
      store.alerts.claim({ key: 'stopped:dingtalk-robot:310000', title: '钉钉群机器人已停止发送', text: '原因：签名错误', sentAt: at, owner: 'x' }, () => true);
      store.alerts.abandon('stopped:dingtalk-robot:310000', at, 'x');
      store.close();
      const s = await startService(env);
      try {
        await until(() => fake.delivered.length > 0, 10_000);
        expect(fake.delivered.map((d) => [d.robotToken, d.title])).toEqual([['admin-token', '督办系统告警：钉钉群机器人已停止发送']]);
        expect(fake.delivered[0]!.text).toContain('现补发');
      } finally {
        expect(await stop(s.child)).toBe(0);
      }
    } finally {
      await fake.close();
      cleanup();
    }
  });

  it('reports a channel stopped by a permanent error in /healthz and to the admins\' group, once', async () => {
    const { dir, cleanup } = tempDir();
    const fake = await startFakeDingtalk({ secret: 'SECright', robotTokens: ['robot-token', 'admin-token'] });
    try {
      const db = path.join(dir, 'duban.db');
      const env = {
        DB_PATH: db,
        PLAN_FILE: SEED,
        DINGTALK_WEBHOOK: fake.webhook,
        DINGTALK_SECRET: 'SECwrong',
        ALERT_WEBHOOK: fake.webhookFor('admin-token'),
        ALERT_SECRET: 'SECright',
        ADMIN_IDS: 'admin001',
      };
      expect(runCli(['plan', 'import', SEED], env).status).toBe(0);
      // Queue without sending, as if DingTalk had been unreachable; the service then meets the wrong secret.
      const store = Store.open(db);
      store.outbox.enqueue(
        [{ groupKey: 'remind|2025-09|区司法局', channel: 'dingtalk-robot', kind: 'remind', cycle: '2025-09', unit: '区司法局',
           destination: { kind: 'group' }, title: '督办提醒', parts: ['督办提醒正文'] }],
        Date.now(),
      );
      store.close();
      const s = await startService(env);
      try {
        const deadline = Date.now() + 10000;
        let body: { channel?: { stopped: string | null }; outbox?: { failed: number } } = {};
        while (Date.now() < deadline) {
          body = (await (await fetch(`http://127.0.0.1:${s.port}/healthz`)).json()) as typeof body;
          if (body.channel?.stopped) break;
          await new Promise((res) => setTimeout(res, 50));
        }
        expect(body.channel?.stopped).toContain('DINGTALK_SECRET');
        expect(body.outbox?.failed).toBe(1);
        // Told once, not once per message or per retry.
        const told = () => s.logs().filter((l) => l.includes('钉钉群机器人无法使用，已停止发送'));
        await until(() => told().length > 0, 10_000);
        const alerted = () => s.logs().filter((l) => l.includes('已通知管理员群：钉钉群机器人已停止发送'));
        await until(() => alerted().length > 0, 10_000);
        await new Promise((res) => setTimeout(res, 300));
        expect(told()).toHaveLength(1);
        expect(alerted()).toHaveLength(1);
        const alerts = fake.delivered.filter((d) => d.robotToken === 'admin-token');
        expect(alerts).toHaveLength(1);
        expect(alerts[0]!.text).toContain('DINGTALK_SECRET');
        expect(alerts[0]!.atUserIds).toEqual(['admin001']);
        expect(s.logs().some((l) => l.includes('发送故障会通知管理员群（ALERT_WEBHOOK）并 @ 1 位管理员'))).toBe(true);
      } finally {
        expect(await stop(s.child)).toBe(0);
      }
    } finally {
      await fake.close();
      cleanup();
    }
  });

  it('runs the schedule: on start it sends what fell due today, once, and a restart sends nothing again', async () => {
    await clearOfCycleTurn();
    const { dir, cleanup } = tempDir();
    const fake = await startFakeDingtalk();
    try {
      const db = path.join(dir, 'duban.db');
      // Every reminder of today fires at 00:00, so all of them fell due before the service starts.
      const env = {
        DB_PATH: db,
        PLAN_FILE: SEED,
        DINGTALK_WEBHOOK: fake.webhook,
        DINGTALK_RATE_PER_MINUTE: '600',
        SCHEDULER: 'on',
        REPORT_CYCLE: 'weekly',
        REMIND_AT: '00:00',
        DIGEST_AT: '00:00',
      };
      const today = dateInZone(Date.now(), 'Asia/Shanghai');
      const s = await startService(env);
      const expected = () => {
        const r = runCli(['schedule', 'preview', '--from', today, '--to', today, '--json'], env);
        expect(r.status).toBe(0);
        return JSON.parse(r.stdout) as AgendaEntry[];
      };
      const due = expected();
      await until(() => fake.delivered.length >= due.length, 15_000);
      expect(await stop(s.child)).toBe(0);
      expect(s.logs().join('\n')).toContain('自动提醒已开启：每天 00:00');
      // One message per reminder of the day (none on a day off), each the first and only one with its key.
      const titles = fake.delivered.map((m) => m.title ?? '');
      expect(fake.delivered).toHaveLength(due.length);
      expect(new Set(fake.delivered.map((m) => m.msgUuid)).size).toBe(due.length);
      if (WorkdayCalendar.create(null).isWorkday(today)) expect(due.length).toBeGreaterThan(0);
      for (const e of due) expect(titles.some((t) => e.unit === null || t.includes(e.unit))).toBe(true);

      const again = await startService(env);
      await until(() => again.logs().some((l) => l.includes('自动提醒已开启')), 10_000);
      expect(await stop(again.child)).toBe(0);
      expect(fake.delivered).toHaveLength(due.length);
      expect(again.logs().join('\n')).not.toContain('放入发件箱');
      const store = Store.open(db);
      try {
        expect(store.schedule.lastTick()).not.toBeNull();
      } finally {
        store.close();
      }
    } finally {
      await fake.close();
      cleanup();
    }
  }, 60_000);

  it('refuses to start when SCHEDULE_OVERRIDES names a unit the plan does not have', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const { code, out } = await runUntilExit({ DB_PATH: path.join(dir, 'x.db'), PLAN_FILE: SEED, SCHEDULER: 'on', SCHEDULE_OVERRIDES: '区教育局=每周五' });
      expect(code).toBe(1);
      expect(out).toContain('SCHEDULE_OVERRIDES 中的“区教育局=每周五”：单位“区教育局”不在计划的责任单位中');
    } finally {
      cleanup();
    }
  });

  it('stops cleanly on a SIGTERM that arrives while it is still starting', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const db = path.join(dir, 'duban.db');
      const child = spawn(process.execPath, [MAIN], { cwd: ROOT, env: childEnv({ LOG_LEVEL: 'info', PORT: '0', HOST: '127.0.0.1', SCHEDULER: 'off', DB_PATH: db, PLAN_FILE: SEED }) });
      let out = '';
      child.stdout.on('data', (c: Buffer) => {
        // The first line (the database is open): the plan is not even imported yet.
        if (!out) child.kill('SIGTERM');
        out += c.toString('utf8');
      });
      const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
      expect(code).toBe(0);
      expect(out).toContain('服务已停止，数据库已关闭');
    } finally {
      cleanup();
    }
  });

  it('stops on SIGTERM even when whoever read its output has gone', async () => {
    const { dir, cleanup } = tempDir();
    try {
      // A parent that starts the service with piped output, then dies: the service's stdout is a broken pipe.
      const parent = path.join(dir, 'parent.js');
      fs.writeFileSync(
        parent,
        `const c = require('node:child_process').spawn(process.execPath, [${JSON.stringify(MAIN)}], { stdio: ['ignore', 'pipe', 'ignore'], env: process.env });
         c.stdout.once('data', () => { console.log(c.pid); process.kill(process.pid, 'SIGKILL'); });
         setTimeout(() => { c.kill('SIGKILL'); process.exit(1); }, 15000);`,
      );
      const env = childEnv({ LOG_LEVEL: 'info', DB_PATH: path.join(dir, 'x.db'), PLAN_FILE: SEED, PORT: '0', HOST: '127.0.0.1' });
      const r = spawnSync(process.execPath, [parent], { env, encoding: 'utf8', timeout: 20_000 });
      const pid = Number(r.stdout.trim());
      expect(pid).toBeGreaterThan(0);
      const alive = () => {
        try {
          process.kill(pid, 0);
          return true;
        } catch {
          return false;
        }
      };
      await until(() => false, 1_000); // let it finish starting and log into the broken pipe
      process.kill(pid, 'SIGTERM');
      await until(() => !alive(), 10_000);
      const left = alive();
      if (left) process.kill(pid, 'SIGKILL');
      expect(left).toBe(false);
    } finally {
      cleanup();
    }
  });

  it('answers a signed DingTalk callback: records the report and replies through the sessionWebhook', async () => {
    const { dir, cleanup } = tempDir();
    const fake = await startFakeDingtalk();
    try {
      const db = path.join(dir, 'duban.db');
      const secret = 'app-secret-for-test';
      const s = await startService({
        DB_PATH: db,
        PLAN_FILE: SEED,
        CHANNEL: 'console',
        DINGTALK_APP_KEY: 'dingtestappkey',
        DINGTALK_APP_SECRET: secret,
        DINGTALK_API_BASE: fake.baseUrl,
        LEADER_IDS: 'leader-01',
      });
      const post = (body: Record<string, unknown>, sign = robotSign(secret, Date.now())) => {
        const timestamp = String(Date.now());
        return fetch(`http://127.0.0.1:${s.port}/dingtalk/callback`, {
          method: 'POST',
          headers: { 'content-type': 'application/json; charset=utf-8', timestamp, sign: sign === 'fresh' ? robotSign(secret, timestamp) : sign },
          body: JSON.stringify(body),
        });
      };
      const message = (msgId: string, senderStaffId: string, content: string) => ({
        conversationId: 'cid-duban-group',
        msgId,
        senderNick: '示例联络员01',
        senderStaffId,
        sessionWebhookExpiredTime: Date.now() + 5_400_000,
        createAt: Date.now(),
        conversationType: '2',
        conversationTitle: '督办群',
        isInAtList: true,
        sessionWebhook: fake.sessionWebhook(),
        text: { content: ` ${content}` },
        msgtype: 'text',
      });
      const ok = await post(message('msg-report-1', 'demo-sfj-01', '3.2 推进中 已完成目录清理'), 'fresh');
      expect(ok.status).toBe(200);
      expect(await ok.json()).toEqual({});
      await until(() => fake.delivered.some((m) => m.api === 'session'), 10_000);
      const reply = fake.delivered.find((m) => m.api === 'session')!;
      const text = (reply.body as { markdown: { text: string } }).markdown.text;
      expect(text).toContain('#### 已记录区司法局的进展');
      expect(text).toMatch(/- \*\*3\.2\*\*（\d{4}年\d+月(，补报)?）推进中：已完成目录清理/);
      expect(text).toContain('@demo-sfj-01');
      // The same message again (DingTalk redelivers) and a forged one: nothing more is stored or answered.
      expect((await post(message('msg-report-1', 'demo-sfj-01', '3.2 推进中 已完成目录清理'), 'fresh')).status).toBe(200);
      expect((await post(message('msg-forged', 'demo-sfj-01', '3.2 已完成'), 'not-the-sign')).status).toBe(401);
      const asked = await post(message('msg-question', 'leader-01', '第3项'), 'fresh');
      expect(asked.status).toBe(200);
      await until(() => fake.delivered.filter((m) => m.api === 'session').length >= 2, 10_000);
      // 看板: a signed link to this service's dashboard, which opens it.
      expect((await post(message('msg-board', 'leader-01', '看板'), 'fresh')).status).toBe(200);
      await until(() => fake.delivered.filter((m) => m.api === 'session').length >= 3, 10_000);
      const boardReply = (fake.delivered.filter((m) => m.api === 'session')[2]!.body as { markdown: { text: string } }).markdown.text;
      const link = /\]\((http:\/\/localhost:\d+\/dashboard\?exp=\d+&sig=[\w-]+)\)/.exec(boardReply)?.[1];
      expect(link).toContain(`http://localhost:${s.port}/dashboard?exp=`);
      const opened = await fetch(link!.replace('localhost', '127.0.0.1'), { redirect: 'manual' });
      expect(opened.status).toBe(303);
      const cookie = opened.headers.get('set-cookie')!.split(';')[0]!;
      expect((await fetch(`http://127.0.0.1:${s.port}/dashboard`, { headers: { cookie } })).status).toBe(200);
      expect((await fetch(link!.replace('localhost', '127.0.0.1').replace(/sig=[\w-]+/, 'sig=forged'), { redirect: 'manual' })).status).not.toBe(303);
      expect(await stop(s.child)).toBe(0);
      const replies = fake.delivered.filter((m) => m.api === 'session').map((m) => (m.body as { markdown: { text: string } }).markdown.text);
      expect(replies).toHaveLength(3);
      expect(replies[1]).toMatch(/#### 第3项\u3000深入推进简政放权[\s\S]*区司法局〔牵头〕\d{4}年\d+月：推进中：已完成目录清理/);
      const store = Store.open(db);
      try {
        const rows = store.reports.lastBy('demo-sfj-01');
        expect(rows).toMatchObject({ unit: '区司法局', status: 'in_progress', text: '已完成目录清理' });
        expect(store.reports.hasMessage('msg-forged')).toBe(false);
      } finally {
        store.close();
      }
    } finally {
      await fake.close();
      cleanup();
    }
  }, 60_000);
});
