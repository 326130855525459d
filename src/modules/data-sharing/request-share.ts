/**
 * 申请共享: a consuming department asks for items of a published resource — which items, which personal items
 * in clear, which rows, for what purpose under which legal basis and scenario, for how long, for which system.
 * - 不予共享: refused before anything is written (409, the resource's stated reason);
 * - 无条件共享: granted at once — the request (granted) and the exact grant, with share.requested and
 *   share.granted, in one transaction;
 * - 有条件共享: pending, due at the end of the Nth working day after today (config.shareAnswerDays), for the
 *   provider to answer; share.requested.
 * A second pending request for the same resource, department and system is a 409 (the resource row is locked
 * while checking, so two at once cannot both pass).
 */
import { sql, type Kysely } from 'kysely';
import type { DataItem, DB, RowFilter } from '../../db/schema.ts';
import type { Principal } from '../access/principal.ts';
import type { AuditActor, AuditEventInput } from '../audit/audit.types.ts';
import { recordAuditEvents } from '../audit/record-audit-event.ts';
import { chinaToday, getWorkingCalendar } from '../calendar/working-calendar.ts';
import { assertCanRecorded } from '../staff/assert-can-recorded.ts';
import { findDepartmentRef, scopeOf } from '../staff/department-scope.ts';
import { AppError, FieldErrorsError, ForbiddenError, InvalidParameterError, NotFoundError } from '../../shared/errors.ts';
import { LIMITS, SHARE_TYPE_NAMES, type ShareRequestView } from './data-sharing.types.ts';
import { checkClearItems, checkDuration, checkItems, checkRate, checkRowFilter, checkText, type FieldError } from './share-terms.ts';
import { endOfChinaDay, isRowId, requestQuery, toRequestView, type RequestRow } from './share-views.ts';

export interface ShareRequestInput {
  resource: string; // 资源代码
  departmentId?: number; // the consuming department (default: the caller's own)
  items: string[];
  clearItems?: string[];
  rowFilter?: RowFilter;
  purpose: string;
  legalBasis: string;
  scenario: string;
  itemCode?: string | null;
  durationDays: number;
  clientId?: string | null;
  ratePerMinute?: number;
}

export interface ShareDeps {
  db: Kysely<DB>;
  config: { shareAnswerDays: number };
}

/** The published resource of a code, as a request needs it; 404 / 409 (not published, 不予共享). */
export async function loadRequestableResource(db: Kysely<DB>, code: unknown) {
  const c = typeof code === 'string' ? code.trim() : '';
  if (!c) throw new InvalidParameterError('resource', '请指定要申请的数据资源（资源代码）');
  const r = await db
    .selectFrom('data_resources')
    .select(['id', 'code', 'name', 'items', 'share_type', 'share_conditions', 'status', 'provider_department_id'])
    .where('code', '=', c)
    .executeTakeFirst();
  if (!r) throw new NotFoundError(`没有找到资源代码为 ${c} 的数据资源`, 'resource');
  assertRequestable(r);
  return r;
}

export function assertRequestable(r: { name: string; status: string; share_type: string; share_conditions: string }): void {
  if (r.status !== 'published') throw new AppError('CONFLICT', `数据资源“${r.name}”尚未发布或已停用，不能申请共享`, 'resource');
  if (r.share_type === 'none') {
    const why = r.share_conditions.trim() || '提供部门未说明理由';
    throw new AppError('CONFLICT', `数据资源“${r.name}”为${SHARE_TYPE_NAMES.none}，不能申请。理由：${why}`, 'resource');
  }
}

