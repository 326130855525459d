/**
 * RFC 8785 (JCS) canonical JSON, byte for byte what the `canonicalize` package gives, from one native
 * JSON.stringify. ES JSON.stringify already writes strings and numbers as JCS does, so only the order of an
 * object's members can differ: objects whose members are already in JCS order (UTF-16 code units) are passed as
 * they are, others are copied in that order. The values are checked as JCS requires (finite numbers,
 * well-formed strings) and toJSON and boxed primitives are resolved first, as `canonicalize` does.
 *
 * V8 enumerates array-index-like member names ("0", "12") before the others whatever their insertion order, so
 * a copy cannot reorder them; such an object when it needs reordering, an own "__proto__" member to copy, or
 * nesting deeper than `MAX_DEPTH` (cycles included) sends the whole value to `canonicalize`.
 */
import canonicalize from 'canonicalize';

const MAX_DEPTH = 100;
/** thrown inside `prepare` when the value needs the reference implementation */
const FALL_BACK = Symbol('fall back to canonicalize');
const INDEX_LIKE = /^(?:0|[1-9]\d{0,9})$/;
/** String.prototype.isWellFormed (Node 20; ES2024, newer than the project's TypeScript lib) */
const wellFormed = (s: string): boolean => (s as unknown as { isWellFormed(): boolean }).isWellFormed();

/** The JCS text of `value`; undefined where JSON.stringify gives undefined (undefined, a function, a symbol). */
export function canonicalJson(value: unknown): string | undefined {
  let prepared: unknown;
  try {
    prepared = prepare(value, 0);
  } catch (err) {
    if (err === FALL_BACK) return canonicalize(value);
    throw err;
  }
  return JSON.stringify(prepared);
}

/** `v` as JSON.stringify should see it: members in JCS order, toJSON applied, boxed primitives unboxed. */
function prepare(v: unknown, depth: number): unknown {
  switch (typeof v) {
    case 'string':
      if (!wellFormed(v)) throw new Error('Lone surrogate is not allowed');
      return v;
    case 'number':
      if (Number.isNaN(v)) throw new Error('NaN is not allowed');
      if (!Number.isFinite(v)) throw new Error('Infinity is not allowed');
      return v;
    case 'object':
      return v === null ? v : prepareObject(v, depth);
    case 'bigint':
      throw new TypeError('Do not know how to serialize a BigInt');
    default:
      return v; // boolean; undefined, functions and symbols JSON.stringify drops (members) or writes as null (elements)
  }
}

function prepareObject(v: object, depth: number): unknown {
  if (depth >= MAX_DEPTH) throw FALL_BACK;
  let o: unknown = v;
  while (o !== null && typeof o === 'object' && typeof (o as { toJSON?: unknown }).toJSON === 'function') {
    o = (o as { toJSON: () => unknown }).toJSON();
    if (++depth >= MAX_DEPTH) throw FALL_BACK;
  }
  if (o instanceof Number || o instanceof String || o instanceof Boolean) return prepare(o.valueOf(), depth);
  if (o === null || typeof o !== 'object') return prepare(o, depth);
  if (Array.isArray(o)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < o.length; i++) {
      const e: unknown = o[i];
      const p = prepare(e, depth + 1);
      if (p !== e && !out) out = o.slice(0, i);
      if (out) out.push(p);
    }
    return out ?? o;
  }
  const rec = o as Record<string, unknown>;
  const keys = Object.keys(rec);
  let sorted = true;
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!;
    if (!wellFormed(k)) throw new Error('Lone surrogate is not allowed');
    if (i > 0 && keys[i - 1]! > k) sorted = false;
  }
  // as it is: its members are in order and none of their values changes (toJSON, if any, is resolved above)
  if (sorted) {
    let i = 0;
    for (; i < keys.length; i++) {
      const e = rec[keys[i]!];
      if (prepare(e, depth + 1) !== e) break;
    }
    if (i === keys.length) return o;
  }
  if (!sorted) keys.sort();
  const out: Record<string, unknown> = {};
  for (const k of keys) {
    if (k === '__proto__' || (k.charCodeAt(0) <= 57 && INDEX_LIKE.test(k))) throw FALL_BACK;
    out[k] = prepare(rec[k], depth + 1);
  }
  return out;
}
