/**
 * The guide fields a draft may change, as the API and the draft page name them (camelCase), checked and mapped
 * onto the version columns `createItemVersion` takes. Every failure names its field.
 */
import type { GuideChanges } from '../catalogue/create-item-version.ts';
import { InvalidParameterError } from '../../shared/errors.ts';
import { normaliseText } from './staff.validation.ts';

export interface DraftChanges {
  name?: string;
  conditions?: string[];
  legalBasis?: string[];
  legalDays?: number;
  legalDaysNote?: string;
  promisedDays?: number;
  promisedDaysNote?: string;
  feeStandard?: string | null; // null: 不收费
  feeBasis?: string | null;
  address?: string;
  officeHours?: string;
  consultPhone?: string;
  visits?: number;
  onlineDepth?: number;
  summary?: string;
}

const TEXT: [keyof DraftChanges, keyof GuideChanges, string, number][] = [
  ['name', 'name', '事项名称', 100],
  ['legalDaysNote', 'legal_days_note', '法定时限说明', 200],
  ['promisedDaysNote', 'promised_days_note', '承诺时限说明', 200],
  ['address', 'address', '办理地点', 200],
  ['officeHours', 'office_hours', '办理时间', 200],
  ['summary', 'summary', '事项简介', 500],
];

const INTS: [keyof DraftChanges, keyof GuideChanges, string, number, number][] = [
  ['legalDays', 'legal_days', '法定办结时限', 0, 365],
  ['promisedDays', 'promised_days', '承诺办结时限', 0, 365],
  ['visits', 'visits', '到办事现场次数', 0, 5],
  ['onlineDepth', 'online_depth', '网办深度', 1, 7],
];

function list(value: string[], field: string, label: string): string[] {
  if (value.length > 30) throw new InvalidParameterError(field, `${label}最多 30 条`);
  return value.map((v, i) => normaliseText(v, `${field}.${i}`, label, { max: 500, required: true })!);
}

export function toGuideChanges(c: DraftChanges): GuideChanges {
  const out: Record<string, unknown> = {};
  for (const [from, to, label, max] of TEXT) {
    const v = c[from];
    if (v !== undefined) out[to] = normaliseText(v as string, from, label, { max, required: true });
  }
  for (const [from, to, label, min, max] of INTS) {
    const v = c[from];
    if (v === undefined) continue;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
      throw new InvalidParameterError(from, `${label}应为 ${min}–${max} 之间的整数`);
    }
    out[to] = v;
  }
  if (c.conditions !== undefined) out.conditions = list(c.conditions, 'conditions', '受理条件');
  if (c.legalBasis !== undefined) out.legal_basis = list(c.legalBasis, 'legalBasis', '设定依据');
  if (c.consultPhone !== undefined) {
    const v = normaliseText(c.consultPhone, 'consultPhone', '咨询电话', { max: 40, required: true })!;
    if (!/^[0-9][0-9\- ,，、()（）转]*$/.test(v)) throw new InvalidParameterError('consultPhone', '咨询电话只能包含数字、连字符和分隔符');
    out.consult_phone = v;
  }
  if (c.feeStandard !== undefined) {
    out.fee_standard = c.feeStandard === null ? null : normaliseText(c.feeStandard, 'feeStandard', '收费标准', { max: 500, required: true });
    if (c.feeStandard === null) out.fee_basis = null;
  }
  if (c.feeBasis !== undefined && c.feeStandard !== null) {
    out.fee_basis = c.feeBasis === null ? null : normaliseText(c.feeBasis, 'feeBasis', '收费依据', { max: 500, required: true });
  }
  return out as GuideChanges;
}
