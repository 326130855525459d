/**
 * 数据共享 over the JSON API: 无条件共享 granted at once with the exact terms; 有条件共享 pending with a
 * working-day due date, approved (narrowing allowed, widening refused) or refused (a reason required);
 * 不予共享 refused without a row; withdraw, revoke, duplicates, bad input, ids out of range; department scope
 * (a clerk, another department's steward, the requester approving its own request); the escalation job once
 * per overdue request and the platform's overdue list. PGlite and PostgreSQL.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import type { TestApp } from '../../testing/test-app.ts';
import { createTestApp } from '../../testing/test-app.ts';
import { FIXTURE_ITEMS, FIXTURE_REGIONS } from '../../testing/fixture-items.ts';
import { createTestStaff, findDepartment, signInForTest, type TestSession } from '../../testing/fixture-accounts.ts';
import { createTestResource, POPULATION_ITEMS } from '../../testing/fixture-data.ts';
import { chinaToday, getWorkingCalendar } from '../calendar/working-calendar.ts';
import { escalateOverdueRequests } from './escalate-overdue-requests.ts';

let t: TestApp;
let provider: TestSession; // 省公安厅 data_steward (reviews its resources)
let consumer: TestSession; // 省民政厅 data_steward (requests)
let consumerAdmin: TestSession; // 省民政厅 department_admin
let clerk: TestSession; // 省民政厅 window_clerk
let otherSteward: TestSession; // 省卫健委 data_steward
let platform: TestSession; // platform_admin
let psId = 0;
let caId = 0;
let healthId = 0;
let itemCode = '';
const res: Record<'open' | 'cond' | 'none' | 'cond2' | 'cond3' | 'draft', { id: number; code: string }> = {} as never;

const REQ = '/api/v1/staff/data/requests';
const GR = '/api/v1/staff/data/grants';

before(async () => {
  t = await createTestApp(FIXTURE_ITEMS, FIXTURE_REGIONS);
  const db = t.database.db;
  psId = (await findDepartment(db, { regionCode: '330000', kind: 'public_security' })).id;
  caId = (await findDepartment(db, { regionCode: '330000', kind: 'civil_affairs' })).id;
  healthId = (await findDepartment(db, { regionCode: '330000', kind: 'health' })).id;
  await createTestStaff(db, { staffNo: 'DS0001', departmentId: psId, roles: [{ role: 'data_steward' }] });
  await createTestStaff(db, { staffNo: 'DS0002', departmentId: caId, roles: [{ role: 'data_steward' }] });
  await createTestStaff(db, { staffNo: 'DS0003', departmentId: caId, roles: [{ role: 'department_admin' }] });
  await createTestStaff(db, { staffNo: 'DS0004', departmentId: caId, roles: [{ role: 'window_clerk' }] });
  await createTestStaff(db, { staffNo: 'DS0005', departmentId: healthId, roles: [{ role: 'data_steward' }] });
  await createTestStaff(db, { staffNo: 'DS0006', departmentId: caId, roles: [{ role: 'platform_admin' }] });
  provider = await signInForTest(t.app, { kind: 'staff', identifier: 'DS0001' });
  consumer = await signInForTest(t.app, { kind: 'staff', identifier: 'DS0002' });
  consumerAdmin = await signInForTest(t.app, { kind: 'staff', identifier: 'DS0003' });
  clerk = await signInForTest(t.app, { kind: 'staff', identifier: 'DS0004' });
  otherSteward = await signInForTest(t.app, { kind: 'staff', identifier: 'DS0005' });
  platform = await signInForTest(t.app, { kind: 'staff', identifier: 'DS0006' });
  res.open = await createTestResource(db, { providerDepartmentId: psId, shareType: 'unconditional', code: 'SH-OPEN' });
  res.cond = await createTestResource(db, { providerDepartmentId: psId, shareType: 'conditional', code: 'SH-COND' });
  res.cond2 = await createTestResource(db, { providerDepartmentId: psId, shareType: 'conditional', code: 'SH-COND2' });
  res.cond3 = await createTestResource(db, { providerDepartmentId: psId, shareType: 'conditional', code: 'SH-COND3' });
  res.none = await createTestResource(db, { providerDepartmentId: psId, shareType: 'none', code: 'SH-NONE' });
  res.draft = await createTestResource(db, { providerDepartmentId: psId, shareType: 'conditional', code: 'SH-DRAFT', status: 'draft' });
  await db.updateTable('data_resources').set({ share_conditions: '涉及国家秘密，依法不予共享' }).where('id', '=', res.none.id).execute();
  itemCode = (await db.selectFrom('impl_items').select('code').orderBy('code').executeTakeFirstOrThrow()).code;
  await db.insertInto('api_clients').values({ client_id: 'ca-marriage', name: '婚姻登记系统', department_id: caId, scopes: ['data.exchange.read'], secret_hash: 'x', created_by: 'test' }).execute();
  await db.insertInto('api_clients').values({ client_id: 'hw-system', name: '卫健系统', department_id: healthId, scopes: ['data.exchange.read'], secret_hash: 'x', created_by: 'test' }).execute();
});

after(async () => {
  await t?.close();
});

const get = (s: TestSession, url: string) => t.app.inject({ method: 'GET', url, headers: { cookie: s.cookie } });
const post = (s: TestSession, url: string, payload: object = {}) => t.app.inject({ method: 'POST', url, headers: s.headers, payload });

const base = (resource: string, o: Record<string, unknown> = {}) => ({
  resource,
  items: ['id_number', 'name', 'sex', 'region_code'],
  clearItems: ['name'],
  rowFilter: { region_code: ['330106', '330122'] },
  purpose: '办理婚姻登记时核验当事人户籍信息',
  legalBasis: '《婚姻登记条例》第七条',
  scenario: '婚姻登记窗口受理',
  itemCode,
  durationDays: 365,
  ratePerMinute: 300,
  ...o,
});

async function events(action: string, targetId: string) {
  return t.database.db.selectFrom('audit_events').select(['action', 'details', 'actor_type']).where('action', '=', action).where('target_id', '=', targetId).execute();
}
const count = async (table: 'share_requests' | 'share_grants') => Number((await t.database.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

test('无条件共享 is granted at once, with a grant of exactly the requested terms', async () => {
  const r = await post(consumer, REQ, base(res.open.code, { clientId: 'ca-marriage' }));
  assert.equal(r.statusCode, 201, r.body);
  const v = r.json();
  assert.equal(v.status, 'granted');
  assert.ok(v.grantId);
  const g = await t.database.db.selectFrom('share_grants').selectAll().where('id', '=', v.grantId).executeTakeFirstOrThrow();
  assert.deepEqual(g.items, ['id_number', 'name', 'sex', 'region_code']);
  assert.deepEqual(g.clear_items, ['name']);
  assert.deepEqual(g.row_filter, { region_code: ['330106', '330122'] });
  assert.equal(g.client_id, 'ca-marriage');
  assert.equal(g.consumer_department_id, caId);
  assert.equal(g.rate_per_minute, 300);
  assert.equal(g.item_code, itemCode);
  assert.equal(g.request_id, v.id);
  assert.equal(new Date(g.expires_at).getTime() - new Date(g.starts_at).getTime(), 365 * 86_400_000);
  const requested = await events('share.requested', String(v.id));
  assert.equal(requested.length, 1);
  assert.equal((requested[0]!.details as { granted: boolean }).granted, true);
  assert.equal((await events('share.granted', String(v.grantId))).length, 1);

  // the grant is listed for the consumer and the provider, not for another department
  const mine = (await get(consumer, `${GR}?role=consumer`)).json();
  assert.ok(mine.items.some((x: { id: number }) => x.id === v.grantId));
  const theirs = (await get(provider, `${GR}?role=provider`)).json();
  assert.ok(theirs.items.some((x: { id: number }) => x.id === v.grantId));
  assert.equal((await get(otherSteward, `${GR}?role=consumer`)).json().total, 0);
  assert.equal((await get(otherSteward, `${GR}/${v.grantId}`)).statusCode, 403);
  assert.equal((await get(consumer, `${GR}/${v.grantId}`)).json().state, 'active');
});

test('不予共享 cannot be requested: 409 naming the resource and its reason, and no row', async () => {
  const before = await count('share_requests');
  const r = await post(consumer, REQ, base(res.none.code));
  assert.equal(r.statusCode, 409);
  const e = r.json().error;
  assert.equal(e.field, 'resource');
  assert.match(e.message, /不予共享/);
  assert.match(e.message, /涉及国家秘密，依法不予共享/);
  assert.equal(await count('share_requests'), before);
  // a draft, an unknown code
  assert.equal((await post(consumer, REQ, base(res.draft.code))).statusCode, 409);
  const unknown = await post(consumer, REQ, base('NO-SUCH-CODE'));
  assert.equal(unknown.statusCode, 404);
  assert.equal(unknown.json().error.field, 'resource');
  assert.equal(await count('share_requests'), before);
});

test('bad terms are refused beside their fields, and nothing is written', async () => {
  const before = await count('share_requests');
  const cases: [Record<string, unknown>, string][] = [
    [{ items: [] }, 'items'],
    [{ items: ['id_number', 'no_such_item'] }, 'items'],
    [{ clearItems: ['sex'] }, 'clearItems'], // not personal
    [{ clearItems: ['address'] }, 'clearItems'], // not requested
    [{ rowFilter: { nowhere: ['1'] } }, 'rowFilter'],
    [{ rowFilter: { region_code: [] } }, 'rowFilter'],
    [{ purpose: ' ' }, 'purpose'],
    [{ legalBasis: 'x' }, 'legalBasis'],
    [{ scenario: '长'.repeat(501) }, 'scenario'],
    [{ itemCode: 'ZZZ999' }, 'itemCode'],
    [{ durationDays: 0 }, 'durationDays'],
    [{ durationDays: 1831 }, 'durationDays'],
    [{ ratePerMinute: 0 }, 'ratePerMinute'],
    [{ clientId: 'hw-system' }, 'clientId'], // another department's system
    [{ clientId: 'nobody' }, 'clientId'],
    [{ departmentId: 999_999 }, 'departmentId'],
  ];
  for (const [change, field] of cases) {
    const r = await post(consumer, REQ, base(res.cond2.code, change));
    assert.equal(r.statusCode, 400, `${JSON.stringify(change)}: ${r.body}`);
    const e = r.json().error;
    assert.ok(e.field === field || e.errors?.some((x: { field: string }) => x.field === field), `${JSON.stringify(change)} → ${field}: ${r.body}`);
  }
  assert.equal(await count('share_requests'), before);
});

test('有条件共享: pending with a working-day due date; the provider approves, narrowing but never widening', async () => {
  const cal = await getWorkingCalendar(t.database.db);
  const r = await post(consumer, REQ, base(res.cond.code, { clearItems: ['name', 'id_number'] }));
  assert.equal(r.statusCode, 201, r.body);
  const v = r.json();
  assert.equal(v.status, 'pending');
  assert.equal(v.grantId, null);
  const dueDay = cal.addWorkingDays(chinaToday(), t.ctx.config.shareAnswerDays);
  assert.equal(v.dueDay, dueDay);
  assert.equal(v.dueAt, new Date(`${dueDay}T23:59:59.999+08:00`).toISOString());
  assert.equal(cal.isWorkingDay(dueDay), true);
  assert.equal((await events('share.requested', String(v.id)))[0]?.details && ((await events('share.requested', String(v.id)))[0]!.details as { granted: boolean }).granted, false);

  // a second pending request for the same resource and department
  assert.equal((await post(consumerAdmin, REQ, base(res.cond.code))).statusCode, 409);

  // the provider's inbox has it; the consumer's list too
  const inbox = (await get(provider, `${REQ}?role=provider&status=pending`)).json();
  assert.ok(inbox.items.some((x: { id: number }) => x.id === v.id));
  assert.ok((await get(consumer, `${REQ}?role=consumer`)).json().items.some((x: { id: number }) => x.id === v.id));
  assert.equal((await get(otherSteward, `${REQ}?role=provider`)).json().total, 0);

  // scope: only the provider's reviewers decide
  assert.equal((await post(consumer, `${REQ}/${v.id}/approve`)).statusCode, 403, 'the requester cannot approve its own request');
  assert.equal((await post(otherSteward, `${REQ}/${v.id}/approve`)).statusCode, 403, "another department's steward cannot approve");
  assert.equal((await post(clerk, `${REQ}/${v.id}/approve`)).statusCode, 403, 'a clerk cannot approve');
  const denied = await t.database.db.selectFrom('audit_events').select('seq').where('action', '=', 'access.denied').where('target_id', '=', String(v.id)).execute();
  assert.ok(denied.length >= 2, 'refusals of a record outside scope are recorded');
  assert.equal((await get(otherSteward, `${REQ}/${v.id}`)).statusCode, 403);

  // widening: every term
  const widen: [Record<string, unknown>, string][] = [
    [{ items: ['id_number', 'name', 'sex', 'region_code', 'address'] }, 'items'],
    [{ clearItems: ['name', 'id_number', 'birth_date'] }, 'clearItems'],
    [{ rowFilter: {} }, 'rowFilter'],
    [{ rowFilter: { region_code: ['330106', '330302'] } }, 'rowFilter'],
    [{ durationDays: 366 }, 'durationDays'],
    [{ ratePerMinute: 301 }, 'ratePerMinute'],
  ];
  for (const [body, field] of widen) {
    const w = await post(provider, `${REQ}/${v.id}/approve`, body);
    assert.equal(w.statusCode, 400, `${JSON.stringify(body)}: ${w.body}`);
    const e = w.json().error;
    assert.ok(e.field === field || e.errors?.some((x: { field: string }) => x.field === field), `${JSON.stringify(body)}: ${w.body}`);
  }
  assert.equal((await get(consumer, `${REQ}/${v.id}`)).json().status, 'pending');

  // narrowing
  const ok = await post(provider, `${REQ}/${v.id}/approve`, {
    items: ['id_number', 'name', 'region_code'],
    clearItems: ['name'],
    rowFilter: { region_code: ['330106'], sex: ['女'] },
    durationDays: 90,
    ratePerMinute: 60,
    note: '仅限婚姻登记窗口',
  });
  assert.equal(ok.statusCode, 200, ok.body);
  const done = ok.json();
  assert.equal(done.status, 'granted');
  const g = await t.database.db.selectFrom('share_grants').selectAll().where('id', '=', done.grantId).executeTakeFirstOrThrow();
  assert.deepEqual(g.items, ['id_number', 'name', 'region_code']);
  assert.deepEqual(g.clear_items, ['name']);
  assert.deepEqual(g.row_filter, { region_code: ['330106'], sex: ['女'] });
  assert.equal(g.rate_per_minute, 60);
  assert.equal(g.client_id, null);
  assert.equal(new Date(g.expires_at).getTime() - new Date(g.starts_at).getTime(), 90 * 86_400_000);
  const granted = await events('share.granted', String(done.grantId));
  assert.equal(granted.length, 1);
  assert.equal((granted[0]!.details as { narrowed: boolean }).narrowed, true);

  // decided: no second answer, no withdrawal
  assert.equal((await post(provider, `${REQ}/${v.id}/approve`)).statusCode, 409);
  assert.equal((await post(provider, `${REQ}/${v.id}/refuse`, { reason: '重复答复' })).statusCode, 409);
  assert.equal((await post(consumer, `${REQ}/${v.id}/withdraw`)).statusCode, 409);

  const detail = (await get(consumer, `${REQ}/${v.id}`)).json();
  assert.equal(detail.grant.id, done.grantId);
  assert.deepEqual(
    detail.timeline.map((e: { label: string }) => e.label),
    ['提交申请', '同意共享'],
  );
  assert.equal(detail.actions.revoke, true);
  assert.equal(detail.actions.approve, false);
});

test('approving without changes grants the requested terms', async () => {
  const v = (await post(consumer, REQ, base(res.cond3.code))).json();
  const ok = await post(provider, `${REQ}/${v.id}/approve`);
  assert.equal(ok.statusCode, 200, ok.body);
  const g = await t.database.db.selectFrom('share_grants').selectAll().where('id', '=', ok.json().grantId).executeTakeFirstOrThrow();
  assert.deepEqual(g.items, ['id_number', 'name', 'sex', 'region_code']);
  assert.deepEqual(g.row_filter, { region_code: ['330106', '330122'] });
  assert.equal(g.rate_per_minute, 300);
});

test('a refusal needs a reason', async () => {
  const v = (await post(consumer, REQ, base(res.cond2.code))).json();
  for (const body of [{}, { reason: '' }, { reason: '否' }, { reason: '长'.repeat(501) }, { reason: '用途不符\ud800' } /* a lone surrogate */]) {
    const r = await post(provider, `${REQ}/${v.id}/refuse`, body);
    assert.equal(r.statusCode, 400, r.body);
    assert.equal(r.json().error.field, 'reason');
  }
  assert.equal((await post(otherSteward, `${REQ}/${v.id}/refuse`, { reason: '不属于本部门' })).statusCode, 403);
  const r = await post(provider, `${REQ}/${v.id}/refuse`, { reason: '申请的用途与所列事项无关' });
  assert.equal(r.statusCode, 200, r.body);
  assert.equal(r.json().status, 'refused');
  assert.equal(r.json().reason, '申请的用途与所列事项无关');
  assert.equal(r.json().grantId, null);
  const ev = await events('share.refused', String(v.id));
  assert.equal((ev[0]!.details as { reason: string }).reason, '申请的用途与所列事项无关');
  assert.equal((await post(provider, `${REQ}/${v.id}/refuse`, { reason: '再次答复' })).statusCode, 409);
});

