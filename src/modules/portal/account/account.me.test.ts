/** 个人中心's pages: my sessions (with revoke), my access log, and the development inbox. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, type TestApp } from '../../../testing/test-app.ts';
import { FIXTURE_ITEMS, FIXTURE_REGIONS } from '../../../testing/fixture-items.ts';
import { createTestPerson, createTestStaff, findDepartment, TEST_PASSWORD } from '../../../testing/fixture-accounts.ts';
import { recordAuditEventAlone } from '../../audit/record-audit-event.ts';
import { formCsrf, PageVisitor } from './page-client.ts';

let t: TestApp;
before(async () => {
  t = await createTestApp(FIXTURE_ITEMS, FIXTURE_REGIONS);
});
after(async () => {
  await t?.close();
});

async function signedIn(identifier: string, kind: 'person' | 'staff' = 'person', userAgent?: string): Promise<PageVisitor> {
  const v = new PageVisitor(t.app);
  const page = await v.get(kind === 'staff' ? '/login?kind=staff' : '/login');
  const res = await t.app.inject({
    method: 'POST',
    url: '/login',
    payload: new URLSearchParams({ _csrf: formCsrf(page.body, '/login'), kind, identifier, password: TEST_PASSWORD }).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: v.cookieHeader, ...(userAgent ? { 'user-agent': userAgent } : {}) },
  });
  assert.equal(res.statusCode, 303, res.body);
  const c = res.cookies.find((x) => x.name === 'yw_session')!;
  v.cookies.set('yw_session', c.value);
  return v;
}

const sessionIds = (page: string) => [...page.matchAll(/action="\/me\/sessions\/([0-9a-f-]{36})\/revoke"/g)].map((m) => m[1]!);

test('my sessions: the current one is marked; revoking another ends it; revoking this one signs out', async () => {
  const p = await createTestPerson(t.database.db);
  const phone = await signedIn(p.mobile, 'person', 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Version/17.0 Mobile/15E148 Safari/604.1');
  const desk = await signedIn(p.idNumber, 'person', 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/126.0 Safari/537.36');

  const list = await desk.get('/me/sessions');
  assert.equal(list.statusCode, 200);
  assert.equal(list.headers['cache-control'], 'no-store');
  const ids = sessionIds(list.body);
  assert.equal(ids.length, 2);
  assert.equal((list.body.match(/class="tag-current"/g) ?? []).length, 1, 'exactly one session is marked current');
  assert.match(list.body, /Chrome（Windows） <strong class="tag-current">当前设备/);
  assert.ok(list.body.includes('Safari（iOS）'));
  const currentRow = list.body.split('<tr').find((r) => r.includes('tag-current'))!;
  const current = sessionIds(currentRow)[0]!;
  const otherId = ids.find((id) => id !== current)!;

  // another account's session, or one that does not exist: not found, shown on the page
  const stranger = await createTestPerson(t.database.db);
  const strangerSession = sessionIds((await (await signedIn(stranger.mobile)).get('/me/sessions')).body)[0]!;
  const notMine = await desk.post(`/me/sessions/${strangerSession}/revoke`, { _csrf: formCsrf(list.body, `/me/sessions/${otherId}/revoke`) });
  assert.equal(notMine.statusCode, 404);
  assert.ok(notMine.body.includes('未找到该会话'));
  const bad = await desk.post('/me/sessions/not-a-uuid/revoke', { _csrf: formCsrf(list.body, `/me/sessions/${otherId}/revoke`) });
  assert.equal(bad.statusCode, 400);

  const revoked = await desk.post(`/me/sessions/${otherId}/revoke`, { _csrf: formCsrf(list.body, `/me/sessions/${otherId}/revoke`) });
  assert.equal(revoked.statusCode, 303);
  assert.equal(revoked.headers.location, '/me/sessions?revoked=1');
  assert.equal((await phone.get('/me')).statusCode, 303, 'the phone is signed out');
  const after = await desk.get('/me/sessions?revoked=1');
  assert.ok(after.body.includes('已注销该会话'));
  assert.deepEqual(sessionIds(after.body), [current]);

  const self = await desk.post(`/me/sessions/${current}/revoke`, { _csrf: formCsrf(after.body, `/me/sessions/${current}/revoke`) });
  assert.equal(self.statusCode, 303);
  assert.equal(self.headers.location, '/');
  assert.ok(!desk.cookies.has('yw_session'), 'the cookie is cleared');
  const gone = await desk.get('/me/sessions');
  assert.equal(gone.statusCode, 303);
  assert.equal(gone.headers.location, '/login?back=%2Fme%2Fsessions');
});

test('my access log: who read my record and why, and what was done on my behalf — nobody else’s', async () => {
  const db = t.database.db;
  const p = await createTestPerson(db, { name: '钱塘江' });
  const someoneElse = await createTestPerson(db);
  const agent = await createTestPerson(db, { name: '钱小宝' });
  const dept = await findDepartment(db, { regionCode: '330106' });
  const clerk = await createTestStaff(db, { staffNo: 'XH7788', name: '孙受理', departmentId: dept.id, roles: [{ role: 'window_clerk' }] });
  const from = { ip: '10.1.2.3', userAgent: 'test', requestId: 'req-1' };

  await recordAuditEventAlone(db, {
    action: 'person.record_accessed',
    actor: { type: 'staff', id: clerk.id, departmentId: dept.id, regionCode: '330106', ...from },
    target: { type: 'person', id: p.id },
    details: { purpose: '办理最低生活保障资格复核' },
  });
  await recordAuditEventAlone(db, {
    action: 'delegation.acting_started',
    actor: { type: 'citizen', id: agent.id, onBehalfOf: `person:${p.id}`, ...from },
    target: { type: 'delegation', id: '00000000-0000-4000-8000-000000000001' },
  });
  await recordAuditEventAlone(db, {
    action: 'person.record_accessed',
    actor: { type: 'staff', id: clerk.id, departmentId: dept.id, ...from },
    target: { type: 'person', id: someoneElse.id },
    details: { purpose: '别人的事由' },
  });

  const v = await signedIn(p.mobile);
  const page = await v.get('/me/access-log');
  assert.equal(page.statusCode, 200);
  assert.equal(page.headers['cache-control'], 'no-store');
  const rows = page.body.split('<tbody>')[1]!.split('</tbody>')[0]!.split('<tr>').slice(1);
  assert.equal(rows.length, 2, 'my two events, not the other person’s');
  assert.ok(!page.body.includes('别人的事由'));
  // newest first: the agent's, then the clerk's
  assert.ok(rows[0]!.includes('钱小宝') && rows[0]!.includes('代办人') && rows[0]!.includes('开始代办'));
  assert.ok(rows[1]!.includes('孙受理') && rows[1]!.includes(dept.name) && rows[1]!.includes('查阅个人档案') && rows[1]!.includes('办理最低生活保障资格复核'));
  assert.ok(!page.body.includes('XH7788'), 'never the accessor’s staff number');
  assert.ok(!page.body.includes(agent.idNumber) && !page.body.includes(agent.mobile), 'never the agent’s personal numbers');
  assert.ok(!page.body.includes('10.1.2.3'));

  // paginated: 20 a page
  for (let i = 0; i < 20; i++) {
    await recordAuditEventAlone(db, {
      action: 'person.record_accessed',
      actor: { type: 'staff', id: clerk.id, departmentId: dept.id, ...from },
      target: { type: 'person', id: p.id },
      details: { purpose: `核验材料 ${i}` },
    });
  }
  const first = await v.get('/me/access-log');
  assert.ok(first.body.includes('共 22 条'));
  assert.ok(first.body.includes('href="/me/access-log?page=2"'));
  const second = await v.get('/me/access-log?page=2');
  assert.equal(second.body.split('<tbody>')[1]!.split('</tbody>')[0]!.split('<tr>').length - 1, 2);
  assert.ok(second.body.includes('办理最低生活保障资格复核'));
  assert.equal((await v.get('/me/access-log?page=0')).statusCode, 400);

  // a person only: staff get 403, visitors are sent to sign in
  const staff = await signedIn('XH7788', 'staff');
  assert.equal((await staff.get('/me/access-log')).statusCode, 403);
  const anon = await t.app.inject({ url: '/me/access-log' });
  assert.equal(anon.statusCode, 303);
  assert.equal(anon.headers.location, '/login?back=%2Fme%2Faccess-log');
});

test('the development inbox lists the latest messages, with a warning, and is absent when switched off', async () => {
  await t.ctx.messages.send({ channel: 'sms', to: '13500001111', text: '【一网】测试消息 <b>不是标记</b>' });
  const page = await t.app.inject({ url: '/dev/inbox' });
  assert.equal(page.statusCode, 200);
  assert.ok(page.body.includes('仅用于开发和测试'));
  assert.ok(page.body.includes('13500001111'));
  assert.ok(page.body.includes('&lt;b&gt;不是标记&lt;/b&gt;'), 'message text is escaped');
  t.ctx.config.devInbox = false;
  try {
    const off = await t.app.inject({ url: '/dev/inbox' });
    assert.equal(off.statusCode, 404);
    assert.ok(!off.body.includes('13500001111'));
  } finally {
    t.ctx.config.devInbox = true;
  }
});
