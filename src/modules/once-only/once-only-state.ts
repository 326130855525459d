/**
 * Once-only (免提交) state of an application: the item's declarations (item_data_sources: a form field or a
 * material sourced from a shared resource) that apply to this applicant, and what the platform has obtained for
 * the draft so far (draft_shared_data): fields filled (shown read-only) and materials exempted, or why not.
 */
import type { Kysely } from 'kysely';
import type { DataItem, DB } from '../../db/schema.ts';

/** One declaration of the item, with its resource and the department providing it. */
export interface ItemSource {
  target: 'field' | 'material';
  targetKey: string;
  subject: 'person' | 'enterprise';
  dataItem: string | null;
  label: string; // shown on the consent, e.g. 户籍信息
  resource: { id: number; code: string; name: string; keyItem: string; items: DataItem[]; providerName: string; published: boolean };
}

/** What was obtained for one target of the draft. */
export interface SharedEntry {
  target: 'field' | 'material';
  targetKey: string;
  status: 'filled' | 'unavailable';
  resourceId: number;
  resourceName: string;
  providerName: string;
  dataVersion: number | null;
  value: unknown;
  requestId: string | null;
  auditSeq: number | null;
  reason: string | null;
}

export interface OnceOnlyState {
  /** the declarations that apply to this applicant (a person's or an enterprise's data) */
  sources: ItemSource[];
  /** what the draft holds from sharing (only for targets still declared) */
  entries: SharedEntry[];
}

export const NO_ONCE_ONLY: OnceOnlyState = { sources: [], entries: [] };

/** The item's declarations, each with its resource (any status: an unpublished one is refused by the exchange). */
export async function listItemSources(db: Kysely<DB>, itemCode: string): Promise<ItemSource[]> {
  const rows = await db
    .selectFrom('item_data_sources as s')
    .innerJoin('data_resources as r', 'r.id', 's.resource_id')
    .innerJoin('departments as d', 'd.id', 'r.provider_department_id')
    .select(['s.target', 's.target_key', 's.subject', 's.data_item', 's.label', 'r.id as resource_id', 'r.code', 'r.name', 'r.key_item', 'r.items', 'r.status', 'd.name as provider_name'])
    .where('s.item_code', '=', itemCode)
    .orderBy('s.id')
    .execute();
  return rows.map((r) => ({
    target: r.target,
    targetKey: r.target_key,
    subject: r.subject,
    dataItem: r.data_item,
    label: r.label || r.name,
    resource: { id: r.resource_id, code: r.code, name: r.name, keyItem: r.key_item, items: r.items as DataItem[], providerName: r.provider_name, published: r.status === 'published' },
  }));
}

/** The applicant's view: the declarations for their kind of subject, and the draft's entries for them. */
export async function loadOnceOnlyState(db: Kysely<DB>, o: { itemCode: string; subjectType: 'person' | 'enterprise'; draftId: number | null }): Promise<OnceOnlyState> {
  const sources = (await listItemSources(db, o.itemCode)).filter((s) => s.subject === o.subjectType);
  if (!sources.length) return NO_ONCE_ONLY;
  const entries = o.draftId === null ? [] : await listDraftEntries(db, o.draftId);
  const declared = new Set(sources.map((s) => `${s.target}:${s.targetKey}`));
  return { sources, entries: entries.filter((e) => declared.has(`${e.target}:${e.targetKey}`)) };
}

export async function listDraftEntries(db: Kysely<DB>, draftId: number): Promise<SharedEntry[]> {
  const rows = await db
    .selectFrom('draft_shared_data as x')
    .innerJoin('data_resources as r', 'r.id', 'x.resource_id')
    .innerJoin('departments as d', 'd.id', 'r.provider_department_id')
    .select(['x.target', 'x.target_key', 'x.status', 'x.resource_id', 'x.data_version', 'x.value', 'x.request_id', 'x.audit_seq', 'x.reason', 'r.name as resource_name', 'd.name as provider_name'])
    .where('x.draft_id', '=', draftId)
    .orderBy('x.target')
    .orderBy('x.target_key')
    .execute();
  return rows.map((r) => ({
    target: r.target,
    targetKey: r.target_key,
    status: r.status,
    resourceId: r.resource_id,
    resourceName: r.resource_name,
    providerName: r.provider_name,
    dataVersion: r.data_version,
    value: r.value,
    requestId: r.request_id,
    auditSeq: r.audit_seq === null ? null : Number(r.audit_seq),
    reason: r.reason,
  }));
}

/** Fields filled from shared data: key → value (they override what the applicant posts). */
export function filledFieldValues(state: OnceOnlyState): Record<string, unknown> {
  return Object.fromEntries(state.entries.filter((e) => e.status === 'filled' && e.target === 'field').map((e) => [e.targetKey, e.value]));
}

/** Material slots exempted (免提交) by a successful fill. */
export function exemptSlots(state: OnceOnlyState): Set<string> {
  return new Set(state.entries.filter((e) => e.status === 'filled' && e.target === 'material').map((e) => e.targetKey));
}

/** The note beside a filled field or an exempted material: who provided it, from which resource and data version. */
export function sourceNote(e: SharedEntry): string {
  return `由${e.providerName}通过政务数据共享提供（${e.resourceName}${e.dataVersion ? `，数据版本 ${e.dataVersion}` : ''}）`;
}
