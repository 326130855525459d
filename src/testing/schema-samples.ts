/**
 * Values a route's JSON schema accepts, for the route walks of the tests: one plain value, and the same value
 * with one leaf at a time replaced by something valid but unusual — a bound, the longest text, whitespace,
 * control characters, astral characters, digits that overflow a database integer. Such input passes validation
 * and reaches the handler, which must still answer with a 2xx–4xx, never a 500.
 *
 * Deterministic: text for a `pattern` comes from randexp with a seeded generator.
 */
import RandExpModule from 'randexp';

// randexp is CommonJS and its typings declare an ES default export: at run time the class is the module itself
const RandExp = RandExpModule as unknown as typeof RandExpModule.default;

/** The part of JSON Schema the routes use (TypeBox writes plain JSON Schema). */
export interface JsonSchema {
  type?: string | string[];
  const?: unknown;
  enum?: unknown[];
  examples?: unknown[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  properties?: Record<string, JsonSchema>;
  patternProperties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  default?: unknown;
}

/** A small seeded generator (mulberry32), so that a failure can be replayed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FORMAT_SAMPLES: Record<string, string[]> = {
  date: ['2026-12-08', '2024-02-29', '0001-01-01', '9999-12-31'],
  'date-time': ['2026-12-08T09:00:00+08:00', '9999-12-31T23:59:59Z', '1970-01-01T00:00:00Z'],
  time: ['09:00:00', '23:59:59'],
  email: ['zhang.san@example.cn', `${'a'.repeat(64)}@example.cn`],
  uri: ['https://example.cn/', 'https://example.cn/一网?q=%00'],
  uuid: ['00000000-0000-0000-0000-000000000000', 'ffffffff-ffff-ffff-ffff-ffffffffffff'],
};

/** Unusual text; each is cut or padded to the schema's lengths and kept only if it matches its pattern. */
const ODD_TEXT = [
  '长',
  ' ',
  '\u0001\u0007\u001b',
  '😀',
  '99999999999999999999',
  '-1',
  '0',
  '\u202e\ufeff',
  "<script>'\"",
  '%00%zz',
  '..\\../',
];

/** Integers that overflow int4 or int8, or sit on a bound. */
const ODD_INTEGERS = [0, -1, 2_147_483_648, -2_147_483_649, 9_007_199_254_740_991, 1e19, -1e19, 1e21];
const ODD_NUMBERS = [0, -1, 1e-9, 1e19, 1e21, 1e308, -1e308, 2_147_483_648.5];

function codePoints(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

function branches(s: JsonSchema): JsonSchema[] | undefined {
  return s.anyOf ?? s.oneOf;
}

function types(s: JsonSchema): string[] {
  if (Array.isArray(s.type)) return s.type;
  if (s.type) return [s.type];
  if (s.properties || s.patternProperties) return ['object'];
  if (s.items) return ['array'];
  return [];
}

function inRange(s: JsonSchema, n: number): boolean {
  return (
    (s.minimum === undefined || n >= s.minimum) &&
    (s.maximum === undefined || n <= s.maximum) &&
    (s.exclusiveMinimum === undefined || n > s.exclusiveMinimum) &&
    (s.exclusiveMaximum === undefined || n < s.exclusiveMaximum)
  );
}

export class SchemaSamples {
  private readonly random: () => number;

  constructor(seed = 1) {
    this.random = seededRandom(seed);
  }

  private fromPattern(pattern: string): string {
    const r = new RandExp(pattern);
    r.max = 6;
    r.randInt = (a: number, b: number) => a + Math.floor(this.random() * (b - a + 1));
    return r.gen();
  }

  private textOk(s: JsonSchema, v: string): boolean {
    const n = codePoints(v);
    if (s.minLength !== undefined && n < s.minLength) return false;
    if (s.maxLength !== undefined && n > s.maxLength) return false;
    if (s.pattern !== undefined && !new RegExp(s.pattern, 'u').test(v)) return false;
    return true;
  }

  /** A plain value the schema accepts (or the closest found). */
  typical(s: JsonSchema): unknown {
    if (s.const !== undefined) return s.const;
    if (s.enum?.length) return s.enum[0];
    if (s.examples?.length) return s.examples[0];
    if (s.default !== undefined) return s.default;
    const b = branches(s);
    if (b?.length) return this.typical(b.find((x) => !types(x).includes('null')) ?? b[0]!);
    if (s.allOf?.length) return this.typical(Object.assign({}, ...s.allOf) as JsonSchema);
    const t = types(s).find((x) => x !== 'null') ?? types(s)[0];
    switch (t) {
      case 'object': {
        const o: Record<string, unknown> = {};
        for (const k of s.required ?? []) {
          const p = s.properties?.[k];
          if (p) o[k] = this.typical(p);
        }
        return o;
      }
      case 'array': {
        const n = Math.max(s.minItems ?? 0, s.maxItems === 0 ? 0 : 1);
        return Array.from({ length: n }, () => (s.items ? this.typical(s.items) : 'x'));
      }
      case 'integer':
      case 'number': {
        for (const n of [1, s.minimum, s.maximum, (s.exclusiveMinimum ?? 0) + 1, 0]) if (n !== undefined && inRange(s, n)) return n;
        return 1;
      }
      case 'boolean':
        return true;
      case 'null':
        return null;
      case 'string': {
        if (s.format && FORMAT_SAMPLES[s.format]) return FORMAT_SAMPLES[s.format]![0];
        if (s.pattern) return this.fromPattern(s.pattern);
        return 'x'.repeat(Math.max(1, s.minLength ?? 1));
      }
      default:
        return 'x';
    }
  }

  /** Valid but unusual values of a leaf (of an object or array: its empty and its largest forms). */
  odd(s: JsonSchema): unknown[] {
    if (s.const !== undefined) return [];
    if (s.enum?.length) return s.enum.slice(1);
    const b = branches(s);
    if (b?.length) return b.flatMap((x) => [this.typical(x), ...this.odd(x)]);
    const out: unknown[] = [];
    for (const t of types(s)) {
      if (t === 'integer') out.push(...ODD_INTEGERS.filter((n) => inRange(s, n)), ...[s.minimum, s.maximum].filter((n) => n !== undefined));
      else if (t === 'number') out.push(...ODD_NUMBERS.filter((n) => inRange(s, n)), ...[s.minimum, s.maximum].filter((n) => n !== undefined));
      else if (t === 'boolean') out.push(false);
      else if (t === 'null') out.push(null);
      else if (t === 'array') {
        if (!s.minItems) out.push([]);
        const max = Math.min(s.maxItems ?? 200, 200);
        if (max > 1 && s.items) out.push(Array.from({ length: max }, () => this.typical(s.items!)));
      } else if (t === 'object' && s.patternProperties && !s.properties) {
        out.push({});
      } else if (t === 'string') {
        if (s.format && FORMAT_SAMPLES[s.format]) {
          out.push(...FORMAT_SAMPLES[s.format]!.slice(1));
          continue;
        }
        const min = s.minLength ?? 0;
        const max = Math.min(s.maxLength ?? 10_000, 10_000);
        const candidates = ODD_TEXT.flatMap((o) => {
          const unit = [...o];
          const longest = Array.from({ length: Math.ceil(max / unit.length) }, () => o).join('');
          const shortest = Array.from({ length: Math.max(1, Math.ceil(min / unit.length)) }, () => o).join('');
          return [[...longest].slice(0, max).join(''), shortest];
        });
        if (min === 0) candidates.push('');
        if (s.pattern) for (let i = 0; i < 3; i++) candidates.push(this.fromPattern(s.pattern));
        out.push(...new Set(candidates.filter((c) => this.textOk(s, c))));
      }
    }
    return out;
  }

  /**
   * The plain value, then the same with one leaf replaced at a time (each optional property given as well), at
   * most `limit` in all, spread over the leaves.
   */
  variants(s: JsonSchema, limit = 60): unknown[] {
    const base = this.typical(s);
    const perLeaf: unknown[][] = [];
    this.walk(s, base, (replace, leaf) => {
      perLeaf.push(this.odd(leaf).map((v) => replace(v)));
    });
    const out: unknown[] = [base];
    for (let i = 0; out.length < limit; i++) {
      let added = false;
      for (const vs of perLeaf) {
        if (i < vs.length && out.length < limit) {
          out.push(vs[i]);
          added = true;
        }
      }
      if (!added) break;
    }
    return out;
  }

  /** Calls `visit` for each leaf under `s`, with a function giving a copy of `value` where that leaf is `v`. */
  private walk(s: JsonSchema, value: unknown, visit: (replace: (v: unknown) => unknown, leaf: JsonSchema) => void): void {
    const t = types(s);
    if (t.includes('object') && s.properties && value !== null && typeof value === 'object' && !Array.isArray(value)) {
      const o = value as Record<string, unknown>;
      for (const [k, p] of Object.entries(s.properties)) {
        const current = k in o ? o[k] : this.typical(p);
        this.walk(p, current, (replace, leaf) => visit((v) => ({ ...o, [k]: replace(v) }), leaf));
      }
      return;
    }
    if (t.includes('array') && s.items && Array.isArray(value) && value.length && types(s.items).includes('object')) {
      this.walk(s.items, value[0], (replace, leaf) => visit((v) => [replace(v), ...value.slice(1)], leaf));
    }
    visit((v) => v, s);
  }
}
