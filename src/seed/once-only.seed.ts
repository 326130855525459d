/**
 * Demo of once-only (免提交, 一次不用跑): common services of the demo catalogue whose form fields or materials
 * are declared as obtainable from the demo's shared resources (src/seed/data-resources.seed.ts), and for each
 * handling department an active grant (share_grants) naming the service — the exact items, the personal items
 * it needs in clear, purpose, legal basis, scenario, expiry a year ahead — so that 王芳 and 李建国 can apply
 * with 同意并获取 end to end.
 *
 * Declared for every implementation of the service in the demo regions' chains (西湖区 and 桐庐县, 杭州市, 浙江省).
 * Idempotent: declarations already present are kept, and a department that already holds an active grant of
 * the resource for the service gets no second one. Needs the demo resources: run after seedDemoDataResources.
 */
import type { Kysely } from 'kysely';
import type { DataItem, DB } from '../db/schema.ts';
import { recordAuditEvents } from '../modules/audit/record-audit-event.ts';
import { SYSTEM_ACTOR, type AuditEventInput } from '../modules/audit/audit.types.ts';
import { DEMO_RESOURCE_CODES, type DemoResourceKey } from './data-resources.seed.ts';

interface Declaration {
  target: 'field' | 'material';
  key: string; // form field key or material slot key (m1 …)
  resource: DemoResourceKey;
  dataItem?: string; // field: the resource's item that fills it
  label: string; // shown on the consent
}

interface OnceOnlyService {
  basicCode: string; // as the demo catalogue codes it (for reference; the item is found by name)
  name: string; // the basic item's name
  subject: 'person' | 'enterprise';
  declarations: Declaration[];
}

/** The services and what each obtains by sharing (slots m1 … are the guide's materials in order). */
export const DEMO_ONCE_ONLY: OnceOnlyService[] = [
  {
    basicCode: 'QR0010000800',
    name: '户口迁入（人才引进）',
    subject: 'person',
    declarations: [
      { target: 'field', key: 'hukouAddress', resource: 'population', dataItem: 'address', label: '户籍信息' },
      { target: 'material', key: 'm1', resource: 'population', label: '身份信息' },
      { target: 'material', key: 'm2', resource: 'population', label: '户籍信息' },
    ],
  },
  {
    basicCode: 'GF0070000100',
    name: '公共租赁住房保障申请',
    subject: 'person',
    declarations: [
      { target: 'field', key: 'maritalStatus', resource: 'marriage', dataItem: 'marital_status', label: '婚姻状况' },
      { target: 'material', key: 'm3', resource: 'population', label: '户籍信息' },
      { target: 'material', key: 'm4', resource: 'marriage', label: '婚姻状况' },
    ],
  },
  {
    basicCode: 'GF0030000100',
    name: '失业保险金申领',
    subject: 'person',
    declarations: [
      { target: 'field', key: 'lastEmployer', resource: 'socialInsurance', dataItem: 'employer', label: '参保信息' },
      { target: 'field', key: 'lastEmployerCode', resource: 'socialInsurance', dataItem: 'employer_credit_code', label: '参保信息' },
      { target: 'material', key: 'm1', resource: 'population', label: '身份信息' },
      { target: 'material', key: 'm3', resource: 'socialInsurance', label: '参保信息' },
    ],
  },
  {
    basicCode: 'GG0030001000',
    name: '社会保障卡申领',
    subject: 'person',
    declarations: [{ target: 'material', key: 'm1', resource: 'population', label: '身份信息' }],
  },
  {
    basicCode: 'GG0170000100',
    name: '购买自住住房提取住房公积金',
    subject: 'person',
    declarations: [
      { target: 'field', key: 'certificateNo', resource: 'realEstate', dataItem: 'cert_no', label: '不动产权证书' },
      { target: 'material', key: 'm1', resource: 'population', label: '身份信息' },
      { target: 'material', key: 'm4', resource: 'realEstate', label: '不动产权证书' },
      { target: 'material', key: 'm5', resource: 'marriage', label: '婚姻状况' },
    ],
  },
  {
    basicCode: 'GG0170000200',
    name: '租赁住房提取住房公积金',
    subject: 'person',
    declarations: [
      { target: 'field', key: 'maritalStatus', resource: 'marriage', dataItem: 'marital_status', label: '婚姻状况' },
      { target: 'material', key: 'm1', resource: 'population', label: '身份信息' },
      { target: 'material', key: 'm4', resource: 'marriage', label: '婚姻状况' },
    ],
  },
  {
    basicCode: 'XK0040001100',
    name: '食品经营许可（变更）',
    subject: 'enterprise',
    declarations: [{ target: 'material', key: 'm2', resource: 'enterprise', label: '营业执照信息' }],
  },
];

/** The demo regions whose implementations get the declarations (with their city and province). */
const DEMO_REGION_CHAINS = ['330106', '330122', '330100', '330000'];

export const ONCE_ONLY_LEGAL_BASIS = '《政务数据共享条例》（国务院令第809号）；《国务院关于在线政务服务的若干规定》（国务院令第716号）';

