/**
 * Demo data of the three lists (三张清单), written as PUBLISHED editions straight into list_editions and
 * list_entries, then one bump of list_revision and a `list.published` audit event per edition (in publication order,
 * `demo: true`). Run after the catalogue seed; deterministic; one transaction; a
 * database that already has published lists is left alone.
 *
 * - 权力清单 (with 责任清单) for every department of the province, its cities and the demo counties
 *   (DEMO_LIST_COUNTIES): first a power for each catalogue item of a power type the department implements
 *   (impl_items → basic_items: name, type, power source and legal basis of the item, itemCodes = [basic code]),
 *   then its kind's further powers (data/three-lists/power-templates.ts). Keys `XK-330106-004-0001`: power type,
 *   region, department kind code, serial within the type. A handful of departments (data/three-lists/history.ts)
 *   have a version 1 (superseded) and a version 2: a power added, one dropped, one legal basis amended.
 * - 企业投资项目负面清单 of the province's development_reform department: 2025年版 (v1) and 2026年版 (v2).
 * - 专项资金管理清单 of the departments in data/three-lists/funds.ts: v1 (published January 2026: the 2024 and
 *   2025 amounts and allocations) and v2 (September 2026: with 2026). Allocations go to counties, demo
 *   enterprises, institutions and cooperatives; each year's total stays within its amount.
 *
 * Departments missing from the database (a test catalogue of a few regions) are skipped, never an error.
 */
import { sql, type Kysely } from 'kysely';
import { recordAuditEvents } from '../modules/audit/record-audit-event.ts';
import { SYSTEM_ACTOR, type AuditEventInput } from '../modules/audit/audit.types.ts';
import type { DB, ListKind } from '../db/schema.ts';
import type { RegionLevel } from '../shared/codes/region-code.ts';
import { bulkInsert } from '../db/bulk-insert.ts';
import { DEPARTMENT_KINDS, type DepartmentKind, type ExerciseLevel, type ItemType, type PowerSource } from '../modules/catalogue/catalogue.types.ts';
import type { FundAllocation, FundEntry, NegativeEntry, PowerEntry, PowerType } from '../modules/three-lists/three-lists.types.ts';
import { ACCOUNTABILITY, RESPONSIBILITIES } from './data/three-lists/responsibilities.ts';
import { POWER_TEMPLATES, type PowerTemplate } from './data/three-lists/power-templates.ts';
import { POWER_REVISIONS, type PowerRevision } from './data/three-lists/history.ts';
import { NEGATIVE_2025, NEGATIVE_ENTRIES } from './data/three-lists/negative.ts';
import { DEMO_COOPERATIVES, DEMO_FUND_ENTERPRISES, DEMO_FUND_INSTITUTIONS, FUND_SEEDS, FUND_YEARS, type FundSeed, type RecipientKind } from './data/three-lists/funds.ts';
import { hash32 } from './deterministic.ts';

/** County-level regions whose departments get power lists (the demo accounts' and test fixture's counties). */
export const DEMO_LIST_COUNTIES = ['330106', '330122', '330302'];

export interface ThreeListsSeedSummary {
  powers: number; // entries of the current power editions
  negative: number; // entries of the current negative list
  funds: number; // funds in the current fund editions
  allocations: number; // their allocation results
  editions: number; // editions written (all versions)
}

interface Dept {
  id: number;
  name: string;
  kind: DepartmentKind;
  region_code: string;
  level: RegionLevel;
  phone: string;
}

interface EditionPlan {
  kind: ListKind;
  departmentId: number;
  version: number;
  status: 'published' | 'superseded';
  note: string;
  publishedAt: string; // ISO with +08:00
  entries: { key: string }[];
}

const PUBLISHED_NOTE = '依据法律法规立改废释和部门职责调整情况，梳理公布本部门权力清单和责任清单。';

/** A China-time timestamp `days` after the given day, at 10:00 + minutes. */
function chinaTime(day: string, days = 0, minutes = 0): string {
  const d = new Date(`${day}T10:00:00+08:00`);
  d.setTime(d.getTime() + days * 86_400_000 + minutes * 60_000);
  const local = new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(0, 19);
  return `${local}+08:00`;
}

function powerEntry(key: string, t: { type: PowerType; name: string; legalBasis: string[]; powerSource?: PowerSource; itemCodes?: string[]; office?: string }, dept: Dept): PowerEntry {
  return {
    key,
    name: t.name,
    type: t.type,
    level: dept.level as ExerciseLevel,
    powerSource: t.powerSource ?? 'statutory',
    legalBasis: t.legalBasis,
    implementingBody: dept.name + (t.office ?? ''),
    responsibilities: RESPONSIBILITIES[t.type],
    accountability: ACCOUNTABILITY[t.type],
    itemCodes: t.itemCodes ?? [],
  };
}

