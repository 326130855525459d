/**
 * The demo catalogue: regions, departments, basic items and, for every region at every level an item lists,
 * a published implementation item with its materials. Deterministic; runs in one transaction, so a seed
 * either lands whole or not at all.
 */
import { sql, type Insertable, type Kysely, type Transaction } from 'kysely';
import type { DB, ImplItemVersionTable, ProcessStep, RegionTable } from '../db/schema.ts';
import { bulkInsert } from '../db/bulk-insert.ts';
import { DEPARTMENT_KINDS, type BasicItemSeed, type DepartmentKind } from '../modules/catalogue/catalogue.types.ts';
import { buildBasicCode, buildImplementationCode } from '../shared/codes/item-code.ts';
import { zhejiangRegions } from './regions.seed.ts';
import { buildDepartments, serviceHallOf } from './departments.seed.ts';
import { SYNONYMS } from './data/synonyms.ts';
import { hash32 } from './deterministic.ts';
import { defaultSteps } from '../modules/catalogue/default-steps.ts';
import { bumpCatalogueRevision } from '../modules/catalogue/catalogue-revision.ts';
import { resetCatalogue } from './reset-catalogue.ts';
import { seedDemoAccounts } from './accounts.seed.ts';
import { seedDemoAppointments } from './appointments.seed.ts';
import { markDemoPartsPending } from './demo-parts.ts';
import { recordAuditEvent } from '../modules/audit/record-audit-event.ts';
import { SYSTEM_ACTOR } from '../modules/audit/audit.types.ts';
import type { FormDefinition, ItemFormSeed } from '../modules/forms/form.types.ts';
import { checkFormDefinition } from '../modules/forms/check-form-definition.ts';
import { FIXTURE_FORMS } from '../modules/forms/fixture-forms.ts';
import { DEMO_FORMS } from './data/forms/index.ts';

export type SeedProgress = (stage: string, done: number, total: number) => void;

export interface SeedOptions {
  items: BasicItemSeed[];
  /** Limit to these regions (and their ancestors) — tests use a few to stay fast. Default: all. */
  regionCodes?: string[];
  onProgress?: SeedProgress;
  /** Also write the demo accounts (src/seed/accounts.seed.ts): `yiwang seed` and a first start do. */
  demoAccounts?: boolean;
  /**
   * Application forms (申请表单) by basic code, each naming its basic item; an entry whose name differs from
   * the item the code was given to is an error. Default: the demo's forms (src/seed/data/forms) and the test
   * fixture's (src/modules/forms/fixture-forms.ts), each used only where code and name both match.
   */
  forms?: Record<string, ItemFormSeed>;
}

export interface SeedSummary {
  regions: number;
  departments: number;
  basicItems: number;
  implItems: number;
  materials: number;
  accounts: number;
}

/** Bound parameters per INSERT: PGlite's wire buffer, like PostgreSQL's 65,535-parameter limit, wants batches. */
const MAX_PARAMS = 8000;
const batchOf = (columns: number) => Math.max(1, Math.floor(MAX_PARAMS / columns));
const BATCH = batchOf(10);

async function insertBatches<T>(
  rows: T[],
  stage: string,
  progress: SeedProgress | undefined,
  insert: (chunk: T[]) => Promise<void>,
  size = BATCH,
) {
  for (let i = 0; i < rows.length; i += size) {
    await insert(rows.slice(i, i + size));
    progress?.(stage, Math.min(i + size, rows.length), rows.length);
  }
}

export async function isCatalogueEmpty(db: Kysely<DB>): Promise<boolean> {
  const row = await db.selectFrom('regions').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n) === 0;
}

/**
 * Seeds an empty catalogue, under an advisory lock: of several servers starting together on an empty database,
 * one seeds and the others find it done (null). With `reset`, the catalogue is emptied first, in the same
 * transaction, so a failed seed leaves the old catalogue in place.
 */
export async function seedCatalogue(db: Kysely<DB>, opts: SeedOptions & { reset?: boolean }): Promise<SeedSummary | null> {
  const summary = await db.transaction().execute(async (trx) => {
    await sql`SELECT pg_advisory_xact_lock(hashtext('yiwang.seed-catalogue'))`.execute(trx);
    if (opts.reset) await resetCatalogue(trx);
    else if (!(await isCatalogueEmpty(trx))) return null;
    return seedInTransaction(trx, opts);
  });
  if (!summary) return null;
  // fresh statistics after a bulk load, so the planner does not guess
  await sql`ANALYZE regions, departments, basic_items, impl_items, impl_item_versions, item_materials`.execute(db);
  return summary;
}

