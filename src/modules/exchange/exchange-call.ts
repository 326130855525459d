/**
 * What every exchange call shares: checking its input (purpose, case reference, items), choosing the grant
 * that covers it (default deny, exact), the grant's rate limit, and recording a refusal before it is thrown.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { AppContext } from '../../http/context.ts';
import type { RowFilter } from '../../db/schema.ts';
import type { AuditActor } from '../audit/audit.types.ts';
import { InvalidParameterError, NotFoundError, RateLimitedError } from '../../shared/errors.ts';
import { ExchangeRefusedError, REFUSAL_MESSAGES } from './exchange.errors.ts';
import type { ExchangeCaller, RefusalReason } from './exchange.types.ts';

export const ITEM_KEY = /^[a-z][a-z0-9_]{0,62}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
// control characters have no place in a purpose, a case reference or a key
const CONTROL = /[\u0000-\u001f\u007f]/;

export function checkPurpose(v: unknown): string {
  const s = typeof v === 'string' ? v.trim() : '';
  const n = [...s].length;
  if (n < 2 || n > 200 || CONTROL.test(s)) throw new InvalidParameterError('purpose', '每次调用须说明用途（purpose，2–200 个字）');
  return s;
}

export function checkCaseRef(v: unknown): string {
  const s = typeof v === 'string' ? v.trim() : '';
  if (!s || [...s].length > 64 || CONTROL.test(s)) throw new InvalidParameterError('case', '每次调用须注明所服务的办件编号或案件编号（case，1–64 个字符）');
  return s;
}

export function checkResourceCode(v: unknown): string {
  const s = typeof v === 'string' ? v.trim() : '';
  if (!s || s.length > 64 || CONTROL.test(s)) throw new InvalidParameterError('code', '资源代码不正确（1–64 个字符）');
  return s;
}

export function checkKey(v: unknown): string {
  const s = typeof v === 'string' ? v.trim() : '';
  if (!s || s.length > 100 || CONTROL.test(s)) throw new InvalidParameterError('key', '记录标识不正确（1–100 个字符）');
  return s;
}

/** A query's equality filters: at most 10, on item keys, each value 1–200 characters without control characters. */
export function checkFilters(v: Readonly<Record<string, unknown>> | undefined): Record<string, string> {
  const filters: Record<string, string> = {};
  for (const [k, value] of Object.entries(v ?? {})) {
    if (!ITEM_KEY.test(k)) throw new InvalidParameterError(`filter.${k.slice(0, 40)}`, '查询条件的信息项代码不正确');
    const s = typeof value === 'string' ? value.trim() : '';
    if (!s || s.length > 200 || CONTROL.test(s)) throw new InvalidParameterError(`filter.${k}`, '查询条件的值不正确（1–200 个字符，不含控制字符）');
    filters[k] = s;
  }
  if (Object.keys(filters).length > 10) throw new InvalidParameterError('filter', '查询条件不能超过 10 个');
  return filters;
}

/** The items asked for, each once, in the order given; undefined or empty: all the grant's items. */
export function checkItems(v: readonly string[] | undefined): string[] | undefined {
  if (!v) return undefined;
  const items = [...new Set(v.map((s) => s.trim()).filter(Boolean))];
  if (!items.length) return undefined;
  if (items.length > 100) throw new InvalidParameterError('items', '信息项不能超过 100 个');
  const bad = items.find((i) => !ITEM_KEY.test(i));
  if (bad !== undefined) throw new InvalidParameterError('items', `信息项代码不正确：${bad.slice(0, 40)}`);
  return items;
}

export function checkOnBehalfOf(v: string | null | undefined): string | null {
  if (v === null || v === undefined) return null;
  const s = v.trim();
  if (!s) return null;
  if (s.length > 100 || CONTROL.test(s)) throw new InvalidParameterError('onBehalfOf', '代表的用户标识不正确（最长 100 个字符）');
  return s;
}

/** A request id: the one given (a fresh uuid from the route), or a new one. */
export function newRequestId(given?: string): string {
  return given && UUID.test(given) ? given : randomUUID();
}

/** One grant of the consumer on the resource, as the access statement returns it. */
export interface GrantRow {
  grant_id: number | null;
  items: string[] | null;
  clear_items: string[] | null;
  row_filter: RowFilter | string | null;
  rate_per_minute: number | null;
  grant_status: 'active' | 'revoked' | null;
  in_force: boolean | null;
}