export async function requestShare(deps: ShareDeps, p: Principal, input: ShareRequestInput, actor: AuditActor): Promise<ShareRequestView> {
  const { db } = deps;
  if (p.kind === 'person') throw new ForbiddenError();
  const resource = await loadRequestableResource(db, input.resource);

  // the consuming department, within the caller's scope
  const departmentId = input.departmentId ?? p.departmentId;
  const department = isRowId(departmentId) ? await findDepartmentRef(db, { id: departmentId }) : undefined;
  if (!department) throw new InvalidParameterError('departmentId', '申请部门不存在');
  await assertCanRecorded(db, p, 'data.share.request', scopeOf(department), { actor, target: { type: 'department', id: String(department.id) } }, '您无权以该部门名义申请共享数据');

  const declared = resource.items as DataItem[];
  const errors: FieldError[] = [];
  const items = checkItems(errors, declared, input.items);
  const clearItems = checkClearItems(errors, declared, items, input.clearItems);
  const rowFilter = checkRowFilter(errors, declared, input.rowFilter);
  const purpose = checkText(errors, 'purpose', '用途', input.purpose);
  const legalBasis = checkText(errors, 'legalBasis', '依据', input.legalBasis);
  const scenario = checkText(errors, 'scenario', '应用场景', input.scenario);
  const durationDays = checkDuration(errors, input.durationDays);
  const ratePerMinute = checkRate(errors, input.ratePerMinute ?? LIMITS.defaultRate);
  const itemCode = typeof input.itemCode === 'string' && input.itemCode.trim() ? input.itemCode.trim() : null;
  if (itemCode) {
    const found = /^[0-9A-Z]{1,36}$/.test(itemCode) && (await db.selectFrom('impl_items').select('code').where('code', '=', itemCode).executeTakeFirst());
    if (!found) errors.push({ field: 'itemCode', message: `没有实施编码为 ${itemCode} 的政务服务事项` });
  }
  const clientId = typeof input.clientId === 'string' && input.clientId.trim() ? input.clientId.trim() : null;
  if (clientId) {
    const client = await db.selectFrom('api_clients').select(['department_id', 'disabled_at']).where('client_id', '=', clientId).executeTakeFirst();
    if (!client || client.department_id !== department.id) errors.push({ field: 'clientId', message: '接入应用不存在或不属于申请部门' });
    else if (client.disabled_at) errors.push({ field: 'clientId', message: '该接入应用已停用' });
  }
  if (errors.length) throw new FieldErrorsError(errors);

  const now = new Date();
  let dueAt: Date | null = null;
  if (resource.share_type === 'conditional') {
    const cal = await getWorkingCalendar(db); // before the transaction: PGlite has one connection
    dueAt = endOfChinaDay(cal.addWorkingDays(chinaToday(now), deps.config.shareAnswerDays));
  }
  const createdBy = p.kind === 'staff' ? p.accountId : null;

  const id = await db.transaction().execute(async (trx) => {
    const r = await trx.selectFrom('data_resources').select(['share_type', 'status', 'name', 'share_conditions']).where('id', '=', resource.id).forUpdate().executeTakeFirstOrThrow();
    assertRequestable(r);
    if (r.share_type !== resource.share_type) throw new AppError('CONFLICT', '该资源的共享类型刚刚变更，请刷新后重新申请', 'resource');
    const dup = await trx
      .selectFrom('share_requests')
      .select('id')
      .where('resource_id', '=', resource.id)
      .where('consumer_department_id', '=', department.id)
      .where(sql<boolean>`client_id IS NOT DISTINCT FROM ${clientId}`)
      .where('status', '=', 'pending')
      .executeTakeFirst();
    if (dup) throw new AppError('CONFLICT', `本部门已有一份该资源的申请（编号 ${dup.id}）在等待答复，请勿重复申请`, 'resource');

    const granted = r.share_type === 'unconditional';
    const terms = {
      consumer_department_id: department.id,
      client_id: clientId,
      items,
      clear_items: clearItems,
      row_filter: JSON.stringify(rowFilter),
      purpose,
      legal_basis: legalBasis,
      scenario,
      item_code: itemCode,
      rate_per_minute: ratePerMinute,
    };
    const req = await trx
      .insertInto('share_requests')
      .values({
        ...terms,
        resource_id: resource.id,
        duration_days: durationDays,
        status: granted ? 'granted' : 'pending',
        due_at: dueAt,
        decided_at: granted ? now : null,
        reason: granted ? '无条件共享，自动同意' : null,
        created_by: createdBy,
        created_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const details = {
      requestId: req.id,
      resource: resource.code,
      consumerDepartmentId: department.id,
      clientId,
      items,
      clearItems,
      rowFilter,
      purpose,
      legalBasis,
      scenario,
      itemCode,
      durationDays,
      ratePerMinute,
      granted,
      dueAt: dueAt?.toISOString() ?? null,
    };
    const events: AuditEventInput[] = [{ action: 'share.requested', actor, target: { type: 'share_request', id: String(req.id) }, details }];
    if (granted) {
      const expiresAt = new Date(now.getTime() + durationDays * 86_400_000);
      const grant = await trx
        .insertInto('share_grants')
        .values({ ...terms, request_id: req.id, resource_id: resource.id, starts_at: now, expires_at: expiresAt, created_by: createdBy, created_at: now })
        .returning('id')
        .executeTakeFirstOrThrow();
      await trx.updateTable('share_requests').set({ grant_id: grant.id }).where('id', '=', req.id).execute();
      events.push({
        action: 'share.granted',
        actor,
        target: { type: 'share_grant', id: String(grant.id) },
        details: { grantId: grant.id, requestId: req.id, resource: resource.code, consumerDepartmentId: department.id, clientId, items, clearItems, rowFilter, purpose, itemCode, expiresAt: expiresAt.toISOString(), ratePerMinute, automatic: true },
      });
    }
    await recordAuditEvents(trx, events);
    return req.id;
  });
  const row = (await requestQuery(db).where('r.id', '=', id).executeTakeFirstOrThrow()) as RequestRow;
  return toRequestView(row);
}
