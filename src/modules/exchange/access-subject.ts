/**
 * Whose data an access touched, without keeping who in clear: the subject of a record (公民身份号码 or
 * 统一社会信用代码) as HMAC-SHA-256 with the platform's `access_subject` key (platform_keys, generated once by
 * the migration, the same on every server). Loaded once per database and cached. A person's access log looks
 * up the same hash of their own ID number (data_access_subjects).
 */
import { createHmac } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';

const keys = new WeakMap<Kysely<DB>, Promise<string>>();

/** The HMAC key of access subjects (cached per database). */
export function accessSubjectKey(db: Kysely<DB>): Promise<string> {
  let k = keys.get(db);
  if (!k) {
    k = db
      .selectFrom('platform_keys')
      .select('secret')
      .where('name', '=', 'access_subject')
      .executeTakeFirstOrThrow()
      .then((r) => r.secret);
    // a failed read is not cached: the next call tries again
    k.catch(() => keys.delete(db));
    keys.set(db, k);
  }
  return k;
}

/** The subject hash of an identifier, with the key in hand (the letter X of a resident ID in upper case). */
export function subjectHash(key: string, identifier: string): string {
  return createHmac('sha256', key).update(identifier.trim().toUpperCase(), 'utf8').digest('hex');
}

/** The subject hash of an identifier. */
export async function accessSubject(db: Kysely<DB>, identifier: string): Promise<string> {
  return subjectHash(await accessSubjectKey(db), identifier);
}
