/**
 * The application form of an implementation item — of its published version, or of a given version (a draft or
 * an application keeps the version it was started on) — with the guide's materials as upload slots.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { NotFoundError } from '../../shared/errors.ts';
import { ItemNotFoundError } from '../catalogue/catalogue.errors.ts';
import type { FormDefinition, MaterialSlot } from './form.types.ts';
import { materialSlots } from './material-slots.ts';

export interface ItemForm {
  itemCode: string;
  version: number;
  versionId: number;
  itemName: string;
  form: FormDefinition;
  slots: MaterialSlot[];
}

export class NoOnlineFormError extends NotFoundError {
  constructor(code: string) {
    super(`事项 ${code} 暂未开通网上申请，请按办事指南到窗口办理`, 'code');
  }
}

/**
 * @param opts.versionId a version of this item (any status); default: the published one
 * @throws ItemNotFoundError (no such published item or version), NoOnlineFormError (the version has no form)
 */
export async function getItemForm(db: Kysely<DB>, code: string, opts: { versionId?: number } = {}): Promise<ItemForm> {
  const base = db.selectFrom('impl_items as i').where('i.code', '=', code);
  const q =
    opts.versionId === undefined
      ? base.innerJoin('impl_item_versions as v', (j) => j.onRef('v.item_code', '=', 'i.code').onRef('v.version', '=', 'i.published_version'))
      : base.innerJoin('impl_item_versions as v', (j) => j.onRef('v.item_code', '=', 'i.code').on('v.id', '=', opts.versionId!));
  const row = await q.select(['v.id', 'v.version', 'v.name', 'v.form']).executeTakeFirst();
  if (!row) throw new ItemNotFoundError(code);
  if (row.form === null || row.form === undefined) throw new NoOnlineFormError(code);
  const form = (typeof row.form === 'string' ? JSON.parse(row.form) : row.form) as FormDefinition;
  const materials = await db
    .selectFrom('item_materials')
    .select(['seq', 'name', 'required', 'condition', 'source', 'issuer', 'notes'])
    .where('version_id', '=', row.id)
    .orderBy('seq')
    .execute();
  return { itemCode: code, version: row.version, versionId: row.id, itemName: row.name, form, slots: materialSlots(materials, form) };
}
