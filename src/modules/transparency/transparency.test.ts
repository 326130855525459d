/**
 * The public three lists over HTTP: search and filters, one power and its service items, the negative-list
 * check (prohibited / approval / restricted / not listed, prefix matching), the funds' totals, exports that
 * parse back (CSV, XLSX, JSON), the change history, diffs and the Atom feed, bad input, and a publication seen
 * by the index once the list revision moves.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import ExcelJS from 'exceljs';
import { createTestApp, type TestApp } from '../../testing/test-app.ts';
import { FIXTURE_ITEMS, FIXTURE_REGIONS } from '../../testing/fixture-items.ts';
import { clearChangeCountsCache } from '../three-lists/list-published-editions.ts';
import { power, publishTestEdition, publishTestLists, type ListsFixture } from './lists-fixtures.ts';
import { listsIndex, refreshListsIndex } from './lists-index-holder.ts';

let t: TestApp;
let fx: ListsFixture;

before(async () => {
  clearChangeCountsCache();
  t = await createTestApp(FIXTURE_ITEMS, FIXTURE_REGIONS);
  fx = await publishTestLists(t.database.db);
});
after(async () => {
  await t.close();
});

const get = (url: string) => t.app.inject({ method: 'GET', url });
const json = async (url: string) => {
  const res = await get(url);
  assert.equal(res.statusCode, 200, `${url}: ${res.body.slice(0, 300)}`);
  return res.json();
};

/** A CSV body as rows of cells (RFC 4180 quoting). */
function parseCsv(body: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (quoted) {
      if (c === '"' && body[i + 1] === '"') (cell += '"'), i++;
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') row.push(cell), (cell = '');
    else if (c === '\r') continue;
    else if (c === '\n') row.push(cell), rows.push(row), (row = []), (cell = '');
    else cell += c;
  }
  if (cell || row.length) row.push(cell), rows.push(row);
  return rows;
}

test('the overview shows the three lists with counts and charts with tables', async () => {
  const res = await get('/lists');
  assert.equal(res.statusCode, 200);
  assert.match(res.headers['content-type'] as string, /text\/html/);
  assert.match(res.body, /7 项权力/);
  assert.match(res.body, /4 条/);
  assert.match(res.body, /<svg class="chart" id="chart-power-types" role="img"/);
  assert.match(res.body, /<svg class="chart" id="chart-power-departments"/);
  assert.match(res.body, /<svg class="chart" id="chart-fund-years"/);
  assert.match(res.body, /<caption>各类型权力事项数量<\/caption>/);
  assert.match(res.body, /<th scope="row"><a href="\/lists\/powers\?type=XK">行政许可<\/a><\/th><td>4<\/td>/);
});

test('powers: Chinese search, filters by department, level, region and type, facets, pagination', async () => {
  let r = await json('/api/v1/lists/powers?q=食品经营');
  assert.ok(r.total >= 2);
  assert.equal(r.items[0].name, '食品经营许可', 'the name match ranks first');
  assert.ok(r.items.every((i: { name: string; legalBasis: string[]; responsibilities: string[] }) => JSON.stringify(i).includes('食品')));

  r = await json('/api/v1/lists/powers?q=特种设备安全法');
  assert.deepEqual(r.items.map((i: { key: string }) => i.key), ['XK-330106-004-0003'], 'legal basis is searched');

  r = await json(`/api/v1/lists/powers?department=${fx.xihuMarket.id}&type=XK`);
  assert.equal(r.total, 3);
  assert.ok(r.items.every((i: { type: string; department: { id: number } }) => i.type === 'XK' && i.department.id === fx.xihuMarket.id));
  const typeFacet = Object.fromEntries(r.facets.type.map((f: { value: string; count: number }) => [f.value, f.count]));
  assert.deepEqual(typeFacet, { XK: 3, CF: 1, JC: 1 }, 'the type facet counts without its own filter');

  r = await json('/api/v1/lists/powers?level=city');
  assert.equal(r.total, 2);
  r = await json('/api/v1/lists/powers?region=330100');
  assert.equal(r.total, 7, 'a city includes its counties');
  r = await json('/api/v1/lists/powers?region=330106&level=county&type=QZ');
  assert.equal(r.total, 0);
  r = await json('/api/v1/lists/powers?rows=2&start=2');
  assert.equal(r.items.length, 2);
  assert.equal(r.total, 7);
  r = await json('/api/v1/lists/powers?q=不存在的词语组合');
  assert.equal(r.total, 0);

  const page = await get(`/lists/powers?department=${fx.xihuMarket.id}&type=XK&q=`);
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /共 <strong>3<\/strong> 项权力事项/);
  assert.match(page.body, /食品经营许可/);
  assert.match(page.body, /<select id="f-department" name="department">/);
  assert.match(page.body, new RegExp(`<option value="${fx.xihuMarket.id}" selected>`));
  assert.match(page.body, /href="\/lists\/powers\.xlsx\?department=\d+&amp;type=XK"/, 'the download keeps the filters');
});

