/**
 * Test helpers of the exchange tests: a provider (户籍 at 西湖区公安) with population records, consuming
 * departments, machine clients with the `data.exchange.read` scope and their bearer tokens (through the
 * OAuth token endpoint).
 */
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { createClient } from '../clients/create-client.ts';
import { SYSTEM_ACTOR } from '../audit/audit.types.ts';
import { residentId } from '../../testing/fixture-accounts.ts';

export interface Person {
  id_number: string;
  name: string;
  sex: string;
  birth_date: string;
  address: string;
  region_code: string;
}

/** `n` people, alternately registered in 西湖区 (330106) and 淳安县 (330122). */
export function population(n: number, seqFrom = 1): Person[] {
  const names = ['王小明', '李华', '张三丰', '赵敏', '陈静', '刘洋'];
  return Array.from({ length: n }, (_, i) => {
    const region = i % 2 === 0 ? '330106' : '330122';
    return {
      id_number: residentId(region, `1985${String((i % 12) + 1).padStart(2, '0')}15`, seqFrom + i),
      name: names[i % names.length]!,
      sex: i % 3 === 0 ? '女' : '男',
      birth_date: `1985-${String((i % 12) + 1).padStart(2, '0')}-15`,
      address: region === '330106' ? `浙江省杭州市西湖区文三路${i + 1}号` : `浙江省杭州市淳安县千岛湖镇${i + 1}号`,
      region_code: region,
    };
  });
}

/** A machine client of the department with the exchange scope, and a bearer token for it. */
export async function exchangeClient(
  app: FastifyInstance,
  db: Kysely<DB>,
  departmentCreditCode: string,
  name = '业务系统前置机',
  scopes: string[] = ['data.exchange.read'],
): Promise<{ clientId: string; token: string; headers: Record<string, string> }> {
  const c = await createClient(db, { name, department: departmentCreditCode, scopes }, { principal: 'system', actor: SYSTEM_ACTOR });
  const basic = `Basic ${Buffer.from(`${c.clientId}:${c.clientSecret}`).toString('base64')}`;
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/oauth/token',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic },
    payload: 'grant_type=client_credentials',
  });
  assert.equal(res.statusCode, 200, res.body);
  const token = (res.json() as { access_token: string }).access_token;
  return { clientId: c.clientId, token, headers: { authorization: `Bearer ${token}` } };
}

/** A lookup path with purpose and case (each may be left out). */
export function lookupPath(code: string, key: string, q: { purpose?: string | null; case?: string | null; items?: string; onBehalfOf?: string } = {}): string {
  const p = new URLSearchParams();
  if (q.purpose !== null) p.set('purpose', q.purpose ?? '办理户籍业务核验身份');
  if (q.case !== null) p.set('case', q.case ?? 'SQ20260001');
  if (q.items) p.set('items', q.items);
  if (q.onBehalfOf) p.set('onBehalfOf', q.onBehalfOf);
  return `/api/v1/exchange/resources/${encodeURIComponent(code)}/records/${encodeURIComponent(key)}?${p.toString()}`;
}
