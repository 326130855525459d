/** The hash a response carries of its request: SHA-256 hex of the RFC 8785 canonical JSON of the hashed fields. */
import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import type { HashedRequest } from './exchange.types.ts';

export function requestHash(r: HashedRequest): string {
  const text = canonicalize(r);
  if (text === undefined) throw new Error('exchange request cannot be canonicalised');
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
