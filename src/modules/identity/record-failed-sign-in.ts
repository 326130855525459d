import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { RequestFacts } from './identity.types.ts';
import { countAgainst, LOGIN_PER_IDENTIFIER, LOGIN_PER_IP } from './throttle.ts';
import { recordAuditEvent } from '../audit/record-audit-event.ts';
import { maskMobile } from './identity.validation.ts';
import { maskResidentId } from '../../shared/codes/resident-id.ts';

export interface FailedSignIn {
  /** The throttle keys of the attempt: what was typed ('login-id:<kind>:<identifier>') and where from ('login-ip:<ip>'). */
  idKey: string;
  ipKey: string;
  /** What was typed, normalised as the sign-in looked it up. */
  identifier: string;
  /** The account the identifier matched, if any. */
  account: { id: string; status: string } | undefined;
  kind: 'person' | 'staff';
  /** How the password was given, when not on the sign-in form (OpenID Connect's 关联已有账号: 'oidc_link'). */
  method?: string;
}

/**
 * A password that did not sign in — unknown account, disabled account or wrong password: counts against the
 * identifier's and the IP's throttle keys (too many lock both) and records auth.sign_in.failed, in one
 * transaction. The caller then throws the one message every such failure gets.
 */
export async function recordFailedSignIn(db: Kysely<DB>, f: FailedSignIn, from: RequestFacts): Promise<void> {
  const reason = !f.account ? 'unknown_account' : f.account.status !== 'active' ? 'disabled' : 'wrong_password';
  await db.transaction().execute(async (trx) => {
    await countAgainst(trx, f.idKey, LOGIN_PER_IDENTIFIER);
    await countAgainst(trx, f.ipKey, LOGIN_PER_IP);
    await recordAuditEvent(trx, {
      action: 'auth.sign_in.failed',
      actor: { type: 'anonymous', ...from },
      target: f.account ? { type: 'account', id: f.account.id } : { type: 'identifier', id: maskIdentifier(f.identifier) },
      outcome: 'failure',
      details: f.method ? { reason, kind: f.kind, method: f.method } : { reason, kind: f.kind },
    });
  });
}

/** What was typed, masked for the log: an ID number or a mobile keeps its ends only. */
function maskIdentifier(identifier: string): string {
  if (/^\d{17}[\dX]$/.test(identifier)) return maskResidentId(identifier);
  if (/^1\d{10}$/.test(identifier)) return maskMobile(identifier)!;
  return identifier.length > 4 ? `${identifier.slice(0, 2)}***${identifier.slice(-2)}` : '***';
}
