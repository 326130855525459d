/** Runtime configuration, read once from the environment. Every setting is listed in README.md. */
import { isIP } from 'node:net';

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
  trustProxy: TrustProxy; // TRUST_PROXY: which reverse proxies in front are trusted with X-Forwarded-* (see trustProxyConfig)
  sessionIdleMinutes: number; // SESSION_IDLE_MINUTES: a session unused this long ends
  sessionAbsoluteHours: number; // SESSION_ABSOLUTE_HOURS: a session ends this long after sign-in, used or not
  messageAdapter: 'inbox' | 'webhook'; // YIWANG_MESSAGE_ADAPTER: how one-time codes reach people
  messageWebhookUrl: string | undefined; // YIWANG_MESSAGE_WEBHOOK_URL: the SMS gateway for the webhook adapter
  devInbox: boolean; // YIWANG_DEV_INBOX: serve /dev/inbox with the messages the inbox adapter kept
  oidc: OidcConfig | undefined; // OIDC_*: sign-in through the province's identity provider (统一身份认证)
  storage: StorageConfig; // YIWANG_STORAGE*, S3_*: where attachments and result documents are kept
  attachmentMaxMb: number; // YIWANG_ATTACHMENT_MAX_MB: the largest file an applicant may upload
  jobsIntervalMs: number; // YIWANG_JOBS_INTERVAL_MS: how often a server looks for background work (0 = never)
  dueSoonDays: number; // YIWANG_DUE_SOON_DAYS: working days before a deadline at which an application turns 即将超期
  publicUrl: string; // YIWANG_PUBLIC_URL: the portal's public address, printed on result documents (verification QR code)
  resultQueriesPerIp: number; // YIWANG_RESULT_QUERIES_PER_IP: result queries one IP address may make per minute
  resultQueriesPerKey: number; // YIWANG_RESULT_QUERIES_PER_KEY: queries per 10 minutes for one value of a set's first key column (考生号)
  resultUploadMaxMb: number; // YIWANG_RESULT_UPLOAD_MAX_MB: the largest result file a department may upload
  resultPreloadMinutes: number; // YIWANG_RESULT_PRELOAD_MINUTES: servers load a published set into memory this long before its release
  shareAnswerDays: number; // YIWANG_SHARE_ANSWER_DAYS: working days a provider has to answer a conditional share request
  dataUploadMaxMb: number; // YIWANG_DATA_UPLOAD_MAX_MB: the largest file of records a data steward may upload
  webhookTimeoutMs: number; // YIWANG_WEBHOOK_TIMEOUT_MS: how long a subscriber's endpoint may take to answer one delivery
  webhookAllowPrivate: boolean; // YIWANG_WEBHOOK_ALLOW_PRIVATE: webhooks may go to this machine and internal addresses (tests, development only)
}

/**
 * The reverse proxies whose X-Forwarded-For / -Proto / -Host are believed: `false` none (the client connects
 * directly); a number: that many hops in front of the server (1 = one proxy; the address the last proxy saw
 * becomes the client's); a list: proxies by address or CIDR (and proxy-addr's names loopback, linklocal,
 * uniquelocal), so the client is the first address from the right that is not one of them.
 */
export type TrustProxy = false | number | string[];

const PROXY_NAMES = ['loopback', 'linklocal', 'uniquelocal'];

function isProxyAddress(entry: string): boolean {
  if (PROXY_NAMES.includes(entry)) return true;
  const slash = entry.indexOf('/');
  const ip = slash < 0 ? entry : entry.slice(0, slash);
  const family = isIP(ip);
  if (!family) return false;
  if (slash < 0) return true;
  const bits = entry.slice(slash + 1);
  return /^\d{1,3}$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128);
}

/**
 * TRUST_PROXY. Trusting every hop (Fastify's `true`) would make the client's own leftmost X-Forwarded-For entry
 * its address — a proxy that appends passes it through — so `true`/`yes`/`on` mean ONE proxy in front, not "all".
 * A hop count trusts whatever connects to the server directly: where the port is reachable other than through
 * the proxies, list their addresses instead.
 */
export function trustProxyConfig(env: NodeJS.ProcessEnv): TrustProxy {
  const raw = (env.TRUST_PROXY ?? '').trim();
  const lower = raw.toLowerCase();
  if (['', '0', 'false', 'no', 'off'].includes(lower)) return false;
  if (['true', 'yes', 'on'].includes(lower)) return 1;
  if (/^\d+$/.test(raw)) {
    const hops = Number(raw);
    if (hops > 100) throw new Error(`环境变量 TRUST_PROXY 的代理层数过大（最多 100），当前为 "${raw}"`);
    return hops;
  }
  const entries = raw.split(',').map((e) => e.trim()).filter(Boolean);
  const bad = entries.find((e) => !isProxyAddress(e));
  if (bad !== undefined || !entries.length) {
    throw new Error(
      `环境变量 TRUST_PROXY 应为 false、代理层数（如 1）或以逗号分隔的代理地址/网段（如 10.0.0.0/8,127.0.0.1），无法识别 "${(bad ?? raw).slice(0, 100)}"`,
    );
  }
  return entries;
}

export interface StorageConfig {
  kind: 'local' | 's3'; // YIWANG_STORAGE: 'local' (default) or 's3'
  dir: string; // YIWANG_STORAGE_DIR: the local directory (default <data dir>/files)
  s3?: {
    endpoint: string; // S3_ENDPOINT, e.g. https://oss-cn-hangzhou.aliyuncs.com or http://127.0.0.1:9000
    bucket: string; // S3_BUCKET
    region: string; // S3_REGION (default us-east-1)
    accessKeyId: string; // S3_ACCESS_KEY_ID
    secretAccessKey: string; // S3_SECRET_ACCESS_KEY
    forcePathStyle: boolean; // S3_FORCE_PATH_STYLE (default true: MinIO and most S3-compatible stores)
  };
}

