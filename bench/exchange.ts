/**
 * The exchange-lookup bench scenario's data: a published 户籍 resource of `records` people (created once,
 * reused while it holds that many), a machine client with the `data.exchange.read` scope, a grant with
 * masking (ID number, name and address masked; a rate far above what the bench sends), and a bearer token
 * written straight to client_tokens as issue-client-token.ts does. Returns the token and lookup paths (with
 * purpose and case reference) for existing keys.
 */
import { sql, type Kysely } from 'kysely';
import type { DataItem, DB } from '../src/db/schema.ts';
import { createClient } from '../src/modules/clients/create-client.ts';
import { SYSTEM_ACTOR } from '../src/modules/audit/audit.types.ts';
import { residentIdCheckChar } from '../src/shared/codes/resident-id.ts';
import { randomToken, sha256Hex } from '../src/shared/tokens.ts';

export const EXCHANGE_RESOURCE_CODE = 'BENCH-HJRK-001';
const PATHS = 2000;

const ITEMS: DataItem[] = [
  { key: 'id_number', name: '公民身份号码', type: 'resident_id', required: true, personal: true, mask: 'resident_id' },
  { key: 'name', name: '姓名', type: 'text', required: true, personal: true, mask: 'name' },
  { key: 'sex', name: '性别', type: 'text', required: true, personal: false },
  { key: 'birth_date', name: '出生日期', type: 'date', required: true, personal: true, mask: 'full' },
  { key: 'address', name: '户籍地址', type: 'text', required: true, personal: true, mask: 'address' },
  { key: 'region_code', name: '户籍地行政区划代码', type: 'text', required: true, personal: false },
];

const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗';
const GIVEN = ['伟', '芳', '娜', '秀英', '敏', '静', '丽', '强', '磊', '军', '洋', '勇', '艳', '杰', '娟'];

/** Person `i`: a valid resident ID (born 1950–1999), a name, an address. */
function person(i: number): Record<string, string> {
  const year = 1950 + (i % 50);
  const month = 1 + (Math.floor(i / 50) % 12);
  const day = 1 + (Math.floor(i / 600) % 28);
  const seq = Math.floor(i / 16_800) % 1000;
  const first17 = `330106${year}${String(month).padStart(2, '0')}${String(day).padStart(2, '0')}${String(seq).padStart(3, '0')}`;
  const id = first17 + residentIdCheckChar(first17);
  return {
    id_number: id,
    name: SURNAMES[i % SURNAMES.length]! + GIVEN[i % GIVEN.length]!,
    sex: Number(first17[16]) % 2 === 1 ? '男' : '女',
    birth_date: `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`,
    address: `浙江省杭州市西湖区文三路${(i % 999) + 1}号${(i % 30) + 1}幢`,
    region_code: '330106',
  };
}

export async function prepareExchangeBench(o: { db: Kysely<DB>; records: number }): Promise<{ token: string; paths: string[] }> {
  const { db, records } = o;
  if (records > 16_800_000) throw new RangeError('at most 16,800,000 distinct people');
  const provider = await db.selectFrom('departments').select(['id']).where('kind', '=', 'public_security').orderBy('id').executeTakeFirstOrThrow();
  const consumer = await db.selectFrom('departments').select(['id', 'credit_code']).where('kind', '=', 'civil_affairs').orderBy('id').executeTakeFirstOrThrow();

  // the resource, once
  let resource = await db.selectFrom('data_resources').select(['id', 'record_count']).where('code', '=', EXCHANGE_RESOURCE_CODE).executeTakeFirst();
  if (resource && Number(resource.record_count) !== records) {
    await db.transaction().execute(async (trx) => {
      await trx.deleteFrom('data_records').where('resource_id', '=', resource!.id).execute();
      await trx.updateTable('data_resources').set({ record_count: 0, data_version: 0 }).where('id', '=', resource!.id).execute();
    });
  }
  if (!resource) {
    resource = await db
      .insertInto('data_resources')
      .values({
        code: EXCHANGE_RESOURCE_CODE,
        name: '基准测试：户籍人口基本信息',
        provider_department_id: provider.id,
        catalogue_kind: 'base',
        base_library: 'population',
        classification: '人口/户籍',
        abstract: '基准测试用的户籍人口数据',
        format: 'table',
        items: JSON.stringify(ITEMS),
        key_item: 'id_number',
        share_type: 'conditional',
        share_conditions: '仅限办理政务服务事项时使用',
        open_type: 'closed',
        update_cycle: 'daily',
        grade: 'important',
        status: 'published',
        published_at: new Date(),
        updated_at: new Date(),
      })
      .returning(['id', 'record_count'])
      .executeTakeFirstOrThrow();
  }
  const resourceId = resource.id;
  const have = await db.selectFrom('data_resources').select('record_count').where('id', '=', resourceId).executeTakeFirstOrThrow();
  if (Number(have.record_count) !== records) {
    const BATCH = 5000;
    for (let start = 0; start < records; start += BATCH) {
      const keys: string[] = [];
      const data: string[] = [];
      for (let i = start; i < Math.min(records, start + BATCH); i++) {
        const p = person(i);
        keys.push(p.id_number!);
        data.push(JSON.stringify(p));
      }
      await sql`INSERT INTO data_records (resource_id, record_key, data, added_in) SELECT ${resourceId}, k, d::jsonb, 1 FROM unnest(${keys}::text[], ${data}::text[]) AS t(k, d)`.execute(db);
    }
    await db.updateTable('data_resources').set({ record_count: records, data_version: 1 }).where('id', '=', resourceId).execute();
  }

  // a client, its grant (masking as declared) and a token: new for each run
  const c = await createClient(db, { name: '基准测试业务系统', department: consumer.credit_code, scopes: ['data.exchange.read'] }, { principal: 'system', actor: SYSTEM_ACTOR });
  await db
    .insertInto('share_grants')
    .values({
      resource_id: resourceId,
      consumer_department_id: consumer.id,
      client_id: c.clientId,
      items: ['id_number', 'name', 'sex', 'address'],
      clear_items: [],
      row_filter: JSON.stringify({}),
      purpose: '基准测试：办理政务服务事项核验身份',
      legal_basis: '《政务数据共享条例》',
      scenario: '基准测试',
      rate_per_minute: 1_000_000,
      expires_at: new Date(Date.now() + 7 * 86_400_000),
    })
    .execute();
  const token = randomToken();
  await db
    .insertInto('client_tokens')
    .values({ token_hash: sha256Hex(token), client_id: c.clientId, scopes: ['data.exchange.read'], expires_at: sql<Date>`now() + interval '1 day'` })
    .execute();

  const n = Math.min(records, PATHS);
  const step = Math.max(1, Math.floor(records / n));
  const paths: string[] = [];
  for (let j = 0; j < n; j++) {
    const key = person(j * step).id_number!;
    paths.push(`/api/v1/exchange/resources/${EXCHANGE_RESOURCE_CODE}/records/${key}?purpose=${encodeURIComponent('办理户籍业务核验身份')}&case=BENCH-${String(j).padStart(6, '0')}`);
  }
  return { token, paths };
}
