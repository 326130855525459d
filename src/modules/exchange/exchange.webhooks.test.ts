/**
 * Change subscriptions and signed webhooks, against a local HTTP server: subscribing (secret once), the
 * signature, event order and batches, masking per grant, retry with backoff after a failure (time controlled
 * through next_attempt_at), at least once, and a revoked grant or a cancellation stopping deliveries.
 * Runs on PGlite and PostgreSQL.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import { createTestApp, type TestApp } from '../../testing/test-app.ts';
import { FIXTURE_ITEMS, FIXTURE_REGIONS } from '../../testing/fixture-items.ts';
import { findDepartment } from '../../testing/fixture-accounts.ts';
import { createTestGrant, createTestResource } from '../../testing/fixture-data.ts';
import { accessSubject } from './access-subject.ts';
import { deliverWebhooks, EVENTS_PER_DELIVERY } from './deliver-webhooks.ts';
import { exchangeClient, population, type Person } from './exchange.test-kit.ts';

interface Received {
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

let t: TestApp;
let server: Server;
let base: string;
const received: Received[] = [];
const answers: number[] = []; // statuses to answer with, in turn (200 when empty)
let people: Person[];
let resource: { id: number; code: string };
let consumer: { id: number; creditCode: string };

before(async () => {
  t = await createTestApp(FIXTURE_ITEMS, FIXTURE_REGIONS);
  const db = t.database.db;
  const provider = await findDepartment(db, { regionCode: '330106', kind: 'public_security' });
  consumer = await findDepartment(db, { regionCode: '330106', kind: 'civil_affairs' });
  people = population(8);
  resource = await createTestResource(db, { code: 'GA-HJRK-WH', providerDepartmentId: provider.id, records: people as unknown as Record<string, unknown>[] });
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.statusCode = answers.shift() ?? 200;
      res.end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(async () => {
  server?.close();
  await t?.close();
});

const db = () => t.database.db;
let version = 1;

/** A load, as the loads module writes one: a new data version, its record changes and their change events. */
async function load(changes: { upsert?: Person[]; delete?: string[] }): Promise<void> {
  version++;
  const v = version;
  await db().transaction().execute(async (trx) => {
    for (const p of changes.upsert ?? []) {
      await trx.updateTable('data_records').set({ removed_in: v }).where('resource_id', '=', resource.id).where('record_key', '=', p.id_number).where('removed_in', 'is', null).execute();
      await trx.insertInto('data_records').values({ resource_id: resource.id, record_key: p.id_number, data: JSON.stringify(p), added_in: v, removed_in: null }).execute();
      await trx.insertInto('data_change_events').values({ resource_id: resource.id, version: v, record_key: p.id_number, op: 'upsert' }).execute();
    }
    for (const key of changes.delete ?? []) {
      await trx.updateTable('data_records').set({ removed_in: v }).where('resource_id', '=', resource.id).where('record_key', '=', key).where('removed_in', 'is', null).execute();
      await trx.insertInto('data_change_events').values({ resource_id: resource.id, version: v, record_key: key, op: 'delete' }).execute();
    }
    await trx.updateTable('data_resources').set({ data_version: v }).where('id', '=', resource.id).execute();
  });
}

function verifySignature(r: Received, secret: string): void {
  const sig = String(r.headers['x-yiwang-signature']);
  const m = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(sig);
  assert.ok(m, sig);
  const expected = createHmac('sha256', secret).update(`${m[1]}.${r.body}`, 'utf8').digest('hex');
  assert.equal(m[2], expected, 'the signature verifies with the secret');
  assert.ok(Math.abs(Number(m[1]) - Date.now() / 1000) < 300);
  assert.match(String(r.headers['x-yiwang-delivery']), /^[0-9a-f-]{36}$/);
  // and a changed body does not
  assert.notEqual(createHmac('sha256', secret).update(`${m[1]}.${r.body} `, 'utf8').digest('hex'), m[2]);
}

type Payload = { subscription: number; resource: string; events: { id: number; version: number; key: string; op: string; record: Record<string, unknown> | null }[] };

