/**
 * The Chinese working-day calendar: State Council statutory holidays (放假) and make-up workdays (调休上班).
 * Answers come from, in order: the admin's extras file (data/calendar.yaml, which may also correct the
 * package), the data bundled in `chinese-days`, and, for a year neither knows, plain Monday–Friday
 * (callers warn loudly about such years; see `yearsWithoutData`).
 *
 * Dates are CivilDate strings; chinese-days is only ever called with `yyyy-MM-dd` strings, which it parses
 * as UTC midnights, so the process time zone never matters.
 */
import { getDayDetail } from 'chinese-days';
import { addDays, dateParts, daysBetween, isCivilDate, isoWeekday, makeDate, type CivilDate } from './civil-date';

export interface CalendarExtras {
  /** Where the extras came from (shown in messages), e.g. 'data/calendar.yaml'. */
  file: string;
  /** Years the file declares complete. */
  years: ReadonlySet<number>;
  /** Extra days off (放假), and make-up workdays (调休上班), each with an optional name ('' when none). */
  holidays: ReadonlyMap<CivilDate, string>;
  workdays: ReadonlyMap<CivilDate, string>;
}

export type DueShift = 'next' | 'previous';

/** No real year has this many days in a row without a working day; a bad extras file might. */
const MAX_SCAN_DAYS = 400;
/** How far `dayName` looks either way for the other days of the same holiday block. */
const MAX_BLOCK_DAYS = 40;

/** The package's short names → the names the State Council notices use. */
const OFFICIAL_NAMES: Readonly<Record<string, string>> = { 清明: '清明节', 端午: '端午节', 中秋: '中秋节' };

/** What a day is, as stored in a year table. */
const Kind = {
  Workday: 0,
  Weekend: 1,
  Holiday: 2,
  /** A weekend day worked in exchange for a holiday (调休上班). */
  MakeUp: 3,
} as const;
type Kind = (typeof Kind)[keyof typeof Kind];

/** One year, computed once: the kind and (for holidays and make-up days) the name of each day. */
interface YearTable {
  jan1: CivilDate;
  kinds: Uint8Array;
  names: (string | null)[];
}

/** The Chinese part of a chinese-days name such as 'National Day,国庆节,3'; null for a weekday name ('Monday'). */
function packageName(raw: string): string | null {
  if (!raw.includes(',')) return null;
  const chinese = raw.split(',').find((part) => /[\u4e00-\u9fff]/.test(part))?.trim();
  if (!chinese) return null;
  return OFFICIAL_NAMES[chinese] ?? chinese;
}

/**
 * The years chinese-days has data for. Every year it covers lists New Year's Day (元旦, 1 January, a statutory
 * holiday every year), so probing 1 January of each year of a wide window finds them without hard-coding.
 */
function probePackagedYears(): Set<number> {
  const years = new Set<number>();
  for (let year = 1949; year <= 2199; year++) {
    if (packageName(getDayDetail(makeDate(year, 1, 1)).name) !== null) years.add(year);
  }
  if (years.size === 0) throw new Error('chinese-days 中没有任何年份的节假日数据，请检查该依赖包是否完整。');
  return years;
}

let packagedCache: Set<number> | null = null;
function packagedYearSet(): Set<number> {
  packagedCache ??= probePackagedYears();
  return packagedCache;
}

function checkDate(d: CivilDate): void {
  if (!isCivilDate(d)) throw new RangeError(`日期“${d}”无效，应当是 YYYY-MM-DD 格式的真实日期。`);
}

export class WorkdayCalendar {
  /** First and last year of the data bundled in chinese-days. */
  readonly packagedYears: { first: number; last: number };

  private readonly packaged: ReadonlySet<number>;
  private readonly tables = new Map<number, YearTable>();

  private constructor(private readonly extras: CalendarExtras | null) {
    this.packaged = packagedYearSet();
    const sorted = [...this.packaged].sort((a, b) => a - b);
    this.packagedYears = { first: sorted[0] ?? 0, last: sorted[sorted.length - 1] ?? 0 };
  }

  static create(extras?: CalendarExtras | null): WorkdayCalendar {
    if (extras) {
      for (const d of [...extras.holidays.keys(), ...extras.workdays.keys()]) checkDate(d);
      for (const d of extras.holidays.keys()) {
        if (extras.workdays.has(d)) {
          throw new RangeError(`节假日文件 ${extras.file}：${d} 同时被写成放假和上班，只能是其中一种。`);
        }
      }
    }
    return new WorkdayCalendar(extras ?? null);
  }

  /** True when the year's holidays are known: bundled in chinese-days, or declared in the extras file. */
  hasData(year: number): boolean {
    return this.packaged.has(year) || (this.extras?.years.has(year) ?? false);
  }

  /** The years from `from` to `to` (inclusive) that have no data, ascending; [] when `to` is before `from`. */
  yearsWithoutData(from: CivilDate, to: CivilDate): number[] {
    checkDate(from);
    checkDate(to);
    const missing: number[] = [];
    for (let year = dateParts(from).year; year <= dateParts(to).year; year++) {
      if (!this.hasData(year)) missing.push(year);
    }
    return missing;
  }

  /** Working day? Extras first, then chinese-days, then Monday–Friday for a year without data. */
  isWorkday(d: CivilDate): boolean {
    const kind = this.kindOf(d);
    return kind === Kind.Workday || kind === Kind.MakeUp;
  }

