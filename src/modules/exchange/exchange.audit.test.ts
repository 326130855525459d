/**
 * Access evidence (issue 6 "Done when"): an exchange read is chained into the tamper-evident audit log, and a
 * tampered evidence row is detected by verifyAuditChain and by `yiwang audit verify` (non-zero exit naming the
 * row); the citizen sees which departments read their data and for what; the provider sees who uses its data.
 * Runs on PGlite (a file database the CLI can open) and on PostgreSQL (the test database).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql, type Kysely } from 'kysely';
import type { FastifyInstance } from 'fastify';
import type { DB } from '../../db/schema.ts';
import { loadConfig } from '../../config.ts';
import { openDatabase, type Database } from '../../db/database.ts';
import { migrateToLatest } from '../../db/migrate.ts';
import { ensureCalendar } from '../calendar/ensure-calendar.ts';
import { seedCatalogue } from '../../seed/seed-catalogue.ts';
import { createContext, type AppContext } from '../../http/context.ts';
import { buildApp } from '../../http/app.ts';
import { createTestApp } from '../../testing/test-app.ts';
import { FIXTURE_ITEMS, FIXTURE_REGIONS } from '../../testing/fixture-items.ts';
import { createTestPerson, createTestStaff, findDepartment, signInForTest } from '../../testing/fixture-accounts.ts';
import { createTestGrant, createTestResource } from '../../testing/fixture-data.ts';
import { SYSTEM_ACTOR } from '../audit/audit.types.ts';
import { verifyAuditChain } from '../audit/verify-audit-chain.ts';
import { listOwnAccessLog } from '../audit/list-own-access-log.ts';
import { lookupRecord } from './lookup-record.ts';
import { exchangeClient, lookupPath, population } from './exchange.test-kit.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

let t: Awaited<ReturnType<typeof createTestApp>>;

before(async () => {
  t = await createTestApp(FIXTURE_ITEMS, FIXTURE_REGIONS);
});
after(async () => {
  await t?.close();
});

/**
 * An app whose database the CLI can open too: a PGlite directory (closed before the CLI runs: one process at
 * a time), or the PostgreSQL test database.
 */
interface Rig {
  app: FastifyInstance;
  ctx: AppContext;
  db: Kysely<DB>;
  cliEnv: NodeJS.ProcessEnv;
  /** PGlite: closes the database so that the CLI can open it */
  release(): Promise<void>;
  close(): Promise<void>;
}

