/**
 * Query parameters of the lists' pages, exports and API, checked into filters. Every parameter arrives as text
 * (a form's "全部" option sends an empty value, which means no filter); a value that is not one the list knows
 * is refused with 400 and the parameter's name.
 */
import { Type } from 'typebox';
import type { ListKind } from '../../db/schema.ts';
import { ITEM_TYPES } from '../catalogue/catalogue.types.ts';
import { InvalidParameterError } from '../../shared/errors.ts';
import type { RegionLevel } from '../../shared/codes/region-code.ts';
import { NEGATIVE_CATEGORIES, LIST_KINDS, type NegativeCategory, type PowerType } from '../three-lists/three-lists.types.ts';
import { normaliseIndustryCode } from './industry-classification.ts';
import { POWER_TYPES, REGION_LEVELS, type FundFilters, type NegativeFilters, type PowerFilters } from './lists-index.ts';

const text = (max: number, description: string) => Type.Optional(Type.String({ maxLength: max, description }));

export const PowerQuery = Type.Object({
  q: text(100, '关键词（名称、设定依据、责任事项等）'),
  department: text(10, '部门 ID'),
  level: text(10, '层级：province / city / county'),
  region: text(6, '行政区划代码（含下级）'),
  type: text(2, `权力类型：${POWER_TYPES.map((t) => `${t} ${ITEM_TYPES[t]}`).join('、')}`),
  page: text(6, '页码（页面）'),
});
export const NegativeQuery = Type.Object({
  q: text(100, '关键词'),
  category: text(12, '类别：prohibited 禁止类 / restricted 限制类 / approval 核准类'),
  industry: text(10, '行业代码（GB/T 4754），如 C25、C2511'),
  page: text(6, '页码（页面）'),
});
export const FundQuery = Type.Object({
  q: text(100, '关键词'),
  year: text(4, '年度'),
  department: text(10, '主管部门 ID'),
  page: text(6, '页码（页面）'),
  table: text(12, '导出 CSV 时：funds（默认，按资金和年度）或 allocations（分配结果）'),
});
export const Paging = {
  rows: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20, description: '每页条数（1–100）' })),
  start: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000, default: 0, description: '从第几条开始（0 起）' })),
};

export type Query = { readonly [k: string]: unknown };

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

const blank = (v: string | undefined): v is undefined => v === undefined || v.trim() === '';

function id(v: string | undefined, field: string): number | undefined {
  if (blank(v)) return undefined;
  if (!/^\d{1,9}$/.test(v.trim()) || Number(v) < 1) throw new InvalidParameterError(field, '部门编号应为正整数');
  return Number(v);
}

export function pageOf(v: string | undefined): number {
  if (blank(v)) return 1;
  if (!/^\d{1,6}$/.test(v.trim()) || Number(v) < 1) throw new InvalidParameterError('page', '页码应为正整数');
  return Number(v);
}

function oneOf<T extends string>(v: string | undefined, allowed: readonly T[], field: string, message: string): T | undefined {
  if (blank(v)) return undefined;
  const t = v.trim() as T;
  if (!allowed.includes(t)) throw new InvalidParameterError(field, message);
  return t;
}

/** The trimmed text of a parameter; undefined when absent or blank. */
function given(v: unknown): string | undefined {
  const t = str(v)?.trim();
  return t ? t : undefined;
}

export function powerFilters(q: Query): PowerFilters {
  const region = given(q.region);
  if (region !== undefined && !/^[1-9]\d{5}$/.test(region)) throw new InvalidParameterError('region', '行政区划代码应为 6 位数字');
  return {
    q: given(q.q),
    department: id(given(q.department), 'department'),
    level: oneOf(given(q.level), Object.keys(REGION_LEVELS) as RegionLevel[], 'level', '层级应为 province、city 或 county'),
    region,
    type: oneOf(given(q.type), POWER_TYPES as readonly PowerType[], 'type', '权力类型不正确'),
  };
}

/** The industry code as the list writes it, or 400. */
export function industryCode(v: string, field = 'industry'): string {
  const code = normaliseIndustryCode(v);
  if (!code) throw new InvalidParameterError(field, '行业代码不正确：应为 GB/T 4754 的门类字母加数字，如 C、C25、C2511');
  return code;
}

export function negativeFilters(q: Query): NegativeFilters {
  const industry = given(q.industry);
  return {
    q: given(q.q),
    category: oneOf(given(q.category), Object.keys(NEGATIVE_CATEGORIES) as NegativeCategory[], 'category', '类别应为 prohibited、restricted 或 approval'),
    industry: industry === undefined ? undefined : industryCode(industry),
  };
}

export function fundFilters(q: Query): FundFilters {
  const y = given(q.year);
  if (y !== undefined && !/^\d{4}$/.test(y)) throw new InvalidParameterError('year', '年度应为 4 位数字，如 2025');
  return { q: given(q.q), year: y === undefined ? undefined : Number(y), department: id(given(q.department), 'department') };
}

export function listKind(v: string | undefined): ListKind | undefined {
  return oneOf(v, Object.keys(LIST_KINDS) as ListKind[], 'kind', '清单类型应为 power、negative 或 fund');
}

export function editionId(v: string | undefined, field: string): number | undefined {
  if (blank(v)) return undefined;
  if (!/^\d{1,9}$/.test(v.trim()) || Number(v) < 1) throw new InvalidParameterError(field, '版本编号应为正整数');
  return Number(v);
}
