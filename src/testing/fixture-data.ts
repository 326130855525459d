/**
 * Data-exchange fixtures for tests, written straight to the tables: a published resource with records at data
 * version 1, and a grant. Loading, requesting and approving are tested on their own (data-catalogue,
 * data-sharing); these let the exchange and once-only tests start from a known state.
 */
import type { Kysely } from 'kysely';
import type { DataItem, DB, RowFilter, ShareType } from '../db/schema.ts';

/** 户籍人口 (the population base library), as the demo declares it. */
export const POPULATION_ITEMS: DataItem[] = [
  { key: 'id_number', name: '公民身份号码', type: 'resident_id', required: true, personal: true, mask: 'resident_id' },
  { key: 'name', name: '姓名', type: 'text', required: true, personal: true, mask: 'name' },
  { key: 'sex', name: '性别', type: 'text', required: true, personal: false },
  { key: 'birth_date', name: '出生日期', type: 'date', required: true, personal: true, mask: 'full' },
  { key: 'address', name: '户籍地址', type: 'text', required: true, personal: true, mask: 'address' },
  { key: 'region_code', name: '户籍地行政区划代码', type: 'text', required: true, personal: false },
];

export interface TestResourceInput {
  code?: string;
  name?: string;
  providerDepartmentId: number;
  shareType?: ShareType;
  items?: DataItem[];
  keyItem?: string;
  records?: Record<string, unknown>[];
  status?: 'draft' | 'published' | 'retired';
}

let serial = 0;

export async function createTestResource(db: Kysely<DB>, o: TestResourceInput): Promise<{ id: number; code: string }> {
  serial++;
  const items = o.items ?? POPULATION_ITEMS;
  const keyItem = o.keyItem ?? items[0]!.key;
  const code = o.code ?? `TEST-${String(serial).padStart(4, '0')}`;
  const records = o.records ?? [];
  return db.transaction().execute(async (trx) => {
    const r = await trx
      .insertInto('data_resources')
      .values({
        code,
        name: o.name ?? `测试资源${serial}`,
        provider_department_id: o.providerDepartmentId,
        catalogue_kind: 'base',
        base_library: 'population',
        classification: '人口/户籍',
        abstract: '测试用数据资源',
        format: 'table',
        items: JSON.stringify(items),
        key_item: keyItem,
        share_type: o.shareType ?? 'conditional',
        share_conditions: o.shareType === 'unconditional' ? '' : '仅限办理政务服务事项时使用',
        open_type: 'closed',
        update_cycle: 'daily',
        grade: 'important',
        status: o.status ?? 'published',
        published_at: o.status === 'draft' ? null : new Date(),
        data_version: records.length ? 1 : 0,
        record_count: records.length,
        updated_at: new Date(),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx.insertInto('data_resource_versions').values({ resource_id: r.id, version: 1, snapshot: JSON.stringify({ code, items, keyItem }), note: '测试数据' }).execute();
    if (records.length) {
      await trx.insertInto('data_loads').values({ resource_id: r.id, version: 1, mode: 'full', status: 'applied', rows_read: records.length, rows_upserted: records.length, finished_at: new Date() }).execute();
      for (let i = 0; i < records.length; i += 500) {
        await trx
          .insertInto('data_records')
          .values(records.slice(i, i + 500).map((data) => ({ resource_id: r.id, record_key: String(data[keyItem]), data: JSON.stringify(data), added_in: 1, removed_in: null })))
          .execute();
      }
    }
    return { id: r.id, code };
  });
}

export interface TestGrantInput {
  resourceId: number;
  consumerDepartmentId: number;
  clientId?: string | null;
  items: string[];
  clearItems?: string[];
  rowFilter?: RowFilter;
  expiresAt?: Date;
  ratePerMinute?: number;
  purpose?: string;
  itemCode?: string | null;
}

export async function createTestGrant(db: Kysely<DB>, o: TestGrantInput): Promise<{ id: number }> {
  return db
    .insertInto('share_grants')
    .values({
      resource_id: o.resourceId,
      consumer_department_id: o.consumerDepartmentId,
      client_id: o.clientId ?? null,
      items: o.items,
      clear_items: o.clearItems ?? [],
      row_filter: JSON.stringify(o.rowFilter ?? {}),
      purpose: o.purpose ?? '办理政务服务事项核验身份',
      legal_basis: '《政务数据共享条例》',
      scenario: '测试场景',
      item_code: o.itemCode ?? null,
      rate_per_minute: o.ratePerMinute ?? 600,
      expires_at: o.expiresAt ?? new Date(Date.now() + 30 * 86_400_000),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
}
