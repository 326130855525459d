/**
 * All-letter queries over the demo catalogue in 西湖区: letters written in the catalogue (牙科CT, SC证, 税务Ukey)
 * are found and rank first; pinyin of the names (initials anywhere, full pinyin as whole syllables) ranks after.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, type TestApp } from '../../testing/test-app.ts';
import { DEMO_ITEMS } from '../../seed/data/index.ts';
import type { SearchResult } from './search.types.ts';

let t: TestApp;
before(async () => {
  t = await createTestApp(DEMO_ITEMS, ['330106']);
});
after(async () => {
  await t?.close();
});

const search = (q: string, size = 100): SearchResult => t.ctx.catalogue.current.search({ q, region: '330106', page: 1, size });
const names = (r: SearchResult) => [...new Set(r.items.map((i) => i.name))];

test('CT finds 放射诊疗许可 (keyword 牙科CT) first, the initials’ matches (正常退休 → ct) after it', () => {
  const r = names(search('CT'));
  assert.equal(r[0], '放射诊疗许可');
  assert.ok(r.indexOf('职工正常退休（职）申请') > 0, r.join(' | '));
});

test('ukey finds 企业开办一件事 (税务Ukey in its text), not 食品经营许可（延续） (xu ke yan xu)', () => {
  const r = names(search('ukey'));
  assert.equal(r[0], '企业开办一件事');
  assert.ok(!r.some((n) => n.includes('（延续）')), r.join(' | '));
  assert.deepEqual(names(search('Ukey')), r, 'case does not matter');
});

test('SC ranks 食品生产许可 (keyword SC证) above 首次 (initials sc)', () => {
  const r = names(search('SC'));
  assert.deepEqual(r.slice(0, 2), ['食品生产许可（新办）', '食品生产许可（延续）']);
  assert.ok(r.indexOf('出生医学证明首次签发') > 1, r.join(' | '));
});

test('full pinyin matches whole syllables; initials and exact full pinyin work as before', () => {
  assert.equal(names(search('shipin', 10))[0], '食品经营许可（新办）');
  assert.equal(names(search('sp', 10))[0], '食品经营许可（新办）');
  assert.equal(names(search('hydj', 10))[0], '内地居民婚姻登记（结婚登记）');
  assert.equal(names(search('ＨＹＤＪ', 10))[0], '内地居民婚姻登记（结婚登记）');
  assert.ok(names(search('xukeyanxu')).includes('食品经营许可（延续）'));
  // hu ji: 户籍, not the "…yun shu jing ying…" of 道路货物运输经营许可
  assert.deepEqual(names(search('huji')), ['户籍证明出具']);
  assert.equal(search('shipi').total, 0, 'a syllable cut short is not a syllable');
});

test('letters match whole runs of letters: sp is not in GSP', () => {
  assert.ok(names(search('gsp')).includes('药品零售企业经营许可证核发'));
  assert.ok(!names(search('sp')).includes('药品零售企业经营许可证核发'));
});
