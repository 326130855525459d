/**
 * Sign-in through OpenID Connect against a real provider (npm's oidc-provider, started here on a random port):
 * the first sign-in links an existing account (password, throttled and audited) or creates one from the
 * verified identity; the next goes straight in; states are single-use and bound to the browser.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, type TestApp } from '../../../testing/test-app.ts';
import { FIXTURE_ITEMS, FIXTURE_REGIONS } from '../../../testing/fixture-items.ts';
import { createTestPerson, residentId, TEST_PASSWORD } from '../../../testing/fixture-accounts.ts';
import { verifyAuditChain } from '../../audit/verify-audit-chain.ts';
import type { OidcConfig } from '../../../config.ts';
import { startTestProvider, type TestProvider } from './test-oidc-provider.ts';
import { csrfOf, TestBrowser } from './test-browser.ts';

// app.inject never listens: the callback URL is only an address the provider redirects the browser to
const REDIRECT_URI = 'http://127.0.0.1:3999/auth/oidc/callback';

const zhang = { idNumber: residentId('330106', '19880512', 401), mobile: '13700001111' };
const li = { idNumber: residentId('330122', '19920101', 402) };
const ACCOUNTS: Record<string, Record<string, unknown>> = {
  'sub-zhang': { name: '张三', id_number: zhang.idNumber, phone_number: '+86 137 0000 1111' },
  'sub-li': { name: '李四', id_number: li.idNumber, phone_number: '13800002222' },
  'sub-anon': { name: '王五' }, // no ID number: cannot create an account, only link
  'sub-twin': { name: '张三', id_number: zhang.idNumber }, // someone whose ID number already has an account
};

let t: TestApp;
let op: TestProvider;
let oidc: OidcConfig;

before(async () => {
  op = await startTestProvider({ redirectUri: REDIRECT_URI, accounts: ACCOUNTS });
  t = await createTestApp(FIXTURE_ITEMS, FIXTURE_REGIONS);
  oidc = { issuer: op.issuer, clientId: op.clientId, clientSecret: op.clientSecret, redirectUri: REDIRECT_URI, displayName: '浙里办', allowInsecure: true };
  t.ctx.config.oidc = oidc; // the routes read the configuration per request
});
after(async () => {
  await t?.close();
  await op?.close();
});

/** Start at the app, sign in at the provider, come back: the app's answer to the callback. */
async function signIn(b: TestBrowser, subject: string, back?: string) {
  const start = await b.inject({ url: `/auth/oidc/start${back ? `?back=${encodeURIComponent(back)}` : ''}` });
  assert.equal(start.statusCode, 302, start.body);
  const location = String(start.headers.location);
  assert.ok(location.startsWith(`${op.issuer}/`), location);
  const auth = new URL(location);
  assert.equal(auth.searchParams.get('code_challenge_method'), 'S256');
  assert.ok(auth.searchParams.get('nonce'));
  const callback = await b.signInAtProvider(location, subject, REDIRECT_URI);
  const res = await b.inject({ url: `${callback.pathname}${callback.search}` });
  return { res, callback };
}

async function sessionOf(b: TestBrowser) {
  const res = await b.inject({ url: '/api/v1/me/sessions' });
  assert.equal(res.statusCode, 200, res.body);
  return (res.json() as { sessions: { current: boolean; authMethod: string }[] }).sessions.find((s) => s.current);
}

/** The signed-in browser's CSRF token (its forms carry the session's). */
const sessionCsrf = async (b: TestBrowser) => String((await b.inject({ url: '/api/v1/me' })).json().csrfToken);

const auditActions = async (since: number) =>
  (await t.database.db.selectFrom('audit_events').select(['action', 'details', 'outcome']).where('seq', '>', since).orderBy('seq').execute()).map((e) => ({
    ...e,
    details: e.details as Record<string, unknown>,
  }));
const lastSeq = async () => Number((await t.database.db.selectFrom('audit_chain_head').select('last_seq').executeTakeFirstOrThrow()).last_seq);

test('without OIDC_ISSUER the routes answer 404 in Chinese', async () => {
  t.ctx.config.oidc = undefined;
  try {
    const res = await t.app.inject({ url: '/auth/oidc/start' });
    assert.equal(res.statusCode, 404);
    assert.match(res.body, /未启用统一身份认证登录/);
    assert.equal((await t.app.inject({ url: '/auth/oidc/callback?code=x&state=y' })).statusCode, 404);
  } finally {
    t.ctx.config.oidc = oidc;
  }
});

