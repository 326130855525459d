/**
 * 同意并获取: with the applicant's consent, the platform reads the item's declared resources through the data
 * exchange — as the handling department, under that department's grant, on the applicant's behalf — fills the
 * declared form fields of the draft and exempts the declared materials (免提交). Each access is evidence in the
 * audit log (the exchange writes it); what was obtained is kept beside the draft with the access's request id
 * and audit seq, and `exchange.prefilled` is recorded in the transaction that updates the draft.
 *
 * What cannot be obtained (no grant, no record, an item the grant gives only masked) is noted per target with a
 * plain reason; the applicant fills those fields and uploads those materials as usual. Never a partial write:
 * the draft and its entries change together.
 */
import type { AppContext } from '../../http/context.ts';
import type { DataItem } from '../../db/schema.ts';
import type { PersonPrincipal } from '../access/principal.ts';
import type { AuditActor, AuditEventInput } from '../audit/audit.types.ts';
import { recordAuditEvents } from '../audit/record-audit-event.ts';
import { AppError, InvalidParameterError, NotFoundError } from '../../shared/errors.ts';
import { TABLE_COLUMN_TYPES, type FieldDef, type FormDefinition } from '../forms/form.types.ts';
import { validateFormData } from '../forms/validate-form-data.ts';
import { prefillValues } from '../forms/prefill-values.ts';
import { loadApplicableItem, type ApplicableItem } from '../applications/load-applicable-item.ts';
import { resolveApplicant } from '../applications/resolve-applicant.ts';
import { getDraft, saveDraft } from '../applications/save-draft.ts';
import { lookupRecord } from '../exchange/lookup-record.ts';
import { queryRecords } from '../exchange/query-records.ts';
import type { ExchangeCaller } from '../exchange/exchange.types.ts';
import { listItemSources, type ItemSource } from './once-only-state.ts';

export interface PrefillOutcome {
  draftId: number;
  filled: number; // targets filled or exempted
  unavailable: number; // targets that could not be
}

interface Row {
  target: 'field' | 'material';
  target_key: string;
  status: 'filled' | 'unavailable';
  resource_id: number;
  data_version: number | null;
  value: string | null;
  request_id: string | null;
  audit_seq: number | null;
  reason: string | null;
}

/** The field types a shared value can fill (one value each; tables, addresses and multiselects are typed in). */
const FILLABLE = new Set<string>(TABLE_COLUMN_TYPES);

function formField(form: FormDefinition, key: string): FieldDef | undefined {
  for (const s of form.steps) for (const f of s.fields) if (f.key === key) return f;
  return undefined;
}

/** Register wording that differs from the forms' option labels (婚姻登记 says 离婚, the forms 离异). */
const OPTION_SYNONYMS: Record<string, string> = { 离婚: '离异', 有配偶: '已婚' };

/** A resource's value as the field's value (a select matches an option's value or label), or null if it does not fit. */
export function coerceForField(field: FieldDef, raw: unknown): unknown {
  if (raw === null || raw === undefined || raw === '') return null;
  let v: unknown = typeof raw === 'number' || typeof raw === 'string' ? raw : typeof raw === 'boolean' ? (raw ? '是' : '否') : null;
  if (v === null) return null;
  if (field.type === 'select') {
    const given = String(v).trim();
    const s = OPTION_SYNONYMS[given] ?? given;
    const opt = field.options?.find((o) => o.value === s || o.label === s) ?? (s === '是' || s === '否' ? field.options?.find((o) => o.value === (s === '是' ? 'yes' : 'no')) : undefined);
    if (!opt) return null;
    v = opt.value;
  }
  const alone: FieldDef = { ...field, required: false };
  delete alone.when;
  const r = validateFormData({ steps: [{ key: 's', title: '', fields: [alone] }] }, { [field.key]: v });
  return r.errors.length ? null : (r.values[field.key] ?? null);
}

