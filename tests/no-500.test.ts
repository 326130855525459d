/**
 * Walks every route the app declares and sends it input nobody should send — missing and malformed
 * parameters, wrong types, junk JSON and form bodies, over-long strings — anonymously and signed in as a
 * person and as staff. Whatever the route, the answer is a 2xx, 3xx or 4xx with the error envelope; never a 500.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, type TestApp } from '../src/testing/test-app.ts';
import { FIXTURE_ITEMS, FIXTURE_REGIONS } from '../src/testing/fixture-items.ts';
import { createTestPerson, createTestStaff, findDepartment, signInForTest, type TestSession } from '../src/testing/fixture-accounts.ts';

let t: TestApp;
let person: TestSession;
let staff: TestSession;
before(async () => {
  t = await createTestApp(FIXTURE_ITEMS, FIXTURE_REGIONS);
  const p = await createTestPerson(t.database.db);
  person = await signInForTest(t.app, { kind: 'person', identifier: p.mobile });
  const d = await findDepartment(t.database.db, { regionCode: '330106', kind: 'market_regulation' });
  await createTestStaff(t.database.db, { staffNo: 'FUZZ01', departmentId: d.id, roles: [{ role: 'department_admin' }, { role: 'window_clerk' }] });
  staff = await signInForTest(t.app, { kind: 'staff', identifier: 'FUZZ01' });
});
after(async () => {
  await t?.close();
});

const PARAM_VALUES = ['x', '0', "1' OR '1'='1", '%E4%B8%AD%E6%96%87', 'a'.repeat(190), '00000000-0000-0000-0000-000000000000', '-1'];
const JSON_BODIES = ['{', '[]', 'null', '{"a":1}', JSON.stringify({ mobile: '1'.repeat(300), code: {}, password: [], name: null, idNumber: 12 })];
const FORM_BODIES = ['a=1', '_csrf=x&name=%00', 'mobile=abc&code=&password='];

function urlsFor(url: string): string[] {
  if (!url.includes(':') && !url.includes('*')) return [url, `${url}?page=-5&size=abc&q=${'长'.repeat(300)}`];
  return PARAM_VALUES.map((v) => url.replace(/:[A-Za-z]+/g, v).replace('*', v));
}

test('no route answers 500, whatever it is sent', async () => {
  const routes = t.app.declaredRoutes().filter((r) => !r.url.startsWith('/api/docs') && !r.url.startsWith('/static'));
  assert.ok(routes.length > 20, `only ${routes.length} routes found`);
  const failures: string[] = [];
  const who = [
    { name: 'anonymous', headers: {} as Record<string, string> },
    { name: 'person', headers: person.headers },
    { name: 'staff', headers: staff.headers },
  ];
  for (const r of routes) {
    for (const method of String(r.method).split(',')) {
      if (method === 'HEAD' || method === 'OPTIONS') continue;
      for (const url of urlsFor(r.url)) {
        for (const w of who) {
          const sends =
            method === 'GET' || method === 'DELETE'
              ? [{}]
              : [...JSON_BODIES.map((payload) => ({ payload, ct: 'application/json' })), ...FORM_BODIES.map((payload) => ({ payload, ct: 'application/x-www-form-urlencoded' }))];
          for (const s of sends as { payload?: string; ct?: string }[]) {
            const res = await t.app.inject({
              method: method as 'GET',
              url,
              payload: s.payload,
              headers: { ...w.headers, ...(s.ct ? { 'content-type': s.ct } : {}) },
            });
            if (res.statusCode >= 500) failures.push(`${w.name} ${method} ${url} ${s.payload ?? ''} → ${res.statusCode} ${res.body.slice(0, 200)}`);
          }
        }
      }
    }
  }
  assert.deepEqual(failures, []);
});
