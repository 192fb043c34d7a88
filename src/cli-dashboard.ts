/**
 * `duban dashboard-link`: a signed, expiring link to the dashboard, printed for whoever runs the service. The
 * service's log names the dashboard's address without any credential; this is how its operator gets in (leaders
 * send 看板 to the bot). The dashboard's token itself is never printed.
 */
import * as fs from 'node:fs';
import type { Command } from 'commander';
import { dateTimeInZone } from './calendar/civil-date';
import { action, CliExit, dbPath, withStore } from './cli-support';
import { loadConfig } from './config';
import { chatDashboardLinks, dashboardToken } from './http/dashboard-auth';

export function addDashboardCommands(program: Command): void {
  program
    .command('dashboard-link')
    .description('生成一个带签名、会过期的看板链接（在浏览器中打开；有效期默认取 DASHBOARD_LINK_HOURS）')
    .option('--hours <小时>', '链接的有效小时数（1–720）')
    .action(
      action(async (opts: { hours?: string }) => {
        const config = loadConfig();
        const hours = opts.hours === undefined ? config.DASHBOARD_LINK_HOURS : Number(opts.hours);
        if (!Number.isInteger(hours) || hours < 1 || hours > 720) {
          throw new CliExit(2, `--hours 的值“${opts.hours}”无效，应为 1–720 的整数，例如 --hours 8`);
        }
        const settings = { ...config, DASHBOARD_LINK_HOURS: hours };
        // The generated token lives in the database that `npm start` uses; DASHBOARD_TOKEN needs none.
        const file = dbPath(program);
        if (!config.DASHBOARD_TOKEN && !fs.existsSync(file)) {
          throw new CliExit(
            1,
            `数据库文件 ${file} 不存在，读不到服务生成的看板口令。请在运行服务（npm start）的目录中执行本命令，` +
              '或用 --db（或 DB_PATH）指向服务的数据库；也可以在 .env 中设置 DASHBOARD_TOKEN。',
          );
        }
        const token = config.DASHBOARD_TOKEN ?? (await withStore(file, true, (store) => dashboardToken(config, store)));
        const { url, expiresAt } = chatDashboardLinks(settings, token)(Date.now());
        process.stdout.write(`${url}\n`);
        process.stderr.write(`看板链接有效至 ${dateTimeInZone(expiresAt, config.TIMEZONE)}（${config.TIMEZONE}）；请只发给需要查看的人。\n`);
      }),
    );
}
