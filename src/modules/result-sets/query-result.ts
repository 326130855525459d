/**
 * 结果查询: one query of a published result set by its key fields (考生号 + 身份证号 …), answered from this
 * server's memory — no database read or write on the way (limits and the log are written behind it).
 *
 * In order: the set (unknown → 404); withdrawn → 404 '该查询已撤回'; before the release time → 403 for
 * everyone, staff included (the caller is not even looked at); the per-IP limit; the key values (every key
 * column, ≤ 64 characters, ID numbers with their check digit: malformed input → 400 naming `values.<key>`);
 * the per-key limit (the set and the first key column's value: one candidate's record cannot be guessed at);
 * then the hash of ALL key values (integers as their number: '+0123' is 123) and one lookup (two for an
 * integer key written with a sign or leading zeros, see below). Any wrong combination — a wrong 考生号, a
 * wrong 身份证号, a wrong 姓名 — takes that same path and gets the same answer: `{ found: false }`, which the
 * routes turn into one fixed response. Every outcome of a known set is logged (the key as its hash, never in clear); a query
 * of an unknown code is not (there is no set to log it against).
 *
 * Release day — how the service stays up when everyone arrives at the same moment:
 * - Nothing on the query path waits for the database. Sets are read into memory ahead of the moment
 *   (YIWANG_RESULT_PRELOAD_MINUTES, 30 by default; ResultSetMemory polls once a second), compactly: ~30 bytes
 *   per row besides the row's JSON, so a million rows of scores take ~200 MB and no garbage-collector work.
 *   The embargo is a comparison with the release time held in memory, so the first query after the moment
 *   is as cheap as any other. Limits are counted in memory and written every 250 ms (one statement for all
 *   buckets, and only for buckets seen twice); the log is written every 200 ms or 2,000 rows (one statement).
 *   The database sees a handful of statements a second per server, whatever the load.
 * - One server: the limit is CPU — one HMAC per query, a hash-table probe, a Buffer copy; anonymous JSON
 *   needs no session lookup. Put a reverse proxy in front (TRUST_PROXY=true so that the per-IP limit counts
 *   clients, not the proxy) and size YIWANG_RESULT_QUERIES_PER_IP for shared addresses (schools, mobile
 *   carriers' NAT) — the per-key limit is what protects a candidate's record.
 * - Several servers: add servers behind the load balancer; each holds its own copy of the sets (loaded before
 *   the moment, so no thundering herd on the database at the moment), limits are shared through
 *   `rate_counters` (bounded overshoot: see SharedRateLimiter), the log goes to one table. Servers must keep
 *   their clocks in step (NTP): each decides the embargo by its own clock. A server started after the moment
 *   loads a released set on its first query, once (concurrent queries wait for that one load): start
 *   servers before the moment, or take them into the balancer once `isWarm` (the stats) says so.
 * - Changes after the moment (a corrected load, a withdrawal) reach every server within one poll; a corrected
 *   load is swapped in whole when it is read, queries meanwhile answer from the previous rows.
 */
import { hash as digest } from 'node:crypto';
import type { AppContext } from '../../http/context.ts';
import type { ResultColumn, ResultQueryOutcome } from '../../db/schema.ts';
import { AppError, FieldErrorsError, NotFoundError, RateLimitedError } from '../../shared/errors.ts';
import { checkResidentId } from '../../shared/codes/resident-id.ts';
import { keyHash, normalizeKeyValue, spelledKeyValue } from './result-keys.ts';
import type { HeldResultSet } from './result-set-memory.ts';

export type QueryDeps = Pick<AppContext, 'config' | 'resultSets' | 'rateLimiter' | 'resultQueryLog'>;

export interface QueryMeta {
  ip: string;
  requestId: string;
}

export type QueryAnswer =
  | { found: true; set: HeldResultSet; /** the row's JSON as stored (ID numbers masked), a view into memory */ row: Buffer }
  | { found: false; set: HeldResultSet };

export const MAX_KEY_LENGTH = 64;
export const RESULT_NOT_FOUND_MESSAGE = '未查询到结果，请核对输入的信息';
export const WITHDRAWN_MESSAGE = '该查询已撤回';
const IP_WINDOW_MS = 60_000; // resultQueriesPerIp per minute
const KEY_WINDOW_MS = 10 * 60_000; // resultQueriesPerKey per 10 minutes

