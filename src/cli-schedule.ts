/**
 * `duban schedule preview` and `duban schedule status`: what the settings make the bot send, and when, before it
 * goes live; both read the database as it stands (units that reported are not reminded).
 */
import type { Command } from 'commander';
import { KIND_LABELS, describeSettings, missingYearsWarning, renderPreview } from './app/render-schedule';
import { agendaBetween, loadCalendar, dutiesAndRules } from './app/schedule-run';
import { addDays, dateInZone, dateTimeInZone, isCivilDate, instantOf, daysBetween, type CivilDate } from './calendar/civil-date';
import { action, CliExit, dbPath, NO_PLAN, withStore } from './cli-support';
import { loadConfig, resolvePath } from './config';
import { loadContacts } from './contacts/contacts-file';
import { entryOf } from './schedule/agenda';
import { FIRING_KINDS } from './schedule/firings';
import { Scheduler } from './schedule/scheduler';
import { loadUnitDirectory } from './units/unit-directory';

/** The longest window a preview covers. */
const MAX_PREVIEW_DAYS = 732;

function dateOption(name: string, raw: string): CivilDate {
  const s = raw.trim().replace(/[/.]/g, '-').replace(/-(\d)(?=-|$)/g, '-0$1');
  if (!isCivilDate(s)) throw new CliExit(2, `${name} 的值“${raw}”不是日期，请写成 年-月-日，例如 ${name} 2025-09-22。`);
  return s;
}

interface PreviewOptions {
  from?: string;
  to?: string;
  json?: boolean;
  unitsFile?: string;
  contactsFile?: string;
}

