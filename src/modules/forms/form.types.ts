/**
 * Application forms (申请表单): the typed definition kept with an implementation item's version
 * (`impl_item_versions.form`, jsonb) and shared by the server and the browser. Isomorphic: types only.
 *
 * A form is a list of steps (分步填写), each a list of fields. Field keys are unique across the whole form; the
 * data of a form is one flat object keyed by field key (tables hold arrays of row objects keyed by column key).
 * Conditions (`when`) show a field — and so require it, when it is required — only when another field has a
 * given value; a hidden field's value is dropped.
 */
import type { MaterialSource } from '../catalogue/catalogue.types.ts';

/** The key of a material slot: 'm' + the material's seq in the guide (m1, m2 …). */
export type SlotKey = string;

/** The field types of a form. */
export type FieldType =
  | 'text' // 单行文本
  | 'textarea' // 多行文本
  | 'number' // 数字
  | 'date' // 日期 'YYYY-MM-DD'
  | 'select' // 单选（下拉）
  | 'multiselect' // 多选（复选框）
  | 'resident_id' // 公民身份号码 (GB 11643, checksum)
  | 'credit_code' // 统一社会信用代码 (GB 32100, checksum)
  | 'phone' // 手机号码或固定电话
  | 'address' // 地址: { regionCode (county, GB/T 2260), detail }
  | 'table' // 表格 / 重复项 (家庭成员, 从业人员, 股东 …)
  | 'attachment'; // 附件: a place in the form for a material slot; holds no value itself

/**
 * When a field is shown (and, if required, required), or when a conditional material is required.
 * `field` names a field of the form (for a table column: a sibling column of the same row first, else a field
 * of the form). For a multiselect, `equals` holds when the value is among the selected ones and `in` when any
 * selected one is listed. A hidden or empty field equals nothing.
 */
export type Condition =
  | { field: string; equals: string | number }
  | { field: string; in: (string | number)[] }
  | { field: string; notEmpty: true }
  | { all: Condition[] }
  | { any: Condition[] };

/** Where a prefilled value comes from: the signed-in person, the enterprise acted for, or the applicant (主体). */
export type PrefillSource =
  | 'person.name'
  | 'person.idNumber'
  | 'person.mobile'
  | 'enterprise.name'
  | 'enterprise.creditCode'
  | 'enterprise.legalRepName'
  | 'subject.name' // the enterprise's name when acting for one, else the person's
  | 'subject.idNumber'; // the enterprise's credit code when acting for one, else the person's resident ID

export interface FieldOption {
  value: string;
  label: string;
}

export interface FieldDef {
  /** Unique in the form; letters, digits and '_', starting with a letter (it is part of names and paths). */
  key: string;
  label: string;
  type: FieldType;
  required?: boolean;
  /** Shown (and required, when `required`) only when this holds. */
  when?: Condition;
  /** select / multiselect */
  options?: FieldOption[];
  /** number: value bounds; date: 'YYYY-MM-DD' or 'today'; multiselect: number of choices */
  min?: number | string;
  max?: number | string;
  /** number: whole numbers only */
  integer?: boolean;
  /** text-like fields and an address's detail (default 200; textarea 2000) */
  maxLength?: number;
  /** text: a regular expression the whole value must match (anchored), with the message shown when it does not */
  pattern?: string;
  patternMessage?: string;
  /** number: the unit shown after the label (平方米, 元, 人) */
  unit?: string;
  /** a short help text under the label */
  hint?: string;
  prefill?: PrefillSource;
  /** table: the columns (text, textarea, number, date, select, resident_id, credit_code, phone) and row bounds */
  columns?: FieldDef[];
  minRows?: number;
  maxRows?: number;
  /** attachment: the material slot whose files belong here */
  slot?: SlotKey;
}

export interface FormStep {
  key: string;
  title: string;
  fields: FieldDef[];
}

export interface FormDefinition {
  steps: FormStep[];
  /** Conditional materials (情形必要) tied to the form's values: the slot is required when the condition holds. */
  materialConditions?: Record<SlotKey, Condition>;
}

/** An address value (地址). */
export interface AddressValue {
  regionCode: string; // a county (区县) code known to the region list
  detail: string; // 街道、门牌号
}

/** One problem with the submitted data. `field` is a path: `name`, `members[2].name`, `site.detail`. */
export interface FormError {
  field: string;
  code: FormErrorCode;
  message: string;
}

export type FormErrorCode =
  | 'required'
  | 'type'
  | 'integer'
  | 'min'
  | 'max'
  | 'max_length'
  | 'pattern'
  | 'option'
  | 'date'
  | 'resident_id'
  | 'credit_code'
  | 'phone'
  | 'region'
  | 'min_rows'
  | 'max_rows'
  | 'min_items'
  | 'max_items'
  | 'control_chars';

export interface ValidationResult {
  /** The coerced values of the visible fields (unknown keys, hidden fields and empty values left out). */
  values: Record<string, unknown>;
  errors: FormError[];
}

/** A material of the guide as an upload slot of the application (申请材料). */
export interface MaterialSlot {
  key: SlotKey;
  label: string;
  /** 必要: at least one file always */
  required: boolean;
  /** the guide's text for a conditional material (情形必要), e.g. '委托他人代为办理的提供' */
  condition?: string;
  /** when the form's values make the conditional material required (from FormDefinition.materialConditions) */
  when?: Condition;
  source: MaterialSource;
  issuer?: string;
  notes?: string;
  /**
   * Issued by a government body or obtainable by data sharing: may be exempted (免提交) once the platform can
   * fetch it (issue 6). Still treated as the guide says for now.
   */
  exemptible: boolean;
}

/** The profile a form is prefilled from: the signed-in person and, when acting for one, the enterprise. */
export interface PrefillProfile {
  person: { name: string; idNumber: string; mobile: string };
  enterprise?: { name: string; creditCode: string; legalRepName: string } | null;
}

/** A form as written in seed data: the basic item's exact name guards against a code that moved. */
export interface ItemFormSeed {
  item: string; // BasicItemSeed.name
  form: FormDefinition;
}

/** The field types a table column may have. */
export const TABLE_COLUMN_TYPES: readonly FieldType[] = ['text', 'textarea', 'number', 'date', 'select', 'resident_id', 'credit_code', 'phone'];

export const PREFILL_SOURCES: readonly PrefillSource[] = [
  'person.name',
  'person.idNumber',
  'person.mobile',
  'enterprise.name',
  'enterprise.creditCode',
  'enterprise.legalRepName',
  'subject.name',
  'subject.idNumber',
];
