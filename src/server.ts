/** Opens the database, migrates, seeds an empty catalogue when asked, builds the index and listens. */
import type { FastifyInstance } from 'fastify';
import { loadConfig, type Config } from './config.ts';
import { openDatabase, type Database } from './db/database.ts';
import { migrateToLatest } from './db/migrate.ts';
import { createContext, type AppContext } from './http/context.ts';
import { buildApp } from './http/app.ts';
import { isCatalogueEmpty, seedCatalogue, type SeedProgress } from './seed/seed-catalogue.ts';
import { DEMO_ITEMS } from './seed/data/index.ts';
import { ensureCalendar } from './modules/calendar/ensure-calendar.ts';
import { ensureWorkflows } from './modules/applications/workflows.ts';
import { applicationJobs } from './modules/applications/application-jobs.ts';
import { JobScheduler } from './modules/jobs/job-lease.ts';
import { appointmentJobs } from './modules/appointments/appointment-jobs.ts';
import { resultSetJobs } from './modules/result-sets/result-set-jobs.ts';
import { dataLoadJobs } from './modules/data-catalogue/data-load-jobs.ts';
import { dataSharingJobs } from './modules/data-sharing/data-sharing-jobs.ts';
import { exchangeJobs } from './modules/exchange/exchange-jobs.ts';
import { demoPartsLines, finishDemoParts } from './seed/demo-parts.ts';
import { createBlobStorage } from './modules/attachments/blob-storage.ts';

export interface Running {
  app: FastifyInstance;
  ctx: AppContext;
  database: Database;
  close(): Promise<void>;
}

/** The configured database; a server keeps its pool's connections open (`keepConnections`), a command does not. */
export async function openConfiguredDatabase(config: Config, o: { keepConnections?: boolean } = {}): Promise<Database> {
  return openDatabase({ url: config.databaseUrl, dataDir: config.dataDir, poolSize: config.dbPoolSize, keepConnections: o.keepConnections ?? false });
}

export async function startServer(
  config: Config = loadConfig(),
  hooks: { onProgress?: SeedProgress; log?: (msg: string) => void; listen?: boolean } = {},
): Promise<Running> {
  const log = hooks.log ?? (() => undefined);
  const database = await openConfiguredDatabase(config, { keepConnections: true });
  const applied = await migrateToLatest(database.db);
  if (applied.length) log(`已执行数据库迁移：${applied.join(', ')}`);
  // the official holiday arrangements shipped with the release (法定节假日与调休); years an administrator set are kept
  const calendar = await ensureCalendar(database.db);
  if (calendar.loaded.length) log(`已载入工作日历：${calendar.loaded[0]}–${calendar.loaded.at(-1)} 年中 ${calendar.loaded.length} 个年度`);
  await ensureWorkflows(database.db);
  if (config.seedOnEmpty && (await isCatalogueEmpty(database.db))) {
    log('目录为空，正在写入演示数据……');
    // another server starting at the same moment may seed first: then this one finds it done (null)
    const s = await seedCatalogue(database.db, { items: DEMO_ITEMS, onProgress: hooks.onProgress, demoAccounts: true });
    if (s) log(`演示数据已写入：${s.regions} 个地区、${s.departments} 个部门、${s.basicItems} 个基本目录事项、${s.implItems} 个实施清单事项、${s.accounts} 个演示账号`);
    else log('演示数据已由另一服务器写入');
  }
  // the demo's result queries, shared data, 免提交 and three lists: written after the catalogue, and finished here
  // by the next server to start if a crash came in between (nothing happens unless a demo seed left them pending)
  const parts = await finishDemoParts(database.db, { storage: createBlobStorage(config.storage) });
  if (parts) for (const line of demoPartsLines(parts)) log(line);
  const ctx = await createContext(config, database);
  ctx.catalogue.startPolling(config.cataloguePollMs, (err) => app.log.error({ err }, 'catalogue refresh failed'));
  const app = await buildApp(ctx);
  // published result sets: each server polls for changes and loads a set into memory ahead of its release
  ctx.resultSets.start(1000, (err) => app.log.error({ err }, 'result sets refresh failed'));
  // deadlines, escalation and message sending: every server schedules them, a lease lets one run each at a time
  const jobs = new JobScheduler(database.db, [...applicationJobs(ctx), ...appointmentJobs(ctx), ...resultSetJobs(ctx), ...dataLoadJobs(ctx), ...dataSharingJobs(ctx), ...exchangeJobs(ctx)], (job, err) => app.log.error({ err, job }, 'background job failed'));
  jobs.start(config.jobsIntervalMs);
  // a deep accept queue: at a release moment thousands of connections open at once (Node's default is 511)
  if (hooks.listen !== false) await app.listen({ port: config.port, host: config.host, backlog: 4096 });
  return {
    app,
    ctx,
    database,
    close: async () => {
      ctx.catalogue.stop();
      jobs.stop();
      ctx.resultSets.stop();
      await app.close();
      // the buffered query log and the last counter increments; a failure of one does not keep the rest open
      for (const step of [() => ctx.exchangeLog.stop(), () => ctx.resultQueryLog.stop(), () => ctx.rateLimiter.stop()]) {
        await step().catch((err: unknown) => app.log.error({ err }, 'flush on close failed'));
      }
      await database.close();
    },
  };
}
