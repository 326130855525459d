/**
 * Guessing defences of the identity flows: the password reset says nothing about an account before its code is
 * right; password attempts are counted before they are checked, per account as well as per identifier, so
 * parallel attempts cannot outrun the lock; wrong current passwords when changing one are limited and audited.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { createTestApp, type TestApp } from '../../testing/test-app.ts';
import { FIXTURE_ITEMS, FIXTURE_REGIONS } from '../../testing/fixture-items.ts';
import { createTestPerson, signInForTest, TEST_PASSWORD } from '../../testing/fixture-accounts.ts';
import { verifyAuditChain } from '../audit/verify-audit-chain.ts';
import { LOGIN_PER_ACCOUNT, LOGIN_PER_IDENTIFIER, PASSWORD_CHANGE_PER_ACCOUNT } from './throttle.ts';

let t: TestApp;
before(async () => {
  t = await createTestApp(FIXTURE_ITEMS, FIXTURE_REGIONS);
});
after(async () => {
  await t?.close();
});

const login = (identifier: string, password: string, remoteAddress: string) =>
  t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { identifier, password }, remoteAddress });

/** Ends the window and the lock of the keys given, as if their time had passed. */
const letTimePass = (keys: string[]) =>
  t.database.db
    .updateTable('auth_throttle')
    .set({ window_start: sql`now() - interval '1 day'`, locked_until: sql`now() - interval '1 second'` })
    .where('key', 'in', keys)
    .execute();

const auditCount = (action: string, accountId: string) =>
  t.database.db
    .selectFrom('audit_events')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('action', '=', action)
    .where('target_id', '=', accountId)
    .executeTakeFirstOrThrow()
    .then((r) => Number(r.n));

test('password reset: a wrong code gets the same answer whether or not the password holds the ID number', async () => {
  const p = await createTestPerson(t.database.db);
  const sent = await t.app.inject({ method: 'POST', url: '/api/v1/auth/password-reset/code', payload: { mobile: p.mobile } });
  assert.equal(sent.statusCode, 202, sent.body);
  const reset = (mobile: string, code: string, password: string) => t.app.inject({ method: 'POST', url: '/api/v1/auth/password-reset', payload: { mobile, code, password } });

  const withLastSix = `Ab#${p.idNumber.slice(-6)}x`; // strong by itself; refused only for this account's ID number
  const withWhole = `Ab#${p.idNumber}`;
  const plain = 'Qingshan#2026';
  const answers = [await reset(p.mobile, '000000', withLastSix), await reset(p.mobile, '000000', withWhole), await reset(p.mobile, '000000', plain)];
  // an unknown mobile answers alike (no code was ever deliverable to it)
  answers.push(await reset('13700000009', '000000', withLastSix));
  for (const a of answers) {
    assert.equal(a.statusCode, 400, a.body);
    assert.equal(a.json().error.field, 'code', a.body);
    assert.equal(a.json().error.message, answers[0]!.json().error.message);
  }
  // each wrong guess against the live code was counted (the code allows five)
  const row = await t.database.db.selectFrom('one_time_codes').select('attempts').where('destination', '=', p.mobile).where('purpose', '=', 'reset_password').executeTakeFirstOrThrow();
  assert.equal(row.attempts, 3);

  // with the right code, the account's own rule still holds, and then the reset goes through
  const m = await t.database.db.selectFrom('outbound_messages').select('body').where('destination', '=', p.mobile).orderBy('id', 'desc').executeTakeFirstOrThrow();
  const code = /验证码 (\d{6})/.exec(m.body)![1]!;
  const weak = await reset(p.mobile, code, withLastSix);
  assert.equal(weak.statusCode, 400);
  assert.equal(weak.json().error.field, 'password');
  assert.match(weak.json().error.message, /身份证号码/);
  const ok = await reset(p.mobile, code, plain);
  assert.equal(ok.statusCode, 204, ok.body);
  assert.equal((await login(p.mobile, plain, '10.1.0.1')).statusCode, 200);
});

