/**
 * Guessing defences of the public progress lookup: each lookup counts against the application number typed
 * before the pair is checked, so parallel guesses of one application's ID number cannot outrun the lock; wrong
 * pairs count against the IP atomically too, while right pairs never lock an address. PGlite and PostgreSQL.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { createTestApp, type TestApp } from '../../testing/test-app.ts';
import { FIXTURE_ITEMS, FIXTURE_REGIONS } from '../../testing/fixture-items.ts';
import { createTestPerson, residentId } from '../../testing/fixture-accounts.ts';
import { PROGRESS_ATTEMPTS_PER_NUMBER, PROGRESS_FAILURES_PER_IP } from './lookup-progress.ts';

let t: TestApp;
let item: { code: string; versionId: number; name: string; departmentId: number };
before(async () => {
  t = await createTestApp(FIXTURE_ITEMS, FIXTURE_REGIONS);
  const row = await t.database.db
    .selectFrom('impl_items as i')
    .innerJoin('impl_item_versions as v', (j) => j.onRef('v.item_code', '=', 'i.code').on('v.status', '=', 'published'))
    .select(['i.code', 'v.id as version_id', 'v.name', 'i.department_id'])
    .where('i.region_code', '=', '330106')
    .orderBy('i.code')
    .executeTakeFirstOrThrow();
  item = { code: row.code, versionId: row.version_id, name: row.name, departmentId: row.department_id };
});
after(async () => {
  await t?.close();
});

let seq = 0;
/** An application of a new person, written straight to the table; its number and the person's ID number. */
async function application(): Promise<{ number: string; idNumber: string }> {
  const n = ++seq;
  const p = await createTestPerson(t.database.db, { idNumber: residentId('330106', '19870412', 800 + n) });
  const number = `330106-20260410-${String(n).padStart(6, '0')}`;
  await t.database.db
    .insertInto('applications')
    .values({
      number,
      item_code: item.code,
      item_version_id: item.versionId,
      item_name: item.name,
      department_id: item.departmentId,
      region_code: '330106',
      workflow_key: 'licensing',
      workflow_version: 1,
      state: 'submitted',
      submitted_by: p.id,
      subject_type: 'person',
      subject_id: p.id,
      subject_name: p.name,
      subject_id_number: p.idNumber,
      idempotency_key: `lookup-progress-test-${n}`,
      form_data: JSON.stringify({}),
      legal_days: 20,
      promised_days: 10,
      clock_started_on: '2026-04-10',
    })
    .execute();
  return { number, idNumber: p.idNumber };
}

const lookup = (number: string, idNumber: string, remoteAddress: string) =>
  t.app.inject({ url: `/api/v1/progress?number=${number}&idNumber=${idNumber}`, remoteAddress });

/** Ends the window and the lock of the keys given, as if their time had passed. */
const letTimePass = (keys: string[]) =>
  t.database.db
    .updateTable('auth_throttle')
    .set({ window_start: sql`now() - interval '1 day'`, locked_until: sql`now() - interval '1 second'` })
    .where('key', 'in', keys)
    .execute();

const wrongIds = (n: number) => Array.from({ length: n }, (_, i) => residentId('110105', '19900101', i + 1));

test('parallel wrong ID numbers for one application, from many addresses: no more than the limit are checked, the rest 429; the right pair waits for the window', async () => {
  const a = await application();
  const answers = await Promise.all(wrongIds(40).map((id, i) => lookup(a.number, id, `10.20.${i}.1`)));
  const statuses = answers.map((r) => r.statusCode);
  assert.equal(statuses.filter((s) => s === 404).length, PROGRESS_ATTEMPTS_PER_NUMBER.max, statuses.join(','));
  assert.equal(statuses.filter((s) => s === 429).length, 40 - PROGRESS_ATTEMPTS_PER_NUMBER.max, statuses.join(','));
  const refused = answers.find((r) => r.statusCode === 429)!;
  assert.equal(refused.json().error.code, 'RATE_LIMITED');
  assert.match(refused.json().error.message, /查询失败次数过多/);

  // the right pair is refused too, from a fresh address
  const locked = await lookup(a.number, a.idNumber, '10.21.0.1');
  assert.equal(locked.statusCode, 429, locked.body);
  assert.ok(Number(locked.headers['retry-after']) > 0);
  // another application is not affected
  const b = await application();
  const other = await lookup(b.number, b.idNumber, '10.21.0.1');
  assert.equal(other.statusCode, 200, other.body);

  await letTimePass([`progress-number:${a.number}`]);
  const ok = await lookup(a.number, a.idNumber, '10.21.0.1');
  assert.equal(ok.statusCode, 200, ok.body);
  // the right pair cleared the number's count: honest lookups never lock it
  assert.equal(await t.database.db.selectFrom('auth_throttle').select('key').where('key', '=', `progress-number:${a.number}`).executeTakeFirst(), undefined);
  for (let i = 0; i < PROGRESS_ATTEMPTS_PER_NUMBER.max + 2; i++) assert.equal((await lookup(a.number, a.idNumber, '10.21.0.2')).statusCode, 200);
});

test('an unknown application number locks exactly like a known one', async () => {
  const unknown = '330106-20200101-999999';
  for (const id of wrongIds(PROGRESS_ATTEMPTS_PER_NUMBER.max)) assert.equal((await lookup(unknown, id, '10.22.0.1')).statusCode, 404);
  assert.equal((await lookup(unknown, wrongIds(1)[0]!, '10.22.0.2')).statusCode, 429);
});

test('parallel wrong pairs from one address: no more than the IP limit are checked, the rest 429; right pairs from it never lock it', async () => {
  const a = await application();
  const ip = '10.23.0.1';
  // a different number each time, so only the IP's count stands in the way
  const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => lookup(`330106-20200102-${String(i + 1).padStart(6, '0')}`, a.idNumber, ip)));
  const statuses = answers.map((r) => r.statusCode);
  assert.equal(statuses.filter((s) => s === 404).length, PROGRESS_FAILURES_PER_IP.max, statuses.join(','));
  assert.equal(statuses.filter((s) => s === 429).length, 40 - PROGRESS_FAILURES_PER_IP.max, statuses.join(','));
  // the right pair from that address waits for the window too
  assert.equal((await lookup(a.number, a.idNumber, ip)).statusCode, 429);
  await letTimePass([`progress-ip:${ip}`]);
  assert.equal((await lookup(a.number, a.idNumber, ip)).statusCode, 200);

  // many people behind one address looking up their own applications at once: right pairs are not counted
  const office = '10.23.0.2';
  const apps = await Promise.all(Array.from({ length: 5 }, () => application()));
  const rounds = Math.ceil((PROGRESS_FAILURES_PER_IP.max + 5) / apps.length);
  for (let r = 0; r < rounds; r++) {
    const ok = await Promise.all(apps.map((x) => lookup(x.number, x.idNumber, office)));
    assert.ok(ok.every((x) => x.statusCode === 200), ok.map((x) => x.statusCode).join(','));
  }
});
