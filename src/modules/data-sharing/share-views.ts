/**
 * Reading requests and grants with what their views need (the resource, both departments, who acted), the
 * scopes the access rules decide on (the consumer's and the provider's department), and the check that a
 * caller may see one of them — a refusal is recorded (access.denied) before the 403.
 */
import type { Kysely } from 'kysely';
import type { DataItem, DB, RowFilter, ShareRequestStatus, ShareType } from '../../db/schema.ts';
import { can } from '../access/authorize.ts';
import type { DepartmentScope, Principal } from '../access/principal.ts';
import type { AuditActor } from '../audit/audit.types.ts';
import { recordDenial } from '../staff/assert-can-recorded.ts';
import { NotFoundError } from '../../shared/errors.ts';
import {
  GRANT_STATE_LABELS,
  itemViews,
  REQUEST_STATUS_LABELS,
  SHARE_TYPE_NAMES,
  type GrantState,
  type ResourceRef,
  type ShareGrantView,
  type ShareRequestView,
} from './data-sharing.types.ts';

/** Ids are integer columns: anything outside 1 … 2^31-1 names no row. */
export const MAX_ID = 2_147_483_647;
export function isRowId(n: unknown): n is number {
  return typeof n === 'number' && Number.isInteger(n) && n >= 1 && n <= MAX_ID;
}

const iso = (d: Date | string | null): string | null => (d === null ? null : new Date(d).toISOString());
/** 'YYYY-MM-DD' of a time in China. */
export const chinaDay = (d: Date | string): string => new Date(new Date(d).getTime() + 8 * 3_600_000).toISOString().slice(0, 10);

/** The end of a day in China (23:59:59.999 +08:00): a request due that day is in time until then. */
export function endOfChinaDay(day: string): Date {
  return new Date(`${day}T23:59:59.999+08:00`);
}

interface ResourceCols {
  resource_id: number;
  resource_code: string;
  resource_name: string;
  resource_items: DataItem[];
  share_type: ShareType;
  share_conditions: string;
  provider_id: number;
  provider_name: string;
  provider_kind: string;
  provider_region: string;
  consumer_id: number;
  consumer_name: string;
  consumer_kind: string;
  consumer_region: string;
}

export interface RequestRow extends ResourceCols {
  id: number;
  client_id: string | null;
  items: string[];
  clear_items: string[];
  row_filter: RowFilter;
  purpose: string;
  legal_basis: string;
  scenario: string;
  item_code: string | null;
  duration_days: number;
  rate_per_minute: number;
  status: ShareRequestStatus;
  due_at: Date | null;
  escalated_at: Date | null;
  decided_at: Date | null;
  decided_by_name: string | null;
  reason: string | null;
  grant_id: number | null;
  created_at: Date;
  created_by_name: string | null;
}

export interface GrantRow extends ResourceCols {
  id: number;
  request_id: number | null;
  client_id: string | null;
  items: string[];
  clear_items: string[];
  row_filter: RowFilter;
  purpose: string;
  legal_basis: string;
  scenario: string;
  item_code: string | null;
  rate_per_minute: number;
  starts_at: Date;
  expires_at: Date;
  status: 'active' | 'revoked';
  revoked_at: Date | null;
  revoke_reason: string | null;
  revision: number;
  created_at: Date;
}

/** share_requests with the resource, both departments and the names of who acted. */
export function requestQuery(db: Kysely<DB>) {
  return db
    .selectFrom('share_requests as r')
    .innerJoin('data_resources as d', 'd.id', 'r.resource_id')
    .innerJoin('departments as pd', 'pd.id', 'd.provider_department_id')
    .innerJoin('departments as cd', 'cd.id', 'r.consumer_department_id')
    .leftJoin('accounts as ca', 'ca.id', 'r.created_by')
    .leftJoin('accounts as da', 'da.id', 'r.decided_by')
    .select([
      'r.id',
      'r.client_id',
      'r.items',
      'r.clear_items',
      'r.row_filter',
      'r.purpose',
      'r.legal_basis',
      'r.scenario',
      'r.item_code',
      'r.duration_days',
      'r.rate_per_minute',
      'r.status',
      'r.due_at',
      'r.escalated_at',
      'r.decided_at',
      'da.name as decided_by_name',
      'r.reason',
      'r.grant_id',
      'r.created_at',
      'ca.name as created_by_name',
      'd.id as resource_id',
      'd.code as resource_code',
      'd.name as resource_name',
      'd.items as resource_items',
      'd.share_type',
      'd.share_conditions',
      'pd.id as provider_id',
      'pd.name as provider_name',
      'pd.kind as provider_kind',
      'pd.region_code as provider_region',
      'cd.id as consumer_id',
      'cd.name as consumer_name',
      'cd.kind as consumer_kind',
      'cd.region_code as consumer_region',
    ]);
}

/** share_grants with the resource and both departments. */
export function grantQuery(db: Kysely<DB>) {
  return db
    .selectFrom('share_grants as g')
    .innerJoin('data_resources as d', 'd.id', 'g.resource_id')
    .innerJoin('departments as pd', 'pd.id', 'd.provider_department_id')
    .innerJoin('departments as cd', 'cd.id', 'g.consumer_department_id')
    .select([
      'g.id',
      'g.request_id',
      'g.client_id',
      'g.items',
      'g.clear_items',
      'g.row_filter',
      'g.purpose',
      'g.legal_basis',
      'g.scenario',
      'g.item_code',
      'g.rate_per_minute',
      'g.starts_at',
      'g.expires_at',
      'g.status',
      'g.revoked_at',
      'g.revoke_reason',
      'g.revision',
      'g.created_at',
      'd.id as resource_id',
      'd.code as resource_code',
      'd.name as resource_name',
      'd.items as resource_items',
      'd.share_type',
      'd.share_conditions',
      'pd.id as provider_id',
      'pd.name as provider_name',
      'pd.kind as provider_kind',
      'pd.region_code as provider_region',
      'cd.id as consumer_id',
      'cd.name as consumer_name',
      'cd.kind as consumer_kind',
      'cd.region_code as consumer_region',
    ]);
}

