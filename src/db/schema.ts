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

export type AccountKind = 'person' | 'staff';
export type StaffRole = 'window_clerk' | 'reviewer' | 'approver' | 'department_admin' | 'data_steward' | 'platform_admin';
export type DelegationRelation = 'parent' | 'guardian' | 'agent' | 'enterprise_agent';

export interface AccountTable {
  id: Generated<string>;
  kind: AccountKind;
  name: string;
  id_number: string | null; // 公民身份号码
  mobile: string | null;
  staff_no: string | null; // 工号
  department_id: number | null;
  password_hash: string | null; // argon2id
  status: 'active' | 'disabled';
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface EnterpriseTable {
  id: Generated<string>;
  credit_code: string; // 统一社会信用代码
  name: string;
  legal_rep_name: string; // 法定代表人
  legal_rep_account_id: string;
  created_at: CreatedAt;
}

export interface DelegationTable {
  id: Generated<string>;
  principal_type: 'person' | 'enterprise';
  principal_account_id: string | null;
  principal_enterprise_id: string | null;
  agent_account_id: string;
  relation: DelegationRelation;
  item_codes: string[]; // basic item codes; empty = all
  valid_from: Timestamp;
  valid_until: Timestamp;
  note: string;
  created_by: string;
  created_at: CreatedAt;
  revoked_at: Timestamp | null;
  revoked_by: string | null;
}

export interface RoleAssignmentTable {
  id: Generated<string>;
  account_id: string;
  role: StaffRole;
  department_id: number;
  include_lower_levels: boolean;
  granted_by: string;
  granted_at: CreatedAt;
  revoked_at: Timestamp | null;
  revoked_by: string | null;
}

export interface SessionTable {
  token_hash: string;
  id: Generated<string>;
  account_id: string;
  acting_delegation_id: string | null;
  auth_method: 'password' | 'oidc';
  csrf_token: string;
  ip: string | null;
  user_agent: string | null;
  created_at: CreatedAt;
  last_seen_at: Timestamp;
  idle_expires_at: Timestamp;
  absolute_expires_at: Timestamp;
  revoked_at: Timestamp | null;
}

export type CodePurpose = 'register' | 'reset_password';

export interface OneTimeCodeTable {
  id: Generated<string>;
  purpose: CodePurpose;
  destination: string;
  code_hash: string;
  attempts: Generated<number>;
  created_at: CreatedAt;
  expires_at: Timestamp;
  consumed_at: Timestamp | null;
}

export interface OutboundMessageTable {
  id: Generated<number>;
  channel: string;
  destination: string;
  body: string;
  created_at: CreatedAt;
}

export interface AuthThrottleTable {
  key: string;
  failures: number;
  window_start: Timestamp;
  locked_until: Timestamp | null;
}

export interface AuthPendingTable {
  key_hash: string;
  kind: 'oidc_state' | 'oidc_link';
  data: ColumnType<Record<string, unknown>, string, string>; // jsonb
  expires_at: Timestamp;
}

export interface OidcLinkTable {
  issuer: string;
  subject: string;
  account_id: string;
  linked_at: CreatedAt;
}

export interface ApiClientTable {
  client_id: string;
  name: string;
  department_id: number;
  scopes: string[];
  secret_hash: string;
  previous_secret_hash: string | null;
  previous_expires_at: Timestamp | null;
  created_by: string;
  created_at: CreatedAt;
  rotated_at: Timestamp | null;
  disabled_at: Timestamp | null;
}

export interface ClientTokenTable {
  token_hash: string;
  client_id: string;
  scopes: string[];
  expires_at: Timestamp;
  created_at: CreatedAt;
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
  accounts: AccountTable;
  enterprises: EnterpriseTable;
  delegations: DelegationTable;
  role_assignments: RoleAssignmentTable;
  sessions: SessionTable;
  one_time_codes: OneTimeCodeTable;
  outbound_messages: OutboundMessageTable;
  auth_throttle: AuthThrottleTable;
  auth_pending: AuthPendingTable;
  oidc_links: OidcLinkTable;
  api_clients: ApiClientTable;
  client_tokens: ClientTokenTable;
}

export type Region = Selectable<RegionTable>;
export type Department = Selectable<DepartmentTable>;
export type ImplItemVersion = Selectable<ImplItemVersionTable>;
export type ItemMaterial = Selectable<ItemMaterialTable>;