test('first sign-in links an existing account with its password (a wrong one counts); the next goes straight in', async () => {
  const person = await createTestPerson(t.database.db, { name: '张三', idNumber: zhang.idNumber, mobile: zhang.mobile });
  const b = new TestBrowser(t.app);
  const seq = await lastSeq();
  const { res } = await signIn(b, 'sub-zhang', '/me/sessions');
  assert.equal(res.statusCode, 303, res.body);
  assert.equal(res.headers.location, '/auth/oidc/link');
  assert.equal(b.app.get('yw_session'), undefined);
  assert.ok(b.app.get('yw_oidc_link'));

  const page = await b.inject({ url: '/auth/oidc/link' });
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /首次使用浙里办登录/);
  assert.match(page.body, /关联已有账号/);
  assert.match(page.body, /创建新账号/);
  assert.doesNotMatch(page.body, new RegExp(zhang.idNumber)); // the ID number is shown masked
  const _csrf = csrfOf(page.body);

  // without the CSRF token the post is refused
  const noCsrf = await b.inject({ method: 'POST', url: '/auth/oidc/link', form: { identifier: person.mobile, password: TEST_PASSWORD } });
  assert.equal(noCsrf.statusCode, 403);

  const wrong = await b.inject({ method: 'POST', url: '/auth/oidc/link', form: { _csrf, identifier: person.mobile, password: 'Wrong#password1' } });
  assert.equal(wrong.statusCode, 400);
  assert.match(wrong.body, /账号或密码不正确/);
  assert.match(wrong.body, /aria-invalid="true"/);
  assert.equal(b.app.get('yw_session'), undefined);
  const counter = await t.database.db.selectFrom('auth_throttle').select('failures').where('key', '=', `login-id:person:${person.mobile}`).executeTakeFirst();
  assert.equal(counter?.failures, 1);

  const linkKey = b.app.get('yw_oidc_link')!;
  const ok = await b.inject({ method: 'POST', url: '/auth/oidc/link', form: { _csrf, identifier: person.mobile, password: TEST_PASSWORD } });
  assert.equal(ok.statusCode, 303, ok.body);
  assert.equal(ok.headers.location, '/me/sessions');
  assert.ok(b.app.get('yw_session'));
  assert.equal(b.app.get('yw_oidc_link'), undefined);
  const me = await b.inject({ url: '/api/v1/me' });
  assert.equal(me.statusCode, 200);
  assert.equal(me.json().id, person.id);
  assert.equal(me.json().oidcLinked, true);
  assert.equal((await sessionOf(b))?.authMethod, 'oidc');
  const link = await t.database.db.selectFrom('oidc_links').selectAll().where('subject', '=', 'sub-zhang').executeTakeFirstOrThrow();
  assert.equal(link.account_id, person.id);
  assert.equal(link.issuer, op.issuer);
  // success clears the identifier's failure count, as a password sign-in does
  assert.equal(await t.database.db.selectFrom('auth_throttle').select('failures').where('key', '=', `login-id:person:${person.mobile}`).executeTakeFirst(), undefined);

  const events = await auditActions(seq);
  assert.deepEqual(
    events.map((e) => e.action),
    ['auth.sign_in.failed', 'auth.oidc_linked', 'auth.sign_in.succeeded'],
  );
  assert.equal(events[0]!.details.method, 'oidc_link');
  assert.equal(events[0]!.outcome, 'failure');
  assert.equal(events[1]!.details.subject, 'sub-zhang');
  assert.equal(events[2]!.details.method, 'oidc');

  // the identity waiting for a link is used up: its cookie is cleared, and the key no longer works
  assert.equal((await b.inject({ url: '/auth/oidc/link' })).statusCode, 400);
  b.app.set('yw_oidc_link', linkKey, '/auth/oidc');
  const again = await b.inject({ url: '/auth/oidc/link' });
  assert.equal(again.statusCode, 400);
  assert.match(again.body, /登录信息已过期/);
  assert.equal((await b.inject({ method: 'POST', url: '/auth/oidc/link', form: { _csrf: (await sessionCsrf(b)), identifier: person.mobile, password: TEST_PASSWORD } })).statusCode, 400);

  // another browser, same person: straight in, no link page
  const other = new TestBrowser(t.app);
  const second = await signIn(other, 'sub-zhang');
  assert.equal(second.res.statusCode, 303, second.res.body);
  assert.equal(second.res.headers.location, '/me');
  assert.equal((await other.inject({ url: '/api/v1/me' })).json().id, person.id);
  assert.equal((await sessionOf(other))?.authMethod, 'oidc');
  // and the same browser again, where the provider remembers the sign-in and the consent
  const third = await signIn(b, 'sub-zhang', '/search?q=%E5%8A%9E%E8%AF%81');
  assert.equal(third.res.statusCode, 303);
  assert.equal(third.res.headers.location, '/search?q=%E5%8A%9E%E8%AF%81');
  assert.equal((await verifyAuditChain(t.database.db)).ok, true);
});

