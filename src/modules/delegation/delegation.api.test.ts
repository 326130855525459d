import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { createTestApp, type TestApp } from '../../testing/test-app.ts';
import { FIXTURE_ITEMS, FIXTURE_REGIONS } from '../../testing/fixture-items.ts';
import { createTestPerson, createTestStaff, findDepartment, residentId, signInForTest, type TestSession } from '../../testing/fixture-accounts.ts';
import { verifyAuditChain } from '../audit/verify-audit-chain.ts';
import { loadSessionPrincipal } from '../sessions/session-store.ts';
import { creditCodeCheckChar } from '../../shared/codes/credit-code.ts';
import { canActFor } from './can-act-for.ts';

let t: TestApp;
let basicCodes: string[];
before(async () => {
  t = await createTestApp(FIXTURE_ITEMS, FIXTURE_REGIONS);
  basicCodes = (await t.database.db.selectFrom('basic_items').select('code').orderBy('code').execute()).map((r) => r.code);
});
after(async () => {
  await t?.close();
});

type Person = Awaited<ReturnType<typeof createTestPerson>> & { s: TestSession };
let seq = 500;
async function person(name?: string): Promise<Person> {
  seq++;
  // a name as on an ID card (the fixture's default carries digits, which a real name never does)
  const realName = name ?? `代${'甲乙丙丁戊己庚辛壬癸'[seq % 10]}${'子丑寅卯辰巳午未申酉戌亥'[Math.floor(seq / 10) % 12]}`;
  const p = await createTestPerson(t.database.db, { idNumber: residentId('330106', '19880512', seq), name: realName });
  return { ...p, s: await signInForTest(t.app, { kind: 'person', identifier: p.mobile }) };
}

/** A date some days from now, as a date field sends it (Beijing time). */
function inDays(days: number): string {
  return new Date(Date.now() + 8 * 3600_000 + days * 86_400_000).toISOString().slice(0, 10);
}

/** A valid unified social credit code for an enterprise (registrar 9, type 1) in Hangzhou. */
function enterpriseCreditCode(n: number): string {
  const first17 = `91330106MA${String(n).padStart(7, '0')}`;
  return first17 + creditCodeCheckChar(first17);
}

const call = (s: TestSession | null, method: 'GET' | 'POST' | 'DELETE', url: string, payload?: object) =>
  t.app.inject({ method, url, headers: s?.headers ?? {}, ...(payload ? { payload } : {}) });

async function grant(from: Person, to: Person, extra: Record<string, unknown> = {}): Promise<string> {
  const res = await call(from.s, 'POST', '/api/v1/me/delegations', { agentName: to.name, agentIdNumber: to.idNumber, validUntil: inDays(30), ...extra });
  assert.equal(res.statusCode, 201, res.body);
  return res.json().id as string;
}

const auditEvents = (action: string, targetId: string) =>
  t.database.db.selectFrom('audit_events').selectAll().where('action', '=', action).where('target_id', '=', targetId).orderBy('seq').execute();

const principalOf = async (s: TestSession) => {
  const p = await loadSessionPrincipal(t.database.db, s.cookie.slice('yw_session='.length), { idleMinutes: 30, absoluteHours: 12 });
  assert.ok(p);
  return p;
};

test('a citizen reads their own record (masked), not another citizen’s: 403, recorded, same answer for an unknown id', async () => {
  const a = await person();
  const c = await person();
  const own = await call(a.s, 'GET', `/api/v1/persons/${a.id}`);
  assert.equal(own.statusCode, 200, own.body);
  const rec = own.json();
  assert.equal(rec.idNumber, `${a.idNumber.slice(0, 6)}********${a.idNumber.slice(14)}`);
  assert.equal(rec.birthDate, '1988-05-12');
  assert.equal(rec.mobile, `${a.mobile.slice(0, 3)}****${a.mobile.slice(7)}`);
  assert.equal((await auditEvents('person.record_accessed', a.id)).length, 0, 'reading one’s own record is not an access by someone else');

  const other = await call(c.s, 'GET', `/api/v1/persons/${a.id}`);
  assert.equal(other.statusCode, 403);
  assert.equal(other.json().error.code, 'FORBIDDEN');
  assert.doesNotMatch(other.body, new RegExp(a.name));
  const denied = await auditEvents('access.denied', a.id);
  assert.equal(denied.length, 1);
  assert.equal(denied[0]!.outcome, 'denied');
  assert.equal(denied[0]!.actor_id, c.id);

  const unknown = await call(c.s, 'GET', '/api/v1/persons/00000000-0000-4000-8000-000000000000');
  assert.equal(unknown.statusCode, 403, 'an unknown id answers like a forbidden one');
  assert.equal(unknown.json().error.message, other.json().error.message);
  const malformed = await call(c.s, 'GET', '/api/v1/persons/not-a-uuid');
  assert.equal(malformed.statusCode, 400);
  const anonymous = await call(null, 'GET', `/api/v1/persons/${a.id}`);
  assert.equal(anonymous.statusCode, 401);
});

