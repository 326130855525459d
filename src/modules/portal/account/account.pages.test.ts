/** The sign-in, registration, password and sign-out pages, driven as a browser without JavaScript would. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, type TestApp } from '../../../testing/test-app.ts';
import { FIXTURE_ITEMS, FIXTURE_REGIONS } from '../../../testing/fixture-items.ts';
import { createTestPerson, createTestStaff, findDepartment, residentId, TEST_PASSWORD } from '../../../testing/fixture-accounts.ts';
import { verifyAuditChain } from '../../audit/verify-audit-chain.ts';
import { fieldError, formCsrf, PageVisitor } from './page-client.ts';

let t: TestApp;
before(async () => {
  t = await createTestApp(FIXTURE_ITEMS, FIXTURE_REGIONS);
});
after(async () => {
  await t?.close();
});

/** The newest code for `mobile`, read off the development inbox page. */
async function codeFromInbox(v: PageVisitor, mobile: string): Promise<string> {
  const inbox = await v.get('/dev/inbox');
  assert.equal(inbox.statusCode, 200);
  const row = inbox.body.split('<tr>').find((r) => r.includes(`<td class="destination">${mobile}</td>`));
  const code = row && /验证码 (\d{6})/.exec(row)?.[1];
  assert.ok(code, `a code for ${mobile} in the inbox`);
  return code;
}

test('register: a code from the dev inbox, errors beside their fields, then /me shows the masked numbers', async () => {
  const v = new PageVisitor(t.app);
  const mobile = '13712345678';
  const idNumber = residentId('330106', '19880512', 41);

  const first = await v.get('/register');
  assert.equal(first.statusCode, 200);
  assert.equal(first.headers['cache-control'], 'no-store');
  assert.ok(v.cookies.has('yw_csrf'), 'the visitor gets a CSRF cookie with the form');

  const badMobile = await v.post('/register/code', { _csrf: formCsrf(first.body, '/register/code'), mobile: '12345' });
  assert.equal(badMobile.statusCode, 400);
  assert.match(fieldError(badMobile.body, 'mobile') ?? '', /11 位/);
  assert.match(badMobile.body, /id="f-mobile"[^>]*aria-invalid="true"/);

  const sent = await v.submit('/register', '/register/code', { mobile });
  assert.equal(sent.statusCode, 303);
  assert.equal(sent.headers.location, '/register/details');
  assert.ok(!sent.headers.location.includes(mobile), 'the mobile number stays out of the address');
  const code = await codeFromInbox(v, mobile);

  const details = await v.get('/register/details');
  assert.equal(details.statusCode, 200);
  assert.ok(details.body.includes('137****5678'));
  assert.ok(details.body.includes('至少包含大写字母、小写字母、数字、符号中的三类'), 'the password rule is explained');

  const form = { mobile, code, name: '赵晓东', idNumber, password: 'Xihu#2026lake', passwordConfirm: 'Xihu#2026lake' };
  const mismatch = await v.submit('/register/details', '/register', { ...form, passwordConfirm: 'Xihu#2026lakf' });
  assert.equal(mismatch.statusCode, 400);
  assert.equal(fieldError(mismatch.body, 'passwordConfirm'), '两次输入的密码不一致');
  assert.ok(mismatch.body.includes('value="赵晓东"'), 'what was typed is kept');
  assert.ok(!mismatch.body.includes('Xihu#2026lake'), 'passwords are never echoed');

  const wrongId = await v.submit('/register/details', '/register', { ...form, idNumber: idNumber.slice(0, 17) + (idNumber[17] === '1' ? '2' : '1') });
  assert.equal(wrongId.statusCode, 400);
  assert.match(fieldError(wrongId.body, 'idNumber') ?? '', /校验位/);

  const weak = await v.submit('/register/details', '/register', { ...form, password: 'abcdefgh', passwordConfirm: 'abcdefgh' });
  assert.equal(weak.statusCode, 400);
  assert.match(fieldError(weak.body, 'password') ?? '', /三类/);

  const wrongCode = await v.submit('/register/details', '/register', { ...form, code: code === '000000' ? '000001' : '000000' });
  assert.equal(wrongCode.statusCode, 400);
  assert.match(fieldError(wrongCode.body, 'code') ?? '', /验证码/);
  assert.equal(await t.database.db.selectFrom('accounts').select('id').where('mobile', '=', mobile).executeTakeFirst(), undefined, 'nothing was written');

  const done = await v.submit('/register/details', '/register', form);
  assert.equal(done.statusCode, 303, done.body);
  assert.equal(done.headers.location, '/me?welcome=1');
  assert.ok(v.cookies.has('yw_session'));
  assert.ok(!v.cookies.has('yw_register_mobile'), 'the flow cookie is gone');

  const me = await v.get('/me?welcome=1');
  assert.equal(me.statusCode, 200);
  assert.equal(me.headers['cache-control'], 'no-store');
  assert.ok(me.body.includes('注册成功'));
  assert.ok(me.body.includes(`330106********${idNumber.slice(14)}`), 'the masked ID number');
  assert.ok(me.body.includes('137****5678'), 'the masked mobile');
  assert.ok(!me.body.includes(idNumber) && !me.body.includes(mobile), 'never the whole numbers');
  assert.ok(me.body.includes('您好，赵晓东'));
  for (const href of ['/me/password', '/me/sessions', '/me/access-log', '/me/delegations']) assert.ok(me.body.includes(`href="${href}"`), href);
  assert.ok(!me.body.includes('href="/admin"'), 'no workbench for a person');

  // signed in, /register and /login send the visitor on
  assert.equal((await v.get('/register')).headers.location, '/me');
  assert.equal((await v.get('/login')).headers.location, '/me');
});

