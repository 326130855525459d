import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestApp } from '../../testing/test-app.ts';
import { FIXTURE_ITEMS, FIXTURE_REGIONS } from '../../testing/fixture-items.ts';
import { FIXTURE_FOOD_LICENCE_CODE } from '../forms/fixture-forms.ts';
import { createTestPerson, createTestStaff, findDepartment, residentId, signInForTest, type TestSession } from '../../testing/fixture-accounts.ts';
import { creditCodeCheckChar } from '../../shared/codes/credit-code.ts';
import { verifyAuditChain } from '../audit/verify-audit-chain.ts';
import { loadSessionPrincipal } from '../sessions/session-store.ts';
import { createTestAppWith } from './attachment-test-app.ts';
import { multipartBody, sampleDocx, sampleExe, sampleHtml, sampleJpeg, sampleOfd, samplePdf, samplePng, type MultipartPart } from './sample-files.ts';
import { listAttachments } from './list-attachments.ts';
import { canReadAttachment } from './attachment-access.ts';
import { attachDraftFiles } from './attach-draft-files.ts';

let t: TestApp;
let item: { code: string; versionId: number; name: string; departmentId: number; kind: string; regionCode: string };
let filesDir: string;

before(async () => {
  // the smallest configurable limit, so that an oversized upload stays small
  t = await createTestAppWith(FIXTURE_ITEMS, FIXTURE_REGIONS, (c) => ({ ...c, attachmentMaxMb: 1 }));
  filesDir = t.ctx.config.storage.dir;
  const r = await t.database.db
    .selectFrom('impl_items as i')
    .innerJoin('impl_item_versions as v', (j) => j.onRef('v.item_code', '=', 'i.code').onRef('v.version', '=', 'i.published_version'))
    .innerJoin('departments as d', 'd.id', 'i.department_id')
    .select(['i.code', 'v.id as versionId', 'v.name', 'd.id as departmentId', 'd.kind', 'd.region_code'])
    .where('i.region_code', '=', '330106')
    // an item that can be applied for online: its materials are the slots m1–m3
    .where('i.basic_code', '=', FIXTURE_FOOD_LICENCE_CODE)
    .orderBy('i.code')
    .executeTakeFirstOrThrow();
  item = { code: r.code, versionId: r.versionId, name: r.name, departmentId: r.departmentId, kind: r.kind, regionCode: r.region_code };
});
after(async () => {
  await t?.close();
});

const db = () => t.database.db;
let seq = 700;

type Person = Awaited<ReturnType<typeof createTestPerson>> & { s: TestSession };
async function person(): Promise<Person> {
  seq++;
  const name = `材${'甲乙丙丁戊己庚辛壬癸'[seq % 10]}${'子丑寅卯辰巳午未申酉戌亥'[Math.floor(seq / 10) % 12]}`;
  const p = await createTestPerson(db(), { idNumber: residentId('330106', '19850618', seq), name });
  return { ...p, s: await signInForTest(t.app, { kind: 'person', identifier: p.mobile }) };
}

async function staff(departmentId: number, role: 'window_clerk' | 'reviewer' | 'data_steward'): Promise<TestSession & { id: string }> {
  seq++;
  const s = await createTestStaff(db(), { staffNo: `AT${seq}`, departmentId, roles: [{ role }] });
  return { ...(await signInForTest(t.app, { kind: 'staff', identifier: s.staffNo })), id: s.id };
}

async function draftOf(p: { id: string }, subject: { type: 'person' | 'enterprise'; id: string } = { type: 'person', id: p.id }): Promise<number> {
  const r = await db()
    .insertInto('application_drafts')
    .values({ account_id: p.id, subject_type: subject.type, subject_id: subject.id, item_code: item.code, item_version_id: item.versionId, form_data: '{}', updated_at: new Date() })
    .returning('id')
    .executeTakeFirstOrThrow();
  return r.id;
}

/**
 * An application as submitted; in state `supplement` (the default) with its open 补正 request listing
 * `supplementSlots` (default m1 and m2).
 */
