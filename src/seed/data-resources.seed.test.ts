/**
 * The demo data of the resource catalogue on the test catalogue (three counties and their parents): every
 * resource lands published with its records at data version 1, the demo people and enterprises are in it,
 * resident IDs and credit codes are valid, keys are unique, and a second run adds nothing. PGlite and PostgreSQL.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { createTestDatabase } from '../testing/test-db.ts';
import type { Database } from '../db/database.ts';
import { seedCatalogue } from './seed-catalogue.ts';
import { FIXTURE_ITEMS, FIXTURE_REGIONS } from '../testing/fixture-items.ts';
import { isValidResidentId } from '../shared/codes/resident-id.ts';
import { isValidCreditCode } from '../shared/codes/credit-code.ts';
import { DEMO_ENTERPRISES, DEMO_RESOURCE_CODES, seedDemoDataResources } from './data-resources.seed.ts';
import { DEMO_PERSONS } from './accounts.seed.ts';

let database: Database;
let summary: { resources: number; records: number };

before(async () => {
  database = await createTestDatabase();
  await seedCatalogue(database.db, { items: FIXTURE_ITEMS, regionCodes: FIXTURE_REGIONS });
  summary = await seedDemoDataResources(database.db);
});

after(async () => {
  await database?.close();
});

const record = async (code: string, key: string) => {
  const r = await database.db
    .selectFrom('data_records as d')
    .innerJoin('data_resources as r', 'r.id', 'd.resource_id')
    .select('d.data')
    .where('r.code', '=', code)
    .where('d.record_key', '=', key)
    .where('d.removed_in', 'is', null)
    .executeTakeFirst();
  return r?.data as Record<string, unknown> | undefined;
};

test('every demo resource is published with its records at data version 1', async () => {
  const codes = Object.values(DEMO_RESOURCE_CODES);
  assert.equal(summary.resources, codes.length);
  const rows = await database.db
    .selectFrom('data_resources as r')
    .select(['r.id', 'r.code', 'r.status', 'r.data_version', 'r.record_count', 'r.share_type', 'r.grade', 'r.provider_department_id', 'r.meta_version'])
    .where('r.code', 'in', codes)
    .execute();
  assert.equal(rows.length, codes.length);
  let total = 0;
  for (const r of rows) {
    assert.equal(r.status, 'published', r.code);
    assert.equal(r.data_version, 1, r.code);
    assert.equal(r.meta_version, 1, r.code);
    const n = await database.db.selectFrom('data_records').select(sql<string>`count(*)`.as('n')).where('resource_id', '=', r.id).where('added_in', '<=', 1).where('removed_in', 'is', null).executeTakeFirstOrThrow();
    assert.equal(Number(n.n), r.record_count, `${r.code}: record_count matches the records`);
    assert.ok(r.record_count >= 3000, `${r.code}: realistic scale (${r.record_count})`);
    total += r.record_count;
    const load = await database.db.selectFrom('data_loads').selectAll().where('resource_id', '=', r.id).execute();
    assert.equal(load.length, 1);
    assert.equal(load[0]!.mode, 'full');
    assert.equal(load[0]!.status, 'applied');
    assert.equal(load[0]!.version, 1);
    assert.equal(load[0]!.file_name, '演示数据');
    const versions = await database.db.selectFrom('data_resource_versions').select('version').where('resource_id', '=', r.id).execute();
    assert.deepEqual(versions.map((v) => v.version), [1]);
  }
  assert.equal(total, summary.records);
  const population = rows.find((r) => r.code === DEMO_RESOURCE_CODES.population)!;
  assert.ok(population.record_count >= 50_000);
  const shares = new Set(rows.map((r) => r.share_type));
  assert.deepEqual([...shares].sort(), ['conditional', 'none', 'unconditional']);
  assert.equal(rows.find((r) => r.share_type === 'none')!.grade, 'core');
  // providers are real departments of the (test) catalogue, found despite its few regions
  const provider = await database.db.selectFrom('departments').select(['kind', 'region_code']).where('id', '=', rows.find((r) => r.code === DEMO_RESOURCE_CODES.drivingLicence)!.provider_department_id).executeTakeFirstOrThrow();
  assert.equal(provider.kind, 'traffic_police');
  const pop = await database.db.selectFrom('departments').select(['kind', 'region_code']).where('id', '=', population.provider_department_id).executeTakeFirstOrThrow();
  assert.deepEqual(pop, { kind: 'public_security', region_code: '330000' });
});

test('the demo people are in 户籍人口, 社保参保, 婚姻登记 and 驾驶证; the demo enterprises in 企业登记', async () => {
  const wang = await record(DEMO_RESOURCE_CODES.population, '330106199003071527');
  assert.ok(wang, '王芳 in 户籍人口');
  assert.equal(wang.name, '王芳');
  assert.equal(wang.sex, '女');
  assert.equal(wang.birth_date, '1990-03-07');
  assert.equal(wang.region_code, '330106');
  for (const p of DEMO_PERSONS) {
    assert.equal((await record(DEMO_RESOURCE_CODES.population, p.idNumber))?.name, p.name);
    assert.equal((await record(DEMO_RESOURCE_CODES.socialInsurance, p.idNumber))?.name, p.name);
    assert.equal((await record(DEMO_RESOURCE_CODES.drivingLicence, p.idNumber))?.name, p.name);
    const m = await record(DEMO_RESOURCE_CODES.marriage, p.idNumber);
    assert.equal(m?.marital_status, '已婚');
    // the spouse is a person of 户籍人口 whose own marriage record names them back
    const spouse = await record(DEMO_RESOURCE_CODES.population, String(m.spouse_id_number));
    assert.equal(spouse?.name, m.spouse_name);
    assert.equal((await record(DEMO_RESOURCE_CODES.marriage, String(m.spouse_id_number)))?.spouse_id_number, p.idNumber);
  }
  for (const e of DEMO_ENTERPRISES) {
    assert.ok(isValidCreditCode(e.creditCode), e.creditCode);
    const r = await record(DEMO_RESOURCE_CODES.enterprise, e.creditCode);
    assert.equal(r?.name, e.name);
    assert.equal(r?.legal_rep_id_number, e.legalRepIdNumber);
  }
});

test('resident IDs and credit codes are valid, and every key is in the population or unique', async () => {
  const ids = await database.db
    .selectFrom('data_records as d')
    .innerJoin('data_resources as r', 'r.id', 'd.resource_id')
    .select('d.record_key')
    .where('r.code', '=', DEMO_RESOURCE_CODES.population)
    .execute();
  assert.ok(ids.every((r) => isValidResidentId(r.record_key)), 'valid check digits and birth dates');
  assert.equal(new Set(ids.map((r) => r.record_key)).size, ids.length);
  const people = new Set(ids.map((r) => r.record_key));
  const codes = await database.db
    .selectFrom('data_records as d')
    .innerJoin('data_resources as r', 'r.id', 'd.resource_id')
    .select(['d.record_key', 'd.data'])
    .where('r.code', '=', DEMO_RESOURCE_CODES.enterprise)
    .execute();
  assert.ok(codes.every((r) => isValidCreditCode(r.record_key)), 'valid credit codes');
  assert.ok(codes.every((r) => people.has(String((r.data as Record<string, unknown>).legal_rep_id_number))), 'legal representatives are people of 户籍人口');
  for (const key of ['socialInsurance', 'drivingLicence', 'marriage'] as const) {
    const rows = await database.db
      .selectFrom('data_records as d')
      .innerJoin('data_resources as r', 'r.id', 'd.resource_id')
      .select('d.record_key')
      .where('r.code', '=', DEMO_RESOURCE_CODES[key])
      .execute();
    assert.ok(rows.every((r) => people.has(r.record_key)), `${key}: every person is in 户籍人口`);
  }
});

test('a second run writes nothing', async () => {
  assert.deepEqual(await seedDemoDataResources(database.db), { resources: 0, records: 0 });
});
