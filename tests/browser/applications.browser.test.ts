/**
 * Issue 4's browser test, in Chromium with JavaScript off: an enterprise applies online for a food business
 * licence with attachments (its legal representative registers it and authorises an agent, who acts for it),
 * the window clerk asks for 补正, the applicant supplements, the reviewer passes it and the approver approves;
 * the applicant downloads the licence (a PDF), verifies its code on /verify and rates the service. axe finds no
 * serious or critical WCAG 2.1 AA violation on the pages on the way, and they fit a 375 px phone screen.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import type { BrowserContext, Page } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import { createTestApp } from '../../src/testing/test-app.ts';
import { FIXTURE_ITEMS, FIXTURE_REGIONS } from '../../src/testing/fixture-items.ts';
import { createTestPerson, createTestStaff, residentId } from '../../src/testing/fixture-accounts.ts';
import { creditCodeCheckChar } from '../../src/shared/codes/credit-code.ts';
import { FIXTURE_FOOD_LICENCE_CODE } from '../../src/modules/forms/fixture-forms.ts';
import { samplePdf, samplePng } from '../../src/modules/attachments/sample-files.ts';
import { expectAccessibleAgain, expectFitsPhoneScreen, newFlowContext, openAgain, useBrowserRig, press, signInWithPage } from './browser-kit.ts';

const ENTERPRISE = '杭州西湖好味道餐饮有限公司';
const CREDIT_CODE = (() => {
  const first17 = '91330106MA2H7K3P0';
  return first17 + creditCodeCheckChar(first17);
})();

const people = { rep: { mobile: '', name: '王法人', idNumber: residentId('330106', '19800315', 521) }, agent: { mobile: '', name: '李经办', idNumber: residentId('330106', '19920620', 532) } };
let itemCode = '';

const rig = useBrowserRig(
  () => createTestApp(FIXTURE_ITEMS, FIXTURE_REGIONS),
  async (t) => {
    const db = t.database.db;
    const item = await db.selectFrom('impl_items').select(['code', 'department_id']).where('basic_code', '=', FIXTURE_FOOD_LICENCE_CODE).where('region_code', '=', '330106').executeTakeFirstOrThrow();
    itemCode = item.code;
    people.rep.mobile = (await createTestPerson(db, { name: people.rep.name, idNumber: people.rep.idNumber })).mobile;
    people.agent.mobile = (await createTestPerson(db, { name: people.agent.name, idNumber: people.agent.idNumber })).mobile;
    await createTestStaff(db, { staffNo: 'BA0001', departmentId: item.department_id, roles: [{ role: 'window_clerk' }], name: '陈受理' });
    await createTestStaff(db, { staffNo: 'BA0002', departmentId: item.department_id, roles: [{ role: 'reviewer' }], name: '刘审查' });
    await createTestStaff(db, { staffNo: 'BA0003', departmentId: item.department_id, roles: [{ role: 'approver' }], name: '赵审批' });
  },
);

const signIn = (kind: 'person' | 'staff', identifier: string) => signInWithPage(rig, kind, identifier);


/** axe on a page that carries the optional form script (the kit's check wants pages without scripts). */
async function accessibleWithScript(context: BrowserContext, url: string, label: string): Promise<void> {
  const page = await openAgain(rig.measure, context, url);
  try {
    assert.equal(new URL(page.url()).pathname, new URL(url).pathname, `${label}: the same page loads again`);
    const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
    const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    assert.deepEqual(bad.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')})`), [], `axe on ${label}`);
  } finally {
    await page.close();
  }
}

/** What sticks out of the screen, for the failure message. */
const WIDEST = `[...document.querySelectorAll('main *')].filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1).slice(-3).map((e) => e.tagName.toLowerCase() + '.' + e.className + ': ' + (e.textContent || '').slice(0, 40)).join('; ') || 'something outside main'`;

/** Each path fits a 375 px wide phone screen, seen with `context`'s session. */
async function fitsPhone(context: BrowserContext, paths: string[]): Promise<void> {
  const phone = await rig.browser.newContext({ viewport: { width: 375, height: 740 }, locale: 'zh-CN', javaScriptEnabled: false });
  try {
    await phone.addCookies(await context.cookies());
    const page = await phone.newPage();
    for (const path of paths) {
      await page.goto(rig.base + path);
      assert.equal(new URL(page.url()).pathname, path.split('?')[0], `${path} loads`);
      const [scroll, width] = [await page.evaluate('document.documentElement.scrollWidth'), await page.evaluate('window.innerWidth')];
      const wide = Number(scroll) > Number(width) + 1 ? String(await page.evaluate(WIDEST)) : '';
      assert.equal(wide, '', `${path}: page ${scroll}px wide on a ${width}px screen`);
    }
  } finally {
    await phone.close();
  }
}

const accessible = (context: BrowserContext, url: string, label: string) => expectAccessibleAgain(rig.measure, context, url, label);

let number = '';
let agent: { context: BrowserContext; page: Page };

test('an enterprise applies for a food business licence with attachments, through its agent', async () => {
  // the legal representative registers the enterprise and authorises an agent (经办人)
  const rep = await signIn('person', people.rep.mobile);
  await rep.page.goto(`${rig.base}/me/delegations`);
  await rep.page.locator('#f-creditCode').fill(CREDIT_CODE);
  await rep.page.locator('#f-enterpriseName').fill(ENTERPRISE);
  await press(rep.page, rep.page.getByRole('button', { name: '登记企业' }), /done=enterprise/);
  await rep.page.locator('#f-eAgentName').fill(people.agent.name);
  await rep.page.locator('#f-eAgentIdNumber').fill(people.agent.idNumber);
  await rep.page.locator('#f-eValidUntil').fill(new Date(Date.now() + 90 * 86_400_000).toISOString().slice(0, 10));
  await press(rep.page, rep.page.getByRole('button', { name: '授权经办人' }), /done=enterprise_granted/);
  await rep.context.close();

  // the agent starts acting for the enterprise and begins from 我的办件
  agent = await signIn('person', people.agent.mobile);
  const page = agent.page;
  await page.goto(`${rig.base}/me/delegations`);
  await press(page, page.getByRole('button', { name: `开始代办：代${ENTERPRISE}办理` }), /done=acting/);
  await page.goto(`${rig.base}/my/applications`);
  await accessible(agent.context, page.url(), 'my applications (empty)');
  await press(page, page.getByRole('link', { name: '开始新的申请' }), /\/apply$/);
  await press(page, page.locator(`a[href="/apply/${itemCode}"]`).first(), /\/step\/subject$/);

  // step 1, prefilled from the enterprise; a mistake first, shown beside its field
  assert.match(await page.locator('h1').innerText(), /在线申请：食品经营许可（新办）/);
  assert.match(await page.locator('.acting-banner').innerText(), new RegExp(`代 ${ENTERPRISE}`));
  assert.equal(await page.getByLabel(/^经营者名称/).inputValue(), ENTERPRISE);
  assert.equal(await page.getByLabel(/^统一社会信用代码/).inputValue(), CREDIT_CODE);
  assert.equal(await page.getByLabel(/^法定代表人/).inputValue(), people.rep.name);
  await accessibleWithScript(agent.context, page.url(), 'the first step');
  await page.getByLabel('所在区县').selectOption('330106');
  await press(page, page.getByRole('button', { name: '下一步', exact: true }));
  assert.match(await page.locator('.error-summary').innerText(), /经营场所/);
  assert.equal(await page.getByLabel('详细地址（街道、门牌号）').getAttribute('aria-invalid'), 'true');
  await page.getByLabel('详细地址（街道、门牌号）').fill('文三路 100 号 1 楼');
  await press(page, page.getByRole('button', { name: '下一步', exact: true }), /\/step\/business$/);

  // step 2: saved as a draft half-way, resumed from 我的办件
  await page.getByLabel(/^主体业态/).selectOption({ label: '餐饮服务经营者' });
  await page.getByLabel('热食类食品制售').check();
  await page.getByLabel('预包装食品销售').check();
  await press(page, page.getByRole('button', { name: '保存草稿' }), /saved=1/);
  assert.match(await page.locator('.notice').innerText(), /草稿已保存/);
  await page.goto(`${rig.base}/my/applications`);
  await press(page, page.getByRole('link', { name: /^继续填写\s*：食品经营许可（新办）$/ }), /\/step\/business$/);
  assert.ok(await page.getByLabel('热食类食品制售').isChecked(), 'the draft came back');
  await page.getByLabel(/^经营场所面积/).fill('85.5');
  await page.getByLabel(/^就餐座位数/).fill('40');
  await press(page, page.getByRole('button', { name: '下一步', exact: true }), /\/step\/staff$/);

  // step 3: a table, without JavaScript
  await page.getByLabel(/^食品安全员姓名/).fill('张安全');
  await page.locator('#f-staff-0-name').fill('张三');
  await page.locator('#f-staff-0-idNumber').fill('11010519491231002X');
  await page.locator('#f-staff-0-post').selectOption('cook');
  await page.locator('#f-staff-0-healthCertNo').fill('JK2026001');
  await press(page, page.getByRole('button', { name: '下一步', exact: true }), /\/materials$/);

  // materials: a real PDF and PNG per slot
  await accessible(agent.context, page.url(), 'the materials step');
  const files = {
    m1: { name: '食品经营许可申请书.pdf', mimeType: 'application/pdf', buffer: await samplePdf('application form') },
    m2: { name: '营业执照.png', mimeType: 'image/png', buffer: await samplePng('business licence') },
    m3: { name: '布局图.pdf', mimeType: 'application/pdf', buffer: await samplePdf('layout') },
  };
  for (const [slot, file] of Object.entries(files)) {
    await page.locator(`#file-${slot}`).setInputFiles(file);
    await press(page, page.locator(`#slot-${slot}`).getByRole('button', { name: /^上传/ }), /done=uploaded/);
    assert.ok((await page.locator(`#slot-${slot}`).innerText()).includes(file.name));
  }
  await press(page, page.getByRole('button', { name: '下一步：确认提交' }), /\/review$/);

  // review, then submit
  const review = await page.locator('main').innerText();
  assert.ok(review.includes('餐饮服务经营者'));
  assert.ok(review.includes('营业执照.png'));
  assert.ok(review.includes(ENTERPRISE));
  await accessible(agent.context, page.url(), 'the review');
  await press(page, page.getByRole('button', { name: '提交申请' }), /\/my\/applications\/\d{6}-\d{8}-\d{6}\?done=submitted$/);
  number = /\/my\/applications\/([0-9-]+)/.exec(page.url())![1]!;
  assert.match(await page.locator('.notice').first().innerText(), /申请已提交/);
  assert.match(await page.locator('main').innerText(), /待受理/);
  await accessible(agent.context, page.url(), 'the application’s page');
});

test('the clerk asks for 补正 from the inbox', async () => {
  const clerk = await signIn('staff', 'BA0001');
  const page = clerk.page;
  await press(page, page.getByRole('link', { name: '办件待办' }), /\/staff\/applications$/);
  const row = page.locator('table.inbox-table tbody tr', { hasText: number });
  assert.match(await row.innerText(), /待受理/);
  assert.match(await row.innerText(), /正常/);
  await accessible(clerk.context, page.url(), 'the staff inbox');
  await press(page, row.getByRole('link', { name: number }), new RegExp(`/staff/applications/${number}$`));
  assert.equal(await page.locator('img.attachment-preview').count(), 1, 'the PNG is shown');
  assert.equal(await page.locator('a[target="_blank"][href*="?inline=1"]').count() >= 3, true);
  await accessible(clerk.context, page.url(), 'the staff detail');

  const form = page.locator('#action-request_supplement');
  await form.getByLabel('经营设备布局图和操作流程', { exact: true }).check();
  await form.getByLabel('补正原因：经营设备布局图和操作流程').fill('布局图未标明操作流程');
  await form.getByLabel(/^补正告知说明/).fill('请一次性补正以下材料');
  await press(page, form.getByRole('button', { name: '一次性告知补正' }), /done=request_supplement/);
  assert.match(await page.locator('.notice').first().innerText(), /待补正/);
  await clerk.context.close();
});

test('the applicant supplements; the reviewer passes it, the approver approves', async () => {
  const page = agent.page;
  await page.goto(`${rig.base}/my/notifications`);
  await accessible(agent.context, page.url(), 'the messages');
  await press(page, page.getByRole('link', { name: /^查看办件/ }).first(), new RegExp(`/my/applications/${number}$`));
  const section = page.locator('#supplement');
  assert.match(await section.innerText(), /布局图未标明操作流程/);
  assert.match(await page.locator('main').innerText(), /计时已暂停/);
  await accessible(agent.context, page.url(), 'the application waiting for 补正');
  await press(page, section.getByRole('button', { name: '提交补正' }));
  assert.match(await page.locator('.error-summary').innerText(), /请上传补正材料/);
  await page.locator('#supplement-file-m3').setInputFiles({ name: '布局图-含操作流程.pdf', mimeType: 'application/pdf', buffer: await samplePdf('layout with process') });
  await press(page, section.getByRole('button', { name: /^上传/ }), /done=uploaded/);
  await press(page, page.locator('#supplement').getByRole('button', { name: '提交补正' }), /done=supplemented/);
  assert.match(await page.locator('.notice').first().innerText(), /补正已提交/);

  const clerk = await signIn('staff', 'BA0001');
  await clerk.page.goto(`${rig.base}/staff/applications/${number}`);
  await press(clerk.page, clerk.page.locator('#action-accept').getByRole('button', { name: '受理' }), /done=accept/);
  await clerk.context.close();

  const reviewer = await signIn('staff', 'BA0002');
  await reviewer.page.goto(`${rig.base}/staff/applications/${number}`);
  const pass = reviewer.page.locator('#action-pass_review');
  await pass.getByLabel(/^意见/).fill('材料齐全，符合法定条件');
  await press(reviewer.page, pass.getByRole('button', { name: '审查通过，报送决定' }), /done=pass_review/);
  await reviewer.context.close();

  const approver = await signIn('staff', 'BA0003');
  await approver.page.goto(`${rig.base}/staff/applications/${number}`);
  await press(approver.page, approver.page.locator('#action-approve').getByRole('button', { name: '准予许可' }), /done=approve/);
  assert.match(await approver.page.locator('.notice').first().innerText(), /已送达/);
  await approver.context.close();
});

test('the applicant downloads the licence, verifies its code and rates the service', async () => {
  const page = agent.page;
  await page.goto(`${rig.base}/my/applications/${number}`);
  assert.match(await page.locator('#h-result').innerText(), /办理结果/);
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: /^下载.*（PDF）$/ }).click()]);
  const path = await download.path();
  assert.ok(path, 'the file arrived');
  const bytes = await readFile(path);
  assert.equal(bytes.subarray(0, 5).toString('latin1'), '%PDF-', 'a PDF');
  const code = (await page.locator('code.verification-code').innerText()).trim();

  await press(page, page.getByRole('link', { name: '在线核验真伪' }), /\/verify\?code=/);
  const verdict = await page.locator('main').innerText();
  assert.match(verdict, /真实有效/);
  assert.ok(verdict.includes(code));
  assert.ok(verdict.includes('食品经营许可'));

  await page.goto(`${rig.base}/my/applications/${number}`);
  await press(page, page.getByRole('link', { name: '评价本次服务' }), /\/evaluate$/);
  await page.getByLabel('非常满意', { exact: true }).check();
  for (const name of ['overall', 'efficiency', 'guideAccuracy', 'convenience', 'usability']) await page.locator(`select[name="${name}"]`).selectOption('5');
  await press(page, page.getByRole('button', { name: '提交评价' }), /done=1/);
  assert.match(await page.locator('.notice').first().innerText(), /感谢您的评价/);
  await page.goto(`${rig.base}/my/applications/${number}`);
  assert.match(await page.locator('main').innerText(), /您已评价本次服务/);
});