async function applicationOf(
  submitter: { id: string },
  o: { state?: string; subject?: { type: 'person' | 'enterprise'; id: string }; supplementSlots?: string[] } = {},
): Promise<{ id: number; number: string }> {
  seq++;
  const number = `330106-20261201-${String(seq).padStart(6, '0')}`;
  const r = await db()
    .insertInto('applications')
    .values({
      number,
      item_code: item.code,
      item_version_id: item.versionId,
      item_name: item.name,
      department_id: item.departmentId,
      region_code: item.regionCode,
      workflow_key: 'licensing',
      workflow_version: 1,
      state: o.state ?? 'supplement',
      resume_state: 'submitted',
      submitted_by: submitter.id,
      subject_type: o.subject?.type ?? 'person',
      subject_id: o.subject?.id ?? submitter.id,
      subject_name: '申请人',
      subject_id_number: residentId('330106', '19850618', seq),
      delegation_id: null,
      idempotency_key: `k${seq}`,
      form_data: '{}',
      submitted_at: new Date(),
      accepted_at: null,
      legal_days: 20,
      promised_days: 10,
      clock_started_on: '2026-12-01',
      paused_since: null,
      state_due_on: null,
      promised_due_on: null,
      legal_due_on: null,
      escalated_at: null,
      decision: null,
      closed_at: null,
      updated_at: new Date(),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  if ((o.state ?? 'supplement') === 'supplement') await requestSupplement(r.id, submitter, o.supplementSlots);
  return { id: r.id, number };
}

/** Staff ask for 补正 of the listed material slots (default m1 and m2): the open request, state `supplement`. */
async function requestSupplement(applicationId: number, by: { id: string }, slots = ['m1', 'm2']): Promise<void> {
  const items = slots.map((slot) => ({ slot, label: `材料 ${slot}`, reason: '不清晰' }));
  await db().insertInto('application_supplements').values({ application_id: applicationId, requested_by: by.id, items: JSON.stringify(items), note: '请补正' }).execute();
  await db().updateTable('applications').set({ state: 'supplement' }).where('id', '=', applicationId).execute();
}

function upload(s: TestSession | null, parts: MultipartPart[], o: { csrf?: boolean } = {}) {
  const { payload, contentType } = multipartBody(parts);
  const headers: Record<string, string> = { 'content-type': contentType };
  if (s) {
    headers.cookie = s.cookie;
    if (o.csrf !== false) headers['x-csrf-token'] = s.csrfToken;
  }
  return t.app.inject({ method: 'POST', url: '/api/v1/attachments', headers, payload });
}

const fileParts = (target: Record<string, string>, slot: string, fileName: string, data: Buffer, contentType = 'application/pdf'): MultipartPart[] => [
  ...Object.entries(target).map(([name, value]) => ({ name, value })),
  { name: 'slot', value: slot },
  { name: 'file', file: { fileName, contentType, data } },
];

const get = (s: TestSession | null, id: string, query = '') => t.app.inject({ method: 'GET', url: `/api/v1/attachments/${id}${query}`, headers: s ? { cookie: s.cookie } : {} });

function storedFiles(dir = filesDir): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.isDirectory()) out.push(...storedFiles(join(dir, e.name)));
    else out.push(join(dir, e.name));
  }
  return out;
}

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const auditEvents = (action: string, targetId: string) =>
  db().selectFrom('audit_events').selectAll().where('action', '=', action).where('target_id', '=', targetId).orderBy('seq').execute();

test('a person uploads a PDF, a JPEG, a PNG and an OFD to their draft: type from the content, checksum, blob, row and audit', async () => {
  const a = await person();
  const draftId = await draftOf(a);
  const samples: [string, Buffer, string, string][] = [
    ['营业执照.pdf', await samplePdf(), 'application/pdf', '营业执照.pdf'],
    ['门头照片.jpg', sampleJpeg(), 'image/jpeg', '门头照片.jpg'],
    ['平面图.PNG', await samplePng(), 'image/png', '平面图.png'],
    ['承诺书.ofd', sampleOfd(), 'application/ofd', '承诺书.ofd'],
    // the claimed type and the name mean nothing: a PDF sent as "image/png" named scan.png is a PDF
    ['scan.png', await samplePdf('scan'), 'application/pdf', 'scan.png.pdf'],
  ];
  for (const [name, bytes, mediaType, storedName] of samples) {
    const res = await upload(a.s, fileParts({ draftId: String(draftId) }, 'm1', name, bytes, name.endsWith('.png') ? 'image/png' : 'application/octet-stream'));
    assert.equal(res.statusCode, 201, res.body);
    const body = res.json();
    assert.deepEqual(Object.keys(body).sort(), ['fileName', 'id', 'mediaType', 'sha256', 'sizeBytes', 'slot']);
    assert.equal(body.mediaType, mediaType);
    assert.equal(body.fileName, storedName);
    assert.equal(body.slot, 'm1');
    assert.equal(body.sizeBytes, bytes.length);
    assert.equal(body.sha256, sha(bytes));

    const row = await db().selectFrom('attachments').selectAll().where('id', '=', body.id).executeTakeFirstOrThrow();
    assert.equal(row.owner_id, a.id);
    assert.equal(row.draft_id, draftId);
    assert.equal(row.application_id, null);
    assert.equal(row.sha256, sha(bytes), 'the checksum is recorded');
    assert.equal(row.storage, 'local');
    assert.match(row.storage_key, new RegExp(`^attachments/\\d{4}/\\d{2}/${body.id}$`));
    assert.deepEqual(await t.ctx.storage.get(row.storage_key), bytes);

    const events = await auditEvents('attachment.uploaded', body.id);
    assert.equal(events.length, 1);
    assert.equal(events[0]!.actor_id, a.id);
    assert.deepEqual(events[0]!.details, { slot: 'm1', fileName: storedName, mediaType, sizeBytes: bytes.length, sha256: sha(bytes), draftId });

    // the owner downloads exactly what was uploaded
    const dl = await get(a.s, body.id);
    assert.equal(dl.statusCode, 200);
    assert.deepEqual(dl.rawPayload, bytes);
    assert.equal(dl.headers['content-type'], mediaType);
  }
  const listed = await listAttachments(db(), { draftId });
  assert.equal(listed.length, samples.length);
  assert.deepEqual(
    listed.map((x) => x.mediaType),
    samples.map((s) => s[2]),
    'in upload order within the slot',
  );
  assert.equal((await verifyAuditChain(db())).ok, true);
});

