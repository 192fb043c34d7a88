/**
 * The service: `npm start`. Opens the database, imports the bundled plan when the database has
 * none, sends reminders on schedule through the outbox, answers chat messages (DingTalk callback or Stream mode),
 * and serves HTTP, with the local chat page when LOCAL_CONSOLE is on.
 */
import { Writable } from 'node:stream';
import { createDelivery, failOtherChannels, waitingElsewhereNotice } from './app/delivery';
import { describeImport, importPlanFile } from './app/import-plan-file';
import { startChatService, type ChatService } from './app/chat-service';
import { loadCalendar } from './app/schedule-run';
import { startScheduleService, type ScheduleService } from './app/schedule-service';
import { unitWarning } from './app/unit-warning';
import type { Clock } from './channels/channel';
import { describeCliError } from './cli-errors';
import { channelKind, loadConfig, loadDotEnv, localConsole, receiveMode, resolvePath, secretValues, type Config } from './config';
import { ChatFeed } from './console/feed';
import { LocalConsole, robotEvent, withDemoRoles } from './console/local-console';
import { SimulatedClock } from './console/sim-clock';
import { chatPageRoutes } from './http/chat-page';
import { chatDashboardLinks, dashboardToken } from './http/dashboard-auth';
import { createHttpServer, listen, sendJson, type Handler } from './http/server';
import { createLogger, SecretMask, type Logger } from './logger';
import { Store } from './store/store';
import { loadUnitDirectory, UnitDirectoryError } from './units/unit-directory';

export interface RunningService {
  port: number;
  stop: () => Promise<void>;
}

export interface ServiceOptions {
  /** The service's time (tests); the system clock by default. The chat page's simulated clock runs from it. */
  clock?: Clock;
  /** The logger's mask: the dashboard's token, generated on the first start, is added to it. */
  mask?: SecretMask;
}

export async function startService(settings: Config, logger: Logger, options: ServiceOptions = {}): Promise<RunningService> {
  // The local chat page: a demo leader and admin when none are set, and a clock its buttons move forward, only where
  // nothing leaves the machine (the console channel).
  const { config, note: demoNote } = withDemoRoles(settings);
  const pageOn = localConsole(config);
  const simulated = pageOn && channelKind(config) === 'console' ? new SimulatedClock(options.clock) : null;
  const clock = simulated?.now ?? options.clock;
  const feed = pageOn ? new ChatFeed() : null;
  let page: LocalConsole | null = null;
  const dbPath = resolvePath(config.DB_PATH);
  const store = Store.open(dbPath);
  logger.info({ db: dbPath }, `已打开数据库 ${dbPath}`);
  let ready = false;
  let delivery: ReturnType<typeof createDelivery> | null = null;
  let schedule: ScheduleService | null = null;
  let chat: ChatService | null = null;
  // The callback answers 503 until the bot is ready, then hands messages over (DINGTALK_MODE=http only).
  const callback: Handler | undefined =
    receiveMode(config) === 'http'
      ? (req, res, deps) => (chat?.callback ? chat.callback(req, res, deps) : sendJson(res, 503, { error: '服务正在启动，请稍后重试' }))
      : undefined;
  const channel = () => {
    if (!delivery) return null;
    const { name, label } = delivery.channel;
    return { name, label, stopped: delivery.worker.stoppedReason(name)?.message ?? null };
  };
  const routes = pageOn ? chatPageRoutes(() => page) : undefined;
  let server: ReturnType<typeof createHttpServer> | null = null;
  try {
    if (!store.hasAnyPlan()) {
      const file = resolvePath(config.PLAN_FILE);
      logger.info({ file }, `数据库中还没有计划，导入内置计划文件 ${file}`);
      const { plan, result } = await importPlanFile(store, file, new Date());
      logger.info({ items: result.items, tasks: result.tasks, units: result.units }, describeImport(plan.title, result));
      for (const w of plan.warnings) logger.warn(w);
    }
    for (const p of store.listPlans()) {
      logger.info({ plan: p.id }, `计划《${p.title}》：${p.itemCount} 项事项、${p.taskCount} 项任务`);
    }
    try {
      const hint = unitWarning(loadUnitDirectory(resolvePath(config.UNITS_FILE)), store.listUnitNames());
      if (hint) logger.warn(hint);
    } catch (err) {
      // A broken units file must not keep the service down: the plan is loaded, only the check failed.
      if (!(err instanceof UnitDirectoryError)) throw err;
      logger.warn(`无法检查责任单位：${err.message}`);
    }
    const { worker, channel: sender, alerts } = (delivery = createDelivery(config, store, {
      logger,
      // The worker logs a stopped channel itself, once.
      consoleStream: logStream(logger, pageOn),
      clock,
      onConsoleMessage: feed ? (message, at) => feed.publish(robotEvent(message, at, config.TIMEZONE)) : undefined,
    }));
    const stranded = failOtherChannels(store, sender);
    if (stranded) logger.warn(stranded);
    // Alerts that an earlier run took but could not send (it was stopped or killed) go out now.
    alerts?.resume();
    // The start's catch-up tick queues what fell due while the service was down; the worker then sends it.
    // One working-day calendar for the scheduler and the bot (a bad CALENDAR_FILE stops the start here).
    const calendar = loadCalendar(config);
    schedule = startScheduleService({ store, config, logger, channel: sender, worker, alerts, calendar, clock });
    const token = dashboardToken(config, store);
    options.mask?.add(token);
    // Links name the port bound (PORT=0 picks one) when no PUBLIC_URL is set.
    let boundPort = config.PORT;
    chat = startChatService({ store, config, logger, calendar, channel: sender, onQueued: () => worker.notify(), clock, dashboardLink: (now) => chatDashboardLinks({ ...config, PORT: boundPort }, token)(now) });
    if (feed) {
      const { bot, directory, contacts } = chat;
      page = new LocalConsole({ store, config, logger, calendar, channel: sender, bot, directory, contacts, feed, clock: simulated, schedule: () => schedule, worker });
    }
    // The dashboard sees what the bot sees: the same units file (read again when it changes) and clock.
    const dashboard = { token, status: { store, config, directory: chat.directory, calendar, clock } };
    const httpServer = (server = createHttpServer({ store, logger, ready: () => ready, channel, schedule: () => schedule?.status() ?? null, callback, dashboard, routes }));
    worker.start();
    const { mine } = store.outbox.queuedCount(sender.name);
    logger.info(
      { channel: sender.name, pending: mine },
      `提醒发送渠道：${sender.label}${mine ? `；发件箱中有 ${mine} 条消息待发送` : ''}`,
    );
    // The console cannot fail to deliver: nothing to say about alerts then.
    if (sender.name !== 'console') {
      logger.info(
        alerts
          ? `发送故障会通知管理员群（ALERT_WEBHOOK）${config.ADMIN_IDS.length ? `并 @ ${config.ADMIN_IDS.length} 位管理员` : ''}`
          : '未设置 ALERT_WEBHOOK：发送故障只记录在日志和 /healthz 中',
      );
    }
    const elsewhere = waitingElsewhereNotice(store, sender);
    if (elsewhere) logger.warn(elsewhere);
    ready = true;
    const port = await listen(httpServer, config.PORT, config.HOST).catch(async (err: unknown) => {
      schedule?.stop();
      await chat?.stop();
      await worker.stop();
      await alerts?.close(0);
      throw err;
    });
    boundPort = port;
    // Never the token in the log: whoever runs the service gets a signed, expiring link from the CLI, leaders
    // get one from the bot (看板).
    logger.info(
      `看板：http://localhost:${port}/dashboard（需要授权才能打开：运行 duban dashboard-link 获取有效期 ${config.DASHBOARD_LINK_HOURS} 小时的链接，或由领导${pageOn ? '在本机聊天页面' : '在钉钉中'}向机器人发送“看板”）`,
    );
    // Last: whoever waits for this line may stop the service right after it.
    logger.info({ port, host: config.HOST }, `督办服务已启动：http://localhost:${port}/healthz`);
    // The page's address last: the line a visitor looks for.
    if (pageOn) {
      if (demoNote) logger.info(demoNote);
      if (!simulated) logger.warn(`本机聊天页面已打开（LOCAL_CONSOLE=1），发送渠道是${sender.label}：任何能访问本服务的人都能冒充联络员和领导发消息，正式运行时请关闭`);
      logger.info({ url: `http://localhost:${port}/` }, `本机聊天页面：http://localhost:${port}/ （在浏览器中打开，以联络员或领导的身份和机器人对话${simulated ? '；消息只在本机显示' : ''}）`);
    }
    return {
      port,
      stop: async () => {
        schedule?.stop();
        // Messages received are answered (and their reports stored) before the database closes.
        await chat?.stop();
        // The message in flight is finished and recorded before the database closes.
        await worker.stop();
        // A hanging alert must not hold the stop past a container's grace period; the next start sends it.
        await alerts?.close(2_000);
        await new Promise<void>((resolve) => {
          httpServer.close(() => resolve());
          httpServer.closeAllConnections();
        });
        store.close();
      },
    };
  } catch (err) {
    server?.close();
    store.close();
    throw err;
  }
}

