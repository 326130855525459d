import { Type, type TUnsafe } from 'typebox';
import { ITEM_TYPES, SERVICE_OBJECTS, THEMES } from '../modules/catalogue/catalogue.types.ts';

/**
 * Integers a request may carry, within what PostgreSQL's columns hold: a larger number is refused by validation
 * (400 naming the field), never by the database (500).
 */
export const INT4_MAX = 2_147_483_647;
/** A row id or version of an `integer` column. */
export function Int4Id(o: { description?: string } = {}) {
  return Type.Integer({ minimum: 1, maximum: INT4_MAX, ...o });
}
/** A row id of a `bigint` column, as far as a JSON number holds it exactly. */
export function BigintId(o: { description?: string } = {}) {
  return Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER, ...o });
}

/** A string enum that validates with ajv's `enum` keyword (clear error messages) and types as a union. */
export function StringEnum<T extends string>(values: readonly T[], description?: string): TUnsafe<T> {
  return Type.Unsafe<T>({ type: 'string', enum: [...values], ...(description ? { description } : {}) });
}

export const RegionCode = Type.String({ pattern: '^[1-9][0-9]{5}$', description: '行政区划代码（GB/T 2260，6 位数字）', examples: ['330106'] });
/** A region chosen on a page: a code, or empty for the whole province. */
export const RegionChoice = Type.Optional(Type.Union([RegionCode, Type.Literal('')]));
export const CreditCode = Type.String({ pattern: '^[0-9A-HJ-NP-RTUW-Y]{18}$', description: '统一社会信用代码（18 位）' });
export const ItemCode = Type.String({ pattern: '^[0-9A-Z]{1,36}$', description: '实施编码' });

export const SearchQuery = Type.Object(
  {
    q: Type.Optional(Type.String({ maxLength: 100, description: '检索词，支持口语和拼音（如 hydj）' })),
    region: Type.Optional(RegionCode),
    type: Type.Optional(StringEnum(Object.keys(ITEM_TYPES) as (keyof typeof ITEM_TYPES)[], '事项类型')),
    object: Type.Optional(StringEnum(Object.keys(SERVICE_OBJECTS) as (keyof typeof SERVICE_OBJECTS)[], '服务对象')),
    theme: Type.Optional(StringEnum(Object.keys(THEMES) as (keyof typeof THEMES)[], '主题')),
    dept: Type.Optional(CreditCode),
    online: Type.Optional(StringEnum(['1', '0', 'true', 'false'] as const, '是否可网上办理')),
    page: Type.Integer({ minimum: 1, maximum: 1000, default: 1 }),
    size: Type.Integer({ minimum: 1, maximum: 100, default: 10 }),
  },
  { additionalProperties: false },
);

export const Uuid = Type.String({ pattern: '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$', description: '标识（UUID）' });
export const Mobile = Type.String({ minLength: 1, maxLength: 20, description: '手机号码（11 位）' });
export const IdNumberInput = Type.String({ minLength: 1, maxLength: 30, description: '公民身份号码（18 位）' });
export const PasswordInput = Type.String({ minLength: 1, maxLength: 200, description: '密码' });
export const CodeInput = Type.String({ minLength: 1, maxLength: 10, description: '短信验证码（6 位数字）' });
/** The CSRF token of a form post (forms carry it as a hidden field; scripts send the x-csrf-token header). */
export const CsrfField = Type.Optional(Type.String({ maxLength: 100 }));