test('bad filters are refused with 400 and the parameter', async () => {
  for (const [url, field] of [
    ['/api/v1/lists/powers?type=ZZ', 'type'],
    ['/api/v1/lists/powers?level=town', 'level'],
    ['/api/v1/lists/powers?department=abc', 'department'],
    ['/api/v1/lists/powers?region=33', 'region'],
    ['/api/v1/lists/negative-list?industry=Z99', 'industry'],
    ['/api/v1/lists/funds?year=20x5', 'year'],
    ['/api/v1/lists/negative-list/check?industry=C9', 'industry'],
    ['/api/v1/lists/changes?kind=other', 'kind'],
  ] as const) {
    const res = await get(url);
    assert.equal(res.statusCode, 400, url);
    assert.equal(res.json().error.field, field, url);
  }
  assert.equal((await get('/lists/powers?type=ZZ')).statusCode, 400);
  assert.equal((await get('/lists/powers/999999/XK-1')).statusCode, 404);
  assert.equal((await get('/lists/changes/999999')).statusCode, 404);
  assert.equal((await get('/lists/funds.csv?table=other')).statusCode, 400);
});

test('one power shows its 责任清单 and links to the service items that exercise it', async () => {
  const res = await get(`/lists/powers/${fx.xihuMarket.id}/XK-330106-004-0001`);
  assert.equal(res.statusCode, 200);
  assert.match(res.body, /<h1>食品经营许可<\/h1>/);
  assert.match(res.body, /责任清单/);
  assert.match(res.body, /事后监管责任/);
  assert.match(res.body, /对符合法定条件的申请不予受理/);
  assert.match(res.body, new RegExp(`<a href="/items/${fx.foodImplCode}">食品经营许可（新办）</a>`));
  const api = await json(`/api/v1/lists/powers/${fx.xihuMarket.id}/XK-330106-004-0001`);
  assert.equal(api.services[0].basicCode, fx.foodBasicCode);
  assert.equal(api.services[0].items[0].url, `/items/${fx.foodImplCode}`);
  const other = await get(`/lists/powers/${fx.xihuMarket.id}/XK-330106-004-0002`);
  assert.match(other.body, /暂无对应的政务服务事项/);
});