/**
 * The console channel's messages as log lines: readable in a terminal, one JSON record each in a log file. While the
 * chat page shows them (`brief`), a debug line of who gets what: the page's address must not scroll away under them.
 */
function logStream(logger: Logger, brief: boolean): Writable {
  return new Writable({
    write(chunk: Buffer, _encoding, done) {
      const text = chunk.toString('utf8').trimEnd();
      if (brief) logger.debug(`本机控制台：${text.split('\n').slice(0, 2).join(' ')}（全文见本机聊天页面）`);
      else logger.info(`本机控制台（未配置钉钉时代替发送）：\n${text}`);
      done();
    },
  });
}

async function main(): Promise<void> {
  // Whoever read our output has gone (a closed pipe): keep running, and keep stopping cleanly on SIGTERM.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') throw err;
  });
  let logger: Logger = createLogger({ level: 'info' });
  try {
    loadDotEnv();
    const config = loadConfig();
    const mask = new SecretMask(secretValues(config));
    logger = createLogger({ level: config.LOG_LEVEL, format: config.LOG_FORMAT, timeZone: config.TIMEZONE, mask });
    // Listen for the stop signal before starting: one that arrives while the service starts (right after the
    // "started" line, say) must still stop it cleanly instead of killing the process with the database open.
    let service: RunningService | null = null;
    let stopSignal: string | null = null;
    const stop = (running: RunningService) =>
      running.stop().then(
        () => {
          logger.info('服务已停止，数据库已关闭');
          process.exit(0);
        },
        () => process.exit(1),
      );
    const shutdown = (signal: string) => {
      if (stopSignal) return;
      stopSignal = signal;
      logger.info({ signal }, '收到停止信号，正在关闭服务…');
      if (service) void stop(service);
    };
    process.once('SIGTERM', () => shutdown('SIGTERM'));
    process.once('SIGINT', () => shutdown('SIGINT'));
    service = await startService(config, logger, { mask });
    if (stopSignal) void stop(service);
  } catch (err) {
    logger.fatal(describeCliError(err));
    process.exit(1);
  }
}

if (require.main === module) void main();