test('subscribe, receive signed, ordered, masked changes; retry with backoff after a failure; at least once', async () => {
  const c = await exchangeClient(t.app, db(), consumer.creditCode);
  // no grant: refused and logged
  const refused = await t.app.inject({ method: 'POST', url: '/api/v1/exchange/subscriptions', headers: c.headers, payload: { resource: resource.code, url: `${base}/hook` } });
  assert.equal(refused.statusCode, 403);
  const grant = await createTestGrant(db(), { resourceId: resource.id, consumerDepartmentId: consumer.id, clientId: c.clientId, items: ['id_number', 'name', 'region_code'], clearItems: ['region_code'] });
  // a remote plain-http address is refused
  const insecure = await t.app.inject({ method: 'POST', url: '/api/v1/exchange/subscriptions', headers: c.headers, payload: { resource: resource.code, url: 'http://example.com/hook' } });
  assert.equal(insecure.statusCode, 400);
  assert.equal((insecure.json() as { error: { field: string } }).error.field, 'url');

  const res = await t.app.inject({ method: 'POST', url: '/api/v1/exchange/subscriptions', headers: c.headers, payload: { resource: resource.code, url: `${base}/hook` } });
  assert.equal(res.statusCode, 201, res.body);
  const created = res.json() as { subscription: { id: number; status: string; grantId: number }; secret: string };
  assert.match(created.secret, /^[A-Za-z0-9_-]{43}$/);
  assert.equal(created.subscription.grantId, grant.id);
  const list = await t.app.inject({ url: '/api/v1/exchange/subscriptions', headers: c.headers });
  assert.equal(list.statusCode, 200);
  assert.ok(!list.body.includes(created.secret), 'the secret is shown once');
  assert.equal((list.json() as { subscriptions: { id: number }[] }).subscriptions[0]?.id, created.subscription.id);
  const sub = await db().selectFrom('audit_events').select(['action', 'actor_id']).where('target_type', '=', 'data_subscription').where('target_id', '=', String(created.subscription.id)).execute();
  assert.deepEqual(sub, [{ action: 'exchange.subscribed', actor_id: c.clientId }]);

  // nothing to deliver yet
  assert.equal((await deliverWebhooks(t.ctx)).delivered, 0);
  assert.equal(received.length, 0);

  // a load: one record changed, one new, one deleted
  const changed = { ...people[0]!, address: '浙江省杭州市西湖区新址1号' };
  const added = population(1, 500)[0]!;
  await load({ upsert: [changed, added], delete: [people[1]!.id_number] });
  const r1 = await deliverWebhooks(t.ctx);
  assert.deepEqual(r1, { delivered: 1, events: 3, failed: 0, stopped: 0 });
  assert.equal(received.length, 1);
  verifySignature(received[0]!, created.secret);
  const p1 = JSON.parse(received[0]!.body) as Payload;
  assert.equal(p1.subscription, created.subscription.id);
  assert.equal(p1.resource, resource.code);
  assert.deepEqual(p1.events.map((e) => [e.key, e.op]), [[changed.id_number, 'upsert'], [added.id_number, 'upsert'], [people[1]!.id_number, 'delete']]);
  assert.ok(p1.events[0]!.id < p1.events[1]!.id && p1.events[1]!.id < p1.events[2]!.id);
  // only the granted items, masked per grant (region_code in clear)
  assert.deepEqual(p1.events[0]!.record, { id_number: `${changed.id_number.slice(0, 6)}********${changed.id_number.slice(14)}`, name: '王**', region_code: '330106' });
  assert.equal(p1.events[2]!.record, null);
  assert.ok(!received[0]!.body.includes(changed.address.slice(6)), 'no ungranted item');
  // evidence of the delivery, with the subjects of the records sent
  const ev = await db().selectFrom('audit_events').selectAll().where('action', '=', 'exchange.changes_delivered').orderBy('seq', 'desc').executeTakeFirstOrThrow();
  assert.equal(ev.department_id, consumer.id);
  assert.equal((ev.details as { count: number }).count, 3);
  const subjects = await db().selectFrom('data_access_subjects').select('subject').where('seq', '=', Number(ev.seq)).execute();
  assert.deepEqual(subjects.map((s) => s.subject).sort(), [await accessSubject(db(), changed.id_number), await accessSubject(db(), added.id_number)].sort());
  let s = await db().selectFrom('data_subscriptions').selectAll().where('id', '=', created.subscription.id).executeTakeFirstOrThrow();
  assert.equal(Number(s.cursor_event), p1.events[2]!.id);

  // the endpoint fails: the attempt is counted and the same events wait 10 s
  const again = { ...people[2]!, name: '张三' };
  await load({ upsert: [again] });
  answers.push(500);
  const r2 = await deliverWebhooks(t.ctx);
  assert.deepEqual(r2, { delivered: 0, events: 0, failed: 1, stopped: 0 });
  assert.equal(received.length, 2);
  s = await db().selectFrom('data_subscriptions').selectAll().where('id', '=', created.subscription.id).executeTakeFirstOrThrow();
  assert.equal(s.attempts, 1);
  assert.match(String(s.last_error), /500/);
  assert.equal(Number(s.cursor_event), p1.events[2]!.id, 'the cursor stays');
  const wait = await sql<{ s: number }>`SELECT extract(epoch FROM next_attempt_at - now())::float8 AS s FROM data_subscriptions WHERE id = ${created.subscription.id}`.execute(db());
  assert.ok(wait.rows[0]!.s > 5 && wait.rows[0]!.s <= 10, `waits about 10 s (${wait.rows[0]!.s})`);
  // not due yet: nothing is sent
  assert.equal((await deliverWebhooks(t.ctx)).failed + (await deliverWebhooks(t.ctx)).delivered, 0);
  assert.equal(received.length, 2);
  // a second failure doubles the wait
  await sql`UPDATE data_subscriptions SET next_attempt_at = now() - interval '1 second' WHERE id = ${created.subscription.id}`.execute(db());
  answers.push(503);
  await deliverWebhooks(t.ctx);
  const wait2 = await sql<{ s: number; attempts: number }>`SELECT extract(epoch FROM next_attempt_at - now())::float8 AS s, attempts FROM data_subscriptions WHERE id = ${created.subscription.id}`.execute(db());
  assert.equal(wait2.rows[0]!.attempts, 2);
  assert.ok(wait2.rows[0]!.s > 15 && wait2.rows[0]!.s <= 20, `waits about 20 s (${wait2.rows[0]!.s})`);
  // time passes: the same events again (at least once), now accepted
  await sql`UPDATE data_subscriptions SET next_attempt_at = now() - interval '1 second' WHERE id = ${created.subscription.id}`.execute(db());
  const r3 = await deliverWebhooks(t.ctx);
  assert.equal(r3.delivered, 1);
  assert.equal(received.length, 4);
  const failedBody = JSON.parse(received[1]!.body) as Payload;
  const okBody = JSON.parse(received[3]!.body) as Payload;
  assert.deepEqual(okBody.events.map((e) => e.id), failedBody.events.map((e) => e.id));
  assert.notEqual(received[3]!.headers['x-yiwang-delivery'], received[1]!.headers['x-yiwang-delivery']);
  verifySignature(received[3]!, created.secret);
  s = await db().selectFrom('data_subscriptions').selectAll().where('id', '=', created.subscription.id).executeTakeFirstOrThrow();
  assert.equal(s.attempts, 0);
  assert.equal(s.last_error, null);

  // many changes: batches of at most 100, in event order across batches
  const many = population(150, 600);
  await load({ upsert: many });
  const before = received.length;
  await deliverWebhooks(t.ctx);
  await deliverWebhooks(t.ctx);
  const batches = received.slice(before).map((r) => JSON.parse(r.body) as Payload);
  assert.deepEqual(batches.map((b) => b.events.length), [EVENTS_PER_DELIVERY, 50]);
  const ids = batches.flatMap((b) => b.events.map((e) => e.id));
  assert.deepEqual(ids, [...ids].sort((a, b) => a - b));
  assert.deepEqual(batches.flatMap((b) => b.events.map((e) => e.key)), many.map((p) => p.id_number));

  // a subscription leased by another server is left alone
  await load({ upsert: [people[3]!] });
  await sql`UPDATE data_subscriptions SET lease_until = now() + interval '1 minute' WHERE id = ${created.subscription.id}`.execute(db());
  const n = received.length;
  await deliverWebhooks(t.ctx);
  assert.equal(received.length, n);
  await sql`UPDATE data_subscriptions SET lease_until = NULL WHERE id = ${created.subscription.id}`.execute(db());

  // the grant is revoked: deliveries stop at once, and the subscription is stopped
  await sql`UPDATE share_grants SET status = 'revoked', revoked_at = now() WHERE id = ${grant.id}`.execute(db());
  const r4 = await deliverWebhooks(t.ctx);
  assert.equal(r4.stopped, 1);
  assert.equal(received.length, n, 'nothing sent under a revoked grant');
  s = await db().selectFrom('data_subscriptions').selectAll().where('id', '=', created.subscription.id).executeTakeFirstOrThrow();
  assert.equal(s.status, 'cancelled');
});

