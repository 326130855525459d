/**
 * 好差评 through the API: rating a concluded application once (also under concurrency), who may rate, a 差评's
 * rectification task due in 15 working days, the rectification flow with its roles and optimistic versions, the
 * evaluator's confidentiality towards staff, and the public statistics. PGlite and PostgreSQL.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, type TestApp } from '../../testing/test-app.ts';
import { FIXTURE_ITEMS, FIXTURE_REGIONS } from '../../testing/fixture-items.ts';
import { createTestPerson, createTestStaff, findDepartment, residentId, signInForTest, type TestSession } from '../../testing/fixture-accounts.ts';
import { ensureCalendar } from '../calendar/ensure-calendar.ts';
import { chinaToday, getWorkingCalendar } from '../calendar/working-calendar.ts';
import type { PersonPrincipal } from '../access/principal.ts';
import { submitEvaluation } from './submit-evaluation.ts';
import { evaluationBody, insertApplication, insertEnterpriseAgent, itemOf, type TestItem } from './evaluations.fixtures.ts';

let t: TestApp;
let itemXH: TestItem; // 西湖区 civil affairs
let itemTL: TestItem; // 桐庐县 civil affairs
let itemWZ: TestItem; // 温州 鹿城区: only the statistics test rates it
let evaluator: { id: string; idNumber: string; mobile: string; name: string };
let other: { id: string; idNumber: string; mobile: string; name: string };
let applicant: TestSession;
let stranger: TestSession;
let approverXH: TestSession; // 审批, 西湖区 civil affairs: rectifies there
let adminTL: TestSession; // 部门管理员, 桐庐县: rectifies, but not 西湖区's tasks
let clerkXH: TestSession; // 窗口受理: no rectification permission
let platform: TestSession; // 平台管理员: reviews (复核)
/** Every response a staff member received, checked for the evaluator's identity at the end. */
const staffBodies: string[] = [];

const call = async (s: TestSession | null, method: 'GET' | 'POST', url: string, payload?: object) => {
  const res = await t.app.inject({ method, url, payload, headers: s ? (method === 'GET' ? { cookie: s.cookie } : s.headers) : {} });
  if (s && [approverXH, adminTL, clerkXH, platform].includes(s)) staffBodies.push(res.body);
  return res;
};
const rate = (s: TestSession, number: string, body: object) => call(s, 'POST', `/api/v1/applications/${number}/evaluation`, body);
const act = (s: TestSession, id: number, action: string, version: number, note = '已按要求办理') =>
  call(s, 'POST', `/api/v1/rectifications/${id}/actions`, { action, note, version });

async function auditOf(action: string, targetId: string) {
  return t.database.db.selectFrom('audit_events').select(['actor_id', 'details', 'on_behalf_of']).where('action', '=', action).where('target_id', '=', targetId).execute();
}

before(async () => {
  t = await createTestApp(FIXTURE_ITEMS, FIXTURE_REGIONS);
  const db = t.database.db;
  await ensureCalendar(db);
  const civXH = await findDepartment(db, { regionCode: '330106', kind: 'civil_affairs' });
  const civTL = await findDepartment(db, { regionCode: '330122', kind: 'civil_affairs' });
  const province = await findDepartment(db, { regionCode: '330000' });
  itemXH = await itemOf(db, civXH.id);
  itemTL = await itemOf(db, civTL.id);
  const wz = await db.selectFrom('impl_items').select('department_id').where('region_code', '=', '330302').orderBy('code').executeTakeFirstOrThrow();
  itemWZ = await itemOf(db, wz.department_id);
  evaluator = await createTestPerson(db, { name: '评价人欧阳', idNumber: residentId('330106', '19851122', 777), mobile: '13912341234' });
  other = await createTestPerson(db, { name: '旁人', idNumber: residentId('330106', '19800101', 555) });
  applicant = await signInForTest(t.app, { kind: 'person', identifier: evaluator.mobile });
  stranger = await signInForTest(t.app, { kind: 'person', identifier: other.mobile });
  await createTestStaff(db, { staffNo: 'EV0001', departmentId: civXH.id, roles: [{ role: 'approver' }], name: '审批员' });
  await createTestStaff(db, { staffNo: 'EV0002', departmentId: civTL.id, roles: [{ role: 'department_admin' }], name: '桐庐管理员' });
  await createTestStaff(db, { staffNo: 'EV0003', departmentId: civXH.id, roles: [{ role: 'window_clerk' }], name: '窗口员' });
  await createTestStaff(db, { staffNo: 'EV0009', departmentId: province.id, roles: [{ role: 'platform_admin' }], name: '平台员' });
  approverXH = await signInForTest(t.app, { kind: 'staff', identifier: 'EV0001' });
  adminTL = await signInForTest(t.app, { kind: 'staff', identifier: 'EV0002' });
  clerkXH = await signInForTest(t.app, { kind: 'staff', identifier: 'EV0003' });
  platform = await signInForTest(t.app, { kind: 'staff', identifier: 'EV0009' });
});

