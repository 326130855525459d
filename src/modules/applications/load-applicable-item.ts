/**
 * The published version of an implementation item that can be applied for online: its form, material slots,
 * limits and workflow. Versions never change once published, so what is derived from one is kept per version.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { DepartmentScope } from '../access/principal.ts';
import type { FormDefinition, MaterialSlot } from '../forms/form.types.ts';
import { materialSlots } from '../forms/material-slots.ts';
import { AppError, NotFoundError } from '../../shared/errors.ts';
import { workflowKeyFor } from './workflows.ts';

export interface ApplicableItem {
  code: string;
  basicCode: string;
  versionId: number;
  name: string;
  department: DepartmentScope & { name: string };
  legalDays: number;
  promisedDays: number;
  workflowKey: string;
  resultName: string;
  resultType: string;
  form: FormDefinition;
  slots: MaterialSlot[];
}

const cache = new WeakMap<object, Map<number, ApplicableItem>>();

/**
 * The published version of the item, or — with `versionId` — the version an application was made with. Inside a
 * transaction pass the transaction (PGlite has one connection) and the database handle as `cacheOwner`.
 */
export async function loadApplicableItem(
  db: Kysely<DB>,
  code: string,
  cacheOwner: object = db,
  versionId?: number,
  catalogueRevision?: number,
): Promise<ApplicableItem> {
  // with the catalogue revision the caller's server has loaded, the published version found last time stands
  // until the revision moves (a publication moves it; every server follows within its poll interval)
  let published = publishedCache.get(cacheOwner);
  if (!published) publishedCache.set(cacheOwner, (published = new Map()));
  if (versionId === undefined && catalogueRevision !== undefined) {
    const hit = published.get(code);
    if (hit && hit.revision === catalogueRevision) return hit.item;
  }
  const item = await loadFromDb(db, code, cacheOwner, versionId);
  if (versionId === undefined && catalogueRevision !== undefined) {
    if (published.size > 20_000) published.clear();
    published.set(code, { revision: catalogueRevision, item });
  }
  return item;
}

const publishedCache = new WeakMap<object, Map<string, { revision: number; item: ApplicableItem }>>();

async function loadFromDb(db: Kysely<DB>, code: string, cacheOwner: object, versionId: number | undefined): Promise<ApplicableItem> {
  const row = await db
    .selectFrom('impl_items as i')
    .innerJoin('impl_item_versions as v', (j) =>
      versionId === undefined ? j.onRef('v.item_code', '=', 'i.code').onRef('v.version', '=', 'i.published_version') : j.onRef('v.item_code', '=', 'i.code').on('v.id', '=', versionId),
    )
    .innerJoin('departments as d', 'd.id', 'i.department_id')
    .select([
      'i.code',
      'i.basic_code',
      'v.id as version_id',
      'v.name',
      'v.legal_days',
      'v.promised_days',
      'v.workflow_key',
      'v.handling_type',
      'v.result_name',
      'v.result_type',
      'v.form',
      'd.id as department_id',
      'd.kind as department_kind',
      'd.region_code',
      'd.name as department_name',
    ])
    .where('i.code', '=', code)
    .executeTakeFirst();
  if (!row) throw new NotFoundError('事项不存在或尚未发布', 'itemCode');
  let byVersion = cache.get(cacheOwner);
  if (!byVersion) cache.set(cacheOwner, (byVersion = new Map()));
  const hit = byVersion.get(row.version_id);
  if (hit) return hit;
  if (!row.form) throw new AppError('INVALID_PARAMETER', `“${row.name}”暂不支持网上申请，请到窗口办理`, 'itemCode');
  const materials = await db.selectFrom('item_materials').selectAll().where('version_id', '=', row.version_id).orderBy('seq').execute();
  const form = row.form as FormDefinition;
  const item: ApplicableItem = {
    code: row.code,
    basicCode: row.basic_code,
    versionId: row.version_id,
    name: row.name,
    department: { departmentId: row.department_id, departmentKind: row.department_kind, regionCode: row.region_code, name: row.department_name },
    legalDays: row.legal_days,
    promisedDays: row.promised_days,
    workflowKey: workflowKeyFor(row),
    resultName: row.result_name,
    resultType: row.result_type,
    form,
    slots: materialSlots(materials, form),
  };
  if (byVersion.size > 5000) byVersion.clear();
  byVersion.set(row.version_id, item);
  return item;
}
