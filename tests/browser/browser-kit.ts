/**
 * What the browser tests share: Debian's Chromium driven by playwright-core with the flags this platform's
 * machines need (never downloads a browser), the app listening on a free local port, a context with
 * JavaScript off for the flows (every page must work without it) and one with JavaScript on for axe and
 * layout measurements (the pages ship no scripts), and the accessibility and phone-width checks.
 */
import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import { existsSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { TEST_PASSWORD } from '../../src/testing/fixture-accounts.ts';
import { AxeBuilder } from '@axe-core/playwright';
import type { TestApp } from '../../src/testing/test-app.ts';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`找不到 Chromium（${CHROMIUM_PATH}）。请先安装：apt-get install -y chromium`);
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/** Starts the app on a free port of 127.0.0.1 and returns its base URL. */
export async function listen(t: TestApp): Promise<string> {
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const addr = t.app.server.address();
  return `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
}

/** A context with JavaScript off, as the flows run: the pages must work without it. */
export function newFlowContext(browser: Browser): Promise<BrowserContext> {
  return browser.newContext({ javaScriptEnabled: false, locale: 'zh-CN' });
}

/** A context with JavaScript on, only for axe and layout measurements (the pages ship no scripts). */
export function newMeasureContext(browser: Browser): Promise<BrowserContext> {
  return browser.newContext({ locale: 'zh-CN' });
}

/** What a browser test file works with, ready once the `before` hook `useBrowserRig` registered has run. */
export interface BrowserRig {
  t: TestApp;
  base: string; // where the app listens
  browser: Browser;
  flow: BrowserContext; // JavaScript off: the flows run here
  measure: BrowserContext; // JavaScript on: axe and layout measurements
}

/**
 * Registers the test file's `before` and `after` hooks: `start` makes the app, `prepare` (if given) adds the
 * data the file needs, the app listens, Chromium starts with a flow and a measure context; after the tests
 * all of it ends.
 */
export function useBrowserRig(start: () => Promise<TestApp>, prepare?: (t: TestApp) => Promise<void>): BrowserRig {
  const rig = {} as BrowserRig;
  before(async () => {
    rig.t = await start();
    await prepare?.(rig.t);
    rig.base = await listen(rig.t);
    rig.browser = await launchBrowser();
    rig.flow = await newFlowContext(rig.browser);
    rig.measure = await newMeasureContext(rig.browser);
  });
  after(async () => {
    await rig.measure?.close();
    await rig.flow?.close();
    await rig.browser?.close();
    await rig.t?.close();
  });
  return rig;
}

/** Opens `url` in `measure` with exactly the cookies `flow` has now (its session, its preferences). */
export async function openAgain(measure: BrowserContext, flow: BrowserContext, url: string): Promise<Page> {
  await measure.clearCookies();
  await measure.addCookies(await flow.cookies());
  const page = await measure.newPage();
  await page.goto(url);
  return page;
}

/** The page ships no scripts, and axe finds no serious or critical WCAG 2.1 AA violation on it. */
export async function expectNoSeriousAxeViolations(page: Page, label = new URL(page.url()).pathname): Promise<void> {
  assert.equal(await page.locator('script').count(), 0, `${label} ships no scripts`);
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(
    bad.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')})`),
    [],
    `axe found serious or critical violations on ${label}`,
  );
}

/**
 * Runs axe on a page a no-JavaScript flow reached: `url`, loaded again in `measure` with the flow's cookies,
 * where axe can run. It must load the same page (no redirect to sign in).
 */
export async function expectAccessibleAgain(measure: BrowserContext, flow: BrowserContext, url: string, label: string): Promise<void> {
  const page = await openAgain(measure, flow, url);
  try {
    assert.equal(new URL(page.url()).pathname, new URL(url).pathname, `${label}: the same page loads again`);
    await expectNoSeriousAxeViolations(page, label);
  } finally {
    await page.close();
  }
}

/** Each of `paths` fits a 375 px wide phone screen: nothing to scroll sideways. */
export async function expectFitsPhoneScreen(browser: Browser, base: string, paths: string[]): Promise<void> {
  const phone = await browser.newContext({ viewport: { width: 375, height: 740 }, locale: 'zh-CN' });
  try {
    const page = await phone.newPage();
    for (const path of paths) {
      await page.goto(base + path);
      const [scroll, width] = [await page.evaluate('document.documentElement.scrollWidth'), await page.evaluate('window.innerWidth')];
      assert.ok(Number(scroll) <= Number(width) + 1, `${path}: page ${scroll}px wide on a ${width}px screen`);
    }
  } finally {
    await phone.close();
  }
}

/** A context without JavaScript, signed in through the sign-in page (test accounts' password). */
export async function signInWithPage(rig: BrowserRig, kind: 'person' | 'staff', identifier: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await newFlowContext(rig.browser);
  const page = await context.newPage();
  await page.goto(`${rig.base}/login${kind === 'staff' ? '?kind=staff' : ''}`);
  await page.getByLabel(kind === 'staff' ? '工号' : '手机号码或身份证号码').fill(identifier);
  await page.locator('#f-password').fill(TEST_PASSWORD);
  await Promise.all([page.waitForURL(kind === 'staff' ? /\/admin$/ : /\/me$/), page.getByRole('button', { name: '登录', exact: true }).click()]);
  return { context, page };
}

/** Submits the form `button` belongs to and waits for the next page (no JavaScript: a real navigation). */
export async function press(page: Page, button: Locator, url?: RegExp): Promise<void> {
  try {
    await Promise.all([url ? page.waitForURL(url) : page.waitForLoadState(), button.click()]);
  } catch (err) {
    throw new Error(`${(err as Error).message}\n(at ${page.url()}: ${(await page.locator('main').innerText().catch(() => '')).slice(0, 600)})`);
  }
}