after(async () => {
  await t?.close();
});

test('a 好评 of a delivered application: 201, no rectification, audited without the evaluator’s identity; once only', async () => {
  const number = await insertApplication(t.database.db, { item: itemXH, submittedBy: evaluator.id });
  const res = await rate(applicant, number, evaluationBody(5, { comment: '办事很快，窗口服务热情' }));
  assert.equal(res.statusCode, 201, res.body);
  const e = res.json();
  assert.equal(e.grade, 'good');
  assert.equal(e.gradeLabel, '好评');
  assert.equal(e.levelLabel, '非常满意');
  assert.equal(e.rectification, null);
  assert.deepEqual(e.indicators, { overall: 5, efficiency: 5, guideAccuracy: 5, convenience: 5, usability: 5 });
  assert.equal((await t.database.db.selectFrom('rectification_tasks').select('id').where('evaluation_id', '=', e.id).execute()).length, 0);

  const audit = await auditOf('evaluation.submitted', String(e.id));
  assert.equal(audit.length, 1);
  assert.equal(audit[0]!.actor_id, evaluator.id, 'the actor is the evaluator');
  const details = JSON.stringify(audit[0]!.details);
  for (const secret of [evaluator.id, evaluator.name, evaluator.idNumber, evaluator.mobile]) assert.ok(!details.includes(secret), `details carry no ${secret}`);
  assert.match(details, new RegExp(number));

  const mine = await call(applicant, 'GET', `/api/v1/applications/${number}/evaluation`);
  assert.equal(mine.statusCode, 200);
  assert.equal(mine.json().level, 5);

  const again = await rate(applicant, number, evaluationBody(4));
  assert.equal(again.statusCode, 409);
  assert.equal(again.json().error.code, 'CONFLICT');
  assert.match(again.json().error.message, /只能评价一次/);
  const count = await t.database.db.selectFrom('evaluations as e').innerJoin('applications as a', 'a.id', 'e.application_id').select('e.id').where('a.number', '=', number).execute();
  assert.equal(count.length, 1);
});

test('two evaluations of one application at once: one is stored, the other is a 409', async () => {
  const number = await insertApplication(t.database.db, { item: itemXH, submittedBy: evaluator.id, state: 'not_accepted' });
  const results = await Promise.all(Array.from({ length: 6 }, (_, i) => rate(applicant, number, evaluationBody(i % 2 ? 4 : 1, { comment: '不予受理的理由没有讲清楚' }))));
  const codes = results.map((r) => r.statusCode).sort();
  assert.deepEqual(codes, [201, 409, 409, 409, 409, 409], results.map((r) => r.body).join('\n'));
  const rows = await t.database.db.selectFrom('evaluations as e').innerJoin('applications as a', 'a.id', 'e.application_id').select(['e.id', 'e.grade']).where('a.number', '=', number).execute();
  assert.equal(rows.length, 1);
  const tasks = await t.database.db.selectFrom('rectification_tasks').select('id').where('evaluation_id', '=', rows[0]!.id).execute();
  assert.equal(tasks.length, rows[0]!.grade === 'bad' ? 1 : 0, 'a task only for the stored 差评');
  const audits = await auditOf('evaluation.submitted', String(rows[0]!.id));
  assert.equal(audits.length, 1);
});