test('disguised files (HTML or a program named x.pdf, a DOCX named x.ofd) are refused with 415 and nothing is stored', async () => {
  const a = await person();
  const draftId = await draftOf(a);
  const before = { files: storedFiles().length, rows: await db().selectFrom('attachments').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow() };
  const uploadedBefore = await db().selectFrom('audit_events').select((eb) => eb.fn.countAll<number>().as('n')).where('action', '=', 'attachment.uploaded').executeTakeFirstOrThrow();
  for (const [name, bytes] of [
    ['x.pdf', sampleHtml()],
    ['x.pdf', sampleExe()],
    ['x.ofd', sampleDocx()],
    ['x.jpg', Buffer.from('GIF89a\x01\x00\x01\x00', 'latin1')],
  ] as const) {
    const res = await upload(a.s, fileParts({ draftId: String(draftId) }, 'm1', name, bytes));
    assert.equal(res.statusCode, 415, res.body);
    assert.equal(res.json().error.code, 'UNSUPPORTED_MEDIA_TYPE');
    assert.equal(res.json().error.field, 'file');
    assert.match(res.json().error.message, /PDF、JPG、PNG 或 OFD/);
  }
  assert.equal(storedFiles().length, before.files, 'no blob written');
  const rows = await db().selectFrom('attachments').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  assert.equal(Number(rows.n), Number(before.rows.n), 'no row written');
  const uploaded = await db().selectFrom('audit_events').select((eb) => eb.fn.countAll<number>().as('n')).where('action', '=', 'attachment.uploaded').executeTakeFirstOrThrow();
  assert.equal(Number(uploaded.n), Number(uploadedBefore.n));
});

