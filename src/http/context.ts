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
  /** Published guides by code, pre-serialised (JSON) or pre-rendered (HTML); cleared when the catalogue moves. */
  guideCache: LRUCache<string, string> | undefined;
}

export async function createContext(config: Config, database: Database): Promise<AppContext> {
  const catalogue = new CatalogueIndex(database.db, { cacheSize: config.searchCacheSize });
  const regions = new RegionDirectory();
  const guideCache = config.guideCacheSize > 0 ? new LRUCache<string, string>({ max: config.guideCacheSize }) : undefined;
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

/** Gets a cached string or computes and caches it. */
export async function cached(ctx: AppContext, key: string, make: () => Promise<string>): Promise<string> {
  const hit = ctx.guideCache?.get(key);
  if (hit !== undefined) return hit;
  const value = await make();
  ctx.guideCache?.set(key, value);
  return value;
}
