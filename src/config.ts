/** Runtime configuration, read once from the environment. Every setting is listed in README.md. */
export interface Config {
  port: number;
  host: string;
  databaseUrl: string | undefined; // DATABASE_URL: real PostgreSQL; absent → embedded PGlite
  dataDir: string; // YIWANG_DATA_DIR: where PGlite keeps its files
  dbPoolSize: number; // DB_POOL_SIZE
  logLevel: string; // LOG_LEVEL
  seedOnEmpty: boolean; // YIWANG_SEED_ON_EMPTY: `start` seeds the demo data into an empty catalogue
  searchCacheSize: number; // YIWANG_SEARCH_CACHE_SIZE: cached search result pages per server (0 = off)
  guideCacheSize: number; // YIWANG_GUIDE_CACHE_SIZE: cached published guides per server (0 = off)
  pageCacheMb: number; // YIWANG_PAGE_CACHE_MB: memory for finished guide pages per server (0 = off)
  cataloguePollMs: number; // YIWANG_CATALOGUE_POLL_MS: how often a server checks for a newer catalogue
  trustProxy: boolean; // TRUST_PROXY: behind a reverse proxy (X-Forwarded-*)
}

function int(name: string, fallback: number, env: NodeJS.ProcessEnv): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new Error(`环境变量 ${name} 必须是非负整数，当前为 "${raw}"`);
  return n;
}

function bool(name: string, fallback: boolean, env: NodeJS.ProcessEnv): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  return ['1', 'true', 'yes', 'on'].includes(raw.toLowerCase());
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return {
    port: int('PORT', 3000, env),
    host: env.HOST || 'localhost',
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: env.YIWANG_DATA_DIR || './data',
    dbPoolSize: int('DB_POOL_SIZE', 10, env),
    logLevel: env.LOG_LEVEL || 'info',
    seedOnEmpty: bool('YIWANG_SEED_ON_EMPTY', true, env),
    searchCacheSize: int('YIWANG_SEARCH_CACHE_SIZE', 2000, env),
    guideCacheSize: int('YIWANG_GUIDE_CACHE_SIZE', 5000, env),
    pageCacheMb: int('YIWANG_PAGE_CACHE_MB', 64, env),
    cataloguePollMs: int('YIWANG_CATALOGUE_POLL_MS', 1000, env),
    trustProxy: bool('TRUST_PROXY', false, env),
  };
}