test('only a concluded application of one’s own can be rated; bad input is a 400 naming the field', async () => {
  const db = t.database.db;
  const open = await insertApplication(db, { item: itemXH, submittedBy: evaluator.id, state: 'review', closed: false });
  const r1 = await rate(applicant, open, evaluationBody(5));
  assert.equal(r1.statusCode, 409);
  assert.equal(r1.json().error.code, 'CONFLICT');
  assert.equal(r1.json().error.field, 'state');
  assert.match(r1.json().error.message, /尚未办结/);
  // a final state without closed_at is not concluded either
  const notClosed = await insertApplication(db, { item: itemXH, submittedBy: evaluator.id, state: 'delivered', closed: false });
  assert.equal((await rate(applicant, notClosed, evaluationBody(5))).statusCode, 409);
  const withdrawn = await insertApplication(db, { item: itemXH, submittedBy: evaluator.id, state: 'withdrawn' });
  const r2 = await rate(applicant, withdrawn, evaluationBody(5));
  assert.equal(r2.statusCode, 409);
  assert.match(r2.json().error.message, /撤回/);

  const others = await insertApplication(db, { item: itemXH, submittedBy: other.id });
  const r3 = await rate(applicant, others, evaluationBody(5));
  assert.equal(r3.statusCode, 404);
  assert.equal(r3.json().error.code, 'NOT_FOUND');
  assert.equal((await rate(applicant, '330106-20991231-999999', evaluationBody(5))).statusCode, 404);
  assert.equal((await rate(approverXH, others, evaluationBody(5))).statusCode, 403, 'staff do not rate');
  assert.equal((await t.app.inject({ method: 'POST', url: `/api/v1/applications/${others}/evaluation`, payload: evaluationBody(5) })).statusCode, 401);

  const mine = await insertApplication(db, { item: itemXH, submittedBy: evaluator.id });
  const bad = [
    [{ ...evaluationBody(5), level: 6 }, 'level'],
    [{ ...evaluationBody(5), level: 0 }, 'level'],
    [{ level: 5, indicators: { overall: 5, efficiency: 5, guideAccuracy: 5, convenience: 5 } }, 'usability'],
    [{ ...evaluationBody(5), indicators: { ...evaluationBody(5).indicators, efficiency: 9 } }, 'indicators.efficiency'],
    [evaluationBody(2), 'comment'],
    [evaluationBody(1, { comment: '太慢了' }), 'comment'],
    [{ ...evaluationBody(5), extra: 1 }, 'extra'],
  ] as const;
  for (const [body, field] of bad) {
    const r = await rate(applicant, mine, body);
    assert.equal(r.statusCode, 400, `${JSON.stringify(body)} → ${r.body}`);
    assert.equal(r.json().error.code, 'INVALID_PARAMETER');
    assert.equal(r.json().error.field, field, r.body);
    assert.match(r.json().error.message, /[\u4e00-\u9fff]/);
  }
  assert.equal((await db.selectFrom('evaluations as e').innerJoin('applications as a', 'a.id', 'e.application_id').select('e.id').where('a.number', '=', mine).execute()).length, 0, 'nothing written');
  assert.equal((await rate(applicant, mine, evaluationBody(3))).statusCode, 201, 'a 中评 needs no comment');
});

test('an agent acting for an enterprise rates its application; the audit names the enterprise, not the person behind it', async () => {
  const db = t.database.db;
  const rep = await createTestPerson(db);
  const agent = await createTestPerson(db);
  const { enterpriseId, delegationId, creditCode } = await insertEnterpriseAgent(db, rep.id, agent.id, 1);
  const number = await insertApplication(db, {
    item: itemXH,
    submittedBy: rep.id,
    subject: { type: 'enterprise', id: enterpriseId, name: '好差评测试有限公司1', idNumber: creditCode },
  });
  const s = await signInForTest(t.app, { kind: 'person', identifier: agent.mobile });
  assert.equal((await rate(s, number, evaluationBody(4))).statusCode, 404, 'not while acting for no one');
  assert.equal((await call(s, 'POST', '/api/v1/me/acting', { delegationId })).statusCode, 200);
  const r = await rate(s, number, evaluationBody(4));
  assert.equal(r.statusCode, 201, r.body);
  const audit = await auditOf('evaluation.submitted', String(r.json().id));
  assert.equal(audit[0]!.on_behalf_of, `enterprise:${enterpriseId}`);
});

