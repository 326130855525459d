/**
 * The official working-day calendar (工作日历): statutory holidays (法定节假日) and makeup working days
 * (调休上班) on top of the Monday–Friday rule, as the State Council publishes them each year.
 *
 * - Built from `calendar_days` (only the days that differ from Monday–Friday: 'holiday' — no work, possibly a
 *   weekend day inside an official holiday period; 'workday' — a weekend day worked instead) and
 *   `calendar_years` (the years whose arrangement is known).
 * - Days are 'YYYY-MM-DD' strings, handled as UTC day numbers: no local time zone is ever involved.
 * - Outside the known years the calendar falls back to Monday–Friday (provisional, 暂按周一至周五计算): a
 *   deadline that runs into a year the State Council has not published yet is computed as if that year had no
 *   holidays, and `isKnown(day)` says so. When the year is published (package update or an administrator,
 *   `setCalendarYear`) the revision moves and every server reloads.
 * - Fast: a precomputed index over 2000-01-01 … 2100-12-31 (the years `calendar_years` may hold) — the number
 *   of working days up to each day, and the day of each working-day ordinal — so `addWorkingDays` and
 *   `workingDaysBetween` are two array lookups whatever `n` is (beyond the index: closed-form Monday–Friday).
 *
 * `getWorkingCalendar(db)` keeps one calendar per database handle and reloads it when the `revisions` row
 * 'calendar' moves (checked at most every REVISION_CHECK_MS; at once in the process that made the change).
 * Nothing lives only in memory: every server derives its calendar from the same rows.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';

export type CalendarDayKind = 'holiday' | 'workday';

export interface CalendarDayRow {
  day: string; // 'YYYY-MM-DD'
  kind: CalendarDayKind;
  name: string;
}

const MS_PER_DAY = 86_400_000;
const DAY_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Days since 1970-01-01 (UTC) of a 'YYYY-MM-DD' string; throws a RangeError on anything else. */
export function dayNumber(day: string): number {
  const m = DAY_RE.exec(day);
  if (!m) throw new RangeError(`日期格式应为 YYYY-MM-DD：${day}`);
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  // Date.UTC would roll 02-30 over into March (and map years 0–99 to 1900–1999): check the parts first
  if (y < 1000 || mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) throw new RangeError(`日期不存在：${day}`);
  return Date.UTC(y, mo - 1, d) / MS_PER_DAY;
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
function daysInMonth(y: number, mo: number): number {
  return mo === 2 && y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : MONTH_DAYS[mo - 1]!;
}

/** 'YYYY-MM-DD' of a day number (days since 1970-01-01, UTC). */
export function fromDayNumber(n: number): string {
  return new Date(n * MS_PER_DAY).toISOString().slice(0, 10);
}

/** Is the string a real calendar date written 'YYYY-MM-DD'? */
export function isValidDay(day: string): boolean {
  try {
    dayNumber(day);
    return true;
  } catch {
    return false;
  }
}

/** 0 = Sunday … 6 = Saturday (1970-01-01 was a Thursday). */
export function weekdayOf(n: number): number {
  return (((n + 4) % 7) + 7) % 7;
}

const isWeekday = (n: number) => {
  const w = weekdayOf(n);
  return w !== 0 && w !== 6;
};

/** Monday–Friday days among the day numbers [0, x) (negative x: minus those in [x, 0)). */
function weekdaysBefore(x: number): number {
  const weeks = Math.floor(x / 7);
  let count = weeks * 5;
  for (let n = weeks * 7; n < x; n++) if (isWeekday(n)) count++;
  return count;
}

/** The m-th (m ≥ 1) Monday–Friday day after day number `from`. */
function nthWeekdayAfter(from: number, m: number): number {
  const weeks = Math.floor((m - 1) / 5);
  let d = from + weeks * 7; // any seven consecutive days hold five weekdays
  let left = m - weeks * 5;
  while (left > 0) {
    d++;
    if (isWeekday(d)) left--;
  }
  return d;
}

/** Today's date in China (Asia/Shanghai: UTC+8 all year, no daylight saving since 1991) as 'YYYY-MM-DD'. */
export function chinaToday(now: Date = new Date()): string {
  return new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
}

const INDEX_START = dayNumber('2000-01-01');
const INDEX_END = dayNumber('2100-12-31');
const INDEX_SIZE = INDEX_END - INDEX_START + 1;

export class WorkingCalendar {
  /** Holidays and makeup working days by day ('YYYY-MM-DD'). */
  private readonly special = new Map<string, CalendarDayRow>();
  private readonly years: ReadonlySet<number>;
  /** cumulative[i]: working days in [INDEX_START, INDEX_START + i]. */
  private readonly cumulative = new Int32Array(INDEX_SIZE);
  /** ordinal[k]: the day number of the (k+1)-th working day from INDEX_START. */
  private readonly ordinal: Int32Array;
  /** The latest year whose arrangement is known (undefined: none — everything is provisional). */
  readonly lastKnownYear: number | undefined;
  readonly firstKnownYear: number | undefined;

  constructor(days: readonly CalendarDayRow[], knownYears: Iterable<number>) {
    for (const d of days) this.special.set(d.day, { day: d.day, kind: d.kind, name: d.name });
    this.years = new Set(knownYears);
    const sorted = [...this.years].sort((a, b) => a - b);
    this.firstKnownYear = sorted[0];
    this.lastKnownYear = sorted.at(-1);

    const working = new Uint8Array(INDEX_SIZE);
    for (let i = 0; i < INDEX_SIZE; i++) working[i] = isWeekday(INDEX_START + i) ? 1 : 0;
    for (const d of this.special.values()) {
      const n = dayNumber(d.day);
      if (n >= INDEX_START && n <= INDEX_END) working[n - INDEX_START] = d.kind === 'workday' ? 1 : 0;
    }
    let count = 0;
    for (let i = 0; i < INDEX_SIZE; i++) {
      count += working[i]!;
      this.cumulative[i] = count;
    }
    this.ordinal = new Int32Array(count);
    let k = 0;
    for (let i = 0; i < INDEX_SIZE; i++) if (working[i]) this.ordinal[k++] = INDEX_START + i;
  }

  /** Working days in (INDEX_START - 1, n]: negative before the index, Monday–Friday outside it. */
  private countTo(n: number): number {
    if (n < INDEX_START) return weekdaysBefore(n + 1) - weekdaysBefore(INDEX_START);
    if (n <= INDEX_END) return this.cumulative[n - INDEX_START]!;
    return this.cumulative[INDEX_SIZE - 1]! + weekdaysBefore(n + 1) - weekdaysBefore(INDEX_END + 1);
  }

  private workingNumber(n: number): boolean {
    if (n < INDEX_START || n > INDEX_END) return isWeekday(n);
    const i = n - INDEX_START;
    return this.cumulative[i]! - (i ? this.cumulative[i - 1]! : 0) === 1;
  }

  /** Is the day a working day (工作日): Monday–Friday unless a holiday, or a makeup working day (调休上班)? */
  isWorkingDay(day: string): boolean {
    return this.workingNumber(dayNumber(day));
  }

  /**
   * The day `n` working days after `from` (`from` itself not counted); the result is always a working day.
   * n = 0: `from` if it is a working day, otherwise the next working day.
   */
  addWorkingDays(from: string, n: number): string {
    if (!Number.isInteger(n) || n < 0) throw new RangeError(`工作日数应为非负整数：${n}`);
    const start = dayNumber(from);
    if (n === 0) {
      if (this.workingNumber(start)) return from;
      n = 1;
    }
    const target = this.countTo(start) + n; // the ordinal (from INDEX_START) of the working day sought
    if (target <= 0) return fromDayNumber(nthWeekdayAfter(start, n)); // all before the index: Monday–Friday
    if (target <= this.ordinal.length) return fromDayNumber(this.ordinal[target - 1]!);
    const past = Math.max(start, INDEX_END);
    return fromDayNumber(nthWeekdayAfter(past, target - this.countTo(past)));
  }

  /** Working days in (fromExclusive, toInclusive]; 0 when `to` is not after `from`. */
  workingDaysBetween(fromExclusive: string, toInclusive: string): number {
    const a = dayNumber(fromExclusive);
    const b = dayNumber(toInclusive);
    return b <= a ? 0 : this.countTo(b) - this.countTo(a);
  }

  /** The holiday's name (春节, 国庆节 …) when the day is a statutory holiday, otherwise undefined. */
  holidayName(day: string): string | undefined {
    const d = this.special.get(day);
    return d?.kind === 'holiday' ? d.name : undefined;
  }

  /** The stored row of a holiday or makeup working day, if the day is one. */
  dayInfo(day: string): CalendarDayRow | undefined {
    return this.special.get(day);
  }

  /** Is the day's year published (in `calendar_years`)? Otherwise the day is provisional (Monday–Friday). */
  isKnown(day: string): boolean {
    dayNumber(day);
    return this.years.has(Number(day.slice(0, 4)));
  }

  /** The known years, ascending. */
  knownYears(): number[] {
    return [...this.years].sort((a, b) => a - b);
  }
}

// —— one calendar per database handle, following the 'calendar' revision ——

/** How often a server asks whether the calendar changed (another server's administrator, a package update). */
export const REVISION_CHECK_MS = 3000;
export const CALENDAR_REVISION = 'calendar';

interface Cached {
  calendar?: WorkingCalendar;
  revision?: number;
  checkedAt: number;
  pending?: Promise<WorkingCalendar>;
  /** Moved by each invalidation: a check begun before it must not store what it read. */
  generation: number;
}

const cache = new WeakMap<Kysely<DB>, Cached>();

async function readRevision(db: Kysely<DB>): Promise<number> {
  const row = await db.selectFrom('revisions').select('revision').where('name', '=', CALENDAR_REVISION).executeTakeFirst();
  return row ? Number(row.revision) : -1;
}

/** Reads the calendar as stored now. */
export async function loadWorkingCalendar(db: Kysely<DB>): Promise<WorkingCalendar> {
  const [days, years] = await Promise.all([
    db.selectFrom('calendar_days').select(['day', 'kind', 'name']).execute(),
    db.selectFrom('calendar_years').select('year').execute(),
  ]);
  return new WorkingCalendar(days, years.map((y) => y.year));
}

async function refresh(db: Kysely<DB>, c: Cached): Promise<WorkingCalendar> {
  const generation = c.generation;
  const revision = await readRevision(db);
  // the revision is read first: a change committed in between makes the next check reload again (never too old)
  if (c.calendar && revision === c.revision) {
    if (generation === c.generation) c.checkedAt = Date.now();
    return c.calendar;
  }
  const calendar = await loadWorkingCalendar(db);
  if (generation === c.generation) {
    c.calendar = calendar;
    c.revision = revision;
    c.checkedAt = Date.now();
  }
  return calendar;
}

/**
 * The working calendar of this database, reloaded when its revision moves. The revision is checked at most every
 * `maxAgeMs` (default REVISION_CHECK_MS); 0 checks it now (what another server changed a moment ago).
 */
export async function getWorkingCalendar(db: Kysely<DB>, opts: { maxAgeMs?: number } = {}): Promise<WorkingCalendar> {
  let c = cache.get(db);
  if (!c) {
    c = { checkedAt: 0, generation: 0 };
    cache.set(db, c);
  }
  if (c.calendar && Date.now() - c.checkedAt < (opts.maxAgeMs ?? REVISION_CHECK_MS)) return c.calendar;
  if (!c.pending) {
    const entry = c;
    const p = refresh(db, entry).finally(() => {
      if (entry.pending === p) entry.pending = undefined;
    });
    entry.pending = p;
  }
  return c.pending!;
}

/**
 * After a change in this process: the next `getWorkingCalendar(db)` reads the revision at once (a check already
 * under way may have read the old one, so it is not waited for).
 */
export function invalidateWorkingCalendar(db: Kysely<DB>): void {
  const c = cache.get(db);
  if (c) {
    c.checkedAt = 0;
    c.pending = undefined;
    c.generation++;
  }
}
