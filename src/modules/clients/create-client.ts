/** Creates a machine client (新增接入应用) for a department; its secret is returned once and only its hash is kept. */
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { CLIENT_SCOPES, type ClientScope } from '../access/permissions.ts';
import { recordAuditEvent } from '../audit/record-audit-event.ts';
import { normaliseCreditCode } from '../identity/identity.validation.ts';
import { InvalidParameterError } from '../../shared/errors.ts';
import { randomToken, sha256Hex } from '../../shared/tokens.ts';
import { assertManages, selectClients, toSummary } from './client-records.ts';
import type { ClientManager, ClientSummary, IssuedSecret } from './clients.types.ts';

export interface CreateClientInput {
  name: string;
  /** The department's unified social credit code (统一社会信用代码); the client acts for it alone. */
  department: string;
  scopes: readonly string[];
}

export async function createClient(db: Kysely<DB>, input: CreateClientInput, by: ClientManager): Promise<IssuedSecret & { client: ClientSummary }> {
  const name = normaliseClientName(input.name);
  const creditCode = normaliseCreditCode(input.department, 'department');
  const scopes = normaliseScopes(input.scopes);
  const dept = await db.selectFrom('departments').select(['id', 'kind', 'region_code']).where('credit_code', '=', creditCode).executeTakeFirst();
  if (!dept) throw new InvalidParameterError('department', '未找到该统一社会信用代码对应的部门');
  assertManages(by, { id: dept.id, kind: dept.kind, regionCode: dept.region_code });

  const clientSecret = randomToken();
  return db.transaction().execute(async (trx) => {
    let clientId = '';
    // 64 random bits: a collision is all but impossible, and would only mean another draw
    for (let attempt = 0; !clientId && attempt < 5; attempt++) {
      const candidate = newClientId();
      const r = await trx
        .insertInto('api_clients')
        .values({ client_id: candidate, name, department_id: dept.id, scopes, secret_hash: sha256Hex(clientSecret), created_by: by.actor.id ?? by.actor.type })
        .onConflict((oc) => oc.column('client_id').doNothing())
        .returning('client_id')
        .executeTakeFirst();
      if (r) clientId = r.client_id;
    }
    if (!clientId) throw new Error('could not draw a unique client id');
    await recordAuditEvent(trx, {
      action: 'client.created',
      actor: by.actor,
      target: { type: 'client', id: clientId },
      details: { name, departmentId: dept.id, scopes },
    });
    const row = await selectClients(trx).where('c.client_id', '=', clientId).executeTakeFirstOrThrow();
    return { clientId, clientSecret, client: toSummary(row) };
  });
}

/** `yw_` and 16 hex digits: readable in logs and configuration, and never mistaken for a secret. */
function newClientId(): string {
  return `yw_${randomBytes(8).toString('hex')}`;
}

export function normaliseClientName(value: string): string {
  const v = value.trim().replace(/\s+/g, ' ');
  // letters of any script, digits, spaces and common punctuation; no control characters
  if (v.length < 2 || v.length > 60 || /[\p{Cc}\p{Cf}]/u.test(v)) throw new InvalidParameterError('name', '请填写接入应用名称（2–60 个字）');
  return v;
}

/** Each scope once, each one a known client scope; at least one. */
export function normaliseScopes(values: readonly string[]): ClientScope[] {
  const out: ClientScope[] = [];
  for (const raw of values) {
    const s = raw.trim();
    if (!s) continue;
    if (!(CLIENT_SCOPES as readonly string[]).includes(s)) throw new InvalidParameterError('scopes', `未知的权限范围：${s.slice(0, 50)}`);
    if (!out.includes(s as ClientScope)) out.push(s as ClientScope);
  }
  if (!out.length) throw new InvalidParameterError('scopes', '请至少选择一项权限范围');
  return out;
}
