import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { createTestApp, type TestApp } from '../../testing/test-app.ts';
import { FIXTURE_ITEMS, FIXTURE_REGIONS } from '../../testing/fixture-items.ts';
import { createTestPerson, createTestStaff, signInForTest, type TestSession } from '../../testing/fixture-accounts.ts';
import type { FormDefinition } from '../forms/form.types.ts';
import { updateDeadlines } from './update-deadlines.ts';
import { sendNotificationMessages } from './send-notification-messages.ts';
import { takeLease } from '../jobs/job-lease.ts';
import { verifyAuditChain } from '../audit/verify-audit-chain.ts';
import { chinaToday } from '../calendar/working-calendar.ts';

const FOOD_FORM: FormDefinition = {
  steps: [
    {
      key: 'operator',
      title: '经营者信息',
      fields: [
        { key: 'operatorName', label: '经营者名称', type: 'text', required: true, prefill: 'subject.name' },
        { key: 'premises', label: '经营场所', type: 'text', required: true },
        { key: 'area', label: '经营面积', type: 'number', min: 1, max: 100000, unit: '平方米', required: true },
      ],
    },
    {
      key: 'scope',
      title: '经营项目',
      fields: [
        { key: 'kind', label: '主体业态', type: 'select', required: true, options: [{ value: 'shop', label: '食品销售经营者' }, { value: 'catering', label: '餐饮服务经营者' }] },
        { key: 'cooking', label: '是否从事食品制售', type: 'select', options: [{ value: 'yes', label: '是' }, { value: 'no', label: '否' }], when: { field: 'kind', equals: 'catering' }, required: true },
      ],
    },
  ],
  materialConditions: { m3: { field: 'cooking', equals: 'yes' } },
};

const SIMPLE_FORM: FormDefinition = { steps: [{ key: 'a', title: '申请信息', fields: [{ key: 'note', label: '备注', type: 'text' }] }] };

let t: TestApp;
let foodCode: string;
let marriageCode: string;
let applicant: TestSession;
let other: TestSession;
let clerk: TestSession;
let reviewer: TestSession;
let approver: TestSession;
let outsider: TestSession;
let personId: string;
let draftId: number;

async function itemCode(name: string, region: string): Promise<{ code: string; departmentId: number; versionId: number }> {
  const r = await t.database.db
    .selectFrom('impl_items as i')
    .innerJoin('impl_item_versions as v', (j) => j.onRef('v.item_code', '=', 'i.code').onRef('v.version', '=', 'i.published_version'))
    .select(['i.code', 'i.department_id', 'v.id'])
    .where('v.name', '=', name)
    .where('i.region_code', '=', region)
    .executeTakeFirstOrThrow();
  return { code: r.code, departmentId: r.department_id, versionId: r.id };
}

async function addFile(o: { draftId?: number; applicationNumber?: string; slot: string; owner: string }): Promise<void> {
  const appId = o.applicationNumber
    ? (await t.database.db.selectFrom('applications').select('id').where('number', '=', o.applicationNumber).executeTakeFirstOrThrow()).id
    : null;
  await t.database.db
    .insertInto('attachments')
    .values({ owner_id: o.owner, draft_id: o.draftId ?? null, application_id: appId, slot: o.slot, file_name: `${o.slot}.pdf`, media_type: 'application/pdf', size_bytes: 10, sha256: 'a'.repeat(64), storage: 'local', storage_key: `test/${o.slot}` })
    .execute();
}

const submit = async (s: TestSession, body: Record<string, unknown>) => t.app.inject({ method: 'POST', url: '/api/v1/applications', headers: s.headers, payload: body });
const act = async (s: TestSession, number: string, body: Record<string, unknown>) => t.app.inject({ method: 'POST', url: `/api/v1/applications/${number}/actions`, headers: s.headers, payload: body });
const detail = async (s: TestSession, number: string) => (await t.app.inject({ url: `/api/v1/applications/${number}`, headers: s.headers })).json();

