/** The /me/delegations page and its forms, posted the way a browser without JavaScript posts them. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, type TestApp } from '../../testing/test-app.ts';
import { FIXTURE_ITEMS, FIXTURE_REGIONS } from '../../testing/fixture-items.ts';
import { createTestPerson, createTestStaff, findDepartment, residentId, signInForTest, type TestSession } from '../../testing/fixture-accounts.ts';
import { creditCodeCheckChar } from '../../shared/codes/credit-code.ts';
import { verifyAuditChain } from '../audit/verify-audit-chain.ts';

let t: TestApp;
before(async () => {
  t = await createTestApp(FIXTURE_ITEMS, FIXTURE_REGIONS);
});
after(async () => {
  await t?.close();
});

type Person = Awaited<ReturnType<typeof createTestPerson>> & { s: TestSession };
let seq = 700;
async function person(): Promise<Person> {
  seq++;
  const name = `页${'甲乙丙丁戊己庚辛壬癸'[seq % 10]}${'子丑寅卯辰巳午未申酉戌亥'[Math.floor(seq / 10) % 12]}`;
  const p = await createTestPerson(t.database.db, { idNumber: residentId('330106', '19791120', seq), name });
  return { ...p, s: await signInForTest(t.app, { kind: 'person', identifier: p.mobile }) };
}

const inDays = (days: number) => new Date(Date.now() + 8 * 3600_000 + days * 86_400_000).toISOString().slice(0, 10);

const page = (s: TestSession | null) => t.app.inject({ method: 'GET', url: '/me/delegations', headers: s ? { cookie: s.cookie } : {} });

/** Posts a form as a browser does: urlencoded, with the session cookie and the hidden _csrf field. */
const form = (s: TestSession, url: string, fields: Record<string, string>, csrf = s.csrfToken) =>
  t.app.inject({
    method: 'POST',
    url,
    headers: { cookie: s.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ _csrf: csrf, ...fields }).toString(),
  });

function delegationIdIn(body: string, action: string): string {
  const m = new RegExp(`action="${action}"[^>]*>.*?name="delegationId" value="([0-9a-f-]{36})"`, 's').exec(body);
  assert.ok(m, `no form ${action} with a delegation id`);
  return m[1]!;
}

test('the page needs a signed-in person: visitors are sent to sign in, staff are refused', async () => {
  const anon = await page(null);
  assert.equal(anon.statusCode, 303);
  assert.match(String(anon.headers.location), /^\/login\?back=%2Fme%2Fdelegations/);
  const d = await findDepartment(t.database.db, { regionCode: '330106' });
  await createTestStaff(t.database.db, { staffNo: 'PG-STAFF', departmentId: d.id, roles: [{ role: 'window_clerk' }] });
  const staff = await signInForTest(t.app, { kind: 'staff', identifier: 'PG-STAFF' });
  assert.equal((await page(staff)).statusCode, 403);
});

test('grant through the form: errors beside the field with the input kept, then 303 and the grant listed', async () => {
  const a = await person();
  const b = await person();
  const empty = await page(a.s);
  assert.equal(empty.statusCode, 200);
  assert.match(empty.headers['content-type'] as string, /text\/html/);
  assert.match(empty.body, /<html lang="zh-CN"/);
  assert.match(empty.body, /<h1>我的代办<\/h1>/);
  assert.match(empty.body, new RegExp(`name="_csrf" value="${a.s.csrfToken}"`));
  assert.match(empty.body, /您好，/);
  for (const action of ['/me/delegations/grant', '/me/delegations/minors', '/me/delegations/enterprises']) assert.match(empty.body, new RegExp(`action="${action}"`));

  const fields = { agentName: b.name, agentIdNumber: b.idNumber, relation: 'agent', itemCodes: '', validUntil: inDays(30), note: '' };
  const noToken = await form(a.s, '/me/delegations/grant', fields, 'wrong');
  assert.equal(noToken.statusCode, 403);

  const past = await form(a.s, '/me/delegations/grant', { ...fields, validUntil: inDays(-3) });
  assert.equal(past.statusCode, 400);
  assert.match(past.body, /class="error-summary"/);
  assert.match(past.body, /<a href="#f-validUntil">有效期截止日期必须晚于现在<\/a>/);
  assert.match(past.body, /id="f-validUntil"[^>]*aria-invalid="true"/);
  assert.match(past.body, new RegExp(`id="f-agentName" name="agentName" type="text" value="${b.name}"`), 'what was typed is kept');

  const wrongId = await form(a.s, '/me/delegations/grant', { ...fields, agentIdNumber: '330106197911201234' });
  assert.equal(wrongId.statusCode, 400);
  assert.match(wrongId.body, /id="f-agentIdNumber-error"/);

  const ok = await form(a.s, '/me/delegations/grant', fields);
  assert.equal(ok.statusCode, 303, ok.body);
  assert.equal(ok.headers.location, '/me/delegations?done=granted');
  const listed = await t.app.inject({ method: 'GET', url: '/me/delegations?done=granted', headers: { cookie: a.s.cookie } });
  assert.match(listed.body, /role="status"><p>授权成功/);
  assert.match(listed.body, new RegExp(`<th scope="row">${b.name}<br>`));
  assert.match(listed.body, /aria-label="撤销对[^"]+的授权">撤销<\/button>/);
});

