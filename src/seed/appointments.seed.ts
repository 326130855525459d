/**
 * Demo appointment services (预约服务演示数据) for the demo regions: a marriage registry office (two parties),
 * two hospital clinics, a service-centre window for a real item and a scenic area's timed entry. Departments
 * are looked up by region and kind; a service whose department is not seeded (a partial region list) is left
 * out. Idempotent: a service already there (by code) is kept as it is, whatever staff changed since.
 */
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { DepartmentKind } from '../modules/catalogue/catalogue.types.ts';
import type { ServiceSettingsInput } from '../modules/appointments/appointments.types.ts';
import { checkServiceSettings, columnsOf } from '../modules/appointments/save-service.ts';

type Db = Kysely<DB> | Transaction<DB>;

interface DemoService {
  settings: Omit<ServiceSettingsInput, 'departmentId' | 'regionCode' | 'itemCode'>;
  region: string;
  department: DepartmentKind | DepartmentKind[]; // the first kind the region has
  /** the implementation item it serves: by its basic item's name, or the region's most popular item */
  item?: { name: string } | 'most_popular';
}

const WORKING_HOURS = [
  { start: '09:00', end: '12:00' },
  { start: '13:30', end: '17:00' },
];

export const DEMO_APPOINTMENT_SERVICES: DemoService[] = [
  {
    region: '330106',
    department: 'civil_affairs',
    item: { name: '内地居民婚姻登记（结婚登记）' },
    settings: {
      code: 'xihu-marriage',
      kind: 'marriage',
      name: '西湖区婚姻登记处 结婚登记预约',
      place: '杭州市西湖区文三路 21 号 西湖区婚姻登记处（一楼登记大厅）',
      notes: '男女双方须共同到场，携带本人有效居民身份证和户口簿原件。\n请自备近期 2 寸双人半身免冠合影照片 3 张（也可现场拍摄）。\n请提前 10 分钟到达，凭预约码或二维码在取号机签到。',
      openDays: 'working',
      sessions: WORKING_HOURS,
      slotMinutes: 30,
      capacity: 8,
      windowDays: 7,
      opensAt: '08:00',
      parties: 2,
      holdMinutes: 30,
      cancelHours: 2,
    },
  },
  {
    region: '330100',
    department: ['hospital_service', 'health'],
    item: { name: '医院预约挂号' },
    settings: {
      code: 'hz-first-hospital-cardiology',
      kind: 'hospital',
      name: '杭州市第一人民医院 心血管内科（普通门诊）',
      place: '杭州市上城区浣纱路 261 号 杭州市第一人民医院门诊楼 3 楼心血管内科',
      notes: '请携带身份证或医保卡，按预约时段提前 15 分钟到门诊楼 3 楼自助机签到取号。\n过号须重新排队；不能就诊的请提前取消，以便号源留给他人。',
      openDays: 'every',
      sessions: [
        { start: '08:00', end: '11:30' },
        { start: '13:30', end: '16:30' },
      ],
      slotMinutes: 15,
      capacity: 6,
      windowDays: 7,
      opensAt: '08:00',
      cancelHours: 2,
      noShowLimit: 3,
      noShowDays: 180,
      barDays: 90,
    },
  },
  {
    region: '330100',
    department: ['hospital_service', 'health'],
    item: { name: '医院预约挂号' },
    settings: {
      code: 'hz-first-hospital-cardiology-expert',
      kind: 'hospital',
      name: '杭州市第一人民医院 心血管内科专家门诊（主任医师）',
      place: '杭州市上城区浣纱路 261 号 杭州市第一人民医院门诊楼 3 楼专家门诊区',
      notes: '专家门诊号源有限，每人每次限挂一个号。\n请携带身份证或医保卡及既往检查资料，提前 15 分钟签到。',
      openDays: 'working',
      sessions: [{ start: '08:30', end: '11:30' }],
      slotMinutes: 15,
      capacity: 2,
      windowDays: 14,
      opensAt: '15:00',
      cancelHours: 24,
      noShowLimit: 2,
      noShowDays: 180,
      barDays: 90,
    },
  },
  {
    region: '330106',
    department: 'market_regulation', // replaced by the item's own department when one is found
    item: 'most_popular',
    settings: {
      code: 'xihu-service-centre-window',
      kind: 'window',
      name: '西湖区行政服务中心 综合窗口预约',
      place: '杭州市西湖区文三路 21 号 西湖区行政服务中心一楼综合受理区',
      notes: '请携带办事指南列明的申请材料原件。预约时段内到达，凭预约码在取号机签到后按叫号办理。\n可先在网上查看办事指南，能网上办理的事项无需到窗口。',
      openDays: 'working',
      sessions: WORKING_HOURS,
      slotMinutes: 30,
      capacity: 10,
      windowDays: 7,
      opensAt: '08:00',
      cancelHours: 1,
    },
  },
  {
    region: '330106',
    department: 'culture_tourism',
    settings: {
      code: 'lingyin-feilaifeng',
      kind: 'scenic',
      name: '灵隐飞来峰景区 分时预约入园',
      place: '杭州市西湖区灵隐路法云弄 1 号 灵隐飞来峰景区北门',
      notes: '实名分时预约，每人限约一个时段；入园时出示预约码或二维码及本人身份证。\n1.2 米以下儿童、60 岁以上老人等免票人群同样须预约。\n景区旺季人多，请按预约时段错峰入园。',
      openDays: 'every',
      sessions: [{ start: '07:00', end: '17:00' }],
      slotMinutes: 60,
      capacity: 800,
      windowDays: 7,
      opensAt: '00:00',
      cancelHours: 0,
      noShowLimit: 3,
      noShowDays: 90,
      barDays: 30,
    },
  },
];

