/**
 * 保存数据资源目录: a data steward creates a catalogue entry (a draft, meta version 1) or changes one; every
 * change that alters the metadata is a new meta version with a snapshot in data_resource_versions, and a
 * `data_resource.saved` event naming the changed fields (`details.changes`) — all in one transaction.
 * Checks: code pattern and uniqueness, a provider department that exists and is in the steward's scope
 * (data.resource.manage; a refusal is recorded), known enums, items (validateDataItems), 有条件共享 needs its
 * conditions and 不予共享 its reason, related codes that exist. Once records are loaded the key item and the
 * existing items' keys and types are fixed (new items may be added).
 */
import type { Kysely } from 'kysely';
import type { BaseLibrary, CatalogueKind, DataGrade, DataItem, DB, OpenType, ShareType, UpdateCycle } from '../../db/schema.ts';
import type { Principal } from '../access/principal.ts';
import type { AuditActor } from '../audit/audit.types.ts';
import { recordAuditEvent } from '../audit/record-audit-event.ts';
import { AppError, FieldErrorsError } from '../../shared/errors.ts';
import { isUniqueViolation } from '../staff/db-errors.ts';
import { assertCanRecorded } from '../staff/assert-can-recorded.ts';
import { findDepartmentRef, scopeOf } from '../staff/department-scope.ts';
import type { DepartmentRef } from '../staff/staff.types.ts';
import {
  BASE_LIBRARIES, CATALOGUE_KINDS, GRADES, normaliseDataItems, OPEN_TYPES, RESOURCE_CODE_PATTERN, RESOURCE_FORMATS, SHARE_METHODS, SHARE_TYPES,
  UPDATE_CYCLES, validateDataItems, type DataResourceView, type ItemProblem, type ResourceFormat, type ShareMethod,
} from './data-catalogue.types.ts';
import { loadResourceInScope, loadResourceRow, snapshotOf } from './get-data-resource.ts';
import { buildSearchText } from './search-data-resources.ts';

/** What a steward submits (API body or form). Enum fields are strings here: the check answers in Chinese. */
export interface DataResourceInput {
  code?: string; // create only; fixed afterwards
  name?: string;
  providerDepartmentId?: number;
  providerDepartmentCode?: string; // 统一社会信用代码, instead of the id
  catalogueKind?: string;
  baseLibrary?: string | null;
  classification?: string;
  abstract?: string;
  format?: string;
  items?: unknown[];
  keyItem?: string;
  shareType?: string;
  shareConditions?: string;
  shareMethod?: string;
  openType?: string;
  updateCycle?: string;
  grade?: string;
  relatedCodes?: string[];
  note?: string; // 变更说明
  metaVersion?: number; // update: the version the steward read; another change meanwhile → 409
}

interface CheckedFields {
  name: string;
  catalogue_kind: CatalogueKind;
  base_library: BaseLibrary | null;
  classification: string;
  abstract: string;
  format: ResourceFormat;
  items: DataItem[];
  key_item: string;
  share_type: ShareType;
  share_conditions: string;
  share_method: ShareMethod;
  open_type: OpenType;
  update_cycle: UpdateCycle;
  grade: DataGrade;
  related_codes: string[];
}

const text = (v: unknown) => (typeof v === 'string' ? v.trim() : '');

function oneOf<T extends string>(value: unknown, allowed: readonly T[], field: string, message: string, problems: ItemProblem[]): T {
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  problems.push({ field, message });
  return allowed[0]!;
}

function bounded(value: unknown, field: string, label: string, max: number, problems: ItemProblem[], required = true): string {
  const v = text(value);
  if (required && !v) problems.push({ field, message: `请填写${label}` });
  else if (v.length > max) problems.push({ field, message: `${label}不能超过 ${max} 个字` });
  return v;
}