test('the agent starts acting from the page, sees the banner, ends it; the principal revokes from the page', async () => {
  const a = await person();
  const b = await person();
  assert.equal((await form(a.s, '/me/delegations/grant', { agentName: b.name, agentIdNumber: b.idNumber, validUntil: inDays(10) })).statusCode, 303);

  const mine = await page(b.s);
  assert.match(mine.body, /<h2 id="h-received">授权给我的代办<\/h2>/);
  assert.doesNotMatch(mine.body, /class="acting-banner"/);
  const id = delegationIdIn(mine.body, '/me/delegations/acting');

  const start = await form(b.s, '/me/delegations/acting', { delegationId: id });
  assert.equal(start.statusCode, 303);
  const acting = await page(b.s);
  assert.match(acting.body, /class="acting-banner"/);
  assert.match(acting.body, new RegExp(`代 <strong>${a.name}</strong>`));
  assert.match(acting.body, /action="\/me\/delegations\/acting\/stop"/);
  assert.match(acting.body, />结束代办<\/button>/);
  assert.match(acting.body, /<strong class="acting-now">正在代办<\/strong>/);

  const stop = await form(b.s, '/me/delegations/acting/stop', {});
  assert.equal(stop.headers.location, '/me/delegations?done=stopped');
  assert.doesNotMatch((await page(b.s)).body, /class="acting-banner"/);

  // acting again, then the principal revokes: the banner is gone at the agent's next page
  assert.equal((await form(b.s, '/me/delegations/acting', { delegationId: id })).statusCode, 303);
  const someoneElse = await person();
  const refused = await form(someoneElse.s, `/me/delegations/${id}/revoke`, {});
  assert.equal(refused.statusCode, 403);
  assert.match(refused.body, /未找到该授权，或您无权撤销/);
  const revoke = await form(a.s, `/me/delegations/${id}/revoke`, {});
  assert.equal(revoke.headers.location, '/me/delegations?done=revoked');
  const afterRevoke = await page(b.s);
  assert.doesNotMatch(afterRevoke.body, /class="acting-banner"/);
  assert.match(afterRevoke.body, /state-revoked">已撤销/);
  assert.equal((await t.app.inject({ url: `/api/v1/persons/${a.id}`, headers: { cookie: b.s.cookie } })).statusCode, 403);

  const malformed = await form(a.s, '/me/delegations/not-a-uuid/revoke', {});
  assert.equal(malformed.statusCode, 400);
});

test('add a minor and register an enterprise from the page, then grant an enterprise agent', async () => {
  const rep = await person();
  const agent = await person();
  const badMinor = await form(rep.s, '/me/delegations/minors', { minorName: '小华', minorIdNumber: residentId('330106', '19950101', 1) });
  assert.equal(badMinor.statusCode, 400);
  assert.match(badMinor.body, /<a href="#f-minorIdNumber">/);
  const minor = await form(rep.s, '/me/delegations/minors', { minorName: '小华', minorIdNumber: residentId('330106', '20180808', 2) });
  assert.equal(minor.headers.location, '/me/delegations?done=minor');
  assert.match((await page(rep.s)).body, /<li>小华（父母代办至 2036-08-08 00:00，有效）<\/li>/);

  const first17 = `91330106MA${String(seq).padStart(7, '0')}`;
  const creditCode = first17 + creditCodeCheckChar(first17);
  const badCode = await form(rep.s, '/me/delegations/enterprises', { creditCode: creditCode.slice(0, 17) + (creditCode[17] === '0' ? '1' : '0'), enterpriseName: '杭州页测科技有限公司' });
  assert.equal(badCode.statusCode, 400);
  assert.match(badCode.body, /<a href="#f-creditCode">统一社会信用代码校验位不正确/);
  const reg = await form(rep.s, '/me/delegations/enterprises', { creditCode, enterpriseName: '杭州页测科技有限公司' });
  assert.equal(reg.headers.location, '/me/delegations?done=enterprise');
  const withEnterprise = await page(rep.s);
  assert.match(withEnterprise.body, /杭州页测科技有限公司 <span class="muted">统一社会信用代码/);
  const enterpriseId = /<option value="([0-9a-f-]{36})"[^>]*>杭州页测科技有限公司/.exec(withEnterprise.body)?.[1];
  assert.ok(enterpriseId);

  const fields = { enterpriseId, eAgentName: agent.name, eAgentIdNumber: agent.idNumber, eItemCodes: '', eValidUntil: inDays(90), eNote: '' };
  const wrongAgent = await form(rep.s, '/me/delegations/enterprise-grants', { ...fields, eAgentName: '李冒名' });
  assert.equal(wrongAgent.statusCode, 400);
  assert.match(wrongAgent.body, /<a href="#f-eAgentIdNumber">未找到姓名与身份证号码相符/);
  const granted = await form(rep.s, '/me/delegations/enterprise-grants', fields);
  assert.equal(granted.headers.location, '/me/delegations?done=enterprise_granted');
  const agentPage = await page(agent.s);
  assert.match(agentPage.body, /杭州页测科技有限公司<span class="tag">企业<\/span>/);
  assert.match(agentPage.body, /企业经办人/);

  const other = await person();
  const notRep = await form(other.s, '/me/delegations/enterprise-grants', fields);
  assert.equal(notRep.statusCode, 403);
  assert.match(notRep.body, /只有企业的法定代表人可以授权经办人/);
  assert.equal((await verifyAuditChain(t.database.db)).ok, true);
});
