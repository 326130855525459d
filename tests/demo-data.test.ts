/** The demo catalogue: enough, valid, covering every life event and enterprise stage, and findable by how people talk. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { DEMO_ITEMS, DEMO_QUERIES } from '../src/seed/data/index.ts';
import { DEPARTMENT_KINDS, THEMES, type Theme } from '../src/modules/catalogue/catalogue.types.ts';
import { createTestDatabase } from '../src/testing/test-db.ts';
import { createTestApp, type TestApp } from '../src/testing/test-app.ts';
import { seedCatalogue } from '../src/seed/seed-catalogue.ts';
import { parseImplementationCode } from '../src/shared/codes/item-code.ts';
import { checkCreditCode } from '../src/shared/codes/credit-code.ts';

/** Life events (people) and lifecycle stages (enterprises) the issue names, plus the convenience services. */
const REQUIRED_THEMES: Theme[] = [
  'birth', 'education', 'employment', 'marriage', 'housing', 'vehicles', 'social_insurance', 'medical', 'household',
  'exit_entry', 'assistance', 'retirement', 'funeral', 'startup', 'licensing', 'tax', 'staffing', 'change',
  'deregistration', 'convenience',
];

describe('demo items as written', () => {
  test('at least 300 basic items with unique names', () => {
    assert.ok(DEMO_ITEMS.length >= 300, `${DEMO_ITEMS.length} items`);
    const names = new Set(DEMO_ITEMS.map((i) => i.name));
    assert.equal(names.size, DEMO_ITEMS.length, 'names are unique');
  });

  test('every item is complete and consistent', () => {
    for (const i of DEMO_ITEMS) {
      const where = i.name;
      assert.ok(i.legalBasis.length > 0, `${where}: legal basis`);
      assert.ok(i.conditions.length > 0, `${where}: conditions`);
      assert.ok(i.materials.length > 0, `${where}: materials`);
      assert.ok(i.themes.length > 0, `${where}: themes`);
      assert.ok(i.promisedDays <= i.legalDays || i.legalDays === 0, `${where}: promised ≤ legal`);
      assert.ok(i.handlingType !== 'immediate' || i.promisedDays === 0, `${where}: 即办件 promise 0 days`);
      const levels = DEPARTMENT_KINDS[i.department].levels as readonly string[];
      assert.ok(i.levels.some((l) => levels.includes(l)), `${where}: a level where ${i.department} exists`);
      for (const t of i.themes) assert.ok(t in THEMES, `${where}: theme ${t}`);
    }
  });

  test('the services the issue names are there', () => {
    const names = DEMO_ITEMS.map((i) => i.name);
    for (const n of ['婚姻登记预约', '医院预约挂号', '普通高考成绩查询']) assert.ok(names.includes(n), n);
    const licences = [/食品经营许可/, /药品.*经营许可/, /医疗器械经营/, /化妆品生产许可/, /公共场所卫生许可/, /消防/, /建筑工程施工许可/, /道路.*运输经营许可/];
    for (const licence of licences) assert.ok(names.some((n) => licence.test(n)), String(licence));
    for (const stage of ['个体工商户设立', '有限责任公司设立', '注销']) assert.ok(names.some((n) => n.includes(stage)), stage);
  });

  test('colloquial queries cover every life event and enterprise stage', () => {
    const covered = new Set(DEMO_QUERIES.map((q) => q.theme));
    for (const t of REQUIRED_THEMES) assert.ok(covered.has(t), `a colloquial query for ${THEMES[t].label}`);
    const names = new Set(DEMO_ITEMS.map((i) => i.name));
    for (const q of DEMO_QUERIES) assert.ok(names.has(q.expect), `query ${q.q} expects an existing item ${q.expect}`);
  });
});

describe('colloquial search over the demo catalogue', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp(DEMO_ITEMS, ['330106']);
  });
  after(async () => {
    await t?.close();
  });

  test('each colloquial query finds the item meant in the top 5', () => {
    const misses: string[] = [];
    for (const q of DEMO_QUERIES) {
      const r = t.ctx.catalogue.search({ q: q.q, region: '330106', page: 1, size: 5 });
      if (!r.items.some((i) => i.name === q.expect)) misses.push(`${q.q} → ${q.expect} (got ${r.items.map((i) => i.name).join(' | ')})`);
    }
    assert.deepEqual(misses, []);
  });

  test('pinyin initials: hydj finds 婚姻登记', () => {
    const r = t.ctx.catalogue.search({ q: 'hydj', region: '330106', page: 1, size: 5 });
    assert.ok(r.items.some((i) => i.name.includes('婚姻登记')));
  });
});

describe('the full demo seed', () => {
  test('at least 20,000 published implementation items across at least 100 regions, with valid codes', async () => {
    const database = await createTestDatabase();
    try {
      const summary = (await seedCatalogue(database.db, { items: DEMO_ITEMS }))!;
      assert.ok(summary.implItems >= 20000, `${summary.implItems} implementation items`);
      const row = await sql<{ items: number; regions: number }>`
        SELECT count(*)::int AS items, count(DISTINCT region_code)::int AS regions FROM impl_items WHERE published_version IS NOT NULL
      `.execute(database.db);
      assert.ok(row.rows[0]!.items >= 20000);
      assert.ok(row.rows[0]!.regions >= 100, `${row.rows[0]!.regions} regions`);
      const items = await database.db.selectFrom('impl_items').select(['code', 'region_code']).execute();
      for (const i of items) assert.equal(typeof parseImplementationCode(i.code, i.region_code), 'object', i.code);
      const depts = await database.db.selectFrom('departments').select('credit_code').execute();
      for (const d of depts) assert.equal(checkCreditCode(d.credit_code), null, d.credit_code);
      // every published item has its department, address, phone and time limits
      const incomplete = await sql<{ n: number }>`
        SELECT count(*)::int AS n FROM impl_items i JOIN impl_item_versions v ON v.item_code = i.code AND v.version = i.published_version
        WHERE v.address = '' OR v.consult_phone = '' OR v.legal_days < v.promised_days AND v.legal_days > 0
      `.execute(database.db);
      assert.equal(incomplete.rows[0]!.n, 0);
    } finally {
      await database.close();
    }
  });
});