test('an agent reads the principal’s record while acting, and loses access on the very next request after revocation', async () => {
  const a = await person();
  const b = await person();
  const id = await grant(a, b, { note: '帮我办理社保' });

  const before = await call(b.s, 'GET', `/api/v1/persons/${a.id}`);
  assert.equal(before.statusCode, 403, 'a grant alone does not open the record: the agent must act under it');

  const start = await call(b.s, 'POST', '/api/v1/me/acting', { delegationId: id });
  assert.equal(start.statusCode, 200, start.body);
  assert.equal(start.json().acting.principalId, a.id);
  const session = await call(b.s, 'GET', '/api/v1/me/session');
  assert.equal(session.json().acting.principalName, a.name);

  const read = await call(b.s, 'GET', `/api/v1/persons/${a.id}?purpose=${encodeURIComponent('代为申请社保卡')}`);
  assert.equal(read.statusCode, 200, read.body);
  assert.equal(read.json().name, a.name);
  const accessed = await auditEvents('person.record_accessed', a.id);
  assert.equal(accessed.length, 1);
  assert.equal(accessed[0]!.actor_id, b.id);
  assert.equal(accessed[0]!.on_behalf_of, `person:${a.id}`);
  assert.equal((accessed[0]!.details as { purpose: string }).purpose, '代为申请社保卡');

  // the agent acts only in this session: another sign-in of theirs is not acting
  const second = await signInForTest(t.app, { kind: 'person', identifier: b.idNumber });
  assert.equal((await call(second, 'GET', `/api/v1/persons/${a.id}`)).statusCode, 403);

  const revoke = await call(a.s, 'DELETE', `/api/v1/me/delegations/${id}`);
  assert.equal(revoke.statusCode, 204, revoke.body);
  const after = await call(b.s, 'GET', `/api/v1/persons/${a.id}`);
  assert.equal(after.statusCode, 403, 'same session, very next request');
  assert.equal((await call(b.s, 'GET', '/api/v1/me/session')).json().acting, null);
  const row = await t.database.db.selectFrom('sessions').select('acting_delegation_id').where('account_id', '=', b.id).where('acting_delegation_id', 'is not', null).execute();
  assert.equal(row.length, 0, 'sessions acting under the grant were cleared');
  const revoked = await auditEvents('delegation.revoked', id);
  assert.equal(revoked.length, 1);
  assert.equal((revoked[0]!.details as { by: string }).by, 'principal');

  const again = await call(a.s, 'DELETE', `/api/v1/me/delegations/${id}`);
  assert.equal(again.statusCode, 409);
  const list = await call(a.s, 'GET', '/api/v1/me/delegations');
  assert.equal(list.json().granted.find((g: { id: string }) => g.id === id).stateLabel, '已撤销');
});

test('an expired grant ends access on the next request, and cannot be acted under again', async () => {
  const a = await person();
  const b = await person();
  const id = await grant(a, b);
  assert.equal((await call(b.s, 'POST', '/api/v1/me/acting', { delegationId: id })).statusCode, 200);
  assert.equal((await call(b.s, 'GET', `/api/v1/persons/${a.id}`)).statusCode, 200);
  assert.equal(await canActFor(t.database.db, await principalOf(b.s), { type: 'person', id: a.id }), true);

  await t.database.db
    .updateTable('delegations')
    .set({ valid_from: sql`now() - interval '2 days'`, valid_until: sql`now() - interval '1 second'` })
    .where('id', '=', id)
    .execute();
  assert.equal((await call(b.s, 'GET', `/api/v1/persons/${a.id}`)).statusCode, 403);
  assert.equal(await canActFor(t.database.db, await principalOf(b.s), { type: 'person', id: a.id }), false);
  const restart = await call(b.s, 'POST', '/api/v1/me/acting', { delegationId: id });
  assert.equal(restart.statusCode, 409);
  const list = await call(b.s, 'GET', '/api/v1/me/delegations');
  assert.equal(list.json().received.find((g: { id: string }) => g.id === id).state, 'expired');
  // ending the stale acting state is still possible and recorded
  assert.equal((await call(b.s, 'DELETE', '/api/v1/me/acting')).statusCode, 204);
  assert.equal((await auditEvents('delegation.acting_stopped', id)).length, 1);
});

