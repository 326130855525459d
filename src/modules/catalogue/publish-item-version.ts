import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { VersionNotFoundError, VersionStateError } from './catalogue.errors.ts';
import { bumpCatalogueRevision } from './catalogue-revision.ts';
import { recordAuditEvent } from '../audit/record-audit-event.ts';
import type { AuditActor } from '../audit/audit.types.ts';

/**
 * Publishes a draft: the previous published version becomes superseded (kept), the item points at the new one,
 * and the catalogue revision moves — all in one transaction, so every app server's index follows.
 */
export async function publishItemVersion(
  db: Kysely<DB>,
  input: { code: string; version: number; actor: AuditActor },
): Promise<{ revision: number }> {
  return db.transaction().execute(async (trx) => {
    await trx.selectFrom('impl_items').select('code').where('code', '=', input.code).forUpdate().executeTakeFirst();
    const draft = await trx
      .selectFrom('impl_item_versions')
      .select(['id', 'status'])
      .where('item_code', '=', input.code)
      .where('version', '=', input.version)
      .executeTakeFirst();
    if (!draft) throw new VersionNotFoundError(input.code, input.version);
    if (draft.status !== 'draft') throw new VersionStateError(`第 ${input.version} 版不是草稿，不能发布`);
    await trx.updateTable('impl_item_versions').set({ status: 'superseded' }).where('item_code', '=', input.code).where('status', '=', 'published').execute();
    await trx.updateTable('impl_item_versions').set({ status: 'published', published_at: sql`now()` }).where('id', '=', draft.id).execute();
    await trx.updateTable('impl_items').set({ published_version: input.version, updated_at: sql`now()` }).where('code', '=', input.code).execute();
    const revision = await bumpCatalogueRevision(trx);
    await recordAuditEvent(trx, {
      action: 'catalogue.item_version.published',
      actor: input.actor,
      target: { type: 'impl_item', id: input.code },
      details: { version: input.version, revision },
    });
    return { revision };
  });
}
