/**
 * The index's own mechanics, over the demo items in three counties: the API's JSON is exactly the result's,
 * per-query scratch leaves nothing behind, what is derived on first use (parses, postings, scopes) changes no
 * result, and a page's JSON stays intact while later pages are written.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, type TestApp } from '../../testing/test-app.ts';
import { DEMO_ITEMS } from '../../seed/data/index.ts';
import { createItemVersion } from '../catalogue/create-item-version.ts';
import { publishItemVersion } from '../catalogue/publish-item-version.ts';
import { loadSynonyms } from './load-search-docs.ts';
import { SearchIndex } from './search-index.ts';
import type { SearchParams } from './search.types.ts';

let t: TestApp;
let params: SearchParams[];

before(async () => {
  t = await createTestApp(DEMO_ITEMS, ['330106', '330122', '330302']);
  // one copy of 婚姻登记 (depth 3) becomes fully online: a second text group of the same item, at the same score
  const { code } = await t.ctx.db
    .selectFrom('impl_items as i')
    .innerJoin('basic_items as b', 'b.code', 'i.basic_code')
    .select('i.code')
    .where('b.name', '=', '内地居民婚姻登记（结婚登记）')
    .where('i.region_code', '=', '330302')
    .executeTakeFirstOrThrow();
  const staff = { type: 'staff' as const, id: 'S-1' };
  await createItemVersion(t.ctx.db, { code, changes: { online_depth: 6 }, changeNote: '开通网上办理', actor: staff });
  await publishItemVersion(t.ctx.db, { code, version: 2, actor: staff });
  await t.ctx.catalogue.refresh();

  const index = t.ctx.catalogue.current;
  const dept = index.search({ q: '身份证', page: 1, size: 10 }).facets.department[0]!.value;
  const queries = ['', '结婚登记', '身份证', '身份证丢了怎么补', 'hydj', 'jhdj', 'gjjtq', '证', '换证', '开饭店要办什么证', '食品经营许可', '营业执照注销', 'zzzz', 'ＨＹＤＪ', ' 结婚  登记 ', 'SC', 'ukey'];
  const regions = [undefined, '330000', '330100', '330106', '330122', '330302'];
  const filters: Partial<SearchParams>[] = [
    {},
    { type: 'XK' },
    { object: 'legal', page: 2, size: 3 },
    { object: 'natural', online: true },
    { online: false, size: 5 },
    { theme: 'marriage' },
    { dept },
    { dept, type: 'GG', size: 20 },
    { dept: '91330000000000000X' },
    { page: 3, size: 4 },
  ];
  params = [];
  for (const q of queries) {
    for (const region of regions) {
      for (const f of filters) params.push({ q: q || undefined, region, page: 1, size: 10, ...f });
    }
  }
});
after(async () => {
  await t?.close();
});

test('the JSON of every search is JSON.stringify of its result', () => {
  const index = t.ctx.catalogue.current;
  for (const p of params) assert.equal(index.searchJson(p).toString('utf8'), JSON.stringify(index.search(p)), JSON.stringify(p));
});

test('results do not depend on what was searched before, nor on what a fresh index has yet to derive', async () => {
  const index = t.ctx.catalogue.current;
  const synonyms = await loadSynonyms(t.ctx.db);
  const forward = params.map((p) => JSON.stringify(index.search(p)));
  const fresh = new SearchIndex(index.docs, synonyms);
  const backward = [...params].reverse().map((p) => JSON.stringify(fresh.search(p))).reverse();
  assert.deepEqual(backward, forward);
  assert.deepEqual(params.map((p) => fresh.searchJson(p).toString('utf8')), forward);
});

test('a page’s JSON stays as it was while later pages are written', () => {
  const index = t.ctx.catalogue.current;
  const pages = params.map((p) => index.searchJson(p));
  const copies = pages.map((b) => Buffer.from(b));
  for (const p of params) index.searchJson(p);
  pages.forEach((b, k) => assert.ok(b.equals(copies[k]!), JSON.stringify(params[k])));
});

test('a second text group of one item ranks with it: both copies in one bucket, nearest region first', () => {
  const index = t.ctx.catalogue.current;
  const r = index.search({ q: '结婚登记', region: '330000', page: 1, size: 10 });
  const copies = r.items.filter((i) => i.name === '内地居民婚姻登记（结婚登记）');
  assert.equal(copies.length, 3);
  assert.ok(copies.some((c) => c.onlineDepth === 6) && copies.some((c) => c.onlineDepth !== 6));
  const positions = copies.map((c) => r.items.indexOf(c));
  assert.deepEqual(positions, [positions[0], positions[0]! + 1, positions[0]! + 2], 'adjacent');
});

test('the result cache serves the same bytes as a fresh search', () => {
  const p = { q: '身份证', region: '330106', page: 1, size: 10 };
  const first = t.ctx.catalogue.searchJson(p);
  assert.equal(t.ctx.catalogue.searchJson(p), first, 'the cached buffer');
  assert.equal(first.toString('utf8'), JSON.stringify(t.ctx.catalogue.current.search(p)));
});