test('a 差评 opens a rectification task due in 15 working days, counted across the National Day holiday', async () => {
  const db = t.database.db;
  // through the API: today (Beijing) + 15 working days by the official calendar
  const number = await insertApplication(db, { item: itemXH, submittedBy: evaluator.id });
  const res = await rate(applicant, number, evaluationBody(2, { comment: '材料要求前后不一致，跑了两趟' }));
  assert.equal(res.statusCode, 201, res.body);
  const e = res.json();
  assert.equal(e.grade, 'bad');
  const expected = (await getWorkingCalendar(db)).addWorkingDays(chinaToday(), 15);
  assert.equal(e.rectification.dueOn, expected);
  const task = await db.selectFrom('rectification_tasks').selectAll().where('evaluation_id', '=', e.id).executeTakeFirstOrThrow();
  assert.equal(task.state, 'verifying');
  assert.equal(String(task.due_on).slice(0, 10), expected);
  assert.equal(task.department_id, itemXH.departmentId);
  assert.equal((await auditOf('evaluation.submitted', String(e.id)))[0]!.details.rectificationTaskId, task.id);

  // on 2026-09-30: 10-01…10-07 are 国庆节 holidays and Saturday 10-10 is a makeup working day (调休上班)
  const before = await insertApplication(db, { item: itemXH, submittedBy: evaluator.id });
  const p: PersonPrincipal = { kind: 'person', accountId: evaluator.id, name: evaluator.name, idNumber: '', sessionId: 'test', csrfToken: 'test', authMethod: 'password', acting: null };
  const r = await submitEvaluation(db, p, { number: before, evaluation: { level: 1, indicators: evaluationBody(1).indicators, comment: '等了很久没有人处理' } }, { type: 'citizen', id: evaluator.id }, { today: '2026-09-30' });
  assert.equal(r.rectification?.dueOn, '2026-10-27', 'not 2026-10-21, as Monday–Friday alone would give');
});

