import type { FastifyInstance } from 'fastify';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, type Config } from '../config.ts';
import type { Database } from '../db/database.ts';
import { createContext, type AppContext } from '../http/context.ts';
import { buildApp } from '../http/app.ts';
import { seedCatalogue } from '../seed/seed-catalogue.ts';
import type { BasicItemSeed } from '../modules/catalogue/catalogue.types.ts';
import { createTestDatabase } from './test-db.ts';

export interface TestApp {
  app: FastifyInstance;
  ctx: AppContext;
  database: Database;
  close(): Promise<void>;
}

/**
 * A seeded database and an app on it, without listening (requests go through app.inject); `change` adjusts the
 * configuration first (a smaller upload limit, S3 storage …).
 */
export async function createTestApp(items: BasicItemSeed[], regionCodes?: string[], change: (config: Config) => Config = (c) => c): Promise<TestApp> {
  const database = await createTestDatabase();
  await seedCatalogue(database.db, { items, regionCodes });
  const base = loadConfig({});
  // files go to a fresh temporary directory; background jobs run only when a test runs them
  const config = change({ ...base, cataloguePollMs: 0, jobsIntervalMs: 0, storage: { kind: 'local' as const, dir: mkdtempSync(join(tmpdir(), 'yiwang-files-')) } });
  const ctx = await createContext(config, database);
  const app = await buildApp(ctx, { logger: false });
  await app.ready();
  return {
    app,
    ctx,
    database,
    close: async () => {
      ctx.resultSets.stop();
      await app.close();
      await ctx.exchangeLog.stop(); // evidence still waiting is written before the database closes
      await ctx.resultQueryLog.stop(); // as server.ts: the buffered query log and rate counters are written first
      await ctx.rateLimiter.stop();
      await database.close();
    },
  };
}
