/**
 * The rules of an evaluation, shared by the API and the page: a level 1–5, each online indicator 1–5, and a
 * comment of at least 5 characters with a 差评 (level ≤ 2). All problems are collected, keyed by field
 * ('level', 'indicators.overall', …, 'comment'), so a page can show each beside its field.
 */
import { FieldErrorsError } from '../../shared/errors.ts';
import { BAD_COMMENT_MIN, COMMENT_MAX, INDICATOR_KEYS, INDICATORS, type EvaluationInput, type Indicators, type Level } from './evaluations.types.ts';

export interface RawEvaluation {
  level?: unknown;
  indicators?: Partial<Record<string, unknown>>;
  comment?: unknown;
}

function score(v: unknown): number | undefined {
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\s*[1-5]\s*$/.test(v) ? Number(v) : NaN;
  return Number.isInteger(n) && n >= 1 && n <= 5 ? n : undefined;
}

/** Counts characters as people do (a Chinese character is one, whatever its UTF-16 length). */
function length(s: string): number {
  return [...s].length;
}

export function checkEvaluation(raw: RawEvaluation): { value: EvaluationInput; errors?: undefined } | { value?: undefined; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const level = score(raw.level);
  if (level === undefined) errors.level = '请选择评价等级（非常满意至非常不满意）';
  const indicators = {} as Indicators;
  for (const k of INDICATOR_KEYS) {
    const v = score(raw.indicators?.[k]);
    if (v === undefined) errors[`indicators.${k}`] = `请为“${INDICATORS[k]}”打分（1–5 分）`;
    else indicators[k] = v;
  }
  const comment = typeof raw.comment === 'string' ? raw.comment.trim() : '';
  if (length(comment) > COMMENT_MAX) errors.comment = `评价内容不能超过 ${COMMENT_MAX} 个字`;
  else if (level !== undefined && level <= 2 && length(comment) < BAD_COMMENT_MIN) {
    errors.comment = `给出“不满意”或“非常不满意”时，请写明原因（至少 ${BAD_COMMENT_MIN} 个字），以便部门核实整改`;
  }
  if (Object.keys(errors).length) return { errors };
  return { value: { level: level as Level, indicators, comment } };
}

/** The API's form: a 400 naming the first field at fault and listing every one (`errors`). */
export function parseEvaluation(raw: RawEvaluation): EvaluationInput {
  const r = checkEvaluation(raw);
  if (r.errors) throw new FieldErrorsError(Object.entries(r.errors).map(([field, message]) => ({ field, message })));
  return r.value;
}
