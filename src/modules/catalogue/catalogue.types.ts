/**
 * Catalogue vocabulary (政务服务事项). Shared by the database layer, the seed data, the API and the portal.
 * Codes and labels follow GB/T 39554.1-2020 and ../shared/domain/README.md §3.
 */

/** 事项类型 — the ten power types plus 公共服务. */
export const ITEM_TYPES = {
  XK: '行政许可',
  CF: '行政处罚',
  QZ: '行政强制',
  ZS: '行政征收',
  GF: '行政给付',
  JC: '行政检查',
  QR: '行政确认',
  JL: '行政奖励',
  CJ: '行政裁决',
  QT: '其他行政权力',
  GG: '公共服务',
} as const;
export type ItemType = keyof typeof ITEM_TYPES;

/** 服务对象 */
export const SERVICE_OBJECTS = { natural: '自然人', legal: '法人' } as const;
export type ServiceObject = keyof typeof SERVICE_OBJECTS;

/** 行使层级 */
export const EXERCISE_LEVELS = { province: '省级', city: '市级', county: '县级' } as const;
export type ExerciseLevel = keyof typeof EXERCISE_LEVELS;

/** 权力来源 */
export const POWER_SOURCES = {
  statutory: '法定本级行使',
  delegated_down: '上级下放',
  authorised_up: '上级授权',
  authorised_peer: '同级授权',
  entrusted_up: '上级委托',
  entrusted_peer: '同级委托',
} as const;
export type PowerSource = keyof typeof POWER_SOURCES;

/** 办件类型 */
export const HANDLING_TYPES = { immediate: '即办件', promise: '承诺件' } as const;
export type HandlingType = keyof typeof HANDLING_TYPES;

/** 网办深度 1–7 */
export const ONLINE_DEPTHS = {
  1: '网上咨询',
  2: '网上收件',
  3: '网上预审',
  4: '网上受理',
  5: '网上办理',
  6: '网上办理结果信息反馈',
  7: '电子证照反馈',
} as const;
export type OnlineDepth = 1 | 2 | 3 | 4 | 5 | 6 | 7;
/** An item is "online-handleable" (可网办) when it can at least be accepted online. */
export const ONLINE_HANDLEABLE_MIN_DEPTH: OnlineDepth = 4;

/** 办理结果类型 */
export const RESULT_TYPES = { licence: '证照', approval: '批文', other: '其他' } as const;
export type ResultType = keyof typeof RESULT_TYPES;

/** 通办范围 */
export const TONGBAN_SCOPES = { province: '全省通办', city: '全市通办', cross_province: '跨省通办' } as const;
export type TongbanScope = keyof typeof TONGBAN_SCOPES;

/** 材料形式 */
export const MATERIAL_FORMS = { original: '原件', copy: '复印件', original_and_copy: '原件和复印件', electronic: '电子材料' } as const;
export type MaterialForm = keyof typeof MATERIAL_FORMS;

/** 材料来源渠道 */
export const MATERIAL_SOURCES = { applicant: '申请人自备', government: '政府部门核发', shared: '共享获取（免提交）' } as const;
export type MaterialSource = keyof typeof MATERIAL_SOURCES;

/** Themes: life events for people (个人主题) and lifecycle stages for enterprises (法人主题). */
export const THEMES = {
  // 个人主题
  birth: { label: '生育收养', object: 'natural' },
  education: { label: '教育入学', object: 'natural' },
  employment: { label: '就业创业', object: 'natural' },
  marriage: { label: '婚姻登记', object: 'natural' },
  housing: { label: '住房不动产', object: 'natural' },
  vehicles: { label: '交通出行', object: 'natural' },
  social_insurance: { label: '社会保险', object: 'natural' },
  medical: { label: '医疗卫生', object: 'natural' },
  household: { label: '户籍身份', object: 'natural' },
  exit_entry: { label: '出入境', object: 'natural' },
  assistance: { label: '残疾与社会救助', object: 'natural' },
  retirement: { label: '退休养老', object: 'natural' },
  funeral: { label: '死亡殡葬', object: 'natural' },
  convenience: { label: '便民服务', object: 'natural' },
  // 法人主题
  startup: { label: '企业开办', object: 'legal' },
  licensing: { label: '经营许可', object: 'legal' },
  construction: { label: '投资建设', object: 'legal' },
  tax: { label: '税费办理', object: 'legal' },
  staffing: { label: '用工社保', object: 'legal' },
  change: { label: '变更登记', object: 'legal' },
  deregistration: { label: '注销退出', object: 'legal' },
} as const satisfies Record<string, { label: string; object: ServiceObject }>;
export type Theme = keyof typeof THEMES;

/**
 * Kinds of department (部门类别). Every region has the departments its level needs; an item names the kind
 * of department that handles it and the seed attaches it to that region's department of this kind.
 * `levels` says at which levels the kind exists.
 */
