/**
 * 访问记录: who accessed a natural person's records and why, for that person to see. Three kinds of events are
 * theirs: those whose target is the person (e.g. `person.record_accessed`, with `details.purpose`), those
 * done on their behalf (`on_behalf_of = 'person:<id>'`, an agent acting for them), and reads of shared data
 * about them through the exchange (哪些部门查询了我的数据、用于什么): the events whose subjects
 * (data_access_subjects) include the keyed hash of their ID number. Each accessor is shown by name and
 * department only — never by their own personal numbers; an exchange read by the consuming department, the
 * resource, the purpose and the case reference only.
 */
import { sql, type Kysely } from 'kysely';
import type { AuditOutcome, DB } from '../../db/schema.ts';
import { AUDIT_EVENTS } from './audit.events.ts';
import { accessSubject } from '../exchange/access-subject.ts';

export interface AccessLogEntry {
  seq: number;
  at: string; // ISO time
  action: string;
  label: string; // the catalogue's Chinese label, or the action itself when it is not (or no longer) declared
  outcome: AuditOutcome;
  /** Who acted: a staff member (with the department they acted for), an agent, the person themselves, a system. */
  actor: { kind: 'staff' | 'agent' | 'self' | 'client' | 'system' | 'department' | 'unknown'; name: string; department: string | null };
  onBehalf: boolean; // done on the person's behalf (代办), rather than done to their record
  purpose: string | null;
  /** a read of shared data about the person (共享交换): the resource and the case it served */
  exchange: { resource: string; caseRef: string | null; count: number } | null;
}

export interface AccessLogPage {
  total: number;
  page: number;
  size: number;
  entries: AccessLogEntry[];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** One page of the person's access log, newest first. */
export async function listOwnAccessLog(db: Kysely<DB>, input: { personId: string; page: number; size: number }): Promise<AccessLogPage> {
  const onBehalf = `person:${input.personId}`;
  const person = await db.selectFrom('accounts').select('id_number').where('id', '=', input.personId).where('kind', '=', 'person').executeTakeFirst();
  const subject = person?.id_number ? await accessSubject(db, person.id_number) : null;
  // the events' seqs: a union of index lookups (an OR across the tables would scan the log)
  const mine = db.with('mine', (qc) => {
    const own = qc
      .selectFrom('audit_events as e')
      .select('e.seq')
      .where((eb) => eb.or([eb.and([eb('e.target_type', '=', 'person'), eb('e.target_id', '=', input.personId)]), eb('e.on_behalf_of', '=', onBehalf)]));
    return subject ? own.union(qc.selectFrom('data_access_subjects as s').select('s.seq').where('s.subject', '=', subject)) : own;
  });
  const [count, rows] = await Promise.all([
    mine.selectFrom('mine').select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow(),
    mine
      .selectFrom('mine')
      .innerJoin('audit_events as e', 'e.seq', 'mine.seq')
      .select(['e.seq', 'e.at', 'e.action', 'e.outcome', 'e.actor_type', 'e.actor_id', 'e.on_behalf_of', 'e.department_id', 'e.target_type', 'e.target_id', 'e.details'])
      .orderBy('e.seq', 'desc')
      .limit(input.size)
      .offset((input.page - 1) * input.size)
      .execute(),
  ]);

  // names for the page's actors, looked up by key (the audit log keeps ids, not names)
  const accountIds = [...new Set(rows.map((r) => r.actor_id).filter((id): id is string => !!id && UUID.test(id)))];
  const clientIds = [...new Set(rows.filter((r) => r.actor_type === 'client' && r.actor_id).map((r) => r.actor_id!))];
  const [accounts, clients] = await Promise.all([
    accountIds.length
      ? db.selectFrom('accounts').select(['id', 'kind', 'name', 'department_id']).where('id', 'in', accountIds).execute()
      : Promise.resolve([]),
    clientIds.length ? db.selectFrom('api_clients').select(['client_id', 'name', 'department_id']).where('client_id', 'in', clientIds).execute() : Promise.resolve([]),
  ]);
  const accountById = new Map(accounts.map((a) => [a.id, a]));
  const clientById = new Map(clients.map((c) => [c.client_id, c]));
  const departmentIds = [
    ...new Set(
      rows
        .map((r) => r.department_id ?? (r.actor_id ? (accountById.get(r.actor_id)?.department_id ?? clientById.get(r.actor_id)?.department_id) : null))
        .filter((d): d is number => typeof d === 'number'),
    ),
  ];
  const departments = departmentIds.length ? await db.selectFrom('departments').select(['id', 'name']).where('id', 'in', departmentIds).execute() : [];
  const departmentName = new Map(departments.map((d) => [d.id, d.name]));
  // the shared resources the exchange reads were of
  const parse = (d: unknown) => (typeof d === 'string' ? JSON.parse(d) : (d ?? {})) as Record<string, unknown>;
  const resourceCode = (r: (typeof rows)[number]): string | null => {
    if (!r.action.startsWith('exchange.')) return null;
    if (r.target_type === 'data_resource') return r.target_id;
    const c = parse(r.details).resource;
    return typeof c === 'string' ? c : null;
  };
  const codes = [...new Set(rows.map(resourceCode).filter((c): c is string => !!c))];
  const resources = codes.length ? await db.selectFrom('data_resources').select(['code', 'name']).where('code', 'in', codes).execute() : [];
  const resourceName = new Map(resources.map((r) => [r.code, r.name]));

  const entries = rows.map((r): AccessLogEntry => {
    const details = parse(r.details);
    const account = r.actor_id ? accountById.get(r.actor_id) : undefined;
    const client = r.actor_type === 'client' && r.actor_id ? clientById.get(r.actor_id) : undefined;
    const deptId = r.department_id ?? account?.department_id ?? client?.department_id ?? null;
    const department = deptId !== null ? (departmentName.get(deptId) ?? null) : null;
    const code = resourceCode(r);
    let actor: AccessLogEntry['actor'];
    // shared data read about the person: the consuming department, never who in it
    if (code) actor = { kind: 'department', name: department ?? '政务部门', department };
    else if (r.actor_type === 'staff') actor = { kind: 'staff', name: account?.name ?? '工作人员', department };
    else if (r.actor_type === 'client') actor = { kind: 'client', name: client?.name ?? '接入应用', department };
    else if (r.actor_type === 'system') actor = { kind: 'system', name: '系统', department: null };
    else if (r.actor_id === input.personId) actor = { kind: 'self', name: '本人', department: null };
    else if (account) actor = { kind: 'agent', name: account.name, department: null };
    else actor = { kind: 'unknown', name: '未知', department: null };
    const purpose = typeof details.purpose === 'string' && details.purpose.trim() ? details.purpose.trim().slice(0, 200) : null;
    const declared = (AUDIT_EVENTS as Record<string, { label: string } | undefined>)[r.action];
    return {
      seq: Number(r.seq),
      at: new Date(r.at).toISOString(),
      action: r.action,
      label: declared?.label ?? r.action,
      outcome: r.outcome,
      actor,
      onBehalf: r.on_behalf_of === onBehalf,
      purpose,
      exchange: code
        ? {
            resource: resourceName.get(code) ?? code,
            caseRef: typeof details.caseRef === 'string' && details.caseRef ? details.caseRef.slice(0, 64) : null,
            count: typeof details.count === 'number' ? details.count : 0,
          }
        : null,
    };
  });
  return { total: Number(count.n), page: input.page, size: input.size, entries };
}
