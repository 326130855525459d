/**
 * Published three-list editions for tests, written straight into the tables (as the demo seed does) over the
 * fixture catalogue (FIXTURE_ITEMS, FIXTURE_REGIONS): 西湖区市场监督管理局's power list (three 行政许可 powers,
 * one linked to the fixture's 食品经营许可 item, plus a 行政处罚 and a 行政检查 power), 杭州市市场监督管理局's,
 * the province's negative list (prohibited, approval and restricted entries) and a province fund list.
 */
import type { Kysely } from 'kysely';
import type { DB, ListKind } from '../../db/schema.ts';
import { findDepartment } from '../../testing/fixture-accounts.ts';
import type { FundEntry, ListEntry, NegativeEntry, PowerEntry } from '../three-lists/three-lists.types.ts';

/** Writes a published edition (the next version; the previous one superseded) and bumps the list revision. */
export async function publishTestEdition(db: Kysely<DB>, o: { kind: ListKind; departmentId: number; entries: ListEntry[]; note?: string; publishedAt?: Date }): Promise<{ id: number; version: number }> {
  return db.transaction().execute(async (trx) => {
    const prev = await trx
      .selectFrom('list_editions')
      .select(['id', 'version'])
      .where('list_kind', '=', o.kind)
      .where('department_id', '=', o.departmentId)
      .where('status', '=', 'published')
      .executeTakeFirst();
    if (prev) await trx.updateTable('list_editions').set({ status: 'superseded' }).where('id', '=', prev.id).execute();
    const version = (prev?.version ?? 0) + 1;
    const at = o.publishedAt ?? new Date();
    const ed = await trx
      .insertInto('list_editions')
      .values({
        list_kind: o.kind,
        department_id: o.departmentId,
        version,
        base_version: prev?.version ?? null,
        status: 'published',
        note: o.note ?? `第 ${version} 版`,
        entry_count: o.entries.length,
        updated_at: at,
        submitted_at: at,
        published_at: at,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    if (o.entries.length) {
      await trx
        .insertInto('list_entries')
        .values(o.entries.map((e) => ({ edition_id: ed.id, entry_key: e.key, data: JSON.stringify(e) })))
        .execute();
    }
    await trx.updateTable('list_revision').set({ revision: (eb) => eb('revision', '+', 1) }).where('id', '=', 1).execute();
    return { id: ed.id, version };
  });
}

const RESP = ['受理责任：公示依法应当提交的材料，一次性告知补正材料', '审查责任：对申请材料进行审查', '决定责任：作出准予或不予许可的决定', '事后监管责任：加强监督检查'];
const ACC = ['对符合法定条件的申请不予受理、不予许可的', '对不符合法定条件的申请准予许可的', '索取或者收受他人财物的'];

export function power(key: string, name: string, o: Partial<PowerEntry> = {}): PowerEntry {
  return {
    key,
    name,
    type: 'XK',
    level: 'county',
    powerSource: 'statutory',
    legalBasis: ['《中华人民共和国食品安全法》第三十五条'],
    implementingBody: '杭州市西湖区市场监督管理局',
    responsibilities: RESP,
    accountability: ACC,
    itemCodes: [],
    ...o,
  };
}

export const NEGATIVE_ENTRIES: NegativeEntry[] = [
  {
    key: 'N-2026-001',
    category: 'prohibited',
    industryCodes: ['C2511'],
    projectType: '新建常减压炼油项目（年加工能力 1000 万吨以下）',
    description: '禁止新建年加工能力 1000 万吨以下的常减压炼油装置。',
    conditions: '',
    authority: '',
    legalBasis: ['《产业结构调整指导目录》淘汰类'],
  },
  {
    key: 'N-2026-002',
    category: 'approval',
    industryCodes: ['C25'],
    projectType: '新建炼油及扩建一次炼油项目',
    description: '新建炼油及扩建一次炼油项目由省政府投资主管部门核准。',
    conditions: '符合国家石化产业规划布局方案',
    authority: '浙江省发展和改革委员会',
    legalBasis: ['《政府核准的投资项目目录（浙江省）》'],
  },
  {
    key: 'N-2026-003',
    category: 'approval',
    industryCodes: ['D4413'],
    projectType: '水电站',
    description: '在跨设区市河流上建设的水电站项目由省政府投资主管部门核准。',
    conditions: '符合流域综合规划',
    authority: '浙江省发展和改革委员会',
    legalBasis: ['《企业投资项目核准和备案管理条例》'],
  },
  {
    key: 'N-2026-004',
    category: 'restricted',
    industryCodes: ['C361', 'C362'],
    projectType: '新建汽车整车投资项目',
    description: '新建汽车整车投资项目须符合汽车产业投资管理规定。',
    conditions: '企业具备相应的研发能力和产品生产准入条件',
    authority: '',
    legalBasis: ['《汽车产业投资管理规定》'],
  },
];

export function fund(key: string, name: string, years: [number, number][], allocations: FundEntry['allocations'], o: Partial<FundEntry> = {}): FundEntry {
  return {
    key,
    name,
    purpose: '支持企业技术改造和科技创新',
    years: years.map(([year, amount]) => ({ year, amount })),
    rules: '《浙江省省级专项资金管理办法》',
    conditions: '在浙江省内注册的企业',
    contact: '0571-87051234',
    allocations,
    ...o,
  };
}

export interface ListsFixture {
  xihuMarket: { id: number; name: string };
  hangzhouMarket: { id: number; name: string };
  provinceDrc: { id: number; name: string };
  foodBasicCode: string;
  foodImplCode: string;
  powerEdition: { id: number; version: number };
}

/** Publishes the fixture lists; returns the departments and codes tests look for. */
export async function publishTestLists(db: Kysely<DB>): Promise<ListsFixture> {
  const xihuMarket = await findDepartment(db, { regionCode: '330106', kind: 'market_regulation' });
  const hangzhouMarket = await findDepartment(db, { regionCode: '330100', kind: 'market_regulation' });
  const provinceDrc = await findDepartment(db, { regionCode: '330000', kind: 'development_reform' });
  const food = await db.selectFrom('basic_items').select('code').where('name', '=', '食品经营许可（新办）').executeTakeFirstOrThrow();
  const impl = await db
    .selectFrom('impl_items')
    .select('code')
    .where('basic_code', '=', food.code)
    .where('department_id', '=', xihuMarket.id)
    .where('published_version', 'is not', null)
    .executeTakeFirstOrThrow();
  const powerEdition = await publishTestEdition(db, {
    kind: 'power',
    departmentId: xihuMarket.id,
    note: '首次发布',
    publishedAt: new Date('2026-01-10T02:00:00Z'),
    entries: [
      power('XK-330106-004-0001', '食品经营许可', { itemCodes: [food.code] }),
      power('XK-330106-004-0002', '食品生产许可', { legalBasis: ['《中华人民共和国食品安全法》第三十五条', '《食品生产许可管理办法》'] }),
      power('XK-330106-004-0003', '特种设备使用登记', { legalBasis: ['《中华人民共和国特种设备安全法》第三十三条'] }),
      power('CF-330106-004-0001', '对未取得食品经营许可从事食品经营活动的行政处罚', { type: 'CF', legalBasis: ['《中华人民共和国食品安全法》第一百二十二条'] }),
      power('JC-330106-004-0001', '对食品经营者的监督检查', { type: 'JC', legalBasis: ['《中华人民共和国食品安全法》第一百一十条'] }),
    ],
  });
  await publishTestEdition(db, {
    kind: 'power',
    departmentId: hangzhouMarket.id,
    publishedAt: new Date('2026-01-12T02:00:00Z'),
    entries: [
      power('XK-330100-004-0001', '食品生产许可（特殊食品）', { level: 'city', implementingBody: '杭州市市场监督管理局' }),
      power('QZ-330100-004-0001', '查封、扣押不符合食品安全标准的食品', { type: 'QZ', level: 'city', implementingBody: '杭州市市场监督管理局' }),
    ],
  });
  await publishTestEdition(db, { kind: 'negative', departmentId: provinceDrc.id, publishedAt: new Date('2026-01-05T02:00:00Z'), entries: NEGATIVE_ENTRIES });
  await publishTestEdition(db, {
    kind: 'fund',
    departmentId: provinceDrc.id,
    publishedAt: new Date('2026-01-06T02:00:00Z'),
    entries: [
      fund('F-330000-021-001', '省级制造业高质量发展专项资金', [[2023, 5000], [2024, 6000], [2025, 6500.5]], [
        { year: 2023, recipient: '杭州某智能装备有限公司', amount: 300, date: '2023-09-01', project: '智能产线改造' },
        { year: 2024, recipient: '宁波某新材料股份有限公司', amount: 450.25, date: '2024-08-15' },
        { year: 2025, recipient: '温州某电气有限公司', amount: 200, date: '2025-07-20' },
      ]),
      fund('F-330000-021-002', '省级服务业发展引导资金', [[2024, 3000], [2025, 3200]], [
        { year: 2025, recipient: '桐庐县人民政府', amount: 800, date: '2025-06-30', project: '县域商贸流通体系建设' },
      ], { purpose: '支持现代服务业集聚区和商贸流通体系建设' }),
    ],
  });
  return { xihuMarket, hangzhouMarket, provinceDrc, foodBasicCode: food.code, foodImplCode: impl.code, powerEdition };
}
