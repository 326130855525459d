/**
 * The resource catalogue's vocabulary (政务信息资源目录, GB/T 21063): Chinese labels of share and open types, data
 * grades, update cycles, catalogue kinds, base libraries and item types; the resource code pattern; and the
 * validation of a resource's declared data items (信息项). Other modules import the label maps from here.
 */
import type { BaseLibrary, CatalogueKind, DataGrade, DataItem, OpenType, ShareType, UpdateCycle } from '../../db/schema.ts';
import { FieldErrorsError } from '../../shared/errors.ts';

export const SHARE_TYPE_LABELS: Record<ShareType, string> = {
  unconditional: '无条件共享',
  conditional: '有条件共享',
  none: '不予共享',
};

export const OPEN_TYPE_LABELS: Record<OpenType, string> = {
  open: '无条件开放',
  conditional: '有条件开放',
  closed: '不予开放',
};

export const GRADE_LABELS: Record<DataGrade, string> = {
  core: '核心数据',
  important: '重要数据',
  general: '一般数据',
};

export const UPDATE_CYCLE_LABELS: Record<UpdateCycle, string> = {
  realtime: '实时',
  daily: '每日',
  weekly: '每周',
  monthly: '每月',
  quarterly: '每季度',
  yearly: '每年',
  irregular: '不定期',
};

export const CATALOGUE_KIND_LABELS: Record<CatalogueKind, string> = {
  base: '基础信息资源',
  theme: '主题信息资源',
  department: '部门信息资源',
};

export const BASE_LIBRARY_LABELS: Record<BaseLibrary, string> = {
  population: '人口基础库',
  legal_person: '法人基础库',
  geospatial: '自然资源和空间地理基础库',
  credit: '社会信用基础库',
  licence: '电子证照基础库',
};

export type DataItemType = DataItem['type'];
export type DataItemMask = NonNullable<DataItem['mask']>;
export type ShareMethod = 'api' | 'batch' | 'both';
export type ResourceFormat = 'table' | 'file' | 'api';
export type ResourceStatus = 'draft' | 'published' | 'retired';

export const DATA_ITEM_TYPE_LABELS: Record<DataItemType, string> = {
  text: '字符串',
  integer: '整数',
  decimal: '数值',
  date: '日期',
  boolean: '布尔',
  resident_id: '公民身份号码',
  credit_code: '统一社会信用代码',
  mobile: '手机号码',
};

export const MASK_LABELS: Record<DataItemMask, string> = {
  resident_id: '身份证号脱敏（110105********002X）',
  name: '姓名脱敏（王*）',
  mobile: '手机号脱敏（138****0001）',
  address: '地址脱敏（前6字+***）',
  full: '全部隐藏（***）',
};

export const SHARE_METHOD_LABELS: Record<ShareMethod, string> = {
  api: '接口调用',
  batch: '批量交换',
  both: '接口调用和批量交换',
};

export const FORMAT_LABELS: Record<ResourceFormat, string> = {
  table: '数据库表',
  file: '电子文件',
  api: '接口',
};

export const RESOURCE_STATUS_LABELS: Record<ResourceStatus, string> = {
  draft: '草稿',
  published: '已发布',
  retired: '已停用',
};

export const SHARE_TYPES = Object.keys(SHARE_TYPE_LABELS) as ShareType[];
export const OPEN_TYPES = Object.keys(OPEN_TYPE_LABELS) as OpenType[];
export const GRADES = Object.keys(GRADE_LABELS) as DataGrade[];
export const UPDATE_CYCLES = Object.keys(UPDATE_CYCLE_LABELS) as UpdateCycle[];
export const CATALOGUE_KINDS = Object.keys(CATALOGUE_KIND_LABELS) as CatalogueKind[];
export const BASE_LIBRARIES = Object.keys(BASE_LIBRARY_LABELS) as BaseLibrary[];
export const DATA_ITEM_TYPES = Object.keys(DATA_ITEM_TYPE_LABELS) as DataItemType[];
export const DATA_ITEM_MASKS = Object.keys(MASK_LABELS) as DataItemMask[];
export const SHARE_METHODS = Object.keys(SHARE_METHOD_LABELS) as ShareMethod[];
export const RESOURCE_FORMATS = Object.keys(FORMAT_LABELS) as ResourceFormat[];

/** 资源代码: the same rule as the CHECK of data_resources.code. */
export const RESOURCE_CODE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9/-]{2,63}$/;
/** 信息项标识: the key of a data item (also accepted as a column header in loaded files). */
export const DATA_ITEM_KEY_PATTERN = /^[a-z][a-z0-9_]{0,62}$/;
export const MAX_DATA_ITEMS = 200;

/** One problem with the declared items: the field path (items.3.key) and a Chinese message. */
export interface ItemProblem {
  field: string;
  message: string;
}

/**
 * Checks a resource's data items and its key item; returns the problems (empty when valid). Rules: 1–200 items;
 * key [a-z][a-z0-9_]*, unique; name 1–60 characters, unique; known type; a mask only on a personal item and of
 * a known kind; the key item exists and is required.
 */
