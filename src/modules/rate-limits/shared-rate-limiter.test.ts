import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Database } from '../../db/database.ts';
import { createTestDatabase } from '../../testing/test-db.ts';
import { SharedRateLimiter } from './shared-rate-limiter.ts';

let database: Database;
// flushMs 0: no timer, the tests flush when they mean to (a flush is what a server does every 250 ms)
const limiter = () => new SharedRateLimiter(database.db, { flushMs: 0 });
const MIN = 60_000;
/** The middle of the current minute: every hit of a test falls into one window. */
const midMinute = () => Math.floor(Date.now() / MIN) * MIN + 30_000;

async function stored(bucket: string): Promise<number | undefined> {
  const r = await database.db.selectFrom('rate_counters').select('count').where('bucket', '=', bucket).executeTakeFirst();
  return r?.count;
}

before(async () => {
  database = await createTestDatabase();
});

after(async () => {
  await database?.close();
});

test('one server counts exactly: the limit, then refused with the seconds until the window ends', () => {
  const l = limiter();
  const now = midMinute();
  for (let i = 1; i <= 3; i++) assert.deepEqual(l.hit('t1', 3, MIN, now), { allowed: true, count: i, retryAfterSeconds: 30 });
  const over = l.hit('t1', 3, MIN, now + 5_500);
  assert.equal(over.allowed, false);
  assert.equal(over.retryAfterSeconds, 25);
  // refused hits are not counted; the next window starts afresh
  assert.equal(l.hit('t1', 3, MIN, now + 6_000).allowed, false);
  assert.equal(l.hit('t1', 3, MIN, now + MIN).allowed, true);
});

test('a bucket seen once on a server is not written; seen twice, both hits are', async () => {
  const l = limiter();
  const now = midMinute();
  l.hit('t2-once', 10, MIN, now);
  l.hit('t2-twice', 10, MIN, now);
  l.hit('t2-twice', 10, MIN, now);
  await l.flush();
  assert.equal(await stored('t2-once'), undefined);
  assert.equal(await stored('t2-twice'), 2);
  l.hit('t2-twice', 10, MIN, now);
  await l.flush();
  await l.flush(); // nothing new: nothing added
  assert.equal(await stored('t2-twice'), 3);
  assert.deepEqual(l.stats(), { windows: 1, buckets: 2, sharedBuckets: 1 });
});

test('two servers share a limit through the table: each learns the other\'s count on its flush', async () => {
  const a = limiter();
  const b = limiter();
  const now = midMinute();
  const key = 't3-exam-263300000001';
  for (let i = 0; i < 3; i++) assert.equal(a.hit(key, 5, MIN, now).allowed, true);
  await a.flush();
  assert.equal(await stored(key), 3);
  // server B has seen nothing of it: its first two hits pass on its own count …
  assert.equal(b.hit(key, 5, MIN, now).allowed, true);
  assert.equal(b.hit(key, 5, MIN, now).allowed, true);
  await b.flush();
  assert.equal(await stored(key), 5);
  // … and its flush brought back the total: the limit holds on B although B saw only two
  const refused = b.hit(key, 5, MIN, now);
  assert.equal(refused.allowed, false);
  assert.equal(refused.count, 6);
  // A's view is one flush old: one more passes there (the documented overshoot), then A knows too
  assert.equal(a.hit(key, 5, MIN, now).allowed, true);
  await a.flush();
  assert.equal(await stored(key), 6);
  assert.equal(a.hit(key, 5, MIN, now).allowed, false);
});

test('concurrent flushes of two servers over the same buckets add up (one lock order: no deadlock)', async () => {
  const a = limiter();
  const b = limiter();
  const now = midMinute();
  const buckets = Array.from({ length: 40 }, (_, i) => `t4-${String(i).padStart(2, '0')}`);
  for (let round = 0; round < 3; round++) {
    // the two servers touch the buckets in opposite orders
    for (const k of buckets) a.hit(k, 1000, MIN, now), a.hit(k, 1000, MIN, now);
    for (const k of [...buckets].reverse()) b.hit(k, 1000, MIN, now), b.hit(k, 1000, MIN, now);
    await Promise.all([a.flush(), b.flush()]);
  }
  const rows = await database.db.selectFrom('rate_counters').select(['bucket', 'count']).where('bucket', 'like', 't4-%').execute();
  assert.equal(rows.length, buckets.length);
  for (const r of rows) assert.equal(r.count, 12, r.bucket);
});

test('windows that are over are deleted; the running ones stay', async () => {
  const l = limiter();
  const now = midMinute();
  l.hit('t5', 10, 10 * MIN, now);
  l.hit('t5', 10, 10 * MIN, now);
  await l.flush();
  await database.db.insertInto('rate_counters').values({ bucket: 't5-old', window_start: new Date(now - 61 * MIN), count: 7 }).execute();
  // another server's longer window (this one only counts 10-minute windows) is not this server's to delete
  await database.db.insertInto('rate_counters').values({ bucket: 't5-other', window_start: new Date(now - 30 * MIN), count: 3 }).execute();
  assert.equal(await l.cleanup(now), 1);
  assert.equal(await stored('t5-old'), undefined);
  assert.equal(await stored('t5-other'), 3);
  assert.equal(await stored('t5'), 2);
});

test('a flush that fails changes nothing here: the decisions go on from the local counts', async () => {
  const broken = await createTestDatabase();
  const l = new SharedRateLimiter(broken.db, { flushMs: 0 });
  await broken.close();
  const now = midMinute();
  l.hit('t6', 10, MIN, now);
  l.hit('t6', 10, MIN, now);
  await assert.rejects(l.flush());
  // still counted locally: the decision does not depend on the database being there
  assert.equal(l.hit('t6', 3, MIN, now).allowed, true);
  assert.equal(l.hit('t6', 3, MIN, now).allowed, false);
});
