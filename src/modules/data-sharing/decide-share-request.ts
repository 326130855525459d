/**
 * 答复共享申请: the provider's reviewers (data.share.review over the resource's department) answer a pending
 * conditional request.
 * - approve: the exact grant — the requested terms, or narrower ones (fewer items or clear items, a stricter
 *   row filter, a shorter duration, a lower rate; never wider: 400 naming the field) — expiring `duration`
 *   days from now; share.granted.
 * - refuse: a reason is required (2–500 characters); share.refused.
 * The request row is locked: a request already answered or withdrawn is a 409, whoever came second.
 */
import type { DataItem, RowFilter } from '../../db/schema.ts';
import type { Principal } from '../access/principal.ts';
import type { AuditActor } from '../audit/audit.types.ts';
import { recordAuditEvent } from '../audit/record-audit-event.ts';
import { assertCanRecorded } from '../staff/assert-can-recorded.ts';
import { AppError, FieldErrorsError } from '../../shared/errors.ts';
import type { ShareRequestView } from './data-sharing.types.ts';
import type { ShareDeps } from './request-share.ts';
import { chars, checkDuration, checkItems, checkRate, checkRowFilter, checkText, filterWithin, type FieldError } from './share-terms.ts';
import { loadRequestVisible, providerScope, requestQuery, toRequestView, type RequestRow } from './share-views.ts';

export interface ApproveInput {
  items?: string[];
  clearItems?: string[];
  rowFilter?: RowFilter;
  durationDays?: number;
  ratePerMinute?: number;
  note?: string;
}

const STATUS_TEXT: Record<string, string> = { granted: '已同意', refused: '已不予同意', withdrawn: '已由申请部门撤回' };

function notPending(status: string): AppError {
  return new AppError('CONFLICT', `该申请${STATUS_TEXT[status] ?? '已处理'}，不能再答复`, 'status');
}

async function loadForReview(deps: ShareDeps, p: Principal, id: number, actor: AuditActor): Promise<RequestRow> {
  const r = await loadRequestVisible(deps.db, p, id, actor);
  await assertCanRecorded(deps.db, p, 'data.share.review', providerScope(r), { actor, target: { type: 'share_request', id: String(r.id) } }, '只有数据提供部门的审核人员可以答复该申请');
  return r;
}

async function reread(deps: ShareDeps, id: number): Promise<ShareRequestView> {
  return toRequestView((await requestQuery(deps.db).where('r.id', '=', id).executeTakeFirstOrThrow()) as RequestRow);
}