export interface LiveGrant {
  id: number;
  items: string[];
  clearItems: Set<string>;
  rowFilter: RowFilter;
  ratePerMinute: number;
}

/**
 * The grants in force that cover `needed` items, best first; or why none does. A grant for a department's
 * staff does not cover its clients, nor one client's grant another (the statement matched client_id exactly).
 */
export function chooseGrants(rows: readonly GrantRow[], needed: readonly string[] | undefined): { live: LiveGrant[] } | { reason: RefusalReason; grantId?: number } {
  const present = rows.filter((r) => r.grant_id !== null);
  const inForce = present.filter((r) => r.grant_status === 'active' && r.in_force);
  if (!inForce.length) {
    const expired = present.find((r) => r.grant_status === 'active');
    if (expired) return { reason: 'expired', grantId: expired.grant_id! };
    const revoked = present.find((r) => r.grant_status === 'revoked');
    if (revoked) return { reason: 'revoked', grantId: revoked.grant_id! };
    return { reason: 'no_grant' };
  }
  const live = inForce.map(
    (r): LiveGrant => ({
      id: r.grant_id!,
      items: r.items ?? [],
      clearItems: new Set(r.clear_items ?? []),
      rowFilter: (typeof r.row_filter === 'string' ? JSON.parse(r.row_filter) : (r.row_filter ?? {})) as RowFilter,
      ratePerMinute: r.rate_per_minute ?? 1,
    }),
  );
  const covering = needed ? live.filter((g) => needed.every((i) => g.items.includes(i))) : live;
  if (!covering.length) return { reason: 'item_not_granted', grantId: live[0]!.id };
  return { live: covering };
}

/** The record passes the grant's row filter: for each filtered item, its value is one of the allowed values. */
export function passesRowFilter(filter: RowFilter, data: Record<string, unknown>): boolean {
  for (const [item, values] of Object.entries(filter)) {
    const v = data[item];
    if (v === null || v === undefined || !values.includes(String(v))) return false;
  }
  return true;
}

/** The evidence actor: who called, on whose behalf, for which consuming department. */
export function evidenceActor(caller: ExchangeCaller, requestId: string): AuditActor {
  return { ...caller.actor, onBehalfOf: caller.onBehalfOf, departmentId: caller.departmentId, requestId: caller.actor.requestId ?? requestId };
}

/** The resource and the caller's grants on it, as read for a call (PostgreSQL: one prepared statement). */
export interface ResourceGrantRow extends GrantRow {
  resource_id: number;
  resource_status: 'draft' | 'published' | 'retired';
  share_type: 'unconditional' | 'conditional' | 'none';
  meta_version: number;
  data_version: number;
}

/**
 * The resource `code` and the caller's grants in force that cover `asked` (all their items when undefined) —
 * or the refusal recorded and thrown: unknown resource, not shared, no grant (or none in force, or too narrow).
 */
export async function grantsForCall(
  ctx: AppContext,
  caller: ExchangeCaller,
  code: string,
  refusal: Omit<Parameters<typeof refuse>[2], 'reason' | 'grantId'>,
  asked: readonly string[] | undefined,
): Promise<{ resource: ResourceGrantRow; live: LiveGrant[] }> {
  const { rows } = await sql<ResourceGrantRow>`/* prepared:exchange_grants */
    SELECT r.id AS resource_id, r.status AS resource_status, r.share_type, r.meta_version, r.data_version,
           g.id AS grant_id, g.items, g.clear_items, g.row_filter, g.rate_per_minute, g.status AS grant_status,
           (g.starts_at <= now() AND g.expires_at > now()) AS in_force
      FROM data_resources r
      LEFT JOIN share_grants g
        ON g.resource_id = r.id AND g.consumer_department_id = ${caller.departmentId} AND g.client_id IS NOT DISTINCT FROM ${caller.clientId}::text
     WHERE r.code = ${code}
     ORDER BY g.id DESC NULLS LAST`.execute(ctx.db);
  return checkAccess(ctx, caller, rows, refusal, asked);
}

/**
 * The resource and the caller's grants as a call's statement read them (the resource's row, joined to each grant):
 * the grants in force that cover `asked` — or the refusal recorded and thrown: unknown resource, not shared, no
 * grant (or none in force, or too narrow).
 */
