/** The hash a response carries of its request: SHA-256 hex of the RFC 8785 canonical JSON of the hashed fields. */
import { canonicalJson } from '../../shared/canonical-json.ts';
import { sha256Hex } from '../../shared/tokens.ts';
import type { HashedRequest } from './exchange.types.ts';

export function requestHash(r: HashedRequest): string {
  const text = canonicalJson(r);
  if (text === undefined) throw new Error('exchange request cannot be canonicalised');
  return sha256Hex(text);
}