test('a citizen can neither revoke nor act under someone else’s grant; the agent may renounce', async () => {
  const a = await person();
  const b = await person();
  const c = await person();
  const id = await grant(a, b);
  const revoke = await call(c.s, 'DELETE', `/api/v1/me/delegations/${id}`);
  assert.equal(revoke.statusCode, 403);
  assert.equal((await auditEvents('access.denied', id)).length, 1);
  const unknown = await call(c.s, 'DELETE', '/api/v1/me/delegations/00000000-0000-4000-8000-000000000000');
  assert.equal(unknown.statusCode, 403);
  assert.equal(unknown.json().error.message, revoke.json().error.message);
  const act = await call(c.s, 'POST', '/api/v1/me/acting', { delegationId: id });
  assert.equal(act.statusCode, 403);
  const stillActive = await t.database.db.selectFrom('delegations').select('revoked_at').where('id', '=', id).executeTakeFirstOrThrow();
  assert.equal(stillActive.revoked_at, null);

  const renounce = await call(b.s, 'DELETE', `/api/v1/me/delegations/${id}`);
  assert.equal(renounce.statusCode, 204);
  assert.equal((((await auditEvents('delegation.revoked', id))[0]!.details) as { by: string }).by, 'agent');
});

test('an item-scoped grant covers its items only in canActFor', async () => {
  const a = await person();
  const b = await person();
  const c = await person();
  const [inScope, outOfScope] = basicCodes;
  assert.ok(inScope && outOfScope);
  const id = await grant(a, b, { itemCodes: [inScope.toLowerCase()] });
  const list = (await call(a.s, 'GET', '/api/v1/me/delegations')).json();
  assert.deepEqual(list.granted.find((g: { id: string }) => g.id === id).itemCodes, [inScope]);

  const notActing = await principalOf(b.s);
  assert.equal(await canActFor(t.database.db, notActing, { type: 'person', id: a.id }, inScope), false, 'not before acting');
  assert.equal(await canActFor(t.database.db, notActing, { type: 'person', id: b.id }, inScope), true, 'always for oneself');

  assert.equal((await call(b.s, 'POST', '/api/v1/me/acting', { delegationId: id })).statusCode, 200);
  const p = await principalOf(b.s);
  assert.equal(await canActFor(t.database.db, p, { type: 'person', id: a.id }, inScope), true);
  assert.equal(await canActFor(t.database.db, p, { type: 'person', id: a.id }, outOfScope), false);
  assert.equal(await canActFor(t.database.db, p, { type: 'person', id: a.id }), true);
  assert.equal(await canActFor(t.database.db, p, { type: 'person', id: c.id }, inScope), false);
  assert.equal(await canActFor(t.database.db, p, { type: 'enterprise', id: a.id }), false);
  assert.equal(await canActFor(t.database.db, null, { type: 'person', id: a.id }), false);
});