test('an oversized file is a 413 naming the limit (not a 500); empty files, missing parts and bad targets are 4xx naming the field', async () => {
  const a = await person();
  const draftId = await draftOf(a);
  const target = { draftId: String(draftId) };
  const filesBefore = storedFiles().length;
  const pdf = await samplePdf();
  const big = Buffer.concat([pdf, Buffer.alloc(1024 * 1024 + 10 - pdf.length, 0x20)]);
  const tooLarge = await upload(a.s, fileParts(target, 'm1', 'big.pdf', big));
  assert.equal(tooLarge.statusCode, 413, tooLarge.body);
  assert.equal(tooLarge.json().error.code, 'PAYLOAD_TOO_LARGE');
  assert.equal(tooLarge.json().error.field, 'file');
  assert.match(tooLarge.json().error.message, /不能超过 1 MB/);
  // the same when the fields come after the file
  const fileFirst = await upload(a.s, [{ name: 'file', file: { fileName: 'big.pdf', data: big } }, { name: 'slot', value: 'm1' }, { name: 'draftId', value: String(draftId) }]);
  assert.equal(fileFirst.statusCode, 413, fileFirst.body);

  const cases: [MultipartPart[], number, string, string][] = [
    [fileParts(target, 'm1', 'empty.pdf', Buffer.alloc(0)), 400, 'INVALID_PARAMETER', 'file'],
    [[{ name: 'draftId', value: String(draftId) }, { name: 'slot', value: 'm1' }], 400, 'INVALID_PARAMETER', 'file'],
    [fileParts(target, '', 'a.pdf', pdf), 400, 'INVALID_PARAMETER', 'slot'],
    [fileParts(target, 'x'.repeat(101), 'a.pdf', pdf), 400, 'INVALID_PARAMETER', 'slot'],
    [fileParts({}, 'm1', 'a.pdf', pdf), 400, 'INVALID_PARAMETER', 'draftId'],
    [fileParts({ draftId: 'abc' }, 'm1', 'a.pdf', pdf), 400, 'INVALID_PARAMETER', 'draftId'],
    [fileParts({ draftId: String(draftId), applicationNumber: 'T1' }, 'm1', 'a.pdf', pdf), 400, 'INVALID_PARAMETER', 'draftId'],
    [[...fileParts(target, 'm1', 'a.pdf', pdf), { name: 'file', file: { fileName: 'b.pdf', data: pdf } }], 400, 'INVALID_PARAMETER', 'file'],
    [[...fileParts(target, 'm1', 'a.pdf', pdf), { name: 'other', file: { fileName: 'b.pdf', data: pdf } }], 400, 'INVALID_PARAMETER', 'other'],
    [fileParts({ draftId: '999999999' }, 'm1', 'a.pdf', pdf), 404, 'NOT_FOUND', 'draftId'],
  ];
  for (const [parts, status, code, field] of cases) {
    const res = await upload(a.s, parts);
    assert.equal(res.statusCode, status, `${field}: ${res.body}`);
    assert.equal(res.json().error.code, code);
    assert.equal(res.json().error.field, field);
    assert.match(res.json().error.message, /[\u4e00-\u9fff]/);
  }
  const json = await t.app.inject({ method: 'POST', url: '/api/v1/attachments', headers: a.s.headers, payload: { slot: 'm1', draftId } });
  assert.equal(json.statusCode, 415);
  assert.equal(json.json().error.code, 'UNSUPPORTED_MEDIA_TYPE');
  // an unsafe request needs the CSRF token (the header, or a form's _csrf field); signed out is a 401; staff cannot upload
  const noToken = await upload(a.s, fileParts(target, 'm1', 'a.pdf', pdf), { csrf: false });
  assert.equal(noToken.statusCode, 403);
  assert.equal(noToken.json().error.code, 'CSRF_REJECTED');
  const wrongToken = await upload(a.s, [{ name: '_csrf', value: 'x'.repeat(43) }, ...fileParts(target, 'm1', 'a.pdf', pdf)], { csrf: false });
  assert.equal(wrongToken.statusCode, 403);
  const crossSite = await t.app.inject({ method: 'POST', url: '/api/v1/attachments', headers: { ...a.s.headers, 'sec-fetch-site': 'cross-site', 'content-type': 'multipart/form-data; boundary=x' }, payload: '--x--\r\n' });
  assert.equal(crossSite.statusCode, 403, 'the same-site check still runs first');
  assert.equal((await upload(null, fileParts(target, 'm1', 'a.pdf', pdf))).statusCode, 401);
  const clerk = await staff(item.departmentId, 'window_clerk');
  assert.equal((await upload(clerk, fileParts(target, 'm1', 'a.pdf', pdf))).statusCode, 403);
  assert.equal(storedFiles().length, filesBefore, 'nothing stored by any refused upload');
  // a form without JavaScript sends the token as a field
  const form = await upload(a.s, [{ name: '_csrf', value: a.s.csrfToken }, ...fileParts(target, 'm1', 'a.pdf', pdf)], { csrf: false });
  assert.equal(form.statusCode, 201, form.body);
});

test('someone else’s draft is a 404; at most 10 files per slot', async () => {
  const a = await person();
  const b = await person();
  const draftId = await draftOf(a);
  const png = await samplePng();
  const other = await upload(b.s, fileParts({ draftId: String(draftId) }, 'm1', 'a.png', png));
  assert.equal(other.statusCode, 404);
  assert.equal(other.json().error.field, 'draftId');
  for (let i = 0; i < 10; i++) {
    const res = await upload(a.s, fileParts({ draftId: String(draftId) }, 'm1', `p${i}.png`, png));
    assert.equal(res.statusCode, 201, res.body);
  }
  const eleventh = await upload(a.s, fileParts({ draftId: String(draftId) }, 'm1', 'p10.png', png));
  assert.equal(eleventh.statusCode, 409);
  assert.equal(eleventh.json().error.field, 'slot');
  assert.match(eleventh.json().error.message, /最多上传 10 个/);
  const otherSlot = await upload(a.s, fileParts({ draftId: String(draftId) }, 'm2', 'id.png', png));
  assert.equal(otherSlot.statusCode, 201, 'another slot has its own 10');
  const listed = await listAttachments(db(), { draftId });
  assert.deepEqual([...new Set(listed.map((x) => x.slot))], ['m1', 'm2'], 'ordered by slot');
});

test('12 uploads at once into one slot: exactly 10 are kept, and the refused ones leave no blob behind', async () => {
  const a = await person();
  const draftId = await draftOf(a);
  const filesBefore = storedFiles().length;
  const pngs = await Promise.all(Array.from({ length: 12 }, (_, i) => samplePng(`concurrent ${i}`)));
  const results = await Promise.all(pngs.map((png, i) => upload(a.s, fileParts({ draftId: String(draftId) }, 'm3', `c${i}.png`, png))));
  const codes = results.map((r) => r.statusCode).sort();
  assert.deepEqual(codes, [...new Array<number>(10).fill(201), 409, 409]);
  assert.equal((await listAttachments(db(), { draftId })).length, 10);
  assert.equal(storedFiles().length, filesBefore + 10);
});

