/**
 * The demo's parts after the catalogue: written only when a demo seed left them pending, finished by the next
 * call after a failure in between, written once when two servers start together. The parts are stand-ins here
 * (the real ones are tested beside them). PGlite and PostgreSQL.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Database } from '../db/database.ts';
import { createTestDatabase } from '../testing/test-db.ts';
import { FIXTURE_ITEMS, FIXTURE_REGIONS } from '../testing/fixture-items.ts';
import { seedCatalogue } from './seed-catalogue.ts';
import { DEMO_PARTS_MARKER, finishDemoParts, type DemoParts } from './demo-parts.ts';

let database: Database;
before(async () => {
  database = await createTestDatabase();
});
after(async () => {
  await database?.close();
});

const marker = async () => (await database.db.selectFrom('revisions').select('revision').where('name', '=', DEMO_PARTS_MARKER).executeTakeFirst())?.revision;

/** Stand-in parts that count their calls; `failData` makes the shared-data part fail once. */
function standIns(o: { failData?: boolean } = {}) {
  const calls: string[] = [];
  let fail = o.failData ?? false;
  const parts: DemoParts = {
    resultSets: async () => (calls.push('resultSets'), { sets: 2, rows: 10 }),
    data: async () => {
      calls.push('data');
      if (fail) {
        fail = false;
        throw new Error('the machine went away');
      }
      return { resources: 7, records: 100 };
    },
    exchangeClient: async () => (calls.push('exchangeClient'), { clients: 1, grants: 1 }),
    onceOnly: async () => (calls.push('onceOnly'), { declarations: 3, grants: 2 }),
    lists: async () => (calls.push('lists'), { powers: 1, negative: 1, funds: 1, allocations: 1, editions: 3 }),
  };
  return { parts, calls };
}

test('nothing is written into a database no demo seed marked (not a demo, or written before the marker)', async () => {
  const { parts, calls } = standIns();
  assert.equal(await finishDemoParts(database.db, { parts }), null);
  assert.deepEqual(calls, []);
});

test('a demo seed leaves the parts pending; a failure in between leaves them pending; the next call finishes them, once', async () => {
  await seedCatalogue(database.db, { items: FIXTURE_ITEMS, regionCodes: FIXTURE_REGIONS, demoAccounts: true });
  assert.equal(Number(await marker()), 0);
  const crash = standIns({ failData: true });
  await assert.rejects(finishDemoParts(database.db, { parts: crash.parts }), /went away/);
  assert.deepEqual(crash.calls, ['resultSets', 'data']);
  assert.equal(Number(await marker()), 0, 'still pending');
  const next = standIns();
  const done = await finishDemoParts(database.db, { parts: next.parts });
  assert.deepEqual(next.calls, ['resultSets', 'data', 'exchangeClient', 'onceOnly', 'lists']);
  assert.equal(done?.data.resources, 7);
  assert.equal(Number(await marker()), 1);
  const again = standIns();
  assert.equal(await finishDemoParts(database.db, { parts: again.parts }), null);
  assert.deepEqual(again.calls, []);
});

test('two servers starting together: one writes the parts, the other finds them done', async () => {
  await database.db.updateTable('revisions').set({ revision: 0 }).where('name', '=', DEMO_PARTS_MARKER).execute();
  const a = standIns();
  const b = standIns();
  const [ra, rb] = await Promise.all([finishDemoParts(database.db, { parts: a.parts }), finishDemoParts(database.db, { parts: b.parts })]);
  assert.equal([ra, rb].filter(Boolean).length, 1);
  assert.equal(a.calls.length + b.calls.length, 5);
  assert.equal(Number(await marker()), 1);
});
