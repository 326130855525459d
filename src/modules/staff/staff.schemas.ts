/** Request schemas of the staff administration, audit search and draft API (validated before any operation runs). */
import { Type } from 'typebox';
import { CreditCode, ItemCode, Mobile, PasswordInput, StringEnum, Uuid } from '../../http/schemas.ts';
import { STAFF_ROLES } from '../access/permissions.ts';
import { AUDIT_EVENTS, type AuditAction } from '../audit/audit.events.ts';

export const PageQuery = {
  page: Type.Integer({ minimum: 1, maximum: 1000, default: 1 }),
  size: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
};

export const StaffListQuery = Type.Object(
  { department: Type.Optional(CreditCode), name: Type.Optional(Type.String({ maxLength: 30, description: '姓名（部分）或工号' })), ...PageQuery },
  { additionalProperties: false },
);

export const CreateStaffBody = Type.Object(
  {
    staffNo: Type.String({ minLength: 1, maxLength: 40, description: '工号（4–20 位字母或数字）' }),
    name: Type.String({ minLength: 1, maxLength: 60 }),
    mobile: Mobile,
    department: Type.String({ minLength: 1, maxLength: 30, description: '所属部门的统一社会信用代码' }),
    password: PasswordInput,
  },
  { additionalProperties: false },
);

export const StaffParams = Type.Object({ id: Uuid });
export const RoleParams = Type.Object({ id: Uuid, roleId: Uuid });

export const GrantRoleBody = Type.Object(
  {
    role: StringEnum(STAFF_ROLES, '角色'),
    department: Type.Optional(Type.String({ minLength: 1, maxLength: 30, description: '角色所属部门的统一社会信用代码（默认：工作人员所属部门）' })),
    includeLowerLevels: Type.Optional(Type.Boolean({ description: '含下级：同类部门在下级地区的记录' })),
  },
  { additionalProperties: false },
);

export const StatusBody = Type.Object({ status: StringEnum(['active', 'disabled'] as const, '账号状态') }, { additionalProperties: false });

const DateInput = Type.String({ pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$', description: '日期 YYYY-MM-DD（北京时间）' });

export const AuditQuery = Type.Object(
  {
    action: Type.Optional(StringEnum(Object.keys(AUDIT_EVENTS) as AuditAction[], '事件类型')),
    actor: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_.:-]{1,64}$', description: '操作人标识或工号' })),
    targetType: Type.Optional(Type.String({ pattern: '^[a-z_]{1,40}$', description: '对象类型' })),
    targetId: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: '对象标识' })),
    outcome: Type.Optional(StringEnum(['success', 'failure', 'denied'] as const, '结果')),
    from: Type.Optional(DateInput),
    to: Type.Optional(DateInput),
    ...PageQuery,
  },
  { additionalProperties: false },
);

export const ItemParams = Type.Object({ code: ItemCode });
export const VersionParams = Type.Object({ code: ItemCode, version: Type.Integer({ minimum: 1, maximum: 100000 }) });

const text = (max: number, description: string) => Type.String({ minLength: 1, maxLength: max, description });
const days = (description: string) => Type.Integer({ minimum: 0, maximum: 365, description });

export const CreateDraftBody = Type.Object(
  {
    changes: Type.Object(
      {
        name: Type.Optional(text(100, '事项名称')),
        conditions: Type.Optional(Type.Array(text(500, '受理条件'), { maxItems: 30 })),
        legalBasis: Type.Optional(Type.Array(text(500, '设定依据'), { maxItems: 30 })),
        legalDays: Type.Optional(days('法定办结时限（工作日）')),
        legalDaysNote: Type.Optional(text(200, '法定时限说明')),
        promisedDays: Type.Optional(days('承诺办结时限（工作日）')),
        promisedDaysNote: Type.Optional(text(200, '承诺时限说明')),
        feeStandard: Type.Optional(Type.Union([text(500, '收费标准'), Type.Null()])),
        feeBasis: Type.Optional(Type.Union([text(500, '收费依据'), Type.Null()])),
        address: Type.Optional(text(200, '办理地点')),
        officeHours: Type.Optional(text(200, '办理时间')),
        consultPhone: Type.Optional(text(40, '咨询电话')),
        visits: Type.Optional(Type.Integer({ minimum: 0, maximum: 5, description: '到办事现场次数' })),
        onlineDepth: Type.Optional(Type.Integer({ minimum: 1, maximum: 7, description: '网办深度' })),
        summary: Type.Optional(text(500, '事项简介')),
      },
      { additionalProperties: false },
    ),
    changeNote: text(200, '本次修改的说明'),
  },
  { additionalProperties: false },
);
