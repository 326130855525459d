/** Whatever arrives, the answer is a clear 4xx (or a normal page), never a 500. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, type TestApp } from '../testing/test-app.ts';
import { FIXTURE_ITEMS, FIXTURE_REGIONS } from '../testing/fixture-items.ts';

let t: TestApp;
before(async () => {
  t = await createTestApp(FIXTURE_ITEMS, FIXTURE_REGIONS);
});
after(async () => {
  await t?.close();
});

const ODD_URLS = [
  '/search?q=%',
  '/search?q=%E0%A4%A',
  '/api/v1/items?q=%E0%A4%A',
  '/api/v1/items?q=%00',
  '/api/v1/items?region[]=330106',
  '/api/v1/items?region=330106&region=330100',
  '/api/v1/items?page=1e3',
  '/api/v1/items?page=-1',
  '/api/v1/items?size=1.5',
  '/api/v1/items?page=99999999999999999999',
  '/api/v1/items?page=1000&size=100',
  '/items/%ZZ',
  '/items/' + 'A'.repeat(300),
  '/regions/%00%00%00',
  '/departments/' + '1'.repeat(18),
  '/departments/abc?page=0',
  '/static/../package.json',
  '/static/%2e%2e/package.json',
  '/api/v1/items/' + '9'.repeat(32) + '?version=0',
  '/api/v1/items/' + '9'.repeat(32) + '/versions',
  '/api/v1/nothing-here',
  '/search?theme=<script>',
  '/?region=<b>',
];

test('odd URLs get a 4xx or a page, never a 500', async () => {
  for (const url of ODD_URLS) {
    const res = await t.app.inject({ method: 'GET', url });
    assert.ok(res.statusCode < 500, `${url} → ${res.statusCode}`);
    if (res.statusCode >= 400 && url.startsWith('/api/')) {
      const body = res.json();
      assert.ok(body.error?.code && /[\u4e00-\u9fff]/.test(body.error.message), `${url}: envelope with a Chinese message`);
    }
    assert.ok(!res.body.includes('<script>'), `${url}: input is never echoed as markup`);
  }
});

test('odd bodies and methods get a 4xx', async () => {
  const cases = [
    { method: 'POST' as const, url: '/settings/elder', payload: '{"on":', headers: { 'content-type': 'application/json' } },
    { method: 'POST' as const, url: '/settings/elder', payload: 'on=1', headers: { 'content-type': 'text/xml' } },
    { method: 'POST' as const, url: '/settings/elder', payload: 'x'.repeat(70 * 1024), headers: { 'content-type': 'application/x-www-form-urlencoded' } },
    { method: 'DELETE' as const, url: '/api/v1/items' },
    { method: 'PUT' as const, url: '/api/v1/regions/330106', payload: '{}', headers: { 'content-type': 'application/json' } },
  ];
  for (const c of cases) {
    const res = await t.app.inject(c);
    assert.ok(res.statusCode >= 400 && res.statusCode < 500, `${c.method} ${c.url} → ${res.statusCode}`);
  }
});

test('a way back that cannot be a Location header falls back to the home page', async () => {
  for (const back of ['/%E4%B8%AD', '/\u0001x', '/\u007f', '/中文']) {
    const res = await t.app.inject({ method: 'POST', url: '/settings/elder', payload: `on=1&back=${encodeURIComponent(back)}`, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    assert.equal(res.statusCode, 303, back);
    assert.equal(res.headers.location, back === '/%E4%B8%AD' ? '/%E4%B8%AD' : '/', back);
  }
});

test('router errors use the envelope and the security headers', async () => {
  for (const [url, status] of [['/%', 400], [`/api/v1/items/${'A'.repeat(250)}`, 414]] as const) {
    const res = await t.app.inject({ method: 'GET', url });
    assert.equal(res.statusCode, status, url);
    assert.equal(res.json().error.code, 'INVALID_PARAMETER');
    assert.match(res.json().error.message, /[\u4e00-\u9fff]/);
    assert.ok(res.headers['content-security-policy'], url);
  }
});
