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
  form: Json<unknown | null>; // the application form (FormDefinition, modules/forms); null = no online form
  workflow_key: Generated<string | null>; // the workflow (modules/applications/workflows); null = by handling type
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
  revisions: RevisionTable;
  calendar_days: CalendarDayTable;
  calendar_years: CalendarYearTable;
  workflows: WorkflowTable;
  application_drafts: ApplicationDraftTable;
  applications: ApplicationTable;
  application_events: ApplicationEventTable;
  application_clock_pauses: ApplicationClockPauseTable;
  application_supplements: ApplicationSupplementTable;
  attachments: AttachmentTable;
  application_number_blocks: ApplicationNumberBlockTable;
  application_results: ApplicationResultTable;
  notifications: NotificationTable;
  evaluations: EvaluationTable;
  rectification_tasks: RectificationTaskTable;
  rectification_events: RectificationEventTable;
  job_leases: JobLeaseTable;
  appointment_services: AppointmentServiceTable;
  appointment_closures: AppointmentClosureTable;
  appointment_slots: AppointmentSlotTable;
  appointment_bookings: AppointmentBookingTable;
  appointment_parties: AppointmentPartyTable;
  result_sets: ResultSetTable;
  result_loads: ResultLoadTable;
  result_rows: ResultRowTable;
  result_queries: ResultQueryTable;
  rate_counters: RateCounterTable;
  data_resources: DataResourceTable;
  data_resource_versions: DataResourceVersionTable;
  data_loads: DataLoadTable;
  data_records: DataRecordTable;
  share_requests: ShareRequestTable;
  share_grants: ShareGrantTable;
  data_access_subjects: DataAccessSubjectTable;
  data_subscriptions: DataSubscriptionTable;
  data_change_events: DataChangeEventTable;
  item_data_sources: ItemDataSourceTable;
  draft_shared_data: DraftSharedDataTable;
  platform_keys: PlatformKeyTable;
  list_editions: ListEditionTable;
  list_entries: ListEntryTable;
  list_revision: ListRevisionTable;
}

export type Region = Selectable<RegionTable>;
export type Department = Selectable<DepartmentTable>;
export type ImplItemVersion = Selectable<ImplItemVersionTable>;
export type ItemMaterial = Selectable<ItemMaterialTable>;

// ---------------------------------------------------------------------------------------------------------
// Applications (migration 0006). Dates (`date` columns) are 'YYYY-MM-DD' strings; bigint ids are numbers.
// ---------------------------------------------------------------------------------------------------------

/** A jsonb column: objects in, objects out (the drivers parse jsonb; inserts pass JSON text). */
type Json<T> = ColumnType<T, string | undefined, string>;
type DateText = string; // 'YYYY-MM-DD'

export interface RevisionTable {
  name: string;
  revision: number;
  updated_at: Timestamp;
}

export interface CalendarDayTable {
  day: DateText;
  kind: 'holiday' | 'workday'; // holiday: no work; workday: 调休上班 on a weekend
  name: string;
}

export interface CalendarYearTable {
  year: number;
  source: 'chinese-days' | 'administrator';
  notice: string;
  updated_by: string | null;
  updated_at: Timestamp;
}

export interface WorkflowTable {
  key: string;
  version: number;
  name: string;
  definition: Json<unknown>; // WorkflowDefinition (modules/applications/workflow.types.ts)
  created_at: CreatedAt;
}

export type SubjectType = 'person' | 'enterprise';