test('reading: the owner with hardened headers; another person, a signed-out visitor and staff get nothing for a draft file', async () => {
  const a = await person();
  const b = await person();
  const draftId = await draftOf(a);
  const pdf = await samplePdf('headers');
  const up = await upload(a.s, fileParts({ draftId: String(draftId) }, 'm1', '营业执照 副本.pdf', pdf));
  assert.equal(up.statusCode, 201, up.body);
  const id = up.json().id as string;

  const dl = await get(a.s, id);
  assert.equal(dl.statusCode, 200);
  assert.equal(dl.headers['content-type'], 'application/pdf');
  assert.equal(dl.headers['x-content-type-options'], 'nosniff');
  assert.equal(dl.headers['cache-control'], 'private, no-store');
  assert.equal(dl.headers['content-disposition'], `attachment; filename="_ _.pdf"; filename*=UTF-8''${encodeURIComponent('营业执照 副本.pdf')}`);
  assert.match(String(dl.headers['content-security-policy']), /default-src 'none'.*; sandbox$/);
  const inline = await get(a.s, id, '?inline=1');
  assert.match(String(inline.headers['content-disposition']), /^inline; /);
  assert.deepEqual(inline.rawPayload, pdf);
  assert.equal(await canReadAttachment(db(), await principalOf(a.s), id), true);

  const unknown = await get(b.s, '00000000-0000-4000-8000-000000000000');
  assert.equal(unknown.statusCode, 404);
  const denied = await get(b.s, id);
  assert.equal(denied.statusCode, 404, 'not 403: existence is not revealed');
  assert.equal(denied.json().error.message, unknown.json().error.message);
  assert.doesNotMatch(denied.body, /营业执照/);
  const refusals = await auditEvents('access.denied', id);
  assert.equal(refusals.length, 1);
  assert.equal(refusals[0]!.actor_id, b.id);
  assert.equal(await canReadAttachment(db(), await principalOf(b.s), id), false);

  const clerk = await staff(item.departmentId, 'window_clerk');
  assert.equal((await get(clerk, id)).statusCode, 404, 'a draft is not the department’s yet');
  assert.equal((await get(null, id)).statusCode, 401);
  assert.equal((await get(a.s, 'not-a-uuid')).statusCode, 400);
});

async function principalOf(s: TestSession) {
  const p = await loadSessionPrincipal(db(), s.cookie.slice('yw_session='.length), { idleMinutes: 30, absoluteHours: 12 });
  assert.ok(p);
  return p;
}

test('an application waiting for 补正: the applicant uploads; the department’s handling staff read it (recorded); other staff and people get 404', async () => {
  const a = await person();
  const b = await person();
  const app = await applicationOf(a, { state: 'supplement' });
  const jpeg = sampleJpeg();
  const up = await upload(a.s, fileParts({ applicationNumber: app.number }, 'm1', '现场照片.jpg', jpeg));
  assert.equal(up.statusCode, 201, up.body);
  const id = up.json().id as string;
  const row = await db().selectFrom('attachments').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  assert.equal(row.application_id, app.id);
  assert.equal(row.draft_id, null);
  assert.equal((await auditEvents('attachment.uploaded', id))[0]!.details.applicationNumber, app.number);

  const stranger = await upload(b.s, fileParts({ applicationNumber: app.number }, 'm1', 'x.jpg', jpeg));
  assert.equal(stranger.statusCode, 404, 'another person’s application answers like an unknown one');
  assert.equal(stranger.json().error.field, 'applicationNumber');
  const unknownApp = await upload(a.s, fileParts({ applicationNumber: 'T000000' }, 'm1', 'x.jpg', jpeg));
  assert.equal(unknownApp.statusCode, 404);
  const inReview = await applicationOf(a, { state: 'review' });
  const notNow = await upload(a.s, fileParts({ applicationNumber: inReview.number }, 'm1', 'x.jpg', jpeg));
  assert.equal(notNow.statusCode, 409, 'only while 待补正');
  assert.equal(notNow.json().error.field, 'applicationNumber');

  // staff holding application.handle over the application's department
  const clerk = await staff(item.departmentId, 'window_clerk');
  const seen = await get(clerk, id, '?inline=1');
  assert.equal(seen.statusCode, 200);
  assert.deepEqual(seen.rawPayload, jpeg);
  assert.match(String(seen.headers['content-disposition']), /^inline; /);
  const viewed = await auditEvents('attachment.viewed', id);
  assert.equal(viewed.length, 1);
  assert.equal(viewed[0]!.actor_id, clerk.id);
  assert.equal(viewed[0]!.actor_type, 'staff');
  assert.equal(viewed[0]!.details.applicationId, app.id);
  // the applicant's own reads are not "views by staff"
  assert.equal((await get(a.s, id)).statusCode, 200);
  assert.equal((await auditEvents('attachment.viewed', id)).length, 1);

  // same kind of department in another county, and a role without application.handle in the same department
  const elsewhere = await findDepartment(db(), { regionCode: '330122', kind: item.kind });
  const otherClerk = await staff(elsewhere.id, 'window_clerk');
  assert.equal((await get(otherClerk, id)).statusCode, 404);
  const steward = await staff(item.departmentId, 'data_steward');
  assert.equal((await get(steward, id)).statusCode, 404);
  assert.equal((await get(b.s, id)).statusCode, 404);
  assert.equal((await auditEvents('attachment.viewed', id)).length, 1, 'refusals are not views');
  assert.equal((await auditEvents('access.denied', id)).length, 3);

  const files = await listAttachments(db(), { applicationId: app.id });
  assert.deepEqual(
    files.map((f) => f.id),
    [id],
  );
  await db().updateTable('attachments').set({ superseded_at: new Date() }).where('id', '=', id).execute();
  assert.deepEqual(await listAttachments(db(), { applicationId: app.id }), [], 'superseded files are not listed');
  assert.equal((await get(clerk, id)).statusCode, 200, 'but stay readable as part of the record');
});

