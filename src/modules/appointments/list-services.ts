/** Bookable services for citizens (active only), by kind and region (the region and those below it). */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { InvalidParameterError } from '../../shared/errors.ts';
import { APPOINTMENT_KINDS, type AppointmentKind, type ServiceView } from './appointments.types.ts';
import { serviceView } from './appointment-service.ts';

export interface ServiceFilter {
  kind?: AppointmentKind;
  region?: string; // 6-digit code: that region and the regions below it
}

export async function listServices(db: Kysely<DB>, f: ServiceFilter = {}): Promise<ServiceView[]> {
  if (f.kind !== undefined && !(f.kind in APPOINTMENT_KINDS)) throw new InvalidParameterError('kind', '服务类型不正确');
  if (f.region !== undefined && !/^[1-9][0-9]{5}$/.test(f.region)) throw new InvalidParameterError('region', '行政区划代码应为 6 位数字');
  let q = db
    .selectFrom('appointment_services as s')
    .innerJoin('departments as d', 'd.id', 's.department_id')
    .selectAll('s')
    .select('d.name as department_name')
    .where('s.status', '=', 'active');
  if (f.kind) q = q.where('s.kind', '=', f.kind);
  if (f.region) {
    const r = f.region;
    // GB/T 2260: xx0000 ⊃ xxyy00 ⊃ xxyyzz
    q = r.endsWith('0000') ? q.where('s.region_code', 'like', `${r.slice(0, 2)}%`) : r.endsWith('00') ? q.where('s.region_code', 'like', `${r.slice(0, 4)}%`) : q.where('s.region_code', '=', r);
  }
  const rows = await q.orderBy('s.region_code').orderBy('s.kind').orderBy('s.name').limit(500).execute();
  return rows.map(serviceView);
}
