/**
 * The differences between two editions of one department's list (版本比对): entries added, removed, and changed
 * with the fields that changed. `diffEntries` is the pure comparison; `diffEditions` loads two editions of the
 * same kind and department (any two versions, in either order: the result reads from `from` to `to`).
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { InvalidParameterError, NotFoundError } from '../../shared/errors.ts';
import { getEdition } from './get-list-edition.ts';
import type { EditionSummary } from './three-lists.editions.ts';
import type { ListEntry } from './three-lists.types.ts';

export interface EntryChange {
  key: string;
  before: ListEntry;
  after: ListEntry;
  fields: string[]; // the top-level fields whose values differ, in the entry's field order
}

export interface EntriesDiff {
  added: ListEntry[];
  removed: ListEntry[];
  changed: EntryChange[];
}

export interface EditionsDiff extends EntriesDiff {
  from: EditionSummary;
  to: EditionSummary;
}

/** JSON with object keys sorted, so values compare equal whatever order jsonb stored their keys in. */
export function canonicalJson(v: unknown): string {
  if (v === undefined) return 'null';
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  const o = v as Record<string, unknown>;
  const keys = Object.keys(o).filter((k) => o[k] !== undefined).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`).join(',')}}`;
}

/** The fields of two versions of one entry whose values differ (absent and undefined count as equal). */
export function changedFields(before: ListEntry, after: ListEntry): string[] {
  const b = before as unknown as Record<string, unknown>;
  const a = after as unknown as Record<string, unknown>;
  const fields = [...new Set([...Object.keys(a), ...Object.keys(b)])];
  return fields.filter((f) => canonicalJson(b[f] ?? null) !== canonicalJson(a[f] ?? null));
}

/** Compares list `a` (before) with list `b` (after) by entry key. Results are sorted by key. */
export function diffEntries(a: readonly ListEntry[], b: readonly ListEntry[]): EntriesDiff {
  const before = new Map(a.map((e) => [e.key, e]));
  const after = new Map(b.map((e) => [e.key, e]));
  const byKey = (x: { key: string }, y: { key: string }) => (x.key < y.key ? -1 : x.key > y.key ? 1 : 0);
  const added = b.filter((e) => !before.has(e.key)).sort(byKey);
  const removed = a.filter((e) => !after.has(e.key)).sort(byKey);
  const changed: EntryChange[] = [];
  for (const e of b) {
    const old = before.get(e.key);
    if (!old) continue;
    const fields = changedFields(old, e);
    if (fields.length) changed.push({ key: e.key, before: old, after: e, fields });
  }
  changed.sort(byKey);
  return { added, removed, changed };
}

/**
 * Compares two editions of the same department's list of the same kind. Drafts may be compared only when
 * `includeDrafts` (the staff review); the public compares published and superseded editions.
 */
export async function diffEditions(db: Kysely<DB>, fromEditionId: number, toEditionId: number, opts: { includeDrafts?: boolean } = {}): Promise<EditionsDiff> {
  const [from, to] = await Promise.all([getEdition(db, fromEditionId, opts), getEdition(db, toEditionId, opts)]);
  if (!from) throw new NotFoundError('要比较的旧版本不存在', 'from');
  if (!to) throw new NotFoundError('要比较的新版本不存在', 'to');
  if (from.kind !== to.kind || from.departmentId !== to.departmentId) {
    throw new InvalidParameterError('to', '只能比较同一部门同一清单的两个版本');
  }
  const { entries: fromEntries, ...fromSummary } = from;
  const { entries: toEntries, ...toSummary } = to;
  return { from: fromSummary, to: toSummary, ...diffEntries(fromEntries, toEntries) };
}
