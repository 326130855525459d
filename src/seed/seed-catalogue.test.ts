import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestDatabase } from '../testing/test-db.ts';
import { FIXTURE_ITEMS, FIXTURE_REGIONS } from '../testing/fixture-items.ts';
import { seedCatalogue } from './seed-catalogue.ts';
import { verifyAuditChain } from '../modules/audit/verify-audit-chain.ts';

test('servers starting together on an empty database seed it once', async () => {
  const database = await createTestDatabase();
  try {
    const results = await Promise.all([1, 2, 3].map(() => seedCatalogue(database.db, { items: FIXTURE_ITEMS, regionCodes: FIXTURE_REGIONS })));
    assert.equal(results.filter((r) => r !== null).length, 1);
    const n = await database.db.selectFrom('basic_items').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    assert.equal(Number(n.n), FIXTURE_ITEMS.length);
  } finally {
    await database.close();
  }
});

test('a reset whose seed fails leaves the old catalogue in place', async () => {
  const database = await createTestDatabase();
  try {
    await seedCatalogue(database.db, { items: FIXTURE_ITEMS, regionCodes: FIXTURE_REGIONS });
    const broken = [...FIXTURE_ITEMS, { ...FIXTURE_ITEMS[0]! }]; // a duplicate name violates a constraint mid-seed
    await assert.rejects(seedCatalogue(database.db, { items: broken, regionCodes: FIXTURE_REGIONS, reset: true }));
    const n = await database.db.selectFrom('impl_items').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    assert.ok(Number(n.n) > 0, 'the catalogue is still there');
    const audit = await verifyAuditChain(database.db);
    assert.deepEqual([audit.ok, audit.events], [true, 1], 'only the first seed is in the audit log');
  } finally {
    await database.close();
  }
});
