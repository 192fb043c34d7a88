/** What every `duban` command shares: Chinese help, typed errors on stderr with exit codes, the database. */
import { Command } from 'commander';
import { describeCliError, translateCommanderMessage } from './cli-errors';
import { loadConfig, resolvePath } from './config';
import { CONTACTS_HEADER } from './contacts/parse-contacts';
import { Store, StoreError } from './store/store';

export const NO_PLAN = '数据库中还没有计划。请先运行：duban plan import 计划文件.txt';

const TITLES: Record<string, string> = {
  'Usage:': '用法：',
  'Options:': '选项：',
  'Commands:': '命令：',
  'Arguments:': '参数：',
  'Global Options:': '全局选项：',
};

function localizeTerms(s: string): string {
  return s.replace('[options]', '[选项]').replace('[command]', '[命令]');
}

/** Chinese help and error text; subcommands inherit these settings from the root. */
export function withChineseHelp(cmd: Command): Command {
  return cmd
    .configureHelp({
      styleTitle: (s: string) => TITLES[s] ?? s,
      styleUsage: (s: string) => localizeTerms(s),
      styleSubcommandTerm: (s: string) => localizeTerms(s),
      // CJK characters take two columns in a terminal; align help text accordingly.
      displayWidth: (s: string) => [...s].reduce((w, ch) => w + (/[\u2e80-\uffef]/.test(ch) ? 2 : 1), 0),
    })
    .helpOption('-h, --help', '显示帮助')
    .configureOutput({ outputError: (str, write) => write(translateCommanderMessage(str)) })
    .showHelpAfterError('（加 --help 查看用法）');
}

/** Ends a command with a message on stderr and an exit code, after `finally` blocks have run. */
export class CliExit extends Error {
  constructor(
    readonly exitCode: number,
    message: string,
  ) {
    super(message);
  }
}

/** Runs a command action: typed errors become one Chinese line on stderr and exit code 2. */
export function action<A extends unknown[]>(fn: (...args: A) => Promise<void> | void): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      await fn(...args);
    } catch (err) {
      if (err instanceof CliExit) {
        process.stderr.write(`${err.message}\n`);
        process.exitCode = err.exitCode;
      } else {
        process.stderr.write(`${describeCliError(err)}\n`);
        // Nothing imported yet is not a failure of the command, as with an empty database.
        process.exitCode = err instanceof StoreError && err.code === 'NO_DATABASE' ? 1 : 2;
      }
    }
  };
}

export function dbPath(program: Command): string {
  return resolvePath(program.opts<{ db?: string }>().db ?? loadConfig().DB_PATH);
}

export async function withStore<T>(file: string, mustExist: boolean, fn: (store: Store) => Promise<T> | T): Promise<T> {
  const store = Store.open(file, { mustExist });
  try {
    return await fn(store);
  } finally {
    store.close();
  }
}


/** What to do when the contacts file does not exist yet. */
export function missingContactsMessage(file: string, units: number): string {
  return [
    `联络员名单 ${file} 不存在，计划中的 ${units} 个单位都收不到提醒。`,
    '请新建这个文件（UTF-8 编码的 CSV，第一行是表头，每个单位至少登记一名联络员），例如：',
    `  ${CONTACTS_HEADER}`,
    '  区司法局,示例联络员,13800000000,demo-sfj-01,联络员',
    '用 Excel 编辑时请“另存为”“CSV UTF-8（逗号分隔）”；文件放在别处时用 --contacts-file 或 CONTACTS_FILE 指定。',
  ].join('\n');
}