export async function approveShareRequest(deps: ShareDeps, p: Principal, id: number, input: ApproveInput, actor: AuditActor): Promise<ShareRequestView> {
  const seen = await loadForReview(deps, p, id, actor);
  if (seen.status !== 'pending') throw notPending(seen.status);
  if (seen.share_type === 'none') throw new AppError('CONFLICT', '该资源已改为不予共享，不能同意；请答复不予同意并说明理由', 'resource');
  const declared = seen.resource_items as DataItem[];
  const errors: FieldError[] = [];

  // each term as requested unless narrowed
  let items = seen.items;
  if (input.items !== undefined) {
    items = checkItems(errors, declared, input.items);
    const extra = items.filter((k) => !seen.items.includes(k));
    if (extra.length) errors.push({ field: 'items', message: `同意的信息项不能超出申请范围：${extra.join('、')}` });
  }
  let clearItems = seen.clear_items.filter((k) => items.includes(k));
  if (input.clearItems !== undefined) {
    const asked = Array.isArray(input.clearItems) ? [...new Set(input.clearItems)] : [];
    const extra = asked.filter((k) => !seen.clear_items.includes(k));
    if (extra.length) errors.push({ field: 'clearItems', message: `同意明文的信息项不能超出申请范围：${extra.join('、')}` });
    const dropped = asked.filter((k) => seen.clear_items.includes(k) && !items.includes(k));
    if (dropped.length) errors.push({ field: 'clearItems', message: `明文信息项须是同意的信息项：${dropped.join('、')}` });
    clearItems = asked.filter((k) => seen.clear_items.includes(k) && items.includes(k));
  }
  let rowFilter: RowFilter = seen.row_filter ?? {};
  if (input.rowFilter !== undefined) {
    rowFilter = checkRowFilter(errors, declared, input.rowFilter);
    if (!errors.some((e) => e.field === 'rowFilter') && !filterWithin(rowFilter, seen.row_filter ?? {})) {
      errors.push({ field: 'rowFilter', message: '同意的行过滤条件不能比申请的宽：须保留申请中的每个条件，取值只能减少' });
    }
  }
  const durationDays = input.durationDays === undefined ? seen.duration_days : checkDuration(errors, input.durationDays, seen.duration_days);
  const ratePerMinute = input.ratePerMinute === undefined ? seen.rate_per_minute : checkRate(errors, input.ratePerMinute, seen.rate_per_minute);
  const note = typeof input.note === 'string' ? input.note.trim() : '';
  if (chars(note) > 500) errors.push({ field: 'note', message: '说明不能超过 500 个字' });
  if (errors.length) throw new FieldErrorsError(errors);

  const narrowed =
    items.length !== seen.items.length ||
    clearItems.length !== seen.clear_items.length ||
    JSON.stringify(rowFilter) !== JSON.stringify(seen.row_filter ?? {}) ||
    durationDays !== seen.duration_days ||
    ratePerMinute !== seen.rate_per_minute;
  const decidedBy = p.kind === 'staff' ? p.accountId : null;

  await deps.db.transaction().execute(async (trx) => {
    const r = await trx.selectFrom('share_requests').selectAll().where('id', '=', seen.id).forUpdate().executeTakeFirstOrThrow();
    if (r.status !== 'pending') throw notPending(r.status);
    const now = new Date();
    const expiresAt = new Date(now.getTime() + durationDays * 86_400_000);
    const grant = await trx
      .insertInto('share_grants')
      .values({
        request_id: r.id,
        resource_id: r.resource_id,
        consumer_department_id: r.consumer_department_id,
        client_id: r.client_id,
        items,
        clear_items: clearItems,
        row_filter: JSON.stringify(rowFilter),
        purpose: r.purpose,
        legal_basis: r.legal_basis,
        scenario: r.scenario,
        item_code: r.item_code,
        rate_per_minute: ratePerMinute,
        starts_at: now,
        expires_at: expiresAt,
        created_by: decidedBy,
        created_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx
      .updateTable('share_requests')
      .set({ status: 'granted', decided_at: now, decided_by: decidedBy, reason: note || null, grant_id: grant.id })
      .where('id', '=', r.id)
      .execute();
    await recordAuditEvent(trx, {
      action: 'share.granted',
      actor,
      target: { type: 'share_grant', id: String(grant.id) },
      details: {
        grantId: grant.id,
        requestId: r.id,
        resource: seen.resource_code,
        consumerDepartmentId: r.consumer_department_id,
        clientId: r.client_id,
        items,
        clearItems,
        rowFilter,
        purpose: r.purpose,
        itemCode: r.item_code,
        expiresAt: expiresAt.toISOString(),
        ratePerMinute,
        narrowed,
        note: note || null,
      },
    });
  });
  return reread(deps, seen.id);
}

export async function refuseShareRequest(deps: ShareDeps, p: Principal, id: number, input: { reason?: string }, actor: AuditActor): Promise<ShareRequestView> {
  const errors: FieldError[] = [];
  const reason = checkText(errors, 'reason', '不予同意的理由', input.reason);
  const seen = await loadForReview(deps, p, id, actor);
  if (seen.status !== 'pending') throw notPending(seen.status);
  if (errors.length) throw new FieldErrorsError(errors);
  const decidedBy = p.kind === 'staff' ? p.accountId : null;
  await deps.db.transaction().execute(async (trx) => {
    const r = await trx.selectFrom('share_requests').select(['id', 'status']).where('id', '=', seen.id).forUpdate().executeTakeFirstOrThrow();
    if (r.status !== 'pending') throw notPending(r.status);
    await trx.updateTable('share_requests').set({ status: 'refused', decided_at: new Date(), decided_by: decidedBy, reason }).where('id', '=', r.id).execute();
    await recordAuditEvent(trx, {
      action: 'share.refused',
      actor,
      target: { type: 'share_request', id: String(r.id) },
      details: { requestId: r.id, resource: seen.resource_code, consumerDepartmentId: seen.consumer_id, reason },
    });
  });
  return reread(deps, seen.id);
}