  /**
   * What the day is: the holiday's name(s), joined with '、' over one holiday block ('国庆节、中秋节'),
   * '调休上班' (or the extras file's name for it), '周末', or null for an ordinary workday.
   * An unnamed extra holiday is '节假日'.
   */
  dayName(d: CivilDate): string | null {
    const { table, index } = this.locate(d);
    switch (table.kinds[index]) {
      case Kind.Weekend:
        return '周末';
      case Kind.MakeUp:
        return table.names[index] ?? '调休上班';
      case Kind.Holiday:
        return this.blockName(d);
      default:
        return null;
    }
  }

  /** `d` itself when it is a working day, else the next (or previous) working day. */
  shift(d: CivilDate, direction: DueShift): CivilDate {
    checkDate(d);
    return this.scan(d, direction === 'next' ? 1 : -1);
  }

  /** n > 0: the n-th working day after d (d not counted); n < 0: the |n|-th working day before d; 0: d. */
  addWorkdays(d: CivilDate, n: number): CivilDate {
    checkDate(d);
    if (!Number.isSafeInteger(n)) throw new RangeError(`工作日天数应当是整数，收到的是 ${n}。`);
    const step = n > 0 ? 1 : -1;
    let day = d;
    for (let left = Math.abs(n); left > 0; left--) day = this.scan(addDays(day, step), step);
    return day;
  }

  /** Working days in (a, b]: 0 when b <= a. Counted on the year tables, a year at a time. */
  workdaysBetween(a: CivilDate, b: CivilDate): number {
    checkDate(a);
    checkDate(b);
    let left = daysBetween(a, b);
    let count = 0;
    for (let day = addDays(a, 1); left > 0; ) {
      const { table, index } = this.locate(day);
      const end = Math.min(table.kinds.length, index + left);
      for (let i = index; i < end; i++) {
        const kind = table.kinds[i];
        if (kind === Kind.Workday || kind === Kind.MakeUp) count++;
      }
      left -= end - index;
      day = makeDate(dateParts(table.jan1).year + 1, 1, 1);
    }
    return count;
  }

  /** The first working day from `d` (inclusive) going `step` days at a time; bounded by MAX_SCAN_DAYS. */
  private scan(d: CivilDate, step: 1 | -1): CivilDate {
    let day = d;
    for (let i = 0; i < MAX_SCAN_DAYS; i++, day = addDays(day, step)) {
      if (this.isWorkday(day)) return day;
    }
    const where = this.extras ? `请检查节假日文件 ${this.extras.file} 是否把太多日子写成了放假。` : '';
    throw new RangeError(`从 ${d} 起${step > 0 ? '往后' : '往前'} ${MAX_SCAN_DAYS} 天内找不到工作日。${where}`);
  }

  /** The distinct names of the holiday block (consecutive holidays) holding `d`, in date order. */
  private blockName(d: CivilDate): string {
    let first = d;
    for (let i = 0; i < MAX_BLOCK_DAYS && this.kindOf(addDays(first, -1)) === Kind.Holiday; i++) {
      first = addDays(first, -1);
    }
    const names: string[] = [];
    for (let day = first, i = 0; i < 2 * MAX_BLOCK_DAYS && this.kindOf(day) === Kind.Holiday; i++) {
      const { table, index } = this.locate(day);
      const name = table.names[index];
      if (name && !names.includes(name)) names.push(name);
      day = addDays(day, 1);
    }
    return names.length > 0 ? names.join('、') : '节假日';
  }

  private kindOf(d: CivilDate): Kind {
    const { table, index } = this.locate(d);
    return table.kinds[index] as Kind;
  }

  private locate(d: CivilDate): { table: YearTable; index: number } {
    checkDate(d);
    const table = this.table(dateParts(d).year);
    return { table, index: daysBetween(table.jan1, d) };
  }

  /** The year's table, built on first use (one chinese-days call per day of the year, then memoised). */
  private table(year: number): YearTable {
    const cached = this.tables.get(year);
    if (cached) return cached;
    const jan1 = makeDate(year, 1, 1);
    const length = daysBetween(jan1, makeDate(year + 1, 1, 1));
    const table: YearTable = { jan1, kinds: new Uint8Array(length), names: new Array<string | null>(length).fill(null) };
    for (let i = 0; i < length; i++) {
      const [kind, name] = this.classify(addDays(jan1, i), this.packaged.has(year));
      table.kinds[i] = kind;
      table.names[i] = name;
    }
    this.tables.set(year, table);
    return table;
  }

  private classify(d: CivilDate, packaged: boolean): [Kind, string | null] {
    const weekend = isoWeekday(d) >= 6;
    const detail = packaged ? getDayDetail(d) : null;
    const fromPackage = detail ? packageName(detail.name) : null;
    // An unnamed extras entry keeps the package's name for the day, if any.
    const extraHoliday = this.extras?.holidays.get(d);
    if (extraHoliday !== undefined) return [Kind.Holiday, extraHoliday.trim() || (detail?.work ? null : fromPackage)];
    const extraWorkday = this.extras?.workdays.get(d);
    if (extraWorkday !== undefined) return weekend ? [Kind.MakeUp, extraWorkday.trim() || null] : [Kind.Workday, null];
    if (detail) {
      if (detail.work) return [weekend ? Kind.MakeUp : Kind.Workday, null];
      if (fromPackage !== null) return [Kind.Holiday, fromPackage];
    }
    return [weekend ? Kind.Weekend : Kind.Workday, null];
  }
}
