/**
 * The demo's machine client of the exchange (an integrator's first call, out of the box): 浙江省民政厅's
 * 婚姻登记系统（演示）, scope `data.exchange.read`, with the published demo secret, and a grant to it on
 * 户籍人口基本信息 — five items, the personal ones masked. A demo database only (like the demo accounts' password):
 * a deployment seeds nothing. Run after the shared data; skips what exists.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { recordAuditEvents } from '../modules/audit/record-audit-event.ts';
import { SYSTEM_ACTOR, type AuditEventInput } from '../modules/audit/audit.types.ts';
import { sha256Hex } from '../shared/tokens.ts';
import { DEMO_RESOURCE_CODES } from './data-resources.seed.ts';

export const DEMO_EXCHANGE_CLIENT_ID = 'yw_000000000000de01';
export const DEMO_EXCHANGE_CLIENT_SECRET = 'yiwang-demo-exchange-secret';
export const DEMO_EXCHANGE_ITEMS = ['id_number', 'name', 'sex', 'birth_date', 'address'];

export async function seedDemoExchangeClient(db: Kysely<DB>): Promise<{ clients: number; grants: number }> {
  return db.transaction().execute(async (trx) => {
    const dept = await trx.selectFrom('departments').select(['id']).where('region_code', '=', '330000').where('kind', '=', 'civil_affairs').executeTakeFirst();
    const resource = await trx.selectFrom('data_resources').select(['id', 'code']).where('code', '=', DEMO_RESOURCE_CODES.population).executeTakeFirst();
    const exists = await trx.selectFrom('api_clients').select('client_id').where('client_id', '=', DEMO_EXCHANGE_CLIENT_ID).executeTakeFirst();
    if (!dept || !resource || exists) return { clients: 0, grants: 0 };
    const scopes = ['data.exchange.read'];
    const name = '婚姻登记系统（演示接入应用）';
    await trx
      .insertInto('api_clients')
      .values({ client_id: DEMO_EXCHANGE_CLIENT_ID, name, department_id: dept.id, scopes, secret_hash: sha256Hex(DEMO_EXCHANGE_CLIENT_SECRET), created_by: 'system' })
      .execute();
    const expiresAt = new Date(Date.now() + 365 * 86_400_000);
    const purpose = '办理婚姻登记时核验当事人的户籍信息';
    const legalBasis = '《婚姻登记条例》；《政务数据共享条例》（国务院令第809号）';
    const scenario = '婚姻登记（演示接入应用）';
    const grant = await trx
      .insertInto('share_grants')
      .values({
        request_id: null,
        resource_id: resource.id,
        consumer_department_id: dept.id,
        client_id: DEMO_EXCHANGE_CLIENT_ID,
        items: DEMO_EXCHANGE_ITEMS,
        clear_items: [],
        row_filter: JSON.stringify({}),
        purpose,
        legal_basis: legalBasis,
        scenario,
        item_code: null,
        rate_per_minute: 600,
        expires_at: expiresAt,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const events: AuditEventInput[] = [
      { action: 'client.created', actor: SYSTEM_ACTOR, target: { type: 'client', id: DEMO_EXCHANGE_CLIENT_ID }, details: { name, departmentId: dept.id, scopes, demo: true } },
      {
        action: 'share.granted',
        actor: SYSTEM_ACTOR,
        target: { type: 'share_grant', id: String(grant.id) },
        details: {
          resource: resource.code, consumerDepartmentId: dept.id, client: DEMO_EXCHANGE_CLIENT_ID, items: DEMO_EXCHANGE_ITEMS, clearItems: [], rowFilter: {}, purpose, legalBasis,
          scenario, expiresAt: expiresAt.toISOString(), ratePerMinute: 600, demo: true,
        },
      },
    ];
    await recordAuditEvents(trx, events);
    return { clients: 1, grants: 1 };
  });
}
