/**
 * The service: `npm start`. Opens the database, imports the bundled plan when the database has
 * none, and serves HTTP. Later issues add the scheduler and the chat bot to this same process.
 */
import { describeImport, importPlanFile } from './app/import-plan-file';
import { unitWarning } from './app/unit-warning';
import { describeCliError } from './cli-errors';
import { loadConfig, loadDotEnv, resolvePath, type Config } from './config';
import { createHttpServer, listen } from './http/server';
import { createLogger, type Logger } from './logger';
import { Store } from './store/store';
import { loadUnitDirectory, UnitDirectoryError } from './units/unit-directory';

export interface RunningService {
  port: number;
  stop: () => Promise<void>;
}

export async function startService(config: Config, logger: Logger): Promise<RunningService> {
  const dbPath = resolvePath(config.DB_PATH);
  const store = Store.open(dbPath);
  logger.info({ db: dbPath }, `已打开数据库 ${dbPath}`);
  let ready = false;
  const server = createHttpServer({ store, logger, ready: () => ready });
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
    ready = true;
    const port = await listen(server, config.PORT, config.HOST);
    logger.info({ port, host: config.HOST }, `督办服务已启动：http://localhost:${port}/healthz`);
    return {
      port,
      stop: () =>
        new Promise<void>((resolve) => {
          server.close(() => {
            store.close();
            resolve();
          });
          server.closeAllConnections();
        }),
    };
  } catch (err) {
    server.close();
    store.close();
    throw err;
  }
}

async function main(): Promise<void> {
  let logger: Logger = createLogger({ level: 'info' });
  try {
    loadDotEnv();
    const config = loadConfig();
    logger = createLogger({ level: config.LOG_LEVEL, format: config.LOG_FORMAT });
    const service = await startService(config, logger);
    const shutdown = (signal: string) => {
      logger.info({ signal }, '收到停止信号，正在关闭服务…');
      service.stop().then(
        () => {
          logger.info('服务已停止，数据库已关闭');
          process.exit(0);
        },
        () => process.exit(1),
      );
    };
    process.once('SIGTERM', () => shutdown('SIGTERM'));
    process.once('SIGINT', () => shutdown('SIGINT'));
  } catch (err) {
    logger.fatal(describeCliError(err));
    process.exit(1);
  }
}

if (require.main === module) void main();
