/** What every route needs, built once per server. */
import type { Kysely } from 'kysely';
import { LRUCache } from 'lru-cache';
import type { Config } from '../config.ts';
import type { Database, DbKind } from '../db/database.ts';
import type { DB } from '../db/schema.ts';
import { CatalogueIndex } from '../modules/search/catalogue-index.ts';
import { RegionDirectory } from '../modules/regions/region-directory.ts';

export interface AppContext {
  config: Config;
  db: Kysely<DB>;
  dbKind: DbKind;
  catalogue: CatalogueIndex;
  regions: RegionDirectory;
  /** Published guides by code, pre-serialised (JSON) and pre-rendered (HTML); cleared when the catalogue moves. */
  guideCache: LRUCache<string, CachedGuide> | undefined;
}

export interface CachedGuide {
  json?: Buffer; // UTF-8 encoded once, not on every response
  page?: { name: string; regionCode: string; departmentCode: string; departmentName: string; main: string };
  /** Finished pages by display preferences (region, elderly mode): the header differs, the guide does not. */
  finished?: Map<string, Buffer>;
}

export async function createContext(config: Config, database: Database): Promise<AppContext> {
  const catalogue = new CatalogueIndex(database.db, { cacheSize: config.searchCacheSize });
  const regions = new RegionDirectory();
  const guideCache = config.guideCacheSize > 0 ? new LRUCache<string, CachedGuide>({ max: config.guideCacheSize }) : undefined;
  catalogue.onChange(() => {
    guideCache?.clear();
  });
  await catalogue.refresh(true);
  await regions.load(database.db);
  catalogue.onChange(() => {
    regions.load(database.db).catch(() => undefined);
  });
  return { config, db: database.db, dbKind: database.kind, catalogue, regions, guideCache };
}

/** One form of a published guide from the cache, or made and cached. */
export async function cachedGuide<K extends keyof CachedGuide>(
  ctx: AppContext,
  code: string,
  form: K,
  make: () => Promise<NonNullable<CachedGuide[K]>>,
): Promise<NonNullable<CachedGuide[K]>> {
  const entry = ctx.guideCache?.get(code);
  const hit = entry?.[form];
  if (hit !== undefined) return hit as NonNullable<CachedGuide[K]>;
  const value = await make();
  if (ctx.guideCache) ctx.guideCache.set(code, { ...entry, [form]: value });
  return value;
}
