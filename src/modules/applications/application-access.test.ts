/**
 * Who is the applicant of an enterprise's application: whoever acts for the enterprise now (its legal
 * representative, or an agent acting for it under a delegation in force) — not an agent whose delegation was
 * revoked, even though they submitted it; and only they are notified.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, type TestApp } from '../../testing/test-app.ts';
import { FIXTURE_ITEMS, FIXTURE_REGIONS } from '../../testing/fixture-items.ts';
import { createTestPerson, createTestStaff, residentId, signInForTest, type TestSession } from '../../testing/fixture-accounts.ts';
import { creditCodeCheckChar } from '../../shared/codes/credit-code.ts';
import type { FormDefinition } from '../forms/form.types.ts';
import type { PersonPrincipal } from '../access/principal.ts';
import { isApplicant, isApplicantNow } from './application-access.ts';

const SIMPLE_FORM: FormDefinition = { steps: [{ key: 'a', title: '申请信息', fields: [{ key: 'note', label: '备注', type: 'text' }] }] };

let t: TestApp;
let itemCode: string;
let clerk: TestSession;
type Person = Awaited<ReturnType<typeof createTestPerson>> & { s: TestSession };
let rep: Person;
let agent: Person;
let agent2: Person;
let enterpriseId: string;

async function person(name: string, seq: number): Promise<Person> {
  const p = await createTestPerson(t.database.db, { idNumber: residentId('330106', '19850612', seq), name });
  return { ...p, s: await signInForTest(t.app, { kind: 'person', identifier: p.mobile }) };
}

const call = (s: TestSession, method: 'GET' | 'POST' | 'DELETE', url: string, payload?: object) =>
  t.app.inject({ method, url, headers: s.headers, ...(payload ? { payload } : {}) });
const inDays = (days: number) => new Date(Date.now() + 8 * 3600_000 + days * 86_400_000).toISOString().slice(0, 10);
const notes = async (s: TestSession, number: string) =>
  ((await call(s, 'GET', '/api/v1/me/notifications')).json().items as { link: string; title: string }[]).filter((n) => n.link.endsWith(number));

before(async () => {
  t = await createTestApp(FIXTURE_ITEMS, FIXTURE_REGIONS);
  const item = await t.database.db
    .selectFrom('impl_items as i')
    .innerJoin('impl_item_versions as v', (j) => j.onRef('v.item_code', '=', 'i.code').onRef('v.version', '=', 'i.published_version'))
    .select(['i.code', 'i.department_id', 'v.id'])
    .where('v.name', '=', '内地居民婚姻登记（结婚登记）')
    .where('i.region_code', '=', '330106')
    .executeTakeFirstOrThrow();
  itemCode = item.code;
  await t.database.db.updateTable('impl_item_versions').set({ form: JSON.stringify(SIMPLE_FORM) }).where('id', '=', item.id).execute();
  await t.database.db.updateTable('item_materials').set({ required: false }).where('version_id', '=', item.id).execute();
  await createTestStaff(t.database.db, { staffNo: 'E0001', departmentId: item.department_id, roles: [{ role: 'window_clerk' }] });
  clerk = await signInForTest(t.app, { kind: 'staff', identifier: 'E0001' });
  rep = await person('钱法人', 701);
  agent = await person('孙经办', 702);
  agent2 = await person('李经办', 703);
  const first17 = '91330106MA0000701';
  const reg = await call(rep.s, 'POST', '/api/v1/me/enterprises', { creditCode: first17 + creditCodeCheckChar(first17), name: '杭州一网测试有限公司' });
  assert.equal(reg.statusCode, 201, reg.body);
  enterpriseId = reg.json().id;
});

after(async () => {
  await t?.close();
});

async function grantTo(p: Person): Promise<string> {
  const g = await call(rep.s, 'POST', `/api/v1/enterprises/${enterpriseId}/delegations`, { agentName: p.name, agentIdNumber: p.idNumber, validUntil: inDays(30) });
  assert.equal(g.statusCode, 201, g.body);
  return g.json().id;
}

test('a revoked agent loses the enterprise’s applications and their notifications; the legal representative has them', async () => {
  const grantId = await grantTo(agent);
  await grantTo(agent2); // in force, not acting: told, like the legal representative
  assert.equal((await call(agent.s, 'POST', '/api/v1/me/acting', { delegationId: grantId })).statusCode, 200);
  const sub = await call(agent.s, 'POST', '/api/v1/applications', { itemCode, idempotencyKey: 'enterprise-app-0001', formData: {} });
  assert.equal(sub.statusCode, 201, sub.body);
  const number: string = sub.json().number;
  const seen = await call(agent.s, 'GET', `/api/v1/applications/${number}`);
  assert.equal(seen.statusCode, 200, 'the agent acting for the enterprise is its applicant');
  const version: number = seen.json().version;

  assert.equal((await call(rep.s, 'DELETE', `/api/v1/me/delegations/${grantId}`)).statusCode, 204);
  assert.equal((await call(agent.s, 'GET', `/api/v1/applications/${number}`)).statusCode, 404, 'the ex-agent no longer sees it');
  const withdraw = await call(agent.s, 'POST', `/api/v1/applications/${number}/actions`, { action: 'withdraw', version });
  assert.equal(withdraw.statusCode, 404, withdraw.body);

  // staff act: those who act for the enterprise now are told, the ex-agent is not
  const before = (await notes(agent.s, number)).length;
  const ask = await call(clerk, 'POST', `/api/v1/applications/${number}/actions`, {
    action: 'request_supplement',
    version,
    comment: '请补正',
    supplementItems: [{ field: 'note', label: '备注', reason: '请写明' }],
  });
  assert.equal(ask.statusCode, 200, ask.body);
  assert.equal((await notes(agent.s, number)).length, before, 'no notification to the revoked agent');
  assert.equal((await notes(rep.s, number)).length, 1, 'the legal representative is told');
  assert.equal((await notes(agent2.s, number)).length, 1, 'an agent in force is told');

  // the legal representative, signed in as themself, acts as the applicant
  const byRep = await call(rep.s, 'POST', `/api/v1/applications/${number}/actions`, { action: 'withdraw', version: version + 1, comment: '不再需要' });
  assert.equal(byRep.statusCode, 200, byRep.body);
  assert.equal(byRep.json().state, 'withdrawn');
});

test('isApplicant / isApplicantNow: an enterprise’s submitter who no longer acts for it is not its applicant', async () => {
  const principal = (o: Partial<PersonPrincipal>): PersonPrincipal => ({
    kind: 'person',
    accountId: agent.id,
    name: agent.name,
    idNumber: agent.idNumber,
    sessionId: 's',
    csrfToken: 'c',
    authMethod: 'password',
    acting: null,
    ...o,
  });
  const ent = { submitted_by: agent.id, subject_type: 'enterprise' as const, subject_id: enterpriseId };
  assert.equal(isApplicant(principal({}), ent), false);
  assert.equal(await isApplicantNow(t.database.db, principal({}), ent), false);
  const acting = { delegationId: 'd', principalType: 'enterprise' as const, principalId: enterpriseId, principalName: 'x', relation: 'enterprise_agent' as const, itemCodes: [] };
  assert.equal(isApplicant(principal({ acting }), ent), true);
  assert.equal(await isApplicantNow(t.database.db, principal({ accountId: rep.id }), ent), true, 'the legal representative');
  // a person's application: the submitter (an agent) and the person applied for
  const own = { submitted_by: agent.id, subject_type: 'person' as const, subject_id: rep.id };
  assert.equal(isApplicant(principal({}), own), true);
  assert.equal(isApplicant(principal({ accountId: rep.id }), own), true);
  assert.equal(isApplicant(principal({ accountId: agent2.id }), own), false);
});