export interface ApplicationDraftTable {
  id: Generated<number>;
  account_id: string;
  subject_type: SubjectType;
  subject_id: string;
  item_code: string;
  item_version_id: number;
  form_data: Json<Record<string, unknown>>;
  step: Generated<number>;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export type ClockState = 'running' | 'paused' | 'stopped';
export type ClockPhase = 'acceptance' | 'decision' | 'done';
export type DeadlineStatus = 'normal' | 'due_soon' | 'overdue';
export type Decision = 'approved' | 'rejected' | 'not_accepted';

export interface ApplicationTable {
  id: Generated<number>;
  number: string; // 办件编号
  item_code: string;
  item_version_id: number;
  item_name: string;
  department_id: number;
  region_code: string;
  workflow_key: string;
  workflow_version: number;
  state: string;
  resume_state: string | null;
  version: Generated<number>;
  submitted_by: string;
  subject_type: SubjectType;
  subject_id: string;
  subject_name: string;
  subject_id_number: string;
  delegation_id: string | null;
  idempotency_key: string;
  form_data: Json<Record<string, unknown>>;
  submitted_at: Timestamp;
  accepted_at: Timestamp | null;
  legal_days: number; // 法定办结时限
  promised_days: number; // 承诺办结时限
  extension_days: Generated<number>;
  clock_state: Generated<ClockState>;
  clock_phase: Generated<ClockPhase>;
  clock_started_on: DateText;
  paused_days: Generated<number>;
  paused_since: DateText | null;
  state_due_on: DateText | null;
  promised_due_on: DateText | null;
  legal_due_on: DateText | null;
  deadline_status: Generated<DeadlineStatus>;
  escalated_at: Timestamp | null;
  decision: Decision | null;
  closed_at: Timestamp | null;
  updated_at: Timestamp;
}

export interface ApplicationEventTable {
  id: Generated<number>;
  application_id: number;
  seq: number;
  at: Timestamp;
  action: string;
  from_state: string | null;
  to_state: string;
  actor_type: 'applicant' | 'staff' | 'system';
  actor_account_id: string | null;
  actor_role: string | null;
  department_id: number | null;
  comment: Generated<string>;
  legal_basis: Generated<string>;
  details: Json<Record<string, unknown>>;
}

export type PauseKind = 'supplement' | 'hearing' | 'testing' | 'inspection' | 'expert_review' | 'quarantine' | 'other';

export interface ApplicationClockPauseTable {
  id: Generated<number>;
  application_id: number;
  kind: PauseKind;
  reason: string;
  expected_days: number | null;
  started_at: Timestamp;
  started_on: DateText;
  ended_at: Timestamp | null;
  ended_on: DateText | null;
  working_days: number | null;
}

export interface SupplementItem {
  slot?: string; // a material slot
  field?: string; // a form field
  label: string;
  reason: string;
}

export interface ApplicationSupplementTable {
  id: Generated<number>;
  application_id: number;
  requested_at: Timestamp;
  requested_by: string;
  items: Json<SupplementItem[]>;
  note: Generated<string>;
  answered_at: Timestamp | null;
}

export type StorageKind = 'local' | 's3';

export interface AttachmentTable {
  id: Generated<string>;
  owner_id: string;
  draft_id: number | null;
  application_id: number | null;
  slot: string;
  file_name: string;
  media_type: string;
  size_bytes: number;
  sha256: string;
  storage: StorageKind;
  storage_key: string;
  created_at: CreatedAt;
  superseded_at: Timestamp | null;
}

export interface ApplicationNumberBlockTable {
  region_code: string;
  day: DateText;
  next_value: number;
}

export interface ApplicationResultTable {
  id: Generated<number>;
  application_id: number;
  kind: 'licence' | 'certificate' | 'decision';
  title: string;
  document_number: string;
  verification_code: string;
  holder_name: string;
  holder_id_number: string;
  content: Json<Record<string, unknown>>;
  issued_at: Timestamp;
  valid_until: DateText | null;
  sha256: string;
  storage: StorageKind;
  storage_key: string;
  revoked_at: Timestamp | null;
}

export interface NotificationTable {
  id: Generated<number>;
  account_id: string;
  application_id: number | null;
  title: string;
  body: string;
  link: string | null;
  created_at: CreatedAt;
  read_at: Timestamp | null;
  sms_state: Generated<'none' | 'pending' | 'sent' | 'failed'>;
  sms_attempts: Generated<number>; // attempts claimed, the current one included
  sms_lease_until: Timestamp | null; // held by a server sending it until then (0013)
  sms_next_attempt_at: Timestamp | null; // after a failed attempt: not before then
  sms_last_error: string | null;
}

export type EvaluationGrade = 'good' | 'neutral' | 'bad';

export interface EvaluationTable {
  id: Generated<number>;
  application_id: number;
  item_code: string;
  department_id: number;
  region_code: string;
  evaluator_id: string;
  level: number; // 1–5
  grade: EvaluationGrade;
  indicators: Json<Record<string, number>>;
  comment: Generated<string>;
  channel: Generated<string>;
  created_at: CreatedAt;
}

export type RectificationState = 'verifying' | 'rectifying' | 'feedback' | 'reviewing' | 'closed' | 'dismissed';

export interface RectificationTaskTable {
  id: Generated<number>;
  evaluation_id: number;
  department_id: number;
  state: RectificationState;
  version: Generated<number>;
  due_on: DateText;
  created_at: CreatedAt;
  closed_at: Timestamp | null;
}

export interface RectificationEventTable {
  id: Generated<number>;
  task_id: number;
  at: Timestamp;
  action: string;
  from_state: string;
  to_state: string;
  actor_id: string;
  note: Generated<string>;
}

export interface JobLeaseTable {
  name: string;
  holder: string | null;
  lease_until: Timestamp;
  last_run_at: Timestamp | null;
  last_result: Json<Record<string, unknown> | null>;
}

export type Application = Selectable<ApplicationTable>;
export type ApplicationEvent = Selectable<ApplicationEventTable>;

// ---------------------------------------------------------------------------------------------------------
// Convenience services (migration 0007). `time` columns are 'HH:MM:SS' strings.
// ---------------------------------------------------------------------------------------------------------

type TimeText = string; // 'HH:MM:SS'

export type AppointmentKind = 'marriage' | 'hospital' | 'window' | 'scenic';
export type BookingStatus = 'held' | 'confirmed' | 'cancelled' | 'expired' | 'checked_in' | 'no_show';

export interface AppointmentServiceTable {
  id: Generated<number>;
  code: string;
  kind: AppointmentKind;
  name: string;
  department_id: number;
  region_code: string;
  item_code: string | null;
  place: Generated<string>;
  notes: Generated<string>;
  open_days: 'working' | 'every';
  sessions: Json<{ start: string; end: string }[]>; // opening hours, 'HH:MM'
  slot_minutes: number;
  capacity: number;
  window_days: number;
  opens_at: ColumnType<TimeText, string | undefined, string>;
  parties: Generated<number>;
  hold_minutes: Generated<number>;
  cancel_hours: Generated<number>;
  no_show_limit: Generated<number>;
  no_show_days: Generated<number>;
  bar_days: Generated<number>;
  status: Generated<'active' | 'suspended'>;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface AppointmentClosureTable {
  service_id: number;
  day: DateText;
  reason: string;
  created_by: string | null;
  created_at: CreatedAt;
}

export interface AppointmentSlotTable {
  id: Generated<number>;
  service_id: number;
  day: DateText;
  starts_at: TimeText;
  ends_at: TimeText;
  capacity: number;
  taken: Generated<number>;
}

export interface AppointmentBookingTable {
  id: Generated<number>;
  code: string; // 预约码
  service_id: number;
  slot_id: number;
  day: DateText;
  starts_at: TimeText;
  ends_at: TimeText;
  booked_by: string;
  status: BookingStatus;
  hold_until: Timestamp | null;
  cancel_reason: string | null;
  created_at: CreatedAt;
  confirmed_at: Timestamp | null;
  cancelled_at: Timestamp | null;
  checked_in_at: Timestamp | null;
  checked_in_by: string | null;
}

export interface AppointmentPartyTable {
  booking_id: number;
  service_id: number;
  id_number: string;
  name: string;
  account_id: string | null;
  role: 'booker' | 'partner';
  confirmed_at: Timestamp | null;
  active: Generated<boolean>;
}

export interface ResultColumn {
  key: string; // [a-z][a-z0-9_]*, the header in uploaded files may be this key or the label
  label: string; // 考生号, 身份证号, 姓名, 语文 …
  type: 'text' | 'integer' | 'decimal' | 'id_number';
  required: boolean;
}

export interface ResultSetTable {
  id: Generated<number>;
  code: string;
  title: string;
  description: Generated<string>;
  department_id: number;
  columns: Json<ResultColumn[]>;
  key_columns: Json<string[]>;
  release_at: Timestamp;
  status: Generated<'draft' | 'published' | 'withdrawn'>;
  active_load_id: number | null;
  salt: string;
  revision: Generated<number>;
  created_by: string | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export type ResultLoadStatus = 'pending' | 'loading' | 'ready' | 'failed' | 'superseded';

export interface ResultLoadTable {
  id: Generated<number>;
  set_id: number;
  status: ResultLoadStatus;
  file_name: string;
  file_key: string;
  file_bytes: number;
  format: 'csv' | 'xlsx';
  bytes_read: Generated<number>;
  rows_read: Generated<number>;
  rows_bad: Generated<number>;
  error_report_key: string | null;
  message: string | null;
  created_by: string | null;
  created_at: CreatedAt;
  started_at: Timestamp | null;
  finished_at: Timestamp | null;
  heartbeat_at: Timestamp | null;
}

export interface ResultRowTable {
  load_id: number;
  key_hash: string;
  data: string; // JSON text
}

export type ResultQueryOutcome = 'found' | 'not_found' | 'embargoed' | 'withdrawn' | 'rate_limited' | 'invalid';

export interface ResultQueryTable {
  set_id: number;
  at: CreatedAt;
  ip: string;
  key_hash: string | null;
  outcome: ResultQueryOutcome;
  request_id: string;
}

export interface RateCounterTable {
  bucket: string;
  window_start: Timestamp;
  count: number;
}

// ── data sharing and exchange (migration 0008) ──────────────────────────────────────────────────────────────

/** 信息项: one data item of a resource. */
export interface DataItem {
  key: string; // [a-z][a-z0-9_]*, the header in loaded files may be this key or the name
  name: string; // 信息项名称, e.g. 公民身份号码
  type: 'text' | 'integer' | 'decimal' | 'date' | 'boolean' | 'resident_id' | 'credit_code' | 'mobile';
  required: boolean;
  personal: boolean; // 个人信息: masked unless a grant names it in clear_items
  /** how a personal item is masked: resident_id 110105********002X, name 王*, mobile 138****0001, address 前6字+***, full *** */
  mask?: 'resident_id' | 'name' | 'mobile' | 'address' | 'full';
}

export type ShareType = 'unconditional' | 'conditional' | 'none'; // 无条件共享/有条件共享/不予共享
export type OpenType = 'open' | 'conditional' | 'closed'; // 无条件开放/有条件开放/不予开放
export type DataGrade = 'core' | 'important' | 'general'; // 核心/重要/一般
export type UpdateCycle = 'realtime' | 'daily' | 'weekly' | 'monthly' | 'quarterly' | 'yearly' | 'irregular';
export type CatalogueKind = 'base' | 'theme' | 'department'; // 基础/主题/部门
export type BaseLibrary = 'population' | 'legal_person' | 'geospatial' | 'credit' | 'licence'; // 人口/法人/自然资源和空间地理/社会信用/电子证照
/** {item key: allowed values}: a record passes when, for every key, its value is one of the values. */
export type RowFilter = Record<string, string[]>;

export interface DataResourceTable {
  id: Generated<number>;
  code: string;
  name: string;
  provider_department_id: number;
  catalogue_kind: CatalogueKind;
  base_library: BaseLibrary | null;
  classification: string;
  abstract: string;
  format: 'table' | 'file' | 'api';
  items: Json<DataItem[]>;
  key_item: string;
  share_type: ShareType;
  share_conditions: Generated<string>;
  share_method: Generated<'api' | 'batch' | 'both'>;
  open_type: OpenType;
  update_cycle: UpdateCycle;
  grade: DataGrade;
  related_codes: Generated<string[]>;
  status: Generated<'draft' | 'published' | 'retired'>;
  published_at: Timestamp | null;
  meta_version: Generated<number>;
  data_version: Generated<number>;
  record_count: Generated<number>; // bigint, parsed as a number
  search_text: Generated<string>;
  created_by: string | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface DataResourceVersionTable {
  resource_id: number;
  version: number;
  snapshot: Json<Record<string, unknown>>;
  note: Generated<string>;
  changed_by: string | null;
  changed_at: CreatedAt;
}

export type DataLoadMode = 'full' | 'upsert' | 'delete' | 'rollback';
export type DataLoadStatus = 'pending' | 'loading' | 'applied' | 'failed';

export interface DataLoadTable {
  id: Generated<number>;
  resource_id: number;
  version: number | null;
  mode: DataLoadMode;
  status: DataLoadStatus;
  rollback_to: number | null;
  file_name: Generated<string>;
  file_key: string | null;
  file_bytes: Generated<number>;
  format: 'csv' | 'xlsx' | 'json' | null;
  bytes_read: Generated<number>;
  rows_read: Generated<number>;
  rows_bad: Generated<number>;
  rows_upserted: Generated<number>;
  rows_deleted: Generated<number>;
  error_report_key: string | null;
  message: string | null;
  created_by: string | null;
  created_at: CreatedAt;
  started_at: Timestamp | null;
  finished_at: Timestamp | null;
  heartbeat_at: Timestamp | null;
}

export interface DataRecordTable {
  resource_id: number;
  record_key: string;
  data: Json<Record<string, unknown>>;
  added_in: number;
  removed_in: number | null;
}

export type ShareRequestStatus = 'pending' | 'granted' | 'refused' | 'withdrawn';

export interface ShareRequestTable {
  id: Generated<number>;
  resource_id: number;
  consumer_department_id: number;
  client_id: string | null;
  items: string[];
  clear_items: Generated<string[]>;
  row_filter: Json<RowFilter>;
  purpose: string;
  legal_basis: string;
  scenario: string;
  item_code: string | null;
  duration_days: number;
  rate_per_minute: Generated<number>;
  status: ShareRequestStatus;
  due_at: Timestamp | null;
  escalated_at: Timestamp | null;
  decided_by: string | null;
  decided_at: Timestamp | null;
  reason: string | null;
  grant_id: number | null;
  created_by: string | null;
  created_at: CreatedAt;
}

export interface ShareGrantTable {
  id: Generated<number>;
  request_id: number | null;
  resource_id: number;
  consumer_department_id: number;
  client_id: string | null;
  items: string[];
  clear_items: Generated<string[]>;
  row_filter: Json<RowFilter>;
  purpose: string;
  legal_basis: string;
  scenario: string;
  item_code: string | null;
  rate_per_minute: number;
  starts_at: Generated<Date>;
  expires_at: Timestamp;
  status: Generated<'active' | 'revoked'>;
  revoked_at: Timestamp | null;
  revoked_by: string | null;
  revoke_reason: string | null;
  revision: Generated<number>;
  created_by: string | null;
  created_at: CreatedAt;
}

export interface DataAccessSubjectTable {
  subject: string;
  seq: number; // bigint
}

export interface DataSubscriptionTable {
  id: Generated<number>;
  grant_id: number;
  resource_id: number;
  url: string;
  secret: string;
  status: Generated<'active' | 'cancelled'>;
  cursor_event: Generated<number>; // bigint
  attempts: Generated<number>;
  next_attempt_at: Generated<Date>;
  last_error: string | null;
  lease_until: Timestamp | null;
  created_by: string | null;
  created_at: CreatedAt;
}

export interface DataChangeEventTable {
  id: Generated<number>; // bigint
  resource_id: number;
  version: number;
  record_key: string;
  op: 'upsert' | 'delete';
  at: CreatedAt;
}

export interface ItemDataSourceTable {
  id: Generated<number>;
  item_code: string;
  target: 'field' | 'material';
  target_key: string;
  resource_id: number;
  subject: 'person' | 'enterprise';
  data_item: string | null;
  label: Generated<string>;
}

export interface PlatformKeyTable {
  name: string;
  secret: string;
  created_at: CreatedAt;
}

// ── once-only (migration 0009) ─────────────────────────────────────────────────────────────────────────────

/** 免提交: a field filled or a material exempted for a draft by data sharing (or why it could not be). */
export interface DraftSharedDataTable {
  draft_id: number; // bigint
  target: 'field' | 'material';
  target_key: string;
  status: 'filled' | 'unavailable';
  resource_id: number;
  data_version: number | null;
  value: ColumnType<unknown, string | null | undefined, string | null>; // jsonb
  request_id: string | null;
  audit_seq: number | null; // bigint
  reason: string | null;
  at: CreatedAt;
}

// ── the three lists (migration 0010) ────────────────────────────────────────────────────────────────────────

export type ListKind = 'power' | 'negative' | 'fund'; // 权力清单（含责任清单）/ 企业投资项目负面清单 / 专项资金管理清单
export type ListEditionStatus = 'draft' | 'in_review' | 'published' | 'superseded';

export interface ListEditionTable {
  id: Generated<number>;
  list_kind: ListKind;
  department_id: number;
  version: number | null;
  base_version: number | null;
  status: ListEditionStatus;
  note: Generated<string>;
  review_comment: string | null;
  entry_count: Generated<number>;
  created_by: string | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
  submitted_by: string | null;
  submitted_at: Timestamp | null;
  published_by: string | null;
  published_at: Timestamp | null;
}

export interface ListEntryTable {
  edition_id: number;
  entry_key: string;
  data: Json<Record<string, unknown>>;
}

export interface ListRevisionTable {
  id: number;
  revision: number;
}
