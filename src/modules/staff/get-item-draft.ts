/** The open draft (未发布草稿) of an item's guide, for staff whose `catalogue.draft.read` covers its department. */
import type { Kysely } from 'kysely';
import type { DB, VersionStatus } from '../../db/schema.ts';
import type { Principal } from '../access/principal.ts';
import type { AuditActor } from '../audit/audit.types.ts';
import { NotFoundError } from '../../shared/errors.ts';
import type { ItemScope } from './load-item-scope.ts';
import { authorizeItemDrafts } from './authorize-item-drafts.ts';

export interface ItemVersionView {
  code: string;
  version: number;
  status: VersionStatus;
  publishedVersion: number | null;
  name: string;
  department: { code: string; name: string };
  changeNote: string;
  createdBy: string;
  createdAt: string;
  legalDays: number;
  legalDaysNote: string;
  promisedDays: number;
  promisedDaysNote: string;
  feeStandard: string | null;
  feeBasis: string | null;
  address: string;
  officeHours: string;
  consultPhone: string;
  visits: number;
  onlineDepth: number;
  summary: string;
  conditions: string[];
  legalBasis: string[];
  materials: number;
}

export type ItemDraft = ItemVersionView & { status: 'draft' };

/** The item's latest version (a draft when one is open, otherwise the published one); no access check. */
export async function loadLatestVersion(db: Kysely<DB>, item: ItemScope): Promise<ItemVersionView> {
  const v = await db
    .selectFrom('impl_item_versions')
    .selectAll()
    .select((eb) => eb.selectFrom('item_materials as m').whereRef('m.version_id', '=', 'impl_item_versions.id').select(eb.fn.countAll<string>().as('n')).as('materials'))
    .where('item_code', '=', item.code)
    .where('version', '=', item.latestVersion)
    .executeTakeFirstOrThrow();
  return {
    code: v.item_code,
    version: v.version,
    status: v.status,
    publishedVersion: item.publishedVersion,
    name: v.name,
    department: { code: item.department.code, name: item.department.name },
    changeNote: v.change_note,
    createdBy: v.created_by,
    createdAt: new Date(v.created_at).toISOString(),
    legalDays: v.legal_days,
    legalDaysNote: v.legal_days_note,
    promisedDays: v.promised_days,
    promisedDaysNote: v.promised_days_note,
    feeStandard: v.fee_standard,
    feeBasis: v.fee_basis,
    address: v.address,
    officeHours: v.office_hours,
    consultPhone: v.consult_phone,
    visits: v.visits,
    onlineDepth: v.online_depth,
    summary: v.summary,
    conditions: v.conditions,
    legalBasis: v.legal_basis,
    materials: Number(v.materials ?? 0),
  };
}

export async function getItemDraft(db: Kysely<DB>, p: Principal, code: string, actor: AuditActor): Promise<ItemDraft> {
  const item = await authorizeItemDrafts(db, p, code, 'catalogue.draft.read', actor);
  const latest = await loadLatestVersion(db, item);
  if (latest.status !== 'draft') throw new NotFoundError(`事项 ${code} 没有未发布的草稿`, 'code');
  return latest as ItemDraft;
}
