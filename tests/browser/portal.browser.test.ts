import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import { createTestApp, type TestApp } from '../../src/testing/test-app.ts';
import { DEMO_ITEMS } from '../../src/seed/data/index.ts';
import { launchBrowser } from './browser.ts';

let t: TestApp;
let browser: Browser;
let context: BrowserContext; // JavaScript off: the portal must work without it
let measure: BrowserContext; // JavaScript on, only for axe and layout measurements (the pages ship no scripts)
let base: string;

before(async () => {
  t = await createTestApp(DEMO_ITEMS, ['330106']);
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const addr = t.app.server.address();
  base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  browser = await launchBrowser();
  // The portal must work without JavaScript: every test runs with it switched off.
  context = await browser.newContext({ javaScriptEnabled: false, locale: 'zh-CN' });
  measure = await browser.newContext({ locale: 'zh-CN' });
});

after(async () => {
  await measure?.close();
  await context?.close();
  await browser?.close();
  await t?.close();
});

/** Runs axe on the page the no-JavaScript flow reached, loaded again (with its cookies) where axe can run. */
async function assertAccessible(visited: Page, label: string): Promise<void> {
  await measure.addCookies(await context.cookies());
  const page = await measure.newPage();
  await page.goto(visited.url());
  assert.equal(await page.locator('script').count(), 0, `${label} ships no scripts`);
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  await page.close();
  const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(
    bad.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')})`),
    [],
    `axe found serious or critical violations on ${label}`,
  );
}

test('search from the home page, open a guide — without JavaScript, accessible throughout', async () => {
  const page = await context.newPage();
  await page.goto(`${base}/?region=330106`);
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
  const page = await context.newPage();
  await page.goto(`${base}/search?q=${encodeURIComponent('许可')}&region=330106`);
  const before = Number(await page.locator('.result-count strong').innerText());
  await Promise.all([page.waitForURL(/object=legal/), page.locator('.facet a[href*="object=legal"]').first().click()]);
  const afterCount = Number(await page.locator('.result-count strong').innerText());
  assert.ok(afterCount > 0 && afterCount <= before);
  assert.equal(await page.locator('.facet a.selected').count(), 1);
  await page.close();
});

test('the elderly-friendly mode persists across pages and stays accessible', async () => {
  const page = await context.newPage();
  await page.goto(`${base}/`);
  await Promise.all([page.waitForURL(`${base}/`), page.getByRole('button', { name: '长辈版（大字）' }).click()]);
  assert.equal(await page.locator('html').getAttribute('class'), 'elder');
  await page.goto(`${base}/regions/330106`);
  assert.equal(await page.locator('html').getAttribute('class'), 'elder');
  await measure.addCookies(await context.cookies());
  const m = await measure.newPage();
  await m.goto(`${base}/regions/330106`);
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
  const phone = await browser.newContext({ viewport: { width: 375, height: 740 }, locale: 'zh-CN' });
  const page = await phone.newPage();
  for (const path of ['/', `/search?q=${encodeURIComponent('身份证')}`]) {
    await page.goto(base + path);
    const [scroll, width] = [await page.evaluate('document.documentElement.scrollWidth'), await page.evaluate('window.innerWidth')];
    assert.ok(Number(scroll) <= Number(width) + 1, `${path}: page ${scroll}px wide on a ${width}px screen`);
  }
  await phone.close();
});