test('the negative-list check: prohibited, approval, restricted, not listed, by code prefix', async () => {
  let r = await json('/api/v1/lists/negative-list/check?industry=C2511');
  assert.equal(r.verdict, 'prohibited');
  assert.deepEqual(r.matched.map((m: { key: string }) => m.key), ['N-2026-001', 'N-2026-002'], 'C2511 and C25 both cover C2511, the prohibition first');
  assert.deepEqual(r.matched[1].matchedCodes, ['C25']);

  r = await json('/api/v1/lists/negative-list/check?industry=C2519');
  assert.equal(r.verdict, 'approval', 'C25 covers C2519; the prohibition of C2511 does not');
  assert.equal(r.matched[0].authority, '浙江省发展和改革委员会');
  assert.equal(r.needsApproval, true);

  r = await json('/api/v1/lists/negative-list/check?industry=4413');
  assert.equal(r.industry, 'D4413', 'a code without its section letter gets it');
  assert.equal(r.verdict, 'approval');

  r = await json('/api/v1/lists/negative-list/check?industry=c3611');
  assert.equal(r.verdict, 'restricted');
  assert.match(r.matched[0].conditions, /研发能力/);

  r = await json('/api/v1/lists/negative-list/check?industry=I6510');
  assert.equal(r.verdict, 'not_listed');
  assert.match(r.verdictLabel, /备案/);
  assert.deepEqual(r.matched, []);

  r = await json('/api/v1/lists/negative-list/check?industry=C');
  assert.equal(r.verdict, 'not_listed', 'no entry covers all of manufacturing');
  assert.deepEqual(r.narrower.map((m: { key: string }) => m.key).sort(), ['N-2026-001', 'N-2026-002', 'N-2026-004'], 'entries below it are named');

  r = await json(`/api/v1/lists/negative-list/check?industry=C2511&description=${encodeURIComponent('扩建一次炼油项目')}`);
  assert.equal(r.matched[0].key, 'N-2026-002', 'the entry matching the description comes first');
  assert.equal(r.verdict, 'approval', 'and decides when some entries match the description');

  const page = await get('/lists/negative-list/check?industry=C2511');
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /结论：禁止投资/);
  assert.match(page.body, /N-2026-001/);
  const free = await get('/lists/negative-list/check?pick=I&industry=');
  assert.match(free.body, /结论：不在负面清单内：实行备案管理（无需核准）/);
  const bad = await get('/lists/negative-list/check?industry=XYZ');
  assert.equal(bad.statusCode, 400);
  assert.match(bad.body, /行业代码不正确/);
  assert.match(bad.body, /aria-invalid="true"/);
  const described = await get(`/lists/negative-list/check?description=${encodeURIComponent('水电站')}`);
  assert.match(described.body, /请选择项目所属行业/);
  assert.match(described.body, /N-2026-003/);
});

test('the negative list browses by category and industry', async () => {
  let r = await json('/api/v1/lists/negative-list?category=approval');
  assert.deepEqual(r.items.map((i: { key: string }) => i.key), ['N-2026-002', 'N-2026-003']);
  r = await json('/api/v1/lists/negative-list?industry=C25');
  assert.deepEqual(r.items.map((i: { key: string }) => i.key), ['N-2026-001', 'N-2026-002'], 'entries at or below C25, and above it');
  r = await json(`/api/v1/lists/negative-list?q=${encodeURIComponent('汽车')}`);
  assert.deepEqual(r.items.map((i: { key: string }) => i.key), ['N-2026-004']);
  const page = await get('/lists/negative-list?category=prohibited');
  assert.match(page.body, /共 <strong>1<\/strong> 条/);
});

test('funds: amounts by year, totals by year, filters, one fund with its allocations', async () => {
  let r = await json('/api/v1/lists/funds');
  assert.equal(r.total, 2);
  assert.deepEqual(r.totals.map((t: { year: number; amount: number; allocated: number }) => [t.year, t.amount, t.allocated]), [
    [2023, 5000, 300],
    [2024, 9000, 450.25],
    [2025, 9700.5, 1000],
  ]);
  r = await json('/api/v1/lists/funds?year=2023');
  assert.equal(r.total, 1);
  assert.deepEqual(r.totals.map((t: { year: number }) => t.year), [2023]);
  r = await json(`/api/v1/lists/funds?q=${encodeURIComponent('商贸流通')}`);
  assert.deepEqual(r.items.map((i: { key: string }) => i.key), ['F-330000-021-002']);
  const page = await get('/lists/funds?year=2024');
  assert.match(page.body, /2024 年专项资金管理清单/);
  const one = await get(`/lists/funds/${fx.provinceDrc.id}/F-330000-021-001`);
  assert.equal(one.statusCode, 200);
  assert.match(one.body, /宁波某新材料股份有限公司/);
  assert.match(one.body, /450\.25/);
  assert.match(one.body, /17,500\.5 万元/, 'the fund total');
});

