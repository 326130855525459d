import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { AuditActor } from '../audit/audit.types.ts';
import { recordAuditEvent } from '../audit/record-audit-event.ts';
import { normaliseCreditCode } from '../identity/identity.validation.ts';
import { ForbiddenError } from '../../shared/errors.ts';
import { EnterpriseAlreadyRegisteredError } from './delegation.errors.ts';
import type { EnterpriseSummary } from './delegation.types.ts';
import { eighteenthBirthday, normaliseEnterpriseName } from './delegation.validation.ts';

export interface RegisterEnterpriseInput {
  creditCode: string; // 统一社会信用代码
  name: string; // 企业名称
}

/**
 * 登记法人: a signed-in person registers an enterprise they legally represent; the legal representative
 * (法定代表人) is that person and their real name is recorded as `legal_rep_name`.
 *
 * There is no connection to the market-regulation registry (国家企业信用信息公示系统 / 市场监管登记) yet, so the
 * platform can check only that the credit code is well formed (check character) and not taken — not that the
 * enterprise exists or that this person is its legal representative. A deployment must verify against the
 * registry here before enterprises can be trusted; the page says that the statement is the person's own.
 */
export async function registerEnterprise(db: Kysely<DB>, accountId: string, input: RegisterEnterpriseInput, actor: AuditActor): Promise<EnterpriseSummary> {
  const creditCode = normaliseCreditCode(input.creditCode);
  const name = normaliseEnterpriseName(input.name);
  try {
    return await db.transaction().execute(async (trx) => {
      const me = await trx.selectFrom('accounts').select(['name', 'id_number']).where('id', '=', accountId).where('kind', '=', 'person').executeTakeFirst();
      if (!me?.id_number) throw new ForbiddenError('仅实名注册的个人可以登记企业');
      if (eighteenthBirthday(me.id_number).getTime() > Date.now()) throw new ForbiddenError('未成年人不能登记为企业法定代表人');
      const taken = await trx.selectFrom('enterprises').select('id').where('credit_code', '=', creditCode).executeTakeFirst();
      if (taken) throw new EnterpriseAlreadyRegisteredError();
      const row = await trx
        .insertInto('enterprises')
        .values({ credit_code: creditCode, name, legal_rep_name: me.name, legal_rep_account_id: accountId })
        .returning(['id', 'created_at'])
        .executeTakeFirstOrThrow();
      await recordAuditEvent(trx, {
        action: 'account.enterprise_registered',
        actor,
        target: { type: 'enterprise', id: row.id },
        details: { creditCode, name },
      });
      return { id: row.id, creditCode, name, legalRepName: me.name, createdAt: new Date(row.created_at).toISOString() };
    });
  } catch (err) {
    // two registrations of one code at the same moment: the unique index decides
    if ((err as { code?: string }).code === '23505') throw new EnterpriseAlreadyRegisteredError();
    throw err;
  }
}
