/** canonicalJson gives exactly what the `canonicalize` package (the reference RFC 8785 implementation) gives. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runInNewContext } from 'node:vm';
import canonicalize from 'canonicalize';
import { canonicalJson } from './canonical-json.ts';

/** Both agree: the same text, or both throw. */
function same(v: unknown, label = ''): void {
  let expected: string | undefined;
  let refused: unknown;
  try {
    expected = canonicalize(v);
  } catch (err) {
    refused = err;
  }
  if (refused) assert.throws(() => canonicalJson(v), Error, `should refuse ${label}`);
  else assert.equal(canonicalJson(v), expected, label);
}

test('RFC 8785 examples and the edge cases', () => {
  assert.equal(canonicalJson({ b: 1, a: [true, null, 'x'], c: { z: 0, y: -0 } }), '{"a":[true,null,"x"],"b":1,"c":{"y":0,"z":0}}');
  assert.equal(canonicalJson({ numbers: [333333333.33333329, 1e30, 4.5, 2e-3, 0.000001, 1e-7] }), '{"numbers":[333333333.3333333,1e+30,4.5,0.002,0.000001,1e-7]}');
  assert.equal(canonicalJson({ '\u20ac': 1, '\r': 2, '\ufb33': 3, '1': 4, '\u{1f600}': 5, '\u0080': 6, '\u00f6': 7 }), canonicalize({ '\u20ac': 1, '\r': 2, '\ufb33': 3, '1': 4, '\u{1f600}': 5, '\u0080': 6, '\u00f6': 7 }));
  const cases: [string, unknown][] = [
    ['index-like names in order', { '1': 'a', '2': 'b', x: 1 }],
    ['index-like names out of code-unit order', { '9': 'a', '10': 'b', x: 1 }],
    ['a large numeric name', { '99999999999': 1, '4294967295': 2, '4294967294': 3, a: 0 }],
    ['an own __proto__ member', JSON.parse('{"b":1,"__proto__":{"x":1},"a":2}')],
    ['an own __proto__ member in order', JSON.parse('{"__proto__":{"x":1},"a":2}')],
    ['undefined, functions and symbols', { a: undefined, b: () => 1, c: Symbol('s'), d: [undefined, () => 1, Symbol('s')], e: 1 }],
    ['a sparse array', [1, , 3]], // eslint-disable-line no-sparse-arrays
    ['dates', { at: new Date(0), list: [new Date(1e12)] }],
    ['toJSON to a primitive, to undefined, to an object', { a: { toJSON: () => 'x' }, b: { toJSON: () => undefined }, c: { toJSON: () => ({ z: 1, y: 2 }) } }],
    ['a toJSON chain', { a: { toJSON: () => ({ toJSON: () => [2, 1] }) } }],
    ['boxed primitives', { a: Object(1), b: Object('s'), c: Object(false) }],
    ['a lone surrogate in a value', { a: '\ud800' }],
    ['a lone surrogate in a name', { ['\udc00']: 1 }],
    ['a surrogate pair', { a: '\ud83d\ude00' }],
    ['NaN', { a: NaN }],
    ['Infinity', [Infinity]],
    ['a bigint', { a: 1n }],
    ['top-level primitives', 'text'],
    ['undefined', undefined],
    ['null', null],
    ['control characters and escapes', { 'a\u0000b': '\u0001\u001f"\\/\u007f\u2028\u2029' }],
    ['empty containers', { a: {}, b: [], c: [{}] }],
    ['a Map and a Set', { m: new Map([[1, 2]]), s: new Set([1]) }],
    ['a typed array', { t: new Uint8Array([3, 1]) }],
  ];
  for (const [label, v] of cases) same(v, label);
});

test('what is not plain JSON data gets the reference implementation', () => {
  const cases: [string, unknown][] = [
    ['a dropped member with a lone surrogate in its name', { ['\ud800']: undefined, f: () => 1, a: 1 }],
    ['a boxed bigint', { a: Object(1n) }],
    ['boxed primitives from another realm', { n: runInNewContext('new Number(1)'), s: runInNewContext('new String("x")') }],
    ['a Date from another realm', { at: runInNewContext('new Date(0)') }],
    ['a class instance', { p: new (class P { y = 1; x = 2; })() }],
    ['an array whose slice is gone', Object.assign([Object(1), { b: 1, a: 2 }], { slice: null })],
    ['an object on a null prototype', Object.assign(Object.create(null) as object, { b: 1, a: 2 })],
    ['a Date with its own toJSON', { at: Object.assign(new Date(0), { toJSON: () => ({ z: 1, y: 2 }) }) }],
  ];
  for (const [label, v] of cases) same(v, label);
  const toJSON = Object.getOwnPropertyDescriptor(BigInt.prototype, 'toJSON');
  Object.defineProperty(BigInt.prototype, 'toJSON', { value: function (this: bigint) { return this.toString(); }, configurable: true });
  try {
    same({ a: 1n, b: [2n] }, 'a bigint with a toJSON on its prototype');
  } finally {
    if (toJSON) Object.defineProperty(BigInt.prototype, 'toJSON', toJSON);
    else delete (BigInt.prototype as { toJSON?: unknown }).toJSON;
  }
});

test('each value is prepared once: deep nesting with a member to reorder at the bottom stays linear', { timeout: 10_000 }, () => {
  for (const leaf of [{ b: 1, a: 2 }, new Date(0)]) {
    let deep: unknown = leaf;
    for (let i = 0; i < 90; i++) deep = { a: deep };
    same(deep, 'ninety levels'); // before the fix, each level doubled the work: 2^90 visits
  }
});

test('cycles are refused, shared references are not', () => {
  const cyclic: Record<string, unknown> = { a: 1 };
  cyclic.self = cyclic;
  assert.throws(() => canonicalJson(cyclic));
  const shared = { z: 1, y: 2 };
  same({ a: shared, b: [shared, shared] });
  let deep: unknown = { leaf: 'x' };
  for (let i = 0; i < 300; i++) deep = i % 2 ? { next: deep, k: i } : [deep, i];
  same(deep, 'deeper than the fast path goes');
});

test('random values agree with canonicalize (seeded)', () => {
  let seed = 0x5eed;
  const rnd = () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x80000000;
  };
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const names = ['a', 'b', 'B', 'aa', '', '0', '1', '10', '9', '01', '-1', '1.5', 'é', 'Ω', '中', '文', '\u{1f600}', '\ufb33', 'toString', 'constructor', 'id_number', 'caseRef'];
  const strings = ['', 'x', '办理户籍业务核验身份', '110105********002X', 'tab\there', 'quote"back\\slash', '\u2028', '\u{1f600}', '\u0000', 'é'];
  const numbers = [0, -0, 1, -1, 0.1, 1e21, 1e-7, 123456789012345680000, 5e-324, Number.MAX_SAFE_INTEGER, 2 ** 53 + 2, -1.5e300];
  const gen = (d: number): unknown => {
    const r = rnd();
    if (d > 4 || r < 0.35) return pick<unknown>([pick(strings), pick(numbers), true, false, null, undefined]);
    if (r < 0.6) return Array.from({ length: Math.floor(rnd() * 5) }, () => gen(d + 1));
    const o: Record<string, unknown> = {};
    const n = Math.floor(rnd() * 7);
    for (let i = 0; i < n; i++) o[pick(names)] = gen(d + 1);
    return rnd() < 0.1 ? new Date(Math.floor(rnd() * 2e12)) : o;
  };
  for (let i = 0; i < 5000; i++) same(gen(0), `random value #${i}`);
});
