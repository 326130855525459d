/**
 * 审计检索: staff (or a client with the `audit.search` scope) search the audit log within their scope — the
 * events whose acting department is one they cover under `audit.search`. A province-level platform
 * administrator also sees events without a department (citizens', anonymous visitors', the system's).
 * Events come newest first, with the actor's name resolved and the action's label.
 */
import { sql, type Kysely } from 'kysely';
import type { ActorType, AuditOutcome, DB } from '../../db/schema.ts';
import { paginate } from '../../db/paginate.ts';
import { can, departmentsInScope } from '../access/authorize.ts';
import { roleHas } from '../access/permissions.ts';
import type { Principal } from '../access/principal.ts';
import { ForbiddenError, InvalidParameterError } from '../../shared/errors.ts';
import { AUDIT_EVENTS, type AuditAction } from './audit.events.ts';

export interface AuditSearchInput {
  action?: AuditAction;
  actor?: string; // an actor id (account id, client id) or a staff number
  targetType?: string;
  targetId?: string;
  outcome?: AuditOutcome;
  from?: string; // YYYY-MM-DD, China Standard Time, inclusive
  to?: string; // YYYY-MM-DD, inclusive
  page: number;
  size: number; // ≤ 100
}

export interface AuditEventView {
  seq: number;
  at: string;
  action: string;
  actionLabel: string;
  outcome: AuditOutcome;
  actor: { type: ActorType; id: string | null; name: string | null; staffNo: string | null; onBehalfOf: string | null };
  target: { type: string; id: string } | null;
  department: { id: number; code: string; name: string } | null;
  regionCode: string | null;
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
  details: Record<string, unknown>;
}

export interface AuditSearchResult {
  total: number;
  page: number;
  size: number;
  events: AuditEventView[];
}

const CST_OFFSET_MS = 8 * 3600_000;

/** The instant a China Standard Time day starts; a date that does not exist (2026-02-30) is refused. */
function dayStart(value: string, field: string): Date {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const t = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : NaN;
  const d = new Date(t);
  if (!m || Number.isNaN(t) || d.getUTCFullYear() !== Number(m[1]) || d.getUTCMonth() + 1 !== Number(m[2]) || d.getUTCDate() !== Number(m[3])) {
    throw new InvalidParameterError(field, '日期格式应为 YYYY-MM-DD，且须为有效日期');
  }
  return new Date(t - CST_OFFSET_MS);
}

/** Does the principal see the whole log (a platform administrator at province level)? */
function seesEverything(p: Principal): boolean {
  return p.kind === 'staff' && p.roles.some((g) => g.role === 'platform_admin' && roleHas(g.role, 'audit.search') && g.regionCode.endsWith('0000'));
}

export async function searchAuditEvents(db: Kysely<DB>, p: Principal, input: AuditSearchInput): Promise<AuditSearchResult> {
  if (!can(p, 'audit.search')) throw new ForbiddenError('您没有检索审计日志的权限');
  const from = input.from ? dayStart(input.from, 'from') : undefined;
  const toExclusive = input.to ? new Date(dayStart(input.to, 'to').getTime() + 24 * 3600_000) : undefined;
  if (from && toExclusive && toExclusive <= from) throw new InvalidParameterError('to', '结束日期不能早于开始日期');
  const everything = seesEverything(p);
  const ids = everything ? [] : await departmentsInScope(db, p, 'audit.search');
  const empty = { total: 0, page: input.page, size: input.size, events: [] };
  if (!everything && !ids.length) return empty;
  const actor = input.actor?.trim();

  const base = db
    .selectFrom('audit_events as e')
    .$if(!everything, (q) => q.where('e.department_id', 'in', ids))
    .$if(!!input.action, (q) => q.where('e.action', '=', input.action!))
    .$if(!!input.outcome, (q) => q.where('e.outcome', '=', input.outcome!))
    .$if(!!input.targetType, (q) => q.where('e.target_type', '=', input.targetType!))
    .$if(!!input.targetId, (q) => q.where('e.target_id', '=', input.targetId!))
    .$if(!!from, (q) => q.where('e.at', '>=', from!))
    .$if(!!toExclusive, (q) => q.where('e.at', '<', toExclusive!))
    .$if(!!actor, (q) =>
      q.where((eb) =>
        eb.or([
          eb('e.actor_id', '=', actor!),
          eb('e.actor_id', 'in', eb.selectFrom('accounts').select(sql<string>`id::text`.as('id')).where('kind', '=', 'staff').where('staff_no', '=', actor!.toUpperCase())),
        ]),
      ),
    );

  const { rows, ...pageInfo } = await paginate(base, input, (q) =>
    q
      .leftJoin('accounts as a', (j) => j.on(sql`a.id::text`, '=', sql.ref('e.actor_id')).on('e.actor_type', 'in', ['citizen', 'enterprise_agent', 'staff']))
      .leftJoin('api_clients as c', (j) => j.onRef('c.client_id', '=', 'e.actor_id').on('e.actor_type', '=', 'client'))
      .leftJoin('departments as d', 'd.id', 'e.department_id')
      .select([
        'e.seq', 'e.at', 'e.action', 'e.outcome', 'e.actor_type', 'e.actor_id', 'e.on_behalf_of', 'e.target_type', 'e.target_id',
        'e.department_id', 'e.region_code', 'e.ip', 'e.user_agent', 'e.request_id', 'e.details',
        'a.name as account_name', 'a.staff_no', 'c.name as client_name', 'd.credit_code', 'd.name as dept_name',
      ])
      .orderBy('e.seq', 'desc'),
  );
  if (!pageInfo.total) return empty;

  return {
    ...pageInfo,
    events: rows.map((r) => ({
      seq: Number(r.seq),
      at: new Date(r.at).toISOString(),
      action: r.action,
      actionLabel: (AUDIT_EVENTS as Record<string, { label: string }>)[r.action]?.label ?? r.action,
      outcome: r.outcome,
      actor: { type: r.actor_type, id: r.actor_id, name: r.account_name ?? r.client_name ?? null, staffNo: r.staff_no ?? null, onBehalfOf: r.on_behalf_of },
      target: r.target_type && r.target_id ? { type: r.target_type, id: r.target_id } : null,
      department: r.department_id !== null && r.credit_code ? { id: r.department_id, code: r.credit_code, name: r.dept_name! } : null,
      regionCode: r.region_code,
      ip: r.ip,
      userAgent: r.user_agent,
      requestId: r.request_id,
      details: typeof r.details === 'string' ? (JSON.parse(r.details) as Record<string, unknown>) : r.details,
    })),
  };
}