test('the rectification flow: 核实 → 整改 → 反馈 → 复核 → 办结, with roles, scope and optimistic versions', async () => {
  const db = t.database.db;
  const number = await insertApplication(db, { item: itemXH, submittedBy: evaluator.id });
  const e = (await rate(applicant, number, evaluationBody(1, { comment: '窗口工作人员态度很差' }))).json();
  const id = e.rectification.id as number;

  // who sees it
  const list = await call(approverXH, 'GET', '/api/v1/rectifications?state=verifying');
  assert.equal(list.statusCode, 200, list.body);
  const listed = list.json().tasks.find((x: { id: number }) => x.id === id);
  assert.ok(listed, 'the department’s approver sees the task');
  assert.equal(listed.evaluation.applicationNumber, number);
  assert.equal(listed.evaluation.comment, '窗口工作人员态度很差');
  assert.equal(listed.evaluation.item.code, itemXH.code);
  assert.equal(listed.overdue, false);
  assert.equal((await call(adminTL, 'GET', '/api/v1/rectifications')).json().tasks.some((x: { id: number }) => x.id === id), false, 'not 桐庐县’s admin');
  assert.equal((await call(adminTL, 'GET', `/api/v1/rectifications/${id}`)).statusCode, 403);
  assert.equal((await call(clerkXH, 'GET', '/api/v1/rectifications')).statusCode, 403, 'a clerk does not rectify');
  assert.equal((await call(clerkXH, 'GET', `/api/v1/rectifications/${id}`)).statusCode, 403);
  assert.equal((await call(stranger, 'GET', `/api/v1/rectifications/${id}`)).statusCode, 403, 'citizens never');
  assert.equal((await call(platform, 'GET', '/api/v1/rectifications')).json().tasks.some((x: { id: number }) => x.id === id), true, 'the reviewer sees it');
  assert.equal((await call(approverXH, 'GET', '/api/v1/rectifications/999999')).statusCode, 404);

  let d = (await call(approverXH, 'GET', `/api/v1/rectifications/${id}`)).json();
  assert.equal(d.state, 'verifying');
  assert.equal(d.version, 1);
  assert.deepEqual(d.allowedActions.map((a: { action: string }) => a.action), ['verify', 'verify_unfounded']);
  assert.equal(d.contact, null, 'no contact before the call-back step');

  // wrong role, wrong place, wrong state, stale version, missing note: nothing changes
  assert.equal((await act(platform, id, 'verify', 1)).statusCode, 403, 'the reviewer does not verify');
  assert.equal((await act(adminTL, id, 'verify', 1)).statusCode, 403, 'another department');
  assert.equal((await act(clerkXH, id, 'verify', 1)).statusCode, 403);
  const wrongState = await act(approverXH, id, 'rectify', 1);
  assert.equal(wrongState.statusCode, 409);
  assert.equal(wrongState.json().error.field, 'action');
  const noNote = await act(approverXH, id, 'verify', 1, ' ');
  assert.equal(noNote.statusCode, 400);
  assert.equal(noNote.json().error.field, 'note');
  const unknown = await call(approverXH, 'POST', `/api/v1/rectifications/${id}/actions`, { action: 'close', note: '直接办结', version: 1 });
  assert.equal(unknown.statusCode, 400);
  assert.equal((await db.selectFrom('rectification_tasks').select('version').where('id', '=', id).executeTakeFirstOrThrow()).version, 1);

  // 核实 (属实)
  let r = await act(approverXH, id, 'verify', 1, '经核实，窗口人员确有态度问题');
  assert.equal(r.statusCode, 200, r.body);
  assert.equal(r.json().state, 'rectifying');
  assert.equal(r.json().version, 2);
  const stale = await act(approverXH, id, 'rectify', 1, '已开展服务规范培训');
  assert.equal(stale.statusCode, 409, 'a stale version');
  assert.equal(stale.json().error.field, 'version');

  // 整改; two people at once on the same version: one wins
  const both = await Promise.all([act(approverXH, id, 'rectify', 2, '已开展服务规范培训'), act(approverXH, id, 'rectify', 2, '已开展服务规范培训（重复提交）')]);
  assert.deepEqual(both.map((x) => x.statusCode).sort(), [200, 409]);
  d = (await call(approverXH, 'GET', `/api/v1/rectifications/${id}`)).json();
  assert.equal(d.state, 'feedback');
  assert.equal(d.version, 3);

  // 反馈: the call-back needs the evaluator's mobile, masked, and only the rectifying staff see it
  assert.deepEqual(d.contact, { mobile: '139****1234' });
  assert.equal((await call(platform, 'GET', `/api/v1/rectifications/${id}`)).json().contact, null, 'the reviewer needs no contact');
  r = await act(approverXH, id, 'feedback', 3, '已电话回访，评价人认可整改');
  assert.equal(r.statusCode, 200, r.body);
  assert.equal(r.json().state, 'reviewing');
  assert.equal(r.json().contact, null, 'gone once the call-back is done');

  // 复核 by the platform administrator only
  const byApprover = await act(approverXH, id, 'approve', 4);
  assert.equal(byApprover.statusCode, 403);
  assert.match(byApprover.json().error.message, /复核/);
  r = await act(platform, id, 'approve', 4, '整改到位，同意办结');
  assert.equal(r.statusCode, 200, r.body);
  d = r.json();
  assert.equal(d.state, 'closed');
  assert.equal(d.outcome, 'founded');
  assert.ok(d.closedAt);
  assert.deepEqual(d.allowedActions, []);
  assert.deepEqual(
    d.events.map((x: { action: string; fromState: string; toState: string }) => `${x.action}:${x.fromState}>${x.toState}`),
    ['verify:verifying>rectifying', 'rectify:rectifying>feedback', 'feedback:feedback>reviewing', 'approve:reviewing>closed'],
  );
  assert.equal(d.events[0].actor.staffNo, 'EV0001');
  assert.equal((await act(platform, id, 'return', 5)).statusCode, 409, 'closed is final');

  const audits = await auditOf('rectification.transition', String(id));
  assert.equal(audits.length, 4);
  assert.deepEqual(audits.map((a) => (a.details as { to: string }).to), ['rectifying', 'feedback', 'reviewing', 'closed']);
  const events = await db.selectFrom('rectification_events').select('id').where('task_id', '=', id).execute();
  assert.equal(events.length, 4, 'the failed attempts left no events');
});