before(async () => {
  t = await createTestApp(FIXTURE_ITEMS, FIXTURE_REGIONS);
  const food = await itemCode('食品经营许可（新办）', '330106');
  const marriage = await itemCode('内地居民婚姻登记（结婚登记）', '330106');
  foodCode = food.code;
  marriageCode = marriage.code;
  await t.database.db.updateTable('impl_item_versions').set({ form: JSON.stringify(FOOD_FORM) }).where('id', '=', food.versionId).execute();
  await t.database.db.updateTable('impl_item_versions').set({ form: JSON.stringify(SIMPLE_FORM) }).where('id', '=', marriage.versionId).execute();
  await t.database.db.updateTable('item_materials').set({ required: false }).where('version_id', '=', marriage.versionId).execute();
  const person = await createTestPerson(t.database.db, { name: '王小明' });
  personId = person.id;
  const someone = await createTestPerson(t.database.db);
  applicant = await signInForTest(t.app, { kind: 'person', identifier: person.mobile });
  other = await signInForTest(t.app, { kind: 'person', identifier: someone.mobile });
  await createTestStaff(t.database.db, { staffNo: 'A0001', departmentId: food.departmentId, roles: [{ role: 'window_clerk' }] });
  await createTestStaff(t.database.db, { staffNo: 'A0002', departmentId: food.departmentId, roles: [{ role: 'reviewer' }] });
  await createTestStaff(t.database.db, { staffNo: 'A0003', departmentId: food.departmentId, roles: [{ role: 'approver' }] });
  await createTestStaff(t.database.db, { staffNo: 'A0009', departmentId: marriage.departmentId === food.departmentId ? food.departmentId + 1 : marriage.departmentId, roles: [{ role: 'window_clerk' }, { role: 'approver' }] });
  clerk = await signInForTest(t.app, { kind: 'staff', identifier: 'A0001' });
  reviewer = await signInForTest(t.app, { kind: 'staff', identifier: 'A0002' });
  approver = await signInForTest(t.app, { kind: 'staff', identifier: 'A0003' });
  outsider = await signInForTest(t.app, { kind: 'staff', identifier: 'A0009' });
});

after(async () => {
  await t?.close();
});

const goodForm = { operatorName: '王小明餐馆', premises: '杭州市西湖区文三路 1 号', area: '85', kind: 'catering', cooking: 'yes' };

test('a draft is saved and resumed; an empty draft comes back prefilled', async () => {
  const empty = (await t.app.inject({ url: `/api/v1/drafts/${foodCode}`, headers: applicant.headers })).json();
  assert.equal(empty.draft, null);
  assert.equal(empty.prefill.operatorName, '王小明');
  const saved = await t.app.inject({ method: 'PUT', url: `/api/v1/drafts/${foodCode}`, headers: applicant.headers, payload: { formData: { premises: '文三路' }, step: 1 } });
  assert.equal(saved.statusCode, 200, saved.body);
  draftId = saved.json().id;
  const again = (await t.app.inject({ url: `/api/v1/drafts/${foodCode}`, headers: applicant.headers })).json();
  assert.equal(again.draft.formData.premises, '文三路');
  assert.equal(again.draft.step, 1);
});

test('bad input is refused with the field named, and nothing is written', async () => {
  const before = await t.database.db.selectFrom('applications').select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow();
  const badType = await submit(applicant, { itemCode: foodCode, idempotencyKey: 'bad-type-0001', draftId, formData: { ...goodForm, area: 'abc' } });
  assert.equal(badType.statusCode, 400, badType.body);
  assert.equal(badType.json().error.field, 'formData.area');
  const noKey = await submit(applicant, { itemCode: foodCode, draftId, formData: goodForm });
  assert.equal(noKey.statusCode, 400);
  assert.equal(noKey.json().error.field, 'idempotencyKey');
  // the conditional material m3 (制售 → 布局图) is required because cooking = yes; m1, m2 always
  const missing = await submit(applicant, { itemCode: foodCode, idempotencyKey: 'no-files-0001', draftId, formData: goodForm });
  assert.equal(missing.statusCode, 400, missing.body);
  assert.deepEqual(missing.json().error.errors.map((e: { field: string }) => e.field), ['materials.m1', 'materials.m2', 'materials.m3']);
  const after = await t.database.db.selectFrom('applications').select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow();
  assert.equal(after.n, before.n);
});

let number: string;

