/**
 * 撤回同意: the applicant withdraws the consent given for a draft. What was obtained by sharing is dropped — the
 * filled field values are cleared from the draft (the applicant types them in) and the exempted materials need
 * uploads again. The accesses already made stay in the audit log as evidence.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { PersonPrincipal } from '../access/principal.ts';
import { NotFoundError } from '../../shared/errors.ts';
import { getDraft } from '../applications/save-draft.ts';

export async function withdrawSharedData(db: Kysely<DB>, p: PersonPrincipal, input: { itemCode: string }): Promise<{ removed: number }> {
  const draft = await getDraft(db, p, input.itemCode);
  if (!draft) throw new NotFoundError('草稿不存在', 'itemCode');
  return db.transaction().execute(async (trx) => {
    const current = await trx.selectFrom('application_drafts').select(['id', 'form_data']).where('id', '=', draft.id).where('account_id', '=', p.accountId).forUpdate().executeTakeFirst();
    if (!current) throw new NotFoundError('草稿不存在', 'itemCode');
    const gone = await trx.deleteFrom('draft_shared_data').where('draft_id', '=', draft.id).returning(['target', 'target_key', 'status']).execute();
    const formData = { ...(current.form_data as Record<string, unknown>) };
    // every value the platform put into the draft has a `filled` entry (a new fill clears what it does not fill
    // again, prefill-from-exchange.ts), so these are exactly the fields to clear
    for (const g of gone) if (g.target === 'field' && g.status === 'filled') delete formData[g.target_key];
    await trx.updateTable('application_drafts').set({ form_data: JSON.stringify(formData), updated_at: new Date() }).where('id', '=', draft.id).execute();
    return { removed: gone.length };
  });
}