test('first sign-in creates a new account from the verified name and ID number', async () => {
  const b = new TestBrowser(t.app);
  const seq = await lastSeq();
  const { res } = await signIn(b, 'sub-li');
  assert.equal(res.headers.location, '/auth/oidc/link');
  const page = await b.inject({ url: '/auth/oidc/link' });
  assert.match(page.body, /李四/);
  assert.match(page.body, /创建账号并登录/);
  const created = await b.inject({ method: 'POST', url: '/auth/oidc/register', form: { _csrf: csrfOf(page.body) } });
  assert.equal(created.statusCode, 303, created.body);
  assert.equal(created.headers.location, '/me');
  const me = await b.inject({ url: '/api/v1/me' });
  assert.equal(me.statusCode, 200);
  assert.equal(me.json().name, '李四');
  assert.equal(me.json().hasPassword, false);
  assert.equal(me.json().mobile, '138****2222');
  const account = await t.database.db.selectFrom('accounts').selectAll().where('id_number', '=', li.idNumber).executeTakeFirstOrThrow();
  assert.equal(account.password_hash, null);
  assert.equal(account.id, me.json().id);
  assert.deepEqual(
    (await auditActions(seq)).map((e) => e.action),
    ['auth.registered', 'auth.oidc_linked', 'auth.sign_in.succeeded'],
  );
  // a second post of the same form creates nothing more
  const replay = await b.inject({ method: 'POST', url: '/auth/oidc/register', form: { _csrf: csrfOf(page.body) } });
  assert.notEqual(replay.statusCode, 303);
  assert.ok(replay.statusCode < 500);
  assert.equal((await t.database.db.selectFrom('accounts').select('id').where('id_number', '=', li.idNumber).execute()).length, 1);
  // and the next sign-in goes straight in
  const next = await signIn(new TestBrowser(t.app), 'sub-li');
  assert.equal(next.res.headers.location, '/me');

  // unless the account has been disabled since: refused, and the refusal audited
  await t.database.db.updateTable('accounts').set({ status: 'disabled' }).where('id', '=', account.id).execute();
  const seq2 = await lastSeq();
  const disabled = await signIn(new TestBrowser(t.app), 'sub-li');
  assert.equal(disabled.res.statusCode, 403);
  assert.match(disabled.res.body, /该账号已停用/);
  const refused = await auditActions(seq2);
  assert.deepEqual(refused.map((e) => [e.action, e.outcome, e.details.reason]), [['auth.sign_in.failed', 'failure', 'disabled']]);
});

test('no account is created without an ID number, nor for an ID number that has one: link with the password instead', async () => {
  // this browser is signed in already (as someone else): its forms carry the session's CSRF token
  const anon = new TestBrowser(t.app);
  const someone = await createTestPerson(t.database.db);
  const login = await anon.inject({ method: 'POST', url: '/api/v1/auth/login', json: { identifier: someone.mobile, password: TEST_PASSWORD } });
  assert.equal(login.statusCode, 200, login.body);
  await signIn(anon, 'sub-anon');
  const page = await anon.inject({ url: '/auth/oidc/link' });
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /无法直接创建账号/);
  assert.doesNotMatch(page.body, /创建账号并登录/);
  const refused = await anon.inject({ method: 'POST', url: '/auth/oidc/register', form: { _csrf: csrfOf(page.body) } });
  assert.equal(refused.statusCode, 400);

  const twin = new TestBrowser(t.app);
  await signIn(twin, 'sub-twin');
  const twinPage = await twin.inject({ url: '/auth/oidc/link' });
  const before = await t.database.db.selectFrom('accounts').select('id').execute();
  const clash = await twin.inject({ method: 'POST', url: '/auth/oidc/register', form: { _csrf: csrfOf(twinPage.body) } });
  assert.equal(clash.statusCode, 409);
  assert.match(clash.body, /该身份证号码已有账号/);
  assert.equal((await t.database.db.selectFrom('accounts').select('id').execute()).length, before.length);
  assert.equal(twin.app.get('yw_session'), undefined);
  // linking an account of another ID number is refused; nothing is written
  const stranger = await createTestPerson(t.database.db);
  const mismatch = await twin.inject({ method: 'POST', url: '/auth/oidc/link', form: { _csrf: csrfOf(twinPage.body), identifier: stranger.mobile, password: TEST_PASSWORD } });
  assert.equal(mismatch.statusCode, 409);
  assert.match(mismatch.body, /身份证号码与浙里办认证的身份不一致/);
  assert.equal(await t.database.db.selectFrom('oidc_links').select('subject').where('subject', '=', 'sub-twin').executeTakeFirst(), undefined);
  assert.equal((await verifyAuditChain(t.database.db)).ok, true);
});

