import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, type TestApp } from '../../testing/test-app.ts';
import { FIXTURE_ITEMS, FIXTURE_REGIONS } from '../../testing/fixture-items.ts';

let t: TestApp;
before(async () => {
  t = await createTestApp(FIXTURE_ITEMS, FIXTURE_REGIONS);
});
after(async () => {
  await t?.close();
});

const page = async (url: string, cookie?: string) => {
  const res = await t.app.inject({ method: 'GET', url, headers: cookie ? { cookie } : {} });
  return res;
};

test('home page renders without JavaScript, in Chinese, with the themes and popular items', async () => {
  const res = await page('/');
  assert.equal(res.statusCode, 200);
  assert.match(res.headers['content-type'] as string, /text\/html/);
  assert.match(res.body, /<html lang="zh-CN"/);
  assert.ok(!res.body.includes('<script'));
  for (const s of ['婚姻登记', '企业开办', '热门事项', '便民服务', '长辈版']) assert.ok(res.body.includes(s), s);
  assert.match(res.headers['content-security-policy'] as string, /default-src 'self'/);
});

test('search page lists hits with highlights, facets and the chosen region remembered', async () => {
  const res = await page(`/search?q=${encodeURIComponent('结婚')}&region=330106`);
  assert.equal(res.statusCode, 200);
  assert.match(res.body, /<mark>[^<]*结婚[^<]*<\/mark>/);
  assert.ok(res.body.includes('筛选条件'));
  const cookie = res.cookies.find((c) => c.name === 'yw_region');
  assert.equal(cookie?.value, '330106');
  const again = await page(`/search?q=${encodeURIComponent('结婚')}`, 'yw_region=330106');
  assert.ok(again.body.includes('杭州市西湖区'));
  const none = await page(`/search?q=${encodeURIComponent('婚礼登记')}&type=CF`);
  assert.ok(none.body.includes('您是不是要找'));
  assert.ok(!/suggestions[\s\S]*type=CF/.test(none.body), 'a suggestion drops the filters that found nothing');
});

test('guide page shows every element; unknown item gives a 404 page', async () => {
  const api = (await t.app.inject({ url: `/api/v1/items?q=${encodeURIComponent('食品经营')}&region=330106` })).json();
  const res = await page(`/items/${api.items[0].code}`);
  assert.equal(res.statusCode, 200);
  for (const s of ['受理条件', '申请材料', '办理流程', '法定办结时限', '承诺办结时限', '设定依据', '咨询电话', '投诉电话', '在线申请', '情形必要：从事食品制售的提供', '共享获取（免提交）', '网办深度']) {
    assert.ok(res.body.includes(s), s);
  }
  const missing = await page(`/items/${'1'.repeat(32)}`);
  assert.equal(missing.statusCode, 404);
  assert.match(missing.headers['content-type'] as string, /text\/html/);
  assert.ok(missing.body.includes('页面不存在'));
});

test('region and department pages', async () => {
  const r = await page('/regions/330106');
  assert.equal(r.statusCode, 200);
  assert.ok(r.body.includes('杭州市西湖区民政局'));
  const list = await page('/regions');
  assert.ok(list.body.includes('西湖区'));
  const depts = (await t.app.inject({ url: '/api/v1/departments?region=330106' })).json();
  const civil = depts.departments.find((d: { kind: string }) => d.kind === 'civil_affairs');
  const d = await page(`/departments/${civil.code}`);
  assert.equal(d.statusCode, 200);
  assert.ok(d.body.includes('内地居民婚姻登记（结婚登记）'));
  assert.equal((await page('/regions/12')).statusCode, 400);
});

test('elderly mode persists in a cookie; the way back cannot leave the site', async () => {
  const res = await t.app.inject({ method: 'POST', url: '/settings/elder', payload: 'on=1&back=%2Fsearch%3Fq%3D1', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  assert.equal(res.statusCode, 303);
  assert.equal(res.headers.location, '/search?q=1');
  assert.equal(res.cookies.find((c) => c.name === 'yw_elder')?.value, '1');
  const home = await page('/', 'yw_elder=1');
  assert.match(home.body, /<html lang="zh-CN" class="elder"/);
  for (const back of ['//evil.example', 'https://evil.example', '/\\evil.example']) {
    const r = await t.app.inject({ method: 'POST', url: '/settings/elder', payload: `on=0&back=${encodeURIComponent(back)}`, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    assert.equal(r.headers.location, '/', back);
  }
  const bad = await t.app.inject({ method: 'POST', url: '/settings/elder', payload: 'on=7', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  assert.equal(bad.statusCode, 400);
});

test('content pages link to a region chooser that leads back with the region chosen', async () => {
  const api = (await t.app.inject({ url: `/api/v1/items?q=${encodeURIComponent('食品经营')}&region=330106` })).json();
  const guide = await page(`/items/${api.items[0].code}`, 'yw_region=330106');
  assert.ok(!guide.body.includes('<select'), 'the guide page carries no region list');
  assert.ok(guide.body.includes('所在地区：<strong>西湖区</strong>'));
  const chooserHref = guide.body.match(/href="(\/settings\/region\?back=[^"]+)"/)?.[1];
  assert.ok(chooserHref);
  const chooser = await page(chooserHref!.replace(/&amp;/g, '&'));
  assert.equal(chooser.statusCode, 200);
  assert.ok(chooser.body.includes(`href="/items/${api.items[0].code}?region=330302"`));
  const home = await page('/settings/region?back=%2Fsearch%3Fq%3D1%26region%3D330106');
  assert.ok(home.body.includes('href="/search?q=1&amp;region=330122"'), 'an earlier region in the way back is replaced');
  const evil = await page('/settings/region?back=%2F%2Fevil.example');
  assert.ok(!evil.body.includes('evil.example'));
});