test('sign-in: parallel wrong attempts — no more than the limit are checked, the rest 429, the right password waits for the window', async () => {
  const p = await createTestPerson(t.database.db);
  const ip = '10.2.0.1';
  const answers = await Promise.all(Array.from({ length: 40 }, () => login(p.mobile, 'Wrong#pass1', ip)));
  const statuses = answers.map((a) => a.statusCode);
  assert.equal(statuses.filter((s) => s === 401).length, LOGIN_PER_IDENTIFIER.max, statuses.join(','));
  assert.equal(statuses.filter((s) => s === 429).length, 40 - LOGIN_PER_IDENTIFIER.max, statuses.join(','));
  assert.equal(await auditCount('auth.sign_in.failed', p.id), LOGIN_PER_IDENTIFIER.max); // only those were checked

  // the right password is refused too, typed as the mobile or as the ID number, from anywhere
  for (const [identifier, from] of [[p.mobile, ip], [p.idNumber, '10.2.0.2']] as const) {
    const locked = await login(identifier, TEST_PASSWORD, from);
    assert.equal(locked.statusCode, 429, locked.body);
    assert.ok(Number(locked.headers['retry-after']) > 0);
  }
  await letTimePass([`login-id:person:${p.mobile}`, `login-account:${p.id}`]);
  const ok = await login(p.mobile, TEST_PASSWORD, ip);
  assert.equal(ok.statusCode, 200, ok.body);
  // the success cleared the account's counts
  assert.equal(await t.database.db.selectFrom('auth_throttle').select('key').where('key', 'in', [`login-id:person:${p.mobile}`, `login-account:${p.id}`]).executeTakeFirst(), undefined);
  assert.equal((await verifyAuditChain(t.database.db)).ok, true);
});

test('sign-in: the mobile and the ID number of one account share one budget of attempts', async () => {
  const p = await createTestPerson(t.database.db);
  for (let i = 0; i < LOGIN_PER_ACCOUNT.max; i++) {
    const wrong = await login(i % 2 ? p.idNumber : p.mobile, 'Wrong#pass1', `10.3.0.${i + 1}`);
    assert.equal(wrong.statusCode, 401, wrong.body);
  }
  for (const identifier of [p.mobile, p.idNumber]) {
    const locked = await login(identifier, TEST_PASSWORD, '10.3.1.1');
    assert.equal(locked.statusCode, 429, `${identifier}: ${locked.body}`);
  }
});

test('sign-in: the IP counts failures only — many people signing in at once from one address are not locked', async () => {
  const people = await Promise.all(Array.from({ length: 40 }, () => createTestPerson(t.database.db)));
  const office = '10.5.0.1';
  const answers = await Promise.all(people.map((x) => login(x.mobile, TEST_PASSWORD, office)));
  assert.deepEqual(answers.map((r) => r.statusCode), people.map(() => 200));
  const counted = await t.database.db.selectFrom('auth_throttle').select('failures').where('key', '=', `login-ip:${office}`).executeTakeFirst();
  assert.equal(counted, undefined, 'nothing counted against the address');

  const p = await createTestPerson(t.database.db);
  const ip = '10.4.0.1';
  await t.database.db.insertInto('auth_throttle').values({ key: `login-ip:${ip}`, failures: 29, window_start: sql`now()`, locked_until: null }).execute();
  assert.equal((await login(p.mobile, TEST_PASSWORD, ip)).statusCode, 200);
  assert.equal((await login(p.idNumber, TEST_PASSWORD, ip)).statusCode, 200);
  const row = await t.database.db.selectFrom('auth_throttle').select(['failures', 'locked_until']).where('key', '=', `login-ip:${ip}`).executeTakeFirstOrThrow();
  assert.equal(row.failures, 29);
  assert.equal(row.locked_until, null);
});

