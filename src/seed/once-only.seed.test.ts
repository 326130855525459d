/**
 * The once-only demo on the demo's services and resources (西湖区 and 桐庐县 with their parents): at least five
 * services declare fields or materials from the shared resources, each handling department holds an active
 * grant naming the service, a second run adds nothing, and for 王芳 every declared field and material of every
 * person service is obtained with 同意并获取 (李建国 gets his too where the registers hold them). PGlite and
 * PostgreSQL.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, type TestApp } from '../testing/test-app.ts';
import { createTestPerson, signInForTest, type TestSession } from '../testing/fixture-accounts.ts';
import { DEMO_ITEMS } from './data/index.ts';
import { DEMO_PERSONS } from './accounts.seed.ts';
import { seedDemoDataResources } from './data-resources.seed.ts';
import { DEMO_ONCE_ONLY, seedDemoOnceOnly } from './once-only.seed.ts';

let t: TestApp;
let summary: { declarations: number; grants: number };
const sessions: TestSession[] = [];

before(async () => {
  // the whole demo catalogue (its codes, and so its forms, depend on the whole list), in two counties
  t = await createTestApp(DEMO_ITEMS, ['330106', '330122']);
  const db = t.database.db;
  for (const p of DEMO_PERSONS) {
    const made = await createTestPerson(db, { name: p.name, idNumber: p.idNumber, mobile: p.mobile });
    sessions.push(await signInForTest(t.app, { kind: 'person', identifier: made.mobile }));
  }
  await seedDemoDataResources(db);
  summary = await seedDemoOnceOnly(db);
});

after(async () => {
  await t?.close();
});

/** The implementation of a service 王芳 (西湖区) applies for: the county's, else the city's or the province's. */
async function implFor(name: string, county: string): Promise<{ code: string; department_id: number } | undefined> {
  const rows = await t.database.db
    .selectFrom('impl_items as i')
    .innerJoin('basic_items as b', 'b.code', 'i.basic_code')
    .select(['i.code', 'i.department_id', 'i.region_code'])
    .where('b.name', '=', name)
    .execute();
  return [county, `${county.slice(0, 4)}00`, `${county.slice(0, 2)}0000`].map((r) => rows.find((x) => x.region_code === r)).find(Boolean);
}

test('at least five services are declared, each with an active grant for its handling department', async () => {
  const db = t.database.db;
  assert.ok(summary.declarations > 0 && summary.grants > 0, JSON.stringify(summary));
  const declared = await db.selectFrom('item_data_sources as s').innerJoin('impl_items as i', 'i.code', 's.item_code').select(['i.basic_code', 's.item_code', 'i.department_id', 's.resource_id']).execute();
  const services = new Set(declared.map((d) => d.basic_code));
  assert.ok(services.size >= 5, `services declared: ${[...services].join(', ')}`);
  for (const d of declared) {
    const g = await db
      .selectFrom('share_grants')
      .select(['purpose', 'legal_basis', 'scenario', 'expires_at', 'items'])
      .where('consumer_department_id', '=', d.department_id)
      .where('resource_id', '=', d.resource_id)
      .where('item_code', '=', d.item_code)
      .where('status', '=', 'active')
      .executeTakeFirst();
    assert.ok(g, `a grant for ${d.item_code}`);
    assert.match(g.legal_basis, /政务数据共享条例/);
    assert.match(g.scenario, new RegExp(d.item_code));
    assert.ok(new Date(g.expires_at).getTime() > Date.now() + 300 * 86_400_000, 'about a year ahead');
  }
  const granted = await db.selectFrom('audit_events').select('seq').where('action', '=', 'share.granted').execute();
  assert.equal(granted.length, summary.grants);
  assert.deepEqual(await seedDemoOnceOnly(db), { declarations: 0, grants: 0 }, 'a second run adds nothing');
});

test('王芳 gets every declared field and material of every person service by consent; 李建国 gets his', async () => {
  for (const [i, county] of [
    [0, '330106'],
    [1, '330122'],
  ] as const) {
    let filledAll = 0;
    for (const svc of DEMO_ONCE_ONLY.filter((s) => s.subject === 'person')) {
      const impl = await implFor(svc.name, county);
      assert.ok(impl, `${svc.name} is implemented for ${county}`);
      const r = await t.app.inject({ method: 'POST', url: `/api/v1/drafts/${impl.code}/shared-data`, headers: sessions[i]!.headers, payload: { consent: true } });
      assert.equal(r.statusCode, 200, `${svc.name}: ${r.body}`);
      const out = r.json() as { filled: number; unavailable: number; entries: { key: string; status: string; reason: string | null }[] };
      if (i === 0) assert.equal(out.unavailable, 0, `${svc.name}: ${JSON.stringify(out.entries.filter((e) => e.status !== 'filled'))}`);
      assert.equal(out.filled + out.unavailable, svc.declarations.length);
      filledAll += out.filled;
    }
    assert.ok(filledAll > 0, `${DEMO_PERSONS[i]!.name} gets shared data`);
  }
  // the fills are the registers' values
  const housing = (await implFor('公共租赁住房保障申请', '330106'))!;
  const draft = await t.app.inject({ method: 'GET', url: `/api/v1/drafts/${housing.code}`, headers: sessions[0]!.headers });
  assert.equal(draft.json().draft.formData.maritalStatus, 'married');
  const talent = (await implFor('户口迁入（人才引进）', '330106'))!;
  const d2 = await t.app.inject({ method: 'GET', url: `/api/v1/drafts/${talent.code}`, headers: sessions[0]!.headers });
  assert.equal(d2.json().draft.formData.hukouAddress, '浙江省杭州市西湖区文三路90号3幢2单元501室');
});
