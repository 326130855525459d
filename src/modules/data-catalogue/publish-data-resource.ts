/**
 * 发布 / 停用数据资源目录: a draft (or a retired entry) is published — it can be found in the catalogue and
 * requested — with its publication date; a published entry is retired (no longer listed or requested; existing
 * grants are the sharing module's business). The change and its `data_resource.published` event (with
 * `details.status`) are one transaction. Publishing is not a meta version: the metadata does not change.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { Principal } from '../access/principal.ts';
import type { AuditActor } from '../audit/audit.types.ts';
import { recordAuditEvent } from '../audit/record-audit-event.ts';
import { AppError } from '../../shared/errors.ts';
import type { DataResourceView } from './data-catalogue.types.ts';
import { loadResourceInScope } from './get-data-resource.ts';

async function setStatus(
  db: Kysely<DB>,
  p: Principal,
  code: string,
  to: 'published' | 'retired',
  reason: string | undefined,
  actor: AuditActor,
): Promise<DataResourceView> {
  const { row: seen } = await loadResourceInScope(db, p, code, actor);
  await db.transaction().execute(async (trx) => {
    const cur = await trx.selectFrom('data_resources').select(['id', 'status', 'meta_version', 'data_version', 'provider_department_id']).where('id', '=', seen.id).forUpdate().executeTakeFirstOrThrow();
    if (to === 'published' && cur.status === 'published') throw new AppError('CONFLICT', '该资源已发布', 'status');
    if (to === 'retired' && cur.status !== 'published') throw new AppError('CONFLICT', '只有已发布的资源可以停用', 'status');
    const now = new Date();
    await trx
      .updateTable('data_resources')
      .set(to === 'published' ? { status: 'published', published_at: now, updated_at: now } : { status: 'retired', updated_at: now })
      .where('id', '=', cur.id)
      .execute();
    await recordAuditEvent(trx, {
      action: 'data_resource.published',
      actor,
      target: { type: 'data_resource', id: code },
      details: { resourceId: cur.id, status: to, from: cur.status, metaVersion: cur.meta_version, dataVersion: cur.data_version, departmentId: cur.provider_department_id, ...(reason ? { reason } : {}) },
    });
  });
  return (await loadResourceInScope(db, p, code, actor)).view;
}

export async function publishDataResource(db: Kysely<DB>, p: Principal, code: string, actor: AuditActor): Promise<DataResourceView> {
  return setStatus(db, p, code, 'published', undefined, actor);
}

export async function retireDataResource(db: Kysely<DB>, p: Principal, code: string, o: { reason?: string }, actor: AuditActor): Promise<DataResourceView> {
  return setStatus(db, p, code, 'retired', o.reason?.trim().slice(0, 1000) || undefined, actor);
}