test('staff with person.read must state a purpose, and the access is recorded; a department administrator is refused', async () => {
  const a = await person();
  const d = await findDepartment(t.database.db, { regionCode: '330106', kind: 'civil_affairs' });
  await createTestStaff(t.database.db, { staffNo: 'DLG-CLERK', departmentId: d.id, roles: [{ role: 'window_clerk' }] });
  await createTestStaff(t.database.db, { staffNo: 'DLG-ADMIN', departmentId: d.id, roles: [{ role: 'department_admin' }] });
  const clerk = await signInForTest(t.app, { kind: 'staff', identifier: 'DLG-CLERK' });
  const admin = await signInForTest(t.app, { kind: 'staff', identifier: 'DLG-ADMIN' });

  const noPurpose = await call(clerk, 'GET', `/api/v1/persons/${a.id}`);
  assert.equal(noPurpose.statusCode, 400);
  assert.equal(noPurpose.json().error.field, 'purpose');
  const tooShort = await call(clerk, 'GET', `/api/v1/persons/${a.id}?purpose=x`);
  assert.equal(tooShort.statusCode, 400);
  assert.equal(tooShort.json().error.field, 'purpose');
  assert.equal((await auditEvents('person.record_accessed', a.id)).length, 0, 'nothing was read, nothing recorded');

  const purpose = '受理结婚登记申请，核验申请人身份';
  const ok = await call(clerk, 'GET', `/api/v1/persons/${a.id}?purpose=${encodeURIComponent(purpose)}`);
  assert.equal(ok.statusCode, 200, ok.body);
  assert.equal(ok.json().sexLabel, Number(a.idNumber[16]) % 2 ? '男' : '女');
  const events = await auditEvents('person.record_accessed', a.id);
  assert.equal(events.length, 1);
  assert.equal(events[0]!.actor_type, 'staff');
  assert.equal(events[0]!.department_id, d.id);
  assert.deepEqual(events[0]!.details, { purpose, via: 'staff' });

  const unknown = await call(clerk, 'GET', `/api/v1/persons/00000000-0000-4000-8000-000000000000?purpose=${encodeURIComponent(purpose)}`);
  assert.equal(unknown.statusCode, 404, 'an unknown id is a 404 for one who may read records');

  const refused = await call(admin, 'GET', `/api/v1/persons/${a.id}?purpose=${encodeURIComponent(purpose)}`);
  assert.equal(refused.statusCode, 403);
  const denied = await auditEvents('access.denied', a.id);
  assert.equal(denied.length, 1);
  assert.equal(denied[0]!.actor_type, 'staff');
  assert.equal((denied[0]!.details as { reason: string }).reason, 'missing_permission');

  // staff manage nothing here
  assert.equal((await call(clerk, 'GET', '/api/v1/me/delegations')).statusCode, 403);
  assert.equal((await call(clerk, 'GET', `/api/v1/enterprises/00000000-0000-4000-8000-000000000000`)).statusCode, 403);
});