test('50 parallel submissions with one idempotency key make one application', async () => {
  await addFile({ draftId, slot: 'm1', owner: personId });
  await addFile({ draftId, slot: 'm2', owner: personId });
  await addFile({ draftId, slot: 'm3', owner: personId });
  const results = await Promise.all(Array.from({ length: 50 }, () => submit(applicant, { itemCode: foodCode, idempotencyKey: 'food-licence-0001', draftId, formData: goodForm })));
  const codes = results.map((r) => r.statusCode).sort();
  assert.equal(codes.filter((c) => c === 201).length, 1, codes.join(','));
  assert.ok(codes.every((c) => c === 200 || c === 201), codes.join(','));
  const numbers = new Set(results.map((r) => r.json().number));
  assert.equal(numbers.size, 1);
  number = [...numbers][0]!;
  assert.match(number, /^330106-\d{8}-\d{6}$/);
  const rows = await t.database.db.selectFrom('applications').select('id').where('idempotency_key', '=', 'food-licence-0001').execute();
  assert.equal(rows.length, 1);
  const d = await detail(applicant, number);
  assert.equal(d.state, 'submitted');
  assert.equal(d.attachments.length, 3, 'the draft files moved to the application');
  assert.equal(d.timeline.length, 1);
  assert.equal(d.subject.name, '王小明');
  assert.ok(d.clock.dueOn, 'the acceptance SLA runs');
  const audit = await t.database.db.selectFrom('audit_events').select('seq').where('action', '=', 'application.submitted').where('target_id', '=', number).execute();
  assert.equal(audit.length, 1);
});

test('numbers stay unique when many applicants submit at once', async () => {
  const people = await Promise.all(Array.from({ length: 5 }, () => createTestPerson(t.database.db)));
  const sessions = await Promise.all(people.map((p) => signInForTest(t.app, { kind: 'person', identifier: p.mobile })));
  const res = await Promise.all(
    sessions.flatMap((s, i) => Array.from({ length: 6 }, (_, k) => submit(s, { itemCode: marriageCode, idempotencyKey: `many-${i}-${k}-0000`, formData: {} }))),
  );
  for (const r of res) assert.equal(r.statusCode, 201, r.body);
  assert.equal(new Set(res.map((r) => r.json().number)).size, 30);
  // written in batches: every application has its timeline entry and its audit event, and the chain holds
  const numbers = res.map((r) => r.json().number as string);
  const events = await t.database.db.selectFrom('application_events as e').innerJoin('applications as a', 'a.id', 'e.application_id').select('a.number').where('a.number', 'in', numbers).execute();
  assert.equal(events.length, 30);
  const audits = await t.database.db.selectFrom('audit_events').select('target_id').where('action', '=', 'application.submitted').where('target_id', 'in', numbers).execute();
  assert.equal(audits.length, 30);
  assert.equal((await verifyAuditChain(t.database.db)).ok, true);
});

test('only the applicant and handling staff see an application', async () => {
  assert.equal((await t.app.inject({ url: `/api/v1/applications/${number}`, headers: other.headers })).statusCode, 404);
  assert.equal((await t.app.inject({ url: `/api/v1/applications/${number}`, headers: outsider.headers })).statusCode, 404);
  const staffView = await detail(clerk, number);
  assert.equal(staffView.viewer, 'staff');
  assert.deepEqual(
    staffView.actions.map((a: { key: string }) => a.key).sort(),
    ['not_accept', 'request_supplement', 'transfer', 'accept'].sort(),
  );
  const inbox = (await t.app.inject({ url: '/api/v1/staff/inbox', headers: clerk.headers })).json();
  assert.ok(inbox.items.some((i: { number: string }) => i.number === number));
  assert.equal(inbox.counts.find((c: { state: string }) => c.state === 'submitted').total >= 1, true);
  const reviewerInbox = (await t.app.inject({ url: '/api/v1/staff/inbox', headers: reviewer.headers })).json();
  assert.ok(!reviewerInbox.items.some((i: { number: string }) => i.number === number), 'reviewers see the review state only');
});

