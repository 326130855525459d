/** Opens the database, migrates, seeds an empty catalogue when asked, builds the index and listens. */
import type { FastifyInstance } from 'fastify';
import { loadConfig, type Config } from './config.ts';
import { openDatabase, type Database } from './db/database.ts';
import { migrateToLatest } from './db/migrate.ts';
import { createContext, type AppContext } from './http/context.ts';
import { buildApp } from './http/app.ts';
import { isCatalogueEmpty, seedCatalogue, type SeedProgress } from './seed/seed-catalogue.ts';
import { DEMO_ITEMS } from './seed/data/index.ts';

export interface Running {
  app: FastifyInstance;
  ctx: AppContext;
  database: Database;
  close(): Promise<void>;
}

export async function openConfiguredDatabase(config: Config): Promise<Database> {
  return openDatabase({ url: config.databaseUrl, dataDir: config.dataDir, poolSize: config.dbPoolSize });
}

export async function startServer(
  config: Config = loadConfig(),
  hooks: { onProgress?: SeedProgress; log?: (msg: string) => void; listen?: boolean } = {},
): Promise<Running> {
  const log = hooks.log ?? (() => undefined);
  const database = await openConfiguredDatabase(config);
  const applied = await migrateToLatest(database.db);
  if (applied.length) log(`已执行数据库迁移：${applied.join(', ')}`);
  if (config.seedOnEmpty && (await isCatalogueEmpty(database.db))) {
    log('目录为空，正在写入演示数据……');
    // another server starting at the same moment may seed first: then this one finds it done (null)
    const s = await seedCatalogue(database.db, { items: DEMO_ITEMS, onProgress: hooks.onProgress, demoAccounts: true });
    if (s) log(`演示数据已写入：${s.regions} 个地区、${s.departments} 个部门、${s.basicItems} 个基本目录事项、${s.implItems} 个实施清单事项、${s.accounts} 个演示账号`);
    else log('演示数据已由另一服务器写入');
  }
  const ctx = await createContext(config, database);
  ctx.catalogue.startPolling(config.cataloguePollMs, (err) => app.log.error({ err }, 'catalogue refresh failed'));
  const app = await buildApp(ctx);
  if (hooks.listen !== false) await app.listen({ port: config.port, host: config.host });
  return {
    app,
    ctx,
    database,
    close: async () => {
      ctx.catalogue.stop();
      await app.close();
      await database.close();
    },
  };
}
