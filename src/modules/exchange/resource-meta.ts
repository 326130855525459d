/**
 * What the exchange needs of a resource's catalogue entry (its items, masks, key item, the item that names a
 * record's subject), cached per resource and meta version: the hot path's statement returns the entry's
 * meta_version, and a different one (an edited entry) reloads it. Entries also expire after a minute.
 */
import type { Kysely } from 'kysely';
import type { DataItem, DB } from '../../db/schema.ts';
import { masksOf, type MaskKind } from './masking.ts';

export interface ResourceMeta {
  id: number;
  code: string;
  name: string;
  metaVersion: number;
  items: DataItem[];
  itemKeys: Set<string>;
  masks: Map<string, MaskKind>;
  keyItem: string;
  /** the item holding the record's subject (公民身份号码 / 统一社会信用代码), when the key is not one */
  subjectItem: string | null;
  providerDepartmentId: number;
  loadedAt: number;
}

const TTL_MS = 60_000;
const caches = new WeakMap<Kysely<DB>, Map<number, ResourceMeta>>();

const IDENTIFIER_TYPES = new Set<DataItem['type']>(['resident_id', 'credit_code']);

function cacheOf(db: Kysely<DB>): Map<number, ResourceMeta> {
  let c = caches.get(db);
  if (!c) caches.set(db, (c = new Map()));
  return c;
}

/** The resource's entry at this meta version (from the cache, or read). */
export async function resourceMeta(db: Kysely<DB>, id: number, metaVersion: number): Promise<ResourceMeta> {
  const cache = cacheOf(db);
  const hit = cache.get(id);
  if (hit && hit.metaVersion === metaVersion && Date.now() - hit.loadedAt < TTL_MS) return hit;
  const r = await db
    .selectFrom('data_resources')
    .select(['id', 'code', 'name', 'meta_version', 'items', 'key_item', 'provider_department_id'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  const items = (typeof r.items === 'string' ? JSON.parse(r.items) : r.items) as DataItem[];
  const keyDecl = items.find((i) => i.key === r.key_item);
  const subjectItem = keyDecl && IDENTIFIER_TYPES.has(keyDecl.type) ? null : (items.find((i) => IDENTIFIER_TYPES.has(i.type))?.key ?? null);
  const meta: ResourceMeta = {
    id: r.id,
    code: r.code,
    name: r.name,
    metaVersion: r.meta_version,
    items,
    itemKeys: new Set(items.map((i) => i.key)),
    masks: masksOf(items),
    keyItem: r.key_item,
    subjectItem,
    providerDepartmentId: r.provider_department_id,
    loadedAt: Date.now(),
  };
  if (cache.size > 10_000) cache.clear();
  cache.set(id, meta);
  return meta;
}

/** The identifier naming a record's subject: the key, or the record's 身份证号 / 信用代码 item when the key is not one. */
export function subjectIdentifier(meta: ResourceMeta, key: string, data: Record<string, unknown> | null): string {
  if (meta.subjectItem && data) {
    const v = data[meta.subjectItem];
    if (typeof v === 'string' && v.trim()) return v;
  }
  return key;
}

/**
 * An identifier (公民身份号码 / 统一社会信用代码) as the loader stores it (validate-data-record.ts, whose normaliser
 * is not exported): Unicode NFKC (full-width digits and letters become half-width), whitespace removed, upper case
 * (a lower-case x of an ID number becomes X).
 */
export function normaliseIdentifier(raw: string): string {
  return raw.normalize('NFKC').replace(/\s+/g, '').toUpperCase();
}

/** A value a caller gives for `item` (a lookup key, a filter), as the item's records hold it: identifiers normalised. */
export function itemValue(meta: ResourceMeta, item: string, raw: string): string {
  const type = meta.items.find((i) => i.key === item)?.type;
  return type && IDENTIFIER_TYPES.has(type) ? normaliseIdentifier(raw) : raw;
}
