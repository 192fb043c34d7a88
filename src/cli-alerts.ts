/** `duban alert test`: proves the admins' group robot works before the first real incident needs it. */
import type { Command } from 'commander';
import { createAlerts } from './app/delivery';
import { action, CliExit, dbPath, withStore } from './cli-support';
import { loadConfig } from './config';

export function addAlertCommands(program: Command): void {
  const alert = program.command('alert').description('管理员群告警（ALERT_WEBHOOK）');
  alert
    .command('test')
    .description('向管理员群发送一条测试告警，检查 ALERT_WEBHOOK、ALERT_SECRET 和 ADMIN_IDS 是否设置正确')
    .action(
      action(async () => {
        const config = loadConfig();
        if (!config.ALERT_WEBHOOK) {
          throw new CliExit(
            1,
            '没有设置 ALERT_WEBHOOK（管理员群自定义机器人的 Webhook 地址），发送故障只会记录在日志中。' +
              '在管理员群中添加自定义机器人，把地址填入 .env 的 ALERT_WEBHOOK（选了加签时再填 ALERT_SECRET）后重试。',
          );
        }
        const key = `test:${Date.now()}`;
        let result = '管理员群告警没有发出。';
        await withStore(dbPath(program), false, async (store) => {
          // Alerts left by an earlier run may be resent on the way (and say so on stderr); the answer is the test's.
          const alerts = createAlerts(config, store, {
            onAlertNotice: (line, of) => {
              if (of === key) result = line;
              else process.stderr.write(`${line}\n`);
            },
          });
          if (!alerts) throw new Error('ALERT_WEBHOOK is set but no alerts were created');
          const who = config.ADMIN_IDS.length
            ? `，并且 @ 了 ADMIN_IDS 中的 ${config.ADMIN_IDS.length} 位管理员（被 @ 的人会收到提醒；没有收到的，请核对他的钉钉用户 ID）`
            : '。ADMIN_IDS 没有设置，告警不会 @ 任何人';
          alerts.alert(
            key,
            '测试告警',
            `这是 duban alert test 发出的测试告警，不需要处理。收到它说明管理员群机器人设置正确${who}。`,
            0,
            false,
          );
          await alerts.close(5 * 60_000);
        });
        if (!result.startsWith('已通知管理员群')) throw new CliExit(1, result);
        process.stdout.write(`${result}。请到管理员群中确认收到。\n`);
      }),
    );
}
