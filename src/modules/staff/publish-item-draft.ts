/** 发布草稿: publishes an item's draft version, by staff (or a machine client) allowed to write its department's items. */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { Principal } from '../access/principal.ts';
import type { AuditActor } from '../audit/audit.types.ts';
import { publishItemVersion } from '../catalogue/publish-item-version.ts';
import { authorizeItemDrafts } from './authorize-item-drafts.ts';

export async function publishItemDraft(
  db: Kysely<DB>,
  p: Principal,
  input: { code: string; version: number },
  actor: AuditActor,
): Promise<{ revision: number }> {
  const item = await authorizeItemDrafts(db, p, input.code, 'catalogue.draft.write', actor);
  return publishItemVersion(db, { code: item.code, version: input.version, actor });
}
