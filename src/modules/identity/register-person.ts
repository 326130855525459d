import type { IdentityDeps, RequestFacts, StartedSession } from './identity.types.ts';
import { normaliseIdNumber, normaliseMobile, normaliseName, ageFromIdNumber } from './identity.validation.ts';
import { checkPasswordStrength, hashPassword } from './passwords.ts';
import { checkOneTimeCode, consumeOneTimeCode } from './one-time-codes.ts';
import { AlreadyRegisteredError } from './identity.errors.ts';
import { InvalidParameterError } from '../../shared/errors.ts';
import { createSession } from '../sessions/session-store.ts';
import { recordAuditEvent } from '../audit/record-audit-event.ts';

export interface RegisterPersonInput {
  mobile: string;
  code: string; // 短信验证码
  name: string;
  idNumber: string; // 公民身份号码
  password: string;
}

/**
 * Step 2 of registration (自然人注册): validates everything first, then in one transaction creates the account,
 * uses up the code, starts the first session and writes the audit event. Nothing is half-written.
 */
export async function registerPerson(deps: IdentityDeps, input: RegisterPersonInput, from: RequestFacts): Promise<StartedSession> {
  const mobile = normaliseMobile(input.mobile);
  const name = normaliseName(input.name);
  const idNumber = normaliseIdNumber(input.idNumber);
  if (ageFromIdNumber(idNumber) < 16) {
    throw new InvalidParameterError('idNumber', '未满 16 周岁的未成年人请由父母在“我的代办”中添加，无需单独注册');
  }
  checkPasswordStrength(input.password, { mobile, idNumber });
  const codeId = await checkOneTimeCode(deps.db, { purpose: 'register', destination: mobile, code: input.code.trim() });
  const passwordHash = await hashPassword(input.password);
  return deps.db.transaction().execute(async (trx) => {
    const clash = await trx
      .selectFrom('accounts')
      .select(['id_number', 'mobile'])
      .where('kind', '=', 'person')
      .where((eb) => eb.or([eb('id_number', '=', idNumber), eb('mobile', '=', mobile)]))
      .executeTakeFirst();
    if (clash) throw new AlreadyRegisteredError(clash.id_number === idNumber ? 'idNumber' : 'mobile');
    await consumeOneTimeCode(trx, codeId);
    const account = await trx
      .insertInto('accounts')
      .values({ kind: 'person', name, id_number: idNumber, mobile, password_hash: passwordHash, status: 'active', staff_no: null, department_id: null })
      .returning('id')
      .executeTakeFirstOrThrow();
    const s = await createSession(trx, { accountId: account.id, authMethod: 'password', ip: from.ip, userAgent: from.userAgent, timeouts: deps.timeouts });
    await recordAuditEvent(trx, {
      action: 'auth.registered',
      actor: { type: 'citizen', id: account.id, ...from },
      target: { type: 'account', id: account.id },
      details: { sessionId: s.id },
    });
    return { token: s.token, sessionId: s.id, csrfToken: s.csrfToken, accountId: account.id, kind: 'person', absoluteExpiresAt: s.absoluteExpiresAt };
  });
}