export function validateDataItems(items: unknown, keyItem: unknown): ItemProblem[] {
  const problems: ItemProblem[] = [];
  if (!Array.isArray(items) || items.length === 0) {
    problems.push({ field: 'items', message: '请至少声明一个信息项' });
    return problems;
  }
  if (items.length > MAX_DATA_ITEMS) problems.push({ field: 'items', message: `信息项不能超过 ${MAX_DATA_ITEMS} 个` });
  const keys = new Set<string>();
  const names = new Set<string>();
  items.forEach((raw, i) => {
    const at = `items.${i}`;
    if (!raw || typeof raw !== 'object') {
      problems.push({ field: at, message: `第 ${i + 1} 个信息项格式不正确` });
      return;
    }
    const it = raw as Partial<DataItem>;
    const key = typeof it.key === 'string' ? it.key : '';
    const name = typeof it.name === 'string' ? it.name.trim() : '';
    if (!DATA_ITEM_KEY_PATTERN.test(key)) {
      problems.push({ field: `${at}.key`, message: `第 ${i + 1} 个信息项的标识应以小写字母开头，只含小写字母、数字和下划线` });
    } else if (keys.has(key)) {
      problems.push({ field: `${at}.key`, message: `信息项标识“${key}”重复` });
    } else keys.add(key);
    if (!name || name.length > 60) {
      problems.push({ field: `${at}.name`, message: `第 ${i + 1} 个信息项的名称应为 1–60 个字` });
    } else if (names.has(name.normalize('NFKC').toLowerCase())) {
      // compared as a file's header is (validate-data-record.ts): 注册资本(万元) and 注册资本（万元） are one name
      problems.push({ field: `${at}.name`, message: `信息项名称“${name}”重复` });
    } else names.add(name.normalize('NFKC').toLowerCase());
    if (!DATA_ITEM_TYPES.includes(it.type as DataItemType)) {
      problems.push({ field: `${at}.type`, message: `第 ${i + 1} 个信息项的数据类型无效` });
    }
    if (it.required !== undefined && typeof it.required !== 'boolean') {
      problems.push({ field: `${at}.required`, message: `第 ${i + 1} 个信息项的“必填”应为是或否` });
    }
    if (it.personal !== undefined && typeof it.personal !== 'boolean') {
      problems.push({ field: `${at}.personal`, message: `第 ${i + 1} 个信息项的“个人信息”应为是或否` });
    }
    if (it.mask !== undefined && it.mask !== null) {
      if (!DATA_ITEM_MASKS.includes(it.mask as DataItemMask)) {
        problems.push({ field: `${at}.mask`, message: `第 ${i + 1} 个信息项的脱敏方式无效` });
      } else if (it.personal !== true) {
        problems.push({ field: `${at}.mask`, message: `第 ${i + 1} 个信息项不是个人信息，不应设置脱敏方式` });
      }
    }
  });
  if (typeof keyItem !== 'string' || !keyItem) {
    problems.push({ field: 'keyItem', message: '请指定标识记录的关键信息项' });
  } else {
    const k = (items as Partial<DataItem>[]).find((it) => it && it.key === keyItem);
    if (!k) problems.push({ field: 'keyItem', message: `关键信息项“${keyItem}”不在信息项中` });
    else if (k.required !== true) problems.push({ field: 'keyItem', message: '关键信息项必须为必填' });
  }
  return problems;
}

/** Normalises valid items (trimmed names, booleans present, mask only when personal) for storing. */
export function normaliseDataItems(items: DataItem[]): DataItem[] {
  return items.map((it) => {
    const out: DataItem = { key: it.key, name: it.name.trim(), type: it.type, required: it.required === true, personal: it.personal === true };
    if (it.personal === true && it.mask) out.mask = it.mask;
    return out;
  });
}

/** Throws a 400 naming every problem when the items are not valid. */
export function assertValidDataItems(items: unknown, keyItem: unknown): void {
  const problems = validateDataItems(items, keyItem);
  if (problems.length) throw new FieldErrorsError(problems);
}

/** A resource as the API and the pages show it. */
export interface DataResourceView {
  code: string;
  name: string;
  status: ResourceStatus;
  provider: { id: number; code: string; name: string; regionCode: string; regionName: string };
  catalogueKind: CatalogueKind;
  baseLibrary: BaseLibrary | null;
  classification: string;
  abstract: string;
  format: ResourceFormat;
  items: DataItem[];
  keyItem: string;
  shareType: ShareType;
  shareConditions: string;
  shareMethod: ShareMethod;
  openType: OpenType;
  updateCycle: UpdateCycle;
  grade: DataGrade;
  relatedCodes: string[];
  publishedAt: string | null;
  metaVersion: number;
  dataVersion: number;
  recordCount: number;
  updatedAt: string;
}

/** One row of a catalogue listing. */
export interface DataResourceSummary {
  code: string;
  name: string;
  status: ResourceStatus;
  providerName: string;
  providerDepartmentId: number;
  providerCode: string; // 统一社会信用代码
  catalogueKind: CatalogueKind;
  baseLibrary: BaseLibrary | null;
  classification: string;
  abstract: string;
  shareType: ShareType;
  openType: OpenType;
  grade: DataGrade;
  updateCycle: UpdateCycle;
  itemCount: number;
  recordCount: number;
  dataVersion: number;
  metaVersion: number;
  publishedAt: string | null;
}

/** One meta version of a resource (目录版本). */
export interface DataResourceVersionView {
  version: number;
  note: string;
  changedAt: string;
  changedBy: string | null;
  snapshot?: Record<string, unknown>;
}
