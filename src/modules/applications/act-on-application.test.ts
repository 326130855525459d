/**
 * Rules the action engine enforces itself, whatever a page offers: transfer only along the region chain; no
 * 补正 after the acceptance period, and a late acceptance counted from receipt (行政许可法 Art. 32); and the
 * inbox cursor refused with 400 when it is not one the inbox made.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, type TestApp } from '../../testing/test-app.ts';
import { FIXTURE_ITEMS, FIXTURE_REGIONS } from '../../testing/fixture-items.ts';
import { createTestPerson, createTestStaff, findDepartment, signInForTest, type TestSession } from '../../testing/fixture-accounts.ts';
import type { FormDefinition } from '../forms/form.types.ts';
import { chinaToday, getWorkingCalendar } from '../calendar/working-calendar.ts';
import { listTransferTargets } from './list-transfer-targets.ts';

const SIMPLE_FORM: FormDefinition = { steps: [{ key: 'a', title: '申请信息', fields: [{ key: 'note', label: '备注', type: 'text' }] }] };

let t: TestApp;
let foodCode: string;
let departmentId: number;
let applicant: TestSession;
let clerk: TestSession;
let seq = 0;

before(async () => {
  t = await createTestApp(FIXTURE_ITEMS, FIXTURE_REGIONS);
  const food = await t.database.db
    .selectFrom('impl_items as i')
    .innerJoin('impl_item_versions as v', (j) => j.onRef('v.item_code', '=', 'i.code').onRef('v.version', '=', 'i.published_version'))
    .select(['i.code', 'i.department_id', 'v.id'])
    .where('v.name', '=', '食品经营许可（新办）')
    .where('i.region_code', '=', '330106')
    .executeTakeFirstOrThrow();
  foodCode = food.code;
  departmentId = food.department_id;
  await t.database.db.updateTable('impl_item_versions').set({ form: JSON.stringify(SIMPLE_FORM) }).where('id', '=', food.id).execute();
  await t.database.db.updateTable('item_materials').set({ required: false }).where('version_id', '=', food.id).execute();
  const person = await createTestPerson(t.database.db, { name: '周申请' });
  applicant = await signInForTest(t.app, { kind: 'person', identifier: person.mobile });
  await createTestStaff(t.database.db, { staffNo: 'T0001', departmentId, roles: [{ role: 'window_clerk' }] });
  clerk = await signInForTest(t.app, { kind: 'staff', identifier: 'T0001' });
});

after(async () => {
  await t?.close();
});

const act = (s: TestSession, number: string, body: Record<string, unknown>) => t.app.inject({ method: 'POST', url: `/api/v1/applications/${number}/actions`, headers: s.headers, payload: body });
const detail = async (s: TestSession, number: string) => (await t.app.inject({ url: `/api/v1/applications/${number}`, headers: s.headers })).json();

async function newApplication(): Promise<string> {
  seq++;
  const r = await t.app.inject({ method: 'POST', url: '/api/v1/applications', headers: applicant.headers, payload: { itemCode: foodCode, idempotencyKey: `act-test-${seq}-0000`, formData: {} } });
  assert.equal(r.statusCode, 201, r.body);
  return r.json().number;
}

test('transfer: only to a department of this region or a region above, as the page offers; not to another city', async () => {
  const number = await newApplication();
  const offered = await listTransferTargets(t.database.db, departmentId, t.ctx.regions);
  const wenzhou = await findDepartment(t.database.db, { regionCode: '330302' });
  assert.ok(!offered.some((d) => d.id === wenzhou.id), 'the page does not offer another city');
  let d = await detail(clerk, number);
  const far = await act(clerk, number, { action: 'transfer', version: d.version, comment: '不属本部门职权', targetDepartmentId: wenzhou.id });
  assert.equal(far.statusCode, 400, far.body);
  assert.equal(far.json().error.field, 'targetDepartmentId');
  const county = await findDepartment(t.database.db, { regionCode: '330122' }); // 桐庐县: same city, not above
  assert.ok(!offered.some((o) => o.id === county.id));
  assert.equal((await act(clerk, number, { action: 'transfer', version: d.version, comment: '不属本部门职权', targetDepartmentId: county.id })).statusCode, 400);
  d = await detail(clerk, number);
  assert.equal(d.department.id, departmentId, 'nothing moved');

  const city = await t.database.db.selectFrom('departments').select('id').where('region_code', '=', '330100').orderBy('id').executeTakeFirstOrThrow();
  assert.ok(offered.some((o) => o.id === city.id), 'a department of the city above is offered');
  const ok = await act(clerk, number, { action: 'transfer', version: d.version, comment: '不属本部门职权', targetDepartmentId: city.id });
  assert.equal(ok.statusCode, 200, ok.body);
});

test('补正 is refused after the acceptance period; a late acceptance runs the limits from receipt (Art. 32)', async () => {
  const cal = await getWorkingCalendar(t.database.db);
  const today = chinaToday();
  const received = new Date(Date.parse(`${today}T00:00:00Z`) - 30 * 86_400_000).toISOString().slice(0, 10);
  assert.ok(cal.addWorkingDays(received, 5) < today);
  const number = await newApplication();
  await t.database.db.updateTable('applications').set({ clock_started_on: received, state_due_on: cal.addWorkingDays(received, 5) }).where('number', '=', number).execute();
  let d = await detail(clerk, number);
  const ask = await act(clerk, number, { action: 'request_supplement', version: d.version, comment: '请补正', supplementItems: [{ field: 'note', label: '备注', reason: '请写明' }] });
  assert.equal(ask.statusCode, 409, ask.body);
  assert.equal(ask.json().error.field, 'action');
  assert.match(ask.json().error.message, /受理期限/);

  const accept = await act(clerk, number, { action: 'accept', version: d.version });
  assert.equal(accept.statusCode, 200, accept.body);
  d = await detail(clerk, number);
  assert.equal(d.clock.legalDueOn, cal.addWorkingDays(received, 20), 'the legal limit runs from receipt');
  assert.equal(d.clock.promisedDueOn, cal.addWorkingDays(received, 5), 'the promised limit too');
  assert.equal(d.clock.dueOn, d.clock.promisedDueOn);
  assert.equal(d.timeline.at(-1).details.deemedAcceptedOn, received);

  // in time: the limits run from the acceptance day, and 补正 may still be asked
  const onTime = await newApplication();
  const o = await detail(clerk, onTime);
  assert.equal((await act(clerk, onTime, { action: 'accept', version: o.version })).statusCode, 200);
  const accepted = await detail(clerk, onTime);
  assert.equal(accepted.clock.legalDueOn, cal.addWorkingDays(today, 20));
  const other = await newApplication();
  const x = await detail(clerk, other);
  const inTime = await act(clerk, other, { action: 'request_supplement', version: x.version, comment: '请补正', supplementItems: [{ field: 'note', label: '备注', reason: '请写明' }] });
  assert.equal(inTime.statusCode, 200, inTime.body);
});

test('inbox: a cursor the inbox did not make is a 400 naming `after`, not a database error', async () => {
  await newApplication();
  await newApplication();
  const cursor = (s: string) => Buffer.from(s).toString('base64url');
  const inbox = (after?: string) => t.app.inject({ url: `/api/v1/staff/inbox?limit=1${after === undefined ? '' : `&after=${after}`}`, headers: clerk.headers });
  const first = await inbox();
  assert.equal(first.statusCode, 200, first.body);
  const next = first.json().next;
  assert.ok(next);
  assert.equal((await inbox(next)).statusCode, 200, 'a cursor the inbox made');
  for (const bad of ['2026-01-01|1e30', '|99999999999999999999', '2026-01-01|9007199254740993', '2026-01-01|-1', '2026-02-30|1', 'x|1', '2026-01-01|1|2', '']) {
    const r = await inbox(cursor(bad) || 'AA');
    assert.equal(r.statusCode, 400, `${bad}: ${r.body}`);
    assert.equal(r.json().error.field, 'after');
  }
});
