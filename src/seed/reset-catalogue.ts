import { sql, type Transaction } from 'kysely';
import type { DB } from '../db/schema.ts';
import { recordAuditEvent } from '../modules/audit/record-audit-event.ts';
import { SYSTEM_ACTOR } from '../modules/audit/audit.types.ts';

/**
 * Empties the catalogue (for `yiwang seed --reset`) inside the caller's transaction — and the accounts, which
 * hang on its departments (staff, machine clients) and would otherwise be left pointing at nothing. The audit
 * log is kept.
 */
export async function resetCatalogue(trx: Transaction<DB>): Promise<void> {
  // one statement: PostgreSQL truncates a referenced table only together with the tables that reference it
  await sql`TRUNCATE client_tokens, api_clients, oidc_links, auth_pending, auth_throttle, one_time_codes, outbound_messages,
                     sessions, role_assignments, delegations, enterprises, accounts,
                     item_materials, impl_item_versions, impl_items, basic_items, departments, regions, search_synonyms`.execute(trx);
  await sql`UPDATE catalogue_revision SET revision = revision + 1, updated_at = now() WHERE id = 1`.execute(trx);
  await recordAuditEvent(trx, { action: 'catalogue.reset', actor: SYSTEM_ACTOR, target: { type: 'catalogue', id: 'all' } });
}
