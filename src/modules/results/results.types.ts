/** Types of the results module (办理结果): licences, certificates and decisions with a public verification code. */
import type { AuditActor } from '../audit/audit.types.ts';
import type { BlobStorage } from '../attachments/blob-storage.ts';

/** 许可证 / 证书（证照）/ 决定书 */
export type ResultKind = 'licence' | 'certificate' | 'decision';
export const RESULT_KINDS: readonly ResultKind[] = ['licence', 'certificate', 'decision'];

/** 持有人类型: a natural person (自然人) or an enterprise (法人), from the application's subject. */
export type HolderType = 'person' | 'enterprise';

/** One row of the particulars table (登记事项), taken from the form: 经营场所, 主体业态 … */
export interface Particular {
  label: string;
  value: string;
}

export interface IssueResultDeps {
  storage: BlobStorage;
  /** e.g. https://zwfw.example.gov.cn — the QR code links to `${publicBaseUrl}/verify?code=…`; see requestBaseUrl. */
  publicBaseUrl?: string;
}

export interface IssueResultInput {
  applicationId: number;
  applicationNumber: string; // 办件编号 (unique): the document number is derived from it
  itemName: string; // 事项名称
  kind: ResultKind;
  title: string; // 食品经营许可证, 不予行政许可决定书 …
  holderName: string; // 持有人 / 申请人
  holderIdNumber: string; // 公民身份号码 or 统一社会信用代码
  departmentName: string; // 出具部门
  regionCode: string; // 行政区划代码 of the department
  approved: boolean; // 准予 / 不予
  reasons?: string; // 理由 (required for a refusal)
  legalBasis?: string; // 法律依据 (required for a refusal)
  validYears?: number; // 有效期（年）; absent: 长期有效 (licences, certificates) or none (decisions)
  particulars: Particular[];
  issuedOn: string; // 出具日期 YYYY-MM-DD
  actor: AuditActor;
}

export interface IssuedResult {
  id: number;
  documentNumber: string; // 文书编号
  verificationCode: string; // 核验码 XXXX-XXXX-XXXX-XXXX
}

/** What is kept in application_results.content (jsonb): enough to verify and to render the document again. */
export interface ResultContent {
  applicationNumber: string;
  itemName: string;
  departmentName: string;
  regionCode: string;
  holderType: HolderType;
  approved: boolean;
  reasons: string | null;
  legalBasis: string | null;
  particulars: Particular[];
  issuedOn: string;
  validFrom: string | null;
  decisionText: string; // the decision as printed (决定内容)
  rightsNotice: string | null; // 救济途径告知 (refusals)
  verifyUrl: string; // what the QR code links to
  pdfBytes: number;
}

/** The public answer to a verification code (核验结果): personal data masked. */
export interface VerifiedResult {
  valid: boolean; // genuine, not revoked and not past its validity
  status: 'valid' | 'revoked' | 'expired';
  kind: ResultKind;
  title: string;
  documentNumber: string;
  itemName: string;
  departmentName: string;
  holderName: string; // masked for a person: 张*, 李*华
  holderIdNumber: string; // masked: 330106********1234
  issuedOn: string; // the date on the document
  issuedAt: string; // when it was recorded (ISO timestamp)
  validUntil: string | null;
  revoked: boolean;
  revokedAt: string | null;
  sha256: string; // of the issued PDF: a copy whose digest differs is not the issued file
  verificationCode: string;
}

/** A result as the application's pages show it (getResultForApplication). */
export interface ResultSummary {
  id: number;
  applicationId: number;
  kind: ResultKind;
  title: string;
  documentNumber: string;
  verificationCode: string;
  approved: boolean;
  issuedOn: string;
  issuedAt: string;
  validUntil: string | null;
  revokedAt: string | null;
  sha256: string;
  downloadUrl: string; // /api/v1/results/:id/pdf
  verifyPath: string; // /verify?code=…
}