test('the requester withdraws a pending request; no one else can', async () => {
  const v = (await post(consumer, REQ, base(res.cond2.code, { clientId: 'ca-marriage' }))).json();
  assert.equal(v.status, 'pending');
  assert.equal((await post(provider, `${REQ}/${v.id}/withdraw`)).statusCode, 403, 'the provider does not withdraw');
  assert.equal((await post(clerk, `${REQ}/${v.id}/withdraw`)).statusCode, 403);
  const r = await post(consumerAdmin, `${REQ}/${v.id}/withdraw`, { reason: '业务调整' });
  assert.equal(r.statusCode, 200, r.body);
  assert.equal(r.json().status, 'withdrawn');
  assert.equal((await events('share.withdrawn', String(v.id))).length, 1);
  assert.equal((await post(consumer, `${REQ}/${v.id}/withdraw`)).statusCode, 409);
  assert.equal((await post(provider, `${REQ}/${v.id}/approve`)).statusCode, 409);
});

test('a grant is revoked with a reason, by the provider or the consumer, and never comes back', async () => {
  const a = (await post(consumer, REQ, base(res.open.code, { clientId: null, items: ['sex'], clearItems: [], rowFilter: {} }))).json();
  const b = (await post(consumer, REQ, base(res.open.code, { clientId: null, items: ['sex'], clearItems: [], rowFilter: {}, purpose: '另一用途的申请' }))).json();
  assert.equal(a.status, 'granted');
  assert.equal(b.status, 'granted');
  assert.equal((await post(otherSteward, `${GR}/${a.grantId}/revoke`, { reason: '越权撤销' })).statusCode, 403);
  assert.equal((await post(clerk, `${GR}/${a.grantId}/revoke`, { reason: '越权撤销' })).statusCode, 403);
  const noReason = await post(provider, `${GR}/${a.grantId}/revoke`, {});
  assert.equal(noReason.statusCode, 400);
  assert.equal(noReason.json().error.field, 'reason');

  const r = await post(provider, `${GR}/${a.grantId}/revoke`, { reason: '发现超范围使用' });
  assert.equal(r.statusCode, 200, r.body);
  assert.equal(r.json().state, 'revoked');
  assert.equal(r.json().revision, 2);
  const row = await t.database.db.selectFrom('share_grants').selectAll().where('id', '=', a.grantId).executeTakeFirstOrThrow();
  assert.equal(row.status, 'revoked');
  assert.ok(row.revoked_at);
  assert.equal(row.revoke_reason, '发现超范围使用');
  assert.equal((await events('share.revoked', String(a.grantId))).length, 1);
  assert.equal((await post(consumer, `${GR}/${a.grantId}/revoke`, { reason: '再次撤销' })).statusCode, 409);

  const c = await post(consumer, `${GR}/${b.grantId}/revoke`, { reason: '业务已停止' });
  assert.equal(c.statusCode, 200, c.body);
  assert.equal(((await events('share.revoked', String(b.grantId)))[0]!.details as { by: string }).by, 'consumer');
  const revoked = (await get(consumer, `${GR}?role=consumer&state=revoked`)).json();
  assert.ok(revoked.items.some((x: { id: number }) => x.id === a.grantId));
});