async function departmentOf(db: Db, region: string, kinds: DepartmentKind[]): Promise<number | undefined> {
  for (const kind of kinds) {
    const d = await db.selectFrom('departments').select('id').where('region_code', '=', region).where('kind', '=', kind).orderBy('id').executeTakeFirst();
    if (d) return d.id;
  }
  return undefined;
}

/** A published implementation item of the region: by its basic item's name, or the most popular one. */
async function itemOf(db: Db, region: string, which: NonNullable<DemoService['item']>): Promise<{ code: string; departmentId: number; name: string } | undefined> {
  let q = db
    .selectFrom('impl_items as i')
    .innerJoin('basic_items as b', 'b.code', 'i.basic_code')
    .select(['i.code', 'i.department_id', 'b.name'])
    .where('i.region_code', '=', region)
    .where('i.published_version', 'is not', null);
  if (which !== 'most_popular') q = q.where('b.name', '=', which.name);
  const r = await q.orderBy('i.popularity', 'desc').orderBy('i.code').executeTakeFirst();
  return r ? { code: r.code, departmentId: r.department_id, name: r.name } : undefined;
}

/** Inserts the demo services that are missing; returns how many were written. */
export async function seedDemoAppointments(db: Kysely<DB> | Transaction<DB>): Promise<number> {
  let written = 0;
  for (const demo of DEMO_APPOINTMENT_SERVICES) {
    const item = demo.item ? await itemOf(db, demo.region, demo.item) : undefined;
    // a window serves its item: the item's department runs it (its staff manage and check in)
    const departmentId = demo.item === 'most_popular' && item ? item.departmentId : await departmentOf(db, demo.region, [demo.department].flat());
    if (departmentId === undefined) continue;
    const name = demo.item === 'most_popular' && item ? `西湖区行政服务中心 ${item.name} 窗口预约` : demo.settings.name;
    const c = checkServiceSettings({ ...demo.settings, name, departmentId, regionCode: demo.region, itemCode: item?.code ?? null }, { regionCode: demo.region });
    const r = await db
      .insertInto('appointment_services')
      .values({ code: c.code, ...columnsOf(c), sessions: JSON.stringify(c.sessions), updated_at: new Date() })
      .onConflict((oc) => oc.column('code').doNothing())
      .returning('id')
      .executeTakeFirst();
    if (r) written++;
  }
  return written;
}