export async function prefillFromExchange(ctx: AppContext, p: PersonPrincipal, input: { itemCode: string }, actor: AuditActor): Promise<PrefillOutcome> {
  const db = ctx.db;
  const item = await loadApplicableItem(db, input.itemCode);
  const applicant = await resolveApplicant(db, p, item.basicCode, { withMobile: true });
  const sources = (await listItemSources(db, item.code)).filter((s) => s.subject === applicant.subjectType);
  if (!sources.length) throw new InvalidParameterError('consent', '本事项没有可通过政务数据共享获取的信息');

  // the case the accesses serve: the draft (created now if the applicant has not saved one yet)
  const draft =
    (await getDraft(db, p, item.code)) ??
    (await saveDraft(db, p, { itemCode: item.code, formData: prefillValues(item.form, { person: applicant.person, enterprise: applicant.enterprise }), step: 0 }));
  const caseRef = `draft:${draft.id}`;
  const onBehalfOf = `${applicant.subjectType}:${applicant.subjectId}`;

  const rows: Row[] = [];
  const audits: AuditEventInput[] = [];
  const byResource = new Map<number, ItemSource[]>();
  for (const s of sources) byResource.set(s.resource.id, [...(byResource.get(s.resource.id) ?? []), s]);

  for (const group of byResource.values()) {
    const resource = group[0]!.resource;
    const unavailable = (s: ItemSource, reason: string): Row => ({
      target: s.target, target_key: s.targetKey, status: 'unavailable', resource_id: resource.id, data_version: null, value: null, request_id: null, audit_seq: null, reason,
    });
    // declarations that do not fit the form or the resource are configuration mistakes: noted, never read for
    const usable: ItemSource[] = [];
    for (const s of group) {
      const problem = declarationProblem(item, s);
      if (problem) rows.push(unavailable(s, problem));
      else usable.push(s);
    }
    if (!usable.length) continue;
    const known = new Set(resource.items.map((i) => i.key));
    const wanted = [...new Set(usable.map((s) => s.dataItem).filter((k): k is string => !!k && known.has(k)))];
    const items = wanted.length ? wanted : [resource.keyItem];
    const label = [...new Set(usable.map((s) => s.label))].join('、');

    if (!applicant.idNumber) {
      const what = applicant.subjectType === 'person' ? '公民身份号码' : '统一社会信用代码';
      for (const s of usable) rows.push(unavailable(s, `暂未能通过共享获取${label}（账户未登记${what}），请手动填写并上传材料`));
      continue;
    }
    let result: Read;
    try {
      result = await readSubjectRecord(ctx, { departmentId: item.department.departmentId, clientId: null, actor, onBehalfOf }, resource, s0Subject(usable), {
        key: applicant.idNumber,
        purpose: `办理${item.name}（免提交）`,
        caseRef,
        items,
      });
    } catch (err) {
      if (!(err instanceof AppError) || err.status >= 500) throw err;
      const why = err.status === 429 ? '共享接口调用过于频繁，请稍后重试' : err.message;
      for (const s of usable) rows.push(unavailable(s, `暂未能通过共享获取${label}（${why}），请手动填写并上传材料`));
      continue;
    }
    if (!result.record) {
      for (const s of usable) rows.push(unavailable(s, `共享数据中暂无您的${label}记录，请手动填写并上传材料`));
      continue;
    }
    const clear = await clearItemsOf(ctx, result.grantId);
    const filledTargets: string[] = [];
    for (const s of usable) {
      const base = { target: s.target, target_key: s.targetKey, resource_id: resource.id, data_version: result.version, request_id: result.requestId, audit_seq: result.auditSeq };
      if (s.target === 'material') {
        rows.push({ ...base, status: 'filled', value: null, reason: null });
        filledTargets.push(`material:${s.targetKey}`);
        continue;
      }
      const field = formField(item.form, s.targetKey)!;
      const def = resource.items.find((i) => i.key === s.dataItem)!;
      if (masked(def, clear)) {
        rows.push({ ...base, status: 'unavailable', value: null, reason: `共享授权只提供“${def.name}”的脱敏信息，请手动填写“${field.label}”` });
        continue;
      }
      const value = coerceForField(field, result.record[def.key]);
      if (value === null) {
        rows.push({ ...base, status: 'unavailable', value: null, reason: `共享数据中没有可用的“${field.label}”，请手动填写` });
        continue;
      }
      rows.push({ ...base, status: 'filled', value: JSON.stringify(value), reason: null });
      filledTargets.push(`field:${s.targetKey}`);
    }
    if (filledTargets.length) {
      audits.push({
        action: 'exchange.prefilled',
        actor,
        target: { type: 'data_resource', id: resource.code },
        details: {
          case: caseRef,
          itemCode: item.code,
          departmentId: item.department.departmentId,
          targets: filledTargets,
          resources: [resource.code],
          version: result.version,
          requestIds: [result.requestId],
          seqs: [result.auditSeq],
        },
      });
    }
  }

  await db.transaction().execute(async (trx) => {
    const current = await trx.selectFrom('application_drafts').select(['id', 'form_data']).where('id', '=', draft.id).where('account_id', '=', p.accountId).forUpdate().executeTakeFirst();
    if (!current) throw new NotFoundError('草稿不存在，请重新开始申请', 'draftId');
    const formData = { ...(current.form_data as Record<string, unknown>) };
    // what an earlier consent filled is the platform's, not the applicant's: a field this fill does not fill
    // again (grant revoked, record gone, declaration removed) is cleared, never left as if typed in
    const previous = await trx.deleteFrom('draft_shared_data').where('draft_id', '=', draft.id).returning(['target', 'target_key', 'status']).execute();
    for (const old of previous) if (old.target === 'field' && old.status === 'filled') delete formData[old.target_key];
    for (const r of rows) if (r.target === 'field' && r.status === 'filled' && r.value !== null) formData[r.target_key] = JSON.parse(r.value);
    if (rows.length) await trx.insertInto('draft_shared_data').values(rows.map((r) => ({ draft_id: draft.id, ...r }))).execute();
    await trx.updateTable('application_drafts').set({ form_data: JSON.stringify(formData), updated_at: new Date() }).where('id', '=', draft.id).execute();
    await recordAuditEvents(trx, audits);
  });
  const filled = rows.filter((r) => r.status === 'filled').length;
  return { draftId: draft.id, filled, unavailable: rows.length - filled };
}