test('ids: out of range is a 400, unknown a 404 — never a 500', async () => {
  for (const id of ['0', '-1', '2147483648', '99999999999999999999', 'abc', '1.5']) {
    assert.equal((await get(consumer, `${REQ}/${id}`)).statusCode, 400, id);
    assert.equal((await post(provider, `${REQ}/${id}/approve`)).statusCode, 400, id);
    assert.equal((await post(provider, `${GR}/${id}/revoke`, { reason: '测试理由' })).statusCode, 400, id);
  }
  assert.equal((await get(consumer, `${REQ}/2147483647`)).statusCode, 404);
  assert.equal((await post(provider, `${REQ}/2147483647/refuse`, { reason: '测试理由' })).statusCode, 404);
  assert.equal((await get(consumer, `${GR}/2147483647`)).statusCode, 404);
  assert.equal((await get(consumer, `${REQ}?role=nobody`)).statusCode, 400);
});

test('permissions: a clerk cannot request or list; nobody requests for another department; only the platform oversees', async () => {
  assert.equal((await post(clerk, REQ, base(res.cond3.code))).statusCode, 403);
  assert.equal((await get(clerk, `${REQ}?role=consumer`)).statusCode, 403);
  assert.equal((await get(clerk, `${GR}?role=provider`)).statusCode, 403);
  assert.equal((await get(consumer, `${REQ}?role=overdue`)).statusCode, 403, 'only the platform oversees');
  // requesting for another department
  const r = await post(consumer, REQ, base(res.cond3.code, { departmentId: healthId }));
  assert.equal(r.statusCode, 403);
});

