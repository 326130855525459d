/**
 * Checks that a form definition is well-formed before it is stored with an item version: keys unique and
 * usable in names and paths, options present, conditions reading fields that exist in the same or an earlier
 * step (and values those fields can have), table columns of the allowed types, attachment fields and material
 * conditions naming slots the item has, sane bounds. Returns the problems (empty = fine). Isomorphic.
 */
import { conditionFields, conditionValues } from './conditions.ts';
import { PREFILL_SOURCES, TABLE_COLUMN_TYPES, type Condition, type FieldDef, type FormDefinition } from './form.types.ts';

const KEY = /^[A-Za-z][A-Za-z0-9_]{0,47}$/;
const DATE_BOUND = /^(?:today|\d{4}-\d{2}-\d{2})$/;

export function checkFormDefinition(form: FormDefinition, opts: { slotKeys?: readonly string[] } = {}): string[] {
  const problems: string[] = [];
  if (!form || !Array.isArray(form.steps) || form.steps.length === 0) return ['表单至少要有一步'];
  const stepOf = new Map<string, number>(); // field key → step index
  const fields = new Map<string, FieldDef>();
  const stepKeys = new Set<string>();
  form.steps.forEach((step, si) => {
    if (!KEY.test(step.key ?? '')) problems.push(`第 ${si + 1} 步的键“${step.key}”不合规（字母开头，仅字母、数字、下划线）`);
    if (stepKeys.has(step.key)) problems.push(`步骤键“${step.key}”重复`);
    stepKeys.add(step.key);
    if (!step.title?.trim()) problems.push(`步骤“${step.key}”缺少标题`);
    if (!Array.isArray(step.fields) || step.fields.length === 0) problems.push(`步骤“${step.key}”没有字段`);
    for (const f of step.fields ?? []) {
      if (fields.has(f.key)) problems.push(`字段键“${f.key}”重复`);
      fields.set(f.key, f);
      stepOf.set(f.key, si);
    }
  });

  const checkCondition = (where: string, c: Condition, maxStep: number, self: string | null, siblings?: FieldDef[]) => {
    for (const k of conditionFields(c)) {
      const sib = siblings?.find((s) => s.key === k);
      const target = sib ?? fields.get(k);
      if (!target) {
        problems.push(`${where}的条件引用了不存在的字段“${k}”`);
        continue;
      }
      if (k === self) problems.push(`${where}的条件引用了自身`);
      if (!sib && (stepOf.get(k) ?? 0) > maxStep) problems.push(`${where}的条件引用了后面步骤的字段“${k}”`);
      if (target.type === 'attachment') problems.push(`${where}的条件不能引用附件字段“${k}”`);
    }
    for (const { field, value } of conditionValues(c)) {
      const target = siblings?.find((s) => s.key === field) ?? fields.get(field);
      if (target?.options && !target.options.some((o) => o.value === String(value))) {
        problems.push(`${where}的条件取值“${value}”不是字段“${field}”的选项`);
      }
    }
  };

  const checkField = (f: FieldDef, where: string, stepIndex: number, siblings?: FieldDef[]) => {
    if (!KEY.test(f.key ?? '')) problems.push(`${where}的键不合规（字母开头，仅字母、数字、下划线，最多 48 个字符）`);
    if (!f.label?.trim()) problems.push(`${where}缺少名称`);
    if (f.type === 'select' || f.type === 'multiselect') {
      if (!f.options?.length) problems.push(`${where}缺少选项`);
      const seen = new Set<string>();
      for (const o of f.options ?? []) {
        if (!o.value || !o.label) problems.push(`${where}有空的选项`);
        if (seen.has(o.value)) problems.push(`${where}的选项“${o.value}”重复`);
        seen.add(o.value);
      }
    } else if (f.options) problems.push(`${where}不是选择题，不应有选项`);
    if (f.type === 'number' && (f.min !== undefined || f.max !== undefined)) {
      if ((f.min !== undefined && typeof f.min !== 'number') || (f.max !== undefined && typeof f.max !== 'number')) problems.push(`${where}的上下限应为数字`);
      else if (typeof f.min === 'number' && typeof f.max === 'number' && f.min > f.max) problems.push(`${where}的下限大于上限`);
    }
    if (f.type === 'date') {
      for (const b of [f.min, f.max]) if (b !== undefined && (typeof b !== 'string' || !DATE_BOUND.test(b))) problems.push(`${where}的日期界限应为 YYYY-MM-DD 或 today`);
    }
    if (f.pattern !== undefined) {
      if (f.type !== 'text' && f.type !== 'textarea') problems.push(`${where}只有文本字段可以设置格式`);
      try {
        new RegExp(f.pattern, 'u');
      } catch {
        problems.push(`${where}的格式（正则表达式）无效`);
      }
    }
    if (f.maxLength !== undefined && (!Number.isInteger(f.maxLength) || f.maxLength < 1)) problems.push(`${where}的最大长度应为正整数`);
    if (f.prefill && !PREFILL_SOURCES.includes(f.prefill)) problems.push(`${where}的预填来源“${f.prefill}”未知`);
    if (f.when) checkCondition(where, f.when, stepIndex, f.key, siblings);
    if (f.type === 'table') {
      if (siblings) problems.push(`${where}：表格中不能再嵌套表格`);
      if (!f.columns?.length) problems.push(`${where}缺少列`);
      if (f.prefill) problems.push(`${where}：表格不能预填`);
      if (f.minRows !== undefined && f.maxRows !== undefined && f.minRows > f.maxRows) problems.push(`${where}的最少行数大于最多行数`);
      const colKeys = new Set<string>();
      for (const col of f.columns ?? []) {
        const cw = `表格“${f.key}”的列“${col.key}”`;
        if (colKeys.has(col.key)) problems.push(`${cw}重复`);
        colKeys.add(col.key);
        if (!TABLE_COLUMN_TYPES.includes(col.type)) problems.push(`${cw}的类型“${col.type}”不能用在表格中`);
        if (col.prefill) problems.push(`${cw}不能预填`);
        checkField(col, cw, stepIndex, f.columns);
      }
    } else if (f.columns) problems.push(`${where}不是表格，不应有列`);
    if (f.type === 'attachment') {
      if (!f.slot) problems.push(`${where}缺少对应的材料`);
      else if (opts.slotKeys && !opts.slotKeys.includes(f.slot)) problems.push(`${where}对应的材料“${f.slot}”不存在`);
      if (f.required || f.when) problems.push(`${where}：附件是否必交由材料决定，不在字段上设置`);
    }
  };

  form.steps.forEach((step, si) => {
    for (const f of step.fields ?? []) checkField(f, `字段“${f.key}”`, si);
  });
  for (const [slot, c] of Object.entries(form.materialConditions ?? {})) {
    if (opts.slotKeys && !opts.slotKeys.includes(slot)) problems.push(`材料条件引用了不存在的材料“${slot}”`);
    checkCondition(`材料“${slot}”`, c, form.steps.length - 1, null);
  }
  return problems;
}
