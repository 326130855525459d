/**
 * Every GET route, with a NUL or a number too large to be finite in each of its parameters (path and query),
 * answers a 4xx or its normal page — never a 500 — for an anonymous visitor, a staff member holding every role
 * and a machine client holding every scope. The query parameters are the route's own (OpenAPI) or, for pages,
 * the common ones. The NUL and non-finite guard is http/unstorable-input.ts.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, type TestApp } from '../testing/test-app.ts';
import { FIXTURE_ITEMS, FIXTURE_REGIONS } from '../testing/fixture-items.ts';
import { createTestStaff, findDepartment, signInForTest } from '../testing/fixture-accounts.ts';
import { CLIENT_SCOPES, STAFF_ROLES } from '../modules/access/permissions.ts';
import { exchangeClient } from '../modules/exchange/exchange.test-kit.ts';
import { nulInUrl, unstorableField } from './unstorable-input.ts';

let t: TestApp;
before(async () => {
  t = await createTestApp(FIXTURE_ITEMS, FIXTURE_REGIONS);
});
after(async () => {
  await t?.close();
});

/** The full paths of a `printRoutes({ commonPrefix: false })` tree. */
function routePaths(tree: string): string[] {
  const out: string[] = [];
  const stack: string[] = [];
  for (const line of tree.split('\n')) {
    const m = /^((?:[│ ] {3})*)(?:├── |└── )(.*?) \(/.exec(line);
    if (!m) continue;
    stack.length = m[1]!.length / 4;
    stack.push(m[2]!);
    out.push(stack.join(''));
  }
  return out;
}

const PAGE_PARAMS = ['q', 'page', 'size', 'rows', 'start', 'kind', 'status', 'region', 'department', 'from', 'to', 'code', 'day', 'month', 'year', 'key', 'item', 'resource', 'consumer', 'version', 'back'];
const ODD = ['a%00b', '9'.repeat(400)];

test('a NUL or a number beyond range in any parameter of any GET route: a 4xx, never a 500', async () => {
  const db = t.database.db;
  const dep = await findDepartment(db, { regionCode: '330106', kind: 'civil_affairs' });
  await createTestStaff(db, { staffNo: 'ODD001', departmentId: dep.id, roles: STAFF_ROLES.map((role) => ({ role, includeLowerLevels: true })) });
  const callers: [string, Record<string, string>][] = [
    ['anonymous', {}],
    ['staff', (await signInForTest(t.app, { kind: 'staff', identifier: 'ODD001' })).headers],
    ['client', (await exchangeClient(t.app, db, dep.creditCode, '参数测试系统', [...CLIENT_SCOPES])).headers],
  ];
  const spec = t.app.swagger() as { paths: Record<string, { get?: { parameters?: { in: string; name: string }[] } }> };
  const paths = routePaths(t.app.printRoutes({ commonPrefix: false, method: 'GET' })).filter((p) => !p.includes('*') && !p.startsWith('/api/docs'));
  assert.ok(paths.length > 150, `GET routes found: ${paths.length}`);
  const failures: string[] = [];
  let requests = 0;
  for (const path of paths) {
    const documented = spec.paths[path.replace(/:(\w+)/g, '{$1}')]?.get?.parameters;
    const names = documented ? documented.filter((p) => p.in === 'query').map((p) => p.name) : PAGE_PARAMS;
    const urls = ODD.flatMap((odd) => [
      ...(path.includes(':') ? [path.replace(/:\w+/g, odd)] : []),
      ...names.map((n) => `${path.replace(/:\w+/g, 'X1')}?${encodeURIComponent(n)}=${odd}`),
    ]);
    for (const [who, headers] of callers) {
      for (const url of urls) {
        requests++;
        const res = await t.app.inject({ url, headers });
        if (res.statusCode >= 500) failures.push(`${who} ${url.slice(0, 120)} → ${res.statusCode}`);
      }
    }
  }
  assert.ok(requests > 2000, `requests: ${requests}`);
  assert.deepEqual(failures, []);
});

test('the guard names the field: query, path, body', async () => {
  const data = await t.app.inject({ url: '/api/v1/data/resources?q=a%00b' });
  assert.equal(data.statusCode, 400);
  assert.equal(data.json().error.code, 'INVALID_PARAMETER');
  assert.equal(data.json().error.field, 'q');
  const rows = await t.app.inject({ url: `/api/v1/data/resources?rows=${'9'.repeat(400)}` });
  assert.equal(rows.statusCode, 400);
  assert.equal(rows.json().error.field, 'rows');
  assert.match(rows.json().error.message, /[\u4e00-\u9fff]/);
  const page = await t.app.inject({ url: '/data?q=%00' });
  assert.equal(page.statusCode, 400);
  assert.match(page.headers['content-type'] as string, /text\/html/);
  const login = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { kind: 'person', identifier: 'a\u0000b', password: 'x' } });
  assert.equal(login.statusCode, 400);
  assert.equal(login.json().error.field, 'identifier');
  // a lone surrogate (JSON can write one; UTF-8 cannot) in a value; in a member's name (this body's schema
  // refuses unknown members first, naming it; unstorableField's own cases are below)
  for (const [payload, field] of [
    ['{"kind":"person","identifier":"a\\ud800","password":"x"}', 'identifier'],
    ['{"kind":"person","identifier":"a","password":"x","\\udc00k":1}', '\udc00k'],
  ] as const) {
    const r = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', headers: { 'content-type': 'application/json' }, payload });
    assert.equal(r.statusCode, 400, payload);
    assert.equal(r.json().error.field, field, payload);
  }

  assert.equal(nulInUrl('/x?a=1&b=%00'), 'b');
  assert.equal(nulInUrl('/x/%00?a=1'), 'url');
  assert.equal(nulInUrl('/x?a=%0'), undefined);
  assert.equal(unstorableField({ a: [1, { b: 'c\u0000' }] }), 'a.b');
  assert.equal(unstorableField({ n: Number.POSITIVE_INFINITY }), 'n');
  assert.equal(unstorableField({ a: ['x', '\ud83d\ude00', 'y\ud83d'] }), 'a');
  assert.equal(unstorableField({ a: { ['b\u0000']: 1 } }), 'a.b');
  assert.equal(unstorableField({ form: { ['\udc00k']: 'v' } }), 'form.\ufffdk');
  assert.equal(unstorableField({ a: { ['\u0000']: 1 } }), 'a.?');
  assert.equal(unstorableField({ n: 1, s: 'ok', e: '\ud83d\ude00', d: new Date(), buf: Buffer.from([0]) }), undefined);
});
