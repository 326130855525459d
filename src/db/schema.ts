/** Kysely table types. Keep in step with db/migrations. */
import type { ColumnType, Generated, Selectable } from 'kysely';
import type {
  DepartmentKind,
  ExerciseLevel,
  HandlingType,
  ItemType,
  MaterialForm,
  MaterialSource,
  PowerSource,
  ResultType,
  ServiceObject,
  Theme,
  TongbanScope,
} from '../modules/catalogue/catalogue.types.ts';
import type { RegionLevel } from '../shared/codes/region-code.ts';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;

export interface RegionTable {
  code: string; // 行政区划代码
  name: string; // 西湖区
  full_name: string; // 浙江省杭州市西湖区
  level: RegionLevel;
  parent_code: string | null;
  sort: number;
}

export interface DepartmentTable {
  id: Generated<number>;
  credit_code: string; // 统一社会信用代码
  name: string; // 杭州市西湖区市场监督管理局
  short_name: string; // 区市场监管局
  kind: DepartmentKind;
  region_code: string;
  org_type: string; // 机构类型: 政府工作部门 / 直属机构 / 事业单位 …
  address: string;
  phone: string;
  office_hours: string;
  created_at: CreatedAt;
}

export interface BasicItemTable {
  code: string; // 基本编码
  name: string;
  type: ItemType;
  objects: ServiceObject[];
  themes: Theme[];
  department_kind: DepartmentKind;
  power_source: PowerSource;
  legal_basis: string[];
  keywords: string[];
  summary: string;
  popularity: number;
  created_at: CreatedAt;
}

export interface ImplItemTable {
  code: string; // 实施编码
  basic_code: string;
  region_code: string;
  department_id: number;
  published_version: number | null; // the version the public sees
  latest_version: number;
  popularity: number;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export type VersionStatus = 'draft' | 'published' | 'superseded';

export interface ProcessStep {
  name: string;
  description?: string;
}

export interface ImplItemVersionTable {
  id: Generated<number>;
  item_code: string;
  version: number;
  status: VersionStatus;
  name: string;
  type: ItemType;
  objects: ServiceObject[];
  themes: Theme[];
  exercise_level: ExerciseLevel;
  power_source: PowerSource;
  legal_basis: string[];
  conditions: string[];
  steps: ColumnType<ProcessStep[], string, string>; // jsonb
  legal_days: number; // 法定办结时限（工作日）
  legal_days_note: string;
  promised_days: number; // 承诺办结时限（工作日）
  promised_days_note: string;
  fee_standard: string | null; // null = 不收费
  fee_basis: string | null;
  address: string;
  office_hours: string;
  consult_phone: string;
  complaint_phone: string;
  visits: number; // 到办事现场次数
  online_depth: number; // 网办深度 1–7
  handling_type: HandlingType;
  result_name: string;
  result_type: ResultType;
  tongban: TongbanScope | null;
  appointment: boolean;
  delivery: boolean;
  online_payment: boolean;
  summary: string;
  keywords: string[];
  change_note: string;
  created_by: string;
  created_at: CreatedAt;
  published_at: Timestamp | null;
}

export interface ItemMaterialTable {
  id: Generated<number>;
  version_id: number;
  seq: number;
  name: string;
  form: MaterialForm;
  copies: number;
  required: boolean; // 必要
  condition: string | null; // when not always required: the case in which it is (情形必要)
  source: MaterialSource;
  issuer: string | null;
  blank_form: boolean;
  sample: boolean;
  notes: string | null;
}

export interface CatalogueRevisionTable {
  id: number;
  revision: number;
  updated_at: Timestamp;
}

export interface SearchSynonymTable {
  term: string; // what people type
  expansions: string[]; // what it means in the catalogue's words
}

export type ActorType = 'anonymous' | 'citizen' | 'enterprise_agent' | 'staff' | 'client' | 'system';
export type AuditOutcome = 'success' | 'failure' | 'denied';

export interface AuditEventTable {
  seq: number;
  at: Date;
  actor_type: ActorType;
  actor_id: string | null;
  on_behalf_of: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  outcome: AuditOutcome;
  ip: string | null;
  user_agent: string | null;
  request_id: string | null;
  department_id: number | null;
  region_code: string | null;
  details: ColumnType<Record<string, unknown>, string, string>; // jsonb
  prev_hash: string;
  hash: string;
}

export interface AuditChainHeadTable {
  id: number;
  last_seq: number;
  last_hash: string;
}

export interface DB {
  regions: RegionTable;
  departments: DepartmentTable;
  basic_items: BasicItemTable;
  impl_items: ImplItemTable;
  impl_item_versions: ImplItemVersionTable;
  item_materials: ItemMaterialTable;
  catalogue_revision: CatalogueRevisionTable;
  search_synonyms: SearchSynonymTable;
  audit_events: AuditEventTable;
  audit_chain_head: AuditChainHeadTable;
}

export type Region = Selectable<RegionTable>;
export type Department = Selectable<DepartmentTable>;
export type ImplItemVersion = Selectable<ImplItemVersionTable>;
export type ItemMaterial = Selectable<ItemMaterialTable>;
