import { sql, type Kysely, type Updateable } from 'kysely';
import type { DB, ImplItemVersionTable } from '../../db/schema.ts';
import { ItemNotFoundError, VersionStateError } from './catalogue.errors.ts';
import { InvalidParameterError } from '../../shared/errors.ts';
import { recordAuditEvent } from '../audit/record-audit-event.ts';
import type { AuditActor } from '../audit/audit.types.ts';

export type GuideChanges = Pick<
  Updateable<ImplItemVersionTable>,
  | 'name' | 'conditions' | 'legal_basis' | 'legal_days' | 'legal_days_note' | 'promised_days' | 'promised_days_note'
  | 'fee_standard' | 'fee_basis' | 'address' | 'office_hours' | 'consult_phone' | 'visits' | 'online_depth' | 'summary'
>;

/**
 * Starts a new draft version of an implementation item from its latest version, with changes applied.
 * The published version stays what the public sees until the draft is published. One open draft at a time.
 */
export async function createItemVersion(
  db: Kysely<DB>,
  input: { code: string; changes: GuideChanges; changeNote: string; actor: AuditActor },
): Promise<{ version: number }> {
  if (!input.changeNote.trim()) throw new InvalidParameterError('changeNote', '请填写本次修改的说明');
  const c = input.changes;
  return db.transaction().execute(async (trx) => {
    // lock the item row: two editors cannot open two drafts at once
    const item = await trx.selectFrom('impl_items').select(['code', 'latest_version']).where('code', '=', input.code).forUpdate().executeTakeFirst();
    if (!item) throw new ItemNotFoundError(input.code);
    const latest = await trx
      .selectFrom('impl_item_versions')
      .selectAll()
      .where('item_code', '=', input.code)
      .where('version', '=', item.latest_version)
      .executeTakeFirstOrThrow();
    if (latest.status === 'draft') throw new VersionStateError(`事项已有未发布的草稿（第 ${latest.version} 版），请先发布或修改该草稿`);
    // checked on the values the new version will have, changed or carried over
    const legal = Number(c.legal_days ?? latest.legal_days);
    const promised = Number(c.promised_days ?? latest.promised_days);
    if (legal > 0 && promised > legal) {
      throw new InvalidParameterError('promised_days', `承诺办结时限（${promised} 个工作日）不得超过法定办结时限（${legal} 个工作日）`);
    }
    const { id, created_at, published_at, ...base } = latest;
    const version = item.latest_version + 1;
    const inserted = await trx
      .insertInto('impl_item_versions')
      .values({
        ...base,
        ...c,
        steps: JSON.stringify(base.steps),
        form: base.form == null ? undefined : JSON.stringify(base.form),
        version,
        status: 'draft',
        change_note: input.changeNote.trim(),
        created_by: input.actor.id ?? input.actor.type,
        published_at: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await sql`
      INSERT INTO item_materials (version_id, seq, name, form, copies, required, condition, source, issuer, blank_form, sample, notes)
      SELECT ${inserted.id}, seq, name, form, copies, required, condition, source, issuer, blank_form, sample, notes
      FROM item_materials WHERE version_id = ${id}
    `.execute(trx);
    await trx.updateTable('impl_items').set({ latest_version: version, updated_at: sql`now()` }).where('code', '=', input.code).execute();
    await recordAuditEvent(trx, {
      action: 'catalogue.item_version.created',
      actor: input.actor,
      target: { type: 'impl_item', id: input.code },
      details: { version, changeNote: input.changeNote.trim(), changed: Object.keys(c).sort() },
    });
    return { version };
  });
}
