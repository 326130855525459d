/** The end of every sign-in through the identity provider: a session for the account, and its audit event. */
import type { Transaction } from 'kysely';
import type { DB } from '../../../db/schema.ts';
import type { IdentityDeps, RequestFacts, StartedSession } from '../identity.types.ts';
import { createSession } from '../../sessions/session-store.ts';
import { recordAuditEvent } from '../../audit/record-audit-event.ts';

export interface OidcAccount {
  id: string;
  kind: 'person' | 'staff';
  department_id: number | null;
}

/** Starts the session and records auth.sign_in.succeeded (method 'oidc'); call as the transaction's last step. */
export async function startOidcSession(
  trx: Transaction<DB>,
  deps: IdentityDeps,
  account: OidcAccount,
  issuer: string,
  from: RequestFacts,
): Promise<StartedSession> {
  const s = await createSession(trx, { accountId: account.id, authMethod: 'oidc', ip: from.ip, userAgent: from.userAgent, timeouts: deps.timeouts });
  await recordAuditEvent(trx, {
    action: 'auth.sign_in.succeeded',
    actor: { type: account.kind === 'staff' ? 'staff' : 'citizen', id: account.id, departmentId: account.department_id, ...from },
    target: { type: 'account', id: account.id },
    details: { method: 'oidc', issuer, sessionId: s.id },
  });
  return { token: s.token, sessionId: s.id, csrfToken: s.csrfToken, accountId: account.id, kind: account.kind, absoluteExpiresAt: s.absoluteExpiresAt };
}

/** Records auth.oidc_linked: `account` now signs in as (issuer, subject). */
export async function recordOidcLink(trx: Transaction<DB>, account: OidcAccount, link: { issuer: string; subject: string; how: 'password' | 'new_account' }, from: RequestFacts): Promise<void> {
  await recordAuditEvent(trx, {
    action: 'auth.oidc_linked',
    actor: { type: account.kind === 'staff' ? 'staff' : 'citizen', id: account.id, departmentId: account.department_id, ...from },
    target: { type: 'account', id: account.id },
    details: { issuer: link.issuer, subject: link.subject, how: link.how },
  });
}
