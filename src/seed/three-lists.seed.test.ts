/**
 * The demo three lists: on the test catalogue (three counties and their parents) every seeded entry passes the
 * editing side's own checks (validateListEntry), editions are consistent (entry counts, one published edition per
 * department and kind, versions 1…n, a realistic v1 → v2 history), fund allocations stay within each year's
 * amount, and a second run adds nothing; on the demo catalogue for the province, its cities and the demo counties
 * there are at least 3,000 powers, one for every service item of a power type each department implements.
 * PGlite and PostgreSQL.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { isDeepStrictEqual } from 'node:util';
import { sql, type Kysely } from 'kysely';
import type { DB, ListKind } from '../db/schema.ts';
import type { Database } from '../db/database.ts';
import { createTestDatabase } from '../testing/test-db.ts';
import { FIXTURE_ITEMS, FIXTURE_REGIONS } from '../testing/fixture-items.ts';
import { DEMO_ITEMS } from './data/index.ts';
import { seedCatalogue } from './seed-catalogue.ts';
import { DEMO_LIST_COUNTIES, seedDemoThreeLists, type ThreeListsSeedSummary } from './three-lists.seed.ts';
import { POWER_REVISIONS } from './data/three-lists/history.ts';
import { INDUSTRY_CLASSES, industryPath } from './data/three-lists/industries.ts';
import { NEGATIVE_2025, NEGATIVE_ENTRIES } from './data/three-lists/negative.ts';
import { ITEM_TYPES, type DepartmentKind } from '../modules/catalogue/catalogue.types.ts';
import { loadItemKinds, validateListEntry } from '../modules/three-lists/validate-list-entry.ts';
import type { FundEntry, PowerEntry } from '../modules/three-lists/three-lists.types.ts';
import type { RegionLevel } from '../shared/codes/region-code.ts';

interface EditionRow {
  id: number;
  list_kind: ListKind;
  department_id: number;
  version: number | null;
  status: string;
  entry_count: number;
  note: string;
  published_at: Date | string | null;
  name: string;
  kind: DepartmentKind;
  region_code: string;
  level: RegionLevel;
}

const editionsOf = (db: Kysely<DB>) =>
  db
    .selectFrom('list_editions as e')
    .innerJoin('departments as d', 'd.id', 'e.department_id')
    .innerJoin('regions as r', 'r.code', 'd.region_code')
    .select(['e.id', 'e.list_kind', 'e.department_id', 'e.version', 'e.status', 'e.entry_count', 'e.note', 'e.published_at', 'd.name', 'd.kind', 'd.region_code', 'r.level'])
    .orderBy('e.id')
    .execute() as Promise<EditionRow[]>;

const entriesOf = async (db: Kysely<DB>, editionId: number) =>
  (await db.selectFrom('list_entries').select(['entry_key', 'data']).where('edition_id', '=', editionId).orderBy('entry_key').execute()).map((r) => ({
    key: r.entry_key,
    data: r.data as Record<string, unknown>,
  }));

/** The data of every entry, by edition. */
async function allEntries(db: Kysely<DB>): Promise<Map<number, Record<string, unknown>[]>> {
  const out = new Map<number, Record<string, unknown>[]>();
  for (const r of await db.selectFrom('list_entries').select(['edition_id', 'data']).orderBy('edition_id').orderBy('entry_key').execute()) {
    out.set(r.edition_id, [...(out.get(r.edition_id) ?? []), r.data as Record<string, unknown>]);
  }
  return out;
}

/** Runs every entry of every edition through the editing side's checks; returns the problems found. */
async function validateAll(db: Kysely<DB>, editions: EditionRow[]): Promise<string[]> {
  const all = await db.selectFrom('list_entries').select(['edition_id', 'entry_key', 'data']).execute();
  const codes = all.flatMap((r) => ((r.data as { itemCodes?: string[] }).itemCodes ?? []));
  const itemKinds = await loadItemKinds(db, codes);
  const byId = new Map(editions.map((e) => [e.id, e]));
  const problems: string[] = [];
  for (const r of all) {
    const e = byId.get(r.edition_id)!;
    const ctx = { departmentName: e.name, departmentKind: e.kind, regionLevel: e.level, itemKinds };
    const res = validateListEntry(e.list_kind, r.data, ctx);
    if (res.problems.length) problems.push(`${e.name} ${r.entry_key}: ${res.problems.map((p) => `${p.field} ${p.message}`).join('；')}`);
    else if (!isDeepStrictEqual(res.entry, r.data)) problems.push(`${e.name} ${r.entry_key}: stored entry differs from its normalised form`);
    if ((r.data as { key: string }).key !== r.entry_key) problems.push(`${e.name} ${r.entry_key}: entry_key differs from the entry's key`);
  }
  return problems;
}

