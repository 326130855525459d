import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, type TestApp } from '../../testing/test-app.ts';
import { FIXTURE_ITEMS, FIXTURE_REGIONS } from '../../testing/fixture-items.ts';
import { parseImplementationCode } from '../../shared/codes/item-code.ts';
import { checkCreditCode } from '../../shared/codes/credit-code.ts';
import { createItemVersion } from './create-item-version.ts';
import { publishItemVersion } from './publish-item-version.ts';
import type { SearchResult } from '../search/search.types.ts';

let t: TestApp;
before(async () => {
  t = await createTestApp(FIXTURE_ITEMS, FIXTURE_REGIONS);
});
after(async () => {
  await t?.close();
});

const get = async (url: string) => {
  const res = await t.app.inject({ method: 'GET', url });
  return { status: res.statusCode, body: String(res.headers['content-type']).includes('json') ? res.json() : res.body, res };
};

describe('system and regions', () => {
  test('healthz reports the database kind', async () => {
    const { status, body } = await get('/healthz');
    assert.equal(status, 200);
    assert.equal(body.status, 'ok');
    assert.equal(body.database, process.env.DATABASE_URL ? 'postgres' : 'pglite');
  });

  test('regions: list, detail with path and children, 404 and 400', async () => {
    const list = await get('/api/v1/regions');
    assert.equal(list.status, 200);
    assert.ok(list.body.regions.some((r: { code: string }) => r.code === '330106'));
    const d = await get('/api/v1/regions/330100');
    assert.equal(d.body.name, '杭州市');
    assert.deepEqual(d.body.path.map((r: { code: string }) => r.code), ['330000', '330100']);
    assert.ok(d.body.children.some((c: { name: string }) => c.name === '西湖区'));
    assert.equal((await get('/api/v1/regions/339999')).status, 404);
    const bad = await get('/api/v1/regions/33AB06');
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.code, 'INVALID_PARAMETER');
    assert.equal(bad.body.error.field, 'code');
    assert.match(bad.body.error.message, /[\u4e00-\u9fff]/);
  });

  test('departments of a region carry valid credit codes of that region', async () => {
    const { status, body } = await get('/api/v1/departments?region=330106');
    assert.equal(status, 200);
    assert.ok(body.total > 10);
    for (const d of body.departments) {
      assert.equal(checkCreditCode(d.code), null);
      assert.equal(d.code.slice(2, 8), '330106');
    }
    const civil = body.departments.find((d: { kind: string }) => d.kind === 'civil_affairs');
    assert.equal(civil.name, '杭州市西湖区民政局');
    const one = await get(`/api/v1/departments/${civil.code}`);
    assert.equal(one.body.publishedItems, 1);
    assert.equal((await get('/api/v1/departments')).body.error.field, 'region');
    assert.equal((await get('/api/v1/departments?region=110101')).status, 400);
  });
});