export const DEPARTMENT_KINDS = {
  public_security: { name: '公安局', code: '001', levels: ['province', 'city', 'county'] },
  civil_affairs: { name: '民政局', code: '002', levels: ['province', 'city', 'county'] },
  human_resources: { name: '人力资源和社会保障局', code: '003', levels: ['province', 'city', 'county'] },
  market_regulation: { name: '市场监督管理局', code: '004', levels: ['province', 'city', 'county'] },
  health: { name: '卫生健康委员会', code: '005', levels: ['province', 'city', 'county'] },
  medical_security: { name: '医疗保障局', code: '006', levels: ['province', 'city', 'county'] },
  housing_construction: { name: '住房和城乡建设局', code: '007', levels: ['province', 'city', 'county'] },
  natural_resources: { name: '自然资源和规划局', code: '008', levels: ['province', 'city', 'county'] },
  transport: { name: '交通运输局', code: '009', levels: ['province', 'city', 'county'] },
  tax: { name: '税务局', code: '010', levels: ['province', 'city', 'county'] },
  education: { name: '教育局', code: '011', levels: ['province', 'city', 'county'] },
  justice: { name: '司法局', code: '012', levels: ['province', 'city', 'county'] },
  veterans: { name: '退役军人事务局', code: '013', levels: ['province', 'city', 'county'] },
  disabled_persons: { name: '残疾人联合会', code: '014', levels: ['province', 'city', 'county'] },
  fire_rescue: { name: '消防救援支队', code: '015', levels: ['province', 'city', 'county'] },
  drug_administration: { name: '药品监督管理局', code: '016', levels: ['province'] },
  housing_fund: { name: '住房公积金管理中心', code: '017', levels: ['city'] },
  exam_authority: { name: '教育考试院', code: '018', levels: ['province'] },
  ecology: { name: '生态环境局', code: '019', levels: ['province', 'city', 'county'] },
  culture_tourism: { name: '文化广电旅游局', code: '020', levels: ['province', 'city', 'county'] },
  development_reform: { name: '发展和改革委员会', code: '021', levels: ['province', 'city', 'county'] },
  emergency: { name: '应急管理局', code: '022', levels: ['province', 'city', 'county'] },
  agriculture: { name: '农业农村局', code: '023', levels: ['province', 'city', 'county'] },
  commerce: { name: '商务局', code: '024', levels: ['province', 'city', 'county'] },
  exit_entry: { name: '公安局出入境管理局', code: '025', levels: ['province', 'city'] },
  traffic_police: { name: '公安局交通警察支队', code: '026', levels: ['city'] },
  hospital_service: { name: '卫生健康委员会（医疗机构预约服务）', code: '027', levels: ['city'] },
} as const;
export type DepartmentKind = keyof typeof DEPARTMENT_KINDS;

/** One material (申请材料) of a service guide. */
export interface MaterialSeed {
  name: string; // 材料名称
  form: MaterialForm; // 材料形式
  copies?: number; // 纸质份数 (0 when fully electronic); default 1
  /** true = 必要; a string = 容缺/情形必要, stating the condition (e.g. '委托代办的提供'). */
  required: true | string;
  source: MaterialSource; // 来源渠道
  issuer?: string; // 出具单位, for government-issued or shared materials, e.g. '公安机关'
  blankForm?: boolean; // 有空白表格
  sample?: boolean; // 有示例样表
  notes?: string; // 填报须知
}

/**
 * One basic catalogue item (基本目录) as written in the seed data. The seed derives codes, implementation
 * items per region, addresses and phones; everything a citizen reads in the guide is written here by hand.
 */
export interface BasicItemSeed {
  name: string; // 事项名称, the official name, e.g. '内地居民婚姻登记（结婚登记）'
  type: ItemType;
  objects: ServiceObject[]; // 服务对象
  themes: Theme[]; // at least one
  department: DepartmentKind; // 实施主体 kind
  levels: ExerciseLevel[]; // levels that implement it (实施层级)
  powerSource?: PowerSource; // default 'statutory'
  legalBasis: string[]; // 设定依据: '《中华人民共和国民法典》第一千零四十九条', …
  conditions: string[]; // 受理条件
  materials: MaterialSeed[];
  steps?: string[]; // 办理流程, e.g. ['申请', '受理', '审查', '决定', '送达']; default by handling type
  legalDays: number; // 法定办结时限 (working days; 0 = 即办)
  legalDaysNote?: string;
  promisedDays: number; // 承诺办结时限 (working days; 0 = 即办)
  promisedDaysNote?: string;
  fee?: { standard: string; basis: string } | null; // 收费标准 and 收费依据; null/absent = 不收费
  visits: 0 | 1 | 2; // 到办事现场次数
  onlineDepth: OnlineDepth;
  handlingType: HandlingType;
  result: { name: string; type: ResultType }; // 办理结果
  tongban?: TongbanScope | null; // 通办范围
  appointment?: boolean; // 支持预约办理
  delivery?: boolean; // 支持物流快递
  onlinePayment?: boolean; // 支持网上支付
  /** Colloquial names people type (俗称), used as search synonyms: ['领证', '结婚证']. */
  keywords?: string[];
  /** Relative popularity 1–100 (how often people need it); drives ranking ties and the home page. */
  popularity: number;
  summary?: string; // one-sentence plain-language description shown in search results
}

/**
 * A colloquial query and the item a citizen means by it. The test suite checks that each such query finds
 * the item (by exact basic-item name) in the top 5 results.
 */
export interface ColloquialQuery {
  q: string;
  expect: string; // BasicItemSeed.name
  theme: Theme;
}
