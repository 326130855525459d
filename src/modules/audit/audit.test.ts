import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/database.ts';
import { createTestDatabase } from '../../testing/test-db.ts';
import { recordAuditEvent, recordAuditEventAlone } from './record-audit-event.ts';
import { verifyAuditChain } from './verify-audit-chain.ts';
import { AUDIT_EVENTS } from './audit.events.ts';
import * as rowBounds from '../../db/migrations/0014_audit_row_bounds.ts';

let database: Database;
let spare: Database; // for the tampering tests that need a short chain of their own
before(async () => {
  database = await createTestDatabase();
  spare = await createTestDatabase();
});
after(async () => {
  await database?.close();
  await spare?.close();
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

/** The broken rule of a report, as [ok, brokenAt, reason]. */
const broken = (r: Awaited<ReturnType<typeof verifyAuditChain>>) => [r.ok, !r.ok && r.brokenAt, !r.ok && r.reason];

/** Drops the row rules, runs `tamper`, and adds them back (as migration 0014 does: over rows already there). */
async function withoutRowRules(tamper: () => Promise<unknown>): Promise<void> {
  const db = spare.db as unknown as Kysely<unknown>;
  await rowBounds.down(db);
  await tamper();
  await rowBounds.up(db);
}

/** Inserts an audit row straight into the table, as someone with write access to it could. */
const forgeRow = (db: Database['db'], seq: number, target: string) =>
  sql`INSERT INTO audit_events (seq, at, actor_type, actor_id, action, target_type, target_id, outcome, details, prev_hash, hash)
      VALUES (${seq}, '2026-01-05T09:00:00.000Z', 'staff', 'S-0001', 'person.record_accessed', 'person', ${target}, 'success',
              '{"purpose": "核查"}', ${'0'.repeat(64)}, ${'f'.repeat(64)})`.execute(db);

test('rows numbered outside 1..head (0, below, above the head) are reported by their seq; new ones are refused', async () => {
  for (let i = 0; i < 3; i++) await recordAuditEventAlone(spare.db, { action: 'catalogue.reset', actor });
  // the constraint refuses them now
  await assert.rejects(forgeRow(spare.db, -1, 'victim'), /audit_events_seq_positive/);
  await assert.rejects(forgeRow(spare.db, 0, 'victim'), /audit_events_seq_positive/);

  // rows written before the constraint (or by someone who dropped it): the migration still runs over them
  // (NOT VALID: it cannot fail and stop the server or `yiwang audit verify`), and the check names them
  await withoutRowRules(() => forgeRow(spare.db, -1, 'victim'));
  const seen = await spare.db.selectFrom('audit_events').select('seq').where('target_type', '=', 'person').where('target_id', '=', 'victim').execute();
  assert.deepEqual(seen.map((r) => Number(r.seq)), [-1], 'what audit search and the access log read');
  assert.deepEqual(broken(await verifyAuditChain(spare.db)), [false, -1, 'sequence_out_of_range']);

  await sql`DELETE FROM audit_events WHERE seq = -1`.execute(spare.db);
  await withoutRowRules(() => forgeRow(spare.db, 0, 'victim'));
  assert.deepEqual(broken(await verifyAuditChain(spare.db)), [false, 0, 'sequence_out_of_range']);
  await sql`DELETE FROM audit_events WHERE seq = 0`.execute(spare.db);
  assert.equal((await verifyAuditChain(spare.db)).ok, true);

  // beyond the head (the head says 3)
  await forgeRow(spare.db, 7, 'victim');
  const report = await verifyAuditChain(spare.db);
  assert.deepEqual(broken(report), [false, 7, 'sequence_out_of_range']);
  assert.match(!report.ok ? report.message : '', /第 7 条/);
  await sql`DELETE FROM audit_events WHERE seq = 7`.execute(spare.db);
  assert.deepEqual(await verifyAuditChain(spare.db), { ok: true, events: 3, lastHash: (await spare.db.selectFrom('audit_chain_head').select('last_hash').executeTakeFirstOrThrow()).last_hash });
});

test('a time moved by less than a millisecond (which the hash does not cover) is reported at that row', async () => {
  for (let i = 0; i < 3; i++) await recordAuditEventAlone(spare.db, { action: 'catalogue.reset', actor });
  const shift = (seq: number) => sql`UPDATE audit_events SET at = at + interval '900 microseconds' WHERE seq = ${seq}`.execute(spare.db);
  // refused by the constraint now
  await assert.rejects(shift(2), /audit_events_at_milliseconds/);

  await withoutRowRules(() => shift(2));
  const report = await verifyAuditChain(spare.db);
  assert.deepEqual(broken(report), [false, 2, 'sub_millisecond_time'], 'the hash alone still holds: the row is flagged for its time');
  assert.match(!report.ok ? report.message : '', /第 2 条/);

  // and only a sub-millisecond part is flagged: moving it back to the millisecond restores the chain
  await sql`UPDATE audit_events SET at = date_trunc('milliseconds', at) WHERE seq = 2`.execute(spare.db);
  assert.equal((await verifyAuditChain(spare.db)).ok, true);
});

test('events appended while the check runs are beyond it, not a break', async () => {
  for (let i = 0; i < 5; i++) await recordAuditEventAlone(spare.db, { action: 'catalogue.reset', actor });
  const appending = Promise.all(Array.from({ length: 30 }, () => recordAuditEventAlone(spare.db, { action: 'catalogue.reset', actor })));
  const reports = await Promise.all([verifyAuditChain(spare.db), verifyAuditChain(spare.db), appending.then(() => verifyAuditChain(spare.db))]);
  for (const r of reports) assert.equal(r.ok, true, JSON.stringify(r));
  const head = await spare.db.selectFrom('audit_chain_head').select('last_seq').executeTakeFirstOrThrow();
  assert.equal(reports[2]!.events, Number(head.last_seq));
  assert.ok(reports[0]!.events >= 5);
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
