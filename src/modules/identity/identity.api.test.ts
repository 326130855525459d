import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, type TestApp } from '../../testing/test-app.ts';
import { FIXTURE_ITEMS, FIXTURE_REGIONS } from '../../testing/fixture-items.ts';
import { createTestPerson, residentId, signInForTest, TEST_PASSWORD } from '../../testing/fixture-accounts.ts';
import { verifyAuditChain } from '../audit/verify-audit-chain.ts';

let t: TestApp;
before(async () => {
  t = await createTestApp(FIXTURE_ITEMS, FIXTURE_REGIONS);
});
after(async () => {
  await t?.close();
});

const lastCode = async (mobile: string) => {
  const m = await t.database.db.selectFrom('outbound_messages').select('body').where('destination', '=', mobile).orderBy('id', 'desc').executeTakeFirstOrThrow();
  return /验证码 (\d{6})/.exec(m.body)?.[1];
};

test('register with a code from the inbox, then the profile shows masked numbers', async () => {
  const mobile = '13812345678';
  const sent = await t.app.inject({ method: 'POST', url: '/api/v1/auth/register/code', payload: { mobile } });
  assert.equal(sent.statusCode, 202, sent.body);
  const code = await lastCode(mobile);
  assert.ok(code);
  const idNumber = residentId('330106', '19850214', 31);
  const bad = await t.app.inject({ method: 'POST', url: '/api/v1/auth/register', payload: { mobile, code, name: '王小明', idNumber: idNumber.slice(0, 17) + (idNumber[17] === '1' ? '2' : '1'), password: 'Hangzhou#2026' } });
  assert.equal(bad.statusCode, 400);
  assert.equal(bad.json().error.field, 'idNumber');
  const weak = await t.app.inject({ method: 'POST', url: '/api/v1/auth/register', payload: { mobile, code, name: '王小明', idNumber, password: 'abcdefgh' } });
  assert.equal(weak.json().error.field, 'password');
  const ok = await t.app.inject({ method: 'POST', url: '/api/v1/auth/register', payload: { mobile, code, name: '王小明', idNumber, password: 'Hangzhou#2026' } });
  assert.equal(ok.statusCode, 201, ok.body);
  const cookie = ok.cookies.find((c) => c.name === 'yw_session')!;
  assert.equal(cookie.httpOnly, true);
  assert.equal(cookie.sameSite, 'Lax');
  const me = await t.app.inject({ url: '/api/v1/me', headers: { cookie: `yw_session=${cookie.value}` } });
  assert.equal(me.statusCode, 200);
  assert.equal(me.json().idNumber, `330106********${idNumber.slice(14)}`);
  assert.equal(me.json().mobile, '138****5678');
  // the code was used: a replay fails
  const replay = await t.app.inject({ method: 'POST', url: '/api/v1/auth/register', payload: { mobile, code, name: '王小明', idNumber: residentId('330106', '19850214', 32), password: 'Hangzhou#2026' } });
  assert.equal(replay.statusCode, 400);
  assert.equal(replay.json().error.field, 'code');
});

test('sign-in failures look the same for unknown and known accounts, then lock', async () => {
  const p = await createTestPerson(t.database.db);
  const unknown = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { identifier: '13900000001', password: 'x' } });
  const wrong = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { identifier: p.mobile, password: 'x' } });
  assert.equal(unknown.statusCode, 401);
  assert.equal(wrong.statusCode, 401);
  assert.equal(unknown.json().error.message, wrong.json().error.message);
  for (let i = 0; i < 4; i++) await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { identifier: p.mobile, password: 'x' } });
  const locked = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { identifier: p.mobile, password: TEST_PASSWORD } });
  assert.equal(locked.statusCode, 429);
  assert.ok(Number(locked.headers['retry-after']) > 0);
  assert.equal((await verifyAuditChain(t.database.db)).ok, true);
});

test('a session needs the CSRF token for unsafe requests; sign-out ends it', async () => {
  const p = await createTestPerson(t.database.db);
  const s = await signInForTest(t.app, { kind: 'person', identifier: p.idNumber });
  const noToken = await t.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: { cookie: s.cookie } });
  assert.equal(noToken.statusCode, 403);
  assert.equal(noToken.json().error.code, 'CSRF_REJECTED');
  const crossSite = await t.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: { ...s.headers, origin: 'https://evil.example' } });
  assert.equal(crossSite.statusCode, 403);
  const out = await t.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: s.headers });
  assert.equal(out.statusCode, 204);
  const after = await t.app.inject({ url: '/api/v1/me', headers: { cookie: s.cookie } });
  assert.equal(after.statusCode, 401);
});
