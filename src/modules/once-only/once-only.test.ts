/**
 * Once-only (免提交) through the apply pages and the API: a declared field and material of an item are obtained
 * by data sharing with the applicant's consent, under the handling department's grant — fields filled and
 * read-only, the material exempted, the access in the audit log and in the citizen's access record. Without a
 * grant or a record the applicant is told plainly and fills in by hand (never a 500). A submission without the
 * exempted material's file goes through only after a successful fill, links the accesses to the application
 * number (exchange.case_linked), and staff see the material was obtained by sharing. PGlite and PostgreSQL.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { LightMyRequestResponse } from 'fastify';
import { createTestApp, type TestApp } from '../../testing/test-app.ts';
import { FIXTURE_ITEMS, FIXTURE_REGIONS } from '../../testing/fixture-items.ts';
import { createTestPerson, createTestStaff, findDepartment, residentId, signInForTest, type TestSession } from '../../testing/fixture-accounts.ts';
import { createTestGrant, createTestResource } from '../../testing/fixture-data.ts';
import { FIXTURE_DRIVING_LICENCE_CODE } from '../forms/fixture-forms.ts';
import { multipartBody, samplePdf } from '../attachments/sample-files.ts';
import { listOwnAccessLog } from '../audit/list-own-access-log.ts';
import type { DataItem } from '../../db/schema.ts';

const DRIVER_ITEMS: DataItem[] = [
  { key: 'id_number', name: '公民身份号码', type: 'resident_id', required: true, personal: true, mask: 'resident_id' },
  { key: 'name', name: '姓名', type: 'text', required: true, personal: true, mask: 'name' },
  { key: 'archive_no', name: '档案编号', type: 'text', required: true, personal: false },
  { key: 'valid_to', name: '有效期至', type: 'date', required: true, personal: false },
];

let t: TestApp;
let code: string; // 机动车驾驶证期满换证 in 西湖区
let handlingId: number;
let handlingName: string;
let resourceId: number;
let grantId: number;
const people: Record<'a' | 'b' | 'c' | 'd' | 'e', { id: string; idNumber: string; mobile: string; name: string; s?: TestSession }> = {} as never;
let clerk: TestSession;

before(async () => {
  t = await createTestApp(FIXTURE_ITEMS, FIXTURE_REGIONS);
  const db = t.database.db;
  const row = await db
    .selectFrom('impl_items as i')
    .innerJoin('departments as d', 'd.id', 'i.department_id')
    .select(['i.code', 'i.department_id', 'd.name'])
    .where('i.basic_code', '=', FIXTURE_DRIVING_LICENCE_CODE)
    .where('i.region_code', '=', '330106')
    .executeTakeFirstOrThrow();
  code = row.code;
  handlingId = row.department_id;
  handlingName = row.name;
  people.a = await createTestPerson(db, { name: '甲申请人', idNumber: residentId('330106', '19880101', 411) });
  people.b = await createTestPerson(db, { name: '乙申请人', idNumber: residentId('330106', '19880101', 412) });
  people.c = await createTestPerson(db, { name: '丙申请人', idNumber: residentId('330106', '19880101', 413) }); // no record
  people.d = await createTestPerson(db, { name: '丁申请人', idNumber: residentId('330106', '19880101', 414) });
  people.e = await createTestPerson(db, { name: '戊申请人', idNumber: residentId('330106', '19880101', 415) });
  for (const k of ['a', 'b', 'c', 'd', 'e'] as const) people[k].s = await signInForTest(t.app, { kind: 'person', identifier: people[k].mobile });

  const provider = await findDepartment(db, { regionCode: '330100', kind: 'public_security' });
  const record = (p: { idNumber: string; name: string }, n: number) => ({ id_number: p.idNumber, name: p.name, archive_no: `33010012345${n}`, valid_to: '2027-06-30' });
  const resource = await createTestResource(db, {
    code: 'GA-DRIVER-T',
    name: '机动车驾驶人信息',
    providerDepartmentId: provider.id,
    items: DRIVER_ITEMS,
    records: [record(people.a, 1), record(people.b, 2), record(people.d, 4), record(people.e, 5)],
  });
  resourceId = resource.id;
  grantId = (await createTestGrant(db, { resourceId, consumerDepartmentId: handlingId, items: ['id_number', 'archive_no', 'valid_to'], itemCode: code, purpose: '办理驾驶证期满换证' })).id;
  await db
    .insertInto('item_data_sources')
    .values([
      { item_code: code, target: 'field', target_key: 'archiveNo', resource_id: resourceId, subject: 'person', data_item: 'archive_no', label: '驾驶证信息' },
      { item_code: code, target: 'field', target_key: 'expiryDate', resource_id: resourceId, subject: 'person', data_item: 'valid_to', label: '驾驶证信息' },
      { item_code: code, target: 'material', target_key: 'm1', resource_id: resourceId, subject: 'person', data_item: null, label: '居民身份证信息' },
    ])
    .execute();
  await createTestStaff(db, { staffNo: 'OO0001', departmentId: handlingId, roles: [{ role: 'window_clerk' }] });
  clerk = await signInForTest(t.app, { kind: 'staff', identifier: 'OO0001' });
});

after(async () => {
  await t?.close();
});

const get = (s: TestSession, url: string) => t.app.inject({ method: 'GET', url, headers: { cookie: s.cookie } });
const post = (s: TestSession, url: string, fields: Record<string, string>) =>
  t.app.inject({
    method: 'POST',
    url,
    headers: { cookie: s.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ _csrf: s.csrfToken, ...fields }).toString(),
  });
const location = (r: LightMyRequestResponse) => String(r.headers.location ?? '');
const text = (body: string) => body.replace(/<[^>]+>/g, '').replace(/\s+/g, ' ');

async function draftOf(accountId: string) {
  return t.database.db.selectFrom('application_drafts').select(['id', 'form_data']).where('account_id', '=', accountId).where('item_code', '=', code).executeTakeFirst();
}

async function uploadM2(s: TestSession, draftId: number) {
  const { payload, contentType } = multipartBody([
    { name: 'slot', value: 'm2' },
    { name: 'draftId', value: String(draftId) },
    { name: 'file', file: { fileName: 'm2.pdf', contentType: 'application/pdf', data: await samplePdf('m2') } },
  ]);
  const r = await t.app.inject({ method: 'POST', url: '/api/v1/attachments', headers: { ...s.headers, 'content-type': contentType }, payload });
  assert.equal(r.statusCode, 201, r.body);
}

const FORM = (p: { name: string; idNumber: string }) => ({ applicantName: p.name, applicantIdNumber: p.idNumber, mobile: '13800000009', archiveNo: '999999999999', expiryDate: '2030-01-01', delivery: 'window' });

test('before consent the step page offers the shared data, names the provider and the handling department, and fills nothing', async () => {
  const r = await get(people.a.s!, `/apply/${code}/step/applicant`);
  assert.equal(r.statusCode, 200);
  const body = text(r.body);
  assert.match(body, /以下信息可由本平台通过政务数据共享获取，无需您填写或提交：驾驶证信息（[^）]*公安[^）]*）、居民身份证信息/);
  assert.match(body, new RegExp(`同意后由${handlingName}依据共享授权获取，访问将记录在您的个人数据访问记录中`));
  assert.match(r.body, /<button type="submit" class="primary" name="consent" value="yes">同意并获取<\/button>/);
  assert.doesNotMatch(r.body, /readonly/);
});

let seqA = 0;

test('consent fills the declared fields read-only, exempts the material, writes exchange.prefilled, and the access is in the citizen’s record', async () => {
  const a = people.a;
  const r = await post(a.s!, `/apply/${code}/shared`, { consent: 'yes', back: 'step:applicant' });
  assert.equal(r.statusCode, 303, r.body);
  assert.equal(location(r), `/apply/${code}/step/applicant?done=shared#shared-data`);

  const draft = (await draftOf(a.id))!;
  const data = draft.form_data as Record<string, unknown>;
  assert.equal(data.archiveNo, '330100123451');
  assert.equal(data.expiryDate, '2027-06-30');
  assert.equal(data.applicantName, a.name, 'the prefill from the profile stays');
  const entries = await t.database.db.selectFrom('draft_shared_data').selectAll().where('draft_id', '=', draft.id).orderBy('target_key').execute();
  assert.deepEqual(
    entries.map((e) => [e.target, e.target_key, e.status]),
    [
      ['field', 'archiveNo', 'filled'],
      ['field', 'expiryDate', 'filled'],
      ['material', 'm1', 'filled'],
    ],
  );
  assert.ok(entries.every((e) => e.request_id && e.audit_seq && e.data_version === 1));

  // the evidence: one read as the handling department on the person's behalf, and the fill in the draft's case
  const read = await t.database.db.selectFrom('audit_events').selectAll().where('action', '=', 'exchange.records_read').where('seq', '=', Number(entries[0]!.audit_seq)).executeTakeFirstOrThrow();
  assert.equal(read.on_behalf_of, `person:${a.id}`);
  const readDetails = read.details as Record<string, unknown>;
  assert.equal(readDetails.caseRef, `draft:${draft.id}`);
  assert.match(String(readDetails.purpose), /办理机动车驾驶证期满换证（免提交）/);
  const filled = await t.database.db.selectFrom('audit_events').selectAll().where('action', '=', 'exchange.prefilled').where('actor_id', '=', a.id).execute();
  assert.equal(filled.length, 1);
  const fd = filled[0]!.details as Record<string, unknown>;
  assert.equal(fd.case, `draft:${draft.id}`);
  assert.deepEqual(fd.targets, ['field:archiveNo', 'field:expiryDate', 'material:m1']);
  assert.deepEqual(fd.seqs, [Number(read.seq)]);
  assert.equal(filled[0]!.target_id, 'GA-DRIVER-T');
  seqA = Number(read.seq);

  const log = await listOwnAccessLog(t.database.db, { personId: a.id, page: 1, size: 20 });
  assert.ok(log.entries.some((e) => e.action === 'exchange.records_read' && e.purpose?.includes('免提交')), 'the access is in the citizen’s record');

  // the step page: the filled fields are read-only with their source; the block says what was obtained
  const page = await get(a.s!, `/apply/${code}/step/applicant?done=shared`);
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /id="f-archiveNo"[^>]*value="330100123451"[^>]*readonly|readonly[^>]*id="f-archiveNo"|name="f\.archiveNo" type="text" value="330100123451"[^>]*readonly/);
  const body = text(page.body);
  assert.match(body, /由[^（]*公安[^（]*通过政务数据共享提供（机动车驾驶人信息，数据版本 1）/);
  assert.match(body, /材料“居民身份证”：\s*已通过共享获取（免提交）/);
  assert.match(body, /撤回同意，改为手动填写/);

  // a changed value posted for a filled field is not taken
  const step = await post(a.s!, `/apply/${code}/step/applicant`, { 'f.applicantName': a.name, 'f.applicantIdNumber': a.idNumber, 'f.mobile': '13800000009', 'f.archiveNo': '111111111111', 'f.expiryDate': '2031-01-01', _nav: 'next' });
  assert.equal(step.statusCode, 303, text(step.body).slice(0, 400));
  const after = ((await draftOf(a.id))!.form_data as Record<string, unknown>);
  assert.equal(after.archiveNo, '330100123451');
  assert.equal(after.expiryDate, '2027-06-30');

  // the materials page: m1 needs no upload
  const materials = await get(a.s!, `/apply/${code}/materials`);
  assert.match(text(materials.body), /1\. 居民身份证\s*已通过共享获取（免提交）/);
  assert.doesNotMatch(materials.body, /id="file-m1"/);
});

test('without a grant the applicant is told plainly, nothing is filled and the refusal is recorded; no record is told too', async () => {
  const db = t.database.db;
  await db.updateTable('share_grants').set({ status: 'revoked', revoked_at: new Date() }).where('id', '=', grantId).execute();
  try {
    const b = people.b;
    const r = await post(b.s!, `/apply/${code}/shared`, { consent: 'yes', back: 'step:applicant' });
    assert.equal(r.statusCode, 303, r.body);
    const page = await get(b.s!, location(r));
    assert.equal(page.statusCode, 200);
    assert.match(text(page.body), /暂未能通过共享获取驾驶证信息、居民身份证信息（共享授权已被撤销），请手动填写并上传材料/);
    assert.doesNotMatch(page.body, /readonly/);
    const draft = (await draftOf(b.id))!;
    const data = draft.form_data as Record<string, unknown>;
    assert.equal(data.archiveNo, undefined);
    const entries = await db.selectFrom('draft_shared_data').select(['status']).where('draft_id', '=', draft.id).execute();
    assert.ok(entries.length === 3 && entries.every((e) => e.status === 'unavailable'));
    const prefilled = await db.selectFrom('audit_events').select('seq').where('action', '=', 'exchange.prefilled').where('actor_id', '=', b.id).execute();
    assert.equal(prefilled.length, 0);
    const refused = await db.selectFrom('audit_events').select('seq').where('action', '=', 'exchange.refused').where('on_behalf_of', '=', `person:${b.id}`).execute();
    assert.equal(refused.length, 1);

    // the material is still required: submitting without its file is refused
    await uploadM2(b.s!, draft.id);
    const sub = await t.app.inject({ method: 'POST', url: '/api/v1/applications', headers: b.s!.headers, payload: { itemCode: code, formData: FORM(b), draftId: draft.id, idempotencyKey: 'once-only-b-1' } });
    assert.equal(sub.statusCode, 400, sub.body);
    assert.match(sub.body, /缺少必要材料：居民身份证/);
  } finally {
    await db.updateTable('share_grants').set({ status: 'active', revoked_at: null }).where('id', '=', grantId).execute();
  }

  // a person the resource has no record of
  const c = people.c;
  const r = await t.app.inject({ method: 'POST', url: `/api/v1/drafts/${code}/shared-data`, headers: c.s!.headers, payload: { consent: true } });
  assert.equal(r.statusCode, 200, r.body);
  const out = r.json();
  assert.equal(out.filled, 0);
  assert.equal(out.unavailable, 3);
  assert.match(out.entries[0].reason, /共享数据中暂无您的驾驶证信息、居民身份证信息记录/);
});

test('a submission without the exempted material goes through after a fill, links the accesses to its number, and staff see it', async () => {
  const a = people.a;
  const draft = (await draftOf(a.id))!;
  await uploadM2(a.s!, draft.id);
  // the posted data claims other values: what sharing filled wins
  const r = await t.app.inject({ method: 'POST', url: '/api/v1/applications', headers: a.s!.headers, payload: { itemCode: code, formData: FORM(a), draftId: draft.id, idempotencyKey: 'once-only-a-1' } });
  assert.equal(r.statusCode, 201, r.body);
  const number = r.json().number as string;
  const db = t.database.db;
  const app = await db.selectFrom('applications').select(['id', 'form_data']).where('number', '=', number).executeTakeFirstOrThrow();
  assert.equal((app.form_data as Record<string, unknown>).archiveNo, '330100123451');
  const linked = await db.selectFrom('audit_events').selectAll().where('action', '=', 'exchange.case_linked').where('target_id', '=', number).executeTakeFirstOrThrow();
  assert.equal(linked.target_type, 'application');
  assert.deepEqual((linked.details as Record<string, unknown>).seqs, [seqA]);
  assert.equal((linked.details as Record<string, unknown>).case, `draft:${draft.id}`);
  const submitted = await db.selectFrom('audit_events').select('seq').where('action', '=', 'application.submitted').where('target_id', '=', number).executeTakeFirstOrThrow();
  assert.equal(Number(linked.seq), Number(submitted.seq) + 1, 'linked in the submitting transaction');
  assert.equal((await db.selectFrom('draft_shared_data').select('draft_id').where('draft_id', '=', draft.id).execute()).length, 0, 'gone with the draft');

  const staff = await get(clerk, `/staff/applications/${number}`);
  assert.equal(staff.statusCode, 200, staff.body.slice(0, 300));
  const body = text(staff.body);
  assert.match(body, /居民身份证\s*已通过共享获取（免提交）\s*[^ ]*公安[^ ]*通过政务数据共享提供（机动车驾驶人信息，数据版本 1）/);
  assert.match(body, /以下内容通过政务数据共享获取：“驾驶证档案编号”由/);
});

test('an exemption cannot be claimed by editing the draft, and withdrawing consent clears what was obtained', async () => {
  const d = people.d;
  // a draft saved through the API with the values typed in: no fill, so m1 is still needed
  const saved = await t.app.inject({ method: 'PUT', url: `/api/v1/drafts/${code}`, headers: d.s!.headers, payload: { formData: FORM(d) } });
  assert.equal(saved.statusCode, 200, saved.body);
  const draftId = saved.json().id as number;
  await uploadM2(d.s!, draftId);
  const refused = await t.app.inject({ method: 'POST', url: '/api/v1/applications', headers: d.s!.headers, payload: { itemCode: code, formData: FORM(d), draftId, idempotencyKey: 'once-only-d-1' } });
  assert.equal(refused.statusCode, 400);
  assert.match(refused.body, /缺少必要材料：居民身份证/);

  // consent, then withdraw: the filled values are cleared and m1 is required again
  assert.equal((await post(d.s!, `/apply/${code}/shared`, { consent: 'yes', back: 'materials' })).statusCode, 303);
  assert.equal(((await draftOf(d.id))!.form_data as Record<string, unknown>).archiveNo, '330100123454');
  const w = await post(d.s!, `/apply/${code}/shared`, { withdraw: 'yes', back: 'materials' });
  assert.equal(w.statusCode, 303);
  assert.equal(location(w), `/apply/${code}/materials?done=withdrawn#shared-data`);
  const data = (await draftOf(d.id))!.form_data as Record<string, unknown>;
  assert.equal(data.archiveNo, undefined);
  assert.equal((await t.database.db.selectFrom('draft_shared_data').select('draft_id').where('draft_id', '=', draftId).execute()).length, 0);
  const page = await get(d.s!, `/apply/${code}/materials?done=withdrawn`);
  assert.match(text(page.body), /已撤回同意/);
  assert.match(page.body, /id="file-m1"/);
  const again = await t.app.inject({ method: 'POST', url: '/api/v1/applications', headers: d.s!.headers, payload: { itemCode: code, formData: FORM(d), draftId, idempotencyKey: 'once-only-d-2' } });
  assert.equal(again.statusCode, 400);
  assert.match(again.body, /缺少必要材料：居民身份证/);
});

test('a second consent that can no longer fill a field clears the value filled before; withdrawal then leaves nothing shared', async () => {
  const e = people.e;
  const db = t.database.db;
  const consent = () => t.app.inject({ method: 'POST', url: `/api/v1/drafts/${code}/shared-data`, headers: e.s!.headers, payload: { consent: true } });
  const first = await consent();
  assert.equal(first.statusCode, 200, first.body);
  let data = (await draftOf(e.id))!.form_data as Record<string, unknown>;
  assert.equal(data.archiveNo, '330100123455');
  assert.equal(data.expiryDate, '2027-06-30');

  // the grant is revoked: a second consent fills nothing, and what the first one filled must not stay behind
  // as if the applicant had typed it
  await db.updateTable('share_grants').set({ status: 'revoked', revoked_at: new Date() }).where('id', '=', grantId).execute();
  try {
    const second = await consent();
    assert.equal(second.statusCode, 200, second.body);
    assert.equal(second.json().filled, 0);
  } finally {
    await db.updateTable('share_grants').set({ status: 'active', revoked_at: null }).where('id', '=', grantId).execute();
  }
  const draft = (await draftOf(e.id))!;
  data = draft.form_data as Record<string, unknown>;
  assert.equal(data.archiveNo, undefined, 'the value filled by the first consent is cleared');
  assert.equal(data.expiryDate, undefined);
  assert.equal(data.applicantName, e.name, 'the profile prefill stays');
  const entries = await db.selectFrom('draft_shared_data').select(['target_key', 'status']).where('draft_id', '=', draft.id).execute();
  assert.ok(entries.length === 3 && entries.every((x) => x.status === 'unavailable'));

  // the applicant types the field in; withdrawing consent leaves no shared value and keeps nothing obtained
  const typed = await t.app.inject({ method: 'PUT', url: `/api/v1/drafts/${code}`, headers: e.s!.headers, payload: { formData: { ...data, archiveNo: '777777777777' } } });
  assert.equal(typed.statusCode, 200, typed.body);
  const w = await t.app.inject({ method: 'DELETE', url: `/api/v1/drafts/${code}/shared-data`, headers: e.s!.headers });
  assert.equal(w.statusCode, 204, w.body);
  data = (await draftOf(e.id))!.form_data as Record<string, unknown>;
  assert.equal(data.archiveNo, '777777777777', 'a value the applicant typed is theirs');
  assert.equal(data.expiryDate, undefined);

  // consent again with the grant back: filled again; a third consent that fills it again keeps it
  assert.equal((await consent()).statusCode, 200);
  assert.equal(((await draftOf(e.id))!.form_data as Record<string, unknown>).archiveNo, '330100123455');
  assert.equal((await consent()).statusCode, 200);
  assert.equal(((await draftOf(e.id))!.form_data as Record<string, unknown>).archiveNo, '330100123455', 'filled again, kept');
  const gone = await t.app.inject({ method: 'DELETE', url: `/api/v1/drafts/${code}/shared-data`, headers: e.s!.headers });
  assert.equal(gone.statusCode, 204);
  data = (await draftOf(e.id))!.form_data as Record<string, unknown>;
  assert.equal(data.archiveNo, undefined);
  assert.equal(data.expiryDate, undefined);
});

test('an item without declarations shows no consent block, and consent to it is refused with a 400', async () => {
  const food = await t.database.db.selectFrom('impl_items').select('code').where('basic_code', '=', 'XK0040000100').where('region_code', '=', '330106').executeTakeFirstOrThrow();
  const r = await t.app.inject({ method: 'POST', url: `/api/v1/drafts/${food.code}/shared-data`, headers: people.a.s!.headers, payload: { consent: true } });
  assert.equal(r.statusCode, 400);
  assert.match(r.body, /没有可通过政务数据共享获取的信息/);
});