test('a row filter limits what is pushed; a cancelled subscription receives nothing more', async () => {
  const c = await exchangeClient(t.app, db(), consumer.creditCode, '淳安业务系统');
  await createTestGrant(db(), { resourceId: resource.id, consumerDepartmentId: consumer.id, clientId: c.clientId, items: ['name'], rowFilter: { region_code: ['330122'] } });
  const res = await t.app.inject({ method: 'POST', url: '/api/v1/exchange/subscriptions', headers: c.headers, payload: { resource: resource.code, url: `${base}/chunan` } });
  assert.equal(res.statusCode, 201, res.body);
  const { subscription, secret } = res.json() as { subscription: { id: number }; secret: string };
  // clear other subscriptions' pending work out of the way: only this one is active
  const xihu = { ...people[4]!, name: '西湖人' };
  const chunan = { ...people[5]!, name: '淳安人' };
  assert.equal(xihu.region_code, '330106');
  assert.equal(chunan.region_code, '330122');
  await load({ upsert: [xihu, chunan] });
  const before = received.length;
  await deliverWebhooks(t.ctx);
  const mine = received.slice(before).filter((r) => (JSON.parse(r.body) as Payload).subscription === subscription.id);
  assert.equal(mine.length, 1);
  verifySignature(mine[0]!, secret);
  assert.deepEqual((JSON.parse(mine[0]!.body) as Payload).events.map((e) => [e.key, e.record]), [[chunan.id_number, { name: '淳**' }]]);

  // another client cannot cancel it; its owner can, and then nothing more arrives
  const stranger = await exchangeClient(t.app, db(), consumer.creditCode, '旁观系统');
  assert.equal((await t.app.inject({ method: 'DELETE', url: `/api/v1/exchange/subscriptions/${subscription.id}`, headers: stranger.headers })).statusCode, 404);
  const del = await t.app.inject({ method: 'DELETE', url: `/api/v1/exchange/subscriptions/${subscription.id}`, headers: c.headers });
  assert.equal(del.statusCode, 200, del.body);
  assert.equal((del.json() as { subscription: { status: string } }).subscription.status, 'cancelled');
  await load({ upsert: [{ ...chunan, name: '淳安人二' }] });
  const n = received.length;
  await deliverWebhooks(t.ctx);
  assert.equal(received.filter((r) => (JSON.parse(r.body) as Payload).subscription === subscription.id).length, 1);
  assert.ok(received.length >= n);
  const audit = await db().selectFrom('audit_events').select(['details']).where('action', '=', 'exchange.subscribed').where('target_id', '=', String(subscription.id)).orderBy('seq').execute();
  assert.deepEqual(audit.map((a) => (a.details as { status: string }).status), ['active', 'cancelled']);
});