async function openRig(): Promise<Rig> {
  if (process.env.DATABASE_URL) {
    // the file's test database (closed after all tests)
    const { rows } = await sql<{ n: string }>`SELECT current_database() AS n`.execute(t.database.db);
    const u = new URL(process.env.DATABASE_URL);
    u.pathname = `/${rows[0]!.n}`;
    return { app: t.app, ctx: t.ctx, db: t.database.db, cliEnv: { DATABASE_URL: u.toString() }, release: async () => undefined, close: async () => undefined };
  }
  const dir = mkdtempSync(join(tmpdir(), 'yiwang-exchange-'));
  const database: Database = await openDatabase({ dataDir: dir });
  await migrateToLatest(database.db);
  await ensureCalendar(database.db);
  await seedCatalogue(database.db, { items: FIXTURE_ITEMS.slice(0, 3), regionCodes: ['330106'] });
  const config = { ...loadConfig({}), cataloguePollMs: 0, jobsIntervalMs: 0, storage: { kind: 'local' as const, dir: join(dir, 'files') } };
  const ctx = await createContext(config, database);
  const app = await buildApp(ctx, { logger: false });
  await app.ready();
  let released = false;
  const release = async () => {
    if (released) return;
    released = true;
    ctx.resultSets.stop();
    await app.close();
    await ctx.exchangeLog.stop();
    await ctx.resultQueryLog.stop();
    await ctx.rateLimiter.stop();
    await database.close();
  };
  return {
    app,
    ctx,
    db: database.db,
    cliEnv: { DATABASE_URL: '', YIWANG_DATA_DIR: dir },
    release,
    close: async () => {
      await release();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const yiwang = (env: NodeJS.ProcessEnv, ...args: string[]) =>
  spawnSync(process.execPath, [join(ROOT, 'bin/yiwang.mjs'), ...args], { cwd: ROOT, env: { ...process.env, ...env }, encoding: 'utf8', timeout: 120_000 });

test('a tampered exchange.records_read row is detected by verifyAuditChain and by `yiwang audit verify`', async () => {
  const rig = await openRig();
  try {
    const provider = await findDepartment(rig.db, { regionCode: '330106', kind: 'public_security' });
    const consumer = await findDepartment(rig.db, { regionCode: '330106', kind: 'civil_affairs' });
    const people = population(4, 900);
    const r = await createTestResource(rig.db, { providerDepartmentId: provider.id, records: people as unknown as Record<string, unknown>[] });
    const c = await exchangeClient(rig.app, rig.db, consumer.creditCode);
    await createTestGrant(rig.db, { resourceId: r.id, consumerDepartmentId: consumer.id, clientId: c.clientId, items: ['name'] });
    const seqs: number[] = [];
    for (const p of people.slice(0, 3)) {
      const res = await rig.app.inject({ url: lookupPath(r.code, p.id_number, { case: `SQ-${p.id_number.slice(-4)}` }), headers: c.headers });
      assert.equal(res.statusCode, 200, res.body);
      const ev = await rig.db.selectFrom('audit_events').select('seq').where('request_id', '=', (res.json() as { requestId: string }).requestId).executeTakeFirstOrThrow();
      seqs.push(Number(ev.seq));
    }
    // a refusal is evidence too, and chained as well
    assert.equal((await rig.app.inject({ url: lookupPath(r.code, people[0]!.id_number, { items: 'sex' }), headers: c.headers })).statusCode, 403);
    const intact = await verifyAuditChain(rig.db);
    assert.equal(intact.ok, true, JSON.stringify(intact));

    // someone changes what an evidence row says was read (the purpose, the count), straight in the database
    const target = seqs[1]!;
    const row = await rig.db.selectFrom('audit_events').select(['details']).where('seq', '=', target).executeTakeFirstOrThrow();
    const forged = { ...(row.details as Record<string, unknown>), purpose: '随便看看', count: 0 };
    await sql`UPDATE audit_events SET details = ${JSON.stringify(forged)}::jsonb WHERE seq = ${target}`.execute(rig.db);
    const report = await verifyAuditChain(rig.db);
    assert.equal(report.ok, false);
    assert.ok(!report.ok && report.brokenAt === target && report.reason === 'hash_mismatch', JSON.stringify(report));

    // the operator's command finds it too (an intact log passing it is tests/cli.test.ts's)
    await rig.release();
    const broken = yiwang(rig.cliEnv, 'audit', 'verify');
    assert.equal(broken.status, 1, broken.stderr + broken.stdout);
    assert.match(broken.stderr + broken.stdout, new RegExp(`审计链断裂：第 ${target} 条审计记录的内容已被改动`));
  } finally {
    await rig.close().catch(() => undefined);
  }
});

// ---- the citizen's and the provider's views ------------------------------------------------------------

test('the citizen sees which departments read their data, for what and for which case — and nobody else’s', async () => {
  const db = t.database.db;
  const provider = await findDepartment(db, { regionCode: '330106', kind: 'public_security' });
  const consumer = await findDepartment(db, { regionCode: '330106', kind: 'civil_affairs' });
  const people = population(6);
  const me = await createTestPerson(db, { idNumber: people[0]!.id_number, name: people[0]!.name });
  const r = await createTestResource(db, { name: '户籍人口基本信息', providerDepartmentId: provider.id, records: people as unknown as Record<string, unknown>[] });
  const c = await exchangeClient(t.app, db, consumer.creditCode, '婚姻登记业务系统');
  await createTestGrant(db, { resourceId: r.id, consumerDepartmentId: consumer.id, clientId: c.clientId, items: ['name', 'sex'] });
  await createTestGrant(db, { resourceId: r.id, consumerDepartmentId: consumer.id, clientId: null, items: ['name'] });

  // a client reads my record, with its operator on whose behalf
  const res = await t.app.inject({ url: lookupPath(r.code, me.idNumber, { purpose: '婚姻登记核验户籍', case: 'HY-2026-0042', onBehalfOf: 'operator:li' }), headers: c.headers });
  assert.equal(res.statusCode, 200, res.body);
  // the platform reads it for the department, on my behalf (免提交)
  await lookupRecord(t.ctx, { departmentId: consumer.id, clientId: null, actor: SYSTEM_ACTOR, onBehalfOf: `person:${me.id}` }, { resourceCode: r.code, key: me.idNumber, purpose: '免提交：填充户籍信息', caseRef: 'DRAFT-77' });
  // a query whose page includes me, and a read of somebody else
  const q = await t.app.inject({ url: `/api/v1/exchange/resources/${r.code}/records?purpose=${encodeURIComponent('批量核验')}&case=PL-9&rows=100`, headers: c.headers });
  assert.equal(q.statusCode, 200, q.body);
  await t.app.inject({ url: lookupPath(r.code, people[1]!.id_number, { purpose: '别人的用途', case: 'OTHER-1' }), headers: c.headers });

  const log = await listOwnAccessLog(db, { personId: me.id, page: 1, size: 20 });
  const reads = log.entries.filter((e) => e.exchange);
  assert.equal(reads.length, 3);
  assert.deepEqual(reads.map((e) => e.purpose), ['批量核验', '免提交：填充户籍信息', '婚姻登记核验户籍']);
  assert.deepEqual(reads.map((e) => e.exchange?.caseRef), ['PL-9', 'DRAFT-77', 'HY-2026-0042']);
  for (const e of reads) {
    assert.equal(e.actor.kind, 'department');
    assert.equal(e.actor.name, consumer.name);
    assert.equal(e.exchange?.resource, '户籍人口基本信息');
  }
  assert.equal(reads[1]!.onBehalf, true);

  const v = await signInForTest(t.app, { kind: 'person', identifier: me.mobile });
  const page = await t.app.inject({ url: '/me/access-log', headers: { cookie: v.cookie } });
  assert.equal(page.statusCode, 200);
  for (const s of [consumer.name, '户籍人口基本信息', '婚姻登记核验户籍', 'HY-2026-0042', '免提交：填充户籍信息', 'DRAFT-77', '共享交换读取数据']) assert.ok(page.body.includes(s), s);
  assert.ok(!page.body.includes('别人的用途') && !page.body.includes('OTHER-1'), 'not another person’s reads');
  assert.ok(!page.body.includes('operator:li') && !page.body.includes(c.clientId) && !page.body.includes('婚姻登记业务系统'), 'not the requester’s details');

  // another person sees none of mine
  const other = await createTestPerson(db, { idNumber: people[2]!.id_number });
  const theirs = await listOwnAccessLog(db, { personId: other.id, page: 1, size: 20 });
  assert.ok(theirs.entries.every((e) => e.purpose !== '婚姻登记核验户籍'));
  assert.equal(theirs.entries.filter((e) => e.exchange).length, 1, 'only the query page that included them');
});

test('the provider sees who uses its data: page and JSON, filtered by resource and consumer; others do not', async () => {
  const db = t.database.db;
  const provider = await findDepartment(db, { regionCode: '330122', kind: 'public_security' });
  const consumerA = await findDepartment(db, { regionCode: '330122', kind: 'civil_affairs' });
  const consumerB = await findDepartment(db, { regionCode: '330302', kind: 'civil_affairs' });
  const people = population(4, 300);
  const r1 = await createTestResource(db, { name: '淳安户籍', providerDepartmentId: provider.id, records: people as unknown as Record<string, unknown>[] });
  const r2 = await createTestResource(db, { name: '淳安户籍（历史）', providerDepartmentId: provider.id, records: people as unknown as Record<string, unknown>[] });
  const a = await exchangeClient(t.app, db, consumerA.creditCode, '甲系统');
  const b = await exchangeClient(t.app, db, consumerB.creditCode, '乙系统');
  await createTestGrant(db, { resourceId: r1.id, consumerDepartmentId: consumerA.id, clientId: a.clientId, items: ['name'] });
  await createTestGrant(db, { resourceId: r2.id, consumerDepartmentId: consumerB.id, clientId: b.clientId, items: ['name'] });
  for (const p of people.slice(0, 3)) assert.equal((await t.app.inject({ url: lookupPath(r1.code, p.id_number, { purpose: '甲的用途', case: `A-${p.id_number.slice(-3)}` }), headers: a.headers })).statusCode, 200);
  assert.equal((await t.app.inject({ url: lookupPath(r2.code, people[0]!.id_number, { purpose: '乙的用途', case: 'B-1' }), headers: b.headers })).statusCode, 200);

  await createTestStaff(db, { staffNo: 'USG001', departmentId: provider.id, roles: [{ role: 'data_steward' }] });
  await createTestStaff(db, { staffNo: 'USG002', departmentId: consumerA.id, roles: [{ role: 'data_steward' }] });
  const steward = await signInForTest(t.app, { kind: 'staff', identifier: 'USG001' });
  const outsider = await signInForTest(t.app, { kind: 'staff', identifier: 'USG002' });

  const all = await t.app.inject({ url: '/api/v1/staff/data/usage', headers: steward.headers });
  assert.equal(all.statusCode, 200, all.body);
  const body = all.json() as { total: number; entries: { resource: { code: string }; consumer: { name: string }; purpose: string; caseRef: string; count: number; via: { kind: string; name: string } }[] };
  assert.equal(body.total, 4);
  assert.equal(body.entries[0]!.purpose, '乙的用途');
  assert.equal(body.entries[0]!.consumer.name, consumerB.name);
  assert.equal(body.entries[0]!.via.name, '乙系统');
  assert.equal(body.entries[0]!.count, 1);
  const onlyA = (await t.app.inject({ url: `/api/v1/staff/data/usage?consumer=${consumerA.creditCode}`, headers: steward.headers })).json() as typeof body;
  assert.equal(onlyA.total, 3);
  assert.ok(onlyA.entries.every((e) => e.consumer.name === consumerA.name && e.purpose === '甲的用途'));
  const onlyR2 = (await t.app.inject({ url: `/api/v1/staff/data/usage?resource=${r2.code}`, headers: steward.headers })).json() as typeof body;
  assert.equal(onlyR2.total, 1);
  const paged = (await t.app.inject({ url: '/api/v1/staff/data/usage?size=2&page=2', headers: steward.headers })).json() as typeof body;
  assert.equal(paged.entries.length, 2);

  const page = await t.app.inject({ url: `/admin/data/usage?resource=${r1.code}`, headers: { cookie: steward.cookie } });
  assert.equal(page.statusCode, 200);
  for (const s of ['数据使用情况', '甲的用途', consumerA.name, '甲系统', '<caption', 'for="f-resource"']) assert.ok(page.body.includes(s), s);
  assert.ok(!page.body.includes('乙的用途'));

  // the consumer's steward does not see the provider's usage
  assert.equal((await t.app.inject({ url: `/api/v1/staff/data/usage?resource=${r1.code}`, headers: outsider.headers })).statusCode, 403);
  const theirs = (await t.app.inject({ url: '/api/v1/staff/data/usage', headers: outsider.headers })).json() as typeof body;
  assert.ok(theirs.entries.every((e) => e.purpose !== '甲的用途' && e.purpose !== '乙的用途'));
  // a person is refused
  const p = await createTestPerson(db);
  const ps = await signInForTest(t.app, { kind: 'person', identifier: p.mobile });
  assert.equal((await t.app.inject({ url: '/api/v1/staff/data/usage', headers: ps.headers })).statusCode, 403);
});