test('补正: one complete list; the clock stops; the applicant supplements; the clock resumes', async () => {
  let d = await detail(clerk, number);
  const wrongRole = await act(reviewer, number, { action: 'request_supplement', version: d.version, comment: 'x', supplementItems: [{ slot: 'm3', label: '布局图', reason: '不清晰' }] });
  assert.equal(wrongRole.statusCode, 403);
  const empty = await act(clerk, number, { action: 'request_supplement', version: d.version, comment: '材料不全' });
  assert.equal(empty.statusCode, 400);
  assert.equal(empty.json().error.field, 'supplementItems');
  const ok = await act(clerk, number, {
    action: 'request_supplement',
    version: d.version,
    comment: '请补正以下材料',
    supplementItems: [
      { slot: 'm3', label: '经营设备布局图和操作流程', reason: '布局图未标明操作流程' },
      { field: 'premises', label: '经营场所', reason: '请填写完整门牌号' },
    ],
  });
  assert.equal(ok.statusCode, 200, ok.body);
  d = await detail(applicant, number);
  assert.equal(d.state, 'supplement');
  assert.equal(d.clock.state, 'paused');
  assert.equal(d.supplement.items.length, 2);
  assert.deepEqual(d.actions.map((a: { key: string }) => a.key).sort(), ['supplement', 'withdraw']);

  const noFile = await act(applicant, number, { action: 'supplement', version: d.version, formData: { premises: '杭州市西湖区文三路 1 号 101 室' } });
  assert.equal(noFile.statusCode, 400);
  assert.equal(noFile.json().error.field, 'materials.m3');
  await addFile({ applicationNumber: number, slot: 'm3', owner: personId });
  const noField = await act(applicant, number, { action: 'supplement', version: d.version });
  assert.equal(noField.statusCode, 400);
  assert.equal(noField.json().error.field, 'formData.premises');
  const done = await act(applicant, number, { action: 'supplement', version: d.version, formData: { premises: '杭州市西湖区文三路 1 号 101 室' } });
  assert.equal(done.statusCode, 200, done.body);
  d = await detail(applicant, number);
  assert.equal(d.state, 'submitted');
  assert.equal(d.clock.state, 'running');
  assert.equal(d.formData.premises, '杭州市西湖区文三路 1 号 101 室');
  assert.equal(d.attachments.filter((a: { slot: string; superseded: boolean }) => a.slot === 'm3' && a.superseded).length, 1, 'the replaced file is kept, superseded');
  assert.equal(d.pauses[0].kind, 'supplement');
  assert.ok(d.pauses[0].endedOn);
  // 一次性告知: no second supplement request
  const again = await act(clerk, number, { action: 'request_supplement', version: d.version, comment: '再补', supplementItems: [{ slot: 'm1', label: '申请书', reason: '签字' }] });
  assert.equal(again.statusCode, 409);
});

test('two staff acting at once on one application: one wins, the other gets a conflict', async () => {
  const d = await detail(clerk, number);
  const [a, b] = await Promise.all([act(clerk, number, { action: 'accept', version: d.version }), act(clerk, number, { action: 'not_accept', version: d.version, comment: '不符合条件', legalBasis: '《行政许可法》第三十二条' })]);
  const codes = [a.statusCode, b.statusCode].sort();
  assert.deepEqual(codes, [200, 409], `${a.body} ${b.body}`);
  const after = await detail(clerk, number);
  assert.equal(after.version, d.version + 1);
  const events = after.timeline.filter((e: { seq: number }) => e.seq > d.version);
  assert.equal(events.length, 1);
  // (whichever won, carry on with an accepted application)
  if (after.state === 'not_accepted') return;
  assert.equal(after.state, 'review');
  assert.ok(after.clock.promisedDueOn && after.clock.legalDueOn);
  assert.equal(after.clock.phase, 'decision');
});

