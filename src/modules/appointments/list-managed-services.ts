/** Staff: the services of the departments their roles reach for managing or checking in (预约服务管理). */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { Principal } from '../access/principal.ts';
import { departmentsInScope } from '../access/authorize.ts';
import type { ManagedService } from './appointments.types.ts';
import { serviceView } from './appointment-service.ts';

export async function listManagedServices(db: Kysely<DB>, p: Principal): Promise<ManagedService[]> {
  const [manage, checkin] = await Promise.all([departmentsInScope(db, p, 'appointment.manage'), departmentsInScope(db, p, 'appointment.checkin')]);
  const all = [...new Set([...manage, ...checkin])];
  if (!all.length) return [];
  const rows = await db
    .selectFrom('appointment_services as s')
    .innerJoin('departments as d', 'd.id', 's.department_id')
    .selectAll('s')
    .select('d.name as department_name')
    .where('s.department_id', 'in', all)
    .orderBy('s.department_id')
    .orderBy('s.name')
    .execute();
  return rows.map((r) => ({ ...serviceView(r), canManage: manage.includes(r.department_id), canCheckIn: checkin.includes(r.department_id) }));
}