test('the escalation job escalates each overdue request once; the platform sees them', async () => {
  const db = t.database.db;
  const r = await createTestResource(db, { providerDepartmentId: psId, shareType: 'conditional', code: 'SH-LATE' });
  const v = (await post(consumer, REQ, base(r.code))).json();
  const fresh = (await post(consumer, REQ, base(res.cond3.code, { purpose: '另一份待答复的申请', clientId: 'ca-marriage' }))).json();
  assert.equal(fresh.status, 'pending');
  await sql`UPDATE share_requests SET due_at = now() - interval '1 hour' WHERE id = ${v.id}`.execute(db);

  const first = await escalateOverdueRequests(db);
  assert.equal(first.escalated, 1);
  const second = await escalateOverdueRequests(db);
  assert.equal(second.escalated, 0);
  const ev = await events('share.escalated', String(v.id));
  assert.equal(ev.length, 1);
  assert.equal(ev[0]!.actor_type, 'system');
  assert.equal((await events('share.escalated', String(fresh.id))).length, 0);

  const list = (await get(platform, `${REQ}?role=overdue`)).json();
  assert.deepEqual(
    list.items.map((x: { id: number }) => x.id),
    [v.id],
  );
  assert.equal(list.items[0].overdue, true);
  assert.ok(list.items[0].escalatedAt);
  const inbox = (await get(provider, `${REQ}?role=provider&status=pending`)).json();
  assert.equal(inbox.items.find((x: { id: number }) => x.id === v.id).overdue, true);
  assert.equal(inbox.items.find((x: { id: number }) => x.id === fresh.id).overdue, false);
  // the platform may read it, and the timeline says so
  const detail = (await get(platform, `${REQ}/${v.id}`)).json();
  assert.ok(detail.timeline.some((e: { label: string }) => /督办/.test(e.label)));
  assert.equal(detail.actions.approve, false);

  // the job as the server registers it
  const { dataSharingJobs } = await import('./data-sharing-jobs.ts');
  const jobs = dataSharingJobs(t.ctx);
  assert.deepEqual(
    jobs.map((j) => j.name),
    ['share-escalations'],
  );
  assert.deepEqual(await jobs[0]!.run(), { escalated: 0 });
});

test('the population fixture declares personal items (the clear-item rules depend on them)', () => {
  assert.ok(POPULATION_ITEMS.find((i) => i.key === 'name')?.personal);
  assert.equal(POPULATION_ITEMS.find((i) => i.key === 'sex')?.personal, false);
});