test('login: a wrong password is shown in the form; the right one lands on /me, or on `back`', async () => {
  const p = await createTestPerson(t.database.db);
  const v = new PageVisitor(t.app);

  const page = await v.get('/login?back=%2Fme%2Fsessions');
  assert.equal(page.statusCode, 200);
  assert.ok(page.body.includes('个人/法人登录') && page.body.includes('工作人员登录'));
  assert.ok(page.body.includes('href="/register"') && page.body.includes('href="/password/reset"'));
  assert.ok(!page.body.includes('/auth/oidc/start'), 'no OpenID Connect button unless configured');

  const empty = await v.post('/login', { _csrf: formCsrf(page.body, '/login'), kind: 'person', identifier: '', password: '' });
  assert.equal(empty.statusCode, 400);
  assert.ok(fieldError(empty.body, 'identifier'));

  const wrong = await v.submit('/login', '/login', { kind: 'person', identifier: p.mobile, password: 'Wrong#pass123', back: '/me/sessions' });
  assert.ok(wrong.statusCode >= 400 && wrong.statusCode < 500, String(wrong.statusCode));
  assert.equal(fieldError(wrong.body, 'password'), '账号或密码不正确');
  assert.ok(wrong.body.includes(`value="${p.mobile}"`), 'the identifier is kept');
  assert.ok(wrong.body.includes('name="back" value="/me/sessions"'), 'back is kept');
  assert.ok(!v.cookies.has('yw_session'));

  const ok = await v.submit('/login?back=%2Fme%2Fsessions', '/login', { kind: 'person', identifier: p.idNumber, password: TEST_PASSWORD, back: '/me/sessions' });
  assert.equal(ok.statusCode, 303);
  assert.equal(ok.headers.location, '/me/sessions');
  assert.ok(v.cookies.has('yw_session'));

  // an off-site `back` is ignored
  const w = new PageVisitor(t.app);
  const offsite = await w.submit('/login', '/login', { kind: 'person', identifier: p.mobile, password: TEST_PASSWORD, back: '//evil.example/x' });
  assert.equal(offsite.headers.location, '/me');
});

test('login: staff sign in with their number and land on the workbench; lockout is shown in the form', async () => {
  const dept = await findDepartment(t.database.db, { regionCode: '330106' });
  await createTestStaff(t.database.db, { staffNo: 'XH0101', departmentId: dept.id, roles: [{ role: 'window_clerk' }] });
  const v = new PageVisitor(t.app);
  const tab = await v.get('/login?kind=staff');
  assert.ok(tab.body.includes('<label for="f-identifier">工号'));
  assert.match(tab.body, /aria-current="page" class="current">工作人员登录/);
  const ok = await v.post('/login', { _csrf: formCsrf(tab.body, '/login'), kind: 'staff', identifier: 'XH0101', password: TEST_PASSWORD });
  assert.equal(ok.statusCode, 303);
  assert.equal(ok.headers.location, '/admin');
  const me = await v.get('/me');
  assert.ok(me.body.includes('XH0101') && me.body.includes(dept.name) && me.body.includes('窗口受理'));
  assert.ok(me.body.includes('href="/admin"'));

  const p = await createTestPerson(t.database.db);
  const x = new PageVisitor(t.app);
  for (let i = 0; i < 5; i++) await x.submit('/login', '/login', { kind: 'person', identifier: p.mobile, password: 'Wrong#pass123' });
  const locked = await x.submit('/login', '/login', { kind: 'person', identifier: p.mobile, password: TEST_PASSWORD });
  assert.equal(locked.statusCode, 429);
  assert.ok(Number(locked.headers['retry-after']) > 0);
  assert.match(locked.body, /error-summary[\s\S]*已临时锁定/);
  assert.ok(!x.cookies.has('yw_session'));
});

