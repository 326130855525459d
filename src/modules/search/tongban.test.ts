/** 通办 items from elsewhere: one copy per item, and the copy that passes the filters when copies differ. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { createTestApp, type TestApp } from '../../testing/test-app.ts';
import { FIXTURE_ITEMS, FIXTURE_REGIONS } from '../../testing/fixture-items.ts';
import { createItemVersion } from '../catalogue/create-item-version.ts';
import { publishItemVersion } from '../catalogue/publish-item-version.ts';

let t: TestApp;
const staff = { type: 'staff' as const, id: 'S-1' };
const NAME = '内地居民婚姻登记（结婚登记）'; // 跨省通办, county level

before(async () => {
  t = await createTestApp(FIXTURE_ITEMS, FIXTURE_REGIONS);
  // 桐庐县 loses its own copy; 鹿城区 (another city) edits its copy to be fully online
  await sql`UPDATE impl_items SET published_version = NULL WHERE region_code = '330122' AND basic_code IN (SELECT code FROM basic_items WHERE name = ${NAME})`.execute(t.ctx.db);
  await sql`UPDATE impl_item_versions SET status = 'draft' WHERE item_code IN (SELECT code FROM impl_items WHERE region_code = '330122' AND published_version IS NULL)`.execute(t.ctx.db);
  const lucheng = await sql<{ code: string }>`SELECT i.code FROM impl_items i JOIN basic_items b ON b.code = i.basic_code WHERE b.name = ${NAME} AND i.region_code = '330302'`.execute(t.ctx.db);
  const code = lucheng.rows[0]!.code;
  await createItemVersion(t.ctx.db, { code, changes: { online_depth: 6, summary: '全程网办' }, changeNote: '开通网上办理', actor: staff });
  await publishItemVersion(t.ctx.db, { code, version: 2, actor: staff });
  await t.ctx.catalogue.refresh();
});
after(async () => {
  await t?.close();
});

test('a county without the item sees one 通办 copy, preferring its own city', () => {
  const r = t.ctx.catalogue.search({ q: '结婚登记', region: '330122', page: 1, size: 20 });
  const copies = r.items.filter((i) => i.name === NAME);
  assert.equal(copies.length, 1);
  assert.equal(copies[0]!.region.code, '330106', 'the copy from the same city (杭州市西湖区)');
});

test('with a filter only another copy passes, that copy is the one counted', () => {
  const r = t.ctx.catalogue.search({ q: '结婚登记', region: '330122', online: true, page: 1, size: 20 });
  const copies = r.items.filter((i) => i.name === NAME);
  assert.equal(copies.length, 1);
  assert.equal(copies[0]!.region.code, '330302', 'the edited, online-handleable copy');
  assert.equal(r.facets.online.find((f) => f.value === '1')?.count, r.total);
});
