import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { ITEM_TYPES, ONLINE_HANDLEABLE_MIN_DEPTH } from './catalogue.types.ts';
import { ItemNotFoundError, VersionNotFoundError } from './catalogue.errors.ts';
import type { ItemGuide } from './item-guide.types.ts';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** The published guide of an implementation item, or a given version that has been published (earlier ones are kept). */
export async function getItemGuide(db: Kysely<DB>, code: string, version?: number): Promise<ItemGuide> {
  const row = await db
    .selectFrom('impl_items as i')
    .innerJoin('impl_item_versions as v', (j) =>
      version === undefined
        ? j.onRef('v.item_code', '=', 'i.code').onRef('v.version', '=', 'i.published_version')
        : j.onRef('v.item_code', '=', 'i.code').on('v.version', '=', version).on('v.status', '!=', 'draft'),
    )
    .innerJoin('departments as d', 'd.id', 'i.department_id')
    .innerJoin('regions as r', 'r.code', 'i.region_code')
    .selectAll('v')
    .select([
      'i.basic_code', 'd.credit_code', 'd.name as dept_name', 'd.address as dept_address', 'd.phone as dept_phone',
      'd.office_hours as dept_hours', 'r.code as region_code', 'r.name as region_name', 'r.full_name as region_full_name',
      'r.level as region_level',
    ])
    .where('i.code', '=', code)
    .executeTakeFirst();
  if (!row) throw version === undefined ? new ItemNotFoundError(code) : new VersionNotFoundError(code, version);
  const materials = await db.selectFrom('item_materials').selectAll().where('version_id', '=', row.id).orderBy('seq').execute();
  return {
    code: row.item_code,
    basicCode: row.basic_code,
    version: row.version,
    publishedAt: iso(row.published_at),
    name: row.name,
    type: row.type,
    typeLabel: ITEM_TYPES[row.type],
    objects: row.objects,
    themes: row.themes,
    exerciseLevel: row.exercise_level,
    powerSource: row.power_source,
    legalBasis: row.legal_basis,
    conditions: row.conditions,
    materials: materials.map((m) => ({
      seq: m.seq,
      name: m.name,
      form: m.form,
      copies: m.copies,
      required: m.required,
      condition: m.condition,
      source: m.source,
      issuer: m.issuer,
      blankForm: m.blank_form,
      sample: m.sample,
      notes: m.notes,
    })),
    steps: row.steps,
    legalDays: row.legal_days,
    legalDaysNote: row.legal_days_note,
    promisedDays: row.promised_days,
    promisedDaysNote: row.promised_days_note,
    fee: row.fee_standard ? { standard: row.fee_standard, basis: row.fee_basis } : null,
    address: row.address,
    officeHours: row.office_hours,
    consultPhone: row.consult_phone,
    complaintPhone: row.complaint_phone,
    visits: row.visits,
    onlineDepth: row.online_depth,
    onlineHandleable: row.online_depth >= ONLINE_HANDLEABLE_MIN_DEPTH,
    onlineForm: row.form !== null,
    handlingType: row.handling_type,
    result: { name: row.result_name, type: row.result_type },
    tongban: row.tongban,
    appointment: row.appointment,
    delivery: row.delivery,
    onlinePayment: row.online_payment,
    summary: row.summary,
    keywords: row.keywords,
    department: {
      code: row.credit_code,
      name: row.dept_name,
      address: row.dept_address,
      phone: row.dept_phone,
      officeHours: row.dept_hours,
    },
    region: { code: row.region_code, name: row.region_name, fullName: row.region_full_name, level: row.region_level },
  };
}
