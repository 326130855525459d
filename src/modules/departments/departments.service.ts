import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { NotFoundError } from '../../shared/errors.ts';
import { DEPARTMENT_KINDS, type DepartmentKind } from '../catalogue/catalogue.types.ts';

export interface DepartmentView {
  code: string; // 统一社会信用代码
  name: string;
  shortName: string;
  kind: DepartmentKind;
  kindLabel: string;
  orgType: string;
  region: { code: string; name: string };
  address: string;
  phone: string;
  officeHours: string;
  publishedItems: number;
}

const select = (db: Kysely<DB>) =>
  db
    .selectFrom('departments as d')
    .innerJoin('regions as r', 'r.code', 'd.region_code')
    .select([
      'd.credit_code', 'd.name', 'd.short_name', 'd.kind', 'd.org_type', 'd.address', 'd.phone', 'd.office_hours',
      'r.code as region_code', 'r.name as region_name',
      sql<number>`(SELECT count(*) FROM impl_items i WHERE i.department_id = d.id AND i.published_version IS NOT NULL)`.as('items'),
    ]);

type Row = Awaited<ReturnType<ReturnType<typeof select>['execute']>>[number];

function view(r: Row): DepartmentView {
  return {
    code: r.credit_code,
    name: r.name,
    shortName: r.short_name,
    kind: r.kind,
    kindLabel: DEPARTMENT_KINDS[r.kind]?.name ?? r.kind,
    orgType: r.org_type,
    region: { code: r.region_code, name: r.region_name },
    address: r.address,
    phone: r.phone,
    officeHours: r.office_hours,
    publishedItems: Number(r.items),
  };
}

export async function listDepartments(db: Kysely<DB>, regionCode: string | undefined): Promise<DepartmentView[]> {
  let q = select(db).orderBy('r.code').orderBy('d.kind');
  if (regionCode) q = q.where('d.region_code', '=', regionCode);
  return (await q.execute()).map(view);
}

export async function getDepartment(db: Kysely<DB>, code: string): Promise<DepartmentView> {
  const row = await select(db).where('d.credit_code', '=', code).executeTakeFirst();
  if (!row) throw new NotFoundError(`未找到统一社会信用代码为 ${code} 的部门`, 'code');
  return view(row);
}