export async function checkAccess<R extends ResourceGrantRow>(
  ctx: AppContext,
  caller: ExchangeCaller,
  rows: readonly R[],
  refusal: Omit<Parameters<typeof refuse>[2], 'reason' | 'grantId'>,
  asked: readonly string[] | undefined,
): Promise<{ resource: R; live: LiveGrant[] }> {
  const resource = rows[0];
  if (!resource) throw await refuse(ctx, caller, { ...refusal, reason: 'unknown_resource' });
  if (resource.resource_status !== 'published' || resource.share_type === 'none') throw await refuse(ctx, caller, { ...refusal, reason: 'resource_not_shared' });
  const choice = chooseGrants(rows, asked);
  if ('reason' in choice) throw await refuse(ctx, caller, { ...refusal, reason: choice.reason, grantId: choice.grantId });
  return { resource, live: choice.live };
}

/**
 * Writes `exchange.records_read` — what was read, for whom, why, under which grant, and whose records (subject
 * hashes) — through the exchange log; resolves with its audit seq once committed, before anything is answered.
 */
export function writeReadEvidence(
  ctx: AppContext,
  caller: ExchangeCaller,
  o: {
    method: 'lookup' | 'query';
    code: string;
    requestId: string;
    requestHash: string;
    at: string;
    grantId: number;
    purpose: string;
    caseRef: string;
    items: string[];
    version: number;
    count: number;
    subjects: string[];
    /** what only this method records (a query's filters, page and total) */
    more?: Record<string, unknown>;
  },
): Promise<{ seq: number }> {
  return ctx.exchangeLog.write({
    event: {
      action: 'exchange.records_read',
      actor: evidenceActor(caller, o.requestId),
      target: { type: 'data_resource', id: o.code },
      // members in JCS order (the audit hash canonicalises them: a lookup's are passed as they are; a query's
      // `more` members come first and make a copy in order)
      details: {
        ...o.more,
        caseRef: o.caseRef,
        ...(caller.clientId ? { client: caller.clientId } : {}),
        count: o.count,
        grantId: o.grantId,
        items: o.items,
        method: o.method,
        purpose: o.purpose,
        requestHash: o.requestHash,
        requestId: o.requestId,
        requestedAt: o.at,
        subjects: o.subjects,
        version: o.version,
      },
    },
    subjects: o.subjects,
  });
}

/**
 * Records `exchange.refused` (nothing was returned) and gives the error to throw: 403 with the reason, 429 for
 * the rate, 404 for an unknown resource.
 */
export async function refuse(
  ctx: AppContext,
  caller: ExchangeCaller,
  o: { reason: RefusalReason; resourceCode: string; requestId: string; method: 'lookup' | 'query'; purpose: string; caseRef: string; grantId?: number; items?: string[]; retryAfterSeconds?: number },
): Promise<Error> {
  await ctx.exchangeLog.write({
    event: {
      action: 'exchange.refused',
      actor: evidenceActor(caller, o.requestId),
      target: { type: 'data_resource', id: o.resourceCode.slice(0, 64) },
      outcome: 'denied',
      details: {
        reason: o.reason,
        requestId: o.requestId,
        method: o.method,
        purpose: o.purpose,
        caseRef: o.caseRef,
        ...(o.grantId !== undefined ? { grantId: o.grantId } : {}),
        ...(o.items ? { items: o.items } : {}),
        ...(caller.clientId ? { client: caller.clientId } : {}),
      },
    },
    subjects: [],
  });
  if (o.reason === 'rate_limited') return new RateLimitedError(REFUSAL_MESSAGES.rate_limited, o.retryAfterSeconds);
  if (o.reason === 'unknown_resource') return new NotFoundError(REFUSAL_MESSAGES.unknown_resource, 'resource');
  return new ExchangeRefusedError(o.reason);
}

/** Counts the call against the grant's rate (per minute, shared by every server); the decision. */
export function hitGrantRate(ctx: AppContext, grant: LiveGrant): { allowed: boolean; retryAfterSeconds: number } {
  const d = ctx.rateLimiter.hit(`exchange:grant:${grant.id}`, grant.ratePerMinute, 60_000);
  return { allowed: d.allowed, retryAfterSeconds: d.retryAfterSeconds };
}
