/**
 * One draft makes one application: submissions of the same draft under different idempotency keys (two browser
 * tabs) — in one batch of the submission writer or in successive ones — yield exactly one application, which gets
 * the draft's files; the others are refused with a 409, while unrelated submissions in the same batch go through.
 * A retry with the winner's idempotency key still answers with the winner's application. PGlite and PostgreSQL.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Insertable } from 'kysely';
import type { ApplicationTable } from '../../db/schema.ts';
import { createTestApp, type TestApp } from '../../testing/test-app.ts';
import { FIXTURE_ITEMS, FIXTURE_REGIONS } from '../../testing/fixture-items.ts';
import { createTestPerson, signInForTest, type TestSession } from '../../testing/fixture-accounts.ts';
import type { FormDefinition } from '../forms/form.types.ts';
import { chinaToday } from '../calendar/working-calendar.ts';
import { AppError } from '../../shared/errors.ts';
import { nextApplicationNumber } from './application-numbers.ts';
import { writeSubmission, type SubmissionJob } from './submission-writer.ts';

const SIMPLE_FORM: FormDefinition = { steps: [{ key: 'a', title: '申请信息', fields: [{ key: 'note', label: '备注', type: 'text' }] }] };

let t: TestApp;
let foodCode: string;
let marriageCode: string;
let applicant: TestSession;
let personId: string;

async function itemOf(name: string, region: string) {
  return t.database.db
    .selectFrom('impl_items as i')
    .innerJoin('impl_item_versions as v', (j) => j.onRef('v.item_code', '=', 'i.code').onRef('v.version', '=', 'i.published_version'))
    .select(['i.code', 'v.id'])
    .where('v.name', '=', name)
    .where('i.region_code', '=', region)
    .executeTakeFirstOrThrow();
}

const submit = (body: Record<string, unknown>) => t.app.inject({ method: 'POST', url: '/api/v1/applications', headers: applicant.headers, payload: body });
const detail = async (number: string) => (await t.app.inject({ url: `/api/v1/applications/${number}`, headers: applicant.headers })).json();

/** A fresh food-licence draft with files in every material slot. */
async function draftWithFiles(slots: string[]): Promise<number> {
  const saved = await t.app.inject({ method: 'PUT', url: `/api/v1/drafts/${foodCode}`, headers: applicant.headers, payload: { formData: {} } });
  assert.equal(saved.statusCode, 200, saved.body);
  const draftId = saved.json().id as number;
  for (const slot of slots) {
    await t.database.db
      .insertInto('attachments')
      .values({ owner_id: personId, draft_id: draftId, application_id: null, slot, file_name: `${slot}.pdf`, media_type: 'application/pdf', size_bytes: 10, sha256: 'b'.repeat(64), storage: 'local', storage_key: `test/${draftId}/${slot}` })
      .execute();
  }
  return draftId;
}

const slotsOfFood = async () =>
  (await t.database.db.selectFrom('item_materials').select('seq').where('version_id', '=', (await itemOf('食品经营许可（新办）', '330106')).id).orderBy('seq').execute()).map((m) => `m${m.seq}`);

before(async () => {
  t = await createTestApp(FIXTURE_ITEMS, FIXTURE_REGIONS);
  const food = await itemOf('食品经营许可（新办）', '330106');
  const marriage = await itemOf('内地居民婚姻登记（结婚登记）', '330106');
  foodCode = food.code;
  marriageCode = marriage.code;
  await t.database.db.updateTable('impl_item_versions').set({ form: JSON.stringify(SIMPLE_FORM) }).where('id', 'in', [food.id, marriage.id]).execute();
  await t.database.db.updateTable('item_materials').set({ required: false }).where('version_id', '=', marriage.id).execute();
  const person = await createTestPerson(t.database.db, { name: '李两页' });
  personId = person.id;
  applicant = await signInForTest(t.app, { kind: 'person', identifier: person.mobile });
});

after(async () => {
  await t?.close();
});

test('a draft submitted from three tabs at once makes one application with its files; the others are refused (409)', async () => {
  const slots = await slotsOfFood();
  const draftId = await draftWithFiles(slots);
  const results = await Promise.all([
    submit({ itemCode: foodCode, idempotencyKey: 'tab-1-0001', draftId, formData: { note: '一' } }),
    submit({ itemCode: foodCode, idempotencyKey: 'tab-2-0001', draftId, formData: { note: '二' } }),
    submit({ itemCode: marriageCode, idempotencyKey: 'unrelated-0001', formData: { note: '无关的申请' } }),
    submit({ itemCode: foodCode, idempotencyKey: 'tab-3-0001', draftId, formData: { note: '三' } }),
  ]);
  const unrelated = results.splice(2, 1)[0]!;
  assert.equal(unrelated.statusCode, 201, `an unrelated submission goes through: ${unrelated.body}`);
  const won = results.filter((r) => r.statusCode === 201);
  assert.equal(won.length, 1, results.map((r) => `${r.statusCode} ${r.body}`).join('\n'));
  for (const r of results.filter((x) => x.statusCode !== 201)) {
    assert.ok(r.statusCode === 409 || r.statusCode === 404, r.body);
    assert.match(r.json().error.message, /已提交/);
    assert.equal(r.json().error.field, 'draftId');
  }
  const made = await t.database.db.selectFrom('applications').select('number').where('idempotency_key', 'like', 'tab-%').execute();
  assert.equal(made.length, 1, 'exactly one application from the draft');
  const number = won[0]!.json().number as string;
  assert.equal(made[0]!.number, number);
  const d = await detail(number);
  assert.equal(d.attachments.length, slots.length, 'the draft files belong to that application');
  assert.equal(await t.database.db.selectFrom('application_drafts').select('id').where('id', '=', draftId).executeTakeFirst(), undefined, 'the draft is gone');

  // a retry of the winning request is answered with its application; a loser's retry is still refused
  const winnerKey = ['tab-1-0001', 'tab-2-0001', 'tab-3-0001'][results.indexOf(won[0]!)]!;
  const again = await submit({ itemCode: foodCode, idempotencyKey: winnerKey, draftId, formData: { note: '重试' } });
  assert.equal(again.statusCode, 200, again.body);
  assert.equal(again.json().number, number);
  assert.equal(again.json().replayed, true);
  const loserKey = ['tab-1-0001', 'tab-2-0001', 'tab-3-0001'].find((k) => k !== winnerKey)!;
  const loser = await submit({ itemCode: foodCode, idempotencyKey: loserKey, draftId, formData: { note: '重试' } });
  assert.ok(loser.statusCode === 404 || loser.statusCode === 409, loser.body);
  assert.match(loser.json().error.message, /已提交/);
  assert.equal((await t.database.db.selectFrom('applications').select('id').where('idempotency_key', 'like', 'tab-%').execute()).length, 1);
});