describe('demo three lists on the test catalogue', () => {
  let database: Database;
  let summary: ThreeListsSeedSummary;
  let editions: EditionRow[];

  before(async () => {
    database = await createTestDatabase();
    await seedCatalogue(database.db, { items: FIXTURE_ITEMS, regionCodes: FIXTURE_REGIONS, demoAccounts: true });
    summary = await seedDemoThreeLists(database.db);
    editions = await editionsOf(database.db);
  });
  after(async () => {
    await database?.close();
  });

  test('every seeded entry passes the editing side’s checks', async () => {
    assert.ok(summary.powers > 0 && summary.negative > 0 && summary.funds > 0 && summary.allocations > 0, JSON.stringify(summary));
    assert.deepEqual(await validateAll(database.db, editions), []);
  });

  test('entry counts match, one published edition per department and kind, versions 1…n in order', async () => {
    assert.equal(summary.editions, editions.length);
    const groups = new Map<string, EditionRow[]>();
    const counts = await database.db.selectFrom('list_entries').select(['edition_id', sql<string>`count(*)`.as('n')]).groupBy('edition_id').execute();
    const countOf = new Map(counts.map((c) => [c.edition_id, Number(c.n)]));
    for (const e of editions) {
      assert.equal(countOf.get(e.id) ?? 0, e.entry_count, `edition ${e.id}: entry_count`);
      assert.ok(e.entry_count > 0, `edition ${e.id} has entries`);
      assert.ok(e.note.length > 0, `edition ${e.id} has a revision note`);
      assert.ok(e.published_at && new Date(e.published_at).getTime() < Date.now(), `edition ${e.id} published in the past`);
      const k = `${e.list_kind}:${e.department_id}`;
      groups.set(k, [...(groups.get(k) ?? []), e]);
    }
    for (const [k, list] of groups) {
      const sorted = [...list].sort((a, b) => a.version! - b.version!);
      assert.deepEqual(sorted.map((e) => e.version), sorted.map((_, i) => i + 1), `${k}: versions 1…n`);
      assert.deepEqual(sorted.map((e) => e.status), sorted.map((_, i) => (i === sorted.length - 1 ? 'published' : 'superseded')), `${k}: only the newest is published`);
      for (let i = 1; i < sorted.length; i++) assert.ok(new Date(sorted[i]!.published_at!) > new Date(sorted[i - 1]!.published_at!), `${k}: later versions published later`);
    }
    const published = editions.filter((e) => e.status === 'published');
    const count = (kind: ListKind) => published.filter((e) => e.list_kind === kind).reduce((n, e) => n + e.entry_count, 0);
    assert.equal(count('power'), summary.powers);
    assert.equal(count('negative'), summary.negative);
    assert.equal(count('fund'), summary.funds);
    const rev = await database.db.selectFrom('list_revision').select('revision').executeTakeFirstOrThrow();
    assert.equal(Number(rev.revision), 1, 'the list revision moved');
    // every edition's publication is in the audit log, once, in publication order
    const events = await database.db.selectFrom('audit_events').select(['target_id', 'details']).where('action', '=', 'list.published').orderBy('seq').execute();
    assert.deepEqual(new Set(events.map((e) => Number(e.target_id))), new Set(editions.map((e) => e.id)));
    assert.equal(events.length, editions.length);
    const at = events.map((e) => Date.parse((e.details as { publishedAt: string }).publishedAt));
    assert.ok(at.every((t, i) => i === 0 || t >= at[i - 1]!), 'in publication order');
  });

  test('powers: every department in scope has a list; catalogue items link by basic code; 责任清单 complete', async () => {
    const departments = await database.db
      .selectFrom('departments as d')
      .innerJoin('regions as r', 'r.code', 'd.region_code')
      .select(['d.id', 'd.region_code', 'r.level'])
      .execute();
    const inScope = departments.filter((d) => d.level !== 'county' || DEMO_LIST_COUNTIES.includes(d.region_code));
    const withPowers = new Set(editions.filter((e) => e.list_kind === 'power').map((e) => e.department_id));
    for (const d of inScope) assert.ok(withPowers.has(d.id), `department ${d.id} (${d.region_code}) has a power list`);

    const basic = new Set((await database.db.selectFrom('basic_items').select('code').execute()).map((r) => r.code));
    const impl = await database.db
      .selectFrom('impl_items as i')
      .innerJoin('basic_items as b', 'b.code', 'i.basic_code')
      .select(['i.department_id', 'b.code'])
      .where('b.type', '<>', 'GG')
      .execute();
    const linked = new Set<string>();
    const entries = await allEntries(database.db);
    for (const e of editions.filter((x) => x.list_kind === 'power' && x.status === 'published')) {
      for (const data of entries.get(e.id) ?? []) {
        const p = data as unknown as PowerEntry;
        assert.match(p.key, new RegExp(`^${p.type}-${e.region_code}-\\d{3}-\\d{4}$`));
        assert.ok(p.type in ITEM_TYPES && p.type !== ('GG' as string), p.key);
        for (const c of p.itemCodes) {
          assert.ok(basic.has(c), `${p.key}: item code ${c} exists`);
          linked.add(`${e.department_id}:${c}`);
        }
        assert.ok(p.legalBasis.length && p.responsibilities.length && p.accountability.length, p.key);
      }
    }
    for (const r of impl) if (withPowers.has(r.department_id)) assert.ok(linked.has(`${r.department_id}:${r.code}`), `impl item ${r.code} of department ${r.department_id} has its power`);
  });

  test('the revised departments: version 2 adds one power, drops one and amends one legal basis', async () => {
    let checked = 0;
    for (const rev of POWER_REVISIONS) {
      const list = editions.filter((e) => e.list_kind === 'power' && e.region_code === rev.region && e.kind === rev.kind);
      if (!list.length) continue;
      assert.equal(list.length, 2, `${rev.region}:${rev.kind} has two versions`);
      const [v1, v2] = await Promise.all(list.sort((a, b) => a.version! - b.version!).map((e) => entriesOf(database.db, e.id)));
      const m1 = new Map(v1!.map((x) => [x.key, x.data]));
      const m2 = new Map(v2!.map((x) => [x.key, x.data]));
      const added = [...m2.keys()].filter((k) => !m1.has(k));
      const removed = [...m1.keys()].filter((k) => !m2.has(k));
      const changed = [...m2.keys()].filter((k) => m1.has(k) && !isDeepStrictEqual(m1.get(k), m2.get(k)));
      assert.deepEqual(added.map((k) => m2.get(k)!.name), [rev.added.name]);
      assert.deepEqual(removed.map((k) => m1.get(k)!.name), [rev.removed.name]);
      assert.deepEqual(changed.map((k) => m2.get(k)!.name), [rev.amended.name]);
      assert.deepEqual(m1.get(changed[0]!)!.legalBasis, rev.amended.v1LegalBasis);
      checked++;
    }
    assert.ok(checked >= 3, `${checked} revised departments in the test catalogue`);
  });

  test('funds: amounts for 2024–2026, allocations within each year’s amount and dated within the year', async () => {
    const published = editions.filter((e) => e.list_kind === 'fund' && e.status === 'published');
    assert.ok(published.length >= 3);
    const entries = await allEntries(database.db);
    for (const e of published) {
      for (const data of entries.get(e.id) ?? []) {
        const f = data as unknown as FundEntry;
        assert.deepEqual(f.years.map((y) => y.year), [2024, 2025, 2026], f.key);
        for (const y of f.years) {
          const allocs = f.allocations.filter((a) => a.year === y.year);
          assert.ok(allocs.length > 0, `${f.key} ${y.year}: allocations`);
          const total = allocs.reduce((n, a) => n + Math.round(a.amount * 100), 0);
          assert.ok(total <= Math.round(y.amount * 100), `${f.key} ${y.year}: ${total / 100} ≤ ${y.amount}`);
          for (const a of allocs) {
            assert.ok(a.date.startsWith(`${y.year}-`), `${f.key}: ${a.date} within ${y.year}`);
            assert.ok(new Date(`${a.date}T00:00:00+08:00`) < new Date(e.published_at!), `${f.key}: ${a.date} before its edition`);
          }
        }
      }
    }
  });

  test('negative list: 2026年版 current, 2025年版 superseded, industry codes all in the classification subset', async () => {
    const neg = editions.filter((e) => e.list_kind === 'negative');
    assert.deepEqual(neg.map((e) => [e.version, e.status, e.kind, e.region_code]), [
      [1, 'superseded', 'development_reform', '330000'],
      [2, 'published', 'development_reform', '330000'],
    ]);
    assert.equal(neg[1]!.entry_count, NEGATIVE_ENTRIES.length);
    assert.equal(neg[0]!.entry_count, NEGATIVE_2025.length);
    assert.ok(NEGATIVE_ENTRIES.length >= 60);
    for (const c of ['prohibited', 'restricted', 'approval'] as const) assert.ok(NEGATIVE_ENTRIES.filter((e) => e.category === c).length >= 10, c);
    for (const e of [...NEGATIVE_ENTRIES, ...NEGATIVE_2025]) {
      for (const code of e.industryCodes) for (const p of industryPath(code)) assert.ok(INDUSTRY_CLASSES[p], `${e.key}: ${p} in INDUSTRY_CLASSES`);
    }
    const sections = Object.keys(INDUSTRY_CLASSES).filter((c) => c.length === 1);
    assert.deepEqual(sections, 'ABCDEFGHIJKLMNOPQRST'.split(''));
    const divisions = Object.keys(INDUSTRY_CLASSES).filter((c) => c.length === 3);
    assert.deepEqual(divisions.map((c) => Number(c.slice(1))), Array.from({ length: 97 }, (_, i) => i + 1));
    for (const c of Object.keys(INDUSTRY_CLASSES)) for (const p of industryPath(c)) assert.ok(INDUSTRY_CLASSES[p], `${c}: parent ${p}`);
  });

  test('a second run adds nothing', async () => {
    const again = await seedDemoThreeLists(database.db);
    assert.deepEqual(again, { powers: 0, negative: 0, funds: 0, allocations: 0, editions: 0 });
    assert.equal((await editionsOf(database.db)).length, editions.length);
  });
});

