/**
 * 出具办理结果: draws the licence, certificate or decision as a PDF, stores it, records it with its SHA-256 and a
 * fresh verification code, and writes the audit event — in the caller's transaction (the one that concludes
 * the application), so the result exists exactly when the decision does.
 *
 * The file is stored before the row is written (and removed again if writing the row fails); if the caller's
 * transaction rolls back later, an unreferenced file remains under results/ — harmless: nothing points at it and
 * its key is random.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { AppError, InvalidParameterError, NotFoundError } from '../../shared/errors.ts';
import { recordAuditEvent } from '../audit/record-audit-event.ts';
import { isUniqueViolation } from '../staff/db-errors.ts';
import { maskIdNumber } from './masking.ts';
import { chineseDate, decisionWording, documentNumberFor, validityText, validUntilFor, type ResultDocumentView } from './result-document.ts';
import { renderResultPdf } from './result-pdf.ts';
import { RESULT_KINDS, type HolderType, type IssueResultDeps, type IssueResultInput, type IssuedResult, type ResultContent } from './results.types.ts';
import { newVerificationCode } from './verification-code.ts';

export async function issueResult(trx: Transaction<DB>, deps: IssueResultDeps, input: IssueResultInput): Promise<IssuedResult> {
  const i = validated(input);
  const app = await trx
    .selectFrom('applications')
    .select(['id', 'number', 'subject_type'])
    .where('id', '=', i.applicationId)
    .executeTakeFirst();
  if (!app) throw new NotFoundError('办件不存在', 'applicationId');
  // the document number is derived from the application number: it must be this application's own
  if (app.number !== i.applicationNumber) throw new InvalidParameterError('applicationNumber', '办件编号与办件不一致');
  const existing = await trx.selectFrom('application_results').select('id').where('application_id', '=', app.id).executeTakeFirst();
  if (existing) throw new AppError('CONFLICT', '该办件已出具办理结果，不能重复出具', 'applicationId');

  const holderType: HolderType = app.subject_type;
  const verificationCode = newVerificationCode();
  const documentNumber = documentNumberFor(i);
  const validUntil = i.approved && i.validYears ? validUntilFor(i.issuedOn, i.validYears) : null;
  const wording = decisionWording({ ...i, holderType });
  const base = (deps.publicBaseUrl ?? '').replace(/\/+$/, '');
  const verifyUrl = `${base}/verify?code=${verificationCode}`;
  const view: ResultDocumentView = {
    kind: i.kind,
    approved: i.approved,
    title: i.title,
    documentNumber,
    holderName: i.holderName,
    holderType,
    holderIdLabel: holderType === 'enterprise' ? '统一社会信用代码' : '公民身份号码',
    // a person's ID number is masked even on the document; an enterprise's credit code is public (公示)
    holderIdShown: holderType === 'enterprise' ? i.holderIdNumber : maskIdNumber(i.holderIdNumber),
    itemName: i.itemName,
    applicationNumber: i.applicationNumber,
    particulars: i.particulars,
    decisionText: wording.decisionText,
    reasons: i.reasons ?? null,
    legalBasis: i.legalBasis ?? null,
    rightsNotice: wording.rightsNotice,
    validity: validityText({ kind: i.kind, approved: i.approved, validFrom: i.issuedOn, validUntil }),
    departmentName: i.departmentName,
    issuedOnText: chineseDate(i.issuedOn),
    verificationCode,
    verifyUrl,
    verifyPageUrl: base ? `${base}/verify` : '本平台“办理结果核验”页面（/verify）',
  };
  const pdf = await renderResultPdf(view);
  const sha256 = createHash('sha256').update(pdf).digest('hex');
  const storageKey = `results/${i.issuedOn.slice(0, 4)}/${randomUUID()}.pdf`;
  await deps.storage.put(storageKey, pdf, 'application/pdf');

  const content: ResultContent = {
    applicationNumber: i.applicationNumber,
    itemName: i.itemName,
    departmentName: i.departmentName,
    regionCode: i.regionCode,
    holderType,
    approved: i.approved,
    reasons: i.reasons ?? null,
    legalBasis: i.legalBasis ?? null,
    particulars: i.particulars,
    issuedOn: i.issuedOn,
    validFrom: validUntil ? i.issuedOn : null,
    decisionText: wording.decisionText,
    rightsNotice: wording.rightsNotice,
    verifyUrl,
    pdfBytes: pdf.length,
  };
  let id: number;
  try {
    const row = await trx
      .insertInto('application_results')
      .values({
        application_id: app.id,
        kind: i.kind,
        title: i.title,
        document_number: documentNumber,
        verification_code: verificationCode,
        holder_name: i.holderName,
        holder_id_number: i.holderIdNumber,
        content: JSON.stringify(content),
        valid_until: validUntil,
        sha256,
        storage: deps.storage.kind,
        storage_key: storageKey,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    id = Number(row.id);
    await recordAuditEvent(trx, {
      action: 'application.result_issued',
      actor: i.actor,
      target: { type: 'application_result', id: String(id) },
      details: {
        applicationId: app.id,
        applicationNumber: i.applicationNumber,
        kind: i.kind,
        approved: i.approved,
        title: i.title,
        documentNumber,
        verificationCode,
        sha256,
        bytes: pdf.length,
      },
    });
  } catch (err) {
    // nothing will point at the file: remove it (best effort; a leftover is harmless)
    await Promise.resolve()
      .then(() => deps.storage.delete(storageKey))
      .catch(() => undefined);
    // another transaction issued this application's result first
    if (isUniqueViolation(err)) throw new AppError('CONFLICT', '该办件已出具办理结果，不能重复出具', 'applicationId');
    throw err;
  }
  return { id, documentNumber, verificationCode };
}

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

function isDay(s: string): boolean {
  const m = DAY.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === s;
}

function text(field: string, label: string, value: unknown, max: number, required = true): string | undefined {
  if (value === undefined || value === null || (typeof value === 'string' && !value.trim())) {
    if (required) throw new InvalidParameterError(field, `请填写${label}`);
    return undefined;
  }
  if (typeof value !== 'string') throw new InvalidParameterError(field, `${label}必须是文字`);
  const v = value.trim();
  if ([...v].length > max) throw new InvalidParameterError(field, `${label}不能超过 ${max} 个字`);
  return v;
}

/** The input, trimmed and checked: a bad value is the caller's error (400 with the field), before anything is drawn. */
function validated(input: IssueResultInput): IssueResultInput {
  if (!Number.isSafeInteger(input.applicationId) || input.applicationId <= 0) throw new InvalidParameterError('applicationId', '办件标识不正确');
  if (!RESULT_KINDS.includes(input.kind)) throw new InvalidParameterError('kind', '结果类型只能是许可证、证书或决定书');
  if (typeof input.approved !== 'boolean') throw new InvalidParameterError('approved', '请说明准予还是不予');
  if (typeof input.regionCode !== 'string' || !/^[1-9]\d{5}$/.test(input.regionCode)) throw new InvalidParameterError('regionCode', '行政区划代码应为 6 位数字');
  if (typeof input.issuedOn !== 'string' || !isDay(input.issuedOn)) throw new InvalidParameterError('issuedOn', '出具日期格式应为 YYYY-MM-DD');
  const out: IssueResultInput = {
    ...input,
    applicationNumber: text('applicationNumber', '办件编号', input.applicationNumber, 64)!,
    itemName: text('itemName', '事项名称', input.itemName, 200)!,
    title: text('title', '文书名称', input.title, 40)!,
    holderName: text('holderName', '持有人名称', input.holderName, 100)!,
    holderIdNumber: text('holderIdNumber', '证件号码', input.holderIdNumber, 30)!,
    departmentName: text('departmentName', '出具部门', input.departmentName, 100)!,
    reasons: text('reasons', '不予许可的理由', input.reasons, 2000, false),
    legalBasis: text('legalBasis', '法律依据', input.legalBasis, 500, false),
  };
  if (!input.approved) {
    if (input.kind !== 'decision') throw new InvalidParameterError('kind', '不予许可应出具不予行政许可决定书');
    if (!out.reasons) throw new InvalidParameterError('reasons', '不予许可必须说明理由');
    if (!out.legalBasis) throw new InvalidParameterError('legalBasis', '不予许可必须载明法律依据');
    if (input.validYears !== undefined) throw new InvalidParameterError('validYears', '不予许可决定没有有效期');
  }
  if (input.validYears !== undefined && (!Number.isInteger(input.validYears) || input.validYears < 1 || input.validYears > 100)) {
    throw new InvalidParameterError('validYears', '有效期应为 1 至 100 年的整数');
  }
  if (!Array.isArray(input.particulars) || input.particulars.length > 40) throw new InvalidParameterError('particulars', '登记事项最多 40 项');
  out.particulars = input.particulars.map((p, n) => {
    const label = text(`particulars.${n}.label`, '登记事项名称', p?.label, 40)!;
    return { label, value: text(`particulars.${n}.value`, `登记事项“${label}”`, p?.value, 1000, false) ?? '' };
  });
  return out;
}