/** Basic items' codes: type + department class + serial within (type, class) + sub-item 00, in the items' order. */
export function assignBasicCodes(items: readonly BasicItemSeed[]): { seed: BasicItemSeed; code: string }[] {
  const serials = new Map<string, number>();
  return items.map((item) => {
    const cls = DEPARTMENT_KINDS[item.department].code;
    const key = item.type + cls;
    const serial = (serials.get(key) ?? 0) + 1;
    serials.set(key, serial);
    return { seed: item, code: buildBasicCode(item.type, cls, serial) };
  });
}

/** The form of a basic item: from the given map (a name mismatch is an error), or from the defaults where code and name match. */
function formFor(forms: Record<string, ItemFormSeed> | undefined, code: string, name: string): FormDefinition | null {
  if (forms) {
    const e = Object.prototype.hasOwnProperty.call(forms, code) ? forms[code] : undefined;
    if (e && e.item !== name) throw new Error(`基本编码 ${code} 的申请表单属于“${e.item}”，而该编码的事项是“${name}”`);
    return e?.form ?? null;
  }
  for (const defaults of [DEMO_FORMS, FIXTURE_FORMS]) {
    const e = Object.prototype.hasOwnProperty.call(defaults, code) ? defaults[code] : undefined;
    if (e && e.item === name) return e.form;
  }
  return null;
}

async function seedInTransaction(trx: Transaction<DB>, opts: SeedOptions): Promise<SeedSummary> {
  const progress = opts.onProgress;
  let regions = zhejiangRegions();
  if (opts.regionCodes) {
    const keep = new Set<string>();
    const byCode = new Map(regions.map((r) => [r.code, r]));
    for (const code of opts.regionCodes) {
      for (let r = byCode.get(code); r; r = r.parent_code ? byCode.get(r.parent_code) : undefined) keep.add(r.code);
    }
    regions = regions.filter((r) => keep.has(r.code));
  }
  await trx.insertInto('regions').values(regions).execute();
  progress?.('行政区划', regions.length, regions.length);

  const departments = buildDepartments(regions);
  const deptIds = new Map<string, number>(); // `${region}:${kind}` → id
  await insertBatches(departments, '部门', progress, async (chunk) => {
    const rows = await trx.insertInto('departments').values(chunk).returning(['id', 'region_code', 'kind']).execute();
    for (const r of rows) deptIds.set(`${r.region_code}:${r.kind}`, r.id);
  });
  const deptByKey = new Map(departments.map((d) => [`${d.region_code}:${d.kind}`, d]));

  const basics = assignBasicCodes(opts.items);
  const formByCode = new Map<string, FormDefinition>();
  for (const { seed, code } of basics) {
    const form = formFor(opts.forms, code, seed.name);
    if (!form) continue;
    const problems = checkFormDefinition(form, { slotKeys: seed.materials.map((_, i) => `m${i + 1}`) });
    if (problems.length) throw new Error(`事项“${seed.name}”（${code}）的申请表单有误：${problems.join('；')}`);
    formByCode.set(code, form);
  }
  await insertBatches(basics, '基本目录', progress, async (chunk) => {
    await trx
      .insertInto('basic_items')
      .values(
        chunk.map(({ seed, code }) => ({
          code,
          name: seed.name,
          type: seed.type,
          objects: seed.objects,
          themes: seed.themes,
          department_kind: seed.department,
          power_source: seed.powerSource ?? 'statutory',
          legal_basis: seed.legalBasis,
          keywords: seed.keywords ?? [],
          summary: seed.summary ?? '',
          popularity: seed.popularity,
        })),
      )
      .execute();
  });

  // Implementation items: one per region at each level the item lists, where that region has the department.
  type Plan = { code: string; basicCode: string; seed: BasicItemSeed; region: RegionTable; deptKey: string };
  const plans: Plan[] = [];
  for (const { seed, code } of basics) {
    for (const region of regions) {
      if (!seed.levels.includes(region.level)) continue;
      const deptKey = `${region.code}:${seed.department as DepartmentKind}`;
      const dept = deptByKey.get(deptKey);
      if (!dept) continue;
      plans.push({ code: buildImplementationCode(dept.credit_code as string, code, 1), basicCode: code, seed, region, deptKey });
    }
  }

  let materialCount = 0;
  const CHUNK = 2000;
  for (let at = 0; at < plans.length; at += CHUNK) {
    const chunk = plans.slice(at, at + CHUNK);
    await bulkInsert(
      trx,
      'impl_items',
      chunk.map((p) => ({
        code: p.code,
        basic_code: p.basicCode,
        region_code: p.region.code,
        department_id: deptIds.get(p.deptKey)!,
        published_version: 1,
        latest_version: 1,
        // the same item is wanted more in a big city than in a mountain county
        popularity: Math.max(1, Math.round(p.seed.popularity * (0.6 + (hash32(p.region.code) % 40) / 100))),
      })),
    );
    const versions = chunk.map((p) => versionRow(p.code, p.seed, p.region, deptByKey.get(p.deptKey)!, formByCode.get(p.basicCode) ?? null));
    const inserted = (await bulkInsert(trx, 'impl_item_versions', versions, { returning: ['id', 'item_code'] })) as {
      id: number;
      item_code: string;
    }[];
    const seedByCode = new Map(chunk.map((p) => [p.code, p.seed]));
    const materials: Record<string, unknown>[] = [];
    for (const v of inserted) {
      seedByCode.get(v.item_code)!.materials.forEach((m, i) => {
        materials.push({
          version_id: v.id,
          seq: i + 1,
          name: m.name,
          form: m.form,
          copies: m.copies ?? (m.form === 'electronic' || m.source === 'shared' ? 0 : 1),
          required: m.required === true,
          condition: m.required === true ? null : m.required,
          source: m.source,
          issuer: m.issuer ?? null,
          blank_form: m.blankForm ?? false,
          sample: m.sample ?? false,
          notes: m.notes ?? null,
        });
      });
    }
    await bulkInsert(trx, 'item_materials', materials);
    materialCount += materials.length;
    progress?.('实施清单', Math.min(at + CHUNK, plans.length), plans.length);
  }

  await trx
    .insertInto('search_synonyms')
    .values(Object.entries(SYNONYMS).map(([term, expansions]) => ({ term, expansions })))
    .onConflict((oc) => oc.column('term').doUpdateSet((eb) => ({ expansions: eb.ref('excluded.expansions') })))
    .execute();
  await bumpCatalogueRevision(trx);
  const accounts = opts.demoAccounts ? await seedDemoAccounts(trx, deptIds) : 0;
  // bookable services of the demo regions (婚姻登记、挂号、窗口、景区)
  if (opts.demoAccounts) await seedDemoAppointments(trx);
  // the demo's other parts (result sets, shared data, once-only, the three lists) follow in transactions of their
  // own: pending until finishDemoParts has written them all (a server finishes them after a crash in between)
  if (opts.demoAccounts) await markDemoPartsPending(trx);
  progress?.('演示账号', accounts, accounts);
  const summary = {
    regions: regions.length,
    departments: departments.length,
    basicItems: basics.length,
    implItems: plans.length,
    materials: materialCount,
    accounts,
  };
  await recordAuditEvent(trx, { action: 'catalogue.demo_seeded', actor: SYSTEM_ACTOR, target: { type: 'catalogue', id: 'demo' }, details: summary });
  return summary;
}

