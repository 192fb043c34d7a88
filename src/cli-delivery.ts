/**
 * `duban remind` and `duban outbox`: send the current cycle's reminders now, see what is queued or failed,
 * and send failed messages again once their cause is fixed.
 */
import type { Command } from 'commander';
import { createDelivery, failOtherChannels, waitingElsewhereNotice, type Delivery } from './app/delivery';
import { cycleReminders } from './app/reminder-run';
import { loadCalendar } from './app/schedule-run';
import { renderDryRun, renderOutbox, summaryLines } from './app/render-outbox';
import { action, CliExit, dbPath, missingContactsMessage, NO_PLAN, withStore } from './cli-support';
import { loadConfig, resolvePath, type Config } from './config';
import { concretePlanUnits } from './contacts/check-contacts';
import { loadContacts, type ContactBook } from './contacts/contacts-file';
import type { DeliveryEvent } from './outbox/delivery-worker';
import type { Store } from './store/store';
import { loadUnitDirectory, type UnitDirectory } from './units/unit-directory';

interface SourceOptions {
  contactsFile?: string;
  unitsFile?: string;
}

function loadSources(config: Config, opts: SourceOptions): { directory: UnitDirectory; contacts: ContactBook } {
  const directory = loadUnitDirectory(resolvePath(opts.unitsFile ?? config.UNITS_FILE));
  const contacts = loadContacts(resolvePath(opts.contactsFile ?? config.CONTACTS_FILE), directory);
  for (const p of contacts.problems) process.stderr.write(`提示：联络员名单第 ${p.line} 行未使用：${p.reason}\n`);
  return { directory, contacts };
}

function progress(total: () => number): (e: DeliveryEvent) => void {
  let done = 0;
  return (e) => {
    const who = e.row.unit ?? e.row.title;
    if (e.outcome === 'sent') process.stderr.write(`[${++done}/${total()}] 已发送：${e.row.title}\n`);
    else if (e.outcome === 'failed') process.stderr.write(`[${++done}/${total()}] 发送失败：${who}：${e.error?.message ?? ''}\n`);
    else process.stderr.write(`${who} 暂未发出，稍后自动重试：${e.error?.message ?? ''}\n`);
  };
}

/**
 * Sends what the channel has queued until the queue is empty or `waitMinutes` passed; returns how many of the
 * channel's messages are still waiting and failed.
 */
async function drain(
  store: Store,
  config: Config,
  waitMinutes: number,
): Promise<{ delivery: Delivery; left: number; sent: number; sentUnits: number }> {
  let total = 0;
  let sent = 0;
  const units = new Set<string>();
  const show = progress(() => total);
  const delivery = createDelivery(config, store, {
    consoleStream: process.stdout,
    onEvent: (e) => {
      if (e.outcome === 'sent') {
        sent++;
        units.add(e.row.groupKey);
      }
      show(e);
    },
    onChannelStopped: (_c, message) => process.stderr.write(`${message}\n`),
    onAlertNotice: (text) => process.stderr.write(`${text}\n`),
    // A message counts as sent even when some liaisons could not be reached: this is where the admin learns it.
    onWarning: (text) => process.stderr.write(`提示：${text}\n`),
  });
  const stranded = failOtherChannels(store, delivery.channel);
  if (stranded) process.stderr.write(`提示：${stranded}\n`);
  // Alerts an earlier run took but could not send (it was stopped or killed) go out now.
  delivery.alerts?.resume();
  const elsewhere = waitingElsewhereNotice(store, delivery.channel);
  if (elsewhere) process.stderr.write(`提示：${elsewhere}\n`);
  const queued = () => store.outbox.queuedCount(delivery.channel.name).mine;
  total = queued();
  if (total > 0) process.stderr.write(`开始通过${delivery.channel.label}发送 ${total} 条消息…\n`);
  await delivery.worker.drain(Date.now() + waitMinutes * 60_000);
  if (delivery.alerts?.pending) process.stderr.write('正在通知管理员群…\n');
  // Bounded: an alert still unanswered then is sent by the service (or the next command) instead.
  await delivery.alerts?.close(ALERT_WAIT_MS);
  return { delivery, left: queued(), sent, sentUnits: units.size };
}

/** How long a command waits for alerts to the admins' group before it exits. */
const ALERT_WAIT_MS = 15_000;

function waitOption(raw = '30'): number {
  const n = Number(raw);
  if (!(n > 0)) throw new CliExit(2, `--wait 的值“${raw}”不是正数分钟，例如 --wait 30。`);
  return n;
}

function reportLeft(left: number, failed: number, waitMinutes: number): void {
  if (left > 0) {
    process.stderr.write(
      `等待 ${waitMinutes} 分钟后仍有 ${left} 条消息未发出（钉钉暂时无法访问或限流）。消息保存在发件箱中，` +
        '运行中的督办服务（npm start）会继续发送；也可以稍后再运行本命令。用 duban outbox 查看原因。\n',
    );
  }
  if (failed > 0) process.stderr.write(`有 ${failed} 条消息发送失败，用 duban outbox 查看原因。\n`);
  if (left > 0 || failed > 0) process.exitCode = 1;
}

