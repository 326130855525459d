/**
 * Downloads a result's PDF. Who may: the person who submitted the application, anyone who may act for its
 * applicant (the person themself, an enterprise's legal representative, a person acting under a delegation in
 * force for that applicant and item — canActFor), and staff holding 'application.handle' over the application's
 * department. Everyone else gets the same 404 as for an id that does not exist, so ids reveal nothing.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { NotFoundError } from '../../shared/errors.ts';
import { can } from '../access/authorize.ts';
import type { Principal } from '../access/principal.ts';
import type { BlobStorage } from '../attachments/blob-storage.ts';
import { canActFor } from '../delegation/can-act-for.ts';

export interface ResultFile {
  bytes: Buffer;
  fileName: string; // 食品经营许可证-330106许〔2026〕…号.pdf
  sha256: string;
}

const NOT_FOUND = '办理结果不存在或您无权查看';

export async function getResultPdf(db: Kysely<DB>, storage: BlobStorage, p: Principal, resultId: number): Promise<ResultFile> {
  const row = await db
    .selectFrom('application_results as r')
    .innerJoin('applications as a', 'a.id', 'r.application_id')
    .innerJoin('departments as d', 'd.id', 'a.department_id')
    .innerJoin('impl_items as i', 'i.code', 'a.item_code')
    .select([
      'r.title',
      'r.document_number',
      'r.sha256',
      'r.storage_key',
      'a.submitted_by',
      'a.subject_type',
      'a.subject_id',
      'a.department_id',
      'd.kind as department_kind',
      'd.region_code as department_region',
      'i.basic_code',
    ])
    .where('r.id', '=', resultId)
    .executeTakeFirst();
  if (!row) throw new NotFoundError(NOT_FOUND);
  let allowed = false;
  if (p.kind === 'person') {
    // an enterprise's result: whoever acts for it now (a revoked agent who submitted the application no longer does)
    allowed = (row.subject_type === 'person' && row.submitted_by === p.accountId) || (await canActFor(db, p, { type: row.subject_type, id: row.subject_id }, row.basic_code));
  } else {
    allowed = can(p, 'application.handle', { departmentId: row.department_id, departmentKind: row.department_kind, regionCode: row.department_region });
  }
  if (!allowed) throw new NotFoundError(NOT_FOUND);
  const bytes = await storage.get(row.storage_key);
  return { bytes, fileName: `${row.title}-${row.document_number}.pdf`, sha256: row.sha256 };
}