/** The items a grant must hold for a service's declarations of one resource (as prefill-from-exchange asks them). */
export function grantItemsFor(declarations: Declaration[], items: DataItem[], keyItem: string, subject: 'person' | 'enterprise'): { items: string[]; clear: string[] } {
  const fields = declarations.filter((d) => d.dataItem).map((d) => d.dataItem!);
  const wanted = new Set<string>([keyItem, ...fields]);
  // a resource keyed otherwise (不动产登记: 不动产单元号) is queried by the applicant's identifier item
  const idType = subject === 'person' ? 'resident_id' : 'credit_code';
  const keyDef = items.find((i) => i.key === keyItem);
  if (keyDef && keyDef.type !== idType) {
    const idItem = items.find((i) => i.type === idType);
    if (idItem) wanted.add(idItem.key);
  }
  const clear = fields.filter((k) => items.find((i) => i.key === k)?.personal);
  return { items: [...wanted], clear: [...new Set(clear)] };
}

export async function seedDemoOnceOnly(db: Kysely<DB>): Promise<{ declarations: number; grants: number }> {
  const codes = Object.values(DEMO_RESOURCE_CODES);
  const resources = await db.selectFrom('data_resources').select(['id', 'code', 'items', 'key_item']).where('code', 'in', codes).execute();
  const byCode = new Map(resources.map((r) => [r.code, r]));
  let declarations = 0;
  let grants = 0;
  await db.transaction().execute(async (trx) => {
    const events: AuditEventInput[] = [];
    const expiresAt = new Date(Date.now() + 365 * 86_400_000);
    for (const svc of DEMO_ONCE_ONLY) {
      const impls = await trx
        .selectFrom('impl_items as i')
        .innerJoin('impl_item_versions as v', (j) => j.onRef('v.item_code', '=', 'i.code').onRef('v.version', '=', 'i.published_version'))
        .innerJoin('basic_items as b', 'b.code', 'i.basic_code')
        .select(['i.code', 'i.department_id', 'v.name'])
        .where('b.name', '=', svc.name)
        .where('i.region_code', 'in', DEMO_REGION_CHAINS)
        .where('v.form', 'is not', null)
        .execute();
      for (const impl of impls) {
        const usable = svc.declarations.filter((d) => byCode.has(DEMO_RESOURCE_CODES[d.resource]));
        if (!usable.length) continue;
        const inserted = await trx
          .insertInto('item_data_sources')
          .values(
            usable.map((d) => ({
              item_code: impl.code,
              target: d.target,
              target_key: d.key,
              resource_id: byCode.get(DEMO_RESOURCE_CODES[d.resource])!.id,
              subject: svc.subject,
              data_item: d.dataItem ?? null,
              label: d.label,
            })),
          )
          .onConflict((oc) => oc.columns(['item_code', 'target', 'target_key']).doNothing())
          .returning('id')
          .execute();
        declarations += inserted.length;

        // one grant per resource the service reads, for the department that handles it
        for (const key of [...new Set(usable.map((d) => d.resource))]) {
          const r = byCode.get(DEMO_RESOURCE_CODES[key])!;
          const held = await trx
            .selectFrom('share_grants')
            .select('id')
            .where('consumer_department_id', '=', impl.department_id)
            .where('resource_id', '=', r.id)
            .where('item_code', '=', impl.code)
            .where('status', '=', 'active')
            .where('expires_at', '>', new Date())
            .executeTakeFirst();
          if (held) continue;
          const { items, clear } = grantItemsFor(
            usable.filter((d) => d.resource === key),
            r.items as DataItem[],
            r.key_item,
            svc.subject,
          );
          const purpose = `办理“${impl.name}”时经申请人同意获取，免于申请人填写和提交`;
          const scenario = `${impl.name}（免提交，实施编码 ${impl.code}）`;
          const grant = await trx
            .insertInto('share_grants')
            .values({
              request_id: null,
              resource_id: r.id,
              consumer_department_id: impl.department_id,
              client_id: null,
              items,
              clear_items: clear,
              row_filter: JSON.stringify({}),
              purpose,
              legal_basis: ONCE_ONLY_LEGAL_BASIS,
              scenario,
              item_code: impl.code,
              rate_per_minute: 600,
              expires_at: expiresAt,
            })
            .returning('id')
            .executeTakeFirstOrThrow();
          grants++;
          events.push({
            action: 'share.granted',
            actor: SYSTEM_ACTOR,
            target: { type: 'share_grant', id: String(grant.id) },
            details: {
              resource: r.code, consumerDepartmentId: impl.department_id, items, clearItems: clear, rowFilter: {}, purpose, legalBasis: ONCE_ONLY_LEGAL_BASIS,
              scenario, itemCode: impl.code, expiresAt: expiresAt.toISOString(), ratePerMinute: 600, demo: true,
            },
          });
        }
      }
    }
    await recordAuditEvents(trx, events);
  });
  return { declarations, grants };
}
