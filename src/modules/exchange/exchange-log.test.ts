/**
 * The group-commit evidence writer: concurrent calls share transactions, each resolves with its own seq only
 * after the commit, the chain stays intact; a failed batch fails every call in it and writes nothing; stop
 * writes what is waiting. Runs on PGlite and PostgreSQL.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, type TestApp } from '../../testing/test-app.ts';
import { FIXTURE_ITEMS, FIXTURE_REGIONS } from '../../testing/fixture-items.ts';
import { findDepartment } from '../../testing/fixture-accounts.ts';
import { createTestGrant, createTestResource } from '../../testing/fixture-data.ts';
import { SYSTEM_ACTOR } from '../audit/audit.types.ts';
import { recordAuditEventAlone } from '../audit/record-audit-event.ts';
import { verifyAuditChain } from '../audit/verify-audit-chain.ts';
import { ExchangeLogWriter } from './exchange-log.ts';
import { lookupRecord } from './lookup-record.ts';
import { population } from './exchange.test-kit.ts';

let t: TestApp;
before(async () => {
  t = await createTestApp(FIXTURE_ITEMS, FIXTURE_REGIONS);
});
after(async () => {
  await t?.close();
});

const event = (i: number, details: Record<string, unknown> = {}) => ({
  event: { action: 'exchange.records_read' as const, actor: SYSTEM_ACTOR, target: { type: 'data_resource', id: `R-${i}` }, details: { i, ...details } },
  subjects: [`s-${i}`, `s-${i}`, 'shared'],
});

test('concurrent evidence is committed in groups, each call with its own seq and subjects', async () => {
  const db = t.database.db;
  const w = new ExchangeLogWriter(db, { maxWaitMs: 5, maxBatch: 50 });
  const results = await Promise.all(Array.from({ length: 120 }, (_, i) => w.write(event(i))));
  assert.equal(w.written, 120);
  assert.ok(w.batches < 120 && w.batches >= 3, `batches: ${w.batches}`);
  const seqs = results.map((r) => r.seq);
  assert.equal(new Set(seqs).size, 120);
  for (let i = 0; i < 120; i++) {
    const row = await db.selectFrom('audit_events').select(['target_id']).where('seq', '=', seqs[i]!).executeTakeFirstOrThrow();
    assert.equal(row.target_id, `R-${i}`);
  }
  const subjects = await db.selectFrom('data_access_subjects').selectAll().where('seq', 'in', seqs).execute();
  assert.equal(subjects.length, 240, 'each subject once per event');
  assert.equal((await verifyAuditChain(db)).ok, true);
  await w.stop();
});

test('a failed batch fails every call waiting in it and writes nothing; later calls succeed', async () => {
  const db = t.database.db;
  const w = new ExchangeLogWriter(db, { maxWaitMs: 20, maxBatch: 100 });
  const before = await db.selectFrom('audit_chain_head').select('last_seq').executeTakeFirstOrThrow();
  // a value the audit hash cannot canonicalise makes the whole transaction fail
  const calls = [w.write(event(1)), w.write(event(2, { bad: 10n })), w.write(event(3))];
  const settled = await Promise.allSettled(calls);
  assert.deepEqual(settled.map((s) => s.status), ['rejected', 'rejected', 'rejected']);
  const after = await db.selectFrom('audit_chain_head').select('last_seq').executeTakeFirstOrThrow();
  assert.equal(Number(after.last_seq), Number(before.last_seq));
  const ok = await w.write(event(4));
  assert.equal(ok.seq, Number(before.last_seq) + 1);
  // stop writes what is waiting
  const pending = w.write(event(5));
  await w.stop();
  assert.equal((await pending).seq, ok.seq + 1);
  assert.equal((await verifyAuditChain(db)).ok, true);
});

test('a batch after another writer appended falls back to the locked append; the chain stays whole', async () => {
  const db = t.database.db;
  const w = new ExchangeLogWriter(db, { maxWaitMs: 0 });
  const a = await w.write(event(20)); // the head is not known yet: the locked append
  const b = await w.write(event(21)); // one compare-and-set statement
  assert.equal(w.fastBatches, 1);
  assert.equal(b.seq, a.seq + 1);
  const other = await recordAuditEventAlone(db, { action: 'exchange.records_read', actor: SYSTEM_ACTOR, target: { type: 'data_resource', id: 'OTHER' } });
  assert.equal(other.seq, b.seq + 1);
  const c = await w.write(event(22)); // the head moved: the comparison fails, nothing of it is written, then the locked append
  assert.equal(w.headMisses, 1);
  assert.equal(c.seq, other.seq + 1);
  const rows = await db.selectFrom('audit_events').select(['seq', 'target_id']).where('seq', '>=', a.seq).orderBy('seq').execute();
  assert.deepEqual(rows.map((r) => [Number(r.seq), r.target_id]), [[a.seq, 'R-20'], [b.seq, 'R-21'], [other.seq, 'OTHER'], [c.seq, 'R-22']]);
  const subjects = await db.selectFrom('data_access_subjects').select(['subject', 'seq']).where('seq', 'in', [a.seq, b.seq, c.seq]).orderBy('seq').orderBy('subject').execute();
  assert.deepEqual(subjects.map((s) => [Number(s.seq), s.subject]), [[a.seq, 's-20'], [a.seq, 'shared'], [b.seq, 's-21'], [b.seq, 'shared'], [c.seq, 's-22'], [c.seq, 'shared']]);
  const d = await w.write(event(23)); // known again: the fast path
  assert.equal(w.fastBatches, 2);
  assert.equal(d.seq, c.seq + 1);
  assert.equal((await verifyAuditChain(db)).ok, true);
  await w.stop();
});

test('two writers (two servers) appending at once: every event once, the chain whole', async () => {
  const db = t.database.db;
  const w1 = new ExchangeLogWriter(db, { maxWaitMs: 1, maxBatch: 7 });
  const w2 = new ExchangeLogWriter(db, { maxWaitMs: 1, maxBatch: 5 });
  const results = await Promise.all(Array.from({ length: 80 }, (_, i) => (i % 2 ? w1 : w2).write(event(100 + i))));
  assert.equal(new Set(results.map((r) => r.seq)).size, 80);
  for (const [i, r] of results.entries()) {
    const row = await db.selectFrom('audit_events').select(['target_id']).where('seq', '=', r.seq).executeTakeFirstOrThrow();
    assert.equal(row.target_id, `R-${100 + i}`);
  }
  assert.equal((await verifyAuditChain(db)).ok, true);
  await Promise.all([w1.stop(), w2.stop()]);
});

test('concurrent lookups through the exchange: every call answered after its own evidence', async () => {
  const db = t.database.db;
  const provider = await findDepartment(db, { regionCode: '330106', kind: 'public_security' });
  const consumer = await findDepartment(db, { regionCode: '330106', kind: 'civil_affairs' });
  const people = population(40);
  const r = await createTestResource(db, { providerDepartmentId: provider.id, records: people as unknown as Record<string, unknown>[] });
  await createTestGrant(db, { resourceId: r.id, consumerDepartmentId: consumer.id, items: ['name'], ratePerMinute: 100_000 });
  const batchesBefore = t.ctx.exchangeLog.batches;
  const results = await Promise.all(
    people.map((p, i) => lookupRecord(t.ctx, { departmentId: consumer.id, clientId: null, actor: SYSTEM_ACTOR, onBehalfOf: null }, { resourceCode: r.code, key: p.id_number, purpose: '并发核验', caseRef: `C-${i}` })),
  );
  assert.ok(t.ctx.exchangeLog.batches - batchesBefore < people.length, 'shared transactions');
  for (const [i, res] of results.entries()) {
    assert.ok(res.record);
    const ev = await db.selectFrom('audit_events').select(['details']).where('seq', '=', res.auditSeq).executeTakeFirstOrThrow();
    assert.equal((ev.details as { caseRef: string }).caseRef, `C-${i}`);
    assert.equal((ev.details as { requestHash: string }).requestHash, res.requestHash);
  }
  assert.equal((await verifyAuditChain(db)).ok, true);
});