test('a 差评 found unfounded is called back too (反馈 with the masked mobile) before 复核; the reviewer sends it back or dismisses it', async () => {
  const db = t.database.db;
  const number = await insertApplication(db, { item: itemXH, submittedBy: evaluator.id });
  const id = (await rate(applicant, number, evaluationBody(2, { comment: '不知道为什么被驳回' }))).json().rectification.id as number;
  let r = await act(approverXH, id, 'verify_unfounded', 1, '经核实，申请材料确不符合法定条件，已一次性告知');
  assert.equal(r.statusCode, 200, r.body);
  assert.equal(r.json().state, 'feedback', 'not straight to 复核: the evaluator is called back first');
  assert.equal(r.json().outcome, 'unfounded');
  assert.deepEqual(r.json().contact, { mobile: '139****1234' }, 'the masked mobile for the call-back');
  assert.deepEqual(r.json().allowedActions.map((a: { action: string }) => a.action), ['feedback']);
  assert.equal((await call(platform, 'GET', `/api/v1/rectifications/${id}`)).json().contact, null, 'the reviewer needs no contact');
  assert.equal((await act(platform, id, 'approve', 2, '不属实，不予整改')).statusCode, 409, 'no 复核 before the call-back');
  r = await act(approverXH, id, 'feedback', 2, '已电话回访，向评价人说明了核实结论和依据');
  assert.equal(r.json().state, 'reviewing');
  assert.equal(r.json().contact, null, 'gone once the call-back is done');
  r = await act(platform, id, 'return', 3, '请补充告知记录后重新核实');
  assert.equal(r.json().state, 'verifying', 'sent back to 核实');
  r = await act(approverXH, id, 'verify_unfounded', 4, '已补充告知记录');
  assert.equal(r.json().state, 'feedback', 'called back again after the new 核实');
  r = await act(approverXH, id, 'feedback', 5, '再次回访，评价人表示理解');
  assert.equal(r.json().state, 'reviewing');
  assert.ok(r.json().allowedActions.length === 0, 'the department does not review');
  assert.deepEqual((await call(platform, 'GET', `/api/v1/rectifications/${id}`)).json().allowedActions.map((a: { action: string }) => a.action), ['approve', 'return']);
  r = await act(platform, id, 'approve', 6, '核实不属实，不予整改');
  assert.equal(r.statusCode, 200, r.body);
  assert.equal(r.json().state, 'dismissed');
  assert.ok(r.json().closedAt);
  assert.deepEqual(
    r.json().events.map((x: { action: string; fromState: string; toState: string }) => `${x.action}:${x.fromState}>${x.toState}`),
    [
      'verify_unfounded:verifying>feedback',
      'feedback:feedback>reviewing',
      'return:reviewing>verifying',
      'verify_unfounded:verifying>feedback',
      'feedback:feedback>reviewing',
      'approve:reviewing>dismissed',
    ],
  );
  const row = await db.selectFrom('rectification_tasks').select(['state', 'version']).where('id', '=', id).executeTakeFirstOrThrow();
  assert.deepEqual(row, { state: 'dismissed', version: 7 });
  const audits = await auditOf('rectification.transition', String(id));
  assert.deepEqual(audits.map((a) => (a.details as { action: string }).action), ['verify_unfounded', 'feedback', 'return', 'verify_unfounded', 'feedback', 'approve']);
  assert.deepEqual((audits[1]!.details as { outcome?: string }).outcome, 'unfounded', 'the call-back is audited with the outcome it reported');
});

