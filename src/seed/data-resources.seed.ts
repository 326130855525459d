/**
 * Demo data of the resource catalogue (政务信息资源目录): seven published resources of real demo departments,
 * each with its records at data version 1 (one data_loads row: mode 'full', status 'applied', file '演示数据').
 * Deterministic; consistent with the demo people (王芳 and 李建国 of accounts.seed.ts appear in 户籍人口, 社保参保,
 * 婚姻登记, 不动产登记 and 驾驶证) and the demo enterprises (DEMO_ENTERPRISES, in 企业登记).
 *
 * Resource codes: `{provider region code}-{department abbreviation}-{resource abbreviation}-{serial}`, letters
 * from the pinyin initials — e.g. 330000-GA-HJRK-001 = 浙江省公安厅 · 户籍人口 · 001. They match the CHECK of
 * data_resources.code (letters, digits, hyphens). Other modules refer to them through DEMO_RESOURCE_CODES.
 *
 * Provider departments: the province's (or, for 交警, 杭州市's) department of the kind; when the database has
 * no such department (a test catalogue of a few regions), another department of the same kind at any level, and
 * failing that any department — the seed never fails for a missing department.
 *
 * Scale: 户籍人口 50,000 people; the others 3,000–20,000 records, drawn from the same people. Records are written
 * with one JSON parameter per batch (bulkInsert). Values: text and dates as strings (dates YYYY-MM-DD), integer
 * and decimal items as JSON numbers, boolean items as JSON booleans. Resources already present are skipped.
 */
import type { Kysely } from 'kysely';
import type { BaseLibrary, CatalogueKind, DataGrade, DataItem, DB, OpenType, ShareType, UpdateCycle } from '../db/schema.ts';
import { bulkInsert } from '../db/bulk-insert.ts';
import type { DepartmentKind } from '../modules/catalogue/catalogue.types.ts';
import { recordAuditEvents } from '../modules/audit/record-audit-event.ts';
import { SYSTEM_ACTOR, type AuditEventInput } from '../modules/audit/audit.types.ts';
import { buildSearchText } from '../modules/data-catalogue/search-data-resources.ts';
import { creditCodeCheckChar, organisationCodeCheckChar } from '../shared/codes/credit-code.ts';
import { residentIdCheckChar } from '../shared/codes/resident-id.ts';
import { DEMO_PERSONS } from './accounts.seed.ts';
import { hash32 } from './deterministic.ts';

/** The demo resources' codes, for the modules that refer to them (once-only sources, exchange demo). */
export const DEMO_RESOURCE_CODES = {
  population: '330000-GA-HJRK-001', // 户籍人口 (省公安厅)
  enterprise: '330000-SJ-QYDJ-001', // 企业登记 (省市场监管局)
  socialInsurance: '330000-RS-SBCB-001', // 社保参保 (省人社厅)
  realEstate: '330000-ZR-BDCDJ-001', // 不动产登记 (省自然资源厅)
  marriage: '330000-MZ-HYDJ-001', // 婚姻登记 (省民政厅)
  drivingLicence: '330100-JJ-JSZ-001', // 驾驶证 (杭州市公安局交通警察支队)
  exitEntry: '330000-CRJ-ZJ-001', // 出入境证件 (省公安厅出入境管理局), 不予共享
} as const;
export type DemoResourceKey = keyof typeof DEMO_RESOURCE_CODES;

// —— data items (信息项) ——

const rid = (key: string, name: string, required = true): DataItem => ({ key, name, type: 'resident_id', required, personal: true, mask: 'resident_id' });
const pname = (key: string, name: string, required = true): DataItem => ({ key, name, type: 'text', required, personal: true, mask: 'name' });
const txt = (key: string, name: string, required = true): DataItem => ({ key, name, type: 'text', required, personal: false });

/** 户籍人口 (a superset of the test fixture's POPULATION_ITEMS, same keys). */
export const POPULATION_ITEMS: DataItem[] = [
  rid('id_number', '公民身份号码'),
  pname('name', '姓名'),
  txt('sex', '性别'),
  txt('ethnicity', '民族'),
  { key: 'birth_date', name: '出生日期', type: 'date', required: true, personal: true, mask: 'full' },
  { key: 'address', name: '户籍地址', type: 'text', required: true, personal: true, mask: 'address' },
  txt('region_code', '户籍地行政区划代码'),
  pname('household_head', '户主姓名'),
  txt('relation', '与户主关系'),
  txt('education', '文化程度', false),
];

export const ENTERPRISE_ITEMS: DataItem[] = [
  { key: 'credit_code', name: '统一社会信用代码', type: 'credit_code', required: true, personal: false },
  txt('name', '企业名称'),
  txt('enterprise_type', '企业类型'),
  pname('legal_rep', '法定代表人'),
  rid('legal_rep_id_number', '法定代表人身份证号'),
  { key: 'registered_capital', name: '注册资本（万元）', type: 'decimal', required: true, personal: false },
  { key: 'established_date', name: '成立日期', type: 'date', required: true, personal: false },
  txt('address', '住所'),
  txt('region_code', '登记机关行政区划代码'),
  txt('business_scope', '经营范围'),
  txt('status', '登记状态'),
  txt('authority', '登记机关'),
];

