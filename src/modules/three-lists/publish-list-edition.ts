/**
 * 发布: the reviewer (lists.publish over the department) publishes an edition in review. In one transaction:
 * the edition becomes version (previous + 1) and `published`, the previous published edition becomes
 * `superseded` (kept with all its entries), the list revision moves (servers reload the public lists), and
 * `list.published` records the version and how many entries were added, changed and removed. Any failure
 * rolls all of it back: nothing is ever half-published.
 */
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { Principal } from '../access/principal.ts';
import type { AuditActor } from '../audit/audit.types.ts';
import { recordAuditEvent } from '../audit/record-audit-event.ts';
import { AppError, InvalidParameterError, NotFoundError } from '../../shared/errors.ts';
import { diffEntries } from './diff-list-editions.ts';
import { accountOf, assertMayReview, findListDepartment } from './list-access.ts';
import { entryOf } from './three-lists.editions.ts';

export interface PublishResult {
  editionId: number;
  version: number;
  supersededEditionId: number | null;
  added: number;
  changed: number;
  removed: number;
  entryCount: number;
  revision: number;
}

export async function publishListEdition(db: Kysely<DB>, p: Principal, editionId: number, input: { comment?: string }, actor: AuditActor): Promise<PublishResult> {
  const comment = (input.comment ?? '').trim();
  if (comment.length > 1000) throw new InvalidParameterError('comment', '审核意见不能超过 1000 个字');
  const ed = await db.selectFrom('list_editions').select(['id', 'list_kind', 'department_id']).where('id', '=', editionId).executeTakeFirst();
  if (!ed) throw new NotFoundError('该清单版本不存在', 'editionId');
  const d = await findListDepartment(db, ed.department_id);
  await assertMayReview(db, p, ed.list_kind, d, actor);
  const kind = ed.list_kind;

  return db.transaction().execute(async (trx) => {
    const cur = await trx.selectFrom('list_editions').select(['status']).where('id', '=', editionId).forUpdate().executeTakeFirstOrThrow();
    if (cur.status !== 'in_review') throw new AppError('CONFLICT', '只有待审核的清单可以发布（该版本尚未提交、已发布或已退回）', 'status');
    const previous = await trx
      .selectFrom('list_editions')
      .select(['id', 'version'])
      .where('list_kind', '=', kind)
      .where('department_id', '=', d.id)
      .where('status', '=', 'published')
      .forUpdate()
      .executeTakeFirst();
    const last = await trx
      .selectFrom('list_editions')
      .select((eb) => eb.fn.max('version').as('v'))
      .where('list_kind', '=', kind)
      .where('department_id', '=', d.id)
      .executeTakeFirstOrThrow();
    const version = Number(last.v ?? 0) + 1;
    const [entries, before] = [
      (await trx.selectFrom('list_entries').select('data').where('edition_id', '=', editionId).execute()).map((e) => entryOf(e.data)),
      previous ? (await trx.selectFrom('list_entries').select('data').where('edition_id', '=', previous.id).execute()).map((e) => entryOf(e.data)) : [],
    ];
    const diff = diffEntries(before, entries);
    const counts = { added: diff.added.length, changed: diff.changed.length, removed: diff.removed.length };
    const now = new Date();
    if (previous) await trx.updateTable('list_editions').set({ status: 'superseded', updated_at: now }).where('id', '=', previous.id).execute();
    await trx
      .updateTable('list_editions')
      .set({
        status: 'published',
        version,
        published_by: accountOf(p),
        published_at: now,
        updated_at: now,
        entry_count: entries.length,
        ...(comment ? { review_comment: comment } : {}),
      })
      .where('id', '=', editionId)
      .execute();
    const rev = await trx
      .updateTable('list_revision')
      .set({ revision: sql<number>`revision + 1` })
      .where('id', '=', 1)
      .returning('revision')
      .executeTakeFirstOrThrow();
    await recordAuditEvent(trx, {
      action: 'list.published',
      actor,
      target: { type: 'list_edition', id: String(editionId) },
      details: { kind, departmentId: d.id, version, supersededEditionId: previous?.id ?? null, entryCount: entries.length, ...counts, ...(comment ? { comment } : {}) },
    });
    return { editionId, version, supersededEditionId: previous?.id ?? null, ...counts, entryCount: entries.length, revision: Number(rev.revision) };
  });
}