/** Versions of one department's power list: [v1] or, with a revision, [v1, v2]. */
function powerVersions(
  dept: Dept,
  catalogue: { code: string; name: string; type: PowerType; power_source: PowerSource; legal_basis: string[] }[],
  revision: PowerRevision | undefined,
): PowerEntry[][] {
  const kindCode = DEPARTMENT_KINDS[dept.kind].code;
  const serials = new Map<PowerType, number>();
  const keyOf = (type: PowerType) => {
    const n = (serials.get(type) ?? 0) + 1;
    serials.set(type, n);
    return `${type}-${dept.region_code}-${kindCode}-${String(n).padStart(4, '0')}`;
  };
  const names = new Set<string>();
  const base: PowerEntry[] = [];
  for (const item of catalogue) {
    if (names.has(item.name)) continue;
    names.add(item.name);
    base.push(powerEntry(keyOf(item.type), { type: item.type, name: item.name, legalBasis: item.legal_basis, powerSource: item.power_source, itemCodes: [item.code] }, dept));
  }
  for (const t of POWER_TEMPLATES[dept.kind] ?? []) {
    if (t.levels && !t.levels.includes(dept.level as ExerciseLevel)) continue;
    if (names.has(t.name)) continue;
    names.add(t.name);
    base.push(powerEntry(keyOf(t.type), t, dept));
  }
  if (!revision) return [base];
  const removed = powerEntry(keyOf(revision.removed.type), revision.removed, dept);
  const added = powerEntry(keyOf(revision.added.type), revision.added, dept);
  const v1 = [...base, removed].map((e) => (e.name === revision.amended.name ? { ...e, legalBasis: revision.amended.v1LegalBasis } : e));
  const v2 = [...base, added];
  return [v1, v2];
}

// —— funds ——

/** Deterministic shuffle (by hash of key and item). */
function shuffled<T>(items: readonly T[], key: string, label: (t: T) => string): T[] {
  return [...items].sort((a, b) => hash32(`${key}|${label(a)}`) - hash32(`${key}|${label(b)}`) || label(a).localeCompare(label(b)));
}

function allocationsFor(seed: FundSeed, fundKey: string, year: number, amount: number, pool: string[]): FundAllocation[] {
  const h = hash32(`${fundKey}:${year}`);
  const recipients = shuffled(pool, `${fundKey}:${year}`, (s) => s).slice(0, Math.min(pool.length, 4 + (h % 5)));
  if (!recipients.length) return [];
  const share = 0.8 + ((h >>> 8) % 15) / 100; // 80–94 % of the year's amount is allocated
  const weights = recipients.map((r) => 1 + (hash32(`${fundKey}:${year}:${r}`) % 9));
  const total = weights.reduce((a, b) => a + b, 0);
  const budgetCents = Math.floor(amount * share * 100);
  const lastMonth = year === 2026 ? 8 : 11; // 2026 results were published before the September edition
  return recipients.map((recipient, i) => {
    const hr = hash32(`${fundKey}:${year}:${recipient}:d`);
    const month = 3 + (hr % (lastMonth - 2));
    const day = 1 + ((hr >>> 5) % 28);
    return {
      year,
      recipient,
      amount: Math.floor((budgetCents * weights[i]!) / total) / 100,
      date: `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`,
      project: seed.projects[(hr >>> 10) % seed.projects.length]!,
    };
  });
}

