/** Machine clients (接入应用): what the operations take and return. */
import type { Principal } from '../access/principal.ts';
import type { ClientScope } from '../access/permissions.ts';
import type { AuditActor } from '../audit/audit.types.ts';

/** Who manages clients: a signed-in principal (checked against `clients.manage`), or the system itself (the CLI). */
export interface ClientManager {
  principal: Principal | 'system';
  actor: AuditActor;
}

/** A client as an administrator sees it (never its secret or hashes). */
export interface ClientSummary {
  clientId: string;
  name: string;
  scopes: ClientScope[];
  department: { id: number; creditCode: string; name: string; regionCode: string };
  createdBy: string;
  createdAt: Date;
  rotatedAt: Date | null;
  /** The previous secret is still accepted until then (after a rotation). */
  previousSecretValidUntil: Date | null;
  disabledAt: Date | null;
}

/** A new secret, shown once: to the creator, or after a rotation. Only its hash is stored. */
export interface IssuedSecret {
  clientId: string;
  clientSecret: string;
}

/** Readable, unique client ids: `yw_` and 16 hex digits (64 random bits). */
export const CLIENT_ID_PATTERN = '^yw_[0-9a-f]{16}$';

/** Access tokens live one hour (RFC 6749 §5.1 `expires_in`). */
export const TOKEN_LIFETIME_SECONDS = 3600;

/** After a rotation the previous secret stays valid this long, unless the call says otherwise. */
export const DEFAULT_ROTATION_GRACE_SECONDS = 24 * 3600;
export const MAX_ROTATION_GRACE_SECONDS = 7 * 24 * 3600;
