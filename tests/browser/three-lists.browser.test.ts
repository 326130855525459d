/**
 * Issue 7's browser test, in Chromium with JavaScript off: a member of the public finds a department's
 * licensing powers (行政许可) in the power list, opens one and reads its 责任清单, follows it to the service
 * item that exercises it, and downloads the list as XLSX (a real workbook: opened with exceljs). The negative
 * list check answers a project's question. axe finds no serious or critical WCAG 2.1 AA violation on the pages,
 * and they fit a 375 px phone screen.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';
import { createTestApp } from '../../src/testing/test-app.ts';
import { FIXTURE_ITEMS, FIXTURE_REGIONS } from '../../src/testing/fixture-items.ts';
import { publishTestLists, type ListsFixture } from '../../src/modules/transparency/lists-fixtures.ts';
import { expectAccessibleAgain, expectFitsPhoneScreen, newFlowContext, press, useBrowserRig } from './browser-kit.ts';

let fx: ListsFixture;

const rig = useBrowserRig(
  () => createTestApp(FIXTURE_ITEMS, FIXTURE_REGIONS),
  async (t) => {
    fx = await publishTestLists(t.database.db);
  },
);

const mainText = (page: Page) => page.locator('main').innerText();
const accessible = (url: string, label: string) => expectAccessibleAgain(rig.measure, rig.flow, url, label);

test('a member of the public finds a department’s licensing powers, opens one, follows it to the service item and downloads the list as XLSX', async () => {
  const context = await newFlowContext(rig.browser);
  const page = await context.newPage();
  await page.goto(`${rig.base}/lists`);
  await accessible(page.url(), 'lists overview');
  await press(page, page.getByRole('link', { name: /^权力清单（含责任清单）/ }).first(), /\/lists\/powers$/);

  // the department's licensing powers
  await page.getByLabel('部门').selectOption({ label: fx.xihuMarket.name });
  await page.getByLabel('权力类型').selectOption({ label: '行政许可' });
  await press(page, page.getByRole('button', { name: '查询' }), /\/lists\/powers\?/);
  assert.match(await mainText(page), /共 3 项权力事项/);
  const listUrl = page.url();
  await accessible(listUrl, 'power list with filters');
  const names = await page.locator('ol.item-list h2').allInnerTexts();
  assert.deepEqual(names.sort(), ['特种设备使用登记', '食品生产许可', '食品经营许可'].sort());

  // one power with its 责任清单, and the service item exercising it
  await press(page, page.getByRole('link', { name: '食品经营许可', exact: true }), /\/lists\/powers\/\d+\/XK-330106-004-0001$/);
  const text = await mainText(page);
  assert.match(text, /责任清单/);
  assert.match(text, /决定责任/);
  assert.match(text, /追责情形/);
  assert.match(text, /《中华人民共和国食品安全法》第三十五条/);
  const powerUrl = page.url();
  await accessible(powerUrl, 'power page');
  await press(page, page.getByRole('link', { name: '食品经营许可（新办）' }), new RegExp(`/items/${fx.foodImplCode}$`));
  assert.match(await page.locator('h1').innerText(), /食品经营许可（新办）/);

  // back to the list, downloaded as XLSX with the same filters
  await page.goto(listUrl);
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Excel（XLSX）' }).click()]);
  assert.equal(download.suggestedFilename(), '权力清单.xlsx');
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load((await readFile((await download.path())!)) as unknown as ArrayBuffer);
  const ws = wb.getWorksheet('权力清单');
  assert.ok(ws, 'the workbook has the 权力清单 sheet');
  assert.equal(ws.getRow(1).getCell(1).value, '部门');
  assert.equal(ws.rowCount, 4, 'a header and the three licensing powers');
  const rows = [2, 3, 4].map((i) => ws.getRow(i));
  assert.ok(rows.every((r) => r.getCell(1).value === fx.xihuMarket.name && r.getCell(6).value === '行政许可'));
  const food = rows.find((r) => r.getCell(5).value === '食品经营许可');
  assert.ok(food, 'the power is a row');
  assert.equal(food.getCell(4).value, 'XK-330106-004-0001');
  assert.equal(food.getCell(13).value, fx.foodBasicCode, 'with the service item it links to');

  await expectFitsPhoneScreen(rig.browser, rig.base, [
    '/lists',
    new URL(listUrl).pathname + new URL(listUrl).search,
    new URL(powerUrl).pathname,
  ]);
  await context.close();
});

test('the negative-list check answers whether a project needs approval; the other list pages are accessible', async () => {
  const context = await newFlowContext(rig.browser);
  const page = await context.newPage();
  await page.goto(`${rig.base}/lists/negative-list`);
  await press(page, page.getByRole('link', { name: /我的项目需要核准吗/ }), /\/lists\/negative-list\/check$/);
  await page.getByLabel('或输入行业代码').fill('C2519');
  await page.getByLabel('项目简述（选填）').fill('扩建一次炼油项目');
  await press(page, page.getByRole('button', { name: '查询' }), /check\?/);
  const text = await mainText(page);
  assert.match(text, /结论：需要核准/);
  assert.match(text, /浙江省发展和改革委员会/);
  await accessible(page.url(), 'check answer');

  await page.goto(`${rig.base}/lists/negative-list/check`);
  await page.getByLabel('从清单涉及的行业中选择').selectOption({ label: 'I 信息传输、软件和信息技术服务业' });
  await press(page, page.getByRole('button', { name: '查询' }), /check\?/);
  assert.match(await mainText(page), /不在负面清单内：实行备案管理（无需核准）/);
  await context.close();

  const pages = [
    '/lists/negative-list',
    '/lists/negative-list/check?industry=C2511',
    '/lists/funds',
    `/lists/funds/${fx.provinceDrc.id}/F-330000-021-001`,
    '/lists/changes',
    `/lists/changes/${fx.powerEdition.id}`,
  ];
  for (const p of pages) await accessible(`${rig.base}${p}`, p);
  await expectFitsPhoneScreen(rig.browser, rig.base, pages);
});
