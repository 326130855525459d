/**
 * What the client operations share: reading clients with their department, the summary an administrator sees,
 * and the check that a manager may manage a client of a department (`clients.manage` covering it).
 */
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { DepartmentKind } from '../catalogue/catalogue.types.ts';
import { CLIENT_SCOPES, type ClientScope } from '../access/permissions.ts';
import { assertCan, departmentsInScope } from '../access/authorize.ts';
import { NotFoundError } from '../../shared/errors.ts';
import type { ClientManager, ClientSummary } from './clients.types.ts';

type Db = Kysely<DB> | Transaction<DB>;

export interface DepartmentRef {
  id: number;
  creditCode: string;
  name: string;
  kind: DepartmentKind;
  regionCode: string;
}

/** Clients joined with their department; narrow it with `.where(…)`. */
export function selectClients(db: Db) {
  return db
    .selectFrom('api_clients as c')
    .innerJoin('departments as d', 'd.id', 'c.department_id')
    .select([
      'c.client_id',
      'c.name',
      'c.scopes',
      'c.created_by',
      'c.created_at',
      'c.rotated_at',
      'c.previous_expires_at',
      'c.disabled_at',
      'd.id as department_id',
      'd.credit_code',
      'd.name as department_name',
      'd.kind as department_kind',
      'd.region_code',
    ]);
}

type ClientRow = Awaited<ReturnType<ReturnType<typeof selectClients>['executeTakeFirstOrThrow']>>;

/** The scopes that still exist (a scope removed from CLIENT_SCOPES no longer counts). */
export function knownScopes(scopes: readonly string[]): ClientScope[] {
  return scopes.filter((s): s is ClientScope => (CLIENT_SCOPES as readonly string[]).includes(s));
}

export function toSummary(r: ClientRow, now = new Date()): ClientSummary {
  const prev = r.previous_expires_at ? new Date(r.previous_expires_at) : null;
  return {
    clientId: r.client_id,
    name: r.name,
    scopes: knownScopes(r.scopes),
    department: { id: r.department_id, creditCode: r.credit_code, name: r.department_name, regionCode: r.region_code },
    createdBy: r.created_by,
    createdAt: new Date(r.created_at),
    rotatedAt: r.rotated_at ? new Date(r.rotated_at) : null,
    previousSecretValidUntil: prev && prev > now && !r.disabled_at ? prev : null,
    disabledAt: r.disabled_at ? new Date(r.disabled_at) : null,
  };
}

/** Throws 403 unless the manager may manage clients of this department (the system may manage all). */
export function assertManages(by: ClientManager, d: { id: number; kind: DepartmentKind; regionCode: string }): void {
  if (by.principal === 'system') return;
  assertCan(by.principal, 'clients.manage', { departmentId: d.id, departmentKind: d.kind, regionCode: d.regionCode }, '您无权管理该部门的接入应用');
}

/** A client to change, locked for the rest of the transaction, after checking the manager may manage it. */
export async function lockManagedClient(trx: Transaction<DB>, by: ClientManager, clientId: string): Promise<ClientRow> {
  const row = await selectClients(trx).where('c.client_id', '=', clientId).forUpdate('c').executeTakeFirst();
  if (!row) throw new NotFoundError('未找到该接入应用', 'clientId');
  assertManages(by, { id: row.department_id, kind: row.department_kind, regionCode: row.region_code });
  return row;
}

/** The departments whose clients the manager may manage, by region and name (the create form's choices). */
export async function manageableDepartments(db: Kysely<DB>, by: ClientManager): Promise<DepartmentRef[]> {
  let q = db.selectFrom('departments').select(['id', 'credit_code', 'name', 'kind', 'region_code']).orderBy('region_code').orderBy('name');
  if (by.principal !== 'system') {
    const ids = await departmentsInScope(db, by.principal, 'clients.manage');
    if (!ids.length) return [];
    q = q.where('id', 'in', ids);
  }
  const rows = await q.execute();
  return rows.map((d) => ({ id: d.id, creditCode: d.credit_code, name: d.name, kind: d.kind, regionCode: d.region_code }));
}
