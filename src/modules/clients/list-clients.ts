/** The clients a manager may manage (those of the departments `clients.manage` covers), newest first. */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { departmentsInScope } from '../access/authorize.ts';
import { selectClients, toSummary } from './client-records.ts';
import type { ClientManager, ClientSummary } from './clients.types.ts';

export async function listClients(db: Kysely<DB>, by: ClientManager): Promise<ClientSummary[]> {
  let q = selectClients(db).orderBy('c.created_at', 'desc').orderBy('c.client_id');
  if (by.principal !== 'system') {
    const ids = await departmentsInScope(db, by.principal, 'clients.manage');
    if (!ids.length) return [];
    q = q.where('c.department_id', 'in', ids);
  }
  const now = new Date();
  return (await q.execute()).map((r) => toSummary(r, now));
}
