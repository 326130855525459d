/** 站内消息: an account's notifications about its applications, newest first, and marking them read. */
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';

export interface NotificationView {
  id: number;
  title: string;
  body: string;
  link: string | null;
  createdAt: string;
  read: boolean;
}

export async function listNotifications(db: Kysely<DB>, accountId: string, limit = 50): Promise<{ items: NotificationView[]; unread: number }> {
  const [rows, unread] = await Promise.all([
    db.selectFrom('notifications').select(['id', 'title', 'body', 'link', 'created_at', 'read_at']).where('account_id', '=', accountId).orderBy('id', 'desc').limit(limit).execute(),
    db.selectFrom('notifications').select(sql<string>`count(*)`.as('n')).where('account_id', '=', accountId).where('read_at', 'is', null).executeTakeFirstOrThrow(),
  ]);
  return {
    items: rows.map((r) => ({ id: r.id, title: r.title, body: r.body, link: r.link, createdAt: new Date(r.created_at).toISOString(), read: r.read_at !== null })),
    unread: Number(unread.n),
  };
}

export async function markNotificationsRead(db: Kysely<DB>, accountId: string, ids: number[]): Promise<void> {
  if (!ids.length) return;
  await db.updateTable('notifications').set({ read_at: sql`now()` }).where('account_id', '=', accountId).where('id', 'in', ids).where('read_at', 'is', null).execute();
}
