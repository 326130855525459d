import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { AuditActor } from '../audit/audit.types.ts';
import type { SessionTimeouts } from '../sessions/session-store.ts';
import type { MessageSender } from './messages/message-sender.ts';

/** What the identity operations need from the application. */
export interface IdentityDeps {
  db: Kysely<DB>;
  messages: MessageSender;
  timeouts: SessionTimeouts;
}

/** A session just started: the cookie value (shown once), its id and its CSRF token. */
export interface StartedSession {
  token: string;
  sessionId: string;
  csrfToken: string;
  accountId: string;
  kind: 'person' | 'staff';
  absoluteExpiresAt: Date;
}

/** The request facts every operation records (audit actor without an identity yet). */
export type RequestFacts = Pick<AuditActor, 'ip' | 'userAgent' | 'requestId'>;