test('a form post without the CSRF field, or with a wrong one, is refused and changes nothing', async () => {
  const p = await createTestPerson(t.database.db);
  const v = new PageVisitor(t.app);
  await v.get('/login');
  const none = await v.post('/login', { kind: 'person', identifier: p.mobile, password: TEST_PASSWORD });
  assert.equal(none.statusCode, 403);
  assert.ok(none.body.includes('页面已过期'));
  assert.ok(!v.cookies.has('yw_session'));
  const forged = await v.post('/login', { _csrf: 'x'.repeat(43), kind: 'person', identifier: p.mobile, password: TEST_PASSWORD });
  assert.equal(forged.statusCode, 403);

  await v.submit('/login', '/login', { kind: 'person', identifier: p.mobile, password: TEST_PASSWORD });
  assert.ok(v.cookies.has('yw_session'));
  const noTokenLogout = await v.post('/logout', {});
  assert.equal(noTokenLogout.statusCode, 403);
  assert.equal((await v.get('/me')).statusCode, 200, 'still signed in');
  // the pre-sign-in token is no longer good once signed in: the session's own is
  const oldToken = await v.post('/logout', { _csrf: v.cookies.get('yw_csrf')! });
  assert.equal(oldToken.statusCode, 403);
  const crossSite = await t.app.inject({
    method: 'POST',
    url: '/logout',
    payload: `_csrf=${formCsrf((await v.get('/me')).body, '/logout')}`,
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: v.cookieHeader, origin: 'https://evil.example' },
  });
  assert.equal(crossSite.statusCode, 403);
  assert.equal((await v.get('/me')).statusCode, 200);
});

test('sign out from the header form ends the session; the header is the same for everyone on public pages', async () => {
  const p = await createTestPerson(t.database.db);
  const v = new PageVisitor(t.app);
  await v.submit('/login', '/login', { kind: 'person', identifier: p.mobile, password: TEST_PASSWORD });
  const oldCookie = v.cookies.get('yw_session')!;

  const home = await v.get('/');
  assert.ok(home.body.includes('登录 / 个人中心'));
  assert.ok(!home.body.includes('您好'), 'a public page carries nothing about the visitor');
  assert.ok(!home.body.includes('action="/logout"'));

  const me = await v.get('/me');
  assert.match(me.body, /<header[\s\S]*您好，[\s\S]*action="\/logout"[\s\S]*<\/header>/);
  const out = await v.post('/logout', { _csrf: formCsrf(me.body, '/logout') });
  assert.equal(out.statusCode, 303);
  assert.equal(out.headers.location, '/');
  assert.ok(!v.cookies.has('yw_session'));
  const again = await t.app.inject({ url: '/me', headers: { cookie: `yw_session=${oldCookie}` } });
  assert.equal(again.statusCode, 303, 'the old cookie no longer works');
  assert.equal(again.headers.location, '/login?back=%2Fme');

  // the confirmation page for headers that could not carry the form
  await v.submit('/login', '/login', { kind: 'person', identifier: p.mobile, password: TEST_PASSWORD });
  const confirm = await v.get('/logout');
  assert.equal(confirm.statusCode, 200);
  const out2 = await v.post('/logout', { _csrf: formCsrf(confirm.body, '/logout') });
  assert.equal(out2.statusCode, 303);
  const events = await t.database.db.selectFrom('audit_events').select('action').where('action', '=', 'auth.signed_out').execute();
  assert.ok(events.length >= 2);
});