export const SOCIAL_INSURANCE_ITEMS: DataItem[] = [
  rid('id_number', '公民身份号码'),
  pname('name', '姓名'),
  txt('insurance_type', '险种'),
  txt('status', '参保状态'),
  { key: 'start_date', name: '参保日期', type: 'date', required: true, personal: false },
  txt('employer', '参保单位名称', false),
  { key: 'employer_credit_code', name: '参保单位统一社会信用代码', type: 'credit_code', required: false, personal: false },
  txt('region_code', '参保地行政区划代码'),
  { key: 'monthly_base', name: '缴费基数（元）', type: 'decimal', required: true, personal: true, mask: 'full' },
  { key: 'months_paid', name: '累计缴费月数', type: 'integer', required: true, personal: false },
];

export const REAL_ESTATE_ITEMS: DataItem[] = [
  txt('unit_no', '不动产单元号'),
  txt('cert_no', '不动产权证书号'),
  pname('owner_name', '权利人'),
  rid('owner_id_number', '权利人证件号码'),
  { key: 'location', name: '坐落', type: 'text', required: true, personal: true, mask: 'address' },
  txt('region_code', '行政区划代码'),
  txt('right_type', '权利类型'),
  txt('usage', '用途'),
  { key: 'floor_area', name: '建筑面积（平方米）', type: 'decimal', required: true, personal: false },
  { key: 'register_date', name: '登记日期', type: 'date', required: true, personal: false },
  { key: 'mortgaged', name: '是否抵押', type: 'boolean', required: true, personal: false },
];

export const MARRIAGE_ITEMS: DataItem[] = [
  rid('id_number', '公民身份号码'),
  pname('name', '姓名'),
  txt('marital_status', '婚姻状况'),
  pname('spouse_name', '配偶姓名'),
  rid('spouse_id_number', '配偶公民身份号码'),
  { key: 'register_date', name: '登记日期', type: 'date', required: true, personal: false },
  txt('cert_no', '结婚证（离婚证）字号'),
  txt('authority', '登记机关'),
  txt('region_code', '登记机关行政区划代码'),
];

export const DRIVING_LICENCE_ITEMS: DataItem[] = [
  rid('id_number', '驾驶证号（公民身份号码）'),
  pname('name', '姓名'),
  txt('sex', '性别'),
  txt('vehicle_class', '准驾车型'),
  { key: 'first_issue_date', name: '初次领证日期', type: 'date', required: true, personal: false },
  { key: 'valid_from', name: '有效期起始日期', type: 'date', required: true, personal: false },
  { key: 'valid_until', name: '有效期截止日期', type: 'date', required: true, personal: false },
  txt('status', '驾驶证状态'),
  { key: 'points', name: '累积记分', type: 'integer', required: true, personal: false },
  txt('authority', '发证机关'),
  { key: 'mobile', name: '联系电话', type: 'mobile', required: false, personal: true, mask: 'mobile' },
];

export const EXIT_ENTRY_ITEMS: DataItem[] = [
  rid('id_number', '公民身份号码'),
  pname('name', '姓名'),
  txt('document_type', '证件种类'),
  { key: 'document_no', name: '证件号码', type: 'text', required: true, personal: true, mask: 'full' },
  { key: 'issue_date', name: '签发日期', type: 'date', required: true, personal: false },
  { key: 'expiry_date', name: '有效期至', type: 'date', required: true, personal: false },
  txt('authority', '签发机关'),
];

/** Demo enterprises (企业登记 holds them; a demo that registers an enterprise should use these). */
export const DEMO_ENTERPRISES = [
  { name: '杭州西湖云栖数字科技有限公司', creditCode: enterpriseCreditCode('91', '330106', 'MA2H0001'), legalRep: DEMO_PERSONS[0].name, legalRepIdNumber: DEMO_PERSONS[0].idNumber, region: '330106' },
  { name: '桐庐建国农产品专业合作社', creditCode: enterpriseCreditCode('93', '330122', 'MA2H0002'), legalRep: DEMO_PERSONS[1].name, legalRepIdNumber: DEMO_PERSONS[1].idNumber, region: '330122' },
] as const;

/** A valid 统一社会信用代码 for a market-regulation registration (91 企业, 92 个体, 93 合作社). */
export function enterpriseCreditCode(prefix: '91' | '92' | '93', area: string, orgBody8: string): string {
  const first17 = `${prefix}${area}${orgBody8}${organisationCodeCheckChar(orgBody8)}`;
  return first17 + creditCodeCheckChar(first17);
}

// —— people and places ——

