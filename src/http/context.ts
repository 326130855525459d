/** What every route needs, built once per server. */
import type { Kysely } from 'kysely';
import { LRUCache } from 'lru-cache';
import type { Config } from '../config.ts';
import type { Database, DbKind } from '../db/database.ts';
import type { DB } from '../db/schema.ts';
import { CatalogueIndex } from '../modules/search/catalogue-index.ts';
import { RegionDirectory } from '../modules/regions/region-directory.ts';
import { createMessageSender, type MessageSender } from '../modules/identity/messages/message-sender.ts';
import type { IdentityDeps } from '../modules/identity/identity.types.ts';
import { createBlobStorage, type BlobStorage } from '../modules/attachments/blob-storage.ts';
import { ResultSetMemory } from '../modules/result-sets/result-set-memory.ts';
import { QueryLogWriter } from '../modules/result-sets/query-log-writer.ts';
import { SharedRateLimiter } from '../modules/rate-limits/shared-rate-limiter.ts';
import { ExchangeLogWriter } from '../modules/exchange/exchange-log.ts';
import { createClientPrincipalLoader, type ClientPrincipalLoader } from '../modules/clients/load-client-principal.ts';
import { createExchangeLookupLoader, type ExchangeLookupLoader } from '../modules/exchange/read-lookup-access.ts';

export interface AppContext {
  config: Config;
  db: Kysely<DB>;
  dbKind: DbKind;
  catalogue: CatalogueIndex;
  regions: RegionDirectory;
  /** Published guides by code, pre-serialised (JSON) and pre-rendered (HTML); cleared when the catalogue moves. */
  guideCache: LRUCache<string, CachedGuide> | undefined;
  /** Finished guide pages by (code, region, elderly mode), bounded in bytes; cleared when the catalogue moves. */
  pageCache: LRUCache<string, Buffer> | undefined;
  /** The region <option> list per chosen region, for this server's catalogue revision. */
  regionOptions: Map<string, string>;
  /** How one-time codes reach people (the development inbox by default). */
  messages: MessageSender;
  /** Attachments and result documents (local disk or S3-compatible storage). */
  storage: BlobStorage;
  /** Published result sets (高考成绩 …) in memory, answered without a database read on release day. */
  resultSets: ResultSetMemory;
  /** Rate limits shared by every server (rate_counters), counted here and written every 250 ms. */
  rateLimiter: SharedRateLimiter;
  /** Every result query, written to result_queries in batches behind the requests. */
  resultQueryLog: QueryLogWriter;
  /** Evidence of every exchange call, committed in groups (one transaction for the calls arriving together) before each answer. */
  exchangeLog: ExchangeLogWriter;
  /** Bearer tokens of the requests arriving together, resolved by one statement (nothing cached). */
  clientPrincipals: ClientPrincipalLoader;
  /** Exchange lookups arriving together: their resources, grants and records read by one statement (nothing cached). */
  exchangeLookups: ExchangeLookupLoader;
}

/** The identity operations' dependencies, from the context. */
export function identityDeps(ctx: AppContext): IdentityDeps {
  return { db: ctx.db, messages: ctx.messages, timeouts: { idleMinutes: ctx.config.sessionIdleMinutes, absoluteHours: ctx.config.sessionAbsoluteHours } };
}

export interface CachedGuide {
  json?: Buffer; // UTF-8 encoded once, not on every response
  page?: { name: string; regionCode: string; departmentCode: string; departmentName: string; main: string };
}

export async function createContext(config: Config, database: Database): Promise<AppContext> {
  const catalogue = new CatalogueIndex(database.db, { cacheSize: config.searchCacheSize });
  const regions = new RegionDirectory();
  const guideCache = config.guideCacheSize > 0 ? new LRUCache<string, CachedGuide>({ max: config.guideCacheSize }) : undefined;
  const pageCache =
    config.pageCacheMb > 0
      ? new LRUCache<string, Buffer>({ maxSize: config.pageCacheMb * 1024 * 1024, sizeCalculation: (b) => b.length + 64 })
      : undefined;
  const regionOptions = new Map<string, string>();
  await catalogue.refresh(true);
  await regions.load(database.db);
  catalogue.onChange(() => {
    guideCache?.clear();
    pageCache?.clear();
    // the region list is rendered from the directory: clear it only once the directory is reloaded
    regions.load(database.db).then(
      () => regionOptions.clear(),
      (err: unknown) => process.stderr.write(`行政区划重新加载失败（下次目录版本变化时重试）：${String(err)}\n`),
    );
  });
  const messages = createMessageSender(config, database.db);
  const storage = createBlobStorage(config.storage);
  const resultSets = new ResultSetMemory(database.db, { preloadMinutes: config.resultPreloadMinutes });
  const rateLimiter = new SharedRateLimiter(database.db);
  const resultQueryLog = new QueryLogWriter(database.db);
  const exchangeLog = new ExchangeLogWriter(database.db);
  const clientPrincipals = createClientPrincipalLoader(database.db);
  const exchangeLookups = createExchangeLookupLoader(database.db);
  return { config, db: database.db, dbKind: database.kind, catalogue, regions, guideCache, pageCache, regionOptions, messages, storage, resultSets, rateLimiter, resultQueryLog, exchangeLog, clientPrincipals, exchangeLookups };
}

/**
 * One form of a published guide from the cache, or made and cached — unless the catalogue moved while it was
 * being made (the value may predate a publication the cache was just cleared for).
 */
export async function cachedGuide<K extends keyof CachedGuide>(
  ctx: AppContext,
  code: string,
  form: K,
  make: () => Promise<NonNullable<CachedGuide[K]>>,
): Promise<NonNullable<CachedGuide[K]>> {
  const hit = ctx.guideCache?.get(code)?.[form];
  if (hit !== undefined) return hit as NonNullable<CachedGuide[K]>;
  const revision = ctx.catalogue.currentRevision;
  const value = await make();
  if (ctx.guideCache && ctx.catalogue.currentRevision === revision) {
    ctx.guideCache.set(code, { ...ctx.guideCache.get(code), [form]: value });
  }
  return value;
}