test('review, an excluded period, one extension, approval: the licence is issued and delivered', async () => {
  let d = await detail(reviewer, number);
  if (d.state !== 'review') return; // the race above refused it
  const stale = await act(reviewer, number, { action: 'pass_review', version: d.version - 1, comment: '同意' });
  assert.equal(stale.statusCode, 409);
  assert.equal(stale.json().error.field, 'version');
  const suspend = await act(reviewer, number, { action: 'suspend', version: d.version, comment: '需现场核查', pauseKind: 'inspection', expectedDays: 3 });
  assert.equal(suspend.statusCode, 200, suspend.body);
  d = await detail(reviewer, number);
  assert.equal(d.clock.state, 'paused');
  const resume = await act(reviewer, number, { action: 'resume', version: d.version, comment: '核查完毕' });
  assert.equal(resume.statusCode, 200, resume.body);
  d = await detail(reviewer, number);
  assert.equal(d.state, 'review');
  const pass = await act(reviewer, number, { action: 'pass_review', version: d.version, comment: '材料齐全，符合法定条件' });
  assert.equal(pass.statusCode, 200, pass.body);
  d = await detail(approver, number);
  const clerkApproves = await act(clerk, number, { action: 'approve', version: d.version });
  assert.equal(clerkApproves.statusCode, 403);
  const tooLong = await act(approver, number, { action: 'extend', version: d.version, comment: '情况复杂', extensionDays: 11 });
  assert.equal(tooLong.statusCode, 400);
  const extend = await act(approver, number, { action: 'extend', version: d.version, comment: '情况复杂', extensionDays: 10 });
  assert.equal(extend.statusCode, 200, extend.body);
  const extended = await detail(approver, number);
  assert.ok(extended.clock.legalDueOn > d.clock.legalDueOn);
  assert.equal(extended.clock.extensionDays, 10);
  const twice = await act(approver, number, { action: 'extend', version: extended.version, comment: '再延', extensionDays: 1 });
  assert.equal(twice.statusCode, 409);
  const approve = await act(approver, number, { action: 'approve', version: extended.version, comment: '准予许可' });
  assert.equal(approve.statusCode, 200, approve.body);
  assert.equal(approve.json().state, 'delivered');
  d = await detail(applicant, number);
  assert.equal(d.final, true);
  assert.equal(d.decision, 'approved');
  assert.ok(d.result?.verificationCode);
  assert.deepEqual(d.timeline.slice(-2).map((e: { action: string }) => e.action), ['approve', 'deliver']);
  const seqs = d.timeline.map((e: { seq: number }) => e.seq);
  assert.deepEqual(seqs, [...seqs].sort((x: number, y: number) => x - y));
  const transitions = await t.database.db.selectFrom('audit_events').select('seq').where('action', '=', 'application.transition').where('target_id', '=', number).execute();
  assert.equal(transitions.length, d.timeline.filter((e: { actorType: string; action: string }) => e.action !== 'submit' && e.actorType !== 'system').length);
  const late = await act(applicant, number, { action: 'withdraw', version: d.version });
  assert.equal(late.statusCode, 409, 'a concluded application cannot be withdrawn');
  const notes = (await t.app.inject({ url: '/api/v1/me/notifications', headers: applicant.headers })).json();
  assert.ok(notes.items.length >= 5);
  assert.ok(notes.items.some((n: { body: string }) => n.body.includes('准予许可')));
});

test('progress lookup without signing in: number and ID number together, the same 404 otherwise', async () => {
  const person = await t.database.db.selectFrom('accounts').select('id_number').where('id', '=', personId).executeTakeFirstOrThrow();
  const ok = await t.app.inject({ url: `/api/v1/progress?number=${number}&idNumber=${person.id_number}` });
  assert.equal(ok.statusCode, 200, ok.body);
  assert.equal(ok.json().itemName, '食品经营许可（新办）');
  assert.ok(ok.json().steps.length >= 3);
  assert.ok(!ok.body.includes('王小明'), 'no personal data');
  const wrong = await t.app.inject({ url: `/api/v1/progress?number=${number}&idNumber=110105199001010011` });
  const unknown = await t.app.inject({ url: `/api/v1/progress?number=330106-20200101-999999&idNumber=${person.id_number}` });
  assert.equal(wrong.statusCode, 404);
  assert.equal(unknown.statusCode, 404);
  assert.equal(wrong.json().error.message, unknown.json().error.message);
});

