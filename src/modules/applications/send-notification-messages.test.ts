import { after, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import type { Database } from '../../db/database.ts';
import { createTestDatabase } from '../../testing/test-db.ts';
import { createTestPerson } from '../../testing/fixture-accounts.ts';
import type { MessageSender, OutboundMessage } from '../identity/messages/message-sender.ts';
import { MAX_ATTEMPTS, sendNotificationMessages } from './send-notification-messages.ts';

let database: Database;
let withMobile: string;
let withoutMobile: string;

before(async () => {
  database = await createTestDatabase();
  withMobile = (await createTestPerson(database.db, { mobile: '13900001111' })).id;
  withoutMobile = (await createTestPerson(database.db)).id;
  await database.db.updateTable('accounts').set({ mobile: null }).where('id', '=', withoutMobile).execute();
});

after(async () => {
  await database?.close();
});

beforeEach(async () => {
  await database.db.deleteFrom('notifications').execute();
});

async function pending(n: number, account = withMobile): Promise<number[]> {
  const rows = await database.db
    .insertInto('notifications')
    .values(Array.from({ length: n }, (_, i) => ({ account_id: account, application_id: null, title: '办件通知', body: `消息${i}`, sms_state: 'pending' as const })))
    .returning('id')
    .execute();
  return rows.map((r) => r.id);
}

const row = (id: number) =>
  database.db
    .selectFrom('notifications')
    .select(['sms_state', 'sms_attempts', 'sms_last_error', 'sms_lease_until', 'sms_next_attempt_at', sql<boolean>`sms_lease_until > now()`.as('leased')])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();

/** Time passes for the job: leases and backoffs run out. */
const timePasses = () =>
  database.db
    .updateTable('notifications')
    .set({ sms_lease_until: sql`CASE WHEN sms_lease_until IS NULL THEN NULL ELSE now() - interval '1 second' END`, sms_next_attempt_at: sql`CASE WHEN sms_next_attempt_at IS NULL THEN NULL ELSE now() - interval '1 second' END` })
    .execute();

function recorder(): MessageSender & { texts: string[] } {
  const texts: string[] = [];
  return { texts, send: async (m: OutboundMessage) => void texts.push(m.text) };
}

test('nothing is marked sent before the adapter has it: a run that stops mid-send loses nothing, and its rows are sent once its lease runs out', async () => {
  const [id] = await pending(1);
  let called!: () => void;
  const reached = new Promise<void>((r) => (called = r));
  let fail!: (e: Error) => void;
  const stuck: MessageSender = { send: () => (called(), new Promise<void>((_, rej) => (fail = rej))) };
  const a = sendNotificationMessages(database.db, stuck); // a server that hangs (or dies) while sending
  await reached;
  let r = await row(id!);
  assert.equal(r.sms_state, 'pending', 'not marked sent while the adapter has not taken it');
  assert.equal(r.leased, true);
  assert.equal(r.sms_attempts, 1);
  // another server meanwhile: the row is leased, so it sends nothing
  const b = recorder();
  assert.deepEqual(await sendNotificationMessages(database.db, b), { sent: 0, failed: 0 });
  assert.equal(b.texts.length, 0);
  // the lease runs out (the first server is gone): the message is claimed again and sent
  await timePasses();
  const c = recorder();
  assert.deepEqual(await sendNotificationMessages(database.db, c), { sent: 1, failed: 0 });
  assert.deepEqual(c.texts, ['【一网通办】办件通知：消息0']);
  r = await row(id!);
  assert.equal(r.sms_state, 'sent');
  assert.equal(r.sms_attempts, 2);
  assert.equal(r.sms_lease_until, null);
  // the stalled first run's late failure does not undo the newer claim's result
  fail(new Error('gateway timeout'));
  assert.deepEqual(await a, { sent: 0, failed: 1 });
  r = await row(id!);
  assert.equal(r.sms_state, 'sent');
  assert.equal(r.sms_last_error, null);
});

test('a failed send keeps its error and is tried again after a backoff, then sent', async () => {
  const [id] = await pending(1);
  const down: MessageSender = {
    send: async () => {
      throw new Error('短信网关返回 503');
    },
  };
  assert.deepEqual(await sendNotificationMessages(database.db, down), { sent: 0, failed: 1 });
  let r = await row(id!);
  assert.equal(r.sms_state, 'pending', 'not lost');
  assert.equal(r.sms_attempts, 1);
  assert.equal(r.sms_last_error, '短信网关返回 503');
  assert.equal(r.sms_lease_until, null);
  const wait = (await sql<{ s: number }>`SELECT extract(epoch FROM ${r.sms_next_attempt_at}::timestamptz - now())::float8 AS s`.execute(database.db)).rows[0]!.s;
  assert.ok(wait > 20 && wait <= 30, `backoff of about 30 s, got ${wait}`);
  // not before the backoff
  const early = recorder();
  assert.deepEqual(await sendNotificationMessages(database.db, early), { sent: 0, failed: 0 });
  assert.equal(early.texts.length, 0);
  await timePasses();
  const up = recorder();
  assert.deepEqual(await sendNotificationMessages(database.db, up), { sent: 1, failed: 0 });
  assert.equal(up.texts.length, 1);
  r = await row(id!);
  assert.equal(r.sms_state, 'sent');
  assert.equal(r.sms_attempts, 2);
  assert.equal(r.sms_last_error, null);
});

test(`attempts are bounded: the ${MAX_ATTEMPTS}th failure marks the message failed, with its error; a claim that never came back counts`, async () => {
  const [id, lost] = await pending(2);
  let calls = 0;
  const down: MessageSender = {
    send: async (m) => {
      calls++;
      if (m.text.endsWith('消息0')) throw new Error(`refused ${calls}`);
    },
  };
  // the second message: claimed MAX_ATTEMPTS times by servers that died before any result
  await database.db.updateTable('notifications').set({ sms_attempts: MAX_ATTEMPTS, sms_lease_until: sql`now() - interval '1 second'` }).where('id', '=', lost!).execute();
  for (let i = 1; i <= MAX_ATTEMPTS; i++) {
    const run = await sendNotificationMessages(database.db, down);
    assert.deepEqual(run, { sent: 0, failed: 1 });
    const r = await row(id!);
    assert.equal(r.sms_attempts, i);
    assert.equal(r.sms_state, i < MAX_ATTEMPTS ? 'pending' : 'failed');
    await timePasses();
  }
  assert.equal(calls, MAX_ATTEMPTS, 'the lost one is not sent a sixth time');
  const r = await row(id!);
  assert.equal(r.sms_last_error, `refused ${MAX_ATTEMPTS}`);
  assert.equal(r.sms_next_attempt_at, null);
  const l = await row(lost!);
  assert.equal(l.sms_state, 'failed');
  assert.match(l.sms_last_error ?? '', /lease ran out/);
  assert.deepEqual(await sendNotificationMessages(database.db, down), { sent: 0, failed: 0 });
  assert.equal(calls, MAX_ATTEMPTS);
});

test('runs in parallel (several servers) send each message exactly once', async () => {
  const ids = await pending(40);
  const noMobile = await pending(3, withoutMobile);
  const texts: string[] = [];
  const sender: MessageSender = {
    send: async (m) => {
      texts.push(m.text);
      await new Promise((r) => setTimeout(r, 2));
    },
  };
  const server = async () => {
    let total = 0;
    for (let i = 0; i < 20; i++) total += (await sendNotificationMessages(database.db, sender, 7)).sent;
    return total;
  };
  const totals = await Promise.all([server(), server(), server()]);
  assert.equal(totals.reduce((a, b) => a + b, 0), 40);
  assert.equal(texts.length, 40);
  assert.equal(new Set(texts).size, 40, 'no message twice');
  for (const id of ids) assert.equal((await row(id)).sms_state, 'sent');
  for (const id of noMobile) assert.equal((await row(id)).sms_state, 'none');
});

test('a run that nears the end of its lease hands the rest back unsent, the attempt uncounted', async () => {
  const ids = await pending(3);
  const slow = recorder();
  const send = slow.send;
  slow.send = async (m) => {
    await new Promise((r) => setTimeout(r, 300));
    await send(m);
  };
  const run = await sendNotificationMessages(database.db, slow, 100, { leaseMs: 200 });
  assert.ok(run.sent <= 1, `stopped after the lease's first half, sent ${run.sent}`);
  const back = ids.slice(run.sent);
  assert.ok(back.length >= 2);
  for (const id of back) {
    const r = await row(id);
    assert.equal(r.sms_state, 'pending');
    assert.equal(r.sms_attempts, 0);
    assert.equal(r.sms_lease_until, null);
  }
  const next = recorder();
  assert.equal((await sendNotificationMessages(database.db, next)).sent, back.length, 'taken by the next run at once');
});
