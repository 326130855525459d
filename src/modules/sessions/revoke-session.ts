import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { AuditActor } from '../audit/audit.types.ts';
import { NotFoundError } from '../../shared/errors.ts';
import { recordAuditEvent } from '../audit/record-audit-event.ts';

/** Revokes one of the caller's own sessions from the sessions list; another account's session id is "not found". */
export async function revokeSession(db: Kysely<DB>, input: { accountId: string; sessionId: string }, actor: AuditActor): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const r = await trx
      .updateTable('sessions')
      .set({ revoked_at: sql`now()` })
      .where('id', '=', input.sessionId)
      .where('account_id', '=', input.accountId)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) throw new NotFoundError('未找到该会话或已失效', 'sessionId');
    await recordAuditEvent(trx, { action: 'auth.session_revoked', actor, target: { type: 'session', id: input.sessionId } });
  });
}