/** Real area codes (GB/T 2260) of Zhejiang where the demo people live. */
const AREAS: { code: string; name: string; city: string; weight: number }[] = [
  { code: '330102', name: '上城区', city: '杭州市', weight: 6 },
  { code: '330105', name: '拱墅区', city: '杭州市', weight: 6 },
  { code: '330106', name: '西湖区', city: '杭州市', weight: 8 },
  { code: '330108', name: '滨江区', city: '杭州市', weight: 4 },
  { code: '330109', name: '萧山区', city: '杭州市', weight: 7 },
  { code: '330110', name: '余杭区', city: '杭州市', weight: 6 },
  { code: '330111', name: '富阳区', city: '杭州市', weight: 3 },
  { code: '330122', name: '桐庐县', city: '杭州市', weight: 3 },
  { code: '330127', name: '淳安县', city: '杭州市', weight: 2 },
  { code: '330182', name: '建德市', city: '杭州市', weight: 2 },
  { code: '330203', name: '海曙区', city: '宁波市', weight: 4 },
  { code: '330302', name: '鹿城区', city: '温州市', weight: 4 },
  { code: '330402', name: '南湖区', city: '嘉兴市', weight: 2 },
  { code: '330602', name: '越城区', city: '绍兴市', weight: 2 },
  { code: '330702', name: '婺城区', city: '金华市', weight: 2 },
];
const AREA_TABLE = AREAS.flatMap((a) => Array<typeof a>(a.weight).fill(a));
const AREA_BY_CODE = new Map(AREAS.map((a) => [a.code, a]));

const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤';
const GIVEN_M = ['伟', '强', '磊', '军', '洋', '勇', '杰', '涛', '明', '超', '俊', '浩', '鹏', '辉', '建华', '建国', '志强', '国庆', '文博', '子轩', '宇航', '浩然', '俊杰', '晨', '凯', '斌', '海涛', '永刚', '立新', '振宇'];
const GIVEN_F = ['芳', '娜', '敏', '静', '丽', '艳', '娟', '霞', '婷', '雪', '慧', '颖', '琳', '倩', '欣怡', '雨涵', '梓涵', '佳怡', '秀英', '桂英', '玉兰', '晓燕', '丽华', '美玲', '思雨', '诗琪', '紫薇', '文静', '春梅', '海燕'];
const ROADS = ['文三路', '天目山路', '古墩路', '学院路', '莫干山路', '凤起路', '解放路', '江南大道', '市心路', '人民路', '中山路', '环城西路', '西溪路', '文一西路', '之江路', '钱江路', '体育场路', '延安路'];
const ETHNIC = ['汉族', '汉族', '汉族', '汉族', '汉族', '汉族', '汉族', '汉族', '汉族', '汉族', '汉族', '汉族', '汉族', '汉族', '汉族', '汉族', '汉族', '汉族', '畲族', '回族', '土家族', '苗族', '满族', '壮族'];
const EDUCATION = ['研究生', '大学本科', '大学本科', '大学专科', '高中', '高中', '初中', '初中', '小学'];

