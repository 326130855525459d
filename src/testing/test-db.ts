/**
 * A fresh, migrated database for one test file: in-memory PGlite by default, or — when DATABASE_URL is set —
 * a new PostgreSQL database created for the test and dropped afterwards. Same migrations, same tests.
 *
 * An empty PGlite cluster costs seconds of initdb in WebAssembly; so the first test process migrates one and
 * keeps its data directory as a dump in the temporary directory, named by a hash of the migrations and the
 * PGlite version, and every later database starts from that dump (the migrations are still run, finding
 * nothing to do, and so is the calendar check).
 */
import pg from 'pg';
import { createHash, randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDatabase, type Database } from '../db/database.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { ensureCalendar } from '../modules/calendar/ensure-calendar.ts';

export async function createTestDatabase(): Promise<Database> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    const dump = migratedDump();
    let loadDataDir: Blob | undefined;
    try {
      loadDataDir = new Blob([readFileSync(dump)]);
    } catch {
      loadDataDir = undefined; // the first: migrate an empty cluster, and keep it for the next
    }
    const database = await openDatabase({ dataDir: 'memory://', loadDataDir });
    await migrateToLatest(database.db);
    await ensureCalendar(database.db);
    if (!loadDataDir && database.pglite) {
      const file = await database.pglite.dumpDataDir('none');
      const part = `${dump}.${process.pid}.${randomBytes(4).toString('hex')}`;
      writeFileSync(part, Buffer.from(await file.arrayBuffer()));
      renameSync(part, dump); // atomic: a concurrent reader sees the whole dump or none
    }
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

/** Where the migrated PGlite dump of these migrations and this PGlite version is kept. */
function migratedDump(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const dbDir = join(here, '..', 'db');
  const h = createHash('sha256');
  // the installed PGlite (its package.json is not among the package's exports)
  h.update(readFileSync(join(here, '..', '..', 'node_modules', '@electric-sql', 'pglite', 'package.json')));
  h.update(readFileSync(join(dbDir, 'migrate.ts'))).update(readFileSync(join(dbDir, 'sql-script.ts')));
  for (const f of readdirSync(join(dbDir, 'migrations')).sort()) h.update(f).update(readFileSync(join(dbDir, 'migrations', f)));
  return join(tmpdir(), `yiwang-test-pglite-${h.digest('hex').slice(0, 16)}.tar`);
}
