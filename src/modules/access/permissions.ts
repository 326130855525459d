/**
 * Roles and permissions (角色与权限), declared here and nowhere else. Deny by default: a permission not listed
 * for a role is not held; a route that declares no access does not start (http/route-access.ts).
 *
 * Staff roles are held per department: a role covers that department's records, and — only where the
 * assignment says `include_lower_levels` — the records of the same kind of department in the regions below.
 * Machine clients hold the permissions named by their scopes, for their own department.
 */
import type { StaffRole } from '../../db/schema.ts';

export type Role = 'citizen' | 'enterprise_agent' | StaffRole;

export const ROLES: Record<Role, { label: string; staff: boolean }> = {
  citizen: { label: '自然人', staff: false },
  enterprise_agent: { label: '企业经办人', staff: false },
  window_clerk: { label: '窗口受理', staff: true },
  reviewer: { label: '审核', staff: true },
  approver: { label: '审批', staff: true },
  department_admin: { label: '部门管理员', staff: true },
  data_steward: { label: '数据管理员', staff: true },
  platform_admin: { label: '平台管理员', staff: true },
};

export const STAFF_ROLES = (Object.keys(ROLES) as Role[]).filter((r) => ROLES[r].staff) as StaffRole[];

/**
 * Staff permissions, each with the roles that hold it. Everything a citizen or an enterprise agent may do
 * concerns their own records or those of a principal who delegated to them; those rules live with the
 * records (`canActFor` in delegation), not here.
 */
export const PERMISSIONS = {
  'person.read': { label: '查阅自然人档案（须说明用途，留痕）', roles: ['window_clerk', 'reviewer', 'approver'] },
  'catalogue.draft.read': { label: '查看本部门事项指南草稿', roles: ['window_clerk', 'reviewer', 'approver', 'department_admin'] },
  'catalogue.draft.write': { label: '编辑并发布本部门事项指南', roles: ['department_admin'] },
  'staff.read': { label: '查看部门工作人员', roles: ['department_admin', 'platform_admin'] },
  'staff.manage': { label: '管理部门工作人员及其角色', roles: ['department_admin', 'platform_admin'] },
  'audit.search': { label: '检索审计日志', roles: ['department_admin', 'platform_admin'] },
  'clients.manage': { label: '管理接入应用', roles: ['platform_admin'] },
  'application.handle': { label: '办理本部门办件（受理、审查、审批按流程角色）', roles: ['window_clerk', 'reviewer', 'approver'] },
  'calendar.manage': { label: '维护法定节假日与调休工作日历', roles: ['platform_admin'] },
  'evaluation.rectify': { label: '处理本部门差评整改（核实、整改、反馈）', roles: ['approver', 'department_admin'] },
  'appointment.manage': { label: '管理本部门预约服务（开放日历、号源、临时闭馆）', roles: ['department_admin'] },
  'appointment.checkin': { label: '查看本部门当日预约名单并签到', roles: ['window_clerk', 'department_admin'] },
  'results.publish': { label: '发布本部门查询结果（上传、替换、撤回）', roles: ['department_admin', 'data_steward'] },
  'data.resource.manage': { label: '编目并维护本部门数据资源（信息项、装载、版本回滚）', roles: ['data_steward'] },
  'data.share.request': { label: '以本部门名义申请共享数据并查看本部门授权', roles: ['data_steward', 'department_admin'] },
  'data.share.review': { label: '审核本部门资源的共享申请、撤销授权、查看使用记录', roles: ['data_steward', 'department_admin'] },
  'data.share.oversee': { label: '督办超期未答复的共享申请', roles: ['platform_admin'] },
  'data.exchange.read': { label: '通过共享交换接口读取已授权的数据（仅限接入应用）', roles: [] },
  'lists.draft': { label: '编制本部门三张清单（权力清单及责任清单、专项资金清单；发改部门编制负面清单）并提交审核', roles: ['department_admin'] },
  'lists.publish': { label: '审核并发布三张清单', roles: ['platform_admin'] },
  'evaluation.review': { label: '复核差评整改并回访评价人', roles: ['platform_admin'] },
} as const satisfies Record<string, { label: string; roles: readonly StaffRole[] }>;

export type Permission = keyof typeof PERMISSIONS;

/** Scopes a machine client may be given: the permissions that make sense without a person behind them. */
export const CLIENT_SCOPES = ['catalogue.draft.read', 'catalogue.draft.write', 'audit.search', 'data.exchange.read'] as const satisfies readonly Permission[];
export type ClientScope = (typeof CLIENT_SCOPES)[number];

/** The roles a staff member holding `role` may grant to others (never more than they hold). */
export function grantableRoles(role: StaffRole): StaffRole[] {
  if (role === 'platform_admin') return [...STAFF_ROLES];
  if (role === 'department_admin') return ['window_clerk', 'reviewer', 'approver', 'department_admin', 'data_steward'];
  return [];
}

export function roleHas(role: Role, permission: Permission): boolean {
  return (PERMISSIONS[permission].roles as readonly string[]).includes(role);
}