/** A small deterministic generator (mulberry32), seeded per resource: the same data every time. */
function rng(seed: string): () => number {
  let a = hash32(seed);
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const pickR = <T>(r: () => number, list: readonly T[]): T => list[Math.floor(r() * list.length)]!;
const intR = (r: () => number, lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
const pad = (n: number, w: number) => String(n).padStart(w, '0');
const dateStr = (y: number, m: number, d: number) => `${y}-${pad(m, 2)}-${pad(d, 2)}`;
const birthOf = (id: string) => `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`;

export interface DemoPerson {
  idNumber: string;
  name: string;
  sex: '男' | '女';
  birthDate: string;
  ethnicity: string;
  areaCode: string;
  address: string;
  householdHead: string;
  relation: string;
  education: string;
}

function residentIdOf(area: string, y: number, m: number, d: number, seq: number): string {
  const first17 = `${area}${y}${pad(m, 2)}${pad(d, 2)}${pad(seq, 3)}`;
  return first17 + residentIdCheckChar(first17);
}

function addressOf(r: () => number, area: { name: string; city: string }): string {
  return `浙江省${area.city}${area.name}${pickR(r, ROADS)}${intR(r, 1, 999)}号${intR(r, 1, 30)}幢${intR(r, 1, 4)}单元${intR(r, 1, 33)}0${intR(r, 1, 4)}室`;
}

/** The demo population: the demo accounts' people first, then `count − 2` generated people (unique IDs). */
export function demoPeople(count: number): DemoPerson[] {
  const r = rng('population');
  const out: DemoPerson[] = [];
  const seen = new Set<string>();
  for (const p of DEMO_PERSONS) {
    const area = AREA_BY_CODE.get(p.idNumber.slice(0, 6))!;
    const male = Number(p.idNumber[16]) % 2 === 1;
    out.push({
      idNumber: p.idNumber,
      name: p.name,
      sex: male ? '男' : '女',
      birthDate: birthOf(p.idNumber),
      ethnicity: '汉族',
      areaCode: area.code,
      address: p.idNumber === '330106199003071527' ? '浙江省杭州市西湖区文三路90号3幢2单元501室' : addressOf(r, area),
      householdHead: p.name,
      relation: '户主',
      education: male ? '高中' : '大学本科',
    });
    seen.add(p.idNumber);
  }
  let head = { name: '', area: AREAS[0]!, address: '', left: 0 };
  while (out.length < count) {
    // a household of 1–4 people: the head and their family share the address
    if (head.left === 0) {
      const area = pickR(r, AREA_TABLE);
      head = { name: '', area, address: addressOf(r, area), left: intR(r, 1, 4) };
    }
    const male = r() < 0.5;
    const y = intR(r, 1940, 2020);
    const m = intR(r, 1, 12);
    const d = intR(r, 1, 28);
    let seq = intR(r, 0, 499) * 2 + (male ? 1 : 0);
    let id = residentIdOf(head.area.code, y, m, d, seq);
    while (seen.has(id)) {
      seq = (seq + 2) % 1000;
      id = residentIdOf(head.area.code, y, m, d, seq);
    }
    seen.add(id);
    const surname = head.name ? head.name[0]! : pickR(r, [...SURNAMES]);
    const name = surname + pickR(r, male ? GIVEN_M : GIVEN_F);
    const isHead = !head.name;
    if (isHead) head.name = name;
    out.push({
      idNumber: id,
      name,
      sex: male ? '男' : '女',
      birthDate: dateStr(y, m, d),
      ethnicity: pickR(r, ETHNIC),
      areaCode: head.area.code,
      address: head.address,
      householdHead: head.name,
      relation: isHead ? '户主' : y > 1995 ? (male ? '子' : '女') : male ? '夫' : '妻',
      education: y > 2014 ? '学龄前' : pickR(r, EDUCATION),
    });
    head.left--;
  }
  return out;
}

const SCALE = { population: 50_000, enterprise: 10_000, socialInsurance: 20_000, realEstate: 12_000, marriage: 8_000, drivingLicence: 15_000, exitEntry: 3_000 };

/** Adults of the population (18 or older at 2025), in order: a stable pool to draw the other resources from. */
function adults(people: DemoPerson[]): DemoPerson[] {
  return people.filter((p) => Number(p.birthDate.slice(0, 4)) <= 2007);
}

const SCOPES = ['软件开发；信息技术咨询服务；数据处理服务', '日用百货销售；服装服饰零售', '餐饮服务；食品销售', '农产品种植、销售；农业技术服务', '建筑工程施工；装饰装修', '货物进出口；技术进出口', '文化艺术交流活动策划；会议及展览服务', '家政服务；物业管理'];
const ENT_WORDS = ['云栖', '钱塘', '西溪', '之江', '数智', '绿源', '恒信', '嘉禾', '宏远', '天成', '锦程', '华联', '明辉', '润丰', '新越', '凯达', '博雅', '瑞祥', '东方', '星河'];
const ENT_TRADES = ['科技', '贸易', '餐饮管理', '农业开发', '建设工程', '文化传媒', '物业服务', '电子商务', '服饰', '食品'];

function enterprises(pool: DemoPerson[]): Record<string, unknown>[] {
  const r = rng('enterprise');
  const out: Record<string, unknown>[] = [];
  const seen = new Set<string>();
  for (const e of DEMO_ENTERPRISES) {
    const area = AREA_BY_CODE.get(e.region)!;
    seen.add(e.creditCode);
    out.push({
      credit_code: e.creditCode, name: e.name, enterprise_type: e.creditCode.startsWith('93') ? '农民专业合作社' : '有限责任公司（自然人投资或控股）',
      legal_rep: e.legalRep, legal_rep_id_number: e.legalRepIdNumber, registered_capital: e.creditCode.startsWith('93') ? 50 : 500,
      established_date: e.creditCode.startsWith('93') ? '2012-04-18' : '2019-06-12', address: `${area.city}${area.name}${e.creditCode.startsWith('93') ? '城南街道' : '文三路90号'}`,
      region_code: area.code, business_scope: e.creditCode.startsWith('93') ? '农产品种植、销售；农业技术服务' : '软件开发；信息技术咨询服务；数据处理服务',
      status: '存续', authority: `${area.city}${area.name}市场监督管理局`,
    });
  }
  let i = 0;
  while (out.length < SCALE.enterprise) {
    i++;
    const rep = pool[Math.floor(r() * pool.length)]!;
    const area = pickR(r, AREA_TABLE);
    const kind = r();
    const prefix = kind < 0.7 ? '91' : kind < 0.95 ? '92' : '93';
    const body = `MA${pad(i, 6)}`.replace(/[IOSVZ]/g, 'A');
    const code = enterpriseCreditCode(prefix, area.code, body);
    if (seen.has(code)) continue;
    seen.add(code);
    const word = pickR(r, ENT_WORDS);
    const trade = pickR(r, ENT_TRADES);
    const name = prefix === '92' ? `${area.name}${rep.name}${trade}店` : prefix === '93' ? `${area.name.replace(/[区县市]$/, '')}${word}专业合作社` : `${area.city.replace(/市$/, '')}${word}${trade}有限公司`;
    out.push({
      credit_code: code, name: prefix === '91' ? name.replace('有限公司', `${pad(i % 1000, 3)}有限公司`) : name,
      enterprise_type: prefix === '91' ? '有限责任公司（自然人投资或控股）' : prefix === '92' ? '个体工商户' : '农民专业合作社',
      legal_rep: rep.name, legal_rep_id_number: rep.idNumber, registered_capital: prefix === '92' ? intR(r, 1, 50) : intR(r, 10, 5000),
      established_date: dateStr(intR(r, 2000, 2024), intR(r, 1, 12), intR(r, 1, 28)), address: `${area.city}${area.name}${pickR(r, ROADS)}${intR(r, 1, 600)}号`,
      region_code: area.code, business_scope: pickR(r, SCOPES), status: r() < 0.92 ? '存续' : '注销', authority: `${area.city}${area.name}市场监督管理局`,
    });
  }
  return out;
}

function socialInsurance(pool: DemoPerson[], employers: Record<string, unknown>[]): Record<string, unknown>[] {
  const r = rng('social-insurance');
  const workers = pool.filter((p) => Number(p.birthDate.slice(0, 4)) >= 1960);
  const chosen = [...DEMO_PERSONS.map((d) => pool.find((p) => p.idNumber === d.idNumber)!), ...workers.filter((p, i) => i >= DEMO_PERSONS.length && i % 4 !== 3)].slice(0, SCALE.socialInsurance);
  return chosen.map((p, i) => {
    const employed = i === 0 || r() < 0.8;
    const emp = employers[i === 0 ? 0 : intR(r, 0, employers.length - 1)]!;
    const start = Math.max(Number(p.birthDate.slice(0, 4)) + 20, 1995);
    return {
      id_number: p.idNumber, name: p.name, insurance_type: employed ? '企业职工基本养老保险' : '城乡居民基本养老保险', status: i < 2 || r() < 0.9 ? '正常参保' : '暂停缴费',
      start_date: dateStr(Math.min(start + intR(r, 0, 3), 2024), intR(r, 1, 12), 1), employer: employed ? emp.name : '', employer_credit_code: employed ? emp.credit_code : '',
      region_code: p.areaCode, monthly_base: employed ? intR(r, 4462, 24930) : 0, months_paid: Math.min(intR(r, 12, 420), (2025 - start) * 12),
    };
  });
}

function realEstate(pool: DemoPerson[]): Record<string, unknown>[] {
  const r = rng('real-estate');
  const owners = [...DEMO_PERSONS.map((d) => pool.find((p) => p.idNumber === d.idNumber)!), ...pool.filter((p, i) => i >= DEMO_PERSONS.length && p.relation === '户主')];
  const out: Record<string, unknown>[] = [];
  for (let i = 0; out.length < SCALE.realEstate; i++) {
    const p = owners[i % owners.length]!;
    const year = intR(r, 2008, 2024);
    const unit = `${p.areaCode}${pad(intR(r, 1, 20), 3)}${pad(intR(r, 1, 99), 3)}GB${pad(intR(r, 1, 99999), 5)}F${pad(i + 1, 8)}`;
    const area = AREA_BY_CODE.get(p.areaCode)!;
    out.push({
      unit_no: unit, cert_no: `浙(${year})${area.city.replace(/市$/, '')}市不动产权第${pad(i + 1, 7)}号`, owner_name: p.name, owner_id_number: p.idNumber,
      location: p.address, region_code: p.areaCode, right_type: '国有建设用地使用权/房屋所有权', usage: r() < 0.85 ? '住宅' : '商业服务',
      floor_area: Math.round((50 + r() * 150) * 100) / 100, register_date: dateStr(year, intR(r, 1, 12), intR(r, 1, 28)), mortgaged: i < 2 ? false : r() < 0.35,
    });
  }
  return out;
}

function marriage(pool: DemoPerson[]): Record<string, unknown>[] {
  const r = rng('marriage');
  const men = pool.filter((p) => p.sex === '男' && Number(p.birthDate.slice(0, 4)) <= 2000);
  const women = pool.filter((p) => p.sex === '女' && Number(p.birthDate.slice(0, 4)) <= 2000);
  const out: Record<string, unknown>[] = [];
  const used = new Set<string>();
  const add = (a: DemoPerson, b: DemoPerson, i: number) => {
    const y = Math.max(Number(a.birthDate.slice(0, 4)), Number(b.birthDate.slice(0, 4))) + intR(r, 22, 32);
    const year = Math.min(y, 2024);
    const divorced = i > 1 && r() < 0.08;
    const area = AREA_BY_CODE.get(a.areaCode)!;
    const date = dateStr(year, intR(r, 1, 12), intR(r, 1, 28));
    const cert = `${divorced ? 'L' : 'J'}${a.areaCode}-${year}-${pad(i + 1, 6)}`;
    const authority = `${area.city}${area.name}民政局`;
    for (const [x, y2] of [[a, b], [b, a]] as const) {
      used.add(x.idNumber);
      out.push({ id_number: x.idNumber, name: x.name, marital_status: divorced ? '离婚' : '已婚', spouse_name: y2.name, spouse_id_number: y2.idNumber, register_date: date, cert_no: cert, authority, region_code: a.areaCode });
    }
  };
  // the demo people first, each with a spouse of the population
  let mi = 0;
  let wi = 0;
  DEMO_PERSONS.forEach((d, i) => {
    const p = pool.find((x) => x.idNumber === d.idNumber)!;
    if (p.sex === '女') {
      while (used.has(men[mi]!.idNumber) || Math.abs(Number(men[mi]!.birthDate.slice(0, 4)) - Number(p.birthDate.slice(0, 4))) > 5) mi++;
      add(men[mi]!, p, i);
    } else {
      while (used.has(women[wi]!.idNumber) || Math.abs(Number(women[wi]!.birthDate.slice(0, 4)) - Number(p.birthDate.slice(0, 4))) > 5) wi++;
      add(p, women[wi]!, i);
    }
  });
  let n = DEMO_PERSONS.length;
  while (out.length < SCALE.marriage && mi < men.length && wi < women.length) {
    const a = men[mi++]!;
    const b = women[wi++]!;
    if (used.has(a.idNumber) || used.has(b.idNumber)) continue;
    add(a, b, n++);
  }
  return out;
}

function drivingLicences(pool: DemoPerson[]): Record<string, unknown>[] {
  const r = rng('driving-licence');
  const drivers = [...DEMO_PERSONS.map((d) => pool.find((p) => p.idNumber === d.idNumber)!), ...pool.filter((p, i) => i >= DEMO_PERSONS.length && i % 3 !== 0 && Number(p.birthDate.slice(0, 4)) >= 1950)].slice(0, SCALE.drivingLicence);
  return drivers.map((p, i) => {
    const first = Math.min(Number(p.birthDate.slice(0, 4)) + intR(r, 18, 35), 2024);
    const from = Math.max(first, 2019 - intR(r, 0, 5));
    const demo = DEMO_PERSONS.find((d) => d.idNumber === p.idNumber);
    return {
      id_number: p.idNumber, name: p.name, sex: p.sex, vehicle_class: i < 2 ? 'C1' : pickR(r, ['C1', 'C1', 'C1', 'C2', 'B2', 'A2', 'C1E']), first_issue_date: dateStr(first, intR(r, 1, 12), intR(r, 1, 28)),
      valid_from: dateStr(from, intR(r, 1, 12), intR(r, 1, 28)), valid_until: dateStr(from + (first + 6 > from ? 6 : 10), intR(r, 1, 12), 28), status: i < 2 || r() < 0.95 ? '正常' : '超分',
      points: i < 2 ? 0 : intR(r, 0, 12), authority: '浙江省杭州市公安局交通警察支队', mobile: demo ? demo.mobile : `1${pickR(r, ['38', '39', '58', '59', '86', '87', '88'])}${pad(intR(r, 0, 99_999_999), 8)}`,
    };
  });
}

function exitEntry(pool: DemoPerson[]): Record<string, unknown>[] {
  const r = rng('exit-entry');
  const holders = pool.filter((p, i) => i >= DEMO_PERSONS.length && i % 11 === 0).slice(0, SCALE.exitEntry);
  return holders.map((p) => {
    const y = intR(r, 2016, 2025);
    const passport = r() < 0.6;
    return {
      id_number: p.idNumber, name: p.name, document_type: passport ? '普通护照' : '往来港澳通行证', document_no: `${passport ? 'E' : 'C'}${pad(intR(r, 0, 99_999_999), 8)}`,
      issue_date: dateStr(y, intR(r, 1, 12), intR(r, 1, 28)), expiry_date: dateStr(y + 10, intR(r, 1, 12), 28), authority: '浙江省公安厅出入境管理局',
    };
  });
}

interface ResourceDef {
  key: DemoResourceKey;
  name: string;
  region: string;
  kind: DepartmentKind;
  catalogueKind: CatalogueKind;
  baseLibrary: BaseLibrary | null;
  classification: string;
  abstract: string;
  items: DataItem[];
  keyItem: string;
  shareType: ShareType;
  shareConditions: string;
  shareMethod: 'api' | 'batch' | 'both';
  openType: OpenType;
  updateCycle: UpdateCycle;
  grade: DataGrade;
  related: DemoResourceKey[];
}

const DEFS: ResourceDef[] = [
  {
    key: 'population', name: '户籍人口基本信息', region: '330000', kind: 'public_security', catalogueKind: 'base', baseLibrary: 'population', classification: '人口/户籍管理',
    abstract: '全省户籍人口的公民身份号码、姓名、性别、民族、出生日期、户籍地址和户主信息，用于办理政务服务事项时核验身份和户籍。', items: POPULATION_ITEMS, keyItem: 'id_number',
    shareType: 'conditional', shareConditions: '仅限办理政务服务事项时核验申请人身份、户籍；须按事项申请所需信息项，个人信息默认脱敏。', shareMethod: 'both', openType: 'closed',
    updateCycle: 'daily', grade: 'important', related: ['marriage', 'socialInsurance'],
  },
  {
    key: 'enterprise', name: '企业登记基本信息', region: '330000', kind: 'market_regulation', catalogueKind: 'base', baseLibrary: 'legal_person', classification: '法人/市场主体登记',
    abstract: '全省企业、个体工商户和农民专业合作社的统一社会信用代码、名称、类型、法定代表人、注册资本、成立日期、住所、经营范围和登记状态（营业执照信息）。', items: ENTERPRISE_ITEMS, keyItem: 'credit_code',
    shareType: 'unconditional', shareConditions: '', shareMethod: 'both', openType: 'conditional', updateCycle: 'realtime', grade: 'general', related: [],
  },
  {
    key: 'socialInsurance', name: '社会保险参保信息', region: '330000', kind: 'human_resources', catalogueKind: 'theme', baseLibrary: null, classification: '社会保障/参保登记',
    abstract: '个人参加基本养老保险的险种、参保状态、参保日期、参保单位、参保地、缴费基数和累计缴费月数。', items: SOCIAL_INSURANCE_ITEMS, keyItem: 'id_number',
    shareType: 'conditional', shareConditions: '用于人才引进、落户、子女入学、住房保障等事项核验参保情况；缴费基数须单独申请明文。', shareMethod: 'api', openType: 'closed',
    updateCycle: 'monthly', grade: 'important', related: ['population'],
  },
  {
    key: 'realEstate', name: '不动产登记信息', region: '330000', kind: 'natural_resources', catalogueKind: 'base', baseLibrary: 'geospatial', classification: '自然资源/不动产登记',
    abstract: '不动产单元号、不动产权证书号、权利人、坐落、权利类型、用途、建筑面积、登记日期和抵押状态。', items: REAL_ESTATE_ITEMS, keyItem: 'unit_no',
    shareType: 'conditional', shareConditions: '用于住房公积金提取、住房保障、户籍迁入、司法查控等事项，须说明申请依据；权利人信息默认脱敏。', shareMethod: 'api', openType: 'closed',
    updateCycle: 'daily', grade: 'important', related: ['population'],
  },
  {
    key: 'marriage', name: '婚姻登记信息', region: '330000', kind: 'civil_affairs', catalogueKind: 'base', baseLibrary: 'population', classification: '人口/婚姻登记',
    abstract: '结婚、离婚登记的当事人、配偶、登记日期、证件字号和登记机关，每位当事人一条记录（最近一次登记）。', items: MARRIAGE_ITEMS, keyItem: 'id_number',
    shareType: 'conditional', shareConditions: '仅用于办理需核验婚姻状况的政务服务事项（如生育登记、落户、住房保障），须有当事人授权。', shareMethod: 'api', openType: 'closed',
    updateCycle: 'daily', grade: 'important', related: ['population'],
  },
  {
    key: 'drivingLicence', name: '机动车驾驶证信息', region: '330100', kind: 'traffic_police', catalogueKind: 'department', baseLibrary: 'licence', classification: '交通/驾驶人管理',
    abstract: '杭州市核发的机动车驾驶证：证号、姓名、准驾车型、初次领证日期、有效期、状态、累积记分和发证机关（电子驾驶证信息）。', items: DRIVING_LICENCE_ITEMS, keyItem: 'id_number',
    shareType: 'conditional', shareConditions: '用于网约车驾驶员证、道路运输从业资格等事项核验驾驶资格。', shareMethod: 'api', openType: 'closed',
    updateCycle: 'daily', grade: 'general', related: ['population'],
  },
  {
    key: 'exitEntry', name: '出入境证件信息', region: '330000', kind: 'exit_entry', catalogueKind: 'department', baseLibrary: null, classification: '公安/出入境管理',
    abstract: '本省居民普通护照、往来港澳通行证的证件种类、证件号码、签发日期、有效期和签发机关。', items: EXIT_ENTRY_ITEMS, keyItem: 'id_number',
    shareType: 'none', shareConditions: '涉及出入境管理和国家安全，依据《中华人民共和国出境入境管理法》《中华人民共和国数据安全法》列为核心数据，不予共享；确需核验的，由出入境管理部门出具证明。',
    shareMethod: 'api', openType: 'closed', updateCycle: 'weekly', grade: 'core', related: [],
  },
];

/** The department that provides a resource, robustly: the exact one, the same kind elsewhere, then any. */
async function providerFor(db: Kysely<DB>, region: string, kind: DepartmentKind): Promise<{ id: number; name: string } | undefined> {
  const exact = await db.selectFrom('departments').select(['id', 'name']).where('region_code', '=', region).where('kind', '=', kind).executeTakeFirst();
  if (exact) return exact;
  const sameKind = await db
    .selectFrom('departments as d')
    .innerJoin('regions as g', 'g.code', 'd.region_code')
    .select(['d.id', 'd.name'])
    .where('d.kind', '=', kind)
    .orderBy((eb) => eb.case().when('g.level', '=', 'province').then(0).when('g.level', '=', 'city').then(1).else(2).end())
    .orderBy('d.region_code')
    .executeTakeFirst();
  if (sameKind) return sameKind;
  const fallbackKind: DepartmentKind = kind === 'traffic_police' || kind === 'exit_entry' ? 'public_security' : kind;
  return (
    (await db.selectFrom('departments').select(['id', 'name']).where('kind', '=', fallbackKind).orderBy('region_code').executeTakeFirst()) ??
    (await db.selectFrom('departments').select(['id', 'name']).orderBy('region_code').orderBy('id').executeTakeFirst())
  );
}

/**
 * Writes the demo resources (published, data version 1). Returns how many resources and records it wrote;
 * resources already present are left as they are.
 */
export async function seedDemoDataResources(db: Kysely<DB>): Promise<{ resources: number; records: number }> {
  const existing = new Set((await db.selectFrom('data_resources').select('code').execute()).map((r) => r.code));
  const todo = DEFS.filter((d) => !existing.has(DEMO_RESOURCE_CODES[d.key]));
  if (!todo.length) return { resources: 0, records: 0 };

  const people = demoPeople(SCALE.population);
  const pool = adults(people);
  const ents = enterprises(pool);
  const recordsOf: Record<DemoResourceKey, () => Record<string, unknown>[]> = {
    population: () =>
      people.map((p) => ({
        id_number: p.idNumber, name: p.name, sex: p.sex, ethnicity: p.ethnicity, birth_date: p.birthDate, address: p.address, region_code: p.areaCode,
        household_head: p.householdHead, relation: p.relation, education: p.education,
      })),
    enterprise: () => ents,
    socialInsurance: () => socialInsurance(pool, ents.filter((e) => e.status === '存续' && String(e.credit_code).startsWith('91'))),
    realEstate: () => realEstate(pool),
    marriage: () => marriage(pool),
    drivingLicence: () => drivingLicences(pool),
    exitEntry: () => exitEntry(pool),
  };

  let resources = 0;
  let records = 0;
  const now = new Date();
  await db.transaction().execute(async (trx) => {
    const ids = new Map<DemoResourceKey, number>();
    const events: AuditEventInput[] = [];
    for (const def of todo) {
      const provider = await providerFor(trx, def.region, def.kind);
      if (!provider) continue; // no departments at all: nothing to attach a resource to
      const code = DEMO_RESOURCE_CODES[def.key];
      const rows = recordsOf[def.key]();
      const related = def.related.map((k) => DEMO_RESOURCE_CODES[k]);
      const meta = {
        code,
        name: def.name,
        catalogue_kind: def.catalogueKind,
        base_library: def.baseLibrary,
        classification: def.classification,
        abstract: def.abstract,
        format: 'table' as const,
        key_item: def.keyItem,
        share_type: def.shareType,
        share_conditions: def.shareConditions,
        share_method: def.shareMethod,
        open_type: def.openType,
        update_cycle: def.updateCycle,
        grade: def.grade,
        related_codes: related,
      };
      const row = await trx
        .insertInto('data_resources')
        .values({
          ...meta,
          provider_department_id: provider.id,
          items: JSON.stringify(def.items),
          status: 'published',
          published_at: now,
          data_version: 1,
          record_count: rows.length,
          search_text: buildSearchText({ ...meta, items: def.items, providerName: provider.name }),
          updated_at: now,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      ids.set(def.key, row.id);
      const snapshot = {
        code, name: def.name, providerDepartmentId: provider.id, providerName: provider.name, catalogueKind: def.catalogueKind, baseLibrary: def.baseLibrary,
        classification: def.classification, abstract: def.abstract, format: 'table', items: def.items, keyItem: def.keyItem, shareType: def.shareType,
        shareConditions: def.shareConditions, shareMethod: def.shareMethod, openType: def.openType, updateCycle: def.updateCycle, grade: def.grade, relatedCodes: related,
      };
      await trx.insertInto('data_resource_versions').values({ resource_id: row.id, version: 1, snapshot: JSON.stringify(snapshot), note: '演示数据' }).execute();
      await trx
        .insertInto('data_loads')
        .values({
          resource_id: row.id, version: 1, mode: 'full', status: 'applied', file_name: '演示数据', format: null, rows_read: rows.length, rows_upserted: rows.length,
          started_at: now, finished_at: now,
        })
        .execute();
      await bulkInsert(
        trx,
        'data_records',
        rows.map((data) => ({ resource_id: row.id, record_key: String(data[def.keyItem]), data, added_in: 1, removed_in: null })),
        { batch: 5000 },
      );
      events.push(
        { action: 'data_resource.saved' as const, actor: SYSTEM_ACTOR, target: { type: 'data_resource', id: code }, details: { resourceId: row.id, created: true, version: 1, demo: true, departmentId: provider.id } },
        { action: 'data_resource.published' as const, actor: SYSTEM_ACTOR, target: { type: 'data_resource', id: code }, details: { resourceId: row.id, status: 'published', from: 'draft', records: rows.length, dataVersion: 1, demo: true } },
      );
      resources++;
      records += rows.length;
    }
    if (events.length) await recordAuditEvents(trx, events);
  });
  return { resources, records };
}
