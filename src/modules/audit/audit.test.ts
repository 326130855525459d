import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { sql } from 'kysely';
import type { Database } from '../../db/database.ts';
import { createTestDatabase } from '../../testing/test-db.ts';
import { recordAuditEvent, recordAuditEventAlone } from './record-audit-event.ts';
import { verifyAuditChain } from './verify-audit-chain.ts';
import { AUDIT_EVENTS } from './audit.events.ts';

let database: Database;
before(async () => {
  database = await createTestDatabase();
});
after(async () => {
  await database?.close();
});

const actor = { type: 'staff' as const, id: 'S-0001', departmentId: 7, regionCode: '330106', ip: '127.0.0.1', requestId: 'req-1' };

test('an empty log verifies', async () => {
  assert.deepEqual(await verifyAuditChain(database.db), { ok: true, events: 0, lastHash: '0'.repeat(64) });
});

test('events chain in order; concurrent transactions still make one gap-free chain', async () => {
  await recordAuditEventAlone(database.db, {
    action: 'catalogue.item_version.created',
    actor,
    target: { type: 'impl_item', id: 'X1' },
    details: { version: 2, 中文: '说明', nested: { b: 1, a: [1, 2] } },
  });
  await Promise.all(
    Array.from({ length: 40 }, (_, i) =>
      recordAuditEventAlone(database.db, { action: 'catalogue.item_version.published', actor, target: { type: 'impl_item', id: `X${i}` } }),
    ),
  );
  const report = await verifyAuditChain(database.db);
  assert.equal(report.ok, true, JSON.stringify(report));
  assert.equal(report.events, 41);
});

test('an event rolled back with its change leaves no trace and no gap', async () => {
  await assert.rejects(
    database.db.transaction().execute(async (trx) => {
      await recordAuditEvent(trx, { action: 'catalogue.reset', actor });
      throw new Error('the change failed');
    }),
  );
  const report = await verifyAuditChain(database.db);
  assert.equal(report.ok, true);
  assert.equal(report.events, 41);
});

test('a row changed behind the log’s back is detected at that row', async () => {
  await sql`UPDATE audit_events SET details = '{"version": 3}' WHERE seq = 1`.execute(database.db);
  let report = await verifyAuditChain(database.db);
  assert.deepEqual([report.ok, !report.ok && report.brokenAt, !report.ok && report.reason], [false, 1, 'hash_mismatch']);

  // putting the original content back makes the chain whole again: the hash depends on content alone
  await sql`UPDATE audit_events SET details = ${JSON.stringify({ version: 2, 中文: '说明', nested: { b: 1, a: [1, 2] } })}::jsonb WHERE seq = 1`.execute(database.db);
  assert.equal((await verifyAuditChain(database.db)).ok, true, 'restoring the original content restores the chain');

  await sql`UPDATE audit_events SET actor_id = 'S-9999' WHERE seq = 20`.execute(database.db);
  report = await verifyAuditChain(database.db);
  assert.deepEqual([report.ok, !report.ok && report.brokenAt], [false, 20]);
  await sql`UPDATE audit_events SET actor_id = 'S-0001' WHERE seq = 20`.execute(database.db);

  await sql`DELETE FROM audit_events WHERE seq = 30`.execute(database.db);
  report = await verifyAuditChain(database.db);
  assert.deepEqual([report.ok, !report.ok && report.brokenAt, !report.ok && report.reason], [false, 30, 'sequence_gap']);
});

test('deleting the newest events is detected at the chain head', async () => {
  const fresh = await createTestDatabase();
  try {
    for (let i = 0; i < 3; i++) await recordAuditEventAlone(fresh.db, { action: 'catalogue.reset', actor });
    await sql`DELETE FROM audit_events WHERE seq = 3`.execute(fresh.db);
    const report = await verifyAuditChain(fresh.db);
    assert.deepEqual([report.ok, !report.ok && report.reason], [false, 'head_mismatch']);
  } finally {
    await fresh.close();
  }
});

test('docs/audit-events.md lists exactly the catalogue of audit events', () => {
  const doc = readFileSync(new URL('../../../docs/audit-events.md', import.meta.url), 'utf8');
  const catalogue = doc.slice(doc.indexOf('## Catalogue'));
  const documented = [...catalogue.matchAll(/^\| `([a-z_.]+)` \|/gm)].map((m) => m[1]).sort();
  assert.deepEqual(documented, Object.keys(AUDIT_EVENTS).sort());
  // and says of each what the code says: label, target, description
  let rows = 0;
  for (const m of catalogue.matchAll(/^\| `([a-z_.]+)` \| (.*?) \| `?([^|`]*?)`? \| (.*) \|$/gm)) {
    const e = AUDIT_EVENTS[m[1] as keyof typeof AUDIT_EVENTS];
    assert.deepEqual({ label: m[2], target: m[3], description: m[4] }, { label: e.label, target: e.target, description: e.description }, m[1]);
    rows++;
  }
  assert.equal(rows, documented.length, 'every row read whole');
});
