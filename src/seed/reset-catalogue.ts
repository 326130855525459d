import { sql, type Transaction } from 'kysely';
import type { DB } from '../db/schema.ts';
import { recordAuditEvent } from '../modules/audit/record-audit-event.ts';
import { SYSTEM_ACTOR } from '../modules/audit/audit.types.ts';

/**
 * Empties the catalogue (for `yiwang seed --reset`) inside the caller's transaction — and the accounts, which
 * hang on its departments (staff, machine clients) and would otherwise be left pointing at nothing, and the
 * applications made against its items, the data resources and grants of its departments and their lists. The audit
 * log (with its index of data subjects), the working-day calendar and the workflows are kept.
 */
export async function resetCatalogue(trx: Transaction<DB>): Promise<void> {
  // one statement: PostgreSQL truncates a referenced table only together with the tables that reference it
  await sql`TRUNCATE appointment_parties, appointment_bookings, appointment_slots, appointment_closures, appointment_services,
                     result_queries, result_rows, result_loads, result_sets, rate_counters,
                     draft_shared_data, item_data_sources, data_change_events, data_subscriptions, share_grants, share_requests,
                     data_records, data_loads, data_resource_versions, data_resources, list_entries, list_editions,
                     rectification_events, rectification_tasks, evaluations, notifications, application_results, attachments,
                     application_supplements, application_clock_pauses, application_events, applications, application_drafts,
                     application_number_blocks,
                     client_tokens, api_clients, oidc_links, auth_pending, auth_throttle, one_time_codes, outbound_messages,
                     sessions, role_assignments, delegations, enterprises, accounts,
                     item_materials, impl_item_versions, impl_items, basic_items, departments, regions, search_synonyms`.execute(trx);
  await sql`UPDATE catalogue_revision SET revision = revision + 1, updated_at = now() WHERE id = 1`.execute(trx);
  await recordAuditEvent(trx, { action: 'catalogue.reset', actor: SYSTEM_ACTOR, target: { type: 'catalogue', id: 'all' } });
}
