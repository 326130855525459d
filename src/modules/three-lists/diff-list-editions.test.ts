/** diffEntries: added, removed and changed entries with the fields that changed (no database). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { diffEntries } from './diff-list-editions.ts';
import type { ListEntry } from './three-lists.types.ts';

const e = (key: string, extra: Record<string, unknown> = {}) => ({ key, name: `n${key}`, legalBasis: ['a'], ...extra }) as unknown as ListEntry;

test('added, removed, changed (field-level), sorted by key; key order inside objects does not matter', () => {
  const a = [e('B'), e('A', { legalBasis: ['a', 'b'] }), e('C'), e('D', { years: [{ year: 2024, amount: 1 }] })];
  const b = [e('A', { legalBasis: ['a'] }), e('E'), e('C', { name: 'changed', notes: 'x' }), { years: [{ amount: 1, year: 2024 }], legalBasis: ['a'], name: 'nD', key: 'D' } as unknown as ListEntry];
  const d = diffEntries(a, b);
  assert.deepEqual(d.added.map((x) => x.key), ['E']);
  assert.deepEqual(d.removed.map((x) => x.key), ['B']);
  assert.deepEqual(d.changed.map((c) => [c.key, c.fields]), [
    ['A', ['legalBasis']],
    ['C', ['name', 'notes']],
  ]);
  assert.equal((d.changed[1]!.before as unknown as { name: string }).name, 'nC');
  assert.equal((d.changed[1]!.after as unknown as { name: string }).name, 'changed');
  // the other way round
  const r = diffEntries(b, a);
  assert.deepEqual(r.added.map((x) => x.key), ['B']);
  assert.deepEqual(r.removed.map((x) => x.key), ['E']);
  assert.deepEqual(diffEntries(a, a), { added: [], removed: [], changed: [] });
});
