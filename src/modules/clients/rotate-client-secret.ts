/**
 * Replaces a client's secret (轮换密钥). The new secret is returned once; the one it replaces stays valid for a
 * grace period (24 hours unless the call says otherwise, 0 ends it at once) so the integration can be
 * redeployed without an outage. Only one previous secret is kept: rotating again drops the older one.
 * The access tokens issued before the rotation end with the grace period at the latest — at once with grace 0
 * (they are deleted) — and so do those the previous secret obtains during it (issueClientToken).
 */
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { recordAuditEvent } from '../audit/record-audit-event.ts';
import { AppError, InvalidParameterError } from '../../shared/errors.ts';
import { randomToken, sha256Hex } from '../../shared/tokens.ts';
import { lockManagedClient } from './client-records.ts';
import { DEFAULT_ROTATION_GRACE_SECONDS, MAX_ROTATION_GRACE_SECONDS, type ClientManager, type IssuedSecret } from './clients.types.ts';

export interface RotateClientSecretInput {
  clientId: string;
  /** How long the previous secret is still accepted, in seconds (default 24 hours). */
  graceSeconds?: number;
}

export async function rotateClientSecret(
  db: Kysely<DB>,
  input: RotateClientSecretInput,
  by: ClientManager,
): Promise<IssuedSecret & { previousSecretValidUntil: Date | null }> {
  const grace = input.graceSeconds ?? DEFAULT_ROTATION_GRACE_SECONDS;
  if (!Number.isInteger(grace) || grace < 0 || grace > MAX_ROTATION_GRACE_SECONDS) {
    throw new InvalidParameterError('graceSeconds', `旧密钥保留时间应为 0 到 ${MAX_ROTATION_GRACE_SECONDS} 秒之间的整数（最长 7 天）`);
  }
  const clientSecret = randomToken();
  // now() is the transaction's start: one instant for the previous secret's end and its tokens' end
  const graceEnd = sql<Date>`now() + ${`${grace} seconds`}::interval`;
  return db.transaction().execute(async (trx) => {
    const c = await lockManagedClient(trx, by, input.clientId);
    if (c.disabled_at) throw new AppError('CONFLICT', '该接入应用已停用，不能轮换密钥');
    const row = await trx
      .updateTable('api_clients')
      .set({
        previous_secret_hash: grace > 0 ? sql<string>`secret_hash` : null,
        previous_expires_at: grace > 0 ? graceEnd : null,
        secret_hash: sha256Hex(clientSecret),
        rotated_at: sql<Date>`now()`,
      })
      .where('client_id', '=', c.client_id)
      .returning('previous_expires_at')
      .executeTakeFirstOrThrow();
    const validUntil = row.previous_expires_at ? new Date(row.previous_expires_at) : null;
    // Every token the client holds now was issued with a secret this rotation replaces: none may outlive it.
    // Grace 0 (a leaked secret): they end now. Otherwise they end with the grace period at the latest.
    const tokens =
      grace === 0
        ? await trx.deleteFrom('client_tokens').where('client_id', '=', c.client_id).executeTakeFirst()
        : await trx.updateTable('client_tokens').set({ expires_at: graceEnd }).where('client_id', '=', c.client_id).where('expires_at', '>', graceEnd).executeTakeFirst();
    const affected = Number('numDeletedRows' in tokens ? tokens.numDeletedRows : tokens.numUpdatedRows);
    await recordAuditEvent(trx, {
      action: 'client.secret_rotated',
      actor: by.actor,
      target: { type: 'client', id: c.client_id },
      details: { graceSeconds: grace, previousSecretValidUntil: validUntil?.toISOString() ?? null, ...(grace === 0 ? { tokensRevoked: affected } : { tokensShortened: affected }) },
    });
    return { clientId: c.client_id, clientSecret, previousSecretValidUntil: validUntil };
  });
}
