/**
 * The contacts file (CONTACTS_FILE, default data/contacts.csv) and the contact book read from it:
 * who is the liaison (联络员) and the supervising leader (分管领导) of each unit.
 */
import { readFileSync } from 'node:fs';
import { decodeTextBytes } from '../plan/detect-encoding';
import { emptyUnitDirectory, type UnitDirectory } from '../units/unit-directory';
import type { Contact } from './contact';
import { parseContacts, type ContactProblem } from './parse-contacts';

export const DEFAULT_CONTACTS_FILE = 'data/contacts.csv';

/** The contacts file exists but cannot be read as text. The message is Chinese and names the file. */
export class ContactsFileError extends Error {
  readonly file: string;

  constructor(file: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ContactsFileError';
    this.file = file;
  }
}

/** The people of the contacts file, looked up by unit (any spelling the units directory knows) or DingTalk id. */
export interface ContactBook {
  /** The file the book was read from. */
  readonly file: string;
  /** True when the file does not exist (the book is then empty). */
  readonly missing: boolean;
  /** Usable rows, in file order. */
  readonly contacts: readonly Contact[];
  /** Rows that were not read, and why, by line. */
  readonly problems: readonly ContactProblem[];
  /** The 联络员 of a unit, in file order. */
  liaisonsOf(unit: string): Contact[];
  /** The 分管领导 of a unit, in file order. */
  leadersOf(unit: string): Contact[];
  /** Every row of a DingTalk id (one person can serve several units). */
  byDingtalkId(id: string): Contact[];
  /** Canonical names of the units that have at least one 联络员, in file order. */
  units(): string[];
}

class Book implements ContactBook {
  /** Contacts by canonical unit, built once: reminders look up every unit of a plan. */
  private readonly byUnit = new Map<string, Contact[]>();

  constructor(
    readonly file: string,
    readonly missing: boolean,
    readonly contacts: readonly Contact[],
    readonly problems: readonly ContactProblem[],
    private readonly directory: UnitDirectory,
  ) {
    for (const c of contacts) {
      const unit = directory.canonical(c.unit);
      const list = this.byUnit.get(unit) ?? [];
      list.push(c);
      this.byUnit.set(unit, list);
    }
  }

  liaisonsOf(unit: string): Contact[] {
    return this.ofUnit(unit).filter((c) => c.role === 'liaison');
  }

  leadersOf(unit: string): Contact[] {
    return this.ofUnit(unit).filter((c) => c.role === 'leader');
  }

  byDingtalkId(id: string): Contact[] {
    const wanted = id.trim();
    return this.contacts.filter((c) => c.dingtalkId !== null && c.dingtalkId === wanted);
  }

  units(): string[] {
    return [...this.byUnit].filter(([, list]) => list.some((c) => c.role === 'liaison')).map(([unit]) => unit);
  }

  private ofUnit(unit: string): Contact[] {
    return this.byUnit.get(this.directory.canonical(unit)) ?? [];
  }
}

export interface ContactBookOptions {
  file?: string;
  missing?: boolean;
  /** Resolves unit names in lookups; without it names are only normalised (brackets, spaces). */
  directory?: UnitDirectory;
}

/** Builds a contact book from contacts already read (for tests and for callers that hold the rows). */
export function contactBookFrom(
  contacts: readonly Contact[],
  problems: readonly ContactProblem[] = [],
  options: ContactBookOptions = {},
): ContactBook {
  const file = options.file ?? DEFAULT_CONTACTS_FILE;
  const directory = options.directory ?? emptyUnitDirectory();
  return new Book(file, options.missing ?? false, [...contacts], [...problems], directory);
}

/** Builds a contact book from the text of a contacts file. */
export function contactBookFromText(text: string, directory: UnitDirectory, file: string = DEFAULT_CONTACTS_FILE): ContactBook {
  const { contacts, problems } = parseContacts(text, directory);
  return contactBookFrom(contacts, problems, { file, directory });
}

const SAVE_AS_CSV = '请在 Excel 中用“另存为”选择“CSV UTF-8（逗号分隔）”格式保存后再试。';

function readBytes(file: string): Buffer | null {
  try {
    return readFileSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return null;
    const why = code === 'EISDIR' ? '这是一个文件夹' : code === 'EACCES' ? '没有读取权限' : (code ?? '未知错误');
    throw new ContactsFileError(file, `联络员名单 ${file}：无法打开文件（${why}）。请检查路径和文件权限后再试。`, { cause: error });
  }
}

/** The text of the file's bytes: UTF-8 (with or without BOM), UTF-16 with BOM, or GBK/GB18030 as Excel saves it. */
function decodeContacts(file: string, bytes: Buffer): string {
  if (bytes.length === 0) return '';
  if (bytes.subarray(0, 4).equals(Buffer.from('PK\x03\x04', 'latin1'))) {
    throw new ContactsFileError(file, `联络员名单 ${file} 是 Excel 工作簿（.xlsx），不是 CSV 文件。${SAVE_AS_CSV}`);
  }
  const decoded = decodeTextBytes(bytes);
  if (decoded.ok) return decoded.text;
  const what = decoded.reason === 'BINARY' ? '不是文本文件' : '的文字编码无法识别';
  throw new ContactsFileError(file, `联络员名单 ${file} ${what}。${SAVE_AS_CSV}`);
}

/**
 * Reads the contacts file. A missing file is not an error: the book is empty and `missing` is true.
 * Rows that cannot be used are in `problems`, not thrown.
 * @throws ContactsFileError when the file exists but cannot be read or decoded.
 */
export function loadContacts(file: string, directory: UnitDirectory): ContactBook {
  const bytes = readBytes(file);
  if (bytes === null) return contactBookFrom([], [], { file, missing: true, directory });
  return contactBookFromText(decodeContacts(file, bytes), directory, file);
}
