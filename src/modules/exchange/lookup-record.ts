/**
 * 按标识查询一条记录 through the exchange: default deny, exact grant, masked items, durable evidence.
 *
 * One statement reads the resource, the caller's grants on it and — only under a grant in force — the record
 * at the resource's data version (for all the lookups arriving together: read-lookup-access.ts): a revoked or
 * expired grant stops the very next call, on every server. The call is then counted against the grant's rate,
 * checked against its items and row filter, and written as evidence (`exchange.records_read` chained into the
 * audit log + the record's subject in data_access_subjects) before anything is returned. A key not found is
 * evidence too (record null). A refusal is recorded (`exchange.refused`) and thrown: ExchangeRefusedError (403,
 * with `reason`), RateLimitedError (429), NotFoundError for an unknown resource; bad input is
 * InvalidParameterError (400).
 *
 * Do not call it inside a transaction: the evidence is committed by the exchange log's own transaction.
 */
import type { AppContext } from '../../http/context.ts';
import type { RowFilter } from '../../db/schema.ts';
import { accessSubjectKey, subjectHash } from './access-subject.ts';
import { checkAccess, checkCaseRef, checkItems, checkKey, checkOnBehalfOf, checkPurpose, checkResourceCode, hitGrantRate, newRequestId, passesRowFilter, refuse, writeReadEvidence } from './exchange-call.ts';
import { projectRecord } from './masking.ts';
import { requestHash } from './request-hash.ts';
import { itemValue, resourceMeta, subjectIdentifier } from './resource-meta.ts';
import type { LookupAccessRow } from './read-lookup-access.ts';
import type { ExchangeCaller, HashedRequest, LookupResult } from './exchange.types.ts';

export type { ExchangeCaller, LookupResult } from './exchange.types.ts';

export async function lookupRecord(
  ctx: AppContext,
  caller: ExchangeCaller,
  input: { resourceCode: string; key: string; purpose: string; caseRef: string; items?: string[]; requestId?: string },
  /** the rows already read for this resource and key with the caller's token (prefetchLookup): used only for that caller */
  read?: { departmentId: number; clientId: string; rows: LookupAccessRow[] },
): Promise<LookupResult> {
  const at = new Date().toISOString();
  const requestId = newRequestId(input.requestId);
  const purpose = checkPurpose(input.purpose);
  const caseRef = checkCaseRef(input.caseRef);
  const asGiven = checkKey(input.key);
  const asked = checkItems(input.items);
  const onBehalfOf = checkOnBehalfOf(caller.onBehalfOf);
  const code = checkResourceCode(input.resourceCode);
  const refusal = { resourceCode: code, requestId, method: 'lookup' as const, purpose, caseRef, items: asked };

  // the resource, the caller's grants on it, and the record only under a grant in force: one round trip, shared
  // with the lookups arriving at the same time
  const rows =
    read && read.departmentId === caller.departmentId && read.clientId === caller.clientId
      ? read.rows
      : (await ctx.exchangeLookups.load({ code, key: asGiven, departmentId: caller.departmentId, clientId: caller.clientId })).rows;

  const { resource: r0, live } = await checkAccess(ctx, caller, rows, refusal, asked);

  const meta = await resourceMeta(ctx.db, r0.resource_id, r0.meta_version);
  // the key as the records hold it (an ID number's x in upper case …), as the read above compared it
  const key = itemValue(meta, meta.keyItem, asGiven);
  const rawData = rows.find((r) => r.data !== null)?.data ?? null;
  const data = (typeof rawData === 'string' ? JSON.parse(rawData) : rawData) as Record<string, unknown> | null;
  const grant = (data && live.find((g) => passesRowFilter(g.rowFilter, data))) || live[0]!;

  const rate = hitGrantRate(ctx, grant);
  if (!rate.allowed) throw await refuse(ctx, caller, { ...refusal, reason: 'rate_limited', grantId: grant.id, retryAfterSeconds: rate.retryAfterSeconds });
  // outside the row filter: refused, and nothing of the record is told
  if (data && !passesRowFilter(grant.rowFilter as RowFilter, data)) throw await refuse(ctx, caller, { ...refusal, reason: 'row_outside_filter', grantId: grant.id });

  // only items the resource still declares (an item dropped from the entry is not returned)
  const items = (asked ?? grant.items).filter((i) => meta.itemKeys.has(i));
  const record = data ? projectRecord(data, items, meta.masks, grant.clearItems) : null;
  // members in JCS order, as requestHash canonicalises them
  const request: HashedRequest = { at, caseRef, client: caller.clientId, department: caller.departmentId, items, key, method: 'lookup', onBehalfOf, purpose, requestId, resource: code };
  const hash = requestHash(request);
  const subject = subjectHash(await accessSubjectKey(ctx.db), subjectIdentifier(meta, key, data));

  const { seq } = await writeReadEvidence(ctx, { ...caller, onBehalfOf }, {
    method: 'lookup', code, requestId, requestHash: hash, at, grantId: grant.id, purpose, caseRef, items,
    version: r0.data_version, count: record ? 1 : 0, subjects: [subject],
  });
  return { requestId, requestHash: hash, grantId: grant.id, resourceCode: code, version: r0.data_version, record, auditSeq: seq, items, request };
}
