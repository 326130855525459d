/**
 * One SQL dialect, two engines: embedded PGlite (default, files under YIWANG_DATA_DIR) or a real PostgreSQL
 * server when DATABASE_URL is set. Both are driven through Kysely with the PostgreSQL dialect.
 */
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';
import { PGliteDialect } from 'kysely-pglite-dialect';
import { mkdirSync } from 'node:fs';
import type { DB } from './schema.ts';

export type DbKind = 'pglite' | 'postgres';

export interface Database {
  db: Kysely<DB>;
  kind: DbKind;
  close(): Promise<void>;
  /** The embedded engine itself (PGlite only). */
  pglite?: PGlite;
}

export interface OpenOptions {
  url?: string | undefined; // PostgreSQL connection string
  dataDir?: string | undefined; // PGlite directory; 'memory://' for an in-memory database
  /** PGlite: start from this dump of a data directory (`dumpDataDir`) instead of an empty cluster. */
  loadDataDir?: Blob | undefined;
  poolSize?: number;
  /**
   * PostgreSQL: open all `poolSize` connections now and keep them open when idle (a server: the first rush after a
   * quiet spell — a release moment, a booking opening — then finds them connected and their statements prepared).
   * Default: connections open on demand and close after 10 s idle (tools, tests).
   */
  keepConnections?: boolean;
  /** Errors of idle pooled connections (a server restart, a terminated backend); default: a line on stderr. */
  onPoolError?: (err: Error) => void;
}

// int8 (count(*), bigint columns) as JS numbers: every bigint here stays far below 2^53.
const INT8_OID = 20;
pg.types.setTypeParser(INT8_OID, (v) => Number(v));
// date as the 'YYYY-MM-DD' text it is: a calendar day has no time zone (a JS Date would shift it).
const DATE_OID = 1082;
pg.types.setTypeParser(DATE_OID, (v) => v);

/**
 * Queries that run on nearly every request (the session lookup) start with a comment naming them,
 * `/* prepared:session *\/ SELECT …`: on PostgreSQL they become named prepared statements, parsed and planned once
 * per connection instead of on every call. Everything else runs as before.
 */
const PREPARED = /^\/\* prepared:([a-z][a-z0-9_-]{0,40}) \*\//;
const PATCHED = Symbol('yiwang.prepared');

function preparingPool(pool: pg.Pool) {
  return {
    connect: async () => {
      const client = (await pool.connect()) as pg.PoolClient & { [PATCHED]?: true };
      if (!client[PATCHED]) {
        const query = client.query.bind(client) as (config: unknown, values?: unknown) => Promise<unknown>;
        (client as { query: unknown }).query = (text: unknown, values?: unknown) => {
          const m = typeof text === 'string' ? PREPARED.exec(text) : null;
          return m ? query({ name: m[1], text, values }) : query(text, values);
        };
        client[PATCHED] = true;
      }
      return client;
    },
    end: () => pool.end(),
  };
}

export async function openDatabase(opts: OpenOptions): Promise<Database> {
  if (opts.url) {
    const max = opts.poolSize ?? 10;
    const pool = new pg.Pool({ connectionString: opts.url, max, ...(opts.keepConnections ? { min: max } : {}) });
    // Without a listener an idle connection's error would crash the process; the pool replaces the connection.
    pool.on('error', opts.onPoolError ?? ((err) => process.stderr.write(`PostgreSQL 连接出错（连接池将重建该连接）：${err.message}\n`)));
    if (opts.keepConnections) {
      const opened = await Promise.allSettled(Array.from({ length: max }, () => pool.connect()));
      for (const o of opened) if (o.status === 'fulfilled') o.value.release();
      const failed = opened.find((o): o is PromiseRejectedResult => o.status === 'rejected');
      if (failed) {
        await pool.end();
        throw failed.reason;
      }
    }
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool: preparingPool(pool) }) });
    return { db, kind: 'postgres', close: () => db.destroy() };
  }
  const dataDir = opts.dataDir ?? 'memory://';
  if (!dataDir.startsWith('memory://')) mkdirSync(dataDir, { recursive: true });
  const pglite = await PGlite.create(dataDir, {
    parsers: { [INT8_OID]: (v: string) => Number(v), [DATE_OID]: (v: string) => v },
    ...(opts.loadDataDir ? { loadDataDir: opts.loadDataDir } : {}),
  });
  const db = new Kysely<DB>({ dialect: new PGliteDialect(pglite) });
  return { db, kind: 'pglite', close: () => db.destroy(), pglite };
}