test('password reset: code from the inbox, a new password, then sign in with it', async () => {
  const p = await createTestPerson(t.database.db, { mobile: '13612340001' });
  const before = new PageVisitor(t.app);
  await before.submit('/login', '/login', { kind: 'person', identifier: p.mobile, password: TEST_PASSWORD });
  assert.ok(before.cookies.has('yw_session'));

  const v = new PageVisitor(t.app);
  const sent = await v.submit('/password/reset', '/password/reset/code', { mobile: p.mobile });
  assert.equal(sent.statusCode, 303);
  assert.equal(sent.headers.location, '/password/reset/new');
  const code = await codeFromInbox(v, p.mobile);
  const weak = await v.submit('/password/reset/new', '/password/reset', { mobile: p.mobile, code, password: '12345678', passwordConfirm: '12345678' });
  assert.equal(weak.statusCode, 400);
  assert.ok(fieldError(weak.body, 'password'));
  const done = await v.submit('/password/reset/new', '/password/reset', { mobile: p.mobile, code, password: 'Qiantang#river9', passwordConfirm: 'Qiantang#river9' });
  assert.equal(done.statusCode, 303, done.body);
  assert.equal(done.headers.location, '/login?reset=1');
  const login = await v.get('/login?reset=1');
  assert.ok(login.body.includes('请使用新密码登录'));
  const ok = await v.post('/login', { _csrf: formCsrf(login.body, '/login'), kind: 'person', identifier: p.mobile, password: 'Qiantang#river9' });
  assert.equal(ok.statusCode, 303);
  assert.equal((await before.get('/me')).statusCode, 303, 'the sessions before the reset ended');
  // the code was used: replaying it fails beside the code field
  const replay = await v.post('/password/reset', { _csrf: formCsrf((await v.get('/me')).body, '/logout'), mobile: p.mobile, code, password: 'Another#pass77', passwordConfirm: 'Another#pass77' });
  assert.equal(replay.statusCode, 400);
  assert.ok(fieldError(replay.body, 'code'));
});

test('change password: the current one is checked, other sessions end, this one stays', async () => {
  const p = await createTestPerson(t.database.db);
  const other = new PageVisitor(t.app);
  await other.submit('/login', '/login', { kind: 'person', identifier: p.mobile, password: TEST_PASSWORD });
  const v = new PageVisitor(t.app);
  await v.submit('/login', '/login', { kind: 'person', identifier: p.mobile, password: TEST_PASSWORD });

  const wrong = await v.submit('/me/password', '/me/password', { currentPassword: 'Nope#1234x', newPassword: 'Lingyin#temple8', newPasswordConfirm: 'Lingyin#temple8' });
  assert.equal(wrong.statusCode, 400);
  assert.equal(fieldError(wrong.body, 'currentPassword'), '当前密码不正确');
  const mismatch = await v.submit('/me/password', '/me/password', { currentPassword: TEST_PASSWORD, newPassword: 'Lingyin#temple8', newPasswordConfirm: 'x' });
  assert.equal(fieldError(mismatch.body, 'newPasswordConfirm'), '两次输入的密码不一致');
  const ok = await v.submit('/me/password', '/me/password', { currentPassword: TEST_PASSWORD, newPassword: 'Lingyin#temple8', newPasswordConfirm: 'Lingyin#temple8' });
  assert.equal(ok.statusCode, 303);
  assert.equal(ok.headers.location, '/me?password=1');
  assert.ok((await v.get('/me?password=1')).body.includes('密码已修改'));
  assert.equal((await other.get('/me')).statusCode, 303, 'the other session ended');
  assert.equal((await verifyAuditChain(t.database.db)).ok, true);
});

test('the OpenID Connect button appears when a provider is configured', async () => {
  const saved = t.ctx.config.oidc;
  t.ctx.config.oidc = { issuer: 'https://id.example', clientId: 'c', clientSecret: 's', redirectUri: 'https://portal.example/cb', displayName: '浙里办', allowInsecure: false };
  try {
    const page = await t.app.inject({ url: '/login?back=%2Fme%2Fsessions' });
    assert.ok(page.body.includes('使用浙里办登录'));
    assert.ok(page.body.includes('href="/auth/oidc/start?back=%2Fme%2Fsessions"'));
  } finally {
    t.ctx.config.oidc = saved;
  }
});

test('signing in again from a browser that is still signed in ends its earlier session', async () => {
  const p = await createTestPerson(t.database.db);
  const v = new PageVisitor(t.app);
  await v.submit('/login', '/login', { kind: 'person', identifier: p.mobile, password: TEST_PASSWORD });
  const first = v.cookies.get('yw_session')!;
  // the form of a tab opened before: signed in now, so it carries the session's token
  const token = formCsrf((await v.get('/me')).body, '/logout');
  const again = await v.post('/login', { _csrf: token, kind: 'person', identifier: p.idNumber, password: TEST_PASSWORD });
  assert.equal(again.statusCode, 303);
  assert.notEqual(v.cookies.get('yw_session'), first);
  assert.equal((await t.app.inject({ url: '/me', headers: { cookie: `yw_session=${first}` } })).statusCode, 303, 'the earlier session ended');
  assert.equal((await v.get('/me')).statusCode, 200);
});
