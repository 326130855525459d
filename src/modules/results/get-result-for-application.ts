/**
 * The result of an application, for its pages (the applicant's 我的办件 and the staff detail view), or null while
 * none has been issued. It checks no access: call it after the caller has checked access to the application.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { ResultContent, ResultSummary } from './results.types.ts';

export async function getResultForApplication(db: Kysely<DB>, applicationId: number): Promise<ResultSummary | null> {
  const row = await db
    .selectFrom('application_results')
    .select(['id', 'application_id', 'kind', 'title', 'document_number', 'verification_code', 'content', 'issued_at', 'valid_until', 'revoked_at', 'sha256'])
    .where('application_id', '=', applicationId)
    .executeTakeFirst();
  if (!row) return null;
  const c = row.content as unknown as ResultContent;
  return {
    id: Number(row.id),
    applicationId: Number(row.application_id),
    kind: row.kind,
    title: row.title,
    documentNumber: row.document_number,
    verificationCode: row.verification_code,
    approved: c.approved,
    issuedOn: c.issuedOn,
    issuedAt: new Date(row.issued_at).toISOString(),
    validUntil: row.valid_until,
    revokedAt: row.revoked_at ? new Date(row.revoked_at).toISOString() : null,
    sha256: row.sha256,
    downloadUrl: `/api/v1/results/${row.id}/pdf`,
    verifyPath: `/verify?code=${row.verification_code}`,
  };
}