describe('demo three lists on the demo catalogue (province, cities, demo counties)', () => {
  let database: Database;
  let summary: ThreeListsSeedSummary;

  before(async () => {
    database = await createTestDatabase();
    // the regions the power lists cover: every city (with the province) and the demo counties — the same lists as the full demo
    const cities = ['330100', '330200', '330300', '330400', '330500', '330600', '330700', '330800', '330900', '331000', '331100'];
    await seedCatalogue(database.db, { items: DEMO_ITEMS, regionCodes: [...cities, ...DEMO_LIST_COUNTIES] });
    summary = await seedDemoThreeLists(database.db);
  });
  after(async () => {
    await database?.close();
  });

  test('at least 3,000 powers of all ten types, 60 negative-list entries, 15 funds — all valid', async () => {
    assert.ok(summary.powers >= 3000, `${summary.powers} powers`);
    assert.ok(summary.negative >= 60, `${summary.negative} negative-list entries`);
    assert.ok(summary.funds >= 15, `${summary.funds} funds`);
    const types = await sql<{ t: string }>`
      SELECT DISTINCT n.data->>'type' AS t FROM list_entries n JOIN list_editions e ON e.id = n.edition_id
      WHERE e.list_kind = 'power' AND e.status = 'published'`.execute(database.db);
    assert.deepEqual(types.rows.map((r) => r.t).sort(), Object.keys(ITEM_TYPES).filter((t) => t !== 'GG').sort());
    const editions = await editionsOf(database.db);
    assert.deepEqual(await validateAll(database.db, editions), []);
    const linked = await sql<{ n: string }>`
      SELECT count(*) AS n FROM list_entries n JOIN list_editions e ON e.id = n.edition_id
      WHERE e.list_kind = 'power' AND e.status = 'published' AND jsonb_array_length(n.data->'itemCodes') > 0`.execute(database.db);
    const implPowers = await sql<{ n: string }>`
      SELECT count(DISTINCT (i.department_id, i.basic_code)) AS n FROM impl_items i JOIN basic_items b ON b.code = i.basic_code WHERE b.type <> 'GG'`.execute(database.db);
    assert.equal(Number(linked.rows[0]!.n), Number(implPowers.rows[0]!.n), 'one power per implemented item of a power type');
  });
});
