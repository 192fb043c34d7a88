/** Turns any error the CLI or the service meets into one Chinese message; typed errors name their file. */
import { ScheduleSetupError } from './app/schedule-run';
import { CalendarFileError } from './calendar/calendar-file';
import { ConfigError } from './config';
import { ContactsFileError } from './contacts/contacts-file';
import { DocumentReadError } from './plan/errors';
import { PlanParseError } from './plan/parse-error';
import { StoreError } from './store/store-error';
import { UnitDirectoryError } from './units/unit-directory';

export function describeCliError(err: unknown): string {
  const typed = [PlanParseError, DocumentReadError, UnitDirectoryError, ContactsFileError, ConfigError, StoreError, CalendarFileError, ScheduleSetupError];
  if (typed.some((t) => err instanceof t)) return (err as Error).message;
  const e = err as { code?: string; message?: string; syscall?: string; port?: number; address?: string };
  if (e && e.syscall === 'listen') {
    if (e.code === 'EADDRINUSE') {
      return `端口 ${e.port} 已被占用（可能已有一个督办服务在运行）。请先停止占用它的程序，或在 .env 中把 PORT 改为其他端口，例如 PORT=3001。`;
    }
    if (e.code === 'EACCES') return `没有权限使用端口 ${e.port}（1024 以下的端口需要管理员权限）。请在 .env 中改用其他端口，例如 PORT=3000。`;
    if (e.code === 'EADDRNOTAVAIL') return `本机没有地址 ${e.address}，无法在该地址上提供服务。请检查 .env 中的 HOST，例如 HOST=0.0.0.0。`;
  }
  if (e && typeof e.code === 'string' && e.code.startsWith('SQLITE_')) {
    return `数据库出错（${e.code}）：${e.message ?? ''}。请检查 DB_PATH 指向的文件是否可写、是否被其他程序占用。`;
  }
  return `出现意外错误：${e?.message ?? String(err)}`;
}

/** commander's own messages, in Chinese. */
export function translateCommanderMessage(str: string): string {
  return str
    .replace(/^error: unknown command '(.*)'/m, '错误：没有“$1”这个命令')
    .replace(/^error: unknown option '(.*)'/m, '错误：没有“$1”这个选项')
    .replace(/^error: missing required argument '(.*)'/m, '错误：缺少参数 $1')
    .replace(/^error: too many arguments.*$/m, '错误：参数太多')
    .replace(/^error: option '(.*)' argument missing/m, '错误：选项 $1 缺少取值')
    .replace(/\(Did you mean (.*)\?\)/, '（您是不是想输入 $1？）');
}
