import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { createTestApp } from '../../src/testing/test-app.ts';
import { DEMO_ITEMS } from '../../src/seed/data/index.ts';
import { expectAccessibleAgain, expectFitsPhoneScreen, openAgain, useBrowserRig } from './browser-kit.ts';

// the portal must work without JavaScript: every test runs in the flow context, with it off
const rig = useBrowserRig(() => createTestApp(DEMO_ITEMS, ['330106']));

/** Runs axe on the page the no-JavaScript flow reached, loaded again (with its cookies) where axe can run. */
const assertAccessible = (visited: Page, label: string) => expectAccessibleAgain(rig.measure, rig.flow, visited.url(), label);

test('search from the home page, open a guide — without JavaScript, accessible throughout', async () => {
  const page = await rig.flow.newPage();
  await page.goto(`${rig.base}/?region=330106`);
  assert.match(await page.title(), /首页/);
  await assertAccessible(page, 'the home page');

  await page.getByLabel('搜索办事事项').fill('领结婚证');
  await Promise.all([page.waitForURL(/\/search\?/), page.getByRole('button', { name: '搜索', exact: true }).click()]);
  const first = page.locator('.item-list .item-title a').first();
  assert.match(await first.innerText(), /结婚登记/);
  assert.ok((await page.locator('.item-list mark').count()) > 0, 'matches are highlighted');
  await assertAccessible(page, 'the results page');

  await Promise.all([page.waitForURL(/\/items\//), first.click()]);
  assert.match(await page.locator('h1').innerText(), /结婚登记/);
  for (const heading of ['受理条件', '申请材料', '办理流程', '办理时限', '设定依据']) {
    assert.equal(await page.getByRole('heading', { name: heading, exact: true }).count(), 1, heading);
  }
  assert.ok((await page.locator('table.materials tbody tr').count()) >= 2);
  await assertAccessible(page, 'the guide page');
  await page.close();
});

test('facets filter the results', async () => {
  const page = await rig.flow.newPage();
  await page.goto(`${rig.base}/search?q=${encodeURIComponent('许可')}&region=330106`);
  const before = Number(await page.locator('.result-count strong').innerText());
  await Promise.all([page.waitForURL(/object=legal/), page.locator('.facet a[href*="object=legal"]').first().click()]);
  const afterCount = Number(await page.locator('.result-count strong').innerText());
  assert.ok(afterCount > 0 && afterCount <= before);
  assert.equal(await page.locator('.facet a.selected').count(), 1);
  await page.close();
});

test('the elderly-friendly mode persists across pages and stays accessible', async () => {
  const page = await rig.flow.newPage();
  await page.goto(`${rig.base}/`);
  await Promise.all([page.waitForURL(`${rig.base}/`), page.getByRole('button', { name: '长辈版（大字）' }).click()]);
  assert.equal(await page.locator('html').getAttribute('class'), 'elder');
  await page.goto(`${rig.base}/regions/330106`);
  assert.equal(await page.locator('html').getAttribute('class'), 'elder');
  const m = await openAgain(rig.measure, rig.flow, `${rig.base}/regions/330106`);
  const size = await m.evaluate(() => getComputedStyle(document.documentElement).fontSize);
  assert.ok(parseFloat(size) >= 20, `elder font size ${size}`);
  await m.close();
  await assertAccessible(page, 'a region page in elderly mode');
  await page.getByRole('button', { name: '退出长辈版' }).click();
  await page.waitForLoadState();
  assert.equal(await page.locator('html').getAttribute('class'), null);
  await page.close();
});

test('on a phone the pages fit the screen', async () => {
  await expectFitsPhoneScreen(rig.browser, rig.base, ['/', `/search?q=${encodeURIComponent('身份证')}`]);
});
