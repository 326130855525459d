import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { AuditActor } from '../audit/audit.types.ts';
import { endSessionByToken } from '../sessions/session-store.ts';
import { recordAuditEvent } from '../audit/record-audit-event.ts';

/** Ends the current session (退出登录). */
export async function signOut(db: Kysely<DB>, input: { token: string; sessionId: string }, actor: AuditActor): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await endSessionByToken(trx, input.token);
    await recordAuditEvent(trx, { action: 'auth.signed_out', actor, target: { type: 'session', id: input.sessionId } });
  });
}
