/**
 * `duban say --as <钉钉ID> "<文字>"`: one message through the same bot as the DingTalk callback, against the
 * database, with the reply printed: for admins checking the bot before going live, and for tests.
 */
import { randomUUID } from 'node:crypto';
import type { Command } from 'commander';
import { loadCalendar } from './app/schedule-run';
import { chatDashboardLinks, dashboardToken } from './http/dashboard-auth';
import { respond } from './bot/bot';
import { createChannel } from './channels/create-channel';
import { action, CliExit, dbPath, NO_PLAN, withStore } from './cli-support';
import { loadConfig, resolvePath } from './config';
import { loadContacts } from './contacts/contacts-file';
import { loadUnitDirectory } from './units/unit-directory';

export function addSayCommand(program: Command): void {
  program
    .command('say')
    .description('以某人的身份给机器人发一条消息，显示机器人的回复（会像真实消息一样记录报送）')
    .requiredOption('--as <钉钉ID>', '发送人的钉钉用户ID（联络员名单中的钉钉ID，或 LEADER_IDS、ADMIN_IDS 中的ID）')
    .option('--name <姓名>', '发送人的昵称（默认取联络员名单中的姓名）')
    .option('--group', '当作群聊消息（默认是单聊）')
    .argument('<文字>', '消息内容，例如 "3.2 推进中 已完成目录清理"')
    .action(
      action(async (text: string, opts: { as: string; name?: string; group?: boolean }) => {
        const config = loadConfig();
        const calendar = loadCalendar(config);
        const directory = () => loadUnitDirectory(resolvePath(config.UNITS_FILE));
        const contacts = () => loadContacts(resolvePath(config.CONTACTS_FILE), directory());
        const channel = createChannel(config, {});
        await withStore(dbPath(program), true, (store) => {
          if (!store.hasAnyPlan()) throw new CliExit(1, NO_PLAN);
          let queued = false;
          const reply = respond(
            { store, config, directory, contacts, calendar, channel, onQueued: () => (queued = true), dashboardLink: (now) => chatDashboardLinks(config, dashboardToken(config, store))(now) },
            {
              msgId: `say-${randomUUID()}`,
              msgtype: 'text',
              text: text.trim(),
              senderId: opts.as.trim(),
              senderNick: opts.name ?? '',
              conversation: { type: opts.group ? 'group' : 'single', id: 'duban-say', title: null },
              createdAt: Date.now(),
            },
          );
          if (!reply) return;
          process.stdout.write(`${reply.markdown}\n`);
          if (queued) {
            process.stderr.write('（催办消息已放入发件箱，由运行中的督办服务（npm start）发送；用 duban outbox 查看。）\n');
          }
        });
      }),
    );
}
