/**
 * The browser side of forms (/assets/forms.js) in Chromium, under the site's CSP: a step rendered by
 * renderFormStep is served on the app's origin (through Playwright's routing, since the apply pages are another
 * module's), the real bundle comes from the app. Conditional fields show and hide as the applicant answers;
 * submitting checks the step with the server's messages; formnovalidate buttons are not checked.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import { createTestApp, type TestApp } from '../../testing/test-app.ts';
import { FIXTURE_ITEMS, FIXTURE_REGIONS } from '../../testing/fixture-items.ts';
import { launchBrowser, listen } from '../../../tests/browser/browser-kit.ts';
import { computeSecurityHeaders } from '../../http/security-headers.ts';
import { FIXTURE_FOOD_LICENCE_CODE, FIXTURE_FORMS } from './fixture-forms.ts';
import { parseFormPost, renderFormStep } from './render-form.ts';
import { validateStep } from './validate-form-data.ts';

const food = FIXTURE_FORMS[FIXTURE_FOOD_LICENCE_CODE]!.form;
let t: TestApp;
let base: string;
let browser: Browser;
let context: BrowserContext;
const posted: string[] = [];
const consoleErrors: string[] = [];

before(async () => {
  t = await createTestApp(FIXTURE_ITEMS, FIXTURE_REGIONS);
  base = await listen(t);
  browser = await launchBrowser();
  context = await browser.newContext({ locale: 'zh-CN' });
  const headers = { ...computeSecurityHeaders({ hsts: false }), 'content-type': 'text/html; charset=utf-8' };
  await context.route(`${base}/forms-test/**`, async (route) => {
    const url = new URL(route.request().url());
    if (route.request().method() === 'POST') {
      posted.push(route.request().postData() ?? '');
      return route.fulfill({ status: 200, headers, body: '<!doctype html><html lang="zh-CN"><head><title>已提交</title></head><body><main><h1>已提交</h1></main></body></html>' });
    }
    const step = url.pathname.split('/').pop()!;
    const body = `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>申请</title></head><body><main>
<h1>食品经营许可（新办）</h1>
<form method="post" action="/forms-test/submit" novalidate>
${renderFormStep(food, step, { values: {}, regions: t.ctx.regions }).value}
<button type="submit" class="primary">下一步</button>
<button type="submit" name="_save" value="1" formnovalidate class="secondary">保存草稿</button>
</form></main></body></html>`;
    return route.fulfill({ status: 200, headers, body });
  });
});

after(async () => {
  await context?.close();
  await browser?.close();
  await t?.close();
});

async function open(step: string): Promise<Page> {
  const page = await context.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => consoleErrors.push(e.message));
  await page.goto(`${base}/forms-test/${step}`);
  await page.waitForFunction(() => document.querySelector('[data-field="seats"]') === null || (document.querySelector('[data-field="seats"]') as HTMLElement).hidden);
  return page;
}

describe('forms.js in the browser', () => {
  test('conditional fields follow the answers; submitting shows the server’s messages beside the fields and in a summary', async () => {
    const page = await open('business');
    assert.equal(await page.locator('[data-field="seats"]').isHidden(), true, 'seats hidden until a format with seats is chosen');
    await page.selectOption('#f-mainFormat', 'restaurant');
    assert.equal(await page.locator('[data-field="seats"]').isVisible(), true);
    await page.fill('#f-area', 'abc');
    await page.click('button.primary');
    assert.equal(new URL(page.url()).pathname, '/forms-test/business', 'not sent');
    const expected = validateStep(food, 'business', { mainFormat: 'restaurant', area: 'abc' }).errors.map((e) => e.message);
    assert.deepEqual(await page.locator('[data-form-summary] li').allTextContents(), expected);
    assert.equal(await page.locator('#f-area-error').textContent(), '错误：“经营场所面积”应为数字（单位：平方米）');
    assert.equal(await page.getAttribute('#f-area', 'aria-invalid'), 'true');
    assert.match((await page.getAttribute('#f-area', 'aria-describedby')) ?? '', /f-area-error/);
    assert.equal(await page.evaluate(() => document.activeElement?.hasAttribute('data-form-summary')), true, 'the summary takes the focus');
    assert.equal(await page.locator('#f-seats-error').textContent(), '错误：请填写“就餐座位数”');
    // the page with its messages is accessible
    const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
    assert.deepEqual(results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id), []);
    // put right, it is sent, and what is sent passes the server's check
    await page.fill('#f-area', '85.5');
    await page.fill('#f-seats', '40');
    await page.check('input[name="f.businessItems"][value="hot"]');
    await Promise.all([page.waitForURL(`${base}/forms-test/submit`), page.click('button.primary')]);
    const body = Object.fromEntries(new URLSearchParams(posted.at(-1)!).entries());
    assert.deepEqual(validateStep(food, 'business', parseFormPost(food, body).data).errors, []);
    await page.close();
  });

  test('a formnovalidate button (save draft) is not checked', async () => {
    const page = await open('business');
    await Promise.all([page.waitForURL(`${base}/forms-test/submit`), page.click('button[name="_save"]')]);
    assert.match(posted.at(-1)!, /_save=1/);
    await page.close();
  });

  test('table cells: a column shown by its row’s answer, and errors on the cell of that row', async () => {
    const page = await open('staff');
    assert.equal(await page.locator('[data-field="staff[0].postOther"]').isHidden(), true);
    await page.selectOption('#f-staff-0-post', 'other');
    assert.equal(await page.locator('[data-field="staff[0].postOther"]').isVisible(), true);
    await page.fill('#f-staff-0-name', '张三');
    await page.fill('#f-staff-0-idNumber', '110105194912310021');
    await page.click('button.primary');
    assert.equal(await page.locator('#f-staff-0-idNumber-error').textContent(), '错误：“从业人员”第 1 行的“公民身份号码”的校验位不正确，请核对号码');
    assert.equal(await page.locator('#f-staff-0-postOther-error').textContent(), '错误：请填写“从业人员”第 1 行的“其他岗位名称”');
    await page.close();
  });

  test('nothing was refused by the content security policy, and no script failed', () => {
    assert.deepEqual(consoleErrors, []);
  });
});
