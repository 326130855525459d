/** One department of each kind in every region whose level has that kind, named as Zhejiang names them. */
import { DEPARTMENT_KINDS, type DepartmentKind } from '../modules/catalogue/catalogue.types.ts';
import { buildGovernmentCreditCode } from '../shared/codes/credit-code.ts';
import type { DepartmentTable, RegionTable } from '../db/schema.ts';
import type { Insertable } from 'kysely';
import { CITY_PHONE_PREFIX, PROVINCE_CODE } from './regions.seed.ts';
import { digits, pick } from './deterministic.ts';

/** Province-level names differ (厅 rather than 局 and so on). */
const PROVINCE_NAMES: Partial<Record<DepartmentKind, string>> = {
  public_security: '公安厅',
  civil_affairs: '民政厅',
  human_resources: '人力资源和社会保障厅',
  housing_construction: '住房和城乡建设厅',
  natural_resources: '自然资源厅',
  transport: '交通运输厅',
  education: '教育厅',
  justice: '司法厅',
  veterans: '退役军人事务厅',
  fire_rescue: '消防救援总队',
  ecology: '生态环境厅',
  culture_tourism: '文化和旅游厅',
  emergency: '应急管理厅',
  agriculture: '农业农村厅',
  commerce: '商务厅',
  exit_entry: '公安厅出入境管理局',
};

const COUNTY_NAMES: Partial<Record<DepartmentKind, string>> = {
  fire_rescue: '消防救援大队',
  culture_tourism: '文化和广电旅游体育局',
  health: '卫生健康局',
};

const ORG_TYPES: Partial<Record<DepartmentKind, string>> = {
  disabled_persons: '人民团体',
  housing_fund: '事业单位',
  exam_authority: '事业单位',
  hospital_service: '事业单位',
  fire_rescue: '垂直管理机构',
  tax: '垂直管理机构',
};

const ROADS = ['解放路', '人民路', '中山路', '府前路', '环城北路', '世纪大道', '行政中心路', '新华路', '学士路', '江滨路', '明珠路', '市心路'];

export function departmentName(kind: DepartmentKind, region: RegionTable, cityName: string): { name: string; short: string } {
  const base = DEPARTMENT_KINDS[kind].name;
  if (region.level === 'province') {
    if (kind === 'tax') return { name: `国家税务总局${region.name}税务局`, short: '省税务局' };
    const n = PROVINCE_NAMES[kind] ?? base;
    return { name: region.name + n, short: '省' + n };
  }
  if (region.level === 'city') {
    if (kind === 'tax') return { name: `国家税务总局${region.name}税务局`, short: '市税务局' };
    if (kind === 'housing_fund') return { name: `${region.name.replace(/市$/, '')}住房公积金管理中心`, short: '公积金中心' };
    return { name: region.name + base, short: '市' + base };
  }
  // county level: districts carry their city's name (杭州市西湖区民政局), counties and county-level cities do not
  const isDistrict = region.name.endsWith('区');
  const prefix = isDistrict ? cityName + region.name : region.name;
  if (kind === 'tax') return { name: `国家税务总局${prefix}税务局`, short: '县税务局' };
  if (kind === 'public_security' && isDistrict)
    return { name: `${cityName}公安局${region.name.replace(/区$/, '')}分局`, short: '公安分局' };
  const n = COUNTY_NAMES[kind] ?? base;
  return { name: prefix + n, short: (isDistrict ? '区' : region.name.slice(-1)) + n };
}

export function serviceHallOf(region: RegionTable): string {
  if (region.level === 'province') return '浙江政务服务中心';
  return `${region.name}${region.level === 'city' ? '市民中心' : '行政服务中心'}`;
}

export function buildDepartments(regions: RegionTable[]): Insertable<DepartmentTable>[] {
  const byCode = new Map(regions.map((r) => [r.code, r]));
  const out: Insertable<DepartmentTable>[] = [];
  for (const region of regions) {
    const city = region.level === 'county' ? byCode.get(region.parent_code!) : region.level === 'city' ? region : undefined;
    const phonePrefix = CITY_PHONE_PREFIX[city?.code ?? '330100'] ?? '0571';
    for (const [kind, def] of Object.entries(DEPARTMENT_KINDS) as [DepartmentKind, (typeof DEPARTMENT_KINDS)[DepartmentKind]][]) {
      if (!(def.levels as readonly string[]).includes(region.level)) continue;
      const { name, short } = departmentName(kind, region, city?.name ?? '');
      const key = `${region.code}:${kind}`;
      const road = pick(ROADS, region.code);
      const hall = serviceHallOf(region);
      out.push({
        credit_code: buildGovernmentCreditCode(region.code, `0${def.code}${region.code.slice(2)}`),
        name,
        short_name: short,
        kind,
        region_code: region.code,
        org_type: ORG_TYPES[kind] ?? (region.code === PROVINCE_CODE ? '省政府工作部门' : '政府工作部门'),
        address: `${region.full_name}${road}${(Number(digits(region.code, 3)) % 400) + 1}号${hall}${(Number(digits(key, 1)) % 4) + 1}楼`,
        phone: `${phonePrefix}-8${digits(key, 7)}`,
        office_hours: '工作日 上午 8:30—12:00，下午 14:00—17:30（法定节假日除外）',
      });
    }
  }
  return out;
}
