/**
 * Walks every route that declares a schema and sends it input the schema ACCEPTS but nobody would expect — each
 * parameter, query field and body member in turn set to a bound, the longest text, whitespace, control or astral
 * characters, numbers that overflow a database integer (src/testing/schema-samples.ts) — as the principal the
 * route is for. Such input passes validation and reaches the handler; the answer must still be below 500.
 * (tests/no-500.test.ts sends what the schemas refuse.)
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, type TestApp } from '../src/testing/test-app.ts';
import { FIXTURE_ITEMS, FIXTURE_REGIONS } from '../src/testing/fixture-items.ts';
import { createTestPerson, createTestStaff, findDepartment, signInForTest, type TestSession } from '../src/testing/fixture-accounts.ts';
import { SchemaSamples, type JsonSchema } from '../src/testing/schema-samples.ts';

let t: TestApp;
let person: TestSession;
let staff: TestSession;
before(async () => {
  t = await createTestApp(FIXTURE_ITEMS, FIXTURE_REGIONS);
  const p = await createTestPerson(t.database.db);
  person = await signInForTest(t.app, { kind: 'person', identifier: p.mobile });
  const d = await findDepartment(t.database.db, { regionCode: '330106', kind: 'market_regulation' });
  await createTestStaff(t.database.db, { staffNo: 'SCHEMA01', departmentId: d.id, roles: [{ role: 'platform_admin' }] });
  staff = await signInForTest(t.app, { kind: 'staff', identifier: 'SCHEMA01' });
});
after(async () => {
  await t?.close();
});

function queryString(o: unknown): string {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries((o ?? {}) as Record<string, unknown>)) {
    for (const x of Array.isArray(v) ? v : [v]) {
      if (x !== undefined && x !== null) u.append(k, typeof x === 'object' ? JSON.stringify(x) : String(x));
    }
  }
  const s = u.toString();
  return s ? `?${s}` : '';
}

test('no route answers 500 to input its schema accepts', async () => {
  const samples = new SchemaSamples(20261208);
  // signing out would end the sessions the walk uses
  const routes = t.app.declaredRoutes().filter((r) => r.schema && !r.url.includes('logout') && !r.url.startsWith('/api/docs') && !r.url.startsWith('/static'));
  assert.ok(routes.length > 100, `only ${routes.length} routes with a schema`);
  const failures: string[] = [];
  let sent = 0;
  for (const r of routes) {
    const s = r.schema as { params?: JsonSchema; querystring?: JsonSchema; body?: JsonSchema };
    const who = r.access === 'public' ? [{}] : r.access === 'person' ? [person.headers] : r.access === 'signed-in' ? [person.headers, staff.headers] : [staff.headers];
    const params = s.params ? samples.variants(s.params, 25) : [{}];
    const query = s.querystring ? samples.variants(s.querystring, 40) : [{}];
    const body = s.body ? samples.variants(s.body, 60) : [undefined];
    // one part varied at a time, the others plain
    const sends = [
      ...params.map((p) => ({ p, q: query[0], b: body[0] })),
      ...query.slice(1).map((q) => ({ p: params[0], q, b: body[0] })),
      ...body.slice(1).map((b) => ({ p: params[0], q: query[0], b })),
    ];
    for (const method of String(r.method).split(',')) {
      if (method === 'HEAD' || method === 'OPTIONS') continue;
      for (const x of sends) {
        const path = r.url.replace(/:([A-Za-z]+)/g, (_, k: string) => encodeURIComponent(String((x.p as Record<string, unknown>)[k] ?? 'x'))).replace('*', 'x');
        const url = path + queryString(x.q);
        for (const headers of who) {
          const res = await t.app.inject({
            method: method as 'GET',
            url,
            headers: { ...headers, ...(x.b !== undefined ? { 'content-type': 'application/json' } : {}) },
            payload: x.b !== undefined ? JSON.stringify(x.b) : undefined,
          });
          sent++;
          if (res.statusCode >= 500) failures.push(`${method} ${url.slice(0, 200)} ${x.b !== undefined ? JSON.stringify(x.b).slice(0, 200) : ''} → ${res.statusCode}`);
        }
      }
    }
  }
  assert.ok(sent > 3000, `only ${sent} requests sent`);
  assert.deepEqual(failures, []);
});