function storageConfig(env: NodeJS.ProcessEnv, dataDir: string): StorageConfig {
  const kind = env.YIWANG_STORAGE || 'local';
  if (kind !== 'local' && kind !== 's3') throw new Error(`环境变量 YIWANG_STORAGE 只能是 local 或 s3，当前为 "${kind}"`);
  const dir = env.YIWANG_STORAGE_DIR || `${dataDir.replace(/\/+$/, '')}/files`;
  if (kind === 'local') return { kind, dir };
  const { S3_ENDPOINT: endpoint, S3_BUCKET: bucket, S3_ACCESS_KEY_ID: accessKeyId, S3_SECRET_ACCESS_KEY: secretAccessKey } = env;
  if (!endpoint || !bucket || !accessKeyId || !secretAccessKey) {
    throw new Error('使用 S3 存储时必须同时设置 S3_ENDPOINT、S3_BUCKET、S3_ACCESS_KEY_ID 和 S3_SECRET_ACCESS_KEY');
  }
  return {
    kind,
    dir,
    s3: { endpoint, bucket, region: env.S3_REGION || 'us-east-1', accessKeyId, secretAccessKey, forcePathStyle: bool('S3_FORCE_PATH_STYLE', true, env) },
  };
}

export interface OidcConfig {
  issuer: string; // OIDC_ISSUER
  clientId: string; // OIDC_CLIENT_ID
  clientSecret: string; // OIDC_CLIENT_SECRET
  redirectUri: string; // OIDC_REDIRECT_URI, e.g. https://portal.example/auth/oidc/callback
  displayName: string; // OIDC_DISPLAY_NAME, the button's label
  allowInsecure: boolean; // OIDC_ALLOW_HTTP: an http:// issuer (tests, development)
}

function oidcConfig(env: NodeJS.ProcessEnv): OidcConfig | undefined {
  const { OIDC_ISSUER: issuer, OIDC_CLIENT_ID: clientId, OIDC_CLIENT_SECRET: clientSecret, OIDC_REDIRECT_URI: redirectUri } = env;
  if (!issuer && !clientId) return undefined;
  if (!issuer || !clientId || !clientSecret || !redirectUri) {
    throw new Error('OpenID Connect 配置不完整：需要同时设置 OIDC_ISSUER、OIDC_CLIENT_ID、OIDC_CLIENT_SECRET 和 OIDC_REDIRECT_URI');
  }
  return {
    issuer,
    clientId,
    clientSecret,
    redirectUri,
    displayName: env.OIDC_DISPLAY_NAME || '统一身份认证',
    allowInsecure: bool('OIDC_ALLOW_HTTP', false, env),
  };
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

function messageAdapter(env: NodeJS.ProcessEnv): 'inbox' | 'webhook' {
  const v = env.YIWANG_MESSAGE_ADAPTER || 'inbox';
  if (v !== 'inbox' && v !== 'webhook') throw new Error(`环境变量 YIWANG_MESSAGE_ADAPTER 只能是 inbox 或 webhook，当前为 "${v}"`);
  if (v === 'webhook' && !env.YIWANG_MESSAGE_WEBHOOK_URL) throw new Error('使用 webhook 短信适配器时必须设置 YIWANG_MESSAGE_WEBHOOK_URL');
  return v;
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
    trustProxy: trustProxyConfig(env),
    sessionIdleMinutes: Math.max(1, int('SESSION_IDLE_MINUTES', 30, env)),
    sessionAbsoluteHours: Math.max(1, int('SESSION_ABSOLUTE_HOURS', 12, env)),
    messageAdapter: messageAdapter(env),
    messageWebhookUrl: env.YIWANG_MESSAGE_WEBHOOK_URL || undefined,
    devInbox: bool('YIWANG_DEV_INBOX', env.NODE_ENV !== 'production', env),
    oidc: oidcConfig(env),
    storage: storageConfig(env, env.YIWANG_DATA_DIR || './data'),
    attachmentMaxMb: Math.max(1, int('YIWANG_ATTACHMENT_MAX_MB', 20, env)),
    jobsIntervalMs: int('YIWANG_JOBS_INTERVAL_MS', 5000, env),
    dueSoonDays: int('YIWANG_DUE_SOON_DAYS', 2, env),
    resultQueriesPerIp: Math.max(1, int('YIWANG_RESULT_QUERIES_PER_IP', 60, env)),
    resultQueriesPerKey: Math.max(1, int('YIWANG_RESULT_QUERIES_PER_KEY', 10, env)),
    resultUploadMaxMb: Math.max(1, int('YIWANG_RESULT_UPLOAD_MAX_MB', 1024, env)),
    resultPreloadMinutes: Math.max(0, int('YIWANG_RESULT_PRELOAD_MINUTES', 30, env)),
    shareAnswerDays: Math.max(1, int('YIWANG_SHARE_ANSWER_DAYS', 5, env)),
    dataUploadMaxMb: Math.max(1, int('YIWANG_DATA_UPLOAD_MAX_MB', 2048, env)),
    webhookTimeoutMs: Math.max(100, int('YIWANG_WEBHOOK_TIMEOUT_MS', 5000, env)),
    webhookAllowPrivate: bool('YIWANG_WEBHOOK_ALLOW_PRIVATE', false, env),
    publicUrl: (env.YIWANG_PUBLIC_URL || `http://${env.HOST || 'localhost'}:${int('PORT', 3000, env)}`).replace(/\/+$/, ''),
  };
}
