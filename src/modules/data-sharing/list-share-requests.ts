/**
 * 共享申请列表, from three sides:
 * - consumer: the requests of the departments the caller may request for (data.share.request);
 * - provider: the requests for resources of the departments the caller reviews (data.share.review) — the
 *   inbox: pending first, the earliest due first, overdue ones marked;
 * - overdue: pending requests past their due time, for the platform (data.share.oversee over the provider).
 * A caller without the side's permission anywhere gets a 403; rows outside their departments never appear.
 */
import { sql, type Kysely } from 'kysely';
import type { DB, ShareRequestStatus } from '../../db/schema.ts';
import { can, departmentsInScope } from '../access/authorize.ts';
import type { Permission } from '../access/permissions.ts';
import type { Principal } from '../access/principal.ts';
import { ForbiddenError } from '../../shared/errors.ts';
import type { Paged, ShareRequestView } from './data-sharing.types.ts';
import { requestQuery, toRequestView, type RequestRow } from './share-views.ts';

export type RequestListRole = 'consumer' | 'provider' | 'overdue';

const PERMISSION: Record<RequestListRole, Permission> = { consumer: 'data.share.request', provider: 'data.share.review', overdue: 'data.share.oversee' };

export async function listShareRequests(
  db: Kysely<DB>,
  p: Principal,
  o: { role: RequestListRole; status?: ShareRequestStatus; page?: number; size?: number },
): Promise<Paged<ShareRequestView>> {
  const permission = PERMISSION[o.role];
  if (!can(p, permission)) throw new ForbiddenError();
  const page = Math.max(1, o.page ?? 1);
  const size = Math.min(200, Math.max(1, o.size ?? 50));
  const departments = await departmentsInScope(db, p, permission);
  if (!departments.length) return { items: [], total: 0, page, size };
  const now = new Date();

  let q = requestQuery(db);
  if (o.role === 'consumer') q = q.where('r.consumer_department_id', 'in', departments);
  else q = q.where('d.provider_department_id', 'in', departments);
  if (o.role === 'overdue') q = q.where('r.status', '=', 'pending').where('r.due_at', '<', now);
  else if (o.status) q = q.where('r.status', '=', o.status);

  const counted = await q.clearSelect().select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
  const total = Number(counted?.n ?? 0);
  if (o.role === 'consumer') q = q.orderBy('r.id', 'desc');
  else q = q.orderBy(sql`CASE WHEN r.status = 'pending' THEN 0 ELSE 1 END`).orderBy('r.due_at', 'asc').orderBy('r.id', 'desc');
  const rows = (await q.limit(size).offset((page - 1) * size).execute()) as RequestRow[];
  return { items: rows.map((r) => toRequestView(r, now)), total, page, size };
}
