/**
 * A fresh, migrated database for one test file: in-memory PGlite by default, or — when DATABASE_URL is set —
 * a new PostgreSQL database created for the test and dropped afterwards. Same migrations, same tests.
 */
import pg from 'pg';
import { randomBytes } from 'node:crypto';
import { openDatabase, type Database } from '../db/database.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { ensureCalendar } from '../modules/calendar/ensure-calendar.ts';

export async function createTestDatabase(): Promise<Database> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    const database = await openDatabase({ dataDir: 'memory://' });
    await migrateToLatest(database.db);
    await ensureCalendar(database.db);
    return database;
  }
  const name = `yiwang_t_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const u = new URL(url);
  u.pathname = `/${name}`;
  // the database is dropped WITH (FORCE) at the end: idle connections being cut then is expected
  const database = await openDatabase({ url: u.toString(), poolSize: 20, onPoolError: () => undefined });
  await migrateToLatest(database.db);
  await ensureCalendar(database.db);
  return {
    ...database,
    close: async () => {
      await database.close();
      const a = new pg.Client({ connectionString: url });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await a.end();
    },
  };
}
