/**
 * RFC 8785 (JCS) canonical JSON from one native JSON.stringify, for JSON data: plain objects, arrays, strings,
 * finite numbers, booleans, null and Dates — what audit events and exchange requests hold. For those it gives
 * byte for byte the text of the `canonicalize` package (a seeded test compares them); anything else is handed
 * to that package whole.
 *
 * ES JSON.stringify already writes strings and numbers as JCS does, so only the order of an object's members
 * can differ: objects whose members are already in JCS order (UTF-16 code units) are passed as they are, others
 * are copied in that order. The values are checked as JCS requires (finite numbers, well-formed strings).
 * V8 enumerates array-index-like member names ("0", "12") before the others whatever their insertion order, so
 * a copy cannot reorder them: such an object when it needs reordering goes to `canonicalize`, and so do an own
 * "__proto__" member to copy, nesting deeper than `MAX_DEPTH` (cycles included), bigints, objects other than
 * plain ones, arrays and Dates (class instances, boxed primitives, Maps…) and any object with its own toJSON.
 * Members are read once to check them; a member that is an accessor is read again by JSON.stringify.
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

/** A value JSON.stringify leaves out of an object (and writes as null in an array). */
const dropped = (v: unknown): boolean => v === undefined || typeof v === 'function' || typeof v === 'symbol';

/** `v` as JSON.stringify should see it: members in JCS order, Dates as their text; each value prepared once. */
function prepare(v: unknown, depth: number): unknown {
  switch (typeof v) {
    case 'string':
      if (!wellFormed(v)) throw new Error('Lone surrogate is not allowed');
      return v;
    case 'number':
      if (!Number.isFinite(v)) throw new Error(Number.isNaN(v) ? 'NaN is not allowed' : 'Infinity is not allowed');
      return v;
    case 'object':
      return v === null ? v : prepareObject(v, depth);
    case 'bigint':
      throw FALL_BACK; // refused, unless a toJSON of BigInt.prototype says otherwise
    default:
      return v; // boolean; undefined, functions and symbols JSON.stringify drops (members) or writes as null (elements)
  }
}

function prepareObject(o: object, depth: number): unknown {
  if (depth >= MAX_DEPTH) throw FALL_BACK;
  const proto = Object.getPrototypeOf(o) as unknown;
  if (proto === Date.prototype && !Object.hasOwn(o, 'toJSON')) return prepare((o as Date).toJSON(), depth);
  if (proto === Array.prototype) {
    if (typeof (o as { toJSON?: unknown }).toJSON === 'function') throw FALL_BACK;
    const a = o as unknown[];
    let out: unknown[] | undefined;
    for (let i = 0; i < a.length; i++) {
      const e = a[i];
      const p = prepare(e, depth + 1);
      if (p !== e && !out) {
        out = new Array<unknown>(a.length);
        for (let j = 0; j < i; j++) out[j] = a[j];
      }
      if (out) out[i] = p;
    }
    return out ?? a;
  }
  if (proto !== Object.prototype && proto !== null) throw FALL_BACK;
  const rec = o as Record<string, unknown>;
  if (typeof rec.toJSON === 'function') throw FALL_BACK;
  const keys = Object.keys(rec);
  const values = new Array<unknown>(keys.length);
  let sorted = true;
  let same = true;
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!;
    const e = rec[k];
    const p = prepare(e, depth + 1);
    if (!dropped(p) && !wellFormed(k)) throw new Error('Lone surrogate is not allowed');
    values[i] = p;
    if (p !== e) same = false;
    if (i > 0 && keys[i - 1]! > k) sorted = false;
  }
  // as it is: its members are in order and none of their values changes
  if (sorted && same) return o;
  const order = keys.map((_, i) => i);
  if (!sorted) order.sort((x, y) => (keys[x]! < keys[y]! ? -1 : keys[x]! > keys[y]! ? 1 : 0));
  const out: Record<string, unknown> = {};
  for (const i of order) {
    const k = keys[i]!;
    if (k === '__proto__' || (k.charCodeAt(0) <= 57 && INDEX_LIKE.test(k))) throw FALL_BACK;
    out[k] = values[i];
  }
  return out;
}
