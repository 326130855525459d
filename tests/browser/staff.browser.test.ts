/**
 * The staff workbench in a real browser with JavaScript switched off: a window clerk signs in and sees only
 * their department's items; a department administrator creates a staff account and finds it in the audit
 * log. axe finds no serious or critical WCAG 2.1 AA violations on the workbench and the audit page.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { BrowserContext, Page } from 'playwright-core';
import { createTestApp } from '../../src/testing/test-app.ts';
import { FIXTURE_ITEMS, FIXTURE_REGIONS } from '../../src/testing/fixture-items.ts';
import { createTestStaff, findDepartment, TEST_PASSWORD } from '../../src/testing/fixture-accounts.ts';
import { expectAccessibleAgain, newFlowContext, useBrowserRig } from './browser-kit.ts';

const codes: Record<string, string> = {};
let clerkDepartment = '';

const rig = useBrowserRig(
  () => createTestApp(FIXTURE_ITEMS, FIXTURE_REGIONS),
  async (t) => {
    const db = t.database.db;
    const civXH = await findDepartment(db, { regionCode: '330106', kind: 'civil_affairs' });
    const civTL = await findDepartment(db, { regionCode: '330122', kind: 'civil_affairs' });
    const psXH = await findDepartment(db, { regionCode: '330106', kind: 'public_security' });
    clerkDepartment = civXH.name;
    for (const [k, dept] of Object.entries({ own: civXH, otherRegion: civTL, otherDepartment: psXH })) {
      codes[k] = (await db.selectFrom('impl_items').select('code').where('department_id', '=', dept.id).executeTakeFirstOrThrow()).code;
    }
    await createTestStaff(db, { staffNo: 'BCLK01', departmentId: civXH.id, roles: [{ role: 'window_clerk' }], name: '周窗口' });
    await createTestStaff(db, { staffNo: 'BADM01', departmentId: civXH.id, roles: [{ role: 'department_admin' }], name: '吴管理' });
  },
);

/** A context without JavaScript, signed in as a staff member through the sign-in page (or the API, if there is no page). */
async function signedIn(staffNo: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await newFlowContext(rig.browser);
  const page = await context.newPage();
  const login = await page.goto(`${rig.base}/login?kind=staff`);
  if (login?.status() === 200) {
    await page.getByLabel('工号').fill(staffNo);
    await page.locator('#f-password').fill(TEST_PASSWORD);
    await Promise.all([page.waitForURL(/\/admin$/), page.getByRole('button', { name: '登录', exact: true }).click()]);
  } else {
    const res = await context.request.post(`${rig.base}/api/v1/auth/login`, { data: { kind: 'staff', identifier: staffNo, password: TEST_PASSWORD } });
    assert.equal(res.status(), 200, await res.text());
    await page.goto(`${rig.base}/admin`);
  }
  return { context, page };
}

/** axe on the page reached without JavaScript, loaded again with its cookies where axe can run. */
const assertAccessible = (context: BrowserContext, url: string, label: string) => expectAccessibleAgain(rig.measure, context, url, label);

test('a window clerk signs in and the workbench shows only their department', async () => {
  const { context, page } = await signedIn('BCLK01');
  assert.match(await page.title(), /工作台/);
  assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), '工作台');
  const me = await page.locator('section[aria-labelledby="h-me"]').innerText();
  assert.match(me, /周窗口/);
  assert.match(me, /BCLK01/);
  assert.ok(me.includes(clerkDepartment));
  assert.match(me, /窗口受理/);

  const rows = page.locator('table.admin-items tbody tr');
  assert.equal(await rows.count(), 1, 'one item: the department’s own');
  assert.ok((await rows.first().innerText()).includes(codes.own!));
  const body = await page.content();
  assert.ok(!body.includes(codes.otherRegion!), 'not 桐庐县民政局’s item');
  assert.ok(!body.includes(codes.otherDepartment!), 'not 西湖区公安分局’s item');
  assert.equal(await page.getByRole('link', { name: '工作人员管理' }).count(), 0, 'no administration for a clerk');
  await assertAccessible(context, page.url(), 'the workbench');

  await Promise.all([page.waitForURL(/\/admin\/items\//), rows.first().getByRole('link', { name: /指南维护/ }).click()]);
  assert.match(await page.locator('h1').innerText(), /指南维护/);
  assert.equal(await page.locator(`form[action="/admin/items/${codes.own}/versions"]`).count(), 0, 'a clerk reads, and does not edit');

  const refused = await page.goto(`${rig.base}/admin/items/${codes.otherRegion}`);
  assert.equal(refused?.status(), 403, 'another region’s item is refused');
  assert.equal((await page.goto(`${rig.base}/admin/audit`))?.status(), 403);
  await context.close();
});

test('a department administrator creates a staff account and finds it in the audit log', async () => {
  const { context, page } = await signedIn('BADM01');
  await Promise.all([page.waitForURL(/\/admin\/staff\/new$/), page.getByRole('link', { name: '新增工作人员' }).click()]);
  await page.getByLabel('工号').fill('bnew01');
  await page.getByLabel('姓名').fill('郑新');
  await page.getByLabel('手机号码').fill('13500000001');
  await page.getByLabel('初始密码').fill('short');
  await page.getByRole('button', { name: '创建账号' }).click();
  assert.match(await page.locator('.error-summary').innerText(), /密码/);
  assert.equal(await page.getByLabel('姓名').inputValue(), '郑新', 'what was typed is kept');
  await page.getByLabel('初始密码').fill('Xihu#2026ok');
  await Promise.all([page.waitForURL(/\/admin\/staff\/[0-9a-f-]+\?done=created$/), page.getByRole('button', { name: '创建账号' }).click()]);
  assert.match(await page.locator('.notice').first().innerText(), /已创建/);

  await page.goto(`${rig.base}/admin/audit`);
  await page.getByLabel('事件类型').selectOption('staff.created');
  await Promise.all([page.waitForURL(/action=staff\.created/), page.getByRole('button', { name: '检索' }).click()]);
  const rows = page.locator('table.audit-table tbody tr');
  assert.equal(await rows.count(), 1);
  assert.match(await rows.first().innerText(), /吴管理/);
  await assertAccessible(context, page.url(), 'the audit page');
  await assertAccessible(context, `${rig.base}/admin/staff`, 'the staff list');
  await context.close();
});
