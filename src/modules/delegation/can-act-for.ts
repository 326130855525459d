import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { Principal } from '../access/principal.ts';
import { isUuid } from './delegation.validation.ts';

export interface ActSubject {
  type: 'person' | 'enterprise';
  id: string; // account id or enterprise id
}

/**
 * May this principal act (apply, query results …) for `subject`, for the basic item `basicItemCode` if given?
 * - a person for themself;
 * - the legal representative (法定代表人) for their enterprise;
 * - a person acting in this session under a delegation in force for exactly that subject, when the item is
 *   within the delegation's items (an empty list covers all items).
 * Staff and machine clients never act for a citizen or an enterprise: false. The acting delegation in the
 * principal was re-read with this request (loadSessionPrincipal), so a revoked or expired grant counts for nothing.
 */
export async function canActFor(db: Kysely<DB>, p: Principal | null | undefined, subject: ActSubject, basicItemCode?: string): Promise<boolean> {
  if (!p || p.kind !== 'person') return false;
  if (subject.type === 'person' && subject.id === p.accountId) return true;
  const a = p.acting;
  if (a && a.principalType === subject.type && a.principalId === subject.id) {
    if (basicItemCode === undefined || a.itemCodes.length === 0 || a.itemCodes.includes(basicItemCode)) return true;
  }
  if (subject.type === 'enterprise' && isUuid(subject.id)) {
    const e = await db.selectFrom('enterprises').select('id').where('id', '=', subject.id).where('legal_rep_account_id', '=', p.accountId).executeTakeFirst();
    return Boolean(e);
  }
  return false;
}