test('anyone looks up the progress with the number and the credit code; the pages fit a phone', async () => {
  const context = await newFlowContext(rig.browser);
  const page = await context.newPage();
  await page.goto(`${rig.base}/progress`);
  await page.getByLabel(/^办件编号/).fill(number);
  await page.getByLabel(/^申请人证件号码/).fill(CREDIT_CODE.slice(0, 17) + (CREDIT_CODE[17] === '0' ? '1' : '0'));
  await press(page, page.getByRole('button', { name: '查询' }));
  assert.match(await page.locator('.error-summary').innerText(), /未查询到办件/);
  await page.getByLabel(/^申请人证件号码/).fill(CREDIT_CODE);
  await press(page, page.getByRole('button', { name: '查询' }));
  const result = await page.locator('.progress-result').innerText();
  assert.match(result, /已送达/);
  assert.ok(!result.includes(ENTERPRISE), 'no name in a public answer');
  await accessible(context, `${rig.base}/progress`, 'the progress lookup');
  await context.close();

  await expectFitsPhoneScreen(rig.browser, rig.base, ['/progress']);
  await fitsPhone(agent.context, ['/my/applications', `/my/applications/${number}`, '/my/notifications', '/apply', `/apply/${itemCode}/step/subject`, `/apply/${itemCode}/step/staff`]);
  const clerk = await signIn('staff', 'BA0001');
  await fitsPhone(clerk.context, ['/staff/applications', `/staff/applications/${number}`]);
  await clerk.context.close();
  await agent.context.close();
});
