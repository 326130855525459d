/**
 * The boundaries of staff administration, guide drafts and audit search, through the API, on PGlite and on
 * PostgreSQL: a role reaches its department (and, with 含下级, the same kind of department below) and nothing
 * else; administrators cannot reach past their scope, grant what they do not hold or grant themselves; a
 * disabled account's sessions end at once; audit search shows only in-scope events; a machine client's draft
 * scopes hold for its own department only. Refusals are 403 and recorded; bad input is 400, never 500.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, type TestApp } from '../../testing/test-app.ts';
import { FIXTURE_ITEMS, FIXTURE_REGIONS } from '../../testing/fixture-items.ts';
import { createTestPerson, createTestStaff, findDepartment, signInForTest, TEST_PASSWORD, type TestSession } from '../../testing/fixture-accounts.ts';
import { createItemVersion } from '../catalogue/create-item-version.ts';
import { verifyAuditChain } from '../audit/verify-audit-chain.ts';
import { randomToken, sha256Hex } from '../../shared/tokens.ts';

type Dept = { id: number; creditCode: string; name: string };

let t: TestApp;
const d: Record<string, Dept> = {};
const s: Record<string, TestSession> = {};
const ids: Record<string, string> = {};
const items: Record<string, string> = {}; // impl item code by department key

async function itemOf(dept: Dept): Promise<string> {
  const r = await t.database.db.selectFrom('impl_items').select('code').where('department_id', '=', dept.id).orderBy('code').executeTakeFirstOrThrow();
  return r.code;
}

async function call(session: TestSession | null, method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: unknown) {
  const res = await t.app.inject({ method, url, headers: session?.headers ?? {}, ...(payload === undefined ? {} : { payload: payload as object }) });
  const json = String(res.headers['content-type']).includes('json') && res.body ? res.json() : undefined;
  return { status: res.statusCode, body: json, res };
}

async function denials(target: string): Promise<number> {
  const r = await t.database.db.selectFrom('audit_events').select((eb) => eb.fn.countAll<string>().as('n')).where('action', '=', 'access.denied').where('target_id', '=', target).executeTakeFirstOrThrow();
  return Number(r.n);
}

before(async () => {
  t = await createTestApp(FIXTURE_ITEMS, FIXTURE_REGIONS);
  const db = t.database.db;
  const at = (regionCode: string, kind: string) => findDepartment(db, { regionCode, kind });
  d.civXH = await at('330106', 'civil_affairs'); // 杭州市西湖区民政局
  d.civTL = await at('330122', 'civil_affairs'); // 桐庐县民政局
  d.civLC = await at('330302', 'civil_affairs'); // 温州市鹿城区民政局
  d.civHZ = await at('330100', 'civil_affairs'); // 杭州市民政局
  d.psHZ = await at('330100', 'public_security');
  d.psXH = await at('330106', 'public_security');
  d.psLC = await at('330302', 'public_security');
  d.mrXH = await at('330106', 'market_regulation');
  d.mrHZ = await at('330100', 'market_regulation');
  d.province = await at('330000', 'civil_affairs');
  d.wzCity = await at('330300', 'civil_affairs');
  for (const k of ['civXH', 'civTL', 'civLC', 'psHZ', 'psXH', 'psLC', 'mrXH']) items[k] = await itemOf(d[k]!);

  const staff: [string, string, keyof typeof d, Parameters<typeof createTestStaff>[1]['roles']][] = [
    ['clerkXH', 'SCLK01', 'civXH', [{ role: 'window_clerk' }]],
    ['adminXH', 'SADM01', 'civXH', [{ role: 'department_admin' }]],
    ['adminTL', 'SADM02', 'civTL', [{ role: 'department_admin' }]],
    ['cityAdminCiv', 'SADM03', 'civHZ', [{ role: 'department_admin', includeLowerLevels: true }]],
    ['cityClerkPS', 'SCLK02', 'psHZ', [{ role: 'window_clerk', includeLowerLevels: true }]],
    ['cityClerkPSOwn', 'SCLK03', 'psHZ', [{ role: 'window_clerk' }]],
    ['platform', 'SPLT01', 'province', [{ role: 'platform_admin' }]],
    ['wzPlatform', 'SPLT02', 'wzCity', [{ role: 'platform_admin' }]],
  ];
  for (const [key, staffNo, dept, roles] of staff) {
    ids[key] = (await createTestStaff(db, { staffNo, departmentId: d[dept]!.id, roles, name: `${key}员` })).id;
    s[key] = await signInForTest(t.app, { kind: 'staff', identifier: staffNo });
  }
  const p = await createTestPerson(db);
  s.person = await signInForTest(t.app, { kind: 'person', identifier: p.mobile });
});

after(async () => {
  await t?.close();
});

describe('guide drafts', () => {
  test('a clerk reads their own department’s draft, and no other department’s or region’s', async () => {
    const own = items.civXH!;
    assert.equal((await call(s.clerkXH!, 'GET', `/api/v1/admin/items/${own}/draft`)).status, 404, 'no open draft yet');
    const created = await call(s.adminXH!, 'POST', `/api/v1/admin/items/${own}/versions`, { changes: { promisedDays: 0, address: '西湖区民政局婚姻登记处一楼' }, changeNote: '调整办理地点' });
    assert.equal(created.status, 201, created.res.body);
    assert.equal(created.body.version, 2);
    const read = await call(s.clerkXH!, 'GET', `/api/v1/admin/items/${own}/draft`);
    assert.equal(read.status, 200);
    assert.equal(read.body.version, 2);
    assert.equal(read.body.status, 'draft');
    assert.equal(read.body.address, '西湖区民政局婚姻登记处一楼');
    assert.equal(read.body.changeNote, '调整办理地点');

    await createItemVersion(t.database.db, { code: items.civTL!, changes: { address: '桐庐县新地址' }, changeNote: '桐庐草稿', actor: { type: 'system', id: 'test' } });
    for (const other of [items.civTL!, items.civLC!, items.psXH!]) {
      const before = await denials(other);
      const res = await call(s.clerkXH!, 'GET', `/api/v1/admin/items/${other}/draft`);
      assert.equal(res.status, 403, other);
      assert.equal(res.body.error.code, 'FORBIDDEN');
      assert.equal(await denials(other), before + 1, 'the refusal is in the audit log');
    }
    // a clerk reads drafts but neither writes nor publishes them; the attempt is recorded
    const before = await denials(own);
    assert.equal((await call(s.clerkXH!, 'POST', `/api/v1/admin/items/${own}/versions/2/publish`)).status, 403);
    assert.equal((await call(s.clerkXH!, 'POST', `/api/v1/admin/items/${own}/versions`, { changes: { promisedDays: 0 }, changeNote: '窗口改' })).status, 403);
    assert.equal(await denials(own), before + 2);
    assert.equal((await call(s.platform!, 'GET', `/api/v1/admin/items/${own}/draft`)).status, 403, 'a platform administrator holds no draft permission');
  });

  test('a department administrator edits and publishes only their department’s items', async () => {
    const own = items.civXH!;
    const other = items.civTL!;
    const before = await denials(other);
    const refused = await call(s.adminXH!, 'POST', `/api/v1/admin/items/${other}/versions/2/publish`);
    assert.equal(refused.status, 403);
    assert.equal(await denials(other), before + 1);
    const draftTL = await t.database.db.selectFrom('impl_item_versions').select('status').where('item_code', '=', other).where('version', '=', 2).executeTakeFirstOrThrow();
    assert.equal(draftTL.status, 'draft', 'nothing was published');
    const twice = await call(s.adminXH!, 'POST', `/api/v1/admin/items/${own}/versions`, { changes: { promisedDays: 0 }, changeNote: '再开一个' });
    assert.equal(twice.status, 409, 'one open draft at a time');

    const published = await call(s.adminXH!, 'POST', `/api/v1/admin/items/${own}/versions/2/publish`);
    assert.equal(published.status, 200, published.res.body);
    const guide = await call(null, 'GET', `/api/v1/items/${own}`);
    assert.equal(guide.body.version, 2);
    assert.equal(guide.body.address, '西湖区民政局婚姻登记处一楼');
    assert.equal((await call(s.clerkXH!, 'GET', `/api/v1/admin/items/${own}/draft`)).status, 404);
    const events = await t.database.db
      .selectFrom('audit_events')
      .select(['action', 'actor_id'])
      .where('target_id', '=', own)
      .where('action', 'in', ['catalogue.item_version.created', 'catalogue.item_version.published'])
      .orderBy('seq')
      .execute();
    assert.deepEqual(events.map((e) => [e.action, e.actor_id]), [
      ['catalogue.item_version.created', ids.adminXH],
      ['catalogue.item_version.published', ids.adminXH],
    ]);
  });

  test('含下级 reaches the same kind of department in the regions below, not another kind or another city', async () => {
    for (const k of ['psHZ', 'psXH', 'psLC', 'mrXH']) {
      await createItemVersion(t.database.db, { code: items[k]!, changes: { promised_days: 1 }, changeNote: `${k} 草稿`, actor: { type: 'system', id: 'test' } });
    }
    const lower = async (k: string) => (await call(s.cityClerkPS!, 'GET', `/api/v1/admin/items/${items[k]}/draft`)).status;
    assert.equal(await lower('psHZ'), 200, 'own city department');
    assert.equal(await lower('psXH'), 200, 'the same kind in a county below');
    assert.equal(await lower('psLC'), 403, 'the same kind in another city');
    assert.equal(await lower('mrXH'), 403, 'another kind below');
    const own = async (k: string) => (await call(s.cityClerkPSOwn!, 'GET', `/api/v1/admin/items/${items[k]}/draft`)).status;
    assert.equal(await own('psHZ'), 200);
    assert.equal(await own('psXH'), 403, 'without 含下级 the county below is out of reach');
  });

  test('the workbench list holds only the items in scope', async () => {
    const clerk = await call(s.clerkXH!, 'GET', '/api/v1/admin/items');
    assert.equal(clerk.status, 200);
    assert.deepEqual(clerk.body.items.map((i: { code: string }) => i.code), [items.civXH]);
    const city = await call(s.cityClerkPS!, 'GET', '/api/v1/admin/items?size=100');
    const codes = city.body.items.map((i: { code: string }) => i.code);
    assert.ok(codes.includes(items.psHZ) && codes.includes(items.psXH));
    assert.ok(!codes.includes(items.psLC) && !codes.includes(items.mrXH) && !codes.includes(items.civXH));
    assert.equal((await call(s.person!, 'GET', '/api/v1/admin/items')).status, 403);
    assert.equal((await call(null, 'GET', '/api/v1/admin/items')).status, 401);
  });

  test('bad input is 400 naming the field, never 500, and writes nothing', async () => {
    const own = items.civXH!;
    const versionsBefore = await t.database.db.selectFrom('impl_item_versions').select('version').where('item_code', '=', own).execute();
    const cases: [string, string, unknown, string][] = [
      ['GET', '/api/v1/admin/items/abc/draft', undefined, 'code'],
      ['GET', `/api/v1/admin/items/${'A'.repeat(37)}/draft`, undefined, 'code'],
      ['POST', `/api/v1/admin/items/${own}/versions/x/publish`, undefined, 'version'],
      ['POST', `/api/v1/admin/items/${own}/versions/0/publish`, undefined, 'version'],
      ['POST', `/api/v1/admin/items/${own}/versions`, { changes: { promisedDays: 1 }, changeNote: '说'.repeat(201) }, 'changeNote'],
      ['POST', `/api/v1/admin/items/${own}/versions`, { changes: { promisedDays: 1 }, changeNote: '' }, 'changeNote'],
      ['POST', `/api/v1/admin/items/${own}/versions`, { changes: { promisedDays: -1 }, changeNote: '改' }, 'changes.promisedDays'],
      ['POST', `/api/v1/admin/items/${own}/versions`, { changes: { colour: 'red' }, changeNote: '改' }, 'colour'],
      ['POST', `/api/v1/admin/items/${own}/versions`, { changes: { address: '址'.repeat(201) }, changeNote: '改' }, 'changes.address'],
      ['POST', `/api/v1/admin/items/${own}/versions`, { changes: {}, changeNote: '改' }, 'changes'],
      ['POST', `/api/v1/admin/items/${own}/versions`, { changes: { address: '   ' }, changeNote: '改' }, 'address'],
      ['POST', `/api/v1/admin/items/${own}/versions`, { changes: { consultPhone: '请拨打' }, changeNote: '改' }, 'consultPhone'],
      // 承诺 beyond 法定 (0 days: 即办 here)
      ['POST', `/api/v1/admin/items/${own}/versions`, { changes: { promisedDays: 3, legalDays: 2 }, changeNote: '改' }, 'promisedDays'],
    ];
    for (const [method, url, payload, field] of cases) {
      const r = await call(s.adminXH!, method as 'GET', url, payload);
      assert.equal(r.status, 400, `${url} ${JSON.stringify(payload)}: ${r.res.body}`);
      assert.equal(r.body.error.code, 'INVALID_PARAMETER');
      assert.equal(r.body.error.field, field, url);
      assert.match(r.body.error.message, /[\u4e00-\u9fff]/);
    }
    assert.equal((await call(s.adminXH!, 'GET', `/api/v1/admin/items/${own.slice(0, 30)}99/draft`)).status, 404);
    const versionsAfter = await t.database.db.selectFrom('impl_item_versions').select('version').where('item_code', '=', own).execute();
    assert.equal(versionsAfter.length, versionsBefore.length);
  });
});

describe('machine clients', () => {
  async function clientToken(dept: Dept, scopes: string[]): Promise<TestSession> {
    const clientId = `c-${randomToken().slice(0, 12)}`;
    await t.database.db.insertInto('api_clients').values({ client_id: clientId, name: '测试接入应用', department_id: dept.id, scopes, secret_hash: sha256Hex('x'), created_by: 'test' }).execute();
    const token = randomToken();
    await t.database.db.insertInto('client_tokens').values({ token_hash: sha256Hex(token), client_id: clientId, scopes, expires_at: new Date(Date.now() + 3600_000) }).execute();
    const headers = { authorization: `Bearer ${token}` };
    return { cookie: '', csrfToken: '', headers };
  }

  test('a client with catalogue.draft.write works through the same routes, for its own department only', async () => {
    const writer = await clientToken(d.civXH!, ['catalogue.draft.read', 'catalogue.draft.write']);
    const own = items.civXH!;
    const created = await call(writer, 'POST', `/api/v1/admin/items/${own}/versions`, { changes: { officeHours: '工作日 9:00—17:00' }, changeNote: '接口同步办理时间' });
    assert.equal(created.status, 201, created.res.body);
    const draft = await call(writer, 'GET', `/api/v1/admin/items/${own}/draft`);
    assert.equal(draft.body.officeHours, '工作日 9:00—17:00');
    assert.match(draft.body.createdBy, /^c-/);
    const pub = await call(writer, 'POST', `/api/v1/admin/items/${own}/versions/${created.body.version}/publish`);
    assert.equal(pub.status, 200, pub.res.body);

    const other = items.civTL!;
    const before = await denials(other);
    assert.equal((await call(writer, 'GET', `/api/v1/admin/items/${other}/draft`)).status, 403);
    assert.equal((await call(writer, 'POST', `/api/v1/admin/items/${other}/versions`, { changes: { promisedDays: 0 }, changeNote: 'x' })).status, 403);
    assert.equal(await denials(other), before + 2);
    const denied = await t.database.db.selectFrom('audit_events').select(['actor_type', 'outcome']).where('action', '=', 'access.denied').where('target_id', '=', other).orderBy('seq', 'desc').executeTakeFirstOrThrow();
    assert.deepEqual(denied, { actor_type: 'client', outcome: 'denied' });

    const reader = await clientToken(d.civXH!, ['catalogue.draft.read']);
    assert.equal((await call(reader, 'POST', `/api/v1/admin/items/${own}/versions`, { changes: { promisedDays: 0 }, changeNote: 'x' })).status, 403, 'read scope does not write');
    // a client never manages staff, whatever it holds
    assert.equal((await call(writer, 'GET', '/api/v1/admin/staff')).status, 403);
  });
});

describe('staff administration', () => {
  const newStaff = (o: Record<string, string>) => ({ staffNo: 'snew01', name: '张新', mobile: '13700000001', department: d.civXH!.creditCode, password: 'Xihu#2026ok', ...o });

  test('a department administrator creates staff in their department, who can then sign in', async () => {
    const r = await call(s.adminXH!, 'POST', '/api/v1/admin/staff', newStaff({}));
    assert.equal(r.status, 201, r.res.body);
    assert.equal(r.body.staffNo, 'SNEW01', 'stored in capitals');
    ids.newXH = r.body.id;
    const signed = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { kind: 'staff', identifier: 'snew01', password: 'Xihu#2026ok' } });
    assert.equal(signed.statusCode, 200);
    const dup = await call(s.adminXH!, 'POST', '/api/v1/admin/staff', newStaff({ staffNo: 'SNEW01', mobile: '13700000002' }));
    assert.equal(dup.status, 409);
    assert.equal(dup.body.error.field, 'staffNo');
    const ev = await t.database.db.selectFrom('audit_events').select(['actor_id', 'department_id']).where('action', '=', 'staff.created').where('target_id', '=', ids.newXH!).executeTakeFirstOrThrow();
    assert.deepEqual(ev, { actor_id: ids.adminXH, department_id: d.civXH!.id });
  });

  test('nor in another department or region; nothing is written', async () => {
    const count = async () => Number((await t.database.db.selectFrom('accounts').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);
    const before = await count();
    for (const dept of [d.civTL!, d.psXH!, d.civHZ!]) {
      const r = await call(s.adminXH!, 'POST', '/api/v1/admin/staff', newStaff({ staffNo: 'SOUT01', department: dept.creditCode }));
      assert.equal(r.status, 403, dept.name);
      assert.equal(await denials(dept.creditCode) > 0, true);
    }
    assert.equal(await count(), before);
    // 含下级 reaches the same kind below, not another kind
    assert.equal((await call(s.cityAdminCiv!, 'POST', '/api/v1/admin/staff', newStaff({ staffNo: 'SLOW01', mobile: '13700000003', department: d.civTL!.creditCode }))).status, 201);
    assert.equal((await call(s.cityAdminCiv!, 'POST', '/api/v1/admin/staff', newStaff({ staffNo: 'SLOW02', department: d.psXH!.creditCode }))).status, 403);
    assert.equal((await call(s.cityAdminCiv!, 'POST', '/api/v1/admin/staff', newStaff({ staffNo: 'SLOW03', department: d.civLC!.creditCode }))).status, 403);
    assert.equal((await call(s.clerkXH!, 'POST', '/api/v1/admin/staff', newStaff({ staffNo: 'SCLK09' }))).status, 403, 'a clerk manages nobody');
  });

  test('roles: only grantable ones, only in scope, never to oneself, no duplicates', async () => {
    const url = `/api/v1/admin/staff/${ids.newXH}/roles`;
    const granted = await call(s.adminXH!, 'POST', url, { role: 'window_clerk' });
    assert.equal(granted.status, 201, granted.res.body);
    assert.equal((await call(s.adminXH!, 'POST', url, { role: 'window_clerk' })).status, 409);
    assert.equal((await call(s.adminXH!, 'POST', url, { role: 'platform_admin' })).status, 403, 'a department administrator never grants 平台管理员');
    assert.equal((await call(s.adminXH!, 'POST', url, { role: 'reviewer', department: d.civTL!.creditCode })).status, 403, 'not in another department');
    assert.equal((await call(s.adminXH!, 'POST', url, { role: 'reviewer', includeLowerLevels: true })).status, 403, '含下级 needs 含下级');
    assert.equal((await call(s.adminXH!, 'POST', `/api/v1/admin/staff/${ids.adminXH}/roles`, { role: 'reviewer' })).status, 403, 'not to oneself');
    assert.equal((await call(s.adminXH!, 'POST', `/api/v1/admin/staff/${ids.adminTL}/roles`, { role: 'reviewer' })).status, 403, 'not to staff of another department');
    assert.equal((await call(s.adminTL!, 'POST', url, { role: 'reviewer' })).status, 403);
    assert.equal((await call(s.cityAdminCiv!, 'POST', url, { role: 'reviewer', includeLowerLevels: true })).status, 201, 'an administrator with 含下级 may give it');
    assert.equal((await call(s.platform!, 'POST', url, { role: 'platform_admin', department: d.civXH!.creditCode })).status, 201, 'a platform administrator may');
    assert.equal((await call(s.platform!, 'POST', `/api/v1/admin/staff/${ids.platform}/roles`, { role: 'department_admin' })).status, 403, 'not even a platform administrator grants themself');

    const detail = await call(s.adminXH!, 'GET', `/api/v1/admin/staff/${ids.newXH}`);
    assert.deepEqual(detail.body.roles.map((r: { role: string; includeLowerLevels: boolean }) => [r.role, r.includeLowerLevels]), [
      ['window_clerk', false],
      ['reviewer', true],
      ['platform_admin', false],
    ]);
    const clerkRole = detail.body.roles.find((r: { role: string }) => r.role === 'window_clerk').id;
    const platformRole = detail.body.roles.find((r: { role: string }) => r.role === 'platform_admin').id;
    assert.equal((await call(s.adminXH!, 'DELETE', `/api/v1/admin/staff/${ids.newXH}/roles/${platformRole}`)).status, 403, 'cannot take away what one cannot give');
    assert.equal((await call(s.adminXH!, 'PUT', `/api/v1/admin/staff/${ids.newXH}/status`, { status: 'disabled' })).status, 403, 'nor disable who holds it');
    assert.equal((await call(s.platform!, 'DELETE', `/api/v1/admin/staff/${ids.newXH}/roles/${platformRole}`)).status, 204);
    assert.equal((await call(s.adminXH!, 'DELETE', `/api/v1/admin/staff/${ids.newXH}/roles/${clerkRole}`)).status, 204);
    assert.equal((await call(s.adminXH!, 'DELETE', `/api/v1/admin/staff/${ids.newXH}/roles/${clerkRole}`)).status, 404);
    const actions = await t.database.db.selectFrom('audit_events').select('action').where('target_id', '=', ids.newXH!).where('action', 'like', 'staff.role_%').orderBy('seq').execute();
    assert.deepEqual(actions.map((a) => a.action), ['staff.role_granted', 'staff.role_granted', 'staff.role_granted', 'staff.role_revoked', 'staff.role_revoked']);
  });

  test('the staff list holds only departments in scope', async () => {
    const names = async (session: TestSession, q = '') => {
      const r = await call(session, 'GET', `/api/v1/admin/staff?size=100${q}`);
      assert.equal(r.status, 200, r.res.body);
      return r.body.staff.map((x: { staffNo: string }) => x.staffNo).sort();
    };
    assert.deepEqual(await names(s.adminXH!), ['SADM01', 'SCLK01', 'SNEW01']);
    assert.deepEqual(await names(s.cityAdminCiv!), ['SADM01', 'SADM02', 'SADM03', 'SCLK01', 'SLOW01', 'SNEW01']);
    assert.deepEqual(await names(s.adminXH!, `&name=${encodeURIComponent('张')}`), ['SNEW01']);
    assert.deepEqual(await names(s.cityAdminCiv!, `&department=${d.civTL!.creditCode}`), ['SADM02', 'SLOW01']);
    assert.deepEqual(await names(s.adminXH!, `&department=${d.civTL!.creditCode}`), [], 'a filter never widens the scope');
    const one = (await call(s.adminXH!, 'GET', `/api/v1/admin/staff?name=SNEW01`)).body.staff[0];
    assert.equal(one.mobile, '137****0001', 'mobile masked');
    assert.equal((await call(s.adminXH!, 'GET', `/api/v1/admin/staff/${ids.adminTL}`)).status, 403);
    assert.equal((await call(s.clerkXH!, 'GET', '/api/v1/admin/staff')).status, 403);
  });

  test('disabling ends the staff member’s sessions at once; enabling lets them back', async () => {
    const victim = await signInForTest(t.app, { kind: 'staff', identifier: 'SNEW01', password: 'Xihu#2026ok' });
    assert.equal((await call(victim, 'GET', '/api/v1/me')).status, 200);
    assert.equal((await call(s.adminXH!, 'PUT', `/api/v1/admin/staff/${ids.adminXH}/status`, { status: 'disabled' })).status, 403, 'not oneself');
    assert.equal((await call(s.adminTL!, 'PUT', `/api/v1/admin/staff/${ids.newXH}/status`, { status: 'disabled' })).status, 403, 'not another department');
    // they still hold 审核（含下级）, given by the city's administrator: only someone who could give it may disable them
    assert.equal((await call(s.adminXH!, 'PUT', `/api/v1/admin/staff/${ids.newXH}/status`, { status: 'disabled' })).status, 403);
    const off = await call(s.cityAdminCiv!, 'PUT', `/api/v1/admin/staff/${ids.newXH}/status`, { status: 'disabled' });
    assert.equal(off.status, 200, off.res.body);
    assert.ok(off.body.sessionsEnded >= 2);
    assert.equal((await call(victim, 'GET', '/api/v1/me')).status, 401, 'the session is gone');
    const live = await t.database.db.selectFrom('sessions').select('id').where('account_id', '=', ids.newXH!).where('revoked_at', 'is', null).execute();
    assert.equal(live.length, 0);
    const again = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { kind: 'staff', identifier: 'SNEW01', password: 'Xihu#2026ok' } });
    assert.equal(again.statusCode, 401);
    assert.equal((await call(s.cityAdminCiv!, 'PUT', `/api/v1/admin/staff/${ids.newXH}/status`, { status: 'disabled' })).status, 409);
    assert.equal((await call(s.cityAdminCiv!, 'PUT', `/api/v1/admin/staff/${ids.newXH}/status`, { status: 'active' })).status, 200);
    await signInForTest(t.app, { kind: 'staff', identifier: 'SNEW01', password: 'Xihu#2026ok' });
  });

  test('bad input is 400 naming the field, never 500', async () => {
    const cases: [string, string, unknown, string][] = [
      ['POST', '/api/v1/admin/staff', newStaff({ staffNo: 'ab' }), 'staffNo'],
      ['POST', '/api/v1/admin/staff', newStaff({ staffNo: 'A'.repeat(41) }), 'staffNo'],
      ['POST', '/api/v1/admin/staff', newStaff({ staffNo: 'AB-123' }), 'staffNo'],
      ['POST', '/api/v1/admin/staff', newStaff({ staffNo: 'SBAD01', name: 'x' }), 'name'],
      ['POST', '/api/v1/admin/staff', newStaff({ staffNo: 'SBAD01', name: '名'.repeat(61) }), 'name'],
      ['POST', '/api/v1/admin/staff', newStaff({ staffNo: 'SBAD01', mobile: '12345' }), 'mobile'],
      ['POST', '/api/v1/admin/staff', newStaff({ staffNo: 'SBAD01', department: '123' }), 'department'],
      ['POST', '/api/v1/admin/staff', newStaff({ staffNo: 'SBAD01', department: `${d.civXH!.creditCode.slice(0, 17)}${d.civXH!.creditCode.endsWith('1') ? '2' : '1'}` }), 'department'],
      ['POST', '/api/v1/admin/staff', newStaff({ staffNo: 'SBAD01', password: 'abcdefgh' }), 'password'],
      ['POST', '/api/v1/admin/staff', newStaff({ staffNo: 'SBAD01', password: 'Xihu#2026ok13700000001' }), 'password'],
      ['POST', '/api/v1/admin/staff', { ...newStaff({ staffNo: 'SBAD01' }), extra: 1 }, 'extra'],
      ['GET', '/api/v1/admin/staff/not-a-uuid', undefined, 'id'],
      ['GET', '/api/v1/admin/staff?size=101', undefined, 'size'],
      ['GET', '/api/v1/admin/staff?department=abc', undefined, 'department'],
      ['GET', `/api/v1/admin/staff?name=${'名'.repeat(31)}`, undefined, 'name'],
      ['POST', `/api/v1/admin/staff/${ids.newXH}/roles`, { role: 'emperor' }, 'role'],
      ['POST', `/api/v1/admin/staff/${ids.newXH}/roles`, { role: 'reviewer', department: 'x'.repeat(31) }, 'department'],
      ['POST', `/api/v1/admin/staff/${ids.newXH}/roles`, { role: 'reviewer', department: 'NOTACODE' }, 'department'],
      ['DELETE', `/api/v1/admin/staff/${ids.newXH}/roles/123`, undefined, 'roleId'],
      ['PUT', `/api/v1/admin/staff/${ids.newXH}/status`, { status: 'gone' }, 'status'],
    ];
    for (const [method, url, payload, field] of cases) {
      const r = await call(s.adminXH!, method as 'GET', url, payload);
      assert.equal(r.status, 400, `${method} ${url} ${JSON.stringify(payload)}: ${r.res.body}`);
      assert.equal(r.body.error.field, field, `${method} ${url} ${JSON.stringify(payload)}`);
      assert.match(r.body.error.message, /[\u4e00-\u9fff]/);
    }
    assert.equal((await call(s.adminXH!, 'GET', '/api/v1/admin/staff/00000000-0000-4000-8000-000000000000')).status, 404);
    assert.equal((await call(s.adminXH!, 'GET', `/api/v1/admin/staff/${ids.adminXH}`)).status, 200, 'one’s own record');
    // a person's account is not staff
    const person = await t.database.db.selectFrom('accounts').select('id').where('kind', '=', 'person').executeTakeFirstOrThrow();
    assert.equal((await call(s.platform!, 'GET', `/api/v1/admin/staff/${person.id}`)).status, 404);
  });
});

describe('audit search', () => {
  type Ev = { seq: number; action: string; actor: { id: string | null; name: string | null; type: string }; department: { id: number } | null; outcome: string };
  const search = async (session: TestSession, q = '') => {
    const r = await call(session, 'GET', `/api/v1/admin/audit-events?size=100${q}`);
    assert.equal(r.status, 200, r.res.body);
    return r.body as { total: number; events: Ev[] };
  };

  test('a department administrator sees only their department’s events', async () => {
    await call(s.adminTL!, 'POST', '/api/v1/admin/staff', newStaffIn(d.civTL!, 'STLX01'));
    const r = await search(s.adminXH!);
    assert.ok(r.total > 0);
    assert.ok(r.events.every((e) => e.department?.id === d.civXH!.id), 'only 西湖区民政局');
    assert.ok(r.events.some((e) => e.action === 'staff.created' && e.actor.id === ids.adminXH && e.actor.name === 'adminXH员'), 'actor names resolved');
    assert.ok(r.events.some((e) => e.action === 'access.denied' && e.outcome === 'denied'));
    assert.ok(!r.events.some((e) => e.actor.id === ids.adminTL), 'not 桐庐');
    assert.ok(!r.events.some((e) => e.actor.type === 'citizen'), 'not citizens');
  });

  test('with 含下级 the same kind below; a province platform administrator everything; a city one not citizens', async () => {
    const city = await search(s.cityAdminCiv!);
    const depts = new Set(city.events.map((e) => e.department?.id));
    assert.ok(depts.has(d.civXH!.id) && depts.has(d.civTL!.id));
    assert.ok(![...depts].some((x) => x === undefined || ![d.civXH!.id, d.civTL!.id, d.civHZ!.id].includes(x!)));

    const all = await call(s.platform!, 'GET', '/api/v1/admin/audit-events?size=100&action=auth.sign_in.succeeded');
    assert.ok(all.body.events.some((e: Ev) => e.actor.type === 'citizen'), 'citizens’ events');
    assert.ok(all.body.events.some((e: Ev) => e.department?.id === d.civTL!.id));
    const wz = await search(s.wzPlatform!);
    assert.ok(wz.events.every((e) => e.department !== null), 'no events without a department');
    assert.ok(!wz.events.some((e) => e.department?.id === d.civXH!.id));
    assert.equal((await call(s.clerkXH!, 'GET', '/api/v1/admin/audit-events')).status, 403);
    assert.equal((await call(s.person!, 'GET', '/api/v1/admin/audit-events')).status, 403);
  });

  test('filters: action, actor (id or staff number), target, outcome, dates; pages', async () => {
    const byAction = await search(s.adminXH!, '&action=staff.created');
    assert.ok(byAction.total > 0 && byAction.events.every((e) => e.action === 'staff.created'));
    const byNo = await search(s.adminXH!, '&actor=sadm01');
    const byId = await search(s.adminXH!, `&actor=${ids.adminXH}`);
    assert.ok(byNo.total > 0 && byNo.events.every((e) => e.actor.id === ids.adminXH));
    assert.equal(byNo.total, byId.total);
    const denied = await search(s.adminXH!, '&outcome=denied');
    assert.ok(denied.total > 0 && denied.events.every((e) => e.outcome === 'denied'));
    const target = await search(s.adminXH!, `&targetType=account&targetId=${ids.newXH}`);
    assert.ok(target.total >= 5);
    const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
    assert.equal((await search(s.adminXH!, `&from=${today}&to=${today}`)).total, (await search(s.adminXH!)).total);
    assert.equal((await search(s.adminXH!, '&to=2000-01-01')).total, 0);
    const p1 = await call(s.adminXH!, 'GET', '/api/v1/admin/audit-events?size=2&page=1');
    const p2 = await call(s.adminXH!, 'GET', '/api/v1/admin/audit-events?size=2&page=2');
    assert.equal(p1.body.events.length, 2);
    assert.ok(p1.body.events[1].seq > p2.body.events[0].seq, 'newest first, pages continue');
  });

  test('bad filters are 400 naming the field', async () => {
    const cases: [string, string][] = [
      ['?size=101', 'size'],
      ['?page=0', 'page'],
      ['?action=staff.exploded', 'action'],
      ['?outcome=maybe', 'outcome'],
      ['?from=2026-02-30', 'from'],
      ['?from=yesterday', 'from'],
      ['?from=2026-03-02&to=2026-03-01', 'to'],
      [`?actor=${'a'.repeat(65)}`, 'actor'],
      ["?actor=a'b", 'actor'],
      ['?targetType=Account', 'targetType'],
      [`?targetId=${'x'.repeat(101)}`, 'targetId'],
    ];
    for (const [q, field] of cases) {
      const r = await call(s.adminXH!, 'GET', `/api/v1/admin/audit-events${q}`);
      assert.equal(r.status, 400, `${q}: ${r.res.body}`);
      assert.equal(r.body.error.field, field, q);
    }
  });

  test('the audit chain is intact after all of it', async () => {
    assert.equal((await verifyAuditChain(t.database.db)).ok, true);
  });
});

function newStaffIn(dept: Dept, staffNo: string) {
  return { staffNo, name: '李桐', mobile: '13700000009', department: dept.creditCode, password: TEST_PASSWORD };
}
