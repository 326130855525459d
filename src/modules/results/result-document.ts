/**
 * The wording of a result document (文书内容), independent of how it is drawn: document number, validity,
 * the decision and, for a refusal, its reasons, legal basis and the applicant's remedies (行政许可法 第三十八条:
 * 不予行政许可的书面决定应当说明理由，并告知申请人享有依法申请行政复议或者提起行政诉讼的权利).
 */
import type { HolderType, Particular, ResultKind } from './results.types.ts';

/** The mark of each kind of document in its number (文号中的类别字). */
function numberMark(kind: ResultKind, approved: boolean): string {
  if (!approved) return '不许';
  return kind === 'licence' ? '许' : kind === 'certificate' ? '证' : '许决';
}

/**
 * 文书编号 in the Chinese style: `330106许〔2026〕<办件编号>号`. It carries the application number verbatim, so it
 * is unique exactly because the application number is (one result per application) — no counter, no lock.
 */
export function documentNumberFor(o: { regionCode: string; kind: ResultKind; approved: boolean; issuedOn: string; applicationNumber: string }): string {
  return `${o.regionCode}${numberMark(o.kind, o.approved)}〔${o.issuedOn.slice(0, 4)}〕${o.applicationNumber}号`;
}

/** 2026-03-15 + 5 years → 2031-03-14 (the day before the anniversary, as licences are dated). */
export function validUntilFor(issuedOn: string, years: number): string {
  const [y, m, d] = issuedOn.split('-').map(Number) as [number, number, number];
  const t = Date.UTC(y + years, m - 1, d) - 86_400_000;
  return new Date(t).toISOString().slice(0, 10);
}

/** 2026-03-05 → 2026年3月5日 */
export function chineseDate(day: string): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return `${y}年${m}月${d}日`;
}

const trimEnd = (s: string) => s.trim().replace(/[。；;，,、\s]+$/u, '');

/** 《中华人民共和国行政许可法》 when the caller names no basis for an approval. */
const DEFAULT_APPROVAL_BASIS = '《中华人民共和国行政许可法》第三十八条第一款';

export const RIGHTS_NOTICE =
  '如不服本决定，可以依法申请行政复议或者提起行政诉讼：自收到本决定书之日起六十日内申请行政复议，或者自收到本决定书之日起六个月内向人民法院提起行政诉讼。';

export interface DecisionWording {
  decisionText: string;
  rightsNotice: string | null;
}

export function decisionWording(o: {
  kind: ResultKind;
  approved: boolean;
  holderType: HolderType;
  itemName: string;
  applicationNumber: string;
  reasons?: string;
  legalBasis?: string;
}): DecisionWording {
  const you = o.holderType === 'enterprise' ? '你单位' : '你';
  const basis = o.legalBasis?.trim() ? trimEnd(o.legalBasis) : DEFAULT_APPROVAL_BASIS;
  if (!o.approved) {
    return {
      decisionText:
        `${you}提出的${o.itemName}申请（办件编号：${o.applicationNumber}），经审查，因${trimEnd(o.reasons ?? '')}，不符合法定条件、标准。` +
        `依据${basis}的规定，决定不予行政许可。`,
      rightsNotice: RIGHTS_NOTICE,
    };
  }
  if (o.kind === 'certificate') {
    return {
      decisionText: `${you}提出的${o.itemName}申请（办件编号：${o.applicationNumber}），经审核，符合规定，依据${basis}的规定，准予办理，特发此证。`,
      rightsNotice: null,
    };
  }
  return {
    decisionText:
      `${you}提出的${o.itemName}申请（办件编号：${o.applicationNumber}），经审查，符合法定条件、标准，依据${basis}的规定，决定准予行政许可` +
      (o.kind === 'licence' ? '，特发此证。' : '。'),
    rightsNotice: null,
  };
}

/** What the document shows as its validity (有效期限), or null where it has none (a refusal). */
export function validityText(o: { kind: ResultKind; approved: boolean; validFrom: string; validUntil: string | null }): string | null {
  if (!o.approved) return null;
  if (o.validUntil) return `${chineseDate(o.validFrom)}至${chineseDate(o.validUntil)}`;
  return o.kind === 'decision' ? null : '长期有效';
}

/** Everything the PDF shows, already worded and masked. */
export interface ResultDocumentView {
  kind: ResultKind;
  approved: boolean;
  title: string;
  documentNumber: string;
  holderName: string;
  holderType: HolderType;
  holderIdLabel: string; // 公民身份号码 / 统一社会信用代码
  holderIdShown: string; // masked for a person
  itemName: string;
  applicationNumber: string;
  particulars: Particular[];
  decisionText: string;
  reasons: string | null;
  legalBasis: string | null;
  rightsNotice: string | null;
  validity: string | null;
  departmentName: string;
  issuedOnText: string; // 2026年3月15日
  verificationCode: string;
  verifyUrl: string;
  verifyPageUrl: string; // where a code can be typed in
}