/** Checks everything but the code, the department and the related codes' existence. */
function checkFields(input: DataResourceInput, problems: ItemProblem[]): CheckedFields {
  const name = bounded(input.name, 'name', '资源名称', 100, problems);
  const catalogueKind = oneOf(input.catalogueKind, CATALOGUE_KINDS, 'catalogueKind', '请选择目录类别（基础、主题或部门）', problems);
  let baseLibrary: BaseLibrary | null = null;
  if (input.baseLibrary !== undefined && input.baseLibrary !== null && input.baseLibrary !== '') {
    baseLibrary = oneOf(input.baseLibrary, BASE_LIBRARIES, 'baseLibrary', '所属基础库无效', problems);
  }
  if (catalogueKind === 'base' && !baseLibrary && !problems.some((p) => p.field === 'baseLibrary')) {
    problems.push({ field: 'baseLibrary', message: '基础信息资源须指明所属基础库（人口、法人、自然资源和空间地理、社会信用、电子证照）' });
  }
  const classification = bounded(input.classification, 'classification', '资源分类', 100, problems);
  const abstract = bounded(input.abstract, 'abstract', '资源摘要', 2000, problems);
  const format = oneOf(input.format ?? 'table', RESOURCE_FORMATS, 'format', '资源格式无效（数据库表、电子文件或接口）', problems);
  const itemProblems = validateDataItems(input.items, input.keyItem);
  problems.push(...itemProblems);
  const items = itemProblems.length ? [] : normaliseDataItems(input.items as DataItem[]);
  const shareType = oneOf(input.shareType, SHARE_TYPES, 'shareType', '请选择共享类型（无条件共享、有条件共享或不予共享）', problems);
  const shareConditions = bounded(input.shareConditions, 'shareConditions', '共享条件', 1000, problems, false);
  if (shareType === 'conditional' && !shareConditions) problems.push({ field: 'shareConditions', message: '有条件共享须写明共享条件' });
  if (shareType === 'none' && !shareConditions) problems.push({ field: 'shareConditions', message: '不予共享须写明理由（法律法规或政策依据）' });
  const shareMethod = oneOf(input.shareMethod ?? 'api', SHARE_METHODS, 'shareMethod', '共享方式无效（接口调用、批量交换或两者）', problems);
  const openType = oneOf(input.openType, OPEN_TYPES, 'openType', '请选择开放类型（无条件开放、有条件开放或不予开放）', problems);
  const updateCycle = oneOf(input.updateCycle, UPDATE_CYCLES, 'updateCycle', '请选择更新周期', problems);
  const grade = oneOf(input.grade, GRADES, 'grade', '请选择数据分级（核心、重要或一般）', problems);
  const related: string[] = [];
  (input.relatedCodes ?? []).forEach((c, i) => {
    const v = text(c);
    if (!v) return;
    if (!RESOURCE_CODE_PATTERN.test(v)) problems.push({ field: `relatedCodes.${i}`, message: `关联资源代码“${v.slice(0, 70)}”格式不正确` });
    else if (!related.includes(v)) related.push(v);
  });
  if (related.length > 20) problems.push({ field: 'relatedCodes', message: '关联资源不能超过 20 个' });
  return {
    name,
    catalogue_kind: catalogueKind,
    base_library: baseLibrary,
    classification,
    abstract,
    format,
    items,
    key_item: text(input.keyItem),
    share_type: shareType,
    share_conditions: shareConditions,
    share_method: shareMethod,
    open_type: openType,
    update_cycle: updateCycle,
    grade,
    related_codes: related,
  };
}

async function checkRelatedExist(db: Kysely<DB>, codes: string[], own: string, problems: ItemProblem[]): Promise<void> {
  if (!codes.length) return;
  const found = new Set((await db.selectFrom('data_resources').select('code').where('code', 'in', codes).execute()).map((r) => r.code));
  codes.forEach((c) => {
    if (c === own) problems.push({ field: 'relatedCodes', message: '关联资源不能是本资源' });
    else if (!found.has(c)) problems.push({ field: 'relatedCodes', message: `关联资源“${c}”不存在` });
  });
}

/** The provider department named by id or credit code (default: the steward's own), or a field problem. */
async function findProvider(db: Kysely<DB>, p: Principal, input: DataResourceInput, fallbackId: number | undefined, problems: ItemProblem[]): Promise<DepartmentRef | undefined> {
  const code = text(input.providerDepartmentCode);
  let dept: DepartmentRef | undefined;
  if (input.providerDepartmentId !== undefined) dept = await findDepartmentRef(db, { id: input.providerDepartmentId });
  else if (code) dept = await findDepartmentRef(db, { code });
  else {
    const id = fallbackId ?? (p.kind === 'staff' || p.kind === 'client' ? p.departmentId : undefined);
    dept = id === undefined ? undefined : await findDepartmentRef(db, { id });
  }
  if (!dept) problems.push({ field: 'providerDepartmentId', message: '未找到该资源提供部门，请从列表中选择' });
  return dept;
}

function throwIfProblems(problems: ItemProblem[]): void {
  if (problems.length) throw new FieldErrorsError(problems);
}

const accountOf = (p: Principal) => (p.kind === 'client' ? null : p.accountId);

