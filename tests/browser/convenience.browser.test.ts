/**
 * Issue 5's browser test, in Chromium with JavaScript off: two people book a marriage-registration appointment
 * together (one books and names the other, who signs in and confirms), and the clerk of the registration office
 * checks them in by the booking code; a candidate is refused a score query before the release time and finds
 * the score after it. axe finds no serious or critical WCAG 2.1 AA violation on the pages on the way, and
 * they fit a 375 px phone screen.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { BrowserContext, Page } from 'playwright-core';
import { createTestApp } from '../../src/testing/test-app.ts';
import { FIXTURE_ITEMS, FIXTURE_REGIONS } from '../../src/testing/fixture-items.ts';
import { createTestPerson, createTestStaff, findDepartment, residentId } from '../../src/testing/fixture-accounts.ts';
import { createTestService } from '../../src/modules/appointments/appointment-fixtures.ts';
import { chinaClock } from '../../src/modules/appointments/appointment-time.ts';
import { keyHash, newSalt, normalizeKeyValue } from '../../src/modules/result-sets/result-keys.ts';
import { maskIdNumber } from '../../src/modules/results/masking.ts';
import { expectAccessibleAgain, expectFitsPhoneScreen, newFlowContext, useBrowserRig, press, signInWithPage } from './browser-kit.ts';

const groom = { name: '陈明', idNumber: residentId('330106', '19950412', 611), mobile: '' };
const bride = { name: '林晓', idNumber: residentId('330106', '19960923', 622), mobile: '' };
const candidate = { name: '王子涵', examNo: '26330106000123', idNumber: residentId('330106', '20080516', 633) };
const SERVICE = 'browser-marriage';
const SET = 'browser-gaokao';
let releaseAt = new Date();

const rig = useBrowserRig(
  () => createTestApp(FIXTURE_ITEMS, FIXTURE_REGIONS),
  async (t) => {
    const db = t.database.db;
    groom.mobile = (await createTestPerson(db, { name: groom.name, idNumber: groom.idNumber })).mobile;
    bride.mobile = (await createTestPerson(db, { name: bride.name, idNumber: bride.idNumber })).mobile;
    const civil = await findDepartment(db, { regionCode: '330106', kind: 'civil_affairs' });
    // a registration office open every day in 15-minute slots, so that a slot later today exists whenever the test runs
    await createTestService(db, {
      code: SERVICE,
      kind: 'marriage',
      name: '西湖区婚姻登记处（结婚登记）',
      department_id: civil.id,
      parties: 2,
      open_days: 'every',
      sessions: [{ start: '00:00', end: '23:45' }],
      slot_minutes: 15,
      capacity: 2,
      window_days: 7,
      opens_at: '00:00',
      hold_minutes: 30,
      cancel_hours: 0,
    });
    await createTestStaff(db, { staffNo: 'BC0001', departmentId: civil.id, roles: [{ role: 'window_clerk' }], name: '周登记' });

    // a score set released a few seconds after the test starts
    const edu = await findDepartment(db, { regionCode: '330000', kind: 'education' });
    const salt = newSalt();
    releaseAt = new Date(Date.now() + 3_600_000); // moved to a few seconds ahead when the candidate's test starts
    const set = await db
      .insertInto('result_sets')
      .values({
        code: SET,
        title: '2026年普通高考成绩',
        department_id: edu.id,
        columns: JSON.stringify([
          { key: 'exam_no', label: '考生号', type: 'text', required: true },
          { key: 'id_number', label: '身份证号', type: 'id_number', required: true },
          { key: 'name', label: '姓名', type: 'text', required: true },
          { key: 'total', label: '总分', type: 'integer', required: true },
        ]),
        key_columns: JSON.stringify(['exam_no', 'id_number']),
        release_at: releaseAt,
        status: 'published',
        salt,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const load = await db
      .insertInto('result_loads')
      .values({ set_id: set.id, status: 'ready', file_name: 'scores.csv', file_key: 'test/none', file_bytes: 0, format: 'csv' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const hash = keyHash(salt, [normalizeKeyValue({ type: 'text' }, candidate.examNo), normalizeKeyValue({ type: 'id_number' }, candidate.idNumber)]);
    const data = JSON.stringify({ exam_no: candidate.examNo, id_number: maskIdNumber(candidate.idNumber), name: candidate.name, total: 627 });
    await db.insertInto('result_rows').values({ load_id: load.id, key_hash: hash, data }).execute();
    await db.updateTable('result_sets').set({ active_load_id: load.id }).where('id', '=', set.id).execute();
    await t.ctx.resultSets.refreshNow();
  },
);

const signIn = (kind: 'person' | 'staff', identifier: string) => signInWithPage(rig, kind, identifier);


const mainText = (page: Page) => page.locator('main').innerText();

test('two people book a marriage registration together and the clerk checks them in', async () => {
  const now = chinaClock(new Date());
  // the slot: the next one today (after 23:30 China time none is left today: then tomorrow's first, moved to today below)
  const today = now.day;

  const a = await signIn('person', groom.mobile);
  await a.page.goto(`${rig.base}/appointments`);
  await press(a.page, a.page.getByRole('link', { name: /西湖区婚姻登记处/ }));
  await accessible(a.context, a.page.url(), 'service page');
  const dayLink = a.page.getByRole('link', { name: /选择时段/ }).first();
  await press(a.page, dayLink);
  const day = new URL(a.page.url()).pathname.split('/').pop()!;
  await a.page.locator('input[type=radio][name=startsAt]').first().check();
  await a.page.getByLabel('另一方姓名').fill(bride.name);
  await a.page.getByLabel('另一方身份证号').fill(bride.idNumber);
  await accessible(a.context, a.page.url(), 'day page');
  await press(a.page, a.page.getByRole('button', { name: '提交预约' }), /\/me\/appointments\/[A-Z0-9]{10}/);
  const code = new URL(a.page.url()).pathname.split('/').pop()!;
  assert.match(await mainText(a.page), /等待.*确认|待确认/, 'the place is held until the other party confirms');

  // the other party signs in, finds the booking awaiting her and confirms
  const b = await signIn('person', bride.mobile);
  await b.page.goto(`${rig.base}/me/appointments`);
  assert.match(await mainText(b.page), new RegExp(code));
  await press(b.page, b.page.getByRole('button', { name: /^确认预约：/ }).first());
  await b.page.goto(`${rig.base}/me/appointments/${code}`);
  assert.match(await mainText(b.page), /已确认/);
  assert.equal(await b.page.locator('main svg').count(), 1, 'the booking shows its QR code');
  await accessible(b.context, `${rig.base}/me/appointments/${code}`, 'booking page');
  await expectFitsPhoneScreen(rig.browser, rig.base, [`/appointments`, `/appointments/${SERVICE}`]);
  await a.context.close();
  await b.context.close();

  if (day !== today) {
    // only when the test runs in the last half hour of a China day: check-in is allowed on the booking's day only
    await rig.t.database.db.updateTable('appointment_bookings').set({ day: today }).where('code', '=', code).execute();
  }

  // the clerk checks them in by the booking code
  const clerk = await signIn('staff', 'BC0001');
  await clerk.page.goto(`${rig.base}/admin/appointments`);
  await press(clerk.page, clerk.page.getByRole('link', { name: /^今日名单/ }), new RegExp(`/admin/appointments/${SERVICE}/${today}$`));
  await accessible(clerk.context, clerk.page.url(), 'day list');
  await clerk.page.getByRole('textbox', { name: '预约码' }).fill(code);
  await press(clerk.page, clerk.page.getByRole('button', { name: '签到', exact: true }).first());
  assert.match(await mainText(clerk.page), /已签到/);
  const row = await rig.t.database.db.selectFrom('appointment_bookings').select(['status', 'checked_in_by']).where('code', '=', code).executeTakeFirstOrThrow();
  assert.equal(row.status, 'checked_in');
  assert.ok(row.checked_in_by);
  await clerk.context.close();
});

test('a candidate is refused before the release time and finds the score after it', async () => {
  releaseAt = new Date(Date.now() + 8_000);
  await rig.t.database.db.updateTable('result_sets').set({ release_at: releaseAt, revision: (eb) => eb('revision', '+', 1) }).where('code', '=', SET).execute();
  await rig.t.ctx.resultSets.refreshNow();
  const context = await newFlowContext(rig.browser);
  const page = await context.newPage();
  await page.goto(`${rig.base}/results`);
  await press(page, page.getByRole('link', { name: '2026年普通高考成绩' }));
  assert.ok(Date.now() < releaseAt.getTime(), 'the test reaches the page before the release time');
  assert.match(await mainText(page), /发布，届时方可查询/);
  // before the release the form is shown disabled; a post made anyway is refused the same way
  const res = await page.request.post(`${rig.base}/api/v1/result-sets/${SET}/query`, { data: { values: { exam_no: candidate.examNo, id_number: candidate.idNumber } } });
  assert.equal(res.status(), 403);
  await accessible(context, page.url(), 'result page before release');

  await new Promise((r) => setTimeout(r, Math.max(0, releaseAt.getTime() - Date.now() + 200)));
  await page.goto(`${rig.base}/results/${SET}`);
  await page.getByLabel('考生号').fill(candidate.examNo);
  await page.getByLabel('身份证号').fill(candidate.idNumber);
  await press(page, page.getByRole('button', { name: '查询' }));
  const text = await mainText(page);
  assert.match(text, /查询结果/);
  assert.match(text, /627/);
  assert.match(text, /王子涵/);
  assert.doesNotMatch(text, new RegExp(candidate.idNumber), 'the ID number is shown masked');

  // a wrong ID number for the same 考生号 finds nothing
  await page.getByLabel('身份证号').fill(residentId('330106', '20080516', 634));
  await press(page, page.getByRole('button', { name: '查询' }));
  assert.match(await mainText(page), /未查询到结果/);
  await context.close();
});

const accessible = (context: BrowserContext, url: string, label: string) => expectAccessibleAgain(rig.measure, context, url, label);
