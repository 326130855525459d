/** Register, sign out, sign in and see the profile — in a real browser with JavaScript off; axe on the pages. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { createTestApp } from '../../src/testing/test-app.ts';
import { FIXTURE_ITEMS, FIXTURE_REGIONS } from '../../src/testing/fixture-items.ts';
import { residentId } from '../../src/testing/fixture-accounts.ts';
import { expectAccessibleAgain, expectFitsPhoneScreen, useBrowserRig } from './browser-kit.ts';

// the flow context has JavaScript off: the account pages must work without it
const rig = useBrowserRig(() => createTestApp(FIXTURE_ITEMS, FIXTURE_REGIONS));

/** Runs axe on the page the no-JavaScript flow reached, loaded again (with its cookies) where axe can run. */
const assertAccessible = (visited: Page, label: string) => expectAccessibleAgain(rig.measure, rig.flow, visited.url(), label);

test('register with the code from the dev inbox, sign out, sign in, see the profile — without JavaScript', async () => {
  const mobile = '13598765432';
  const idNumber = residentId('330106', '19920815', 57);
  const password = 'Baidi#causeway7';
  const page = await rig.flow.newPage();

  await page.goto(`${rig.base}/register`);
  assert.match(await page.title(), /注册个人账号/);
  await assertAccessible(page, 'the registration page');
  await page.getByLabel('手机号码').fill(mobile);
  await Promise.all([page.waitForURL(/\/register\/details$/), page.getByRole('button', { name: '获取验证码' }).click()]);
  assert.ok((await page.locator('main').innerText()).includes('135****5432'));

  // the code, as a developer reads it from the development inbox
  const inbox = await rig.flow.newPage();
  await inbox.goto(`${rig.base}/dev/inbox`);
  assert.ok((await inbox.locator('.dev-warning').innerText()).includes('仅用于开发和测试'));
  const message = await inbox.locator('tr', { has: inbox.locator('td.destination', { hasText: mobile }) }).first().locator('td.message-body').innerText();
  const code = /验证码 (\d{6})/.exec(message)?.[1];
  assert.ok(code, 'a code in the inbox');
  await inbox.close();

  // a mistake first: the error is shown beside its field
  await page.getByLabel('短信验证码').fill(code);
  await page.getByLabel('姓名').fill('周西湖');
  await page.getByLabel('居民身份证号码').fill(idNumber);
  await page.getByLabel('设置密码').fill(password);
  await page.getByLabel('再次输入密码').fill(`${password}x`);
  await Promise.all([page.waitForLoadState(), page.getByRole('button', { name: '注册并登录' }).click()]);
  assert.ok((await page.locator('#f-passwordConfirm-error').innerText()).includes('两次输入的密码不一致'));
  assert.equal(await page.getByLabel('再次输入密码').getAttribute('aria-invalid'), 'true');
  assert.ok((await page.locator('.error-summary').innerText()).includes('两次输入的密码不一致'));

  await page.getByLabel('设置密码').fill(password);
  await page.getByLabel('再次输入密码').fill(password);
  await Promise.all([page.waitForURL(/\/me\?welcome=1$/), page.getByRole('button', { name: '注册并登录' }).click()]);
  assert.equal(await page.locator('h1').innerText(), '个人中心');
  const profile = await page.locator('main').innerText();
  assert.ok(profile.includes(`330106********${idNumber.slice(14)}`), 'the masked ID number');
  assert.ok(!profile.includes(idNumber));
  assert.ok((await page.locator('header').innerText()).includes('您好，周西湖'));
  await assertAccessible(page, 'the profile page');

  // sign out from the header
  await Promise.all([page.waitForURL(`${rig.base}/`), page.locator('header').getByRole('button', { name: '退出登录' }).click()]);
  assert.equal(await page.locator('header').getByText('您好').count(), 0);

  // 个人中心 now asks to sign in first, and comes back afterwards
  await Promise.all([page.waitForURL(/\/login\?back=%2Fme$/), page.getByRole('link', { name: '登录 / 个人中心' }).click()]);
  await assertAccessible(page, 'the sign-in page');
  await page.getByLabel('手机号码或身份证号码').fill(mobile);
  await page.getByLabel(/^密码/).fill('Wrong#password1');
  await Promise.all([page.waitForLoadState(), page.getByRole('button', { name: '登录', exact: true }).click()]);
  assert.ok((await page.locator('#f-password-error').innerText()).includes('账号或密码不正确'));
  await page.getByLabel(/^密码/).fill(password);
  await Promise.all([page.waitForURL(/\/me$/), page.getByRole('button', { name: '登录', exact: true }).click()]);
  assert.ok((await page.locator('main').innerText()).includes('周西湖'));
  assert.ok((await page.locator('main').innerText()).includes('135****5432'));

  // the sessions page lists this browser's session as the current one
  await Promise.all([page.waitForURL(/\/me\/sessions$/), page.getByRole('link', { name: /我的会话/ }).click()]);
  assert.equal(await page.locator('.tag-current').count(), 1);
  await assertAccessible(page, 'the sessions page');
  await page.goto(`${rig.base}/me/access-log`);
  await assertAccessible(page, 'the access log page');
  await page.close();
});

test('the sign-in pages fit a phone screen', async () => {
  await expectFitsPhoneScreen(rig.browser, rig.base, ['/login', '/login?kind=staff', '/register', '/password/reset']);
});