test('enterprise: the legal representative registers it and grants an agent, who reads it only while acting', async () => {
  const rep = await person();
  const agent = await person();
  const other = await person();
  const creditCode = enterpriseCreditCode(seq);
  const reg = await call(rep.s, 'POST', '/api/v1/me/enterprises', { creditCode: creditCode.toLowerCase(), name: '  杭州一网科技   有限公司 ' });
  assert.equal(reg.statusCode, 201, reg.body);
  const e = reg.json();
  assert.equal(e.creditCode, creditCode);
  assert.equal(e.name, '杭州一网科技 有限公司');
  assert.equal(e.legalRepName, rep.name);
  assert.equal((await auditEvents('account.enterprise_registered', e.id)).length, 1);

  const dup = await call(other.s, 'POST', '/api/v1/me/enterprises', { creditCode, name: '另一家公司' });
  assert.equal(dup.statusCode, 409);
  assert.equal(dup.json().error.field, 'creditCode');
  const wrongCheck = creditCode.slice(0, 17) + (creditCode[17] === '0' ? '1' : '0');
  const bad = await call(other.s, 'POST', '/api/v1/me/enterprises', { creditCode: wrongCheck, name: '另一家公司' });
  assert.equal(bad.statusCode, 400);
  assert.equal(bad.json().error.field, 'creditCode');

  assert.equal((await call(rep.s, 'GET', `/api/v1/enterprises/${e.id}`)).statusCode, 200);
  assert.equal((await call(agent.s, 'GET', `/api/v1/enterprises/${e.id}`)).statusCode, 403);
  assert.equal(await canActFor(t.database.db, await principalOf(rep.s), { type: 'enterprise', id: e.id }, basicCodes[0]), true, 'the legal representative');
  assert.equal(await canActFor(t.database.db, await principalOf(agent.s), { type: 'enterprise', id: e.id }), false);

  const body = { agentName: agent.name, agentIdNumber: agent.idNumber, validUntil: inDays(365) };
  const notRep = await call(other.s, 'POST', `/api/v1/enterprises/${e.id}/delegations`, body);
  assert.equal(notRep.statusCode, 403);
  assert.equal((await auditEvents('access.denied', e.id)).length >= 2, true);
  const wrongRelation = await call(rep.s, 'POST', `/api/v1/me/delegations`, { ...body, relation: 'enterprise_agent' });
  assert.equal(wrongRelation.statusCode, 400);
  const g = await call(rep.s, 'POST', `/api/v1/enterprises/${e.id}/delegations`, body);
  assert.equal(g.statusCode, 201, g.body);
  assert.equal(g.json().relation, 'enterprise_agent');
  assert.equal(g.json().principal.name, e.name);
  const grantId = g.json().id as string;
  const listed = (await call(rep.s, 'GET', '/api/v1/me/delegations')).json();
  assert.equal(listed.enterprises[0].grants[0].id, grantId);
  assert.equal((await call(agent.s, 'GET', '/api/v1/me/delegations')).json().received[0].id, grantId);

  assert.equal((await call(agent.s, 'POST', '/api/v1/me/acting', { delegationId: grantId })).statusCode, 200);
  const read = await call(agent.s, 'GET', `/api/v1/enterprises/${e.id}`);
  assert.equal(read.statusCode, 200);
  assert.equal(read.json().agents[0].agent.name, agent.name);
  assert.equal(await canActFor(t.database.db, await principalOf(agent.s), { type: 'enterprise', id: e.id }, basicCodes[1]), true);
  assert.equal((await call(agent.s, 'GET', `/api/v1/persons/${rep.id}`)).statusCode, 403, 'acting for the enterprise is not acting for its representative');
  const started = await auditEvents('delegation.acting_started', grantId);
  assert.equal(started[0]!.actor_type, 'enterprise_agent');
  assert.equal(started[0]!.on_behalf_of, `enterprise:${e.id}`);

  assert.equal((await call(rep.s, 'DELETE', `/api/v1/me/delegations/${grantId}`)).statusCode, 204);
  assert.equal((await call(agent.s, 'GET', `/api/v1/enterprises/${e.id}`)).statusCode, 403);
  assert.equal((((await auditEvents('delegation.revoked', grantId))[0]!.details) as { by: string }).by, 'legal_representative');
});

test('a parent adds a minor child and acts for them until the 18th birthday', async () => {
  const parent = await person();
  const childId = residentId('330106', '20150601', 42);
  const added = await call(parent.s, 'POST', '/api/v1/me/minors', { name: '小明', idNumber: childId.toLowerCase() });
  assert.equal(added.statusCode, 201, added.body);
  const m = added.json();
  assert.equal(m.validUntil, '2033-05-31T16:00:00.000Z', 'midnight of the 18th birthday, Beijing time');
  const child = await t.database.db.selectFrom('accounts').select(['password_hash', 'mobile', 'kind']).where('id', '=', m.accountId).executeTakeFirstOrThrow();
  assert.deepEqual(child, { password_hash: null, mobile: null, kind: 'person' });
  assert.equal((await auditEvents('account.minor_added', m.accountId)).length, 1);
  assert.equal((await auditEvents('delegation.granted', m.delegationId)).length, 1);

  const received = (await call(parent.s, 'GET', '/api/v1/me/delegations')).json().received;
  assert.equal(received[0].relation, 'parent');
  assert.equal(received[0].principal.name, '小明');
  assert.equal((await call(parent.s, 'POST', '/api/v1/me/acting', { delegationId: m.delegationId })).statusCode, 200);
  const rec = await call(parent.s, 'GET', `/api/v1/persons/${m.accountId}`);
  assert.equal(rec.statusCode, 200);
  assert.equal(rec.json().minor, true);
  assert.equal(rec.json().mobile, null);

  const again = await call(parent.s, 'POST', '/api/v1/me/minors', { name: '小明', idNumber: childId });
  assert.equal(again.statusCode, 409);
  const adult = await call(parent.s, 'POST', '/api/v1/me/minors', { name: '大明', idNumber: residentId('330106', '19990101', 43) });
  assert.equal(adult.statusCode, 400);
  assert.equal(adult.json().error.field, 'idNumber');
  const minorAsAgent = await call(parent.s, 'POST', '/api/v1/me/delegations', { agentName: '小明', agentIdNumber: childId, validUntil: inDays(10) });
  assert.equal(minorAsAgent.statusCode, 400);
  assert.equal(minorAsAgent.json().error.field, 'agentIdNumber');
});