const CHINA_TIME = new Intl.DateTimeFormat('zh-CN', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** A release time as people here read it (Beijing time): 2026年6月25日 12:00. */
export function formatReleaseTime(d: Date): string {
  const p = Object.fromEntries(CHINA_TIME.formatToParts(d).map((x) => [x.type, x.value]));
  return `${p.year}年${p.month}月${p.day}日 ${p.hour}:${p.minute}`;
}

export function embargoMessage(set: HeldResultSet): string {
  return `成绩将于 ${formatReleaseTime(set.releaseAt)} 发布，届时方可查询`;
}

/** What is wrong with one key value, or null. `normalized` is the value as it is hashed. */
function keyProblem(column: ResultColumn, raw: string | undefined, normalized: string, now: Date): string | null {
  if (raw === undefined || normalized === '') return `请输入${column.label}`;
  if (raw.length > MAX_KEY_LENGTH) return `${column.label}不能超过 ${MAX_KEY_LENGTH} 个字符`;
  switch (column.type) {
    case 'id_number': {
      const p = checkResidentId(normalized, now);
      if (p === 'format') return `${column.label}应为 18 位（前 17 位为数字，最后一位为数字或 X）`;
      if (p === 'birth_date') return `${column.label}中的出生日期不正确，请核对`;
      if (p === 'checksum') return `${column.label}校验位不正确，请核对后重新输入`;
      return null;
    }
    case 'integer':
      return /^-?[0-9]+$/.test(normalized) ? null : `${column.label}应为整数`;
    case 'decimal':
      return /^-?[0-9]+(\.[0-9]+)?$/.test(normalized) ? null : `${column.label}应为数字`;
    default:
      return null;
  }
}

/**
 * The key values checked and normalised, in key order; every problem at once (a form shows each beside its
 * field). Names that are not key columns are refused too: a misspelt field would otherwise look like a miss.
 */
export function checkKeyValues(set: HeldResultSet, values: Record<string, string>, now: Date = new Date()): string[] {
  const errors: { field: string; message: string }[] = [];
  const normalized: string[] = [];
  for (const column of set.keyColumns) {
    const raw = Object.hasOwn(values, column.key) ? values[column.key] : undefined;
    const n = typeof raw === 'string' ? normalizeKeyValue(column, raw) : '';
    const problem = keyProblem(column, typeof raw === 'string' ? raw : undefined, n, now);
    if (problem) errors.push({ field: `values.${column.key}`, message: problem });
    normalized.push(n);
  }
  for (const name of Object.keys(values)) {
    if (!set.keyColumns.some((c) => c.key === name)) errors.push({ field: `values.${name}`, message: `“${name}”不是该查询的查询条件` });
  }
  if (errors.length) throw new FieldErrorsError(errors);
  return normalized;
}

/**
 * The per-key limit's bucket: the set and a salted digest of the first key value — the table of counters
 * never holds a 考生号 or 身份证号 in clear. (A one-shot SHA-256, a tenth of an HMAC's cost: this is a
 * pseudonym for counting, not the key rows are found by.)
 */
function keyBucket(set: HeldResultSet, firstValue: string): string {
  return `rq-key:${set.id}:${digest('sha256', `${set.salt}\u001f${firstValue}`, 'base64url').slice(0, 22)}`;
}

export async function queryResult(deps: QueryDeps, code: string, values: Record<string, string>, meta: QueryMeta, now: Date = new Date()): Promise<QueryAnswer> {
  const set = deps.resultSets.get(code) ?? (await deps.resultSets.find(code));
  if (!set) throw new NotFoundError('该结果查询不存在或尚未发布', 'code');
  const at = now.getTime();
  const log = (outcome: ResultQueryOutcome, hash: string | null = null) =>
    deps.resultQueryLog.append({ setId: set.id, at, ip: meta.ip, keyHash: hash, outcome, requestId: meta.requestId });

  if (set.status === 'withdrawn') {
    log('withdrawn');
    throw new NotFoundError(WITHDRAWN_MESSAGE, 'code');
  }
  if (at < set.releaseAt.getTime()) {
    log('embargoed');
    throw new AppError('NOT_RELEASED', embargoMessage(set));
  }
  const byIp = deps.rateLimiter.hit(`rq-ip:${meta.ip}`, deps.config.resultQueriesPerIp, IP_WINDOW_MS, at);
  if (!byIp.allowed) {
    log('rate_limited');
    throw new RateLimitedError(`查询过于频繁，请 ${byIp.retryAfterSeconds} 秒后再试`, byIp.retryAfterSeconds);
  }
  let normalized: string[];
  try {
    normalized = checkKeyValues(set, values, now);
  } catch (err) {
    log('invalid');
    throw err;
  }
  // from here on every combination takes the same path: all keys hashed, one limit, one lookup
  const hash = keyHash(set.salt, normalized);
  const first = set.keyColumns[0]!;
  const byKey = deps.rateLimiter.hit(keyBucket(set, normalized[0]!), deps.config.resultQueriesPerKey, KEY_WINDOW_MS, at);
  if (!byKey.allowed) {
    log('rate_limited', hash);
    throw new RateLimitedError(`该${first.label}查询次数过多，请 ${Math.ceil(byKey.retryAfterSeconds / 60)} 分钟后再试`, byKey.retryAfterSeconds);
  }
  // Loads made before integer key values were canonicalised hashed them as written in the file ('0123',
  // '+123'): when the input is written that way, that spelling is looked up as well, so such a set keeps
  // answering what it answered before (and more) until it is loaded again. The second lookup depends on how
  // the input is written only, never on the rows.
  const spelled = set.keyColumns.map((c) => spelledKeyValue(c, values[c.key] ?? ''));
  const asWritten = spelled.some((v, i) => v !== normalized[i]) ? spelled : null;
  const rowsOrLoad = deps.resultSets.rowsFor(set);
  const rows = rowsOrLoad instanceof Promise ? await rowsOrLoad : rowsOrLoad;
  // rows read before a change of salt are looked up with the salt they were hashed with
  const row = rows.find(rows.salt === set.salt ? hash : keyHash(rows.salt, normalized)) ?? (asWritten ? rows.find(keyHash(rows.salt, asWritten)) : undefined);
  log(row ? 'found' : 'not_found', hash);
  return row ? { found: true, set, row } : { found: false, set };
}
