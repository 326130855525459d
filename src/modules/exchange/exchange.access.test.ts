/**
 * The exchange API's access rules (issue 6 "Done when"): a consumer without a grant gets nothing; with a grant,
 * exactly the granted items and rows, masked as configured; an expired or revoked grant stops at once; every
 * call carries a purpose and a case reference, gets a request id and a recomputable request hash, is rate
 * limited by its grant, and leaves evidence (chained audit event + subject rows). Runs on PGlite and PostgreSQL.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import { sql } from 'kysely';
import { createTestApp, type TestApp } from '../../testing/test-app.ts';
import { FIXTURE_ITEMS, FIXTURE_REGIONS } from '../../testing/fixture-items.ts';
import { createTestStaff, findDepartment, signInForTest } from '../../testing/fixture-accounts.ts';
import { createTestGrant, createTestResource } from '../../testing/fixture-data.ts';
import { SYSTEM_ACTOR } from '../audit/audit.types.ts';
import { verifyAuditChain } from '../audit/verify-audit-chain.ts';
import { accessSubject } from './access-subject.ts';
import { lookupRecord } from './lookup-record.ts';
import { perTurnLoader } from '../../shared/per-turn-loader.ts';
import { readLookupAccess, type LookupAccess, type LookupAccessKey, type LookupAccessRow } from './read-lookup-access.ts';
import { ExchangeRefusedError } from './exchange.errors.ts';
import { exchangeClient, lookupPath, population, type Person } from './exchange.test-kit.ts';

let t: TestApp;
let provider: { id: number; creditCode: string; name: string };
let consumer: { id: number; creditCode: string; name: string };
let other: { id: number; creditCode: string; name: string };
let people: Person[];
let resource: { id: number; code: string };

before(async () => {
  t = await createTestApp(FIXTURE_ITEMS, FIXTURE_REGIONS);
  const db = t.database.db;
  provider = await findDepartment(db, { regionCode: '330106', kind: 'public_security' });
  consumer = await findDepartment(db, { regionCode: '330106', kind: 'civil_affairs' });
  other = await findDepartment(db, { regionCode: '330302', kind: 'civil_affairs' });
  people = population(12);
  resource = await createTestResource(db, { code: 'GA-HJRK-001', name: '户籍人口基本信息', providerDepartmentId: provider.id, records: people as unknown as Record<string, unknown>[] });
});
after(async () => {
  await t?.close();
});

const db = () => t.database.db;
const inXihu = () => people.filter((p) => p.region_code === '330106');
const inChunan = () => people.filter((p) => p.region_code === '330122');

async function lastEvent(action: string) {
  return db().selectFrom('audit_events').selectAll().where('action', '=', action).orderBy('seq', 'desc').limit(1).executeTakeFirstOrThrow();
}

test('a client without a grant gets nothing: 403, and the refusal is logged', async () => {
  const c = await exchangeClient(t.app, db(), consumer.creditCode);
  const p = people[0]!;
  const res = await t.app.inject({ url: lookupPath(resource.code, p.id_number), headers: c.headers });
  assert.equal(res.statusCode, 403, res.body);
  const body = res.json() as { error: { code: string; message: string } };
  assert.equal(body.error.code, 'FORBIDDEN');
  assert.match(body.error.message, /没有该数据资源的共享授权/);
  assert.ok(!res.body.includes(p.name) && !res.body.includes(p.id_number.slice(6, 14)), 'nothing of the record');
  const e = await lastEvent('exchange.refused');
  assert.equal(e.actor_type, 'client');
  assert.equal(e.actor_id, c.clientId);
  assert.equal(e.outcome, 'denied');
  assert.equal(e.target_id, resource.code);
  assert.equal(e.department_id, consumer.id);
  assert.equal((e.details as { reason: string }).reason, 'no_grant');
  assert.equal(await db().selectFrom('audit_events').select('seq').where('action', '=', 'exchange.records_read').where('actor_id', '=', c.clientId).executeTakeFirst(), undefined);

  // the query API too
  const q = await t.app.inject({ url: `/api/v1/exchange/resources/${resource.code}/records?purpose=${encodeURIComponent('核验身份')}&case=A1`, headers: c.headers });
  assert.equal(q.statusCode, 403);
});

test('grants are exact: a department grant does not cover its clients, a client grant only that client, another department nothing', async () => {
  const a = await exchangeClient(t.app, db(), consumer.creditCode, '系统甲');
  const b = await exchangeClient(t.app, db(), consumer.creditCode, '系统乙');
  const o = await exchangeClient(t.app, db(), other.creditCode, '外区系统');
  await createTestGrant(db(), { resourceId: resource.id, consumerDepartmentId: consumer.id, clientId: null, items: ['id_number', 'name'] });
  await createTestGrant(db(), { resourceId: resource.id, consumerDepartmentId: consumer.id, clientId: a.clientId, items: ['id_number', 'name'] });
  const key = people[0]!.id_number;
  assert.equal((await t.app.inject({ url: lookupPath(resource.code, key), headers: a.headers })).statusCode, 200);
  const rb = await t.app.inject({ url: lookupPath(resource.code, key), headers: b.headers });
  assert.equal(rb.statusCode, 403, 'the department grant (client null) does not cover client 乙');
  assert.equal((await lastEvent('exchange.refused')).actor_id, b.clientId);
  assert.equal((await t.app.inject({ url: lookupPath(resource.code, key), headers: o.headers })).statusCode, 403);

  // the department's own grant (client null) serves the platform acting for the department (once-only)
  const r = await lookupRecord(t.ctx, { departmentId: consumer.id, clientId: null, actor: SYSTEM_ACTOR, onBehalfOf: 'person:00000000-0000-4000-8000-000000000001' }, { resourceCode: resource.code, key, purpose: '免提交：填充户籍信息', caseRef: 'DRAFT-1' });
  assert.equal(r.record?.name, '王**'); // 王小明: the first character and a star for each other
  // … and not another department
  await assert.rejects(
    lookupRecord(t.ctx, { departmentId: other.id, clientId: null, actor: SYSTEM_ACTOR, onBehalfOf: null }, { resourceCode: resource.code, key, purpose: '免提交', caseRef: 'X' }),
    (err: unknown) => err instanceof ExchangeRefusedError && err.reason === 'no_grant' && err.status === 403,
  );
});

test('lookups read together stay apart: each caller gets exactly what it would get alone', async () => {
  const a = await exchangeClient(t.app, db(), consumer.creditCode, '系统丙');
  const b = await exchangeClient(t.app, db(), consumer.creditCode, '系统丁');
  const o = await exchangeClient(t.app, db(), other.creditCode, '外区系统乙');
  await createTestGrant(db(), { resourceId: resource.id, consumerDepartmentId: consumer.id, clientId: a.clientId, items: ['id_number', 'name'] });
  await createTestGrant(db(), { resourceId: resource.id, consumerDepartmentId: other.id, clientId: o.clientId, items: ['sex'] });
  const [p0, p1] = [people[0]!, people[1]!];
  // the statement alone: one batch of mixed callers (known, or by token), keys and resources answers each in its place
  const hashOf = (tok: string) => createHash('sha256').update(tok).digest('hex');
  const keys: LookupAccessKey[] = [
    { code: resource.code, key: p0.id_number, departmentId: consumer.id, clientId: a.clientId },
    { code: resource.code, key: p1.id_number, departmentId: consumer.id, clientId: b.clientId },
    { code: 'NO-SUCH-RESOURCE', key: p0.id_number, departmentId: consumer.id, clientId: a.clientId },
    { code: resource.code, key: '000000000000000000', departmentId: consumer.id, clientId: a.clientId },
    { code: resource.code, key: p1.id_number, departmentId: other.id, clientId: o.clientId },
    { code: resource.code, key: p0.id_number, tokenHash: hashOf(a.token) },
    { code: resource.code, key: p1.id_number, tokenHash: hashOf(o.token) },
    { code: resource.code, key: p0.id_number, tokenHash: hashOf('x'.repeat(43)) },
    { code: resource.code, key: 'A\u0000B', departmentId: consumer.id, clientId: a.clientId },
  ];
  const together = await readLookupAccess(db(), keys);
  const alone = await Promise.all(keys.map(async (k) => (await readLookupAccess(db(), [k]))[0]!));
  assert.deepEqual(together, alone);
  const idOf = (rows: LookupAccessRow[]) => rows.map((r) => (r.data === null ? null : (typeof r.data === 'string' ? JSON.parse(r.data) : r.data).id_number));
  assert.ok(idOf(together[0]!.rows).includes(p0.id_number), 'a: its record under its grant');
  assert.deepEqual(idOf(together[1]!.rows).filter(Boolean), [], 'b: no grant of its own, no record');
  assert.deepEqual(together[2]!.rows, [], 'unknown resource: no rows');
  assert.deepEqual(idOf(together[3]!.rows).filter(Boolean), [], 'unknown key: no record');
  assert.ok(idOf(together[4]!.rows).includes(p1.id_number), 'the other department: under its own grant');
  assert.equal(together[0]!.principal, undefined, 'a known caller: no principal read');
  // by token: the token's client read with the same rows as that client named directly
  assert.deepEqual(together[5]!.rows, together[0]!.rows);
  assert.equal(together[5]!.principal?.clientId, a.clientId);
  assert.equal(together[5]!.principal?.departmentId, consumer.id);
  assert.deepEqual(together[5]!.principal?.scopes, ['data.exchange.read']);
  assert.deepEqual(together[6]!.rows, together[4]!.rows);
  assert.equal(together[6]!.principal?.clientId, o.clientId);
  assert.deepEqual(together[7], { rows: [], principal: null }, 'an unknown token: no caller, nothing read');
  assert.deepEqual(together[8], { rows: [] }, 'text PostgreSQL cannot take: nothing read, and the others not failed');

  // through the API, calls arriving together (gathered into one statement) answer each caller as alone
  const batches: number[] = [];
  let byToken = 0;
  const loader = t.ctx.exchangeLookups;
  t.ctx.exchangeLookups = perTurnLoader<LookupAccessKey, LookupAccess>((ks) => {
    batches.push(ks.length);
    byToken += ks.filter((k) => 'tokenHash' in k).length;
    return readLookupAccess(db(), ks);
  });
  try {
    // a client without the exchange scope, and one disabled: their token is read with the others, the access
    // check then refuses them (403, 401) and nothing of the record is told
    const noScope = await exchangeClient(t.app, db(), consumer.creditCode, '审计检索系统', ['audit.search']);
    await createTestGrant(db(), { resourceId: resource.id, consumerDepartmentId: consumer.id, clientId: noScope.clientId, items: ['name'] });
    const off = await exchangeClient(t.app, db(), consumer.creditCode, '已停用系统');
    await createTestGrant(db(), { resourceId: resource.id, consumerDepartmentId: consumer.id, clientId: off.clientId, items: ['name'] });
    await sql`UPDATE api_clients SET disabled_at = now() WHERE client_id = ${off.clientId}`.execute(db());
    const calls = [
      { c: noScope, key: p0.id_number, status: 403 },
      { c: off, key: p0.id_number, status: 401 },
      { c: a, key: p0.id_number, status: 200 },
      { c: b, key: p0.id_number, status: 403 },
      { c: o, key: p1.id_number, status: 200 },
      { c: a, key: '000000000000000000', status: 404 },
      { c: a, key: p1.id_number, status: 200 },
      { c: o, key: p0.id_number, status: 200 },
      { c: a, key: 'A\u0001B', status: 400 }, // bad input beside the others: its own 400, theirs unharmed
    ];
    const res = await Promise.all(calls.map((x) => t.app.inject({ url: lookupPath(resource.code, x.key), headers: x.c.headers })));
    assert.deepEqual(res.map((r) => r.statusCode), calls.map((x) => x.status), res.map((r) => r.body).join('\n'));
    assert.ok(Math.max(...batches) > 1, `calls were read together: batches ${batches.join(',')}`);
    assert.equal(byToken, calls.length - 1, 'each well-formed call read its token with its lookup (one statement)');
    for (const [i, r] of res.entries()) {
      if (r.statusCode !== 200) {
        assert.ok(!r.body.includes(people[0]!.name) && !r.body.includes(people[1]!.name), 'nothing of a record outside a 200');
        continue;
      }
      const body = r.json() as { items: string[]; record: Record<string, unknown>; request: { key: string; client: string } };
      assert.equal(body.request.key, calls[i]!.key);
      assert.equal(body.request.client, calls[i]!.c.clientId);
      assert.deepEqual(Object.keys(body.record).sort(), calls[i]!.c === o ? ['sex'] : ['id_number', 'name']);
    }
  } finally {
    t.ctx.exchangeLookups = loader;
  }
});

test('with a grant: exactly the granted items and rows, masked as configured, clear items in clear', async () => {
  const c = await exchangeClient(t.app, db(), consumer.creditCode, '婚姻登记系统');
  await createTestGrant(db(), {
    resourceId: resource.id,
    consumerDepartmentId: consumer.id,
    clientId: c.clientId,
    items: ['id_number', 'name', 'sex', 'address'],
    clearItems: ['name'],
    rowFilter: { region_code: ['330106'] },
  });
  const p = inXihu()[1]!;
  const res = await t.app.inject({ url: lookupPath(resource.code, p.id_number), headers: c.headers });
  assert.equal(res.statusCode, 200, res.body);
  const body = res.json() as { record: Record<string, unknown>; items: string[]; version: number; resource: string };
  assert.deepEqual(Object.keys(body.record).sort(), ['address', 'id_number', 'name', 'sex']);
  assert.equal(body.record.id_number, `${p.id_number.slice(0, 6)}********${p.id_number.slice(14)}`);
  assert.equal(body.record.name, p.name, 'name is a clear item');
  assert.equal(body.record.sex, p.sex);
  assert.equal(body.record.address, `${[...p.address].slice(0, 6).join('')}***`);
  assert.ok(!res.body.includes(p.birth_date) && !JSON.stringify(body.record).includes(p.id_number), 'no ungranted item, no full ID number');
  assert.equal(body.version, 1);
  assert.equal(res.headers['cache-control'], 'no-store');

  // fewer items when asked; an item beyond the grant is refused
  const few = await t.app.inject({ url: lookupPath(resource.code, p.id_number, { items: 'sex' }), headers: c.headers });
  assert.deepEqual((few.json() as { record: unknown }).record, { sex: p.sex });
  const beyond = await t.app.inject({ url: lookupPath(resource.code, p.id_number, { items: 'sex,birth_date' }), headers: c.headers });
  assert.equal(beyond.statusCode, 403);
  assert.equal(((await lastEvent('exchange.refused')).details as { reason: string }).reason, 'item_not_granted');

  // a record outside the row filter: refused, and nothing of it is told
  const q = inChunan()[0]!;
  const out = await t.app.inject({ url: lookupPath(resource.code, q.id_number), headers: c.headers });
  assert.equal(out.statusCode, 403);
  assert.ok(!out.body.includes(q.name) && !out.body.includes(q.address.slice(0, 6)));
  assert.equal(((await lastEvent('exchange.refused')).details as { reason: string }).reason, 'row_outside_filter');

  // a key not found within the grant: 404, still logged, with its request id and hash
  const missing = await t.app.inject({ url: lookupPath(resource.code, '330106199901010000'), headers: c.headers });
  assert.equal(missing.statusCode, 404);
  const mb = missing.json() as { error: { code: string; requestId: string }; requestHash: string };
  assert.equal(mb.error.code, 'NOT_FOUND');
  assert.equal(missing.headers['x-request-hash'], mb.requestHash);
  const ev = await lastEvent('exchange.records_read');
  assert.equal((ev.details as { requestId: string; count: number }).requestId, mb.error.requestId);
  assert.equal((ev.details as { count: number }).count, 0);

  // the query API: only rows within the row filter, only granted items, masked
  const all = await t.app.inject({ url: `/api/v1/exchange/resources/${resource.code}/records?purpose=${encodeURIComponent('批量核验')}&case=PL-7&rows=100`, headers: c.headers });
  assert.equal(all.statusCode, 200, all.body);
  const ab = all.json() as { total: number; records: Record<string, unknown>[] };
  assert.equal(ab.total, inXihu().length);
  assert.equal(ab.records.length, inXihu().length);
  for (const r of ab.records) {
    assert.deepEqual(Object.keys(r).sort(), ['address', 'id_number', 'name', 'sex']);
    assert.match(String(r.id_number), /^330106\*{8}[0-9X]{4}$/);
  }
  const women = await t.app.inject({ url: `/api/v1/exchange/resources/${resource.code}/records?purpose=${encodeURIComponent('批量核验')}&case=PL-7&filter.sex=${encodeURIComponent('女')}&rows=2&start=0`, headers: c.headers });
  const wb = women.json() as { total: number; records: Record<string, unknown>[] };
  assert.equal(wb.total, inXihu().filter((x) => x.sex === '女').length);
  assert.ok(wb.records.length <= 2 && wb.records.every((r) => r.sex === '女'));
  // a filter on an item withheld would tell what it holds: refused
  const hidden = await t.app.inject({ url: `/api/v1/exchange/resources/${resource.code}/records?purpose=${encodeURIComponent('批量核验')}&case=PL-7&filter.birth_date=1985-01-15`, headers: c.headers });
  assert.equal(hidden.statusCode, 403);
  // nor on an item granted masked (the address): a guess would be confirmed by the answer; one granted in clear
  // (the name) is fine
  const guess = await t.app.inject({ url: `/api/v1/exchange/resources/${resource.code}/records?purpose=${encodeURIComponent('批量核验')}&case=PL-7&filter.address=${encodeURIComponent(inXihu()[0]!.address)}`, headers: c.headers });
  assert.equal(guess.statusCode, 403, guess.body);
  assert.equal(((await lastEvent('exchange.refused')).details as { reason: string }).reason, 'filter_on_masked_item');
  const byName = await t.app.inject({ url: `/api/v1/exchange/resources/${resource.code}/records?purpose=${encodeURIComponent('批量核验')}&case=PL-7&filter.name=${encodeURIComponent(inXihu()[0]!.name)}`, headers: c.headers });
  assert.equal(byName.statusCode, 200, byName.body);
  // the identifier (the key, masked in the answer) is how records are found: allowed
  const byId = await t.app.inject({ url: `/api/v1/exchange/resources/${resource.code}/records?purpose=${encodeURIComponent('批量核验')}&case=PL-7&filter.id_number=${inXihu()[0]!.id_number}`, headers: c.headers });
  assert.equal(byId.statusCode, 200, byId.body);
  assert.equal((byId.json() as { total: number }).total, 1);
  const tooMany = await t.app.inject({ url: `/api/v1/exchange/resources/${resource.code}/records?purpose=${encodeURIComponent('批量核验')}&case=PL-7&rows=101`, headers: c.headers });
  assert.equal(tooMany.statusCode, 400);
  const query = await lastEvent('exchange.records_read');
  assert.equal((query.details as { method: string; count: number }).method, 'query');
});

test('an expired grant and a revoked grant stop at once: the very next call', async () => {
  const c = await exchangeClient(t.app, db(), consumer.creditCode, '社会救助系统');
  const g = await createTestGrant(db(), { resourceId: resource.id, consumerDepartmentId: consumer.id, clientId: c.clientId, items: ['name'] });
  const url = lookupPath(resource.code, people[2]!.id_number);
  assert.equal((await t.app.inject({ url, headers: c.headers })).statusCode, 200);
  await sql`UPDATE share_grants SET expires_at = now() - interval '1 second' WHERE id = ${g.id}`.execute(db());
  const expired = await t.app.inject({ url, headers: c.headers });
  assert.equal(expired.statusCode, 403);
  assert.match(expired.body, /过期/);
  assert.equal(((await lastEvent('exchange.refused')).details as { reason: string }).reason, 'expired');

  const c2 = await exchangeClient(t.app, db(), consumer.creditCode, '低保审核系统');
  const g2 = await createTestGrant(db(), { resourceId: resource.id, consumerDepartmentId: consumer.id, clientId: c2.clientId, items: ['name'] });
  assert.equal((await t.app.inject({ url, headers: c2.headers })).statusCode, 200);
  await sql`UPDATE share_grants SET status = 'revoked', revoked_at = now() WHERE id = ${g2.id}`.execute(db());
  const revoked = await t.app.inject({ url, headers: c2.headers });
  assert.equal(revoked.statusCode, 403);
  assert.match(revoked.body, /撤销/);
  assert.equal(((await lastEvent('exchange.refused')).details as { reason: string }).reason, 'revoked');
  // the query API as well
  const q = await t.app.inject({ url: `/api/v1/exchange/resources/${resource.code}/records?purpose=${encodeURIComponent('核验')}&case=A1`, headers: c2.headers });
  assert.equal(q.statusCode, 403);
});

test('an ID number with a lower-case x (or full-width digits) finds its record, by lookup and by filter; other keys are taken as given', async () => {
  // the loader stores ID numbers as validate-data-record.ts normalises them: NFKC, no spaces, X in upper case
  const persons = population(21); // the 20th and 21st have an X check character
  const px = persons.find((p) => p.id_number.endsWith('X'))!;
  assert.ok(px, 'a person whose ID number ends in X');
  const res = await createTestResource(db(), { code: 'GA-HJRK-X', providerDepartmentId: provider.id, records: persons as unknown as Record<string, unknown>[] });
  const c = await exchangeClient(t.app, db(), consumer.creditCode, '身份核验系统');
  await createTestGrant(db(), { resourceId: res.id, consumerDepartmentId: consumer.id, clientId: c.clientId, items: ['id_number', 'name'] });
  const lower = px.id_number.toLowerCase();
  const fullWidth = [...lower].map((ch) => String.fromCharCode(ch.charCodeAt(0) + 0xfee0)).join(''); // ０-９, ｘ
  for (const key of [px.id_number, lower, fullWidth, `${lower.slice(0, 6)} ${lower.slice(6)}`]) {
    const r = await t.app.inject({ url: lookupPath(res.code, key), headers: c.headers });
    assert.equal(r.statusCode, 200, `${key}: ${r.body}`);
    const b = r.json() as { record: { name: string }; request: { key: string } };
    assert.equal(b.record.name, `${[...px.name][0]}${'*'.repeat([...px.name].length - 1)}`);
    assert.equal(b.request.key, px.id_number, 'the key as the records hold it is what the request hash covers');
    const ev = await lastEvent('exchange.records_read');
    assert.equal((ev.details as { count: number }).count, 1);
    const subjects = await db().selectFrom('data_access_subjects').select('subject').where('seq', '=', Number(ev.seq)).execute();
    assert.deepEqual(subjects.map((x) => x.subject), [await accessSubject(db(), px.id_number)]);
  }
  // the same read for the platform acting for a department (no token)
  await createTestGrant(db(), { resourceId: res.id, consumerDepartmentId: consumer.id, clientId: null, items: ['name'] });
  const direct = await lookupRecord(t.ctx, { departmentId: consumer.id, clientId: null, actor: SYSTEM_ACTOR, onBehalfOf: null }, { resourceCode: res.code, key: lower, purpose: '免提交：核验身份', caseRef: 'DRAFT-X' });
  assert.ok(direct.record, 'found with a lower-case x');
  // a query's filter on the key item
  const q = await t.app.inject({ url: `/api/v1/exchange/resources/${res.code}/records?purpose=${encodeURIComponent('批量核验')}&case=PL-X&filter.id_number=${encodeURIComponent(lower)}`, headers: c.headers });
  assert.equal(q.statusCode, 200, q.body);
  assert.equal((q.json() as { total: number }).total, 1);

  // a key of another type is compared as given: case is not folded
  const codes = await createTestResource(db(), {
    code: 'MZ-CODES-X',
    providerDepartmentId: provider.id,
    items: [
      { key: 'code', name: '编号', type: 'text', required: true, personal: false },
      { key: 'title', name: '名称', type: 'text', required: true, personal: false },
    ],
    records: [{ code: 'ab-1', title: '小写' }],
  });
  await createTestGrant(db(), { resourceId: codes.id, consumerDepartmentId: consumer.id, clientId: c.clientId, items: ['code', 'title'] });
  assert.equal((await t.app.inject({ url: lookupPath(codes.code, 'ab-1'), headers: c.headers })).statusCode, 200);
  assert.equal((await t.app.inject({ url: lookupPath(codes.code, 'AB-1'), headers: c.headers })).statusCode, 404);
});

test('every call carries a purpose and a case reference: 400 naming the field', async () => {
  const c = await exchangeClient(t.app, db(), consumer.creditCode, '核验系统');
  await createTestGrant(db(), { resourceId: resource.id, consumerDepartmentId: consumer.id, clientId: c.clientId, items: ['name'] });
  const key = people[0]!.id_number;
  const cases: [string, string][] = [
    [lookupPath(resource.code, key, { purpose: null }), 'purpose'],
    [lookupPath(resource.code, key, { purpose: '查' }), 'purpose'],
    [lookupPath(resource.code, key, { purpose: 'x'.repeat(201) }), 'purpose'],
    [lookupPath(resource.code, key, { case: null }), 'case'],
    [lookupPath(resource.code, key, { case: '  ' }), 'case'],
    [lookupPath(resource.code, key, { case: 'C'.repeat(65) }), 'case'],
    [`/api/v1/exchange/resources/${resource.code}/records?case=A1`, 'purpose'],
    [`/api/v1/exchange/resources/${resource.code}/records?purpose=${encodeURIComponent('核验身份')}`, 'case'],
  ];
  for (const [url, field] of cases) {
    const res = await t.app.inject({ url, headers: c.headers });
    assert.equal(res.statusCode, 400, url);
    const e = (res.json() as { error: { code: string; field: string; message: string } }).error;
    assert.equal(e.code, 'INVALID_PARAMETER');
    assert.equal(e.field, field, url);
    assert.ok(/[\u4e00-\u9fff]/.test(e.message));
  }
  // an unknown parameter of the query API
  assert.equal((await t.app.inject({ url: `/api/v1/exchange/resources/${resource.code}/records?purpose=${encodeURIComponent('核验身份')}&case=A1&sex=1`, headers: c.headers })).statusCode, 400);
});

test('request id and request hash: in headers and body, recomputable, kept in the evidence', async () => {
  const c = await exchangeClient(t.app, db(), consumer.creditCode, '不动产系统');
  await createTestGrant(db(), { resourceId: resource.id, consumerDepartmentId: consumer.id, clientId: c.clientId, items: ['name', 'sex'] });
  const p = people[4]!;
  const res = await t.app.inject({ url: lookupPath(resource.code, p.id_number, { onBehalfOf: 'user:zhangsan', case: 'BDC-2026-88' }), headers: c.headers });
  assert.equal(res.statusCode, 200, res.body);
  const body = res.json() as { requestId: string; requestHash: string; request: Record<string, unknown> };
  assert.match(body.requestId, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.equal(res.headers['x-request-id'], body.requestId);
  assert.equal(res.headers['x-request-hash'], body.requestHash);
  // recompute: SHA-256 of the RFC 8785 canonical JSON of the request as hashed
  const expected = {
    method: 'lookup',
    resource: resource.code,
    key: p.id_number,
    items: ['name', 'sex'],
    purpose: '办理户籍业务核验身份',
    caseRef: 'BDC-2026-88',
    client: c.clientId,
    department: consumer.id,
    onBehalfOf: 'user:zhangsan',
    requestId: body.requestId,
    at: body.request.at,
  };
  assert.deepEqual(body.request, expected);
  assert.equal(createHash('sha256').update(canonicalize(expected)!, 'utf8').digest('hex'), body.requestHash);
  // a different case reference gives a different hash (the hash covers it)
  assert.notEqual(createHash('sha256').update(canonicalize({ ...expected, caseRef: 'BDC-2026-89' })!, 'utf8').digest('hex'), body.requestHash);

  // the evidence: consumer, on whose behalf, purpose, case, which records (hashed), time, request hash — chained
  const ev = await db().selectFrom('audit_events').selectAll().where('action', '=', 'exchange.records_read').where('actor_id', '=', c.clientId).executeTakeFirstOrThrow();
  const d = ev.details as Record<string, unknown>;
  const subject = await accessSubject(db(), p.id_number);
  assert.equal(ev.actor_type, 'client');
  assert.equal(ev.on_behalf_of, 'user:zhangsan');
  assert.equal(ev.department_id, consumer.id);
  assert.equal(ev.target_type, 'data_resource');
  assert.equal(ev.target_id, resource.code);
  assert.equal(ev.request_id, body.requestId);
  assert.equal(d.requestHash, body.requestHash);
  assert.equal(d.requestId, body.requestId);
  assert.equal(d.purpose, '办理户籍业务核验身份');
  assert.equal(d.caseRef, 'BDC-2026-88');
  assert.equal(d.count, 1);
  assert.deepEqual(d.items, ['name', 'sex']);
  assert.deepEqual(d.subjects, [subject]);
  assert.ok(!JSON.stringify(ev).includes(p.id_number), 'no ID number in clear in the evidence');
  const rows = await db().selectFrom('data_access_subjects').selectAll().where('seq', '=', Number(ev.seq)).execute();
  assert.deepEqual(rows.map((r) => r.subject), [subject]);
  assert.equal((await verifyAuditChain(db())).ok, true);
});

test("the grant's rate limit: 429 with Retry-After, logged", async () => {
  const c = await exchangeClient(t.app, db(), consumer.creditCode, '限流测试系统');
  const limit = 3;
  const g = await createTestGrant(db(), { resourceId: resource.id, consumerDepartmentId: consumer.id, clientId: c.clientId, items: ['sex'], ratePerMinute: limit });
  const url = lookupPath(resource.code, people[0]!.id_number);
  // the windows are whole minutes: if one ends during the burst, the burst is repeated in the next
  for (let attempt = 0; ; attempt++) {
    const minute = Math.floor(Date.now() / 60_000);
    const codes: number[] = [];
    for (let i = 0; i <= limit; i++) codes.push((await t.app.inject({ url, headers: c.headers })).statusCode);
    if (Math.floor(Date.now() / 60_000) !== minute && attempt === 0) continue;
    if (attempt === 0) assert.deepEqual(codes, [200, 200, 200, 429]);
    else assert.ok(codes.includes(429));
    break;
  }
  const res = await t.app.inject({ url, headers: c.headers });
  assert.equal(res.statusCode, 429);
  assert.equal((res.json() as { error: { code: string } }).error.code, 'RATE_LIMITED');
  assert.ok(Number(res.headers['retry-after']) >= 1);
  const e = await lastEvent('exchange.refused');
  assert.equal((e.details as { reason: string; grantId: number }).reason, 'rate_limited');
  assert.equal((e.details as { grantId: number }).grantId, g.id);
});

test('resources not shared and unknown resources; staff sessions cannot call the exchange API', async () => {
  const c = await exchangeClient(t.app, db(), consumer.creditCode, '其他系统');
  const closed = await createTestResource(db(), { providerDepartmentId: provider.id, shareType: 'none', records: people.slice(0, 2) as unknown as Record<string, unknown>[] });
  await createTestGrant(db(), { resourceId: closed.id, consumerDepartmentId: consumer.id, clientId: c.clientId, items: ['name'] });
  const res = await t.app.inject({ url: lookupPath(closed.code, people[0]!.id_number), headers: c.headers });
  assert.equal(res.statusCode, 403);
  assert.equal(((await lastEvent('exchange.refused')).details as { reason: string }).reason, 'resource_not_shared');
  await sql`UPDATE data_resources SET status = 'retired' WHERE id = ${resource.id}`.execute(db());
  try {
    const g = await createTestGrant(db(), { resourceId: resource.id, consumerDepartmentId: consumer.id, clientId: c.clientId, items: ['name'] });
    assert.ok(g.id);
    assert.equal((await t.app.inject({ url: lookupPath(resource.code, people[0]!.id_number), headers: c.headers })).statusCode, 403);
  } finally {
    await sql`UPDATE data_resources SET status = 'published' WHERE id = ${resource.id}`.execute(db());
  }
  assert.equal((await t.app.inject({ url: lookupPath('NO-SUCH-RES', people[0]!.id_number), headers: c.headers })).statusCode, 404);

  await createTestStaff(db(), { staffNo: 'EXST01', departmentId: consumer.id, roles: [{ role: 'department_admin' }, { role: 'data_steward' }] });
  const staff = await signInForTest(t.app, { kind: 'staff', identifier: 'EXST01' });
  assert.equal((await t.app.inject({ url: lookupPath(resource.code, people[0]!.id_number), headers: staff.headers })).statusCode, 403);
  assert.equal((await t.app.inject({ url: lookupPath(resource.code, people[0]!.id_number) })).statusCode, 401);
});

test('odd input is a 4xx, never a 500', async () => {
  const c = await exchangeClient(t.app, db(), consumer.creditCode, '模糊测试系统');
  await createTestGrant(db(), { resourceId: resource.id, consumerDepartmentId: consumer.id, clientId: c.clientId, items: ['name', 'sex'], rowFilter: { region_code: ['330106'] } });
  const q = `purpose=${encodeURIComponent('核验身份')}&case=A1`;
  const urls = [
    `/api/v1/exchange/resources/${resource.code}/records/%00?${q}`,
    `/api/v1/exchange/resources/${resource.code}/records/${'9'.repeat(101)}?${q}`,
    `/api/v1/exchange/resources/${resource.code}/records/x?${q}&items=,,`,
    `/api/v1/exchange/resources/${resource.code}/records/x?${q}&items=NAME`,
    `/api/v1/exchange/resources/${resource.code}/records/x?${q}&items=${'a,'.repeat(200)}`,
    `/api/v1/exchange/resources/${resource.code}/records/x?${q}&onBehalfOf=${'u'.repeat(150)}`,
    `/api/v1/exchange/resources/${resource.code}/records/x?${q}&purpose=${encodeURIComponent('核验\u0000身份')}`,
    `/api/v1/exchange/resources/${encodeURIComponent('a/b')}/records/x?${q}`,
    `/api/v1/exchange/resources/${resource.code}/records?${q}&filter.sex=`,
    `/api/v1/exchange/resources/${resource.code}/records?${q}&filter.sex=a&filter.sex=b`,
    `/api/v1/exchange/resources/${resource.code}/records?${q}&filter.Bad-Key=1`,
    `/api/v1/exchange/resources/${resource.code}/records?${q}&filter.name=${encodeURIComponent("' OR 1=1 --")}`,
    `/api/v1/exchange/resources/${resource.code}/records?${q}&filter.name=%00`,
    `/api/v1/exchange/resources/${resource.code}/records?${q}&filter.sex=${encodeURIComponent('女\u0000')}`,
    `/api/v1/exchange/resources/${resource.code}/records?${q}&rows=0`,
    `/api/v1/exchange/resources/${resource.code}/records?${q}&start=-1`,
    `/api/v1/exchange/resources/${resource.code}/records?${q}&start=99999`,
    `/api/v1/exchange/resources/${resource.code}/records?${q}&rows=abc`,
  ];
  for (const url of urls) {
    const res = await t.app.inject({ url, headers: c.headers });
    assert.ok(res.statusCode >= 200 && res.statusCode < 500, `${url} → ${res.statusCode} ${res.body.slice(0, 200)}`);
  }
  for (const payload of [{}, { resource: resource.code }, { resource: resource.code, url: 'not a url' }, { resource: resource.code, url: 'https://user:pw@example.com/' }, { resource: 'NOPE', url: 'https://example.com/' }]) {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/exchange/subscriptions', headers: c.headers, payload });
    assert.ok(res.statusCode >= 400 && res.statusCode < 500, `${JSON.stringify(payload)} → ${res.statusCode}`);
  }
  assert.equal((await t.app.inject({ method: 'DELETE', url: '/api/v1/exchange/subscriptions/999999', headers: c.headers })).statusCode, 404);
  assert.equal((await t.app.inject({ method: 'DELETE', url: '/api/v1/exchange/subscriptions/abc', headers: c.headers })).statusCode, 400);
});
