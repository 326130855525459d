/**
 * 共享授权: the grants of the caller's departments as consumer (data.share.request), or the grants on their
 * departments' resources as provider (data.share.review); and one grant, seen by either side or the platform.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { can, departmentsInScope } from '../access/authorize.ts';
import type { Principal } from '../access/principal.ts';
import type { AuditActor } from '../audit/audit.types.ts';
import { ForbiddenError } from '../../shared/errors.ts';
import type { Paged, ShareGrantView, ShareRole } from './data-sharing.types.ts';
import { grantQuery, loadGrantVisible, toGrantView, type GrantRow } from './share-views.ts';

export async function listShareGrants(
  db: Kysely<DB>,
  p: Principal,
  o: { role: ShareRole; state?: 'active' | 'revoked' | 'expired'; page?: number; size?: number },
): Promise<Paged<ShareGrantView>> {
  const permission = o.role === 'consumer' ? 'data.share.request' : 'data.share.review';
  if (!can(p, permission)) throw new ForbiddenError();
  const page = Math.max(1, o.page ?? 1);
  const size = Math.min(200, Math.max(1, o.size ?? 50));
  const departments = await departmentsInScope(db, p, permission);
  if (!departments.length) return { items: [], total: 0, page, size };
  const now = new Date();
  let q = grantQuery(db);
  q = o.role === 'consumer' ? q.where('g.consumer_department_id', 'in', departments) : q.where('d.provider_department_id', 'in', departments);
  if (o.state === 'revoked') q = q.where('g.status', '=', 'revoked');
  else if (o.state === 'active') q = q.where('g.status', '=', 'active').where('g.expires_at', '>', now);
  else if (o.state === 'expired') q = q.where('g.status', '=', 'active').where('g.expires_at', '<=', now);
  const counted = await q.clearSelect().select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
  const rows = (await q.orderBy('g.id', 'desc').limit(size).offset((page - 1) * size).execute()) as GrantRow[];
  return { items: rows.map((g) => toGrantView(g, now)), total: Number(counted?.n ?? 0), page, size };
}

export async function getShareGrant(db: Kysely<DB>, p: Principal, id: number, actor: AuditActor): Promise<ShareGrantView> {
  return toGrantView(await loadGrantVisible(db, p, id, actor));
}
