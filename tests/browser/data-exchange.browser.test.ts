/**
 * Issue 6's browser test, in Chromium with JavaScript off: a department requests a shared resource, the
 * providing department approves it, an application's form is filled from the exchange with the applicant's
 * consent (同意并获取: the field filled read-only, the material 免提交), the application goes in without that
 * material's file, and the citizen sees the access — the consuming department and the purpose — in their
 * access record. axe finds no serious or critical WCAG 2.1 AA violation on the consent page and after it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { BrowserContext, Page } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import { createTestApp } from '../../src/testing/test-app.ts';
import { FIXTURE_ITEMS, FIXTURE_REGIONS } from '../../src/testing/fixture-items.ts';
import { createTestPerson, createTestStaff, findDepartment, residentId } from '../../src/testing/fixture-accounts.ts';
import { createTestResource } from '../../src/testing/fixture-data.ts';
import { FIXTURE_DRIVING_LICENCE_CODE } from '../../src/modules/forms/fixture-forms.ts';
import { samplePdf } from '../../src/modules/attachments/sample-files.ts';
import type { DataItem } from '../../src/db/schema.ts';
import { expectAccessibleAgain, openAgain, press, signInWithPage, useBrowserRig } from './browser-kit.ts';

const RESOURCE = 'GA-JSR-BROWSER';
const citizen = { name: '周晓雯', idNumber: residentId('330106', '19900307', 527), mobile: '' };
const DRIVER_ITEMS: DataItem[] = [
  { key: 'id_number', name: '公民身份号码', type: 'resident_id', required: true, personal: true, mask: 'resident_id' },
  { key: 'name', name: '姓名', type: 'text', required: true, personal: true, mask: 'name' },
  { key: 'archive_no', name: '档案编号', type: 'text', required: true, personal: false },
  { key: 'valid_to', name: '有效期至', type: 'date', required: true, personal: false },
];
let itemCode = '';
let consumer = { id: 0, name: '' };
let provider = { id: 0, name: '' };

const rig = useBrowserRig(
  () => createTestApp(FIXTURE_ITEMS, FIXTURE_REGIONS),
  async (t) => {
    const db = t.database.db;
    citizen.mobile = (await createTestPerson(db, { name: citizen.name, idNumber: citizen.idNumber })).mobile;
    // the service: 机动车驾驶证期满换证 in 西湖区, handled by the district's public security bureau (the consumer)
    const impl = await db
      .selectFrom('impl_items as i')
      .innerJoin('departments as d', 'd.id', 'i.department_id')
      .select(['i.code', 'd.id', 'd.name'])
      .where('i.basic_code', '=', FIXTURE_DRIVING_LICENCE_CODE)
      .where('i.region_code', '=', '330106')
      .executeTakeFirstOrThrow();
    itemCode = impl.code;
    consumer = { id: impl.id, name: impl.name };
    // the provider: the city's public security bureau, sharing its drivers' register on conditions
    const city = await findDepartment(db, { regionCode: '330100', kind: 'public_security' });
    provider = { id: city.id, name: city.name };
    const resource = await createTestResource(db, {
      code: RESOURCE,
      name: '机动车驾驶人信息',
      providerDepartmentId: provider.id,
      shareType: 'conditional',
      items: DRIVER_ITEMS,
      records: [
        { id_number: citizen.idNumber, name: citizen.name, archive_no: '330100654321', valid_to: '2027-03-31' },
        { id_number: residentId('330106', '19850101', 11), name: '别人', archive_no: '330100000001', valid_to: '2026-12-31' },
      ],
    });
    // the item declares the licence fields and the ID card material as obtainable from it (no grant yet)
    await db
      .insertInto('item_data_sources')
      .values([
        { item_code: itemCode, target: 'field', target_key: 'archiveNo', resource_id: resource.id, subject: 'person', data_item: 'archive_no', label: '驾驶证信息' },
        { item_code: itemCode, target: 'field', target_key: 'expiryDate', resource_id: resource.id, subject: 'person', data_item: 'valid_to', label: '驾驶证信息' },
        { item_code: itemCode, target: 'material', target_key: 'm1', resource_id: resource.id, subject: 'person', data_item: null, label: '居民身份证信息' },
      ])
      .execute();
    await createTestStaff(db, { staffNo: 'DX0001', departmentId: consumer.id, roles: [{ role: 'data_steward' }], name: '吴数据' });
    await createTestStaff(db, { staffNo: 'DX0002', departmentId: provider.id, roles: [{ role: 'data_steward' }], name: '郑共享' });
  },
);

const mainText = (page: Page) => page.locator('main').innerText();
const accessible = (flow: BrowserContext, url: string, label: string) => expectAccessibleAgain(rig.measure, flow, url, label);

/** axe on a form step, which carries the optional form script (the kit's check wants pages without scripts). */
async function accessibleWithScript(flow: BrowserContext, url: string, label: string): Promise<void> {
  const page = await openAgain(rig.measure, flow, url);
  try {
    assert.equal(new URL(page.url()).pathname, new URL(url).pathname, `${label}: the same page loads again`);
    const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
    const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    assert.deepEqual(bad.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')})`), [], `axe on ${label}`);
  } finally {
    await page.close();
  }
}

test('a department requests a resource, the provider approves, the form is filled from the exchange, and the citizen sees the access', async () => {
  const db = rig.t.database.db;

  // 1. the consuming department's data steward asks for the items the service needs
  const asker = await signInWithPage(rig, 'staff', 'DX0001');
  await asker.page.goto(`${rig.base}/admin/data/requests/new?resource=${RESOURCE}`);
  for (const key of ['id_number', 'archive_no', 'valid_to']) await asker.page.locator(`input[name="items"][value="${key}"]`).check();
  await asker.page.locator('textarea[name="purpose"]').fill('办理机动车驾驶证期满换证时获取驾驶证信息，免于申请人填写和提交');
  await asker.page.locator('textarea[name="legalBasis"]').fill('《政务数据共享条例》；《国务院关于在线政务服务的若干规定》');
  await asker.page.locator('textarea[name="scenario"]').fill('机动车驾驶证期满换证（免提交）');
  await asker.page.locator('input[name="itemCode"]').fill(itemCode);
  await asker.page.locator('input[name="durationDays"]').fill('365');
  await press(asker.page, asker.page.getByRole('button', { name: '提交申请' }), /\/admin\/data\/requests\/\d+/);
  const requestId = Number(new URL(asker.page.url()).pathname.split('/').pop());
  assert.match(await mainText(asker.page), /待.*答复|已提交/);
  const pending = await db.selectFrom('share_requests').select(['status', 'consumer_department_id']).where('id', '=', requestId).executeTakeFirstOrThrow();
  assert.equal(pending.status, 'pending', 'a conditional share waits for the provider');
  assert.equal(pending.consumer_department_id, consumer.id);
  await asker.context.close();

  // 2. the provider's data steward finds it among the requests to answer and approves it
  const reviewer = await signInWithPage(rig, 'staff', 'DX0002');
  await reviewer.page.goto(`${rig.base}/admin/data/reviews`);
  await press(reviewer.page, reviewer.page.getByRole('link', { name: `第 ${requestId} 号` }), new RegExp(`/admin/data/requests/${requestId}`));
  await press(reviewer.page, reviewer.page.getByRole('button', { name: '同意共享' }));
  const granted = await db.selectFrom('share_requests').select(['status', 'grant_id']).where('id', '=', requestId).executeTakeFirstOrThrow();
  assert.equal(granted.status, 'granted');
  const grant = await db.selectFrom('share_grants').select(['consumer_department_id', 'items', 'status']).where('id', '=', granted.grant_id!).executeTakeFirstOrThrow();
  assert.equal(grant.consumer_department_id, consumer.id);
  assert.equal(grant.status, 'active');
  assert.ok(grant.items.includes('archive_no') && grant.items.includes('valid_to'));
  await reviewer.context.close();

  // 3. the citizen starts the application, reads what can be obtained by sharing, and consents
  const me = await signInWithPage(rig, 'person', citizen.mobile);
  await me.page.goto(`${rig.base}/apply/${itemCode}`);
  assert.match(new URL(me.page.url()).pathname, /\/step\/applicant$/);
  const before = await mainText(me.page);
  assert.match(before, /以下信息可由本平台通过政务数据共享获取，无需您填写或提交：驾驶证信息（[^）]+）/);
  assert.match(before, new RegExp(`同意后由${consumer.name}依据共享授权获取`));
  assert.equal(await me.page.locator('#f-archiveNo').inputValue(), '');
  await accessibleWithScript(me.context, me.page.url(), 'consent block on the apply page');
  await press(me.page, me.page.getByRole('button', { name: '同意并获取' }), /done=shared/);

  // the fields are filled, read-only, with their source; the ID card is 免提交
  assert.equal(await me.page.locator('#f-archiveNo').inputValue(), '330100654321');
  assert.equal(await me.page.locator('#f-expiryDate').inputValue(), '2027-03-31');
  assert.equal(await me.page.locator('#f-archiveNo').getAttribute('readonly'), '');
  const after = await mainText(me.page);
  assert.match(after, new RegExp(`由${provider.name}通过政务数据共享提供（机动车驾驶人信息，数据版本 1）`));
  assert.match(after, /材料“居民身份证”：\s*已通过共享获取（免提交）/);
  await accessibleWithScript(me.context, me.page.url(), 'apply page after consent');

  // on through the form: the material page asks only for the health certificate
  await press(me.page, me.page.getByRole('button', { name: '下一步' }).last(), /\/step\/delivery$/);
  await me.page.getByLabel('领取方式').selectOption('window');
  await press(me.page, me.page.getByRole('button', { name: '下一步' }).last(), /\/materials$/);
  assert.match(await mainText(me.page), /居民身份证\s*已通过共享获取（免提交）/);
  assert.equal(await me.page.locator('#file-m1').count(), 0, 'no upload asked for the exempted material');
  await accessible(me.context, me.page.url(), 'materials page with an exempted material');
  await me.page.locator('#file-m2').setInputFiles({ name: '体检证明.pdf', mimeType: 'application/pdf', buffer: await samplePdf('health') });
  await press(me.page, me.page.getByRole('button', { name: /^上传/ }), /done=uploaded/);
  await press(me.page, me.page.getByRole('button', { name: '下一步：确认提交' }), /\/review$/);
  assert.match(await mainText(me.page), /居民身份证\s*已通过共享获取（免提交）/);
  await press(me.page, me.page.getByRole('button', { name: '提交申请' }), /\/my\/applications\/[0-9-]+/);
  const number = new URL(me.page.url()).pathname.split('/').pop()!;
  const linked = await db.selectFrom('audit_events').select('details').where('action', '=', 'exchange.case_linked').where('target_id', '=', number).executeTakeFirst();
  assert.ok(linked, 'the accesses are linked to the application number');

  // 4. the citizen's access record: the consuming department read their data, for this purpose
  await me.page.goto(`${rig.base}/me/access-log`);
  const log = await mainText(me.page);
  assert.match(log, new RegExp(consumer.name));
  assert.match(log, /办理机动车驾驶证期满换证（免提交）/);
  assert.match(log, /机动车驾驶人信息/);
  await accessible(me.context, me.page.url(), 'access record');
  await me.context.close();
});