export const providerScope = (r: ResourceCols): DepartmentScope => ({ departmentId: r.provider_id, departmentKind: r.provider_kind as DepartmentScope['departmentKind'], regionCode: r.provider_region });
export const consumerScope = (r: ResourceCols): DepartmentScope => ({ departmentId: r.consumer_id, departmentKind: r.consumer_kind as DepartmentScope['departmentKind'], regionCode: r.consumer_region });

function resourceRef(r: ResourceCols): ResourceRef {
  return {
    id: r.resource_id,
    code: r.resource_code,
    name: r.resource_name,
    shareType: r.share_type,
    shareTypeLabel: SHARE_TYPE_NAMES[r.share_type],
    shareConditions: r.share_conditions,
    provider: { id: r.provider_id, name: r.provider_name },
  };
}

export function toRequestView(r: RequestRow, now: Date = new Date()): ShareRequestView {
  const overdue = r.status === 'pending' && r.due_at !== null && new Date(r.due_at).getTime() < now.getTime();
  return {
    id: r.id,
    status: r.status,
    statusLabel: REQUEST_STATUS_LABELS[r.status],
    resource: resourceRef(r),
    consumer: { id: r.consumer_id, name: r.consumer_name },
    clientId: r.client_id,
    items: itemViews(r.resource_items, r.items),
    clearItems: r.clear_items,
    rowFilter: r.row_filter ?? {},
    purpose: r.purpose,
    legalBasis: r.legal_basis,
    scenario: r.scenario,
    itemCode: r.item_code,
    durationDays: r.duration_days,
    ratePerMinute: r.rate_per_minute,
    dueAt: iso(r.due_at),
    dueDay: r.due_at ? chinaDay(r.due_at) : null,
    overdue,
    escalatedAt: iso(r.escalated_at),
    decidedAt: iso(r.decided_at),
    decidedBy: r.decided_by_name,
    reason: r.reason,
    grantId: r.grant_id,
    createdAt: new Date(r.created_at).toISOString(),
    createdBy: r.created_by_name,
  };
}

export function grantState(g: { status: 'active' | 'revoked'; expires_at: Date }, now: Date = new Date()): GrantState {
  if (g.status === 'revoked') return 'revoked';
  return new Date(g.expires_at).getTime() <= now.getTime() ? 'expired' : 'active';
}

export function toGrantView(g: GrantRow, now: Date = new Date()): ShareGrantView {
  const state = grantState(g, now);
  return {
    id: g.id,
    requestId: g.request_id,
    state,
    stateLabel: GRANT_STATE_LABELS[state],
    resource: resourceRef(g),
    consumer: { id: g.consumer_id, name: g.consumer_name },
    clientId: g.client_id,
    items: itemViews(g.resource_items, g.items),
    clearItems: g.clear_items,
    rowFilter: g.row_filter ?? {},
    purpose: g.purpose,
    legalBasis: g.legal_basis,
    scenario: g.scenario,
    itemCode: g.item_code,
    ratePerMinute: g.rate_per_minute,
    startsAt: new Date(g.starts_at).toISOString(),
    expiresAt: new Date(g.expires_at).toISOString(),
    revokedAt: iso(g.revoked_at),
    revokeReason: g.revoke_reason,
    revision: g.revision,
    createdAt: new Date(g.created_at).toISOString(),
  };
}

/** May the caller see this request or grant: its consumer's requesters, its provider's reviewers, the platform. */
export function maySee(p: Principal, r: ResourceCols): boolean {
  const c = consumerScope(r);
  const pr = providerScope(r);
  return can(p, 'data.share.request', c) || can(p, 'data.share.review', pr) || can(p, 'data.share.oversee', pr) || can(p, 'data.share.oversee', c);
}

/** One request the caller may see; 404 when there is none, a recorded 403 when it is outside the caller's scope. */
export async function loadRequestVisible(db: Kysely<DB>, p: Principal, id: number, actor: AuditActor): Promise<RequestRow> {
  const r = isRowId(id) ? ((await requestQuery(db).where('r.id', '=', id).executeTakeFirst()) as RequestRow | undefined) : undefined;
  if (!r) throw new NotFoundError('没有找到该共享申请', 'id');
  if (!maySee(p, r)) {
    throw await recordDenial(db, { actor, target: { type: 'share_request', id: String(id) } }, { reason: 'out_of_scope', departmentId: r.consumer_id }, '您无权查看该共享申请');
  }
  return r;
}

/** One grant the caller may see; 404 / recorded 403 as for requests. */
export async function loadGrantVisible(db: Kysely<DB>, p: Principal, id: number, actor: AuditActor): Promise<GrantRow> {
  const g = isRowId(id) ? ((await grantQuery(db).where('g.id', '=', id).executeTakeFirst()) as GrantRow | undefined) : undefined;
  if (!g) throw new NotFoundError('没有找到该共享授权', 'id');
  if (!maySee(p, g)) {
    throw await recordDenial(db, { actor, target: { type: 'share_grant', id: String(id) } }, { reason: 'out_of_scope', departmentId: g.consumer_id }, '您无权查看该共享授权');
  }
  return g;
}