function enterpriseCreditCode(n: number): string {
  const first17 = `91330106MA${String(n).padStart(7, '0')}`;
  return first17 + creditCodeCheckChar(first17);
}

/** A person registers an enterprise and delegates to another person (for 30 days). */
async function enterpriseWithAgent(): Promise<{ rep: Person; agent: Person; enterpriseId: string; delegationId: string }> {
  const rep = await person();
  const agent = await person();
  seq++;
  const reg = await t.app.inject({ method: 'POST', url: '/api/v1/me/enterprises', headers: rep.s.headers, payload: { creditCode: enterpriseCreditCode(seq), name: '杭州材料测试有限公司' } });
  assert.equal(reg.statusCode, 201, reg.body);
  const enterpriseId = reg.json().id as string;
  const validUntil = new Date(Date.now() + 30 * 86_400_000 + 8 * 3600_000).toISOString().slice(0, 10);
  const g = await t.app.inject({
    method: 'POST',
    url: `/api/v1/enterprises/${enterpriseId}/delegations`,
    headers: rep.s.headers,
    payload: { agentName: agent.name, agentIdNumber: agent.idNumber, validUntil },
  });
  assert.equal(g.statusCode, 201, g.body);
  return { rep, agent, enterpriseId, delegationId: g.json().id as string };
}

const startActing = async (s: TestSession, delegationId: string) => {
  const r = await t.app.inject({ method: 'POST', url: '/api/v1/me/acting', headers: s.headers, payload: { delegationId } });
  assert.equal(r.statusCode, 200, r.body);
};

test('an enterprise’s application: the agent reads its files only while acting for the enterprise', async () => {
  const { rep, agent, enterpriseId, delegationId } = await enterpriseWithAgent();
  const app = await applicationOf(rep, { subject: { type: 'enterprise', id: enterpriseId } });
  const up = await upload(rep.s, fileParts({ applicationNumber: app.number }, 'm1', '许可证.pdf', await samplePdf('licence')));
  assert.equal(up.statusCode, 201, up.body);
  const id = up.json().id as string;

  assert.equal((await get(agent.s, id)).statusCode, 404, 'not acting: no access');
  await startActing(agent.s, delegationId);
  assert.equal((await get(agent.s, id)).statusCode, 200, 'acting for the enterprise that applied');
  // and may upload its supplement
  const more = await upload(agent.s, fileParts({ applicationNumber: app.number }, 'm1', '补充.png', await samplePng()));
  assert.equal(more.statusCode, 201, more.body);
  assert.equal((await auditEvents('attachment.uploaded', more.json().id))[0]!.on_behalf_of, `enterprise:${enterpriseId}`);
});