test('exports parse back: CSV with BOM, XLSX with Chinese headers, JSON; filenames in UTF-8', async () => {
  const csv = await get(`/lists/powers.csv?department=${fx.xihuMarket.id}&type=XK`);
  assert.equal(csv.statusCode, 200);
  assert.match(csv.headers['content-type'] as string, /^text\/csv; charset=utf-8/);
  assert.equal(csv.headers['content-disposition'], `attachment; filename="powers.csv"; filename*=UTF-8''${encodeURIComponent('权力清单.csv')}`);
  assert.deepEqual([...csv.rawPayload.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'a byte-order mark');
  const rows = parseCsv(csv.rawPayload.subarray(3).toString('utf8'));
  assert.equal(rows[0]![0], '部门');
  assert.equal(rows[0]![4], '权力事项名称');
  assert.equal(rows.length, 4, 'header and three powers');
  assert.ok(rows.slice(1).every((r) => r[5] === '行政许可'));
  assert.ok(rows.some((r) => r[4] === '食品经营许可' && r[9] === '《中华人民共和国食品安全法》第三十五条'));

  const xlsx = await get('/lists/powers.xlsx?type=XK');
  assert.equal(xlsx.statusCode, 200);
  assert.equal(xlsx.headers['content-type'], 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  assert.match(xlsx.headers['content-disposition'] as string, /filename\*=UTF-8''%E6%9D%83%E5%8A%9B%E6%B8%85%E5%8D%95\.xlsx/);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
  const ws = wb.getWorksheet('权力清单')!;
  assert.equal(ws.getRow(1).getCell(5).value, '权力事项名称');
  assert.equal(ws.rowCount, 5, 'header and the four 行政许可 powers');
  const names = [2, 3, 4, 5].map((i) => ws.getRow(i).getCell(5).value);
  assert.ok(names.includes('食品经营许可'));

  const js = await json('/lists/powers.json?level=city');
  assert.equal(js.total, 2);
  assert.equal(js.items[0].department.id, fx.hangzhouMarket.id);
  assert.equal(js.filters.level, 'city');

  const neg = await get('/lists/negative-list.csv?category=prohibited');
  const negRows = parseCsv(neg.rawPayload.subarray(3).toString('utf8'));
  assert.deepEqual(negRows.map((r) => r[0]), ['条目编号', 'N-2026-001']);
  const negX = await get('/lists/negative-list.xlsx');
  const wb2 = new ExcelJS.Workbook();
  await wb2.xlsx.load(negX.rawPayload as unknown as ArrayBuffer);
  assert.equal(wb2.getWorksheet('负面清单')!.rowCount, 5);

  const funds = await get('/lists/funds.csv?year=2025');
  const fundRows = parseCsv(funds.rawPayload.subarray(3).toString('utf8'));
  assert.equal(fundRows[0]![5], '年度资金规模（万元）');
  assert.deepEqual(fundRows.slice(1).map((r) => [r[0], r[4], r[5], r[6]]), [
    ['F-330000-021-001', '2025', '6500.5', '200'],
    ['F-330000-021-002', '2025', '3200', '800'],
  ]);
  const allocs = parseCsv((await get('/lists/funds.csv?table=allocations')).rawPayload.subarray(3).toString('utf8'));
  assert.equal(allocs.length, 5);
  const fundsX = await get('/lists/funds.xlsx');
  const wb3 = new ExcelJS.Workbook();
  await wb3.xlsx.load(fundsX.rawPayload as unknown as ArrayBuffer);
  assert.equal(wb3.getWorksheet('专项资金')!.rowCount, 6, 'one row per fund and year');
  assert.equal(wb3.getWorksheet('分配结果')!.getRow(2).getCell(5).value, '杭州某智能装备有限公司');
  const fundsJson = await json('/lists/funds.json');
  assert.equal(fundsJson.items[0].total, 17500.5);
});

test('a publication is seen once the revision moves; history, diff and the Atom feed list it', async () => {
  const before = await refreshListsIndex(t.ctx);
  assert.equal(before.powers.length, 7);
  // version 2 of 西湖区's list: one power changed, one removed, one added
  const v2 = await publishTestEdition(t.database.db, {
    kind: 'power',
    departmentId: fx.xihuMarket.id,
    note: '调整食品生产许可依据，取消特种设备使用登记，新增药品零售许可',
    entries: [
      power('XK-330106-004-0001', '食品经营许可', { itemCodes: [fx.foodBasicCode] }),
      power('XK-330106-004-0002', '食品生产许可', { legalBasis: ['《中华人民共和国食品安全法》第三十五条', '《食品生产许可管理办法》（2020 年修订）'] }),
      power('XK-330106-004-0004', '药品零售许可', { legalBasis: ['《中华人民共和国药品管理法》第五十二条'] }),
      power('CF-330106-004-0001', '对未取得食品经营许可从事食品经营活动的行政处罚', { type: 'CF', legalBasis: ['《中华人民共和国食品安全法》第一百二十二条'] }),
      power('JC-330106-004-0001', '对食品经营者的监督检查', { type: 'JC', legalBasis: ['《中华人民共和国食品安全法》第一百一十条'] }),
    ],
  });
  const ix = await refreshListsIndex(t.ctx);
  assert.notEqual(ix, before, 'the index was rebuilt');
  assert.ok(ix.revision > before.revision);
  assert.equal(await listsIndex(t.ctx), ix, 'and is what requests use');
  const r = await json('/api/v1/lists/powers?q=药品零售');
  assert.equal(r.items[0].key, 'XK-330106-004-0004');
  assert.equal(r.items[0].edition.version, 2);
  assert.equal((await get(`/lists/powers/${fx.xihuMarket.id}/XK-330106-004-0003`)).statusCode, 404, 'a removed power is gone');
  assert.match((await get(`/lists/powers?department=${fx.xihuMarket.id}&type=XK&q=`)).body, /药品零售许可/, 'cached pages went with the old index');

  const history = await get(`/lists/changes?kind=power&department=${fx.xihuMarket.id}`);
  assert.equal(history.statusCode, 200);
  assert.match(history.body, /第 2 版/);
  assert.match(history.body, /\+1 −1 ~1/);
  assert.match(history.body, /第 1 版/);
  assert.match(history.body, /\+5 −0 ~0/);

  const diff = await get(`/lists/changes/${v2.id}`);
  assert.equal(diff.statusCode, 200);
  assert.match(diff.body, /第 1 版 → 第 2 版的变化/);
  assert.match(diff.body, /新增 1 条，删除 1 条，修改 1 条/);
  assert.match(diff.body, /XK-330106-004-0004<\/strong> 药品零售许可/);
  assert.match(diff.body, /<th scope="row">设定依据<\/th><td><del>《中华人民共和国食品安全法》第三十五条；《食品生产许可管理办法》<\/del><\/td><td><ins>.*2020 年修订/);
  const back = await json(`/api/v1/lists/changes/${fx.powerEdition.id}?from=${v2.id}&to=${fx.powerEdition.id}`);
  assert.deepEqual(back.added.map((e: { key: string }) => e.key), ['XK-330106-004-0003'], 'any two versions, either way');
  const first = await get(`/lists/changes/${fx.powerEdition.id}`);
  assert.match(first.body, /首次发布/);
  const other = await get(`/lists/changes/${v2.id}?from=${fx.powerEdition.id + 3}`);
  assert.equal(other.statusCode, 400, 'versions of another list cannot be compared');

  const feed = await get('/lists/feed.atom');
  assert.equal(feed.statusCode, 200);
  assert.equal(feed.headers['content-type'], 'application/atom+xml; charset=utf-8');
  const body = feed.body;
  assert.match(body, /^<\?xml version="1\.0" encoding="utf-8"\?>\n<feed xmlns="http:\/\/www\.w3\.org\/2005\/Atom"/);
  const entries = [...body.matchAll(/<entry>([\s\S]*?)<\/entry>/g)].map((m) => m[1]!);
  assert.equal(entries.length, 5, 'every published edition');
  assert.match(entries[0]!, /<title>.*西湖区市场监督管理局发布权力清单（含责任清单）第 2 版<\/title>/);
  assert.match(entries[0]!, /<author><name>杭州市西湖区市场监督管理局<\/name><\/author>/);
  assert.match(entries[0]!, new RegExp(`<link rel="alternate" type="text/html" href="http://[^"]+/lists/changes/${v2.id}"/>`));
  for (const e of entries) {
    assert.match(e, /<id>[^<]+<\/id>/);
    assert.match(e, /<updated>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z<\/updated>/);
  }
  assert.match(body, /<feed[^>]*>\s*<id>[^<]+<\/id>\s*<title>[^<]+<\/title>/);
  assert.match(body, /<\/feed>\n$/);
});
