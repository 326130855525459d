/**
 * Disables a client (停用接入应用): from this moment its credentials are refused and its tokens stop working
 * (loadClientPrincipal checks `disabled_at`; the tokens are deleted as well). Disabling is final: an
 * integration that is needed again gets a new client.
 */
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { recordAuditEvent } from '../audit/record-audit-event.ts';
import { AppError } from '../../shared/errors.ts';
import { lockManagedClient, selectClients, toSummary } from './client-records.ts';
import type { ClientManager, ClientSummary } from './clients.types.ts';

export async function disableClient(db: Kysely<DB>, input: { clientId: string }, by: ClientManager): Promise<ClientSummary> {
  return db.transaction().execute(async (trx) => {
    const c = await lockManagedClient(trx, by, input.clientId);
    if (c.disabled_at) throw new AppError('CONFLICT', '该接入应用已停用');
    await trx
      .updateTable('api_clients')
      .set({ disabled_at: sql<Date>`now()`, previous_secret_hash: null, previous_expires_at: null })
      .where('client_id', '=', c.client_id)
      .execute();
    const revoked = await trx.deleteFrom('client_tokens').where('client_id', '=', c.client_id).executeTakeFirst();
    await recordAuditEvent(trx, {
      action: 'client.disabled',
      actor: by.actor,
      target: { type: 'client', id: c.client_id },
      details: { tokensRevoked: Number(revoked.numDeletedRows) },
    });
    return toSummary(await selectClients(trx).where('c.client_id', '=', c.client_id).executeTakeFirstOrThrow());
  });
}