test('bad input is a 400 naming the field, never a 500, and writes nothing', async () => {
  const a = await person();
  const b = await person();
  const count = async () => Number((await t.database.db.selectFrom('delegations').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  const before = await count();
  const base = { agentName: b.name, agentIdNumber: b.idNumber, validUntil: inDays(30) };
  const cases: [Record<string, unknown>, string][] = [
    [{ ...base, agentIdNumber: b.idNumber.slice(0, 17) + (b.idNumber[17] === '1' ? '2' : '1') }, 'agentIdNumber'],
    [{ ...base, agentIdNumber: '12345' }, 'agentIdNumber'],
    [{ ...base, agentName: 'x' }, 'agentName'],
    [{ ...base, validUntil: inDays(-1) }, 'validUntil'],
    [{ ...base, validUntil: '2027-02-30' }, 'validUntil'],
    [{ ...base, validUntil: 'tomorrow' }, 'validUntil'],
    [{ ...base, validUntil: inDays(6 * 366) }, 'validUntil'],
    [{ ...base, itemCodes: ['XK9999999900'] }, 'itemCodes'],
    [{ ...base, itemCodes: ['not a code'] }, 'itemCodes'],
    [{ ...base, relation: 'parent' }, 'relation'],
    [{ ...base, agentName: a.name, agentIdNumber: a.idNumber }, 'agentIdNumber'],
  ];
  for (const [payload, field] of cases) {
    const res = await call(a.s, 'POST', '/api/v1/me/delegations', payload);
    assert.equal(res.statusCode, 400, `${JSON.stringify(payload)} → ${res.body}`);
    assert.equal(res.json().error.field, field, JSON.stringify(payload));
  }
  // a name that does not match and an ID number nobody registered get the same answer
  const wrongName = await call(a.s, 'POST', '/api/v1/me/delegations', { ...base, agentName: '张冒名' });
  const unregistered = await call(a.s, 'POST', '/api/v1/me/delegations', { ...base, agentIdNumber: residentId('330106', '19700101', 999) });
  assert.equal(wrongName.statusCode, 400);
  assert.deepEqual([wrongName.json().error.field, wrongName.json().error.message], [unregistered.json().error.field, unregistered.json().error.message]);
  assert.equal(await count(), before, 'nothing half-written');

  assert.equal((await call(a.s, 'DELETE', '/api/v1/me/delegations/not-a-uuid')).statusCode, 400);
  assert.equal((await call(a.s, 'POST', '/api/v1/me/acting', { delegationId: 'x' })).statusCode, 400);
  assert.equal((await call(a.s, 'POST', '/api/v1/enterprises/123/delegations', base)).statusCode, 400);
  assert.equal((await call(a.s, 'GET', '/api/v1/enterprises/ZZZ')).statusCode, 400);
  assert.equal((await call(a.s, 'POST', '/api/v1/me/enterprises', { creditCode: 'ABC', name: '某公司' })).json().error.field, 'creditCode');
  assert.equal((await call(a.s, 'POST', '/api/v1/me/enterprises', { creditCode: enterpriseCreditCode(9999), name: 'x' })).json().error.field, 'name');
  const childId = residentId('330106', '20160101', 77);
  const badChild = await call(a.s, 'POST', '/api/v1/me/minors', { name: '小红', idNumber: childId.slice(0, 17) + (childId[17] === '1' ? '2' : '1') });
  assert.equal(badChild.statusCode, 400);
  assert.equal(badChild.json().error.field, 'idNumber');
  // the session cookie needs the CSRF token
  const noToken = await t.app.inject({ method: 'POST', url: '/api/v1/me/delegations', headers: { cookie: a.s.cookie }, payload: base });
  assert.equal(noToken.statusCode, 403);
  assert.equal(noToken.json().error.code, 'CSRF_REJECTED');
});

test('the audit chain still verifies after all of the above', async () => {
  const report = await verifyAuditChain(t.database.db);
  assert.equal(report.ok, true, JSON.stringify(report));
  assert.ok(report.events > 20);
});
