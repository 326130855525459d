import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { PersonPrincipal } from '../access/principal.ts';
import type { AuditActor } from '../audit/audit.types.ts';
import { recordAuditEvent } from '../audit/record-audit-event.ts';

/**
 * 结束代办: the current session acts for the signed-in person again. Returns false (and records nothing) when it
 * was not acting for anyone. A delegation that expired meanwhile is cleared the same way.
 */
export async function stopActing(db: Kysely<DB>, p: PersonPrincipal, actor: AuditActor): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const s = await trx.selectFrom('sessions').select('acting_delegation_id').where('id', '=', p.sessionId).where('account_id', '=', p.accountId).forUpdate().executeTakeFirst();
    const delegationId = s?.acting_delegation_id;
    if (!delegationId) return false;
    await trx.updateTable('sessions').set({ acting_delegation_id: null }).where('id', '=', p.sessionId).execute();
    await recordAuditEvent(trx, { action: 'delegation.acting_stopped', actor, target: { type: 'delegation', id: delegationId }, details: { sessionId: p.sessionId } });
    return true;
  });
}
