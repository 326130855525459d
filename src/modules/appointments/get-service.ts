/** One service with its rules, public (a suspended one too: its page says so). */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { ServiceView } from './appointments.types.ts';
import { requireService, serviceView } from './appointment-service.ts';

export async function getService(db: Kysely<DB>, code: string): Promise<ServiceView> {
  return serviceView(await requireService(db, code, 'code'));
}