/** A job as submitApplication would build it, for the writer on its own (the checks already passed). */
async function job(key: string, draftId: number | null, materials: string[]): Promise<SubmissionJob> {
  const db = t.database.db;
  const item = await db
    .selectFrom('impl_items as i')
    .innerJoin('impl_item_versions as v', (j) => j.onRef('v.item_code', '=', 'i.code').onRef('v.version', '=', 'i.published_version'))
    .select(['i.code', 'i.department_id', 'i.region_code', 'v.id', 'v.name'])
    .where('i.code', '=', foodCode)
    .executeTakeFirstOrThrow();
  const today = chinaToday();
  const number = await nextApplicationNumber(db, item.region_code, today);
  const values: Insertable<ApplicationTable> = {
    number,
    item_code: item.code,
    item_version_id: item.id,
    item_name: item.name,
    department_id: item.department_id,
    region_code: item.region_code,
    workflow_key: 'licensing',
    workflow_version: 1,
    state: 'submitted',
    resume_state: null,
    submitted_by: personId,
    subject_type: 'person',
    subject_id: personId,
    subject_name: '李两页',
    subject_id_number: '330106199001010000',
    delegation_id: null,
    idempotency_key: key,
    form_data: JSON.stringify({ note: key }),
    legal_days: 20,
    promised_days: 10,
    clock_started_on: today,
    updated_at: new Date(),
  };
  return {
    values,
    draftId,
    materials,
    notification: { title: '申请已提交', body: `办件编号 ${number}` },
    audit: { action: 'application.submitted', actor: { type: 'citizen', id: personId }, target: { type: 'application', id: number }, details: {} },
  };
}

test('the writer: of the jobs naming one draft only the first makes an application, in later batches and in the same batch; the rest of a batch is written', async () => {
  const db = t.database.db;
  const slots = await slotsOfFood();
  const draftId = await draftWithFiles(slots);
  const jobs = [await job('w-1', draftId, slots), await job('w-2', draftId, slots), await job('w-3', draftId, slots), await job('w-4', null, []), await job('w-1', draftId, slots)];
  // enqueued together: the first job is written alone (the writer was idle), the next four in one batch after it
  const settled = await Promise.allSettled(jobs.map((j) => writeSubmission(db, j)));
  assert.equal(settled[0]!.status, 'fulfilled');
  assert.equal((settled[0] as PromiseFulfilledResult<boolean>).value, true, 'the first job makes the application');
  for (const i of [1, 2]) {
    const s = settled[i]!;
    assert.equal(s.status, 'rejected', `job ${i + 1}: the draft was already submitted`);
    const err = (s as PromiseRejectedResult).reason;
    assert.ok(err instanceof AppError, String(err));
    assert.equal(err.status, 409);
    assert.equal(err.field, 'draftId');
    assert.match(err.message, /已提交/);
  }
  assert.equal(settled[3]!.status, 'fulfilled', 'a job without a draft in the same batch is written');
  assert.equal((settled[3] as PromiseFulfilledResult<boolean>).value, true);
  // the same idempotency key again: refused by the writer (its caller then finds the stored application by the key)
  assert.equal(settled[4]!.status, 'rejected');

  const rows = await db.selectFrom('applications').select(['id', 'idempotency_key']).where('idempotency_key', 'like', 'w-%').orderBy('idempotency_key').execute();
  assert.deepEqual(rows.map((r) => r.idempotency_key), ['w-1', 'w-4']);
  const files = await db.selectFrom('attachments').select('application_id').where('storage_key', 'like', `test/${draftId}/%`).execute();
  assert.equal(files.length, slots.length);
  assert.ok(files.every((f) => f.application_id === rows[0]!.id), 'every file went to the one application');
  const submitted = await db.selectFrom('audit_events').select('target_id').where('action', '=', 'application.submitted').where('target_id', 'in', jobs.map((j) => j.values.number)).execute();
  assert.equal(submitted.length, 2, 'an audit row for each application made, none for the refused jobs');
});
