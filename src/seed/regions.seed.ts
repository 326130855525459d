/** Zhejiang's regions (GB/T 2260) from @vant/area-data: 330000, its 11 cities and 90 county-level divisions. */
import { areaList } from '@vant/area-data';
import { regionLevelOf, regionParentOf } from '../shared/codes/region-code.ts';
import type { RegionTable } from '../db/schema.ts';

export const PROVINCE_CODE = '330000';

/** Telephone area codes (长途区号) of Zhejiang's cities. */
export const CITY_PHONE_PREFIX: Record<string, string> = {
  '330100': '0571', '330200': '0574', '330300': '0577', '330400': '0573', '330500': '0572', '330600': '0575',
  '330700': '0579', '330800': '0570', '330900': '0580', '331000': '0576', '331100': '0578',
};

export function zhejiangRegions(): RegionTable[] {
  const prefix = PROVINCE_CODE.slice(0, 2);
  const provinceName = areaList.province_list[PROVINCE_CODE as keyof typeof areaList.province_list] ?? '浙江省';
  const rows: RegionTable[] = [
    { code: PROVINCE_CODE, name: provinceName, full_name: provinceName, level: 'province', parent_code: null, sort: 0 },
  ];
  const cities = Object.entries(areaList.city_list).filter(([c]) => c.startsWith(prefix)).sort();
  const cityName = new Map(cities);
  cities.forEach(([code, name], i) => {
    rows.push({ code, name, full_name: provinceName + name, level: 'city', parent_code: PROVINCE_CODE, sort: i + 1 });
  });
  Object.entries(areaList.county_list)
    .filter(([c]) => c.startsWith(prefix))
    .sort()
    .forEach(([code, name], i) => {
      const parent = regionParentOf(code)!;
      if (regionLevelOf(code) !== 'county') return;
      rows.push({
        code,
        name,
        full_name: provinceName + (cityName.get(parent) ?? '') + name,
        level: 'county',
        parent_code: parent,
        sort: i + 1,
      });
    });
  return rows;
}