test('a task that reached 复核 without a call-back (the older flow) cannot be closed, only returned', async () => {
  const db = t.database.db;
  const number = await insertApplication(db, { item: itemXH, submittedBy: evaluator.id });
  const id = (await rate(applicant, number, evaluationBody(1, { comment: '材料被多次退回' }))).json().rectification.id as number;
  // as the former flow left it: 核实 不属实 straight into 复核
  const staff = await db.selectFrom('accounts').select('id').where('staff_no', '=', 'EV0001').executeTakeFirstOrThrow();
  await db.updateTable('rectification_tasks').set({ state: 'reviewing', version: 2 }).where('id', '=', id).execute();
  await db.insertInto('rectification_events').values({ task_id: id, action: 'verify_unfounded', from_state: 'verifying', to_state: 'reviewing', actor_id: staff.id, note: '不属实' }).execute();
  const d = (await call(platform, 'GET', `/api/v1/rectifications/${id}`)).json();
  assert.deepEqual(d.allowedActions.map((a: { action: string }) => a.action), ['return'], 'no 办结 offered');
  const refused = await act(platform, id, 'approve', 2, '不属实，不予整改');
  assert.equal(refused.statusCode, 409);
  assert.equal(refused.json().error.field, 'action');
  assert.match(refused.json().error.message, /尚未回访/);
  assert.deepEqual(await db.selectFrom('rectification_tasks').select(['state', 'version']).where('id', '=', id).executeTakeFirstOrThrow(), { state: 'reviewing', version: 2 });
  assert.equal((await auditOf('rectification.transition', String(id))).length, 0, 'nothing recorded for the refused step');
  let r = await act(platform, id, 'return', 2, '请先回访评价人');
  assert.equal(r.json().state, 'verifying');
  r = await act(approverXH, id, 'verify_unfounded', 3, '复查后仍不属实');
  assert.equal(r.json().state, 'feedback');
  r = await act(approverXH, id, 'feedback', 4, '已回访评价人');
  r = await act(platform, id, 'approve', 5, '同意');
  assert.equal(r.statusCode, 200, r.body);
  assert.equal(r.json().state, 'dismissed');
});

test('overdue tasks are flagged and can be listed on their own', async () => {
  const db = t.database.db;
  const number = await insertApplication(db, { item: itemXH, submittedBy: evaluator.id });
  const id = (await rate(applicant, number, evaluationBody(1, { comment: '办理超过了承诺时限' }))).json().rectification.id as number;
  await db.updateTable('rectification_tasks').set({ due_on: '2026-01-05' }).where('id', '=', id).execute();
  const list = (await call(approverXH, 'GET', '/api/v1/rectifications?overdue=true')).json();
  const task = list.tasks.find((x: { id: number }) => x.id === id);
  assert.ok(task, list);
  assert.equal(task.overdue, true);
  assert.ok(list.counts.overdue >= 1);
  assert.ok(list.tasks.every((x: { overdue: boolean }) => x.overdue));
  assert.equal((await call(approverXH, 'GET', `/api/v1/rectifications/${id}`)).json().overdue, true);
  // a finished task is never overdue
  const done = (await call(approverXH, 'GET', '/api/v1/rectifications?state=closed')).json();
  assert.ok(done.tasks.every((x: { overdue: boolean }) => !x.overdue));
});