export async function seedDemoThreeLists(db: Kysely<DB>): Promise<ThreeListsSeedSummary> {
  return db.transaction().execute(async (trx) => {
    const existing = await trx.selectFrom('list_editions').select('id').where('status', 'in', ['published', 'superseded']).limit(1).executeTakeFirst();
    const summary: ThreeListsSeedSummary = { powers: 0, negative: 0, funds: 0, allocations: 0, editions: 0 };
    if (existing) return summary;

    const regions = await trx.selectFrom('regions').select(['code', 'name', 'full_name', 'level', 'parent_code']).execute();
    const inScope = new Set(regions.filter((r) => r.level !== 'county' || DEMO_LIST_COUNTIES.includes(r.code)).map((r) => r.code));
    const levelOf = new Map(regions.map((r) => [r.code, r.level as RegionLevel]));
    const departments: Dept[] = (await trx.selectFrom('departments').select(['id', 'name', 'kind', 'region_code', 'phone']).orderBy('region_code').orderBy('id').execute())
      .filter((d) => inScope.has(d.region_code))
      .map((d) => ({ ...d, level: levelOf.get(d.region_code)! }));
    const deptByKey = new Map(departments.map((d) => [`${d.region_code}:${d.kind}`, d]));
    const publisher = await trx.selectFrom('accounts').select('id').where('staff_no', '=', 'ZJ0001').executeTakeFirst();
    const admins = await trx
      .selectFrom('role_assignments')
      .select(['department_id', 'account_id'])
      .where('role', '=', 'department_admin')
      .where('revoked_at', 'is', null)
      .execute();
    const adminOf = new Map(admins.map((a) => [a.department_id, a.account_id]));

    // catalogue items of a power type, by implementing department
    const items = departments.length
      ? await trx
          .selectFrom('impl_items as i')
          .innerJoin('basic_items as b', 'b.code', 'i.basic_code')
          .select(['i.department_id', 'b.code', 'b.name', 'b.type', 'b.power_source', 'b.legal_basis'])
          .where('b.type', '<>', 'GG')
          .where('i.department_id', 'in', departments.map((d) => d.id))
          .orderBy('i.department_id')
          .orderBy('b.code')
          .execute()
      : [];
    const itemsOf = new Map<number, { code: string; name: string; type: PowerType; power_source: PowerSource; legal_basis: string[] }[]>();
    for (const r of items) {
      const list = itemsOf.get(r.department_id) ?? [];
      if (!list.some((x) => x.code === r.code)) list.push({ code: r.code, name: r.name, type: r.type as Exclude<ItemType, 'GG'>, power_source: r.power_source, legal_basis: r.legal_basis });
      itemsOf.set(r.department_id, list);
    }

    const plans: EditionPlan[] = [];
    const revisionOf = new Map(POWER_REVISIONS.map((r) => [`${r.region}:${r.kind}`, r]));
    for (const dept of departments) {
      const revision = revisionOf.get(`${dept.region_code}:${dept.kind}`);
      const versions = powerVersions(dept, itemsOf.get(dept.id) ?? [], revision);
      const offset = hash32(`power:${dept.region_code}:${dept.kind}`) % 30;
      versions.forEach((entries, i) => {
        const latest = i === versions.length - 1;
        plans.push({
          kind: 'power',
          departmentId: dept.id,
          version: i + 1,
          status: latest ? 'published' : 'superseded',
          note: i === 0 ? PUBLISHED_NOTE : revision!.note,
          publishedAt: i === 0 ? chinaTime('2025-07-01', offset, offset * 7) : chinaTime('2026-05-11', offset % 20, offset * 11),
          entries,
        });
      });
    }

    const reform = deptByKey.get('330000:development_reform');
    if (reform) {
      plans.push({ kind: 'negative', departmentId: reform.id, version: 1, status: 'superseded', note: '发布2025年版企业投资项目负面清单。', publishedAt: chinaTime('2025-03-03'), entries: NEGATIVE_2025 });
      plans.push({
        kind: 'negative',
        departmentId: reform.id,
        version: 2,
        status: 'published',
        note: '发布2026年版：依据《产业结构调整指导目录（2024年本）》和《市场准入负面清单（2025年版）》更新设定依据，新增数据中心、纯电动乘用车、稀土冶炼分离等条目，删除小型煤矿条目。',
        publishedAt: chinaTime('2026-03-02'),
        entries: NEGATIVE_ENTRIES,
      });
    }

    // recipients
    const regionByCode = new Map(regions.map((r) => [r.code, r]));
    const government = (code: string) => {
      const r = regionByCode.get(code)!;
      const parent = r.parent_code ? regionByCode.get(r.parent_code) : undefined;
      const name = r.level === 'county' && r.name.endsWith('区') && parent ? parent.name + r.name : r.name;
      return `${name}人民政府`;
    };
    const countiesUnder = (code: string) =>
      regions.filter((r) => r.level === 'county' && (code === '330000' || r.parent_code === code)).map((r) => r.code).sort();
    const poolOf = (seed: FundSeed): string[] => {
      const out: string[] = [];
      for (const k of seed.recipients as RecipientKind[]) {
        if (k === 'county') {
          const counties = countiesUnder(seed.region);
          const govs = counties.length ? counties : regions.filter((r) => r.level === 'city').map((r) => r.code);
          out.push(...govs.map(government));
        } else if (k === 'enterprise') {
          out.push(...(seed.region === '330000' ? Object.values(DEMO_FUND_ENTERPRISES).flat() : (DEMO_FUND_ENTERPRISES[seed.region] ?? [])));
        } else if (k === 'institution') {
          out.push(...(seed.region === '330000' ? Object.values(DEMO_FUND_INSTITUTIONS).flat() : (DEMO_FUND_INSTITUTIONS[seed.region] ?? DEMO_FUND_INSTITUTIONS['330000']!)));
        } else out.push(...DEMO_COOPERATIVES);
      }
      return [...new Set(out)];
    };

    const fundsByDept = new Map<number, FundEntry[]>();
    for (const seed of FUND_SEEDS) {
      const dept = deptByKey.get(`${seed.region}:${seed.kind}`);
      if (!dept) continue;
      const list = fundsByDept.get(dept.id) ?? [];
      const key = `F-${seed.region}-${DEPARTMENT_KINDS[seed.kind].code}-${String(list.length + 1).padStart(3, '0')}`;
      const pool = poolOf(seed);
      const years = FUND_YEARS.map((year, i) => ({ year, amount: seed.amounts[i]! }));
      list.push({
        key,
        name: seed.name,
        purpose: seed.purpose,
        years,
        rules: seed.rules,
        conditions: seed.conditions,
        contact: dept.phone,
        allocations: years.flatMap((y) => allocationsFor(seed, key, y.year, y.amount, pool)),
      });
      fundsByDept.set(dept.id, list);
    }
    for (const [departmentId, funds] of fundsByDept) {
      const offset = hash32(`fund:${departmentId}`) % 10;
      const upTo2025 = funds.map((f) => ({ ...f, years: f.years.filter((y) => y.year <= 2025), allocations: f.allocations.filter((a) => a.year <= 2025) }));
      plans.push({ kind: 'fund', departmentId, version: 1, status: 'superseded', note: '公布2024年度、2025年度资金规模和分配结果。', publishedAt: chinaTime('2026-01-19', offset, offset * 13), entries: upTo2025 });
      plans.push({ kind: 'fund', departmentId, version: 2, status: 'published', note: '新增2026年度资金规模和已公布的分配结果。', publishedAt: chinaTime('2026-09-21', offset, offset * 13), entries: funds });
    }

    // editions, then their entries
    const editionRows = plans.map((p) => {
      const created = chinaTime(p.publishedAt.slice(0, 10), -5);
      const author = adminOf.get(p.departmentId) ?? null;
      return {
        list_kind: p.kind,
        department_id: p.departmentId,
        version: p.version,
        base_version: p.version > 1 ? p.version - 1 : null,
        status: p.status,
        note: p.note,
        review_comment: null,
        entry_count: p.entries.length,
        created_by: author,
        created_at: created,
        updated_at: p.publishedAt,
        submitted_by: author,
        submitted_at: chinaTime(p.publishedAt.slice(0, 10), -2),
        published_by: publisher?.id ?? null,
        published_at: p.publishedAt,
      };
    });
    const inserted = (await bulkInsert(trx, 'list_editions', editionRows, { returning: ['id', 'list_kind', 'department_id', 'version'] })) as {
      id: number;
      list_kind: string;
      department_id: number;
      version: number;
    }[];
    const idOf = new Map(inserted.map((r) => [`${r.list_kind}:${r.department_id}:${r.version}`, r.id]));
    const entryRows: Record<string, unknown>[] = [];
    for (const p of plans) {
      const editionId = idOf.get(`${p.kind}:${p.departmentId}:${p.version}`)!;
      for (const e of p.entries) entryRows.push({ edition_id: editionId, entry_key: e.key, data: e });
    }
    await bulkInsert(trx, 'list_entries', entryRows, { batch: 2000 });
    await sql`UPDATE list_revision SET revision = revision + 1 WHERE id = 1`.execute(trx);
    // each edition's publication in the audit log, in the order they were published (as publishing one would)
    const events: AuditEventInput[] = [...plans]
      .sort((a, b) => a.publishedAt.localeCompare(b.publishedAt) || a.version - b.version)
      .map((p) => ({
        action: 'list.published' as const,
        actor: SYSTEM_ACTOR,
        target: { type: 'list_edition', id: String(idOf.get(`${p.kind}:${p.departmentId}:${p.version}`)!) },
        details: {
          kind: p.kind,
          departmentId: p.departmentId,
          version: p.version,
          supersededEditionId: p.version > 1 ? (idOf.get(`${p.kind}:${p.departmentId}:${p.version - 1}`) ?? null) : null,
          entryCount: p.entries.length,
          publishedAt: p.publishedAt,
          demo: true,
        },
      }));
    await recordAuditEvents(trx, events);

    for (const p of plans) {
      if (p.status !== 'published') continue;
      if (p.kind === 'power') summary.powers += p.entries.length;
      else if (p.kind === 'negative') summary.negative += p.entries.length;
      else {
        summary.funds += p.entries.length;
        summary.allocations += (p.entries as FundEntry[]).reduce((n, f) => n + f.allocations.length, 0);
      }
    }
    summary.editions = plans.length;
    return summary;
  });
}

/** The negative list as seeded (for tests and the docs). */
export const DEMO_NEGATIVE_ENTRIES: readonly NegativeEntry[] = NEGATIVE_ENTRIES;
