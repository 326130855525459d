import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isPinyinQuery, normalise, pinyinKeys, tokenize } from './segmenter.ts';

test('tokenize keeps content words and drops the function words of a question', () => {
  const t = tokenize('我想办理结婚登记需要什么材料？');
  assert.ok(t.includes('结婚'));
  assert.ok(t.includes('登记'));
  assert.ok(!t.includes('我'));
  assert.ok(!t.includes('什么'));
  assert.ok(!t.some((x) => /[？?]/.test(x)));
});

test('search-mode cut yields the parts of long words', () => {
  const t = tokenize('机动车驾驶证');
  for (const w of ['机动车', '驾驶', '驾驶证']) assert.ok(t.includes(w), `${w} in ${t.join('/')}`);
});

test('normalise folds full-width characters and case', () => {
  assert.equal(normalise('ＨＹＤＪ　婚姻'), 'hydj 婚姻');
});

test('pinyin keys of a name, ignoring brackets and Latin letters', () => {
  assert.deepEqual(pinyinKeys('婚姻登记'), { full: 'hunyindengji', initials: 'hydj', syllables: ['hun', 'yin', 'deng', 'ji'] });
  assert.equal(pinyinKeys('内地居民婚姻登记（结婚登记）').initials, 'ndjmhydjjhdj');
  assert.ok(isPinyinQuery('hydj'));
  assert.ok(!isPinyinQuery('婚姻'));
  assert.ok(!isPinyinQuery('a'));
});