describe('items', () => {
  test('search scoped to a county finds its own item first, with facets and highlights', async () => {
    const { status, body } = await get(`/api/v1/items?q=${encodeURIComponent('结婚')}&region=330106`);
    assert.equal(status, 200);
    const r = body as SearchResult;
    assert.equal(r.items[0]!.name, '内地居民婚姻登记（结婚登记）');
    assert.equal(r.items[0]!.region.code, '330106');
    assert.ok(r.items[0]!.highlights.name.length > 0);
    assert.ok(r.facets.type.length > 0 && r.facets.department.length > 0 && r.facets.online.length > 0);
    // other counties' copies of a 通办 item are not repeated when the county has its own
    assert.equal(r.items.filter((i) => i.name === '内地居民婚姻登记（结婚登记）').length, 1);
  });

  test('colloquial words, synonyms and pinyin initials find items', async () => {
    const cases: [string, string][] = [
      ['领证', '内地居民婚姻登记（结婚登记）'],
      ['驾照到期了怎么换', '机动车驾驶证期满换证'],
      ['开饭店要办什么证', '食品经营许可（新办）'],
      ['高考查分', '普通高考成绩查询'],
      ['hydj', '内地居民婚姻登记（结婚登记）'],
      ['jsz', '机动车驾驶证期满换证'],
    ];
    for (const [q, expect] of cases) {
      const { body } = await get(`/api/v1/items?q=${encodeURIComponent(q)}&region=330106`);
      assert.equal(body.items[0]?.name, expect, `query ${q}`);
    }
  });

  test('the region scope: county, its city and the province', async () => {
    const { body } = await get(`/api/v1/items?region=330106&size=100`);
    const regions = new Set((body as SearchResult).items.map((i) => i.region.code));
    for (const r of regions) assert.ok(['330106', '330100', '330000'].includes(r), `unexpected region ${r}`);
    assert.ok(regions.has('330000'));
    const wz = await get(`/api/v1/items?region=330302&size=100`);
    assert.ok(!(wz.body as SearchResult).items.some((i) => i.region.code === '330106'));
  });

  test('filters narrow results and facets count the other filters', async () => {
    const all = (await get('/api/v1/items?size=100')).body as SearchResult;
    const xk = (await get('/api/v1/items?type=XK&size=100')).body as SearchResult;
    assert.ok(xk.total > 0 && xk.total < all.total);
    assert.ok(xk.items.every((i) => i.type === 'XK'));
    const typeFacet = xk.facets.type.find((f) => f.value === 'QR');
    assert.ok(typeFacet && typeFacet.count > 0, 'type facet still offers other types');
    const online = (await get('/api/v1/items?online=1&size=100')).body as SearchResult;
    assert.ok(online.items.every((i) => i.onlineHandleable));
    const legal = (await get('/api/v1/items?object=legal&size=100')).body as SearchResult;
    assert.ok(legal.items.every((i) => i.objects.includes('legal')));
    const theme = (await get('/api/v1/items?theme=marriage&size=100')).body as SearchResult;
    assert.ok(theme.total > 0 && theme.items.every((i) => i.themes.includes('marriage')));
    const dept = theme.items[0]!.department.code;
    const byDept = (await get(`/api/v1/items?dept=${dept}`)).body as SearchResult;
    assert.ok(byDept.items.every((i) => i.department.code === dept));
  });

  test('pagination', async () => {
    const p1 = (await get('/api/v1/items?size=2&page=1')).body as SearchResult;
    const p2 = (await get('/api/v1/items?size=2&page=2')).body as SearchResult;
    assert.equal(p1.items.length, 2);
    assert.notEqual(p1.items[0]!.code, p2.items[0]!.code);
    assert.equal(p1.total, p2.total);
  });

  test('a query with no hits offers suggestions', async () => {
    const { body } = await get(`/api/v1/items?q=${encodeURIComponent('结婚预约办证')}&type=XK&object=legal`);
    assert.equal(body.total, 0);
    assert.ok(Array.isArray(body.suggestions));
    const none = await get(`/api/v1/items?q=${encodeURIComponent('婚礼登记')}&region=330302&type=CF`);
    assert.equal(none.body.total, 0);
    assert.ok(none.body.suggestions.includes('内地居民婚姻登记（结婚登记）'));
  });

  test('bad parameters get 400 naming the field; never a 500', async () => {
    const cases: [string, string][] = [
      ['/api/v1/items?size=101', 'size'],
      ['/api/v1/items?size=0', 'size'],
      ['/api/v1/items?page=abc', 'page'],
      [`/api/v1/items?q=${'婚'.repeat(101)}`, 'q'],
      ['/api/v1/items?region=3301', 'region'],
      ['/api/v1/items?region=999999', 'region'],
      ['/api/v1/items?type=ZZ', 'type'],
      ['/api/v1/items?object=robot', 'object'],
      ['/api/v1/items?online=maybe', 'online'],
      ['/api/v1/items?dept=abc', 'dept'],
      ['/api/v1/items?q=a&q=b', 'q'],
      ['/api/v1/items?colour=red', 'colour'],
      ['/api/v1/items/abc', 'code'],
    ];
    for (const [url, field] of cases) {
      const { status, body } = await get(url);
      assert.equal(status, 400, url);
      assert.equal(body.error.code, 'INVALID_PARAMETER', url);
      assert.equal(body.error.field, field, url);
      assert.match(body.error.message, /[\u4e00-\u9fff]/, url);
    }
  });

  test('HTML and SQL in q are harmless', async () => {
    for (const q of ["<script>alert(1)</script>", "' OR 1=1; DROP TABLE impl_items; --", '%', '\\', '😀', '　']) {
      const api = await get(`/api/v1/items?q=${encodeURIComponent(q)}`);
      assert.equal(api.status, 200, q);
      const page = await get(`/search?q=${encodeURIComponent(q)}`);
      assert.equal(page.status, 200, q);
      assert.ok(!String(page.body).includes('<script>alert(1)</script>'));
    }
    assert.equal((await get('/healthz')).body.publishedItems > 0, true);
  });

  test('the full guide of an item; unknown codes are 404', async () => {
    const hit = ((await get(`/api/v1/items?q=${encodeURIComponent('食品经营许可')}&region=330106`)).body as SearchResult).items[0]!;
    const { status, body } = await get(`/api/v1/items/${hit.code}`);
    assert.equal(status, 200);
    assert.equal(body.name, '食品经营许可（新办）');
    assert.equal(body.materials.length, 3);
    assert.equal(body.materials[2].required, false);
    assert.equal(body.materials[2].condition, '从事食品制售的提供');
    assert.equal(body.materials[1].source, 'shared');
    assert.equal(body.legalDays, 20);
    assert.equal(body.promisedDays, 5);
    assert.ok(body.steps.length >= 3);
    assert.ok(body.department.name.includes('市场监督管理局'));
    assert.equal(body.region.code, '330106');
    const parsed = parseImplementationCode(body.code, '330106');
    assert.equal(typeof parsed, 'object');
    const missing = await get(`/api/v1/items/${body.code.slice(0, 30)}99`);
    assert.equal(missing.status, 404);
    assert.equal(missing.body.error.code, 'NOT_FOUND');
  });

  test('versions: a draft stays private until published; earlier versions are kept', async () => {
    const hit = ((await get(`/api/v1/items?q=${encodeURIComponent('驾驶证')}&region=330106`)).body as SearchResult).items[0]!;
    const code = hit.code;
    const v = await createItemVersion(t.ctx.db, {
      code,
      changes: { promised_days: 0, legal_days: 1, promised_days_note: '材料齐全当场办结' },
      changeNote: '压缩承诺时限',
      actor: { type: 'staff', id: 'S-0001', departmentId: 1 },
    });
    assert.equal(v.version, 2);
    await assert.rejects(createItemVersion(t.ctx.db, { code, changes: {}, changeNote: '再改', actor: { type: 'staff', id: 'S-0001' } }), { code: 'CONFLICT' });
    await t.ctx.catalogue.refresh();
    assert.equal((await get(`/api/v1/items/${code}`)).body.promisedDays, 1, 'public still sees version 1');
    await publishItemVersion(t.ctx.db, { code, version: 2, actor: { type: 'staff', id: 'S-0002' } });
    await t.ctx.catalogue.refresh();
    const now = (await get(`/api/v1/items/${code}`)).body;
    assert.equal(now.version, 2);
    assert.equal(now.promisedDays, 0);
    assert.equal(now.materials.length, 2, 'materials carried into the new version');
    const old = (await get(`/api/v1/items/${code}?version=1`)).body;
    assert.equal(old.promisedDays, 1);
    const versions = (await get(`/api/v1/items/${code}/versions`)).body.versions;
    assert.deepEqual(versions.map((x: { version: number; status: string }) => [x.version, x.status]), [[2, 'published'], [1, 'superseded']]);
    const searched = ((await get(`/api/v1/items?q=${encodeURIComponent('驾驶证')}&region=330106`)).body as SearchResult).items[0]!;
    assert.equal(searched.promisedDays, 0, 'the index followed the new revision');
    await assert.rejects(publishItemVersion(t.ctx.db, { code, version: 2, actor: { type: 'staff', id: 'S-0002' } }), { code: 'CONFLICT' });
    await assert.rejects(createItemVersion(t.ctx.db, { code, changes: { promised_days: 9, legal_days: 5 }, changeNote: 'x', actor: { type: 'staff', id: 'S-0001' } }), { field: 'promised_days' });
    // a change to one limit is checked against the other as carried over (legal 1 day here)
    await assert.rejects(createItemVersion(t.ctx.db, { code, changes: { promised_days: 30 }, changeNote: 'x', actor: { type: 'staff', id: 'S-0001' } }), { field: 'promised_days', code: 'INVALID_PARAMETER' });
  });

  test('the OpenAPI document lists the API', async () => {
    const { status, body } = await get('/api/openapi.json');
    assert.equal(status, 200);
    assert.ok(body.paths['/api/v1/items']);
    assert.ok(body.paths['/api/v1/items/{code}']);
    assert.ok(body.paths['/api/v1/regions/{code}']);
    assert.equal((await get('/api/docs')).status < 400, true);
  });
});

describe('several servers', () => {
  test('an edit to the synonyms reaches the search index through the revision', async () => {
    const before = t.ctx.catalogue.currentRevision;
    await t.ctx.db.insertInto('search_synonyms').values({ term: '喜结连理', expansions: ['结婚登记'] }).execute();
    await t.ctx.catalogue.refresh();
    assert.ok(t.ctx.catalogue.currentRevision > before);
    const r = (await get(`/api/v1/items?q=${encodeURIComponent('喜结连理')}&region=330106`)).body as SearchResult;
    assert.equal(r.items[0]?.name, '内地居民婚姻登记（结婚登记）');
  });
});
