import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { RequestFacts } from './identity.types.ts';
import { clearCounter, countAgainst, LOGIN_PER_ACCOUNT, LOGIN_PER_IDENTIFIER, LOGIN_PER_IP, type Limit } from './throttle.ts';
import { recordAuditEventAlone } from '../audit/record-audit-event.ts';
import { maskMobile } from './identity.validation.ts';
import { maskResidentId } from '../../shared/codes/resident-id.ts';

/** The throttle key of an account's password attempts, whichever of its identifiers was typed. */
export const loginAccountKey = (accountId: string) => `login-account:${accountId}`;

/**
 * What a password attempt counts against before the password is checked (throttle.takeAttempts): what was typed
 * ('login-id:<kind>:<identifier>') and, when the identifier matched one, the account. The IP ('login-ip:<ip>') is
 * not among them: many people sign in from one office or carrier address at once, and their successes must not
 * lock it; it is checked before and counts failures only (recordFailedSignIn).
 */
export function loginKeys(idKey: string, accountKey: string | undefined): { key: string; limit: Limit }[] {
  const keys = [{ key: idKey, limit: LOGIN_PER_IDENTIFIER }];
  if (accountKey) keys.push({ key: accountKey, limit: LOGIN_PER_ACCOUNT });
  return keys;
}

/** A password that signed in, inside the transaction that starts the session: the identifier's and the account's counts start again. */
export async function settleSuccessfulSignIn(trx: Transaction<DB>, k: { idKey: string; accountKey: string }): Promise<void> {
  await clearCounter(trx, k.accountKey); // 'login-account:…' < 'login-id:…', takeAttempts' order
  await clearCounter(trx, k.idKey);
}

export interface FailedSignIn {
  /** The IP's throttle key ('login-ip:<ip>'): failures count against it. */
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
 * A password that did not sign in — unknown account, disabled account or wrong password: counts against the IP
 * and records auth.sign_in.failed (the identifier and the account were counted before the password was checked).
 * The caller then throws the one message every such failure gets.
 */
export async function recordFailedSignIn(db: Kysely<DB>, f: FailedSignIn, from: RequestFacts): Promise<void> {
  const reason = !f.account ? 'unknown_account' : f.account.status !== 'active' ? 'disabled' : 'wrong_password';
  await countAgainst(db, f.ipKey, LOGIN_PER_IP);
  await recordAuditEventAlone(db, {
    action: 'auth.sign_in.failed',
    actor: { type: 'anonymous', ...from },
    target: f.account ? { type: 'account', id: f.account.id } : { type: 'identifier', id: maskIdentifier(f.identifier) },
    outcome: 'failure',
    details: f.method ? { reason, kind: f.kind, method: f.method } : { reason, kind: f.kind },
  });
}

/** What was typed, masked for the log: an ID number or a mobile keeps its ends only. */
function maskIdentifier(identifier: string): string {
  if (/^\d{17}[\dX]$/.test(identifier)) return maskResidentId(identifier);
  if (/^1\d{10}$/.test(identifier)) return maskMobile(identifier)!;
  return identifier.length > 4 ? `${identifier.slice(0, 2)}***${identifier.slice(-2)}` : '***';
}