test('replayed, unknown, foreign and refused states are rejected with a page, never a 500', async () => {
  const b = new TestBrowser(t.app);
  const start = await b.inject({ url: '/auth/oidc/start' });
  const state = b.app.get('yw_oidc_state')!;
  assert.ok(state);
  const row = await t.database.db.selectFrom('auth_pending').select(['kind', 'data']).where('kind', '=', 'oidc_state').execute();
  assert.ok(row.length >= 1);
  assert.ok(!JSON.stringify(row).includes(state), 'the state is kept only as a hash');
  const callback = await b.signInAtProvider(String(start.headers.location), 'sub-zhang', REDIRECT_URI);
  const url = `${callback.pathname}${callback.search}`;

  // another browser cannot finish this sign-in (login CSRF), and trying does not use the state up
  const foreign = await new TestBrowser(t.app).inject({ url });
  assert.equal(foreign.statusCode, 400);
  assert.match(foreign.body, /登录请求无效或已过期/);

  const first = await b.inject({ url });
  assert.equal(first.statusCode, 303);
  assert.ok(b.app.get('yw_session'));
  // the same callback again, even with the state cookie put back
  b.app.set('yw_oidc_state', state, '/auth/oidc');
  const replay = await b.inject({ url });
  assert.equal(replay.statusCode, 400);
  assert.match(replay.body, /登录请求无效或已过期/);

  const c = new TestBrowser(t.app);
  c.app.set('yw_oidc_state', 'made-up', '/auth/oidc');
  const unknown = await c.inject({ url: '/auth/oidc/callback?code=abc&state=made-up' });
  assert.equal(unknown.statusCode, 400);
  assert.equal((await c.inject({ url: '/auth/oidc/callback' })).statusCode, 400);
  assert.equal((await c.inject({ url: '/auth/oidc/callback?state=%FF%FE&code=%00' })).statusCode, 400);

  // the person cancelled at the provider
  const d = new TestBrowser(t.app);
  await d.inject({ url: '/auth/oidc/start' });
  const denied = await d.inject({ url: `/auth/oidc/callback?error=access_denied&state=${d.app.get('yw_oidc_state')}` });
  assert.equal(denied.statusCode, 400);
  assert.match(denied.body, /没有在浙里办页面完成授权/);
  assert.match(denied.body, /href="\/auth\/oidc\/start"/);

  // a code that does not belong to this state: the provider refuses it at the token endpoint
  const e = new TestBrowser(t.app);
  await e.inject({ url: '/auth/oidc/start' });
  const bogus = await e.inject({ url: `/auth/oidc/callback?code=not-a-code&state=${e.app.get('yw_oidc_state')}&iss=${encodeURIComponent(op.issuer)}` });
  assert.equal(bogus.statusCode, 400, bogus.body);

  // the link page without a waiting identity
  assert.equal((await c.inject({ url: '/auth/oidc/link' })).statusCode, 400);
  assert.equal((await verifyAuditChain(t.database.db)).ok, true);
});

test('an unreachable provider gives a 502 page; discovery is retried on the next sign-in', async () => {
  const fresh = { ...oidc }; // a configuration not discovered yet
  t.ctx.config.oidc = fresh;
  try {
    op.setAvailable(false);
    const res = await t.app.inject({ url: '/auth/oidc/start' });
    assert.equal(res.statusCode, 502);
    assert.match(res.body, /浙里办暂时无法访问/);
    assert.equal(res.headers['set-cookie'], undefined);
    op.setAvailable(true);
    const ok = await t.app.inject({ url: '/auth/oidc/start' });
    assert.equal(ok.statusCode, 302);
    assert.ok(String(ok.headers.location).startsWith(op.issuer));
  } finally {
    op.setAvailable(true);
    t.ctx.config.oidc = oidc;
  }
  // nothing listens here at all
  t.ctx.config.oidc = { ...oidc, issuer: 'http://127.0.0.1:9/' };
  try {
    assert.equal((await t.app.inject({ url: '/auth/oidc/start' })).statusCode, 502);
  } finally {
    t.ctx.config.oidc = oidc;
  }
});