interface Read {
  requestId: string;
  grantId: number;
  version: number;
  record: Record<string, unknown> | null;
  auditSeq: number;
}

const s0Subject = (group: ItemSource[]) => group[0]!.subject;

/**
 * The applicant's record of a resource: by key when the resource is keyed by the applicant's identifier (身份证号 /
 * 信用代码), else the first record whose item of that type equals it (不动产登记 is keyed by 不动产单元号 and names
 * the owner's 证件号码): a query filtered on that item, which the grant must include.
 */
async function readSubjectRecord(
  ctx: AppContext,
  caller: ExchangeCaller,
  resource: ItemSource['resource'],
  subject: 'person' | 'enterprise',
  o: { key: string; purpose: string; caseRef: string; items: string[] },
): Promise<Read> {
  const idType = subject === 'person' ? 'resident_id' : 'credit_code';
  const keyDef = resource.items.find((i) => i.key === resource.keyItem);
  if (!keyDef || keyDef.type === idType) {
    const r = await lookupRecord(ctx, caller, { resourceCode: resource.code, key: o.key, purpose: o.purpose, caseRef: o.caseRef, items: o.items });
    return { requestId: r.requestId, grantId: r.grantId, version: r.version, record: r.record, auditSeq: r.auditSeq };
  }
  const idItem = resource.items.find((i) => i.type === idType);
  if (!idItem) throw new InvalidParameterError('resource', '该数据资源不能按申请人的证件号码查询');
  const q = await queryRecords(ctx, caller, { resourceCode: resource.code, purpose: o.purpose, caseRef: o.caseRef, items: o.items, filters: { [idItem.key]: o.key }, rows: 1 });
  return { requestId: q.requestId, grantId: q.grantId, version: q.version, record: q.records[0] ?? null, auditSeq: q.auditSeq };
}

/** Why a declaration cannot be used with this form and resource, or null. */
function declarationProblem(item: ApplicableItem, s: ItemSource): string | null {
  if (s.target === 'material') {
    return item.slots.some((x) => x.key === s.targetKey) ? null : `本事项没有材料“${s.targetKey}”，无法通过共享获取`;
  }
  const field = formField(item.form, s.targetKey);
  if (!field || !FILLABLE.has(field.type)) return `申请表中没有可由共享数据填写的“${s.label}”，请手动填写`;
  if (!s.dataItem || !s.resource.items.some((i) => i.key === s.dataItem)) return `共享数据中没有可用的“${field.label}”，请手动填写`;
  return null;
}

async function clearItemsOf(ctx: AppContext, grantId: number): Promise<Set<string>> {
  const g = await ctx.db.selectFrom('share_grants').select('clear_items').where('id', '=', grantId).executeTakeFirst();
  return new Set(g?.clear_items ?? []);
}

/** A personal item the grant does not give in clear comes masked (110105********002X): never fill a form with it. */
function masked(def: DataItem, clear: Set<string>): boolean {
  return def.personal && !clear.has(def.key);
}
