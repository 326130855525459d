import { sql, type Transaction } from 'kysely';
import type { DB } from '../db/schema.ts';
import { recordAuditEvent } from '../modules/audit/record-audit-event.ts';
import { SYSTEM_ACTOR } from '../modules/audit/audit.types.ts';

/** Empties the catalogue (for `yiwang seed --reset`) inside the caller's transaction. */
export async function resetCatalogue(trx: Transaction<DB>): Promise<void> {
  await sql`TRUNCATE item_materials, impl_item_versions, impl_items, basic_items, departments, regions, search_synonyms`.execute(trx);
  await sql`UPDATE catalogue_revision SET revision = revision + 1, updated_at = now() WHERE id = 1`.execute(trx);
  await recordAuditEvent(trx, { action: 'catalogue.reset', actor: SYSTEM_ACTOR, target: { type: 'catalogue', id: 'all' } });
}