test('the owner deletes a draft file (row and blob); not someone else’s, not after submission', async () => {
  const a = await person();
  const b = await person();
  const draftId = await draftOf(a);
  const png = await samplePng('delete me');
  const up = await upload(a.s, fileParts({ draftId: String(draftId) }, 'm1', 'a.png', png));
  const id = up.json().id as string;
  const key = (await db().selectFrom('attachments').select('storage_key').where('id', '=', id).executeTakeFirstOrThrow()).storage_key;

  const del = (s: TestSession, which: string) => t.app.inject({ method: 'DELETE', url: `/api/v1/attachments/${which}`, headers: s.headers });
  assert.equal((await del(b.s, id)).statusCode, 404);
  const gone = await del(a.s, id);
  assert.equal(gone.statusCode, 204, gone.body);
  assert.equal(await db().selectFrom('attachments').select('id').where('id', '=', id).executeTakeFirst(), undefined);
  await assert.rejects(t.ctx.storage.get(key), 'the blob is removed too');
  assert.equal((await del(a.s, id)).statusCode, 404);
  assert.equal((await get(a.s, id)).statusCode, 404);

  // submitted: the draft's files become the application's and stay
  const kept = await upload(a.s, fileParts({ draftId: String(draftId) }, 'm1', 'b.png', png));
  const keptId = kept.json().id as string;
  const app = await applicationOf(a, { state: 'submitted' });
  const moved = await db()
    .transaction()
    .execute((trx) => attachDraftFiles(trx, { draftId, applicationId: app.id }));
  assert.equal(moved, 1);
  const refused = await del(a.s, keptId);
  assert.equal(refused.statusCode, 409);
  assert.match(refused.json().error.message, /已随申请提交/);
  assert.deepEqual(await listAttachments(db(), { draftId }), []);
  assert.equal((await listAttachments(db(), { applicationId: app.id }))[0]!.id, keptId);
  const clerk = await staff(item.departmentId, 'reviewer');
  assert.equal((await get(clerk, keptId)).statusCode, 200, 'now the department’s staff may read it');
});

test('a blob changed on disk after upload is not served (checksum)', async () => {
  const a = await person();
  const draftId = await draftOf(a);
  const up = await upload(a.s, fileParts({ draftId: String(draftId) }, 'm1', 'a.png', await samplePng('tamper')));
  const row = await db().selectFrom('attachments').select(['storage_key', 'size_bytes']).where('id', '=', up.json().id).executeTakeFirstOrThrow();
  writeFileSync(join(filesDir, row.storage_key), Buffer.alloc(row.size_bytes, 1));
  const res = await get(a.s, up.json().id);
  assert.equal(res.statusCode, 500);
  assert.equal(res.json().error.code, 'INTERNAL_ERROR');
});

const del = (s: TestSession, id: string) => t.app.inject({ method: 'DELETE', url: `/api/v1/attachments/${id}`, headers: s.headers });

test('an agent who uploaded and submitted an enterprise’s files loses them with the delegation (not kept as their uploader)', async () => {
  const { rep, agent, enterpriseId, delegationId } = await enterpriseWithAgent();
  await startActing(agent.s, delegationId);
  const draftId = await draftOf(agent, { type: 'enterprise', id: enterpriseId });
  const pdf = await samplePdf('enterprise draft');
  const up = await upload(agent.s, fileParts({ draftId: String(draftId) }, 'm1', '申请书.pdf', pdf));
  assert.equal(up.statusCode, 201, up.body);
  const id = up.json().id as string;
  assert.equal((await get(agent.s, id)).statusCode, 200, 'a draft’s file is its uploader’s');
  const app = await applicationOf(agent, { state: 'submitted', subject: { type: 'enterprise', id: enterpriseId } });
  await db()
    .transaction()
    .execute((trx) => attachDraftFiles(trx, { draftId, applicationId: app.id }));
  assert.equal((await get(agent.s, id)).statusCode, 200, 'acting for the enterprise');
  assert.equal((await get(rep.s, id)).statusCode, 200, 'the legal representative');

  const revoked = await t.app.inject({ method: 'DELETE', url: `/api/v1/me/delegations/${delegationId}`, headers: rep.s.headers });
  assert.equal(revoked.statusCode, 204, revoked.body);
  assert.equal((await t.app.inject({ method: 'GET', url: `/api/v1/applications/${app.number}`, headers: { cookie: agent.s.cookie } })).statusCode, 404);
  const dl = await get(agent.s, id);
  assert.equal(dl.statusCode, 404, 'the ex-agent no longer reads the file they uploaded');
  assert.equal((await get(agent.s, id, '?inline=1')).statusCode, 404, 'nor previews it');
  assert.equal(await canReadAttachment(db(), await principalOf(agent.s), id), false);
  assert.equal((await auditEvents('access.denied', id)).at(-1)!.actor_id, agent.id);
  assert.equal((await del(agent.s, id)).statusCode, 404);
  assert.equal((await get(rep.s, id)).statusCode, 200, 'the enterprise keeps its files');
});