export function addScheduleCommands(program: Command): void {
  const schedule = program.command('schedule').description('提醒时间表：预览和查看按 .env 设置会在什么时候提醒谁');

  schedule
    .command('preview')
    .description('列出一段时间内每一条会发出的提醒（按现在的数据库：已报送的单位不再提醒）')
    .option('--from <日期>', '开始日期，例如 2025-09-22（默认今天）')
    .option('--to <日期>', '结束日期（含当天，默认开始日期后 30 天）')
    .option('--json', '输出 JSON 数组，每条为 {date, time, kind, cycle, unit}')
    .option('--units-file <文件>', '单位目录文件（默认取 UNITS_FILE）')
    .option('--contacts-file <文件>', '联络员名单（默认取 CONTACTS_FILE），只用来标出没有联络员的单位')
    .action(
      action(async (opts: PreviewOptions) => {
        const config = loadConfig();
        const today = dateInZone(Date.now(), config.TIMEZONE);
        const from = opts.from ? dateOption('--from', opts.from) : today;
        const to = opts.to ? dateOption('--to', opts.to) : addDays(from, 30);
        if (to < from) throw new CliExit(2, `结束日期 ${to} 早于开始日期 ${from}。`);
        if (daysBetween(from, to) > MAX_PREVIEW_DAYS) throw new CliExit(2, `一次最多预览 ${MAX_PREVIEW_DAYS} 天，请缩短 --from 到 --to 的范围。`);
        const calendar = loadCalendar(config);
        const directory = loadUnitDirectory(resolvePath(opts.unitsFile ?? config.UNITS_FILE));
        await withStore(dbPath(program), true, (store) => {
          if (!store.hasAnyPlan()) throw new CliExit(1, NO_PLAN);
          const plans = dutiesAndRules({ store, config, directory });
          const items = agendaBetween({ store, config, directory, calendar }, from, to, plans);
          const warning = missingYearsWarning(calendar, from, to, config.CALENDAR_FILE);
          if (opts.json) {
            if (warning) process.stderr.write(`${warning}\n`);
            process.stdout.write(`${JSON.stringify(items.map(entryOf), null, 2)}\n`);
            return;
          }
          const contacts = loadContacts(resolvePath(opts.contactsFile ?? config.CONTACTS_FILE), directory);
          const unreachable = new Set([...plans.duties.keys()].filter((u) => contacts.liaisonsOf(u).length === 0));
          const out = [
            ...(warning ? [warning, ''] : []),
            `提醒预览：${from} 至 ${to}（时间为 ${config.TIMEZONE}；按现在的数据库计算，已报送的单位不再提醒）`,
            ...describeSettings(config),
            '',
            ...(items.length ? renderPreview(items, from, to, calendar, unreachable) : ['这段时间没有要发的提醒。']),
            '',
            `共 ${items.length} 条提醒（${FIRING_KINDS.map((k) => `${KIND_LABELS[k]} ${items.filter((i) => i.kind === k).length}`).join('，')}）。`,
            ...(warning ? ['', warning] : []),
          ];
          process.stdout.write(`${out.join('\n')}\n`);
        });
      }),
    );

  schedule
    .command('status')
    .description('查看每一类提醒下一次在什么时候发、发给哪些单位，以及上次计算提醒的时间')
    .option('--units-file <文件>', '单位目录文件（默认取 UNITS_FILE）')
    .action(
      action(async (opts: { unitsFile?: string }) => {
        const config = loadConfig();
        const now = Date.now();
        const today = dateInZone(now, config.TIMEZONE);
        const calendar = loadCalendar(config);
        const directory = loadUnitDirectory(resolvePath(opts.unitsFile ?? config.UNITS_FILE));
        await withStore(dbPath(program), true, (store) => {
          if (!store.hasAnyPlan()) throw new CliExit(1, NO_PLAN);
          const horizon = addDays(today, 400);
          const items = agendaBetween({ store, config, directory, calendar }, today, horizon).filter(
            (i) => instantOf(i.date, i.time, config.TIMEZONE) > now,
          );
          const last = store.schedule.lastTick();
          const ticker = new Scheduler({ times: [config.REMIND_AT, ...(config.DIGEST_AT ? [config.DIGEST_AT] : [])], timeZone: config.TIMEZONE, tick: () => {}, onError: () => {} });
          const nextTick = ticker.nextRun(new Date(now));
          ticker.stop();
          const out = [
            `现在：${dateTimeInZone(now, config.TIMEZONE)}（${config.TIMEZONE}）`,
            ...describeSettings(config),
            `自动提醒：${config.SCHEDULER === 'on' ? '开启（npm start 运行时按时发送）' : '关闭（SCHEDULER=off，只在运行 duban remind --now 时发送）'}`,
            `节假日数据：内置 ${calendar.packagedYears.first}–${calendar.packagedYears.last} 年` +
              `${calendar.yearsWithoutData(today, horizon).length ? '' : '，已覆盖未来一年'}`,
            `上次计算提醒：${last === null ? '还没有（督办服务启动后开始）' : dateTimeInZone(last, config.TIMEZONE, { seconds: true })}`,
            `下次计算提醒：${nextTick ? dateTimeInZone(nextTick.getTime(), config.TIMEZONE) : '无'}`,
            '',
            '各类提醒下一次发送：',
          ];
          for (const kind of FIRING_KINDS) {
            const first = items.find((i) => i.kind === kind);
            if (!first) {
              out.push(`  ${KIND_LABELS[kind]}（${kind}）：一年内没有`);
              continue;
            }
            const same = items.filter((i) => i.kind === kind && i.date === first.date && i.time === first.time && i.cycle === first.cycle);
            const who = first.unit === null ? '发给领导' : `${same.length} 个单位：${same.slice(0, 5).map((i) => i.unit).join('、')}${same.length > 5 ? '等' : ''}`;
            const what = kind === 'deadline' ? `任务时限 ${first.cycle}` : first.cycleInfo.label;
            out.push(`  ${KIND_LABELS[kind]}（${kind}）：${first.date} ${first.time}，${what}，${who}`);
          }
          const warning = missingYearsWarning(calendar, today, horizon, config.CALENDAR_FILE);
          if (warning) out.push('', warning);
          process.stdout.write(`${out.join('\n')}\n`);
        });
      }),
    );
}
