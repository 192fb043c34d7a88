/** Errors opening the database or refusing an import, in Chinese, saying what to do. */
export type StoreErrorCode =
  | 'NO_DATABASE'
  | 'CANNOT_OPEN'
  | 'NOT_A_DATABASE'
  | 'READ_ONLY'
  | 'BUSY'
  | 'CORRUPT'
  | 'NEWER_SCHEMA'
  /** The import was refused as asked (`--plan` of a plan that does not exist, a title in use). */
  | 'IMPORT_REFUSED';

export class StoreError extends Error {
  readonly code: StoreErrorCode;
  readonly file: string;

  constructor(code: StoreErrorCode, file: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreError';
    this.code = code;
    this.file = file;
  }
}

/** Translates what better-sqlite3 or the file system says when a database cannot be opened. */
export function storeOpenError(err: unknown, file: string): unknown {
  const code = (err as { code?: string })?.code ?? '';
  const hint = '请检查 DB_PATH（或 --db）的设置。';
  const make = (c: StoreErrorCode, text: string) => new StoreError(c, file, `${text}${hint}`, { cause: err });
  if (code === 'SQLITE_CANTOPEN' || code === 'EACCES' || code === 'EROFS' || code === 'ENOTDIR') {
    return make('CANNOT_OPEN', `无法打开数据库文件 ${file}：路径不对，或所在文件夹不可写。`);
  }
  if (code === 'SQLITE_NOTADB') return make('NOT_A_DATABASE', `${file} 不是 SQLite 数据库文件（可能把别的文件当成了数据库）。`);
  if (code.startsWith('SQLITE_READONLY')) return make('READ_ONLY', `数据库文件 ${file} 是只读的，无法写入。请检查文件权限。`);
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return make('BUSY', `数据库文件 ${file} 正被其他程序占用，请稍后再试。`);
  }
  if (code.startsWith('SQLITE_CORRUPT')) return make('CORRUPT', `数据库文件 ${file} 已损坏，请从备份恢复。`);
  return err;
}