test('withdrawal by the applicant; 即办件 decided at once at the window', async () => {
  const w = await submit(applicant, { itemCode: marriageCode, idempotencyKey: 'withdraw-me-0001', formData: {} });
  assert.equal(w.statusCode, 201);
  const wd = await detail(applicant, w.json().number);
  const withdrawn = await act(applicant, wd.number, { action: 'withdraw', version: wd.version, comment: '不再需要' });
  assert.equal(withdrawn.statusCode, 200, withdrawn.body);
  assert.equal(withdrawn.json().state, 'withdrawn');
  const otherTry = await act(other, wd.number, { action: 'withdraw', version: wd.version + 1 });
  assert.equal(otherTry.statusCode, 404);

  const i = await submit(applicant, { itemCode: marriageCode, idempotencyKey: 'immediate-0001', formData: { note: '当场办' } });
  const id = await detail(applicant, i.json().number);
  const marriageClerk = outsider; // the marriage registry's clerk and approver
  const mine = await detail(marriageClerk, id.number);
  assert.ok(mine.actions.some((a: { key: string }) => a.key === 'approve'));
  const done = await act(marriageClerk, id.number, { action: 'approve', version: mine.version });
  assert.equal(done.statusCode, 200, done.body);
  assert.equal(done.json().state, 'delivered');
});

test('the deadline job marks due-soon and overdue and escalates once to the approvers, on any number of runs', async () => {
  const s = await submit(applicant, { itemCode: foodCode, idempotencyKey: 'late-one-0001', draftId: undefined, formData: { ...goodForm, kind: 'shop', cooking: undefined } });
  // without files: the materials are missing — use a fresh draft with files
  assert.equal(s.statusCode, 400);
  const saved = (await t.app.inject({ method: 'PUT', url: `/api/v1/drafts/${foodCode}`, headers: applicant.headers, payload: { formData: {} } })).json();
  await addFile({ draftId: saved.id, slot: 'm1', owner: personId });
  await addFile({ draftId: saved.id, slot: 'm2', owner: personId });
  const late = await submit(applicant, { itemCode: foodCode, idempotencyKey: 'late-one-0002', draftId: saved.id, formData: { ...goodForm, kind: 'shop', cooking: undefined } });
  assert.equal(late.statusCode, 201, late.body);
  const n = late.json().number;
  await t.database.db.updateTable('applications').set({ state_due_on: '2020-01-02' }).where('number', '=', n).execute();
  const today = chinaToday();
  const r1 = await updateDeadlines(t.database.db, { dueSoonDays: 2, today });
  assert.ok(r1.escalated >= 1);
  const r2 = await updateDeadlines(t.database.db, { dueSoonDays: 2, today });
  assert.equal(r2.escalated, 0, 'a second run escalates nothing again');
  const d = await detail(approver, n);
  assert.equal(d.clock.deadlineStatus, 'overdue');
  assert.equal(d.clock.escalated, true);
  assert.equal(d.timeline.filter((e: { action: string }) => e.action === 'escalate').length, 1);
  const inbox = (await t.app.inject({ url: '/api/v1/staff/inbox?escalated=true', headers: approver.headers })).json();
  assert.ok(inbox.items.some((i: { number: string }) => i.number === n));
  const approverNotes = (await t.app.inject({ url: '/api/v1/me/notifications', headers: approver.headers })).json();
  assert.ok(approverNotes.items.some((x: { title: string }) => x.title === '超期办件督办'));
  // due soon: the due day within two working days
  await t.database.db.updateTable('applications').set({ state_due_on: today, deadline_status: 'normal' }).where('number', '=', n).execute();
  await updateDeadlines(t.database.db, { dueSoonDays: 2, today });
  assert.equal((await detail(approver, n)).clock.deadlineStatus, 'due_soon');
});

test('a job lease lets one server run a job at a time; messages are sent once', async () => {
  assert.equal(await takeLease(t.database.db, 'test-job', 'server-a', 60_000), true);
  assert.equal(await takeLease(t.database.db, 'test-job', 'server-b', 60_000), false);
  const sent: string[] = [];
  const sender = { send: async (m: { to: string; text: string }) => void sent.push(m.to) };
  const [a, b] = await Promise.all([sendNotificationMessages(t.database.db, sender), sendNotificationMessages(t.database.db, sender)]);
  assert.equal(a.sent + b.sent, sent.length);
  assert.ok(sent.length > 0);
  const again = await sendNotificationMessages(t.database.db, sender);
  assert.equal(again.sent, 0);
});
