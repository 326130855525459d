import type { Kysely } from 'kysely';
import type { DB } from '../../../db/schema.ts';

export interface InboxMessage {
  id: number;
  channel: string;
  destination: string;
  body: string;
  createdAt: string;
}

/** The latest messages the development inbox adapter kept (newest first). */
export async function listInboxMessages(db: Kysely<DB>, limit = 50): Promise<InboxMessage[]> {
  const rows = await db.selectFrom('outbound_messages').select(['id', 'channel', 'destination', 'body', 'created_at']).orderBy('id', 'desc').limit(limit).execute();
  return rows.map((r) => ({ id: Number(r.id), channel: r.channel, destination: r.destination, body: r.body, createdAt: new Date(r.created_at).toISOString() }));
}
