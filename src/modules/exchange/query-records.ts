/**
 * 条件查询 through the exchange: equality filters on granted items, one page (≤ 100 rows) in key order, only
 * the granted items, masked as the grant says; the grant's row filter is ANDed to the filters. The grant is
 * checked against the database on the call; one evidence event lists the subjects of the page returned.
 */
import { sql, type RawBuilder } from 'kysely';
import type { AppContext } from '../../http/context.ts';
import { InvalidParameterError } from '../../shared/errors.ts';
import { accessSubjectKey, subjectHash } from './access-subject.ts';
import {
  checkCaseRef,
  checkFilters,
  checkItems,
  checkOnBehalfOf,
  checkPurpose,
  checkResourceCode,
  grantsForCall,
  hitGrantRate,
  newRequestId,
  refuse,
  writeReadEvidence,
  type LiveGrant,
} from './exchange-call.ts';
import { projectRecord } from './masking.ts';
import { requestHash } from './request-hash.ts';
import { itemValue, resourceMeta, subjectIdentifier, type ResourceMeta } from './resource-meta.ts';
import { PAGE_DEFAULT_ROWS, PAGE_MAX_ROWS, type ExchangeCaller, type HashedRequest, type QueryInput, type QueryResult } from './exchange.types.ts';

const MAX_START = 100_000;

export async function queryRecords(ctx: AppContext, caller: ExchangeCaller, input: QueryInput & { requestId?: string }): Promise<QueryResult> {
  const at = new Date().toISOString();
  const requestId = newRequestId(input.requestId);
  const purpose = checkPurpose(input.purpose);
  const caseRef = checkCaseRef(input.caseRef);
  const asked = checkItems(input.items);
  const onBehalfOf = checkOnBehalfOf(caller.onBehalfOf);
  const rows = input.rows ?? PAGE_DEFAULT_ROWS;
  const start = input.start ?? 0;
  if (!Number.isInteger(rows) || rows < 1 || rows > PAGE_MAX_ROWS) throw new InvalidParameterError('rows', `每页条数应为 1 到 ${PAGE_MAX_ROWS} 之间的整数`);
  if (!Number.isInteger(start) || start < 0 || start > MAX_START) throw new InvalidParameterError('start', `起始位置应为 0 到 ${MAX_START} 之间的整数`);
  const given = checkFilters(input.filters);
  const code = checkResourceCode(input.resourceCode);
  const refusal = { resourceCode: code, requestId, method: 'query' as const, purpose, caseRef, items: asked };

  const { resource: r0, live } = await grantsForCall(ctx, caller, code, refusal, asked);
  // filters only on granted items: otherwise a filter would tell what an item withheld holds
  const filterItems = Object.keys(given);
  const grant = live.find((g) => filterItems.every((i) => g.items.includes(i)));
  if (!grant) throw await refuse(ctx, caller, { ...refusal, reason: 'filter_not_granted', grantId: live[0]!.id });
  const meta = await resourceMeta(ctx.db, r0.resource_id, r0.meta_version);
  // values of identifier items (the key, a 身份证号 / 信用代码) as the records hold them: an ID number's x in upper case …
  const filters = Object.fromEntries(Object.entries(given).map(([item, value]) => [item, itemValue(meta, item, value)]));
  // nor on an item shared masked (unless it is how records are found: the key, a 身份证号 / 信用代码): a caller
  // holding a guess of a masked name or address would learn from the answer whether it is right
  if (filterItems.some((i) => maskedNotIdentifier(meta, grant, i))) throw await refuse(ctx, caller, { ...refusal, reason: 'filter_on_masked_item', grantId: grant.id });
  const rate = hitGrantRate(ctx, grant);
  if (!rate.allowed) throw await refuse(ctx, caller, { ...refusal, reason: 'rate_limited', grantId: grant.id, retryAfterSeconds: rate.retryAfterSeconds });

  // the records in force: the open rows (a version closes rows only as it commits with data_version, so these
  // are version v's unless a load commits in between — then the newer one's, which the evidence still names v)
  const v = r0.data_version;
  const conditions: RawBuilder<unknown>[] = [];
  for (const [item, value] of Object.entries(filters)) {
    conditions.push(item === meta.keyItem ? sql`d.record_key = ${value}` : sql`d.data->>${item}::text = ${value}`);
  }
  for (const [item, values] of Object.entries(grant.rowFilter)) conditions.push(sql`d.data->>${item}::text = ANY(${values}::text[])`);
  const where = conditions.length ? sql`AND ${sql.join(conditions, sql` AND `)}` : sql``;
  const { rows: found } = await sql<{ record_key: string; data: Record<string, unknown> | string; total: number }>`
    SELECT d.record_key, d.data, count(*) OVER () AS total
      FROM data_records d
     WHERE d.resource_id = ${r0.resource_id} AND d.removed_in IS NULL ${where}
     ORDER BY d.record_key
     LIMIT ${rows} OFFSET ${start}`.execute(ctx.db);
  let total = found.length ? Number(found[0]!.total) : 0;
  if (!found.length && start > 0) {
    const c = await sql<{ n: number }>`
      SELECT count(*) AS n FROM data_records d
       WHERE d.resource_id = ${r0.resource_id} AND d.removed_in IS NULL ${where}`.execute(ctx.db);
    total = Number(c.rows[0]?.n ?? 0);
  }

  const items = (asked ?? grant.items).filter((i) => meta.itemKeys.has(i));
  const hmacKey = await accessSubjectKey(ctx.db);
  const records: Record<string, unknown>[] = [];
  const subjects: string[] = [];
  for (const f of found) {
    const data = (typeof f.data === 'string' ? JSON.parse(f.data) : f.data) as Record<string, unknown>;
    records.push(projectRecord(data, items, meta.masks, grant.clearItems));
    subjects.push(subjectHash(hmacKey, subjectIdentifier(meta, f.record_key, data)));
  }
  // members in JCS order, as requestHash canonicalises them
  const request: HashedRequest = { at, caseRef, client: caller.clientId, department: caller.departmentId, filters, items, method: 'query', onBehalfOf, purpose, requestId, resource: code, rows, start };
  const hash = requestHash(request);
  const { seq } = await writeReadEvidence(ctx, { ...caller, onBehalfOf }, {
    method: 'query', code, requestId, requestHash: hash, at, grantId: grant.id, purpose, caseRef, items,
    version: v, count: records.length, subjects, more: { filterItems, rows, start, total },
  });
  return { requestId, requestHash: hash, grantId: grant.id, resourceCode: code, version: v, total, rows, start, records, auditSeq: seq, items, request };
}

/** The item is returned masked under the grant and is neither the key nor an identifier (身份证号 / 信用代码). */
function maskedNotIdentifier(meta: ResourceMeta, grant: LiveGrant, item: string): boolean {
  if (item === meta.keyItem || !meta.masks.has(item) || grant.clearItems.has(item)) return false;
  const type = meta.items.find((i) => i.key === item)?.type;
  return type !== 'resident_id' && type !== 'credit_code';
}