export async function createDataResource(db: Kysely<DB>, p: Principal, input: DataResourceInput, actor: AuditActor): Promise<DataResourceView> {
  const problems: ItemProblem[] = [];
  const code = text(input.code);
  if (!RESOURCE_CODE_PATTERN.test(code)) problems.push({ field: 'code', message: '资源代码应为 3–64 位字母、数字、连字符或斜杠，以字母或数字开头' });
  const fields = checkFields(input, problems);
  const provider = await findProvider(db, p, input, undefined, problems);
  await checkRelatedExist(db, fields.related_codes, code, problems);
  throwIfProblems(problems);
  await assertCanRecorded(db, p, 'data.resource.manage', scopeOf(provider!), { actor, target: { type: 'data_resource', id: code } }, '您只能为本人管理范围内的部门编制数据资源目录');
  if (await loadResourceRow(db, code)) throw new AppError('CONFLICT', `资源代码“${code}”已被使用，请换一个`, 'code');

  const now = new Date();
  try {
    await db.transaction().execute(async (trx) => {
      const row = await trx
        .insertInto('data_resources')
        .values({
          code,
          ...fields,
          provider_department_id: provider!.id,
          items: JSON.stringify(fields.items),
          search_text: buildSearchText({ code, ...fields, providerName: provider!.name }),
          created_by: accountOf(p),
          updated_at: now,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      await trx
        .insertInto('data_resource_versions')
        .values({ resource_id: row.id, version: 1, snapshot: JSON.stringify(snapshotOf(row, provider!)), note: text(input.note).slice(0, 500) || '新建目录', changed_by: accountOf(p) })
        .execute();
      await recordAuditEvent(trx, {
        action: 'data_resource.saved',
        actor,
        target: { type: 'data_resource', id: code },
        details: { resourceId: row.id, created: true, version: 1, departmentId: provider!.id, shareType: fields.share_type, grade: fields.grade, items: fields.items.map((i) => i.key), changes: Object.keys(snapshotOf(row, provider!)) },
      });
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError('CONFLICT', `资源代码“${code}”已被使用，请换一个`, 'code');
    throw err;
  }
  const { view } = await loadResourceInScope(db, p, code, actor);
  return view;
}

/** JSON with object keys sorted (jsonb does not keep the order keys were written in). */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v)
      .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v ?? null);
}

/** The fields that differ between two snapshots. */
function changedFields(before: Record<string, unknown>, after: Record<string, unknown>): string[] {
  return Object.keys(after).filter((k) => canonical(before[k]) !== canonical(after[k]));
}

export async function updateDataResource(db: Kysely<DB>, p: Principal, code: string, input: DataResourceInput, actor: AuditActor): Promise<DataResourceView> {
  const { row: seen, provider: oldProvider } = await loadResourceInScope(db, p, code, actor);
  const problems: ItemProblem[] = [];
  if (input.code !== undefined && text(input.code) !== code) problems.push({ field: 'code', message: '资源代码创建后不能修改' });
  const fields = checkFields(input, problems);
  const provider = await findProvider(db, p, input, seen.provider_department_id, problems);
  await checkRelatedExist(db, fields.related_codes, code, problems);
  if (seen.data_version > 0 && !problems.some((x) => x.field.startsWith('items') || x.field === 'keyItem')) {
    // records are loaded under these keys and types: they stay; new items may be added
    if (fields.key_item !== seen.key_item) problems.push({ field: 'keyItem', message: '已装载数据的资源不能更改关键信息项' });
    const next = new Map(fields.items.map((i) => [i.key, i]));
    const old = (typeof seen.items === 'string' ? JSON.parse(seen.items) : seen.items) as DataItem[];
    for (const it of old) {
      const n = next.get(it.key);
      if (!n) problems.push({ field: 'items', message: `已装载数据的资源不能删除信息项“${it.name}”（${it.key}）` });
      else if (n.type !== it.type) problems.push({ field: 'items', message: `已装载数据的资源不能更改信息项“${it.name}”的数据类型` });
    }
  }
  throwIfProblems(problems);
  if (provider!.id !== oldProvider.id) {
    await assertCanRecorded(db, p, 'data.resource.manage', scopeOf(provider!), { actor, target: { type: 'data_resource', id: code } }, '您只能把资源交给本人管理范围内的部门');
  }

  await db.transaction().execute(async (trx) => {
    const cur = await trx.selectFrom('data_resources').selectAll().where('id', '=', seen.id).forUpdate().executeTakeFirstOrThrow();
    if (input.metaVersion !== undefined && input.metaVersion !== cur.meta_version) {
      throw new AppError('CONFLICT', `该目录已被他人修改（当前为第 ${cur.meta_version} 版），请刷新后再改`, 'metaVersion');
    }
    const before = snapshotOf(cur, oldProvider);
    const nextRow = { ...cur, ...fields, provider_department_id: provider!.id };
    const after = snapshotOf(nextRow, provider!);
    const changes = changedFields(before, after);
    if (!changes.length) return; // nothing changed: no new version
    const version = cur.meta_version + 1;
    await trx
      .updateTable('data_resources')
      .set({
        ...fields,
        provider_department_id: provider!.id,
        items: JSON.stringify(fields.items),
        search_text: buildSearchText({ code, ...fields, providerName: provider!.name }),
        meta_version: version,
        updated_at: new Date(),
      })
      .where('id', '=', cur.id)
      .execute();
    await trx
      .insertInto('data_resource_versions')
      .values({ resource_id: cur.id, version, snapshot: JSON.stringify(after), note: text(input.note).slice(0, 500) || `修改：${changes.join('、')}`, changed_by: accountOf(p) })
      .execute();
    await recordAuditEvent(trx, {
      action: 'data_resource.saved',
      actor,
      target: { type: 'data_resource', id: code },
      details: { resourceId: cur.id, created: false, version, departmentId: provider!.id, changes },
    });
  });
  const { view } = await loadResourceInScope(db, p, code, actor);
  return view;
}
