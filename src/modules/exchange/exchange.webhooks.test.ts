/**
 * Change subscriptions and signed webhooks, against a local HTTP server: subscribing (secret once), the
 * signature, event order and batches, masking per grant, retry with backoff after a failure (time controlled
 * through next_attempt_at), at least once, and a revoked grant or a cancellation stopping deliveries; the record's
 * key only as the grant shows it; no delivery to this machine or the internal network unless the configuration
 * allows it (as this file's app does, for its local server). Runs on PGlite and PostgreSQL.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import { createTestApp, type TestApp } from '../../testing/test-app.ts';
import { FIXTURE_ITEMS, FIXTURE_REGIONS } from '../../testing/fixture-items.ts';
import { createTestStaff, findDepartment, signInForTest } from '../../testing/fixture-accounts.ts';
import { createTestGrant, createTestResource } from '../../testing/fixture-data.ts';
import { accessSubject } from './access-subject.ts';
import { USAGE_PAGE } from './data-usage.page.ts';
import { deliverWebhooks, EVENTS_PER_DELIVERY } from './deliver-webhooks.ts';
import { checkWebhookUrl } from './subscription-records.ts';
import { isBlockedAddress } from './webhook-address.ts';
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
  // the subscriber's endpoint is a local server: only tests allow that
  t = await createTestApp(FIXTURE_ITEMS, FIXTURE_REGIONS, (c) => ({ ...c, webhookAllowPrivate: true }));
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

type Payload = { subscription: number; resource: string; events: { id: number; version: number; ref: string; key?: string; op: string; record: Record<string, unknown> | null }[] };

const maskedId = (id: string) => `${id.slice(0, 6)}********${id.slice(14)}`;

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
  // the key as the grant shows id_number: masked (it is not a clear item), never in full
  assert.deepEqual(p1.events.map((e) => [e.key, e.op]), [[maskedId(changed.id_number), 'upsert'], [maskedId(added.id_number), 'upsert'], [maskedId(people[1]!.id_number), 'delete']]);
  for (const p of [changed, added, people[1]!]) assert.ok(!received[0]!.body.includes(p.id_number), 'no full ID number');
  assert.equal(new Set(p1.events.map((e) => e.ref)).size, 3);
  for (const e of p1.events) assert.match(e.ref, /^[A-Za-z0-9_-]{22}$/);
  assert.ok(p1.events[0]!.id < p1.events[1]!.id && p1.events[1]!.id < p1.events[2]!.id);
  // only the granted items, masked per grant (region_code in clear)
  assert.deepEqual(p1.events[0]!.record, { id_number: `${changed.id_number.slice(0, 6)}********${changed.id_number.slice(14)}`, name: '王**', region_code: '330106' });
  assert.equal(p1.events[2]!.record, null);
  assert.ok(!received[0]!.body.includes(changed.address.slice(6)), 'no ungranted item');
  // evidence of the delivery, with the subjects of the records sent — the deleted one's too
  const ev = await db().selectFrom('audit_events').selectAll().where('action', '=', 'exchange.changes_delivered').orderBy('seq', 'desc').executeTakeFirstOrThrow();
  assert.equal(ev.department_id, consumer.id);
  assert.equal((ev.details as { count: number }).count, 3);
  const subjects = await db().selectFrom('data_access_subjects').select('subject').where('seq', '=', Number(ev.seq)).execute();
  assert.deepEqual(
    subjects.map((s) => s.subject).sort(),
    [await accessSubject(db(), changed.id_number), await accessSubject(db(), added.id_number), await accessSubject(db(), people[1]!.id_number)].sort(),
  );
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
  assert.deepEqual(batches.flatMap((b) => b.events.map((e) => e.key)), many.map((p) => maskedId(p.id_number)));

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
  // id_number is not granted: no key at all (neither in full nor masked), only the opaque reference
  const events = (JSON.parse(mine[0]!.body) as Payload).events;
  assert.deepEqual(events.map((e) => [e.op, e.record]), [['upsert', { name: '淳**' }]]);
  assert.ok(!('key' in events[0]!), 'no key');
  assert.match(events[0]!.ref, /^[A-Za-z0-9_-]{22}$/);
  assert.ok(!mine[0]!.body.includes(chunan.id_number) && !mine[0]!.body.includes(maskedId(chunan.id_number)), 'nothing of the ID number');

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

test("the key goes out as the grant shows it; a record's ref is the same in all its events; deletes are evidence too", async () => {
  const clear = await exchangeClient(t.app, db(), consumer.creditCode, '户籍核验系统');
  const named = await exchangeClient(t.app, db(), consumer.creditCode, '通知系统');
  await createTestGrant(db(), { resourceId: resource.id, consumerDepartmentId: consumer.id, clientId: clear.clientId, items: ['id_number', 'name'], clearItems: ['id_number'] });
  await createTestGrant(db(), { resourceId: resource.id, consumerDepartmentId: consumer.id, clientId: named.clientId, items: ['name'] });
  const subscribe = async (c: { headers: Record<string, string> }, path: string) => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/exchange/subscriptions', headers: c.headers, payload: { resource: resource.code, url: `${base}/${path}` } });
    assert.equal(res.statusCode, 201, res.body);
    return (res.json() as { subscription: { id: number } }).subscription.id;
  };
  const subClear = await subscribe(clear, 'clear');
  const subNamed = await subscribe(named, 'named');
  const p = people[6]!;
  await load({ upsert: [{ ...p, name: '赵六' }] });
  await load({ delete: [p.id_number] });
  const before = received.length;
  await deliverWebhooks(t.ctx);
  const bodies = received.slice(before).map((r) => JSON.parse(r.body) as Payload);
  const clearEvents = bodies.filter((b) => b.subscription === subClear).flatMap((b) => b.events);
  const namedEvents = bodies.filter((b) => b.subscription === subNamed).flatMap((b) => b.events);

  // granted in clear: the key in clear; the record's two events share one ref, in event order
  assert.deepEqual(clearEvents.map((e) => [e.key, e.op]), [[p.id_number, 'upsert'], [p.id_number, 'delete']]);
  assert.ok(clearEvents[0]!.id < clearEvents[1]!.id);
  assert.equal(clearEvents[0]!.ref, clearEvents[1]!.ref);
  // not granted: no key, in no event, the delete included; the same ref for both, and not the other grant's
  assert.deepEqual(namedEvents.map((e) => [e.op, 'key' in e]), [['upsert', false], ['delete', false]]);
  assert.equal(namedEvents[0]!.ref, namedEvents[1]!.ref);
  assert.notEqual(namedEvents[0]!.ref, clearEvents[0]!.ref, 'refs do not link one grant’s events to another’s');
  const namedBody = received.slice(before).find((r) => (JSON.parse(r.body) as Payload).subscription === subNamed)!.body;
  assert.ok(!namedBody.includes(p.id_number) && !namedBody.includes(maskedId(p.id_number)), 'nothing of the ID number');

  // the person's access log finds both deliveries, the delete too
  const subject = await accessSubject(db(), p.id_number);
  for (const sub of [subClear, subNamed]) {
    const evs = await db().selectFrom('audit_events').select(['seq', 'details']).where('action', '=', 'exchange.changes_delivered').where('target_id', '=', String(sub)).execute();
    assert.equal(evs.length, 1);
    const rows = await db().selectFrom('data_access_subjects').select('subject').where('seq', '=', Number(evs[0]!.seq)).execute();
    assert.deepEqual(rows.map((r) => r.subject), [subject]);
  }
  // a delete alone (no upsert in the batch) is recorded as well
  await load({ upsert: [p] });
  await deliverWebhooks(t.ctx);
  await load({ delete: [p.id_number] });
  await deliverWebhooks(t.ctx);
  const last = await db().selectFrom('audit_events').select(['seq', 'details']).where('action', '=', 'exchange.changes_delivered').where('target_id', '=', String(subNamed)).orderBy('seq', 'desc').executeTakeFirstOrThrow();
  assert.equal((last.details as { count: number }).count, 1);
  assert.deepEqual((await db().selectFrom('data_access_subjects').select('subject').where('seq', '=', Number(last.seq)).execute()).map((r) => r.subject), [subject]);

  for (const [c, id] of [[clear, subClear], [named, subNamed]] as const) {
    assert.equal((await t.app.inject({ method: 'DELETE', url: `/api/v1/exchange/subscriptions/${id}`, headers: c.headers })).statusCode, 200);
  }
});

test('internal addresses: which ones are refused', () => {
  for (const a of ['127.0.0.1', '127.8.9.10', '10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.1.1', '169.254.169.254', '0.0.0.0', '100.64.0.1', '255.255.255.255', '224.0.0.1',
    '::', '::1', 'fd00::1', 'fc12:3456::1', 'fe80::1', 'fe80::1%eth0', 'ff02::1', '::ffff:127.0.0.1', '::ffff:a9fe:a9fe', '::ffff:10.0.0.1', '64:ff9b::a00:1', 'not-an-address']) {
    assert.equal(isBlockedAddress(a), true, a);
  }
  for (const a of ['8.8.8.8', '172.32.0.1', '114.114.114.114', '2400:3200::1', '::ffff:8.8.8.8', '64:ff9b::808:808']) assert.equal(isBlockedAddress(a), false, a);

  const refused = [
    'https://127.0.0.1/hook', 'https://localhost/hook', 'https://LOCALHOST./hook', 'https://api.localhost/hook', 'https://[::1]/hook', 'https://[::]/hook',
    'https://[::ffff:127.0.0.1]/hook', 'https://[::ffff:192.168.0.10]/hook', 'https://[fd12::1]/hook', 'https://[fe80::1]/hook', 'https://10.0.0.8:8443/hook',
    'https://192.168.1.20/hook', 'https://169.254.169.254/latest/meta-data', 'https://0.0.0.0/hook', 'https://2130706433/hook', 'https://0x7f.1/hook',
    'http://127.0.0.1:6379/', 'http://localhost:8080/hook', 'http://[::1]:9200/',
  ];
  for (const url of refused) {
    assert.throws(() => checkWebhookUrl(url, false), (e: unknown) => (e as { field?: string }).field === 'url' && /[\u4e00-\u9fff]/.test((e as Error).message), url);
  }
  assert.equal(checkWebhookUrl('https://hooks.example.gov.cn/yiwang', false), 'https://hooks.example.gov.cn/yiwang');
  assert.equal(checkWebhookUrl('https://8.8.8.8/hook', false), 'https://8.8.8.8/hook');
  // allowed only where the configuration says so (tests, development)
  assert.equal(checkWebhookUrl('http://127.0.0.1:4000/hook', true), 'http://127.0.0.1:4000/hook');
  assert.throws(() => checkWebhookUrl('http://example.com/hook', true));
});

test('no subscription to, and no delivery to, this machine or the internal network (unless configured)', async () => {
  const c = await exchangeClient(t.app, db(), consumer.creditCode, '外部推送系统');
  await createTestGrant(db(), { resourceId: resource.id, consumerDepartmentId: consumer.id, clientId: c.clientId, items: ['name'] });
  t.ctx.config.webhookAllowPrivate = false;
  try {
    for (const url of [`${base}/hook`, 'https://127.0.0.1/hook', 'https://[::ffff:10.0.0.1]/hook', 'https://169.254.169.254/latest/meta-data', 'https://localhost:8443/hook']) {
      const res = await t.app.inject({ method: 'POST', url: '/api/v1/exchange/subscriptions', headers: c.headers, payload: { resource: resource.code, url } });
      assert.equal(res.statusCode, 400, `${url}: ${res.body}`);
      assert.equal((res.json() as { error: { field: string } }).error.field, 'url');
    }
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/exchange/subscriptions', headers: c.headers, payload: { resource: resource.code, url: 'https://hooks.example.gov.cn/yiwang' } });
    assert.equal(res.statusCode, 201, res.body);
    const id = (res.json() as { subscription: { id: number } }).subscription.id;
    // one made while internal addresses were allowed (or before they were refused): to the local server
    const grant = await db().selectFrom('data_subscriptions').select('grant_id').where('id', '=', id).executeTakeFirstOrThrow();
    const cursor = await db().selectFrom('data_change_events').select(sql<number>`max(id)`.as('id')).where('resource_id', '=', resource.id).executeTakeFirstOrThrow();
    const old = await db()
      .insertInto('data_subscriptions')
      .values({ grant_id: grant.grant_id, resource_id: resource.id, url: `${base}/old`, secret: 's', cursor_event: Number(cursor.id), created_by: null })
      .returning('id')
      .executeTakeFirstOrThrow();

    await load({ upsert: [{ ...people[7]!, name: '孙七' }] });
    const posted: string[] = [];
    const spy = (async (input: string | URL | Request) => {
      posted.push(String(input));
      return new Response(null, { status: 204 });
    }) as typeof fetch;
    const n = received.length;
    // the name resolves to an internal address (or one of several does): nothing is POSTed, the attempt fails
    await deliverWebhooks(t.ctx, { fetch: spy, lookup: async () => [{ address: '203.0.113.9' }, { address: '10.0.0.7' }] });
    assert.deepEqual(posted, []);
    assert.equal(received.length, n, 'the local server received nothing');
    for (const sid of [id, old.id]) {
      const s = await db().selectFrom('data_subscriptions').selectAll().where('id', '=', sid).executeTakeFirstOrThrow();
      assert.equal(s.attempts, 1, `subscription ${sid}`);
      assert.match(String(s.last_error), /本机或内部网络/);
      assert.ok(!String(s.last_error).includes('10.0.0.7') && !String(s.last_error).includes('127.0.0.1'), 'no address is told back');
      assert.equal(Number(s.cursor_event), Number(cursor.id), 'the cursor stays');
    }
    // a name that resolves to public addresses only is delivered to
    await sql`UPDATE data_subscriptions SET next_attempt_at = now() - interval '1 second' WHERE id IN (${id}, ${old.id})`.execute(db());
    await deliverWebhooks(t.ctx, { fetch: spy, lookup: async () => [{ address: '203.0.113.9' }, { address: '2001:db8::9' }] });
    assert.deepEqual(posted, ['https://hooks.example.gov.cn/yiwang'], 'the public one only; the local one still refused');
    const s = await db().selectFrom('data_subscriptions').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    assert.equal(s.attempts, 0);
    assert.equal(s.last_error, null);
    assert.equal(received.length, n);
  } finally {
    t.ctx.config.webhookAllowPrivate = true;
  }
});

test('DNS rebinding: a name that passes the check but answers an internal address when connecting is not connected to', async () => {
  const c = await exchangeClient(t.app, db(), consumer.creditCode, '换绑推送系统');
  const grant = await createTestGrant(db(), { resourceId: resource.id, consumerDepartmentId: consumer.id, clientId: c.clientId, items: ['name'] });
  const port = (server.address() as AddressInfo).port;
  const last = await db().selectFrom('data_change_events').select(sql<number>`max(id)`.as('id')).where('resource_id', '=', resource.id).executeTakeFirstOrThrow();
  // every other subscription is up to date or not due, so only this one is delivered
  await sql`UPDATE data_subscriptions SET next_attempt_at = now() + interval '1 hour' WHERE status = 'active'`.execute(db());
  const sub = await db()
    .insertInto('data_subscriptions')
    .values({ grant_id: grant.id, resource_id: resource.id, url: `http://rebind.yiwang.test:${port}/rebind`, secret: 's', cursor_event: Number(last.id) - 1, created_by: null })
    .returning('id')
    .executeTakeFirstOrThrow();
  const asked: string[] = [];
  // the first answer (the check) is public; the next (the connection) is this machine
  const rebinding = async (host: string) => {
    asked.push(host);
    return [{ address: asked.filter((h) => h === host).length === 1 ? '203.0.113.10' : '127.0.0.1' }];
  };
  t.ctx.config.webhookAllowPrivate = false;
  try {
    const n = received.length;
    await deliverWebhooks(t.ctx, { lookup: rebinding });
    assert.deepEqual(asked, ['rebind.yiwang.test', 'rebind.yiwang.test'], 'resolved for the check and again for the connection');
    assert.equal(received.length, n, 'the local server received nothing');
    const s = await db().selectFrom('data_subscriptions').selectAll().where('id', '=', sub.id).executeTakeFirstOrThrow();
    assert.equal(s.attempts, 1);
    assert.equal(s.last_error, '推送地址指向本机或内部网络，已拒绝推送');
    assert.equal(Number(s.cursor_event), Number(last.id) - 1, 'the cursor stays');
  } finally {
    t.ctx.config.webhookAllowPrivate = true;
    await sql`UPDATE data_subscriptions SET status = 'cancelled' WHERE id = ${sub.id}`.execute(db());
  }
});

test("the provider's usage view lists change deliveries to subscribers, with the consumer and the count", async () => {
  const provider = await findDepartment(db(), { regionCode: '330106', kind: 'public_security' });
  await createTestStaff(db(), { staffNo: 'WHUSG1', departmentId: provider.id, roles: [{ role: 'data_steward' }] });
  const steward = await signInForTest(t.app, { kind: 'staff', identifier: 'WHUSG1' });
  const delivered = await db()
    .selectFrom('audit_events')
    .select(['seq', 'details'])
    .where('action', '=', 'exchange.changes_delivered')
    .where(sql<boolean>`details->>'resource' = ${resource.code}`)
    .orderBy('seq', 'desc')
    .execute();
  assert.ok(delivered.length > 0, 'the tests above delivered changes');

  const res = await t.app.inject({ url: `/api/v1/staff/data/usage?resource=${resource.code}&size=100`, headers: steward.headers });
  assert.equal(res.statusCode, 200, res.body);
  const body = res.json() as { entries: { seq: number; method: string | null; count: number; resource: { code: string }; consumer: { creditCode: string } | null; via: { kind: string } }[] };
  const pushes = body.entries.filter((e) => e.method === 'subscription');
  assert.deepEqual(pushes.map((e) => e.seq), delivered.map((d) => Number(d.seq)));
  for (const e of pushes) {
    assert.equal(e.resource.code, resource.code);
    assert.equal(e.consumer?.creditCode, consumer.creditCode);
    assert.equal(e.via.kind, 'client');
  }
  assert.equal(pushes[0]!.count, (typeof delivered[0]!.details === 'string' ? JSON.parse(delivered[0]!.details) : delivered[0]!.details).count);

  const page = await t.app.inject({ url: `${USAGE_PAGE}?resource=${resource.code}`, headers: steward.headers });
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /（变更推送）/);
});
