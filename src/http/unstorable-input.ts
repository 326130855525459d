/**
 * Input no route can use: the NUL character (PostgreSQL text cannot hold it), a lone UTF-16 surrogate (a JSON
 * body can write "\ud800": it has no UTF-8 form, so the driver would store U+FFFD instead, jsonb refuses it
 * and the audit hash's RFC 8785 text refuses it) and numbers too large to be finite (a 400-digit page number
 * coerces to Infinity, which the schema's bounds do not catch). In a value or in a member's name, all are
 * answered with 400 naming the field, for every route, before any handler or query sees them — instead of a
 * database error or a 500 from the audit log. A body is looked at up to its first 20,000 values (MAX_NODES);
 * what lies beyond is left to the route's own checks.
 */
import type { FastifyRequest } from 'fastify';
import { InvalidParameterError } from '../shared/errors.ts';

/** The first field of the URL that holds a NUL (`%00`): a query parameter's name, or `url` for the path. */
export function nulInUrl(url: string): string | undefined {
  if (!url.includes('%00')) return undefined;
  const q = url.indexOf('?');
  if (q >= 0) {
    try {
      for (const [k, v] of new URLSearchParams(url.slice(q + 1))) if (k.includes('\u0000') || v.includes('\u0000')) return k.replace(/\u0000/g, '').slice(0, 40) || 'url';
    } catch {
      // a malformed query is the router's to answer
    }
  }
  return 'url';
}

/** Values looked at in one body at most (a body is at most 1 MB; a larger structure is left to the route's checks). */
const MAX_NODES = 20_000;

/** Objects as parsers make them — plain, or on a prototype of null as the query parser's — not a Buffer, a stream or a file part. */
function isPlainObject(x: unknown): x is Record<string, unknown> {
  if (!x || typeof x !== 'object') return false;
  const proto = Object.getPrototypeOf(x) as object | null;
  return proto === null || proto === Object.prototype || Object.getPrototypeOf(proto) === null;
}

/** String.prototype.isWellFormed and toWellFormed (Node 20; ES2024, newer than the project's TypeScript lib) */
type Es2024String = { isWellFormed(): boolean; toWellFormed(): string };
const unstorableText = (x: string): boolean => x.includes('\u0000') || !(x as unknown as Es2024String).isWellFormed();
/** A name as the error gives it: at most 60 code units, well-formed, without NUL. */
const readable = (k: string): string => (k.slice(0, 60) as unknown as Es2024String).toWellFormed().replace(/\u0000/g, '');

/**
 * The dotted path of the first value in `v` that is a string with NUL or a lone surrogate, or a number that is
 * not finite; or of the first member whose name has NUL or a lone surrogate.
 */
export function unstorableField(v: unknown): string | undefined {
  let seen = 0;
  const walk = (x: unknown, p: string): string | undefined => {
    if (++seen > MAX_NODES) return undefined;
    if (typeof x === 'string') return unstorableText(x) ? p : undefined;
    if (typeof x === 'number') return Number.isFinite(x) ? undefined : p;
    if (Array.isArray(x)) {
      for (let i = 0; i < x.length; i++) {
        const f = walk(x[i], p);
        if (f !== undefined) return f;
      }
      return undefined;
    }
    if (isPlainObject(x)) {
      for (const [k, y] of Object.entries(x)) {
        const name = readable(k) || '?';
        const at = p ? `${p}.${name}` : name;
        if (unstorableText(k)) return at;
        const f = walk(y, at);
        if (f !== undefined) return f;
      }
    }
    return undefined;
  };
  return walk(v, '');
}

export const UNSTORABLE_INPUT_MESSAGE = '参数含有无法处理的内容（NUL 控制字符、不成对的 Unicode 代理字符或超出范围的数字）';

/** preHandler: the query, the path parameters and the body after parsing and coercion. */
export function checkStorableInput(req: FastifyRequest): void {
  const field = unstorableField(req.params) ?? unstorableField(req.query) ?? unstorableField(req.body);
  if (field !== undefined) throw new InvalidParameterError(readable(field) || 'body', UNSTORABLE_INPUT_MESSAGE);
}
