/**
 * The hash of an audit event: SHA-256 over the RFC 8785 (JCS) canonical JSON of the event's fields and the
 * previous event's hash. Anyone holding the rows can recompute it.
 */
import { canonicalJson } from '../../shared/canonical-json.ts';
import { sha256Hex } from '../../shared/tokens.ts';

export const GENESIS_HASH = '0'.repeat(64);

export interface HashedFields {
  seq: number;
  at: string; // ISO 8601, millisecond precision
  actor_type: string;
  actor_id: string | null;
  on_behalf_of: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  outcome: string;
  ip: string | null;
  user_agent: string | null;
  request_id: string | null;
  department_id: number | null;
  region_code: string | null;
  details: Record<string, unknown>;
  prev_hash: string;
}

/** The text that is hashed: the fields' RFC 8785 canonical JSON. */
export function auditEventText(fields: HashedFields): string {
  const text = canonicalJson(fields);
  if (text === undefined) throw new Error('audit event cannot be canonicalised');
  return text;
}

export function auditEventHash(fields: HashedFields): string {
  return sha256Hex(auditEventText(fields));
}
