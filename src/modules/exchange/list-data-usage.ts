/**
 * 数据使用情况 (the provider's view): who read which of our resources through the exchange, when, for what
 * purpose and case, and how many records — from the evidence events of the resources provided by the departments
 * the staff member reviews sharing for (`data.share.review`): reads (`exchange.records_read`: lookups, queries,
 * once-only) and change deliveries to subscribers (`exchange.changes_delivered`, method `subscription`).
 * Filter by resource and by consuming department; newest first, paginated.
 */
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { Principal } from '../access/principal.ts';
import { departmentsInScope } from '../access/authorize.ts';
import { ForbiddenError, InvalidParameterError } from '../../shared/errors.ts';

export interface UsageEntry {
  seq: number;
  at: Date;
  resource: { code: string; name: string };
  consumer: { id: number; name: string; creditCode: string } | null;
  /** the calling system (a machine client), or the department's staff / the platform acting for it */
  via: { kind: 'client' | 'staff' | 'system' | 'other'; clientId: string | null; name: string };
  purpose: string | null;
  caseRef: string | null;
  method: string | null;
  count: number;
  requestId: string | null;
}

export interface UsagePage {
  total: number;
  page: number;
  size: number;
  entries: UsageEntry[];
  /** the choices of the filters: our resources, and the departments holding grants on them */
  resources: { code: string; name: string }[];
  consumers: { id: number; name: string; creditCode: string }[];
}

export async function listDataUsage(
  db: Kysely<DB>,
  p: Principal,
  input: { resourceCode?: string; consumer?: string; page: number; size: number },
): Promise<UsagePage> {
  const departments = await departmentsInScope(db, p, 'data.share.review');
  if (!departments.length) throw new ForbiddenError('您无权查看数据资源的使用情况');
  const resources = await db.selectFrom('data_resources').select(['id', 'code', 'name']).where('provider_department_id', 'in', departments).orderBy('code').execute();
  const consumers = resources.length
    ? await db
        .selectFrom('departments as d')
        .select(['d.id', 'd.name', 'd.credit_code'])
        .where('d.id', 'in', (eb) => eb.selectFrom('share_grants').select('consumer_department_id').where('resource_id', 'in', resources.map((r) => r.id)))
        .orderBy('d.name')
        .execute()
    : [];
  const empty: UsagePage = {
    total: 0,
    page: input.page,
    size: input.size,
    entries: [],
    resources: resources.map((r) => ({ code: r.code, name: r.name })),
    consumers: consumers.map((c) => ({ id: c.id, name: c.name, creditCode: c.credit_code })),
  };
  let codes = resources.map((r) => r.code);
  if (input.resourceCode) {
    if (!codes.includes(input.resourceCode)) throw new ForbiddenError('该数据资源不由您管理的部门提供');
    codes = [input.resourceCode];
  }
  let consumerId: number | undefined;
  if (input.consumer) {
    const d = await db.selectFrom('departments').select('id').where('credit_code', '=', input.consumer).executeTakeFirst();
    if (!d) throw new InvalidParameterError('consumer', '未找到该使用部门');
    consumerId = d.id;
  }
  if (!codes.length) return empty;

  // a delivery's target is the subscription; its resource is in its details
  const resourceOf = sql<string | null>`CASE WHEN e.action = 'exchange.changes_delivered' THEN e.details->>'resource' ELSE e.target_id END`;
  let q = db.selectFrom('audit_events as e').where((eb) =>
    eb.or([
      eb.and([eb('e.action', '=', 'exchange.records_read'), eb('e.target_type', '=', 'data_resource'), eb('e.target_id', 'in', codes)]),
      eb.and([eb('e.action', '=', 'exchange.changes_delivered'), eb('e.target_type', '=', 'data_subscription'), eb(sql<string>`e.details->>'resource'`, 'in', codes)]),
    ]),
  );
  if (consumerId !== undefined) q = q.where('e.department_id', '=', consumerId);
  const [count, rows] = await Promise.all([
    q.select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow(),
    q
      .select(['e.seq', 'e.at', 'e.action', resourceOf.as('resource_code'), 'e.actor_type', 'e.actor_id', 'e.department_id', 'e.details'])
      .orderBy('e.seq', 'desc')
      .limit(input.size)
      .offset((input.page - 1) * input.size)
      .execute(),
  ]);

  const deptIds = [...new Set(rows.map((r) => r.department_id).filter((d): d is number => d !== null))];
  const clientOf = (r: (typeof rows)[number], d: Record<string, unknown>): string | null =>
    r.actor_type === 'client' ? r.actor_id : r.action === 'exchange.changes_delivered' && typeof d.client === 'string' ? d.client : null;
  const detailsOf = rows.map((r) => (typeof r.details === 'string' ? JSON.parse(r.details) : (r.details ?? {})) as Record<string, unknown>);
  const clientIds = [...new Set(rows.map((r, i) => clientOf(r, detailsOf[i]!)).filter((c): c is string => !!c))];
  const [depts, clients] = await Promise.all([
    deptIds.length ? db.selectFrom('departments').select(['id', 'name', 'credit_code']).where('id', 'in', deptIds).execute() : Promise.resolve([]),
    clientIds.length ? db.selectFrom('api_clients').select(['client_id', 'name']).where('client_id', 'in', clientIds).execute() : Promise.resolve([]),
  ]);
  const deptById = new Map(depts.map((d) => [d.id, d]));
  const clientById = new Map(clients.map((c) => [c.client_id, c.name]));
  const nameByCode = new Map(resources.map((r) => [r.code, r.name]));

  const entries = rows.map((r, i): UsageEntry => {
    const d = detailsOf[i]!;
    const dept = r.department_id !== null ? deptById.get(r.department_id) : undefined;
    const client = clientOf(r, d);
    const delivered = r.action === 'exchange.changes_delivered';
    const via: UsageEntry['via'] =
      client
        ? { kind: 'client', clientId: client, name: clientById.get(client) ?? '接入应用' }
        : r.actor_type === 'staff'
          ? { kind: 'staff', clientId: null, name: '部门工作人员' }
          : r.actor_type === 'system'
            ? { kind: 'system', clientId: null, name: '平台（代部门办理）' }
            : { kind: 'other', clientId: null, name: '其他' };
    return {
      seq: Number(r.seq),
      at: new Date(r.at),
      resource: { code: r.resource_code ?? '', name: nameByCode.get(r.resource_code ?? '') ?? r.resource_code ?? '' },
      consumer: dept ? { id: dept.id, name: dept.name, creditCode: dept.credit_code } : null,
      via,
      purpose: typeof d.purpose === 'string' ? d.purpose : null,
      caseRef: typeof d.caseRef === 'string' ? d.caseRef : null,
      method: delivered ? 'subscription' : typeof d.method === 'string' ? d.method : null,
      count: typeof d.count === 'number' ? d.count : 0,
      requestId: typeof d.requestId === 'string' ? d.requestId : null,
    };
  });
  return { ...empty, total: Number(count.n), entries };
}
