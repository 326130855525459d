/** Key values as they are hashed (no database). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { canonicalInteger, normalizeKeyValue, spelledKeyValue } from './result-keys.ts';

test('an integer key value is its number as decimal text; text and ID numbers keep their digits', () => {
  const integer = { type: 'integer' as const };
  for (const [raw, want] of [
    ['123', '123'],
    ['+123', '123'],
    ['0123', '123'],
    ['+0123', '123'],
    [' ０１２３ ', '123'],
    ['000', '0'],
    ['-0', '0'],
    ['+0', '0'],
    ['-007', '-7'],
    ['1 234', '1234'],
    ['12a', '12a'],
    ['+', '+'],
    ['', ''],
  ] as const) {
    assert.equal(normalizeKeyValue(integer, raw), want, raw);
  }
  assert.equal(normalizeKeyValue({ type: 'text' }, '0123'), '0123');
  assert.equal(normalizeKeyValue({ type: 'id_number' }, '11010519491231002x'), '11010519491231002X');
  assert.equal(spelledKeyValue(integer, ' +0123 '), '+0123');
  assert.equal(canonicalInteger('9'.repeat(20)), '9'.repeat(20));
});