export function addDeliveryCommands(program: Command): void {
  program
    .command('remind')
    .description('发送本期提醒：每个还有任务未报送的单位一条，发给其联络员（同一期不会重复发送）')
    .option('--dry-run', '只显示现在会发送哪些提醒，不发送、不写数据库（不加选项时也是如此）')
    .option('--now', '把本期提醒放入发件箱并立即发送，等发完再退出（进度显示在标准错误输出）')
    .option('--wait <分钟>', '--now 时最多等待多少分钟（默认 30）')
    .option('--contacts-file <文件>', '联络员名单（默认取 CONTACTS_FILE，未设置时为 data/contacts.csv）')
    .option('--units-file <文件>', '单位目录文件（默认取 UNITS_FILE，未设置时为 data/units.yaml）')
    .action(
      action(async (opts: SourceOptions & { dryRun?: boolean; now?: boolean; wait?: string }) => {
        if (opts.dryRun && opts.now) throw new CliExit(2, '--dry-run 和 --now 只能选一个。');
        const waitMinutes = waitOption(opts.wait);
        const config = loadConfig();
        const { directory, contacts } = loadSources(config, opts);
        await withStore(dbPath(program), true, async (store) => {
          if (!store.hasAnyPlan()) throw new CliExit(1, NO_PLAN);
          const planUnits = concretePlanUnits(store.listUnitNames(), directory).length;
          if (contacts.missing) throw new CliExit(1, missingContactsMessage(contacts.file, planUnits));
          if (contacts.contacts.length === 0) {
            throw new CliExit(
              1,
              `联络员名单 ${contacts.file} 中没有可用的联络员（见上面的提示），计划中的 ${planUnits} 个单位都收不到提醒，没有发送。` +
                '请修改名单后再试，可以先运行 duban contacts check 检查。',
            );
          }
          const now = new Date();
          const calendar = loadCalendar(config);
          const { channel } = createDelivery(config, store);
          const { cycle, plan, queuedBefore } = cycleReminders({ store, config, directory, contacts, channel, calendar }, now);
          if (!opts.now) {
            process.stdout.write(`${renderDryRun(cycle, plan, channel, queuedBefore)}\n`);
            process.stdout.write('（这是预览，没有发送。确认无误后运行 duban remind --now 发送。）\n');
            return;
          }
          // Before queueing: reminders left for a channel the settings no longer name are then failed, so this run
          // queues them afresh on the channel configured now.
          const stranded = failOtherChannels(store, channel);
          if (stranded) process.stderr.write(`提示：${stranded}\n`);
          const result = store.outbox.enqueue(plan.drafts, now.getTime());
          process.stderr.write(`本期：${cycle.label}，截止 ${cycle.due}。\n${summaryLines(plan, queuedBefore).join('\n')}\n`);
          if (result.skipped) process.stderr.write(`${result.skipped} 个单位本期已提醒过，不再重复发送。\n`);
          if (result.requeued) process.stderr.write(`${result.requeued} 个单位的提醒上次发送失败，按现在的联络员名单重新发送。\n`);
          const run = await drain(store, config, waitMinutes);
          const failed = store.outbox.listGroups(result.queuedKeys).filter((r) => r.status === 'failed').length;
          // What this run delivered, including messages an earlier, interrupted run had queued.
          process.stdout.write(`本次发出 ${run.sent} 条消息（${run.sentUnits} 个单位的提醒）。\n`);
          reportLeft(run.left, failed, waitMinutes);
        });
      }),
    );

  const outbox = program
    .command('outbox')
    .description('发件箱：列出待发送和发送失败的消息及原因')
    .option('--all', '也列出已发送的消息')
    // A command with its own action gets no implicit `help` subcommand: `duban outbox help retry` must still work.
    .helpCommand('help [命令]', '显示某个命令的帮助')
    .action(
      action((opts: { all?: boolean }) =>
        withStore(dbPath(program), true, (store) => {
          const config = loadConfig();
          const rows = store.outbox.list(opts.all ? ['pending', 'sending', 'failed', 'sent'] : ['pending', 'sending', 'failed']);
          process.stdout.write(`${renderOutbox(rows, store.outbox.counts(), config.TIMEZONE, Date.now())}\n`);
          if (rows.some((r) => r.status === 'failed')) process.exitCode = 1;
        }),
      ),
    );

  outbox
    .command('retry')
    .description('把发送失败的消息重新放回发件箱并发送（先修正失败原因，例如机器人密钥）')
    .argument('[编号]', '只重发这一条（duban outbox 列出的 # 编号）')
    .option('--no-send', '只放回发件箱，由运行中的督办服务发送')
    .option('--wait <分钟>', '最多等待多少分钟（默认 30）')
    .action(
      action(async (id: string | undefined, opts: { send: boolean; wait?: string }) => {
        const one = id === undefined ? null : Number(id.replace(/^#/, ''));
        if (one !== null && !(Number.isInteger(one) && one > 0)) throw new CliExit(2, `“${id}”不是消息编号，例如 duban outbox retry 12。`);
        const waitMinutes = waitOption(opts.wait);
        const config = loadConfig();
        await withStore(dbPath(program), true, async (store) => {
          const { channel } = createDelivery(config, store);
          if (channel.name === 'console') {
            // Printing them would mark them sent: the liaisons would never get them.
            throw new CliExit(
              1,
              '现在没有设置钉钉或浙政钉的凭据（发送渠道是本机控制台），重发的消息不会真正送达，所以没有重发。' +
                '请在 .env 中设置 DINGTALK_WEBHOOK 等（见 README“发送渠道”），或在 .env 所在的目录运行本命令。',
            );
          }
          // Failed messages go out on the channel configured now, which may have changed since they were queued.
          const n = store.outbox.retryFailed(Date.now(), one, channel.name);
          if (n === 0) {
            if (one !== null) throw new CliExit(1, `没有编号为 ${one} 的失败消息。用 duban outbox 查看失败消息的编号。`);
            process.stdout.write('没有发送失败的消息。\n');
            return;
          }
          process.stdout.write(`已把 ${n} 条失败的消息放回发件箱。\n`);
          if (!opts.send) return;
          const run = await drain(store, config, waitMinutes);
          process.stdout.write(`本次发出 ${run.sent} 条消息。\n`);
          reportLeft(run.left, store.outbox.counts().failed, waitMinutes);
        });
      }),
    );
}
