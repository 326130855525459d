/** GB/T 4754 codes as typed, and the negative-list check's rules (no database). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { covers, industryLabel, normaliseIndustryCode } from './industry-classification.ts';
import { checkNegativeList } from './check-negative-list.ts';
import { NEGATIVE_ENTRIES } from './lists-fixtures.ts';
import { ListTextIndex } from './list-text-index.ts';

test('industry codes are read as typed: case, spaces, full-width, a missing section letter', () => {
  assert.equal(normaliseIndustryCode('c2511'), 'C2511');
  assert.equal(normaliseIndustryCode(' C 25 '), 'C25');
  assert.equal(normaliseIndustryCode('Ｃ２５１１'), 'C2511');
  assert.equal(normaliseIndustryCode('2511'), 'C2511');
  assert.equal(normaliseIndustryCode('65'), 'I65');
  assert.equal(normaliseIndustryCode('I'), 'I');
  for (const bad of ['', 'C9', 'C251111', 'Z25', 'A25', '99', 'C2X', '炼油']) assert.equal(normaliseIndustryCode(bad), undefined, bad);
  assert.equal(industryLabel('C'), 'C 制造业');
  assert.equal(industryLabel('C25'), 'C25 石油、煤炭及其他燃料加工业');
  assert.equal(industryLabel('C2511'), 'C2511（石油、煤炭及其他燃料加工业）');
  assert.ok(covers('C25', 'C2511') && covers('C2511', 'C2511') && !covers('C2511', 'C25') && !covers('C26', 'C2511'));
});

test('the check: the most severe covering entry decides; narrower entries are named; nothing covering means 备案', () => {
  const check = (code: string, related?: (e: (typeof NEGATIVE_ENTRIES)[number]) => boolean) => checkNegativeList(NEGATIVE_ENTRIES, (e) => e, code, related);
  assert.equal(check('C2511').verdict, 'prohibited');
  assert.equal(check('C2512').verdict, 'approval');
  assert.equal(check('C3612').verdict, 'restricted');
  assert.equal(check('C3711').verdict, 'not_listed');
  const broad = check('C36');
  assert.equal(broad.verdict, 'not_listed');
  assert.deepEqual(broad.narrower.map((n) => [n.entry.key, n.codes]), [['N-2026-004', ['C361', 'C362']]]);
  // a description matching only the approval entry decides from it
  const r = check('C2511', (e) => e.key === 'N-2026-002');
  assert.equal(r.verdict, 'approval');
  assert.deepEqual(r.matched.map((m) => [m.entry.key, m.related]), [['N-2026-002', true], ['N-2026-001', false]]);
});

test('list search: every word must be found; a name with the whole query ranks first', () => {
  const ix = new ListTextIndex([
    [{ text: '对未取得食品经营许可从事食品经营活动的行政处罚', weight: 3 }],
    [{ text: '食品经营许可', weight: 3 }, { text: '《中华人民共和国食品安全法》', weight: 1 }],
    [{ text: '药品零售许可', weight: 3 }, { text: '《中华人民共和国药品管理法》', weight: 1 }],
  ]);
  assert.deepEqual(ix.search('食品经营')!.map((h) => h.doc), [1, 0]);
  assert.deepEqual(ix.search('药品管理法')!.map((h) => h.doc), [2]);
  assert.deepEqual(ix.search('许可 药品')!.map((h) => h.doc), [2]);
  assert.deepEqual(ix.search('不存在')!, []);
  assert.equal(ix.search('  '), undefined);
});
