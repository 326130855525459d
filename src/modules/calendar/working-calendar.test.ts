/**
 * The working-day calendar: deadlines across Spring Festival and National Day of 2025 and 2026 with their makeup
 * working days (the official arrangements, as the chinese-days package ships them and ensureCalendar stores
 * them), counted by hand; the index against a day-by-day count; provisional years; China's date; the cache
 * following the revision. PGlite and PostgreSQL (the database parts).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import type { Database } from '../../db/database.ts';
import { createTestDatabase } from '../../testing/test-db.ts';
import { packagedCalendarYears } from './ensure-calendar.ts';
import {
  chinaToday, dayNumber, fromDayNumber, getWorkingCalendar, invalidateWorkingCalendar, loadWorkingCalendar, weekdayOf, WorkingCalendar, type CalendarDayRow,
} from './working-calendar.ts';

let database: Database;
let cal: WorkingCalendar;

before(async () => {
  database = await createTestDatabase(); // migrated, with ensureCalendar run
  cal = await getWorkingCalendar(database.db);
});

after(async () => {
  await database?.close();
});

const kinds = (c: WorkingCalendar, days: string[]) => days.map((d) => (c.isWorkingDay(d) ? '班' : '休')).join('');

test('the stored calendar is the official one: 2025 and 2026 Spring Festival and National Day, with makeup days', () => {
  assert.equal(cal.lastKnownYear, 2026);
  assert.deepEqual(cal.knownYears(), Array.from({ length: 23 }, (_, i) => 2004 + i));
  // 2025 春节: 1月28日（周二）至2月4日（周二）放假, 1月26日（周日）、2月8日（周六）上班
  assert.equal(kinds(cal, ['2025-01-25', '2025-01-26', '2025-01-27', '2025-01-28', '2025-02-01', '2025-02-04', '2025-02-05', '2025-02-08', '2025-02-09']), '休班班休休休班班休');
  assert.equal(cal.holidayName('2025-01-29'), '春节');
  assert.equal(cal.holidayName('2025-01-26'), undefined, 'a makeup working day is no holiday');
  assert.deepEqual(cal.dayInfo('2025-01-26'), { day: '2025-01-26', kind: 'workday', name: '春节' });
  // 2025 国庆节、中秋节: 10月1日（周三）至8日放假, 9月28日（周日）、10月11日（周六）上班; 10月6日 is 中秋
  assert.equal(kinds(cal, ['2025-09-27', '2025-09-28', '2025-09-30', '2025-10-01', '2025-10-06', '2025-10-08', '2025-10-09', '2025-10-11', '2025-10-12']), '休班班休休休班班休');
  assert.equal(cal.holidayName('2025-10-06'), '中秋');
  assert.equal(cal.holidayName('2025-10-08'), '国庆节');
  // 2026 春节: 2月15日（周日）至23日（周一）放假, 2月14日（周六）、2月28日（周六）上班
  assert.equal(kinds(cal, ['2026-02-13', '2026-02-14', '2026-02-15', '2026-02-23', '2026-02-24', '2026-02-28', '2026-03-01']), '班班休休班班休');
  // 2026 国庆节: 10月1日（周四）至7日放假, 9月20日（周日）、10月10日（周六）上班; 中秋 9月25日至27日
  assert.equal(kinds(cal, ['2026-09-19', '2026-09-20', '2026-09-25', '2026-09-28', '2026-09-30', '2026-10-01', '2026-10-07', '2026-10-08', '2026-10-10', '2026-10-11']), '休班休班班休休班班休');
  assert.equal(cal.holidayName('2026-09-25'), '中秋');
  // an ordinary weekend and weekday
  assert.equal(kinds(cal, ['2025-03-08', '2025-03-10']), '休班');
});

test('deadlines across Spring Festival 2025 and 2026 (counted by hand)', () => {
  // from Mon 2025-01-20: 21,22,23,24, 26(Sun, 调休), 27 = 6; 1/28–2/4 off; 2/5,6,7, 8(Sat, 调休) = 10;
  // 2/10–14 = 15; 2/17–21 = 20
  assert.equal(cal.addWorkingDays('2025-01-20', 20), '2025-02-21');
  assert.equal(cal.workingDaysBetween('2025-01-20', '2025-02-21'), 20);
  assert.equal(cal.workingDaysBetween('2025-01-20', '2025-02-20'), 19);
  assert.equal(cal.addWorkingDays('2025-01-24', 1), '2025-01-26', 'the Sunday worked counts');
  assert.equal(cal.addWorkingDays('2025-01-27', 1), '2025-02-05', 'the whole holiday is skipped');
  assert.equal(cal.addWorkingDays('2025-01-27', 4), '2025-02-08', 'the Saturday worked counts');
  assert.equal(cal.workingDaysBetween('2025-01-27', '2025-02-04'), 0);
  // applied on the first day of the holiday: the clock starts on the first working day after it
  assert.equal(cal.addWorkingDays('2025-01-28', 0), '2025-02-05');
  assert.equal(cal.addWorkingDays('2025-01-26', 0), '2025-01-26');
  assert.equal(cal.addWorkingDays('2025-01-29', 5), '2025-02-10');

  // from Mon 2026-02-09: 10,11,12,13, 14(Sat, 调休) = 5; 2/15–23 off; 24,25,26,27, 28(Sat, 调休) = 10;
  // 3/2–6 = 15; 3/9–13 = 20
  assert.equal(cal.addWorkingDays('2026-02-09', 20), '2026-03-13');
  assert.equal(cal.workingDaysBetween('2026-02-09', '2026-03-13'), 20);
  assert.equal(cal.addWorkingDays('2026-02-13', 1), '2026-02-14');
  assert.equal(cal.addWorkingDays('2026-02-14', 1), '2026-02-24');
  assert.equal(cal.addWorkingDays('2026-02-27', 1), '2026-02-28');
  assert.equal(cal.addWorkingDays('2026-02-28', 1), '2026-03-02');
  // 15 working days (a 差评 rectification) from the eve of the holiday: 2/14; 24–28 (5); 3/2–6; 3/9–12 → 3/12
  assert.equal(cal.addWorkingDays('2026-02-13', 15), '2026-03-12');
});

test('deadlines across National Day 2025 and 2026 (counted by hand)', () => {
  // from Fri 2025-09-26: 28(Sun, 调休), 29, 30 = 3; 10/1–8 off; 9, 10, 11(Sat, 调休) = 6; 13,14,15,16 = 10
  assert.equal(cal.addWorkingDays('2025-09-26', 10), '2025-10-16');
  assert.equal(cal.workingDaysBetween('2025-09-26', '2025-10-16'), 10);
  assert.equal(cal.workingDaysBetween('2025-09-26', '2025-10-12'), 6);
  assert.equal(cal.workingDaysBetween('2025-09-30', '2025-10-09'), 1);
  assert.equal(cal.addWorkingDays('2025-09-30', 1), '2025-10-09');
  // 20 working days from 2025-09-15 (Mon): 16–19 (4), 22–26 (9), 28 (10), 29, 30 (12), 10/9, 10 (14), 11 (15), 13–17 (20)
  assert.equal(cal.addWorkingDays('2025-09-15', 20), '2025-10-17');

  // from Fri 2026-09-18: 20(Sun, 调休), 21–24 = 5; 25–27 中秋 off; 28, 29, 30 = 8; 10/1–7 off; 8, 9, 10(Sat, 调休) = 11;
  // 12–15 = 15
  assert.equal(cal.addWorkingDays('2026-09-18', 15), '2026-10-15');
  assert.equal(cal.workingDaysBetween('2026-09-18', '2026-10-15'), 15);
  assert.equal(cal.addWorkingDays('2026-09-24', 1), '2026-09-28');
  assert.equal(cal.addWorkingDays('2026-09-30', 1), '2026-10-08');
  assert.equal(cal.addWorkingDays('2026-10-01', 0), '2026-10-08');
  assert.equal(cal.workingDaysBetween('2026-09-30', '2026-10-07'), 0);
});

test('the index agrees with a day-by-day count over every shipped year', () => {
  const rows = [...packagedCalendarYears().values()].flat();
  const special = new Map(rows.map((r) => [r.day, r.kind]));
  const working = (n: number) => {
    const k = special.get(fromDayNumber(n));
    if (k) return k === 'workday';
    const w = weekdayOf(n);
    return w !== 0 && w !== 6;
  };
  const naiveAdd = (from: string, k: number) => {
    let n = dayNumber(from);
    if (k === 0) {
      while (!working(n)) n++;
      return fromDayNumber(n);
    }
    while (k > 0) if (working(++n)) k--;
    return fromDayNumber(n);
  };
  let seed = 20250128;
  const rand = (m: number) => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % m;
  const first = dayNumber('2003-06-01');
  for (let i = 0; i < 3000; i++) {
    const from = fromDayNumber(first + rand(365 * 25));
    const k = rand(90);
    const due = cal.addWorkingDays(from, k);
    assert.equal(due, naiveAdd(from, k), `${from} + ${k}`);
    assert.ok(cal.isWorkingDay(due));
    if (k > 0) assert.equal(cal.workingDaysBetween(from, due), k, `${from} → ${due}`);
    const to = fromDayNumber(dayNumber(from) + rand(120));
    let naive = 0;
    for (let n = dayNumber(from) + 1; n <= dayNumber(to); n++) if (working(n)) naive++;
    assert.equal(cal.workingDaysBetween(from, to), naive, `${from} … ${to}`);
  }
});

test('beyond the known years the calendar is provisional: Monday to Friday', () => {
  assert.equal(cal.isKnown('2026-12-31'), true);
  assert.equal(cal.isKnown('2027-01-01'), false);
  assert.equal(cal.isKnown('2003-12-31'), false);
  assert.equal(cal.isWorkingDay('2027-01-01'), true, 'a Friday, and 2027 is not published here');
  assert.equal(cal.holidayName('2027-01-01'), undefined);
  // 2026-12-31 (Thu) + 3: 1/1 (Fri), 1/4, 1/5
  assert.equal(cal.addWorkingDays('2026-12-31', 3), '2027-01-05');
  assert.equal(cal.workingDaysBetween('2026-12-31', '2027-01-05'), 3);
  // past the index (2100) and before it (1999): Monday–Friday arithmetic
  assert.equal(cal.addWorkingDays('2100-12-30', 3), '2101-01-04'); // Thu 12-30: Fri 12-31, Mon 1-3, Tue 1-4
  assert.equal(cal.workingDaysBetween('2100-12-30', '2101-01-04'), 3);
  assert.equal(cal.addWorkingDays('1999-12-30', 3), '2000-01-04'); // Thu: Fri 12-31, Mon 1-3, Tue 1-4
  assert.equal(cal.workingDaysBetween('1999-12-24', '2000-01-04'), 7);
  assert.equal(cal.addWorkingDays('1999-12-01', 0), '1999-12-01');
  assert.equal(cal.addWorkingDays('1999-12-04', 0), '1999-12-06');
  // a long deadline from inside the index that ends beyond it
  assert.equal(cal.workingDaysBetween('2100-12-01', cal.addWorkingDays('2100-12-01', 500)), 500);
});

test('input: from is not counted, n = 0, to before from, bad dates', () => {
  assert.equal(cal.workingDaysBetween('2025-03-10', '2025-03-10'), 0);
  assert.equal(cal.workingDaysBetween('2025-03-12', '2025-03-10'), 0);
  assert.equal(cal.addWorkingDays('2025-03-10', 0), '2025-03-10');
  assert.equal(cal.addWorkingDays('2025-03-08', 0), '2025-03-10');
  assert.equal(cal.addWorkingDays('2025-03-10', 1), '2025-03-11');
  assert.throws(() => cal.addWorkingDays('2025-03-10', -1), RangeError);
  assert.throws(() => cal.addWorkingDays('2025-03-10', 1.5), RangeError);
  assert.throws(() => cal.isWorkingDay('2025-02-29'), RangeError);
  assert.throws(() => cal.isWorkingDay('2025-3-1'), RangeError);
  assert.throws(() => cal.workingDaysBetween('2025-13-01', '2025-12-01'), RangeError);
  assert.equal(cal.isWorkingDay('2024-02-29'), true);
});

test('chinaToday is the date in Beijing, whatever the machine’s zone', () => {
  assert.equal(chinaToday(new Date('2025-12-31T15:59:59Z')), '2025-12-31');
  assert.equal(chinaToday(new Date('2025-12-31T16:00:00Z')), '2026-01-01');
  assert.equal(chinaToday(new Date('2026-02-16T23:30:00+08:00')), '2026-02-16');
  assert.match(chinaToday(), /^\d{4}-\d{2}-\d{2}$/);
});

test('a calendar built from rows: an extra year changes deadlines only where it says', () => {
  const rows: CalendarDayRow[] = [
    { day: '2031-01-01', kind: 'holiday', name: '元旦' },
    { day: '2031-01-04', kind: 'workday', name: '元旦调休' },
  ];
  const c = new WorkingCalendar(rows, [2031]);
  assert.equal(c.lastKnownYear, 2031);
  assert.equal(c.isKnown('2031-06-01'), true);
  assert.equal(c.isKnown('2030-06-01'), false);
  // Tue 2030-12-31 + 2: 1/1 off, 1/2 (Thu), 1/3 (Fri); + 3: 1/4 (Sat, worked)
  assert.equal(c.addWorkingDays('2030-12-31', 2), '2031-01-03');
  assert.equal(c.addWorkingDays('2030-12-31', 3), '2031-01-04');
  assert.equal(c.addWorkingDays('2030-12-31', 4), '2031-01-06');
  assert.equal(new WorkingCalendar([], []).lastKnownYear, undefined);
});

test('getWorkingCalendar follows the revision: another server’s change is seen at the next check', async () => {
  const db = database.db;
  const before = await getWorkingCalendar(db);
  assert.equal(await getWorkingCalendar(db), before, 'cached between checks');
  assert.equal(before.isWorkingDay('2030-01-02'), true);
  // another server writes a day and moves the revision (without this process knowing)
  await db.transaction().execute(async (trx) => {
    await trx.insertInto('calendar_days').values({ day: '2030-01-02', kind: 'holiday', name: '测试假日' }).execute();
    await sql`UPDATE revisions SET revision = revision + 1 WHERE name = 'calendar'`.execute(trx);
  });
  assert.equal((await getWorkingCalendar(db)).isWorkingDay('2030-01-02'), true, 'not before the next check');
  const now = await getWorkingCalendar(db, { maxAgeMs: 0 });
  assert.notEqual(now, before);
  assert.equal(now.isWorkingDay('2030-01-02'), false);
  assert.equal(now.holidayName('2030-01-02'), '测试假日');
  // a change without a revision bump is not picked up by the check (the revision is the signal)…
  await db.deleteFrom('calendar_days').where('day', '=', '2030-01-02').execute();
  assert.equal((await getWorkingCalendar(db, { maxAgeMs: 0 })).isWorkingDay('2030-01-02'), false);
  // …but a fresh load always reads the rows, and an invalidation after a bump reloads at once
  assert.equal((await loadWorkingCalendar(db)).isWorkingDay('2030-01-02'), true);
  await sql`UPDATE revisions SET revision = revision + 1 WHERE name = 'calendar'`.execute(db);
  invalidateWorkingCalendar(db);
  assert.equal((await getWorkingCalendar(db)).isWorkingDay('2030-01-02'), true);
});