function versionRow(
  code: string,
  seed: BasicItemSeed,
  region: RegionTable,
  dept: { address: string; phone: string; office_hours: string },
  form: FormDefinition | null,
): Omit<Insertable<ImplItemVersionTable>, 'steps' | 'form'> & { steps: ProcessStep[]; form: FormDefinition | null } {
  return {
    item_code: code,
    version: 1,
    status: 'published',
    name: seed.name,
    type: seed.type,
    objects: seed.objects,
    themes: seed.themes,
    exercise_level: region.level,
    power_source: seed.powerSource ?? 'statutory',
    legal_basis: seed.legalBasis,
    conditions: seed.conditions,
    steps: seed.steps ? seed.steps.map((name) => ({ name })) : defaultSteps(seed.handlingType),
    legal_days: seed.legalDays,
    legal_days_note: seed.legalDaysNote ?? '',
    promised_days: seed.promisedDays,
    promised_days_note: seed.promisedDaysNote ?? '',
    fee_standard: seed.fee?.standard ?? null,
    fee_basis: seed.fee?.basis ?? null,
    address: `${dept.address}（${serviceHallOf(region)}综合窗口）`,
    office_hours: dept.office_hours,
    consult_phone: dept.phone,
    complaint_phone: '12345',
    visits: seed.visits,
    online_depth: seed.onlineDepth,
    handling_type: seed.handlingType,
    result_name: seed.result.name,
    result_type: seed.result.type,
    tongban: seed.tongban ?? null,
    appointment: seed.appointment ?? false,
    delivery: seed.delivery ?? false,
    online_payment: seed.onlinePayment ?? false,
    summary: seed.summary ?? '',
    keywords: seed.keywords ?? [],
    change_note: '初始发布',
    created_by: 'seed',
    published_at: '2026-01-01T00:00:00+08:00',
    form, // jsonb: bulkInsert sends the row as JSON
  };
}