test('change password: wrong current passwords are audited, and the one at the limit ends every session and locks', async () => {
  const p = await createTestPerson(t.database.db);
  const s = await signInForTest(t.app, { kind: 'person', identifier: p.mobile });
  const other = await signInForTest(t.app, { kind: 'person', identifier: p.idNumber });
  const change = (headers: Record<string, string>, currentPassword: string, newPassword = 'Xihu#Lake2026') =>
    t.app.inject({ method: 'POST', url: '/api/v1/me/password', headers, payload: { currentPassword, newPassword } });

  for (let i = 1; i < PASSWORD_CHANGE_PER_ACCOUNT.max; i++) {
    const wrong = await change(s.headers, `Wrong#pass${i}`);
    assert.equal(wrong.statusCode, 400, wrong.body);
    assert.equal(wrong.json().error.field, 'currentPassword');
  }
  assert.equal(await auditCount('auth.password_change.failed', p.id), PASSWORD_CHANGE_PER_ACCOUNT.max - 1);
  assert.equal((await t.app.inject({ url: '/api/v1/me', headers: { cookie: s.cookie } })).statusCode, 200);

  const last = await change(s.headers, 'Wrong#passLast');
  assert.equal(last.statusCode, 429, last.body);
  assert.ok(Number(last.headers['retry-after']) > 0);
  assert.equal(await auditCount('auth.password_change.failed', p.id), PASSWORD_CHANGE_PER_ACCOUNT.max);
  const event = await t.database.db
    .selectFrom('audit_events')
    .select(['outcome', 'details'])
    .where('action', '=', 'auth.password_change.failed')
    .where('target_id', '=', p.id)
    .orderBy('seq', 'desc')
    .executeTakeFirstOrThrow();
  assert.equal(event.outcome, 'failure');
  assert.deepEqual(typeof event.details === 'string' ? JSON.parse(event.details) : event.details, { reason: 'wrong_password', locked: true, sessionsEnded: 2 });
  for (const c of [s.cookie, other.cookie]) assert.equal((await t.app.inject({ url: '/api/v1/me', headers: { cookie: c } })).statusCode, 401);

  // signed in again, even the right current password waits for the lock to end
  const again = await signInForTest(t.app, { kind: 'person', identifier: p.mobile });
  const refused = await change(again.headers, TEST_PASSWORD);
  assert.equal(refused.statusCode, 429, refused.body);
  assert.equal((await t.app.inject({ url: '/api/v1/me', headers: { cookie: again.cookie } })).statusCode, 200); // a refusal ends nothing
  await letTimePass([`password-change:${p.id}`]);
  const ok = await change(again.headers, TEST_PASSWORD);
  assert.equal(ok.statusCode, 204, ok.body);
  assert.equal(await t.database.db.selectFrom('auth_throttle').select('key').where('key', '=', `password-change:${p.id}`).executeTakeFirst(), undefined);
  assert.equal((await verifyAuditChain(t.database.db)).ok, true);
});

test('change password: parallel wrong current passwords — no more than the limit are checked', async () => {
  const p = await createTestPerson(t.database.db);
  const s = await signInForTest(t.app, { kind: 'person', identifier: p.mobile });
  const answers = await Promise.all(
    Array.from({ length: 20 }, (_, i) => t.app.inject({ method: 'POST', url: '/api/v1/me/password', headers: s.headers, payload: { currentPassword: `Wrong#pass${i}`, newPassword: 'Xihu#Lake2026' } })),
  );
  const statuses = answers.map((a) => a.statusCode);
  assert.ok(statuses.every((x) => x === 400 || x === 429 || x === 401), statuses.join(','));
  assert.ok(statuses.filter((x) => x === 400).length <= PASSWORD_CHANGE_PER_ACCOUNT.max - 1, statuses.join(','));
  assert.equal(await auditCount('auth.password_change.failed', p.id), PASSWORD_CHANGE_PER_ACCOUNT.max);
  assert.equal((await t.app.inject({ url: '/api/v1/me', headers: { cookie: s.cookie } })).statusCode, 401);
});