test('public statistics: totals, rates, indicator averages, rectification and rankings', async () => {
  const db = t.database.db;
  const levels = [5, 5, 4, 3, 1];
  for (const l of levels) {
    const n = await insertApplication(db, { item: itemWZ, submittedBy: evaluator.id });
    const res = await rate(applicant, n, evaluationBody(l, { comment: l <= 2 ? '办理过程不够透明' : '', indicators: { efficiency: l === 5 ? 4 : l } }));
    assert.equal(res.statusCode, 201, res.body);
  }
  const res = await t.app.inject({ method: 'GET', url: `/api/v1/evaluations/stats?region=330302&top=5` });
  assert.equal(res.statusCode, 200, res.body);
  assert.equal(res.headers['set-cookie'], undefined);
  const s = res.json();
  assert.equal(s.total, 5);
  assert.deepEqual(s.levels.map((l: { count: number }) => l.count), [2, 1, 1, 0, 1]);
  assert.deepEqual(s.levels.map((l: { label: string }) => l.label), ['非常满意', '满意', '基本满意', '不满意', '非常不满意']);
  assert.deepEqual(s.grades, { good: { count: 3, rate: 60 }, neutral: { count: 1, rate: 20 }, bad: { count: 1, rate: 20 } });
  const avg = Object.fromEntries(s.indicators.map((i: { key: string; average: number }) => [i.key, i.average]));
  assert.equal(avg.overall, 3.6); // (5+5+4+3+1)/5
  assert.equal(avg.efficiency, 3.2); // (4+4+4+3+1)/5
  assert.deepEqual(s.rectification, { total: 1, completed: 0, closed: 0, dismissed: 0, inProgress: 1, overdue: 0, completionRate: 0 });
  assert.equal(s.departments.length, 1);
  assert.deepEqual(
    { id: s.departments[0].id, total: s.departments[0].total, good: s.departments[0].good, goodRate: s.departments[0].goodRate },
    { id: itemWZ.departmentId, total: 5, good: 3, goodRate: 60 },
  );
  assert.equal(s.items[0].code, itemWZ.code);
  assert.equal(s.items[0].name, itemWZ.name);
  const json = JSON.stringify(s);
  for (const secret of [evaluator.name, evaluator.idNumber, evaluator.mobile, evaluator.id]) assert.ok(!json.includes(secret));

  // the same by department and by item; the province includes everything
  assert.equal((await t.app.inject({ method: 'GET', url: `/api/v1/evaluations/stats?department=${itemWZ.departmentId}` })).json().total, 5);
  assert.equal((await t.app.inject({ method: 'GET', url: `/api/v1/evaluations/stats?item=${itemWZ.code}` })).json().total, 5);
  const all = (await t.app.inject({ method: 'GET', url: '/api/v1/evaluations/stats' })).json();
  const stored = await db.selectFrom('evaluations').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  assert.equal(all.total, Number(stored.n));
  assert.equal((await t.app.inject({ method: 'GET', url: '/api/v1/evaluations/stats?region=330000' })).json().total, Number(stored.n));
  // 西湖区 rankings: departments ranked by 好评率
  const xh = (await t.app.inject({ method: 'GET', url: '/api/v1/evaluations/stats?region=330106' })).json();
  assert.ok(xh.departments.every((d: { regionCode: string }) => d.regionCode === '330106'));
  assert.ok(xh.total > 0 && xh.total < all.total);

  // dates are Beijing days: nothing tomorrow, everything today
  const today = chinaToday();
  const tomorrow = new Date(Date.parse(`${today}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
  assert.equal((await t.app.inject({ method: 'GET', url: `/api/v1/evaluations/stats?region=330302&from=${tomorrow}` })).json().total, 0);
  assert.equal((await t.app.inject({ method: 'GET', url: `/api/v1/evaluations/stats?region=330302&from=${today}&to=${today}` })).json().total, 5);
  const empty = (await t.app.inject({ method: 'GET', url: `/api/v1/evaluations/stats?region=330302&from=${tomorrow}` })).json();
  assert.equal(empty.grades.good.rate, null);
  assert.deepEqual(empty.departments, []);

  for (const [q, field] of [
    [`from=${tomorrow}&to=${today}`, 'to'],
    ['from=2026-02-30', 'from'],
    ['to=9999-12-31', 'to'],
    ['department=9999999999', 'department'],
    ['region=33', 'region'],
    ['department=abc', 'department'],
    ['top=500', 'top'],
  ]) {
    const bad = await t.app.inject({ method: 'GET', url: `/api/v1/evaluations/stats?${q}` });
    assert.equal(bad.statusCode, 400, `${q}: ${bad.body}`);
    assert.equal(bad.json().error.field, field);
  }
});

test('no staff response ever carried the evaluator’s name, ID number or full mobile', () => {
  assert.ok(staffBodies.length > 20, `${staffBodies.length} staff responses seen`);
  for (const body of staffBodies) {
    assert.ok(!body.includes(evaluator.name), 'name');
    assert.ok(!body.includes(evaluator.idNumber), 'ID number');
    assert.ok(!body.includes(evaluator.mobile), 'full mobile');
    assert.ok(!body.includes(evaluator.id), 'account id');
  }
});
