/**
 * Machine clients end to end: the administrators' API, the OAuth 2.0 token endpoint (client credentials),
 * bearer tokens as ClientPrincipals, rotation with a grace period, disabling, lockout, access boundaries and
 * bad input. Runs on PGlite and on PostgreSQL.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { createTestApp, type TestApp } from '../../testing/test-app.ts';
import { FIXTURE_ITEMS, FIXTURE_REGIONS } from '../../testing/fixture-items.ts';
import { createTestPerson, createTestStaff, findDepartment, signInForTest, type TestSession } from '../../testing/fixture-accounts.ts';
import { verifyAuditChain } from '../audit/verify-audit-chain.ts';
import { can } from '../access/authorize.ts';
import { CLIENT_SCOPES } from '../access/permissions.ts';
import { creditCodeCheckChar } from '../../shared/codes/credit-code.ts';
import { sha256Hex } from '../../shared/tokens.ts';
import { createClientPrincipalLoader, loadClientPrincipal, loadClientPrincipals } from './load-client-principal.ts';
import { CLIENT_AUTH_FAILURES } from './issue-client-token.ts';

let t: TestApp;
let admin: TestSession; // platform administrator at the province level: every department
let districtAdmin: TestSession; // platform administrator of 西湖区 only
let deptAdmin: TestSession; // a department administrator: not a client manager
let person: TestSession;
let xihu: { id: number; creditCode: string; name: string };
let lucheng: { id: number; creditCode: string; name: string };

before(async () => {
  t = await createTestApp(FIXTURE_ITEMS, FIXTURE_REGIONS);
  const db = t.database.db;
  const province = await findDepartment(db, { regionCode: '330000', kind: 'market_regulation' });
  xihu = await findDepartment(db, { regionCode: '330106', kind: 'market_regulation' });
  lucheng = await findDepartment(db, { regionCode: '330302', kind: 'market_regulation' });
  await createTestStaff(db, { staffNo: 'CLPA01', departmentId: province.id, roles: [{ role: 'platform_admin' }] });
  await createTestStaff(db, { staffNo: 'CLPA02', departmentId: xihu.id, roles: [{ role: 'platform_admin' }] });
  await createTestStaff(db, { staffNo: 'CLDA01', departmentId: xihu.id, roles: [{ role: 'department_admin', includeLowerLevels: true }, { role: 'window_clerk' }] });
  admin = await signInForTest(t.app, { kind: 'staff', identifier: 'CLPA01' });
  districtAdmin = await signInForTest(t.app, { kind: 'staff', identifier: 'CLPA02' });
  deptAdmin = await signInForTest(t.app, { kind: 'staff', identifier: 'CLDA01' });
  const p = await createTestPerson(db);
  person = await signInForTest(t.app, { kind: 'person', identifier: p.mobile });
});
after(async () => {
  await t?.close();
});

interface Created {
  clientId: string;
  clientSecret: string;
}

async function createViaApi(o: { name?: string; department?: string; scopes?: string[] } = {}): Promise<Created> {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/admin/clients',
    headers: admin.headers,
    payload: { name: o.name ?? '数据交换前置机', department: o.department ?? xihu.creditCode, scopes: o.scopes ?? [...CLIENT_SCOPES] },
  });
  assert.equal(res.statusCode, 201, res.body);
  return res.json() as Created;
}

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;

function tokenRequest(o: { auth?: string; fields?: Record<string, string>; payload?: string; contentType?: string }) {
  return t.app.inject({
    method: 'POST',
    url: '/api/v1/oauth/token',
    headers: { 'content-type': o.contentType ?? FORM['content-type'], ...(o.auth ? { authorization: o.auth } : {}) },
    payload: o.payload ?? form(o.fields ?? { grant_type: 'client_credentials' }),
  });
}

async function tokenFor(c: Created, scope?: string): Promise<string> {
  const res = await tokenRequest({ auth: basic(c.clientId, c.clientSecret), fields: { grant_type: 'client_credentials', ...(scope ? { scope } : {}) } });
  assert.equal(res.statusCode, 200, res.body);
  return (res.json() as { access_token: string }).access_token;
}

test('an administrator creates a client: the secret is returned once and only its hash is stored', async () => {
  const c = await createViaApi({ scopes: ['catalogue.draft.read', 'catalogue.draft.read', 'audit.search'] });
  assert.match(c.clientId, /^yw_[0-9a-f]{16}$/);
  assert.match(c.clientSecret, /^[A-Za-z0-9_-]{43}$/);
  const row = await t.database.db.selectFrom('api_clients').selectAll().where('client_id', '=', c.clientId).executeTakeFirstOrThrow();
  assert.equal(row.secret_hash, sha256Hex(c.clientSecret));
  assert.deepEqual(row.scopes, ['catalogue.draft.read', 'audit.search']); // each scope once
  assert.equal(row.department_id, xihu.id);
  assert.ok(!JSON.stringify(row).includes(c.clientSecret));

  const list = await t.app.inject({ url: '/api/v1/admin/clients', headers: admin.headers });
  assert.equal(list.statusCode, 200);
  assert.ok(!list.body.includes(c.clientSecret), 'the list never shows a secret');
  const mine = (list.json() as { clients: { clientId: string; department: { creditCode: string }; disabledAt: string | null }[] }).clients.find((x) => x.clientId === c.clientId);
  assert.equal(mine?.department.creditCode, xihu.creditCode);
  assert.equal(mine?.disabledAt, null);

  const audit = await t.database.db.selectFrom('audit_events').select(['action', 'actor_type']).where('target_id', '=', c.clientId).execute();
  assert.deepEqual(audit, [{ action: 'client.created', actor_type: 'staff' }]);
});

test('a token is issued with HTTP Basic and with body credentials, and authenticates as a ClientPrincipal', async () => {
  const c = await createViaApi({ scopes: ['catalogue.draft.read', 'audit.search'] });
  const viaBasic = await tokenRequest({ auth: basic(c.clientId, c.clientSecret) });
  assert.equal(viaBasic.statusCode, 200, viaBasic.body);
  assert.equal(viaBasic.headers['cache-control'], 'no-store');
  const body = viaBasic.json() as { access_token: string; token_type: string; expires_in: number; scope: string };
  assert.equal(body.token_type, 'Bearer');
  assert.equal(body.expires_in, 3600);
  assert.equal(body.scope, 'catalogue.draft.read audit.search');
  assert.match(body.access_token, /^[A-Za-z0-9_-]{43}$/);

  const viaBody = await tokenRequest({ fields: { grant_type: 'client_credentials', client_id: c.clientId, client_secret: c.clientSecret } });
  assert.equal(viaBody.statusCode, 200, viaBody.body);
  assert.notEqual(viaBody.json().access_token, body.access_token);

  // the token is stored hashed, and resolves to the client, its department and its scopes
  const stored = await t.database.db.selectFrom('client_tokens').select(['client_id']).where('token_hash', '=', sha256Hex(body.access_token)).executeTakeFirst();
  assert.equal(stored?.client_id, c.clientId);
  const p = await loadClientPrincipal(t.database.db, body.access_token);
  assert.equal(p?.kind, 'client');
  assert.equal(p?.clientId, c.clientId);
  assert.equal(p?.departmentId, xihu.id);
  assert.equal(p?.regionCode, '330106');
  assert.deepEqual(p?.scopes, ['catalogue.draft.read', 'audit.search']);
  assert.equal(can(p, 'catalogue.draft.read', { departmentId: xihu.id, departmentKind: 'market_regulation', regionCode: '330106' }), true);
  assert.equal(can(p, 'catalogue.draft.read', { departmentId: lucheng.id, departmentKind: 'market_regulation', regionCode: '330302' }), false);
  assert.equal(can(p, 'clients.manage'), false);

  // through the app: a client is recognised (403 where it lacks the permission, not 401) but is never "signed in"
  const bearer = { authorization: `Bearer ${body.access_token}` };
  assert.equal((await t.app.inject({ url: '/api/v1/admin/clients', headers: bearer })).statusCode, 403);
  assert.equal((await t.app.inject({ url: '/api/v1/me', headers: bearer })).statusCode, 403);
  assert.equal((await t.app.inject({ url: '/api/v1/admin/clients', headers: { authorization: 'Bearer ' + 'x'.repeat(43) } })).statusCode, 401);

  const issued = await t.database.db.selectFrom('audit_events').select(['actor_type', 'actor_id', 'details']).where('action', '=', 'client.token_issued').where('target_id', '=', c.clientId).execute();
  assert.equal(issued.length, 2);
  assert.equal(issued[0]!.actor_type, 'client');
  assert.equal(issued[0]!.actor_id, c.clientId);
});

test('a bearer token acts on the API as its client: its department only, its scopes only', async () => {
  const db = t.database.db;
  const own = await findDepartment(db, { regionCode: '330106', kind: 'civil_affairs' });
  const other = await findDepartment(db, { regionCode: '330302', kind: 'civil_affairs' });
  const ownItem = await db.selectFrom('impl_items').select('code').where('department_id', '=', own.id).executeTakeFirstOrThrow();
  const otherItem = await db.selectFrom('impl_items').select('code').where('department_id', '=', other.id).executeTakeFirstOrThrow();
  const reader = await createViaApi({ department: own.creditCode, scopes: ['catalogue.draft.read'] });
  const auditor = await createViaApi({ department: own.creditCode, scopes: ['audit.search'] });
  const bearer = { authorization: `Bearer ${await tokenFor(reader)}` };

  const list = await t.app.inject({ url: '/api/v1/admin/items', headers: bearer });
  assert.equal(list.statusCode, 200, list.body);
  const items = (list.json() as { total: number; items: { code: string; department: { code: string } }[] }).items;
  assert.ok(items.length > 0);
  assert.ok(items.every((i) => i.department.code === own.creditCode));
  assert.ok(items.some((i) => i.code === ownItem.code));
  // its own department's item: allowed (no open draft → 404); another department's: 403
  assert.equal((await t.app.inject({ url: `/api/v1/admin/items/${ownItem.code}/draft`, headers: bearer })).statusCode, 404);
  assert.equal((await t.app.inject({ url: `/api/v1/admin/items/${otherItem.code}/draft`, headers: bearer })).statusCode, 403);
  // a scope it does not hold
  const auditorBearer = { authorization: `Bearer ${await tokenFor(auditor)}` };
  assert.equal((await t.app.inject({ url: '/api/v1/admin/items', headers: auditorBearer })).statusCode, 403);
});

test('scope narrows the token; a scope beyond the client is invalid_scope', async () => {
  const c = await createViaApi({ scopes: ['catalogue.draft.read', 'audit.search'] });
  const narrow = await tokenRequest({ auth: basic(c.clientId, c.clientSecret), fields: { grant_type: 'client_credentials', scope: 'audit.search' } });
  assert.equal(narrow.statusCode, 200, narrow.body);
  assert.equal(narrow.json().scope, 'audit.search');
  const p = await loadClientPrincipal(t.database.db, narrow.json().access_token);
  assert.deepEqual(p?.scopes, ['audit.search']);
  assert.equal(can(p, 'catalogue.draft.read'), false);

  for (const scope of ['catalogue.draft.write', 'audit.search clients.manage', 'nonsense']) {
    const res = await tokenRequest({ auth: basic(c.clientId, c.clientSecret), fields: { grant_type: 'client_credentials', scope } });
    assert.equal(res.statusCode, 400, scope);
    assert.equal(res.json().error, 'invalid_scope');
    assert.match(res.json().error_description, /权限范围/);
  }
  const refused = await t.database.db.selectFrom('audit_events').select(['outcome']).where('action', '=', 'client.token_refused').where('target_id', '=', c.clientId).execute();
  assert.equal(refused.length, 3);
  assert.ok(refused.every((r) => r.outcome === 'denied'));
});

test('a wrong secret is invalid_client (401); an unknown client looks the same; repeated failures lock the id', async () => {
  const c = await createViaApi();
  const wrong = await tokenRequest({ auth: basic(c.clientId, 'not-the-secret') });
  assert.equal(wrong.statusCode, 401);
  assert.equal(wrong.json().error, 'invalid_client');
  assert.ok(wrong.json().error_description);
  assert.match(String(wrong.headers['www-authenticate']), /^Basic /);
  assert.equal(wrong.headers['cache-control'], 'no-store');
  const unknown = await tokenRequest({ fields: { grant_type: 'client_credentials', client_id: 'yw_0000000000000000', client_secret: 'x' } });
  assert.equal(unknown.statusCode, 401);
  assert.deepEqual(unknown.json(), wrong.json());

  for (let i = 1; i < CLIENT_AUTH_FAILURES.max; i++) {
    const r = await tokenRequest({ fields: { grant_type: 'client_credentials', client_id: c.clientId, client_secret: `wrong-${i}` } });
    assert.equal(r.statusCode, 401);
  }
  // locked: even the right secret is refused for now, with Retry-After
  const locked = await tokenRequest({ auth: basic(c.clientId, c.clientSecret) });
  assert.equal(locked.statusCode, 429, locked.body);
  assert.equal(locked.json().error, 'invalid_client');
  assert.ok(Number(locked.headers['retry-after']) > 0);
  // another client is not affected
  const other = await createViaApi();
  await tokenFor(other);

  const refused = await t.database.db.selectFrom('audit_events').select(['outcome', 'details']).where('action', '=', 'client.token_refused').where('target_id', '=', c.clientId).execute();
  assert.equal(refused.length, CLIENT_AUTH_FAILURES.max);
  assert.ok(refused.every((r) => r.outcome === 'failure' && (r.details as { reason: string }).reason === 'wrong_secret'));
  // once the lock has passed, the right secret works again and clears the count
  await sql`UPDATE auth_throttle SET locked_until = now() - interval '1 second', window_start = now() - interval '1 hour' WHERE key = ${`client-id:${c.clientId}`}`.execute(t.database.db);
  await tokenFor(c);
});

test('rotation: the old secret works during the grace period and not after; grace 0 ends it at once', async () => {
  const c = await createViaApi();
  const rotated = await t.app.inject({ method: 'POST', url: `/api/v1/admin/clients/${c.clientId}/rotate`, headers: admin.headers });
  assert.equal(rotated.statusCode, 200, rotated.body);
  assert.equal(rotated.headers['cache-control'], 'no-store');
  const r = rotated.json() as { clientSecret: string; previousSecretValidUntil: string };
  assert.notEqual(r.clientSecret, c.clientSecret);
  const validFor = Date.parse(r.previousSecretValidUntil) - Date.now();
  assert.ok(validFor > 23 * 3600_000 && validFor <= 24 * 3600_000 + 60_000, `grace ${validFor} ms`);

  await tokenFor({ clientId: c.clientId, clientSecret: r.clientSecret });
  await tokenFor(c); // the previous secret, during the grace period
  const used = await t.database.db.selectFrom('audit_events').select('details').where('action', '=', 'client.token_issued').where('target_id', '=', c.clientId).orderBy('seq', 'desc').executeTakeFirstOrThrow();
  assert.equal((used.details as { previousSecret?: boolean }).previousSecret, true);

  await sql`UPDATE api_clients SET previous_expires_at = now() - interval '1 second' WHERE client_id = ${c.clientId}`.execute(t.database.db);
  const old = await tokenRequest({ auth: basic(c.clientId, c.clientSecret) });
  assert.equal(old.statusCode, 401);
  assert.equal(old.json().error, 'invalid_client');
  await tokenFor({ clientId: c.clientId, clientSecret: r.clientSecret });

  const now = await t.app.inject({ method: 'POST', url: `/api/v1/admin/clients/${c.clientId}/rotate`, headers: admin.headers, payload: { graceSeconds: 0 } });
  assert.equal(now.statusCode, 200, now.body);
  assert.equal(now.json().previousSecretValidUntil, null);
  assert.equal((await tokenRequest({ auth: basic(c.clientId, r.clientSecret) })).statusCode, 401);
  await tokenFor({ clientId: c.clientId, clientSecret: now.json().clientSecret });

  const bad = await t.app.inject({ method: 'POST', url: `/api/v1/admin/clients/${c.clientId}/rotate`, headers: admin.headers, payload: { graceSeconds: -1 } });
  assert.equal(bad.statusCode, 400);
  assert.equal(bad.json().error.field, 'graceSeconds');
  const rotations = await t.database.db.selectFrom('audit_events').select('action').where('action', '=', 'client.secret_rotated').where('target_id', '=', c.clientId).execute();
  assert.equal(rotations.length, 2);
});

test('rotation ends the tokens of the replaced secret: at once with grace 0, with the grace period otherwise', async () => {
  const db = t.database.db;
  const rotate = (clientId: string, graceSeconds: number) =>
    t.app.inject({ method: 'POST', url: `/api/v1/admin/clients/${clientId}/rotate`, headers: admin.headers, payload: { graceSeconds } });
  const lastRotation = async (clientId: string) =>
    (await db.selectFrom('audit_events').select('details').where('action', '=', 'client.secret_rotated').where('target_id', '=', clientId).orderBy('seq', 'desc').executeTakeFirstOrThrow()).details;
  const expiry = async (token: string) => (await db.selectFrom('client_tokens').select('expires_at').where('token_hash', '=', sha256Hex(token)).executeTakeFirst())?.expires_at;

  // grace 0 (after a leak): the tokens already issued stop working now, not within the hour
  const leaked = await createViaApi();
  const [a, b] = [await tokenFor(leaked), await tokenFor(leaked)];
  const bearer = { authorization: `Bearer ${a}` };
  assert.equal((await t.app.inject({ url: '/api/v1/admin/clients', headers: bearer })).statusCode, 403); // recognised
  const now = await rotate(leaked.clientId, 0);
  assert.equal(now.statusCode, 200, now.body);
  assert.equal(await loadClientPrincipal(db, a), null);
  assert.equal(await loadClientPrincipal(db, b), null);
  assert.equal((await t.app.inject({ url: '/api/v1/admin/clients', headers: bearer })).statusCode, 401);
  assert.equal((await lastRotation(leaked.clientId)).tokensRevoked, 2);
  const fresh = await tokenFor({ clientId: leaked.clientId, clientSecret: now.json().clientSecret });
  assert.ok(await loadClientPrincipal(db, fresh));

  // a grace period shorter than a token's hour: the old tokens, and those the old secret still obtains, end with it
  const c = await createViaApi();
  const before = await tokenFor(c);
  const rotated = await rotate(c.clientId, 600);
  assert.equal(rotated.statusCode, 200, rotated.body);
  const graceEnd = Date.parse(rotated.json().previousSecretValidUntil);
  assert.equal((await expiry(before))?.getTime(), graceEnd);
  assert.ok(await loadClientPrincipal(db, before), 'still valid during the grace period');
  assert.equal((await lastRotation(c.clientId)).tokensShortened, 1);
  const viaOld = await tokenRequest({ auth: basic(c.clientId, c.clientSecret) });
  assert.equal(viaOld.statusCode, 200, viaOld.body);
  assert.ok(viaOld.json().expires_in <= 600 && viaOld.json().expires_in > 500, String(viaOld.json().expires_in));
  assert.equal((await expiry(viaOld.json().access_token))?.getTime(), graceEnd);
  const viaNew = await tokenRequest({ auth: basic(c.clientId, rotated.json().clientSecret) });
  assert.equal(viaNew.json().expires_in, 3600);
  assert.ok((await expiry(viaNew.json().access_token))!.getTime() > graceEnd + 2900_000);
  // when the grace period is over (moved into the past here), the old secret's tokens are refused
  await sql`UPDATE client_tokens SET expires_at = now() - interval '1 second' WHERE client_id = ${c.clientId} AND expires_at < now() + interval '1000 seconds'`.execute(db);
  assert.equal(await loadClientPrincipal(db, before), null);
  assert.equal(await loadClientPrincipal(db, viaOld.json().access_token), null);
  assert.ok(await loadClientPrincipal(db, viaNew.json().access_token));

  // the default grace period (24 hours) outlasts every token: none is shortened
  const d = await createViaApi();
  const kept = await tokenFor(d);
  const keptUntil = await expiry(kept);
  assert.equal((await t.app.inject({ method: 'POST', url: `/api/v1/admin/clients/${d.clientId}/rotate`, headers: admin.headers })).statusCode, 200);
  assert.equal((await expiry(kept))?.getTime(), keptUntil?.getTime());
  assert.equal((await lastRotation(d.clientId)).tokensShortened, 0);
});

test('a disabled client: its existing token stops working at once and its secret is refused', async () => {
  const c = await createViaApi();
  const token = await tokenFor(c);
  assert.ok(await loadClientPrincipal(t.database.db, token));
  const bearer = { authorization: `Bearer ${token}` };
  assert.equal((await t.app.inject({ url: '/api/v1/admin/clients', headers: bearer })).statusCode, 403);

  const off = await t.app.inject({ method: 'POST', url: `/api/v1/admin/clients/${c.clientId}/disable`, headers: admin.headers });
  assert.equal(off.statusCode, 200, off.body);
  assert.ok(off.json().client.disabledAt);
  assert.equal(await loadClientPrincipal(t.database.db, token), null);
  assert.equal((await t.app.inject({ url: '/api/v1/admin/clients', headers: bearer })).statusCode, 401);
  const again = await tokenRequest({ auth: basic(c.clientId, c.clientSecret) });
  assert.equal(again.statusCode, 401);
  assert.equal(again.json().error, 'invalid_client');

  assert.equal((await t.app.inject({ method: 'POST', url: `/api/v1/admin/clients/${c.clientId}/disable`, headers: admin.headers })).statusCode, 409);
  assert.equal((await t.app.inject({ method: 'POST', url: `/api/v1/admin/clients/${c.clientId}/rotate`, headers: admin.headers })).statusCode, 409);
});

test('disabled_at alone is enough: a token of a client disabled behind the app’s back stops working', async () => {
  const c = await createViaApi();
  const token = await tokenFor(c);
  await sql`UPDATE api_clients SET disabled_at = now() WHERE client_id = ${c.clientId}`.execute(t.database.db);
  assert.equal(await loadClientPrincipal(t.database.db, token), null);
});

test('tokens read together: each answered as itself, in order — valid, malformed, unknown, expired, disabled', async () => {
  const db = t.database.db;
  const [a, b, off, old] = [await createViaApi(), await createViaApi({ name: '第二个系统' }), await createViaApi({ name: '已停用的系统' }), await createViaApi({ name: '令牌过期的系统' })];
  const [ta, tb, toff, told] = [await tokenFor(a), await tokenFor(b), await tokenFor(off), await tokenFor(old)];
  await sql`UPDATE api_clients SET disabled_at = now() WHERE client_id = ${off.clientId}`.execute(db);
  await sql`UPDATE client_tokens SET expires_at = now() - interval '1 second' WHERE client_id = ${old.clientId}`.execute(db);
  const unknown = 'x'.repeat(43);
  const asked = [tb, 'not a token', ta, unknown, toff, told, ta];
  const got = await loadClientPrincipals(db, asked);
  assert.deepEqual(got.map((p) => p?.clientId ?? null), [b.clientId, null, a.clientId, null, null, null, a.clientId]);
  // the loader gathers the tokens asked for in one turn of the event loop into one statement, and answers each
  const loader = createClientPrincipalLoader(db);
  const viaLoader = await Promise.all(asked.map((tok) => loader.load(tok)));
  assert.deepEqual(viaLoader.map((p) => p?.clientId ?? null), [b.clientId, null, a.clientId, null, null, null, a.clientId]);
  // nothing is cached: a client disabled now is refused on the very next load
  await sql`UPDATE api_clients SET disabled_at = now() WHERE client_id = ${a.clientId}`.execute(db);
  assert.equal(await loader.load(ta), null);
  // and through the API, requests arriving together with different tokens each act as their own client
  const res = await Promise.all([tb, ta, unknown].map((tok) => t.app.inject({ url: '/api/v1/admin/clients', headers: { authorization: `Bearer ${tok}` } })));
  assert.deepEqual(res.map((r) => r.statusCode), [403, 401, 401]);
});

test('only platform administrators manage clients, and only for departments in their scope', async () => {
  for (const who of [deptAdmin, person]) {
    assert.equal((await t.app.inject({ url: '/api/v1/admin/clients', headers: who.headers })).statusCode, 403);
    const create = await t.app.inject({ method: 'POST', url: '/api/v1/admin/clients', headers: who.headers, payload: { name: '越权应用', department: xihu.creditCode, scopes: ['audit.search'] } });
    assert.equal(create.statusCode, 403);
    assert.equal((await t.app.inject({ url: '/admin/clients', headers: who.headers })).statusCode, 403);
  }
  assert.equal((await t.app.inject({ url: '/api/v1/admin/clients' })).statusCode, 401);
  const anonymousPage = await t.app.inject({ url: '/admin/clients' });
  assert.equal(anonymousPage.statusCode, 303);
  assert.match(String(anonymousPage.headers.location), /^\/login\?back=/);

  // 西湖区's platform administrator: 西湖区 yes, 鹿城区 no
  const own = await t.app.inject({ method: 'POST', url: '/api/v1/admin/clients', headers: districtAdmin.headers, payload: { name: '西湖区应用', department: xihu.creditCode, scopes: ['audit.search'] } });
  assert.equal(own.statusCode, 201, own.body);
  const far = await t.app.inject({ method: 'POST', url: '/api/v1/admin/clients', headers: districtAdmin.headers, payload: { name: '鹿城区应用', department: lucheng.creditCode, scopes: ['audit.search'] } });
  assert.equal(far.statusCode, 403);
  const farClient = await createViaApi({ department: lucheng.creditCode });
  const listed = (await t.app.inject({ url: '/api/v1/admin/clients', headers: districtAdmin.headers })).json() as { clients: { clientId: string; department: { regionCode: string } }[] };
  assert.ok(listed.clients.length > 0);
  assert.ok(listed.clients.every((x) => x.department.regionCode === '330106'));
  assert.ok(!listed.clients.some((x) => x.clientId === farClient.clientId));
  for (const action of ['rotate', 'disable']) {
    const res = await t.app.inject({ method: 'POST', url: `/api/v1/admin/clients/${farClient.clientId}/${action}`, headers: districtAdmin.headers });
    assert.equal(res.statusCode, 403, action);
  }
  await tokenFor(farClient); // untouched
  assert.equal(await t.database.db.selectFrom('api_clients').select('client_id').where('name', '=', '鹿城区应用').executeTakeFirst(), undefined);
});

test('bad token requests get RFC 6749 errors (4xx), never a 500', async () => {
  const c = await createViaApi();
  const cases: { name: string; req: Parameters<typeof tokenRequest>[0]; status: number; error: string }[] = [
    { name: 'unknown grant type', req: { auth: basic(c.clientId, c.clientSecret), fields: { grant_type: 'password', username: 'a', password: 'b' } }, status: 400, error: 'unsupported_grant_type' },
    { name: 'no grant type', req: { auth: basic(c.clientId, c.clientSecret), fields: {} }, status: 400, error: 'invalid_request' },
    { name: 'grant type twice', req: { auth: basic(c.clientId, c.clientSecret), payload: 'grant_type=client_credentials&grant_type=client_credentials' }, status: 400, error: 'invalid_request' },
    { name: 'no credentials', req: {}, status: 401, error: 'invalid_client' },
    { name: 'id without secret', req: { fields: { grant_type: 'client_credentials', client_id: c.clientId } }, status: 401, error: 'invalid_client' },
    { name: 'two methods', req: { auth: basic(c.clientId, c.clientSecret), fields: { grant_type: 'client_credentials', client_id: c.clientId, client_secret: c.clientSecret } }, status: 400, error: 'invalid_request' },
    { name: 'ids that disagree', req: { auth: basic(c.clientId, c.clientSecret), fields: { grant_type: 'client_credentials', client_id: 'yw_1111111111111111' } }, status: 400, error: 'invalid_request' },
    { name: 'garbage Basic', req: { auth: 'Basic !!!not-base64' }, status: 401, error: 'invalid_client' },
    { name: 'Basic without a colon', req: { auth: `Basic ${Buffer.from('justanid').toString('base64')}` }, status: 401, error: 'invalid_client' },
    { name: 'Basic with bad escapes', req: { auth: `Basic ${Buffer.from('%zz:%E4').toString('base64')}` }, status: 401, error: 'invalid_client' },
    { name: 'a bearer token', req: { auth: 'Bearer abc' }, status: 401, error: 'invalid_client' },
    { name: 'another scheme', req: { auth: 'Digest username="x"' }, status: 401, error: 'invalid_client' },
    { name: 'JSON body', req: { auth: basic(c.clientId, c.clientSecret), contentType: 'application/json', payload: JSON.stringify({ grant_type: 'client_credentials' }) }, status: 400, error: 'invalid_request' },
    { name: 'broken JSON', req: { contentType: 'application/json', payload: '{' }, status: 400, error: 'invalid_request' },
    { name: 'plain text', req: { contentType: 'text/plain', payload: 'grant_type=client_credentials' }, status: 400, error: 'invalid_request' },
    { name: 'over-long parameter', req: { fields: { grant_type: 'client_credentials', client_id: 'x'.repeat(5000), client_secret: 'y' } }, status: 400, error: 'invalid_request' },
    // control characters in credentials (NUL cannot even be stored): no client has them, refused before any lookup
    { name: 'Basic id with an escaped NUL', req: { auth: basic('\u0000abc', 'secret') }, status: 401, error: 'invalid_client' },
    { name: 'Basic id with a raw NUL', req: { auth: `Basic ${Buffer.from('\u0000abc:secret').toString('base64')}` }, status: 401, error: 'invalid_client' },
    { name: 'Basic id with a NUL inside', req: { auth: basic(`${c.clientId}\u0000`, c.clientSecret) }, status: 401, error: 'invalid_client' },
    { name: 'Basic secret with a NUL', req: { auth: basic(c.clientId, `${c.clientSecret}\u0000`) }, status: 401, error: 'invalid_client' },
    { name: 'Basic id with another control character', req: { auth: basic('yw_\u0001', 'secret') }, status: 401, error: 'invalid_client' },
    { name: 'Basic id with a C1 control', req: { auth: basic('yw_\u0085', 'secret') }, status: 401, error: 'invalid_client' },
    { name: 'body id with a NUL', req: { fields: { grant_type: 'client_credentials', client_id: '\u0000abc', client_secret: 'secret' } }, status: 401, error: 'invalid_client' },
    { name: 'body secret with a NUL', req: { fields: { grant_type: 'client_credentials', client_id: c.clientId, client_secret: 'a\u0000b' } }, status: 401, error: 'invalid_client' },
    { name: 'body id with a tab', req: { fields: { grant_type: 'client_credentials', client_id: `${c.clientId}\t`, client_secret: 'secret' } }, status: 401, error: 'invalid_client' },
    { name: 'body secret with DEL', req: { fields: { grant_type: 'client_credentials', client_id: c.clientId, client_secret: 'a\u007fb' } }, status: 401, error: 'invalid_client' },
  ];
  for (const k of cases) {
    const res = await tokenRequest(k.req);
    assert.equal(res.statusCode, k.status, `${k.name}: ${res.body}`);
    const body = res.json() as { error: string; error_description: string };
    assert.equal(body.error, k.error, k.name);
    assert.match(body.error_description, /[\u4e00-\u9fff]/, `${k.name}: a Chinese description`);
    assert.equal(res.headers['cache-control'], 'no-store', k.name);
    if (k.status === 401) assert.ok(res.headers['www-authenticate'], k.name);
  }
  // those refusals never reached the database: nothing was audited or counted against the client
  const refused = await t.database.db.selectFrom('audit_events').select('seq').where('action', '=', 'client.token_refused').where('target_id', '=', c.clientId).execute();
  assert.deepEqual(refused, []);
  // a token request from another site's page is refused like any cross-site post
  const cross = await t.app.inject({ method: 'POST', url: '/api/v1/oauth/token', headers: { ...FORM, origin: 'https://evil.example', authorization: basic(c.clientId, c.clientSecret) }, payload: form({ grant_type: 'client_credentials' }) });
  assert.equal(cross.statusCode, 403);
  assert.equal(cross.json().error, 'invalid_request');
});

test('bad admin input is a field error (4xx), never a 500, and writes nothing', async () => {
  const before = await t.database.db.selectFrom('api_clients').select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow();
  const first17 = '91330106MA2A0B0C1';
  const cases: { payload: unknown; field: string }[] = [
    { payload: { name: '应用', department: xihu.creditCode, scopes: ['clients.manage'] }, field: 'scopes' },
    { payload: { name: '应用', department: xihu.creditCode, scopes: [] }, field: 'scopes' },
    { payload: { name: '应', department: xihu.creditCode, scopes: ['audit.search'] }, field: 'name' },
    { payload: { name: '应用\u0000', department: xihu.creditCode, scopes: ['audit.search'] }, field: 'name' },
    { payload: { name: '应用', department: xihu.creditCode.slice(0, 17) + (xihu.creditCode.endsWith('0') ? '1' : '0'), scopes: ['audit.search'] }, field: 'department' },
    { payload: { name: '应用', department: first17 + creditCodeCheckChar(first17), scopes: ['audit.search'] }, field: 'department' },
    { payload: { name: '应用', scopes: ['audit.search'] }, field: 'department' },
  ];
  for (const k of cases) {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/admin/clients', headers: admin.headers, payload: k.payload as object });
    assert.equal(res.statusCode, 400, `${JSON.stringify(k.payload)} → ${res.body}`);
    assert.match(res.json().error.field, new RegExp(`^${k.field}`), JSON.stringify(k.payload));
  }
  for (const id of ['x', 'yw_ZZZZ', "yw_0' OR 1=1"]) {
    const res = await t.app.inject({ method: 'POST', url: `/api/v1/admin/clients/${encodeURIComponent(id)}/rotate`, headers: admin.headers });
    assert.equal(res.statusCode, 400, id);
  }
  assert.equal((await t.app.inject({ method: 'POST', url: '/api/v1/admin/clients/yw_0000000000000000/disable', headers: admin.headers })).statusCode, 404);
  // a session's JSON post without the CSRF token is refused
  const noCsrf = await t.app.inject({ method: 'POST', url: '/api/v1/admin/clients', headers: { cookie: admin.cookie }, payload: { name: '应用', department: xihu.creditCode, scopes: ['audit.search'] } });
  assert.equal(noCsrf.statusCode, 403);
  const afterCount = await t.database.db.selectFrom('api_clients').select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow();
  assert.equal(Number(afterCount.n), Number(before.n));
});

test('the pages: list and create form, the secret shown once on the response, rotate and disable buttons', async () => {
  const page = await t.app.inject({ url: '/admin/clients', headers: { cookie: admin.cookie } });
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /<html lang="zh-CN"/);
  assert.match(page.body, /接入应用管理/);
  assert.match(page.body, new RegExp(`name="_csrf" value="${admin.csrfToken}"`));
  assert.match(page.body, /type="checkbox" id="f-scopes-0" name="scopes"/);

  // without the CSRF field: refused
  const forged = await t.app.inject({ method: 'POST', url: '/admin/clients', headers: { cookie: admin.cookie, ...FORM }, payload: form({ name: '页面应用', department: xihu.creditCode, scopes: 'audit.search' }) });
  assert.equal(forged.statusCode, 403);

  // a failed form comes back with the error next to the field
  const failed = await t.app.inject({ method: 'POST', url: '/admin/clients', headers: { cookie: admin.cookie, ...FORM }, payload: form({ _csrf: admin.csrfToken, name: '页面应用', department: xihu.creditCode }) });
  assert.equal(failed.statusCode, 400);
  assert.match(failed.body, /请至少选择一项权限范围/);
  assert.match(failed.body, /value="页面应用"/);

  const body = new URLSearchParams({ _csrf: admin.csrfToken, name: '页面应用', department: xihu.creditCode });
  body.append('scopes', 'catalogue.draft.read');
  body.append('scopes', 'audit.search');
  const created = await t.app.inject({ method: 'POST', url: '/admin/clients', headers: { cookie: admin.cookie, ...FORM }, payload: body.toString() });
  assert.equal(created.statusCode, 201, created.body);
  assert.equal(created.headers['cache-control'], 'no-store');
  assert.equal(created.headers.location, undefined);
  const clientId = /<code>(yw_[0-9a-f]{16})<\/code>/.exec(created.body)?.[1];
  const secret = /<code class="secret">([A-Za-z0-9_-]{43})<\/code>/.exec(created.body)?.[1];
  assert.ok(clientId && secret, 'the page shows the id and the secret');
  const row = await t.database.db.selectFrom('api_clients').select(['scopes', 'secret_hash']).where('client_id', '=', clientId).executeTakeFirstOrThrow();
  assert.deepEqual(row.scopes, ['catalogue.draft.read', 'audit.search']);
  assert.equal(row.secret_hash, sha256Hex(secret));
  await tokenFor({ clientId, clientSecret: secret });

  // the list shows the client, never the secret
  const listed = await t.app.inject({ url: '/admin/clients', headers: { cookie: admin.cookie } });
  assert.ok(listed.body.includes(clientId));
  assert.ok(!listed.body.includes(secret));
  assert.ok(listed.body.includes(`action="/admin/clients/${clientId}/rotate"`));

  const rotated = await t.app.inject({ method: 'POST', url: `/admin/clients/${clientId}/rotate`, headers: { cookie: admin.cookie, ...FORM }, payload: form({ _csrf: admin.csrfToken, graceSeconds: '0' }) });
  assert.equal(rotated.statusCode, 200, rotated.body);
  assert.equal(rotated.headers['cache-control'], 'no-store');
  const newSecret = /<code class="secret">([A-Za-z0-9_-]{43})<\/code>/.exec(rotated.body)?.[1];
  assert.ok(newSecret && newSecret !== secret);
  assert.match(rotated.body, /旧密钥已立即失效/);
  assert.equal((await tokenRequest({ auth: basic(clientId, secret) })).statusCode, 401);
  await tokenFor({ clientId, clientSecret: newSecret });

  const badGrace = await t.app.inject({ method: 'POST', url: `/admin/clients/${clientId}/rotate`, headers: { cookie: admin.cookie, ...FORM }, payload: form({ _csrf: admin.csrfToken, graceSeconds: 'abc' }) });
  assert.equal(badGrace.statusCode, 400);
  assert.match(badGrace.body, /旧密钥保留时间/);

  const disabled = await t.app.inject({ method: 'POST', url: `/admin/clients/${clientId}/disable`, headers: { cookie: admin.cookie, ...FORM }, payload: form({ _csrf: admin.csrfToken }) });
  assert.equal(disabled.statusCode, 303);
  assert.equal(disabled.headers.location, '/admin/clients?done=disabled');
  const done = await t.app.inject({ url: String(disabled.headers.location), headers: { cookie: admin.cookie } });
  assert.match(done.body, /接入应用已停用/);
  const twice = await t.app.inject({ method: 'POST', url: `/admin/clients/${clientId}/disable`, headers: { cookie: admin.cookie, ...FORM }, payload: form({ _csrf: admin.csrfToken }) });
  assert.equal(twice.statusCode, 409);
  assert.match(twice.body, /该接入应用已停用/);
  assert.equal((await tokenRequest({ auth: basic(clientId, newSecret) })).statusCode, 401);
});

test('expired tokens of a client are purged when it is issued a new one', async () => {
  const c = await createViaApi();
  const old = await tokenFor(c);
  await sql`UPDATE client_tokens SET expires_at = now() - interval '1 second' WHERE token_hash = ${sha256Hex(old)}`.execute(t.database.db);
  assert.equal(await loadClientPrincipal(t.database.db, old), null);
  await tokenFor(c);
  const left = await t.database.db.selectFrom('client_tokens').select('token_hash').where('client_id', '=', c.clientId).execute();
  assert.equal(left.length, 1);
  assert.notEqual(left[0]!.token_hash, sha256Hex(old));
});

test('junk sent to every client route by a platform administrator is a 4xx, never a 500', async () => {
  const c = await createViaApi();
  const routes = t.app.declaredRoutes().filter((r) => r.url.includes('clients') || r.url.includes('oauth'));
  assert.ok(routes.length >= 8, routes.map((r) => r.url).join(' '));
  const bodies = [
    { ct: 'application/json', payload: '{' },
    { ct: 'application/json', payload: '[]' },
    { ct: 'application/json', payload: 'null' },
    { ct: 'application/json', payload: JSON.stringify({ name: {}, department: [], scopes: 'x', graceSeconds: '1e999' }) },
    { ct: 'application/json', payload: JSON.stringify({ graceSeconds: 1.5 }) },
    { ct: 'application/x-www-form-urlencoded', payload: `_csrf=${admin.csrfToken}&name=%00&scopes=a&scopes=b&department=${'9'.repeat(30)}&graceSeconds=-1` },
    { ct: 'application/x-www-form-urlencoded', payload: `_csrf=${admin.csrfToken}&graceSeconds=99999999` },
  ];
  const failures: string[] = [];
  for (const r of routes) {
    for (const method of String(r.method).split(',')) {
      if (method !== 'GET' && method !== 'POST') continue;
      for (const id of [c.clientId, 'yw_0000000000000000', 'x']) {
        const url = r.url.replace(':id', id);
        for (const b of method === 'GET' ? [{ ct: undefined, payload: undefined }] : bodies) {
          const res = await t.app.inject({ method, url, headers: { ...admin.headers, ...(b.ct ? { 'content-type': b.ct } : {}) }, payload: b.payload });
          if (res.statusCode >= 500) failures.push(`${method} ${url} ${b.payload ?? ''} → ${res.statusCode} ${res.body.slice(0, 200)}`);
        }
      }
    }
  }
  assert.deepEqual(failures, []);
});

test('the audit chain verifies after all of the above', async () => {
  const report = await verifyAuditChain(t.database.db);
  assert.equal(report.ok, true, JSON.stringify(report));
});

test('the OpenAPI document describes the token endpoint and the admin API', async () => {
  const res = await t.app.inject({ url: '/api/openapi.json' });
  assert.equal(res.statusCode, 200, res.body);
  const paths = (res.json() as { paths: Record<string, Record<string, { requestBody?: { content: Record<string, unknown> } }>> }).paths;
  assert.ok(paths['/api/v1/oauth/token']?.post?.requestBody?.content['application/x-www-form-urlencoded']);
  assert.ok(paths['/api/v1/admin/clients']?.post);
  assert.ok(paths['/api/v1/admin/clients/{id}/rotate']?.post);
  assert.equal(paths['/admin/clients'], undefined); // pages stay out of the API document
});