test('补正 of a slot holding 10 submitted files: the new files count on their own, the uploader may remove them until the 补正 is submitted', async () => {
  const a = await person();
  const draftId = await draftOf(a);
  const png = await samplePng('submitted');
  const old: string[] = [];
  for (let i = 0; i < 10; i++) {
    const r = await upload(a.s, fileParts({ draftId: String(draftId) }, 'm1', `old${i}.png`, png));
    assert.equal(r.statusCode, 201, r.body);
    old.push(r.json().id);
  }
  const app = await applicationOf(a, { state: 'submitted' });
  await db()
    .transaction()
    .execute((trx) => attachDraftFiles(trx, { draftId, applicationId: app.id }));
  await requestSupplement(app.id, a, ['m1']);

  const fresh: string[] = [];
  for (let i = 0; i < 10; i++) {
    const r = await upload(a.s, fileParts({ applicationNumber: app.number }, 'm1', `new${i}.png`, await samplePng(`new ${i}`)));
    assert.equal(r.statusCode, 201, `补正 upload ${i}: ${r.body}`);
    fresh.push(r.json().id);
  }
  const eleventh = await upload(a.s, fileParts({ applicationNumber: app.number }, 'm1', 'new10.png', png));
  assert.equal(eleventh.statusCode, 409, 'at most 10 files for the 补正 of one slot');
  assert.equal(eleventh.json().error.field, 'slot');

  // the submitted files stay; the uploader's 补正 files can be removed, by the uploader only
  const keep = await del(a.s, old[0]!);
  assert.equal(keep.statusCode, 409);
  assert.match(keep.json().error.message, /已随申请提交/);
  const b = await person();
  assert.equal((await del(b.s, fresh[0]!)).statusCode, 404);
  const key = (await db().selectFrom('attachments').select('storage_key').where('id', '=', fresh[0]!).executeTakeFirstOrThrow()).storage_key;
  const removed = await del(a.s, fresh[0]!);
  assert.equal(removed.statusCode, 204, removed.body);
  assert.equal(await db().selectFrom('attachments').select('id').where('id', '=', fresh[0]!).executeTakeFirst(), undefined);
  await assert.rejects(t.ctx.storage.get(key), 'the blob is removed too');
  const again = await upload(a.s, fileParts({ applicationNumber: app.number }, 'm1', 'again.png', await samplePng('again')));
  assert.equal(again.statusCode, 201, again.body);

  // the 补正 is submitted: the old files are superseded, the new ones part of the record
  const version = (await db().selectFrom('applications').select('version').where('id', '=', app.id).executeTakeFirstOrThrow()).version;
  const answered = await t.app.inject({ method: 'POST', url: `/api/v1/applications/${app.number}/actions`, headers: a.s.headers, payload: { action: 'supplement', version } });
  assert.equal(answered.statusCode, 200, answered.body);
  const current = await listAttachments(db(), { applicationId: app.id });
  assert.equal(current.length, 10);
  assert.ok(current.every((f) => !old.includes(f.id)));
  const late = await del(a.s, fresh[1]!);
  assert.equal(late.statusCode, 409, 'submitted with the 补正');
  assert.match(late.json().error.message, /已随申请提交/);
});

test('only the item’s material slots are accepted: a draft’s m1–m3, a 补正’s listed slots', async () => {
  const a = await person();
  const draftId = await draftOf(a);
  const pdf = await samplePdf('slots');
  const filesBefore = storedFiles().length;
  for (const slot of ['junk-0', 'junk-29', 'm0', 'm4', 'M1', 'm01']) {
    const r = await upload(a.s, fileParts({ draftId: String(draftId) }, slot, 'a.pdf', pdf));
    assert.equal(r.statusCode, 400, `${slot}: ${r.body}`);
    assert.equal(r.json().error.code, 'INVALID_PARAMETER');
    assert.equal(r.json().error.field, 'slot');
    assert.match(r.json().error.message, /本事项没有这项材料/);
  }
  assert.equal(storedFiles().length, filesBefore, 'nothing stored');
  assert.deepEqual(await listAttachments(db(), { draftId }), []);
  for (const slot of ['m1', 'm2', 'm3']) assert.equal((await upload(a.s, fileParts({ draftId: String(draftId) }, slot, 'a.pdf', pdf))).statusCode, 201, slot);

  const app = await applicationOf(a, { supplementSlots: ['m2'] });
  for (const slot of ['m1', 'm3', 'junk-0']) {
    const r = await upload(a.s, fileParts({ applicationNumber: app.number }, slot, 'a.pdf', pdf));
    assert.equal(r.statusCode, 400, `${slot}: ${r.body}`);
    assert.equal(r.json().error.field, 'slot');
    assert.match(r.json().error.message, /不在补正清单中/);
  }
  assert.equal((await upload(a.s, fileParts({ applicationNumber: app.number }, 'm2', 'a.pdf', pdf))).statusCode, 201);
});

test('the routes are in the OpenAPI document, the upload as multipart', async () => {
  const res = await t.app.inject({ method: 'GET', url: '/api/openapi.json' });
  assert.equal(res.statusCode, 200);
  const paths = res.json().paths as Record<string, Record<string, { requestBody?: { content?: Record<string, unknown> } }>>;
  assert.ok(paths['/api/v1/attachments']?.post);
  assert.ok(paths['/api/v1/attachments/{id}']?.get);
  assert.ok(paths['/api/v1/attachments/{id}']?.delete);
  assert.equal(paths['/api/v1/attachments/{id}']?.head, undefined);
});
