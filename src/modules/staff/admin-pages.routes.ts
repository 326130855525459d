/**
 * The administration pages (zh-CN, no JavaScript): the workbench, staff administration, audit search and the
 * guide drafts. Forms post with the CSRF field and redirect (303) on success; a refused or invalid post shows
 * the form again with the message. Scope is checked by the same operations the API uses.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { AppContext } from '../../http/context.ts';
import { CreditCode, CsrfField, ItemCode, Uuid } from '../../http/schemas.ts';
import { auditActor } from '../../http/route-access.ts';
import type { StaffRole } from '../../db/schema.ts';
import { can, departmentsInScope } from '../access/authorize.ts';
import { grantableRoles, roleHas, STAFF_ROLES, type Permission } from '../access/permissions.ts';
import type { Principal, StaffPrincipal } from '../access/principal.ts';
import { AUDIT_EVENTS, type AuditAction } from '../audit/audit.events.ts';
import { searchAuditEvents, type AuditSearchResult } from '../audit/search-audit-events.ts';
import { listItemVersions } from '../catalogue/list-item-versions.ts';
import { csrfInput, handleFormPost, type FormErrors } from '../portal/forms.ts';
import { AppError, InvalidParameterError } from '../../shared/errors.ts';
import { doneMessage, renderAdminPage, requireStaffPage, sendAdminPage, type AdminPage } from './admin-page.ts';
import { renderWorkbench } from './workbench.page.ts';
import { renderNewStaff, renderStaffDetail, renderStaffList, type GrantValues, type NewStaffValues } from './staff.page.ts';
import { renderAuditSearch, type AuditFilters } from './audit.page.ts';
import { renderItemDraft, type DraftFormValues } from './item-draft.page.ts';
import { departmentRefs, scopeOf } from './department-scope.ts';
import { listDepartmentItems } from './list-department-items.ts';
import { listStaff } from './list-staff.ts';
import { getStaff } from './get-staff.ts';
import { createStaff } from './create-staff.ts';
import { grantRole } from './grant-role.ts';
import { revokeRole } from './revoke-role.ts';
import { setStaffStatus } from './set-staff-status.ts';
import { mayAssignRole } from './role-authority.ts';
import { authorizeItemDrafts } from './authorize-item-drafts.ts';
import { loadLatestVersion } from './get-item-draft.ts';
import { createItemDraft } from './create-item-draft.ts';
import { publishItemDraft } from './publish-item-draft.ts';
import type { DraftChanges } from './draft-changes.ts';
import type { DepartmentRef } from './staff.types.ts';

/** Above this many departments a chooser becomes a credit-code field (a platform administrator's province). */
const LIST_LIMIT = 200;
const hide = true;
const PageNo = Type.Integer({ minimum: 1, maximum: 1000, default: 1 });
const Done = Type.Object({ done: Type.Optional(Type.String({ maxLength: 20 })) });
/** A form field: any text up to a bound; the operation checks it and answers beside the field. */
const Field = (max: number) => Type.String({ maxLength: max, default: '' });
const StaffId = Type.Object({ id: Uuid });

const STAFF_DONE = {
  created: '工作人员账号已创建。请把初始密码安全地告知本人，并提醒其首次登录后立即修改密码。',
  granted: '角色已授予。',
  revoked: '角色已撤销。',
  disabled: '账号已停用，其所有登录会话已结束。',
  enabled: '账号已启用。',
};
const ITEM_DONE = { created: '草稿已保存。发布前公众看不到修改。', published: '已发布，公众现在看到的是新版本。' };

async function scopeDepartments(ctx: AppContext, p: Principal, permission: Permission): Promise<DepartmentRef[] | null> {
  const ids = await departmentsInScope(ctx.db, p, permission);
  if (ids.length > LIST_LIMIT) return null;
  return [...(await departmentRefs(ctx.db, ids)).values()].sort((a, b) => a.regionCode.localeCompare(b.regionCode) || a.id - b.id);
}

function grantableFor(p: StaffPrincipal): StaffRole[] {
  const set = new Set(p.roles.filter((g) => roleHas(g.role, 'staff.manage')).flatMap((g) => grantableRoles(g.role)));
  return STAFF_ROLES.filter((r) => set.has(r));
}

const blank = (v: string | undefined) => (v && v.trim() ? v.trim() : undefined);

export const adminPageRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    /** Runs a form's action; on a typed error the page comes back with the message (and never from a cache). */
    const postForm = (req: FastifyRequest, reply: FastifyReply, action: () => Promise<void>, page: (errors: FormErrors) => AdminPage) => {
      reply.header('cache-control', 'no-store');
      return handleFormPost(reply, action, (errors) => renderAdminPage(ctx, req, reply, page(errors)));
    };

    app.get('/admin', { config: { access: 'staff' }, schema: { hide, querystring: Type.Object({ page: PageNo }) } }, async (req, reply) => {
      const p = await requireStaffPage(ctx, req);
      const departments = await departmentRefs(ctx.db, [p.departmentId, ...p.roles.map((g) => g.departmentId)]);
      const items = await listDepartmentItems(ctx.db, p, { page: req.query.page, size: 20 });
      return sendAdminPage(ctx, req, reply, { title: '工作台', body: renderWorkbench(ctx, p, departments, items) });
    });

    // —— staff administration (工作人员管理) ——

    app.get(
      '/admin/staff',
      {
        config: { access: { permission: 'staff.read' } },
        schema: {
          hide,
          querystring: Type.Object({ department: Type.Optional(Type.Union([CreditCode, Type.Literal('')])), name: Type.Optional(Type.String({ maxLength: 30 })), page: PageNo }),
        },
      },
      async (req, reply) => {
        const p = await requireStaffPage(ctx, req);
        const filters = { department: blank(req.query.department), name: blank(req.query.name) };
        const list = await listStaff(ctx.db, p, { ...filters, page: req.query.page, size: 20 });
        const departments = await scopeDepartments(ctx, p, 'staff.read');
        return sendAdminPage(ctx, req, reply, {
          title: '工作人员管理',
          trail: [{ label: '工作人员管理' }],
          body: renderStaffList({ list, filters, departments, canManage: can(p, 'staff.manage') }),
        });
      },
    );

    const newStaffPage = async (req: FastifyRequest, reply: FastifyReply, p: StaffPrincipal) => {
      const departments = await scopeDepartments(ctx, p, 'staff.manage');
      return (values: NewStaffValues, errors?: FormErrors): AdminPage => ({
        title: '新增工作人员',
        trail: [{ label: '工作人员管理', href: '/admin/staff' }, { label: '新增工作人员' }],
        body: renderNewStaff({ values, errors, departments, csrf: csrfInput(req, reply) }),
      });
    };

    app.get('/admin/staff/new', { config: { access: { permission: 'staff.manage' } }, schema: { hide } }, async (req, reply) => {
      const p = await requireStaffPage(ctx, req);
      const own = (await departmentRefs(ctx.db, [p.departmentId])).get(p.departmentId);
      const page = await newStaffPage(req, reply, p);
      return sendAdminPage(ctx, req, reply, page({ department: can(p, 'staff.manage', { departmentId: p.departmentId, departmentKind: p.departmentKind, regionCode: p.regionCode }) ? own?.code : undefined }));
    });

    app.post(
      '/admin/staff/new',
      {
        config: { access: { permission: 'staff.manage' } },
        schema: { hide, body: Type.Object({ _csrf: CsrfField, staffNo: Field(100), name: Field(100), mobile: Field(30), department: Field(30), password: Field(200) }) },
      },
      async (req, reply) => {
        const p = await requireStaffPage(ctx, req);
        const { staffNo, name, mobile, department, password } = req.body;
        const page = await newStaffPage(req, reply, p);
        let id = '';
        const failed = await postForm(
          req,
          reply,
          async () => {
            id = (await createStaff(ctx.db, p, { staffNo, name, mobile, department, password }, auditActor(req))).id;
          },
          (errors) => page({ staffNo, name, mobile, department }, errors),
        );
        return failed ?? reply.code(303).redirect(`/admin/staff/${id}?done=created`);
      },
    );

    /** One staff member's page, loaded before any change (its scope check records a refusal), rendered after. */
    const staffPage = async (req: FastifyRequest, reply: FastifyReply, p: StaffPrincipal, id: string) => {
      const staff = await getStaff(ctx.db, p, id, auditActor(req));
      const grantDepartments = await scopeDepartments(ctx, p, 'staff.manage');
      const revocable = new Set(staff.roles.filter((r) => mayAssignRole(p, r.role, scopeOf(r.department), r.includeLowerLevels)).map((r) => r.id));
      return (o: { done?: string; errors?: FormErrors; grant?: GrantValues }): AdminPage => ({
        title: `工作人员：${staff.name}`,
        trail: [{ label: '工作人员管理', href: '/admin/staff' }, { label: staff.name }],
        body: renderStaffDetail({
          staff,
          self: staff.id === p.accountId,
          canManage: can(p, 'staff.manage', scopeOf(staff.department)),
          revocable: (roleId) => revocable.has(roleId),
          grantableRoles: grantableFor(p),
          grantDepartments,
          mayIncludeLower: p.roles.some((g) => roleHas(g.role, 'staff.manage') && (g.role === 'platform_admin' || g.includeLowerLevels)),
          canChangeStatus: staff.roles.every((r) => revocable.has(r.id)),
          csrf: csrfInput(req, reply),
          ...o,
        }),
      });
    };

    app.get('/admin/staff/:id', { config: { access: { permission: 'staff.read' } }, schema: { hide, params: StaffId, querystring: Done } }, async (req, reply) => {
      const p = await requireStaffPage(ctx, req);
      const page = await staffPage(req, reply, p, req.params.id);
      return sendAdminPage(ctx, req, reply, page({ done: doneMessage(req.query.done, STAFF_DONE) }));
    });

    app.post(
      '/admin/staff/:id/roles',
      {
        config: { access: { permission: 'staff.manage' } },
        schema: { hide, params: StaffId, body: Type.Object({ _csrf: CsrfField, role: Field(40), department: Field(30), includeLowerLevels: Type.Optional(Type.String({ maxLength: 5 })) }) },
      },
      async (req, reply) => {
        const p = await requireStaffPage(ctx, req);
        const page = await staffPage(req, reply, p, req.params.id);
        const grant = { role: req.body.role, department: req.body.department, includeLowerLevels: req.body.includeLowerLevels === '1' };
        const failed = await postForm(
          req,
          reply,
          async () => {
            if (!(STAFF_ROLES as string[]).includes(grant.role)) throw new InvalidParameterError('role', '请选择要授予的角色');
            await grantRole(
              ctx.db,
              p,
              { staffId: req.params.id, role: grant.role as StaffRole, department: blank(grant.department), includeLowerLevels: grant.includeLowerLevels },
              auditActor(req),
            );
          },
          (errors) => page({ errors, grant }),
        );
        return failed ?? reply.code(303).redirect(`/admin/staff/${req.params.id}?done=granted`);
      },
    );

    app.post(
      '/admin/staff/:id/roles/:roleId/revoke',
      { config: { access: { permission: 'staff.manage' } }, schema: { hide, params: Type.Object({ id: Uuid, roleId: Uuid }), body: Type.Object({ _csrf: CsrfField }) } },
      async (req, reply) => {
        const p = await requireStaffPage(ctx, req);
        const page = await staffPage(req, reply, p, req.params.id);
        const failed = await postForm(
          req,
          reply,
          () => revokeRole(ctx.db, p, { staffId: req.params.id, assignmentId: req.params.roleId }, auditActor(req)),
          (errors) => page({ errors: { '': Object.values(errors)[0] ?? '' } }),
        );
        return failed ?? reply.code(303).redirect(`/admin/staff/${req.params.id}?done=revoked`);
      },
    );

    app.post(
      '/admin/staff/:id/status',
      { config: { access: { permission: 'staff.manage' } }, schema: { hide, params: StaffId, body: Type.Object({ _csrf: CsrfField, status: Field(20) }) } },
      async (req, reply) => {
        const p = await requireStaffPage(ctx, req);
        const page = await staffPage(req, reply, p, req.params.id);
        const status = req.body.status;
        const failed = await postForm(
          req,
          reply,
          async () => {
            if (status !== 'active' && status !== 'disabled') throw new InvalidParameterError('status', '账号状态只能是启用或停用');
            await setStaffStatus(ctx.db, p, { staffId: req.params.id, status }, auditActor(req));
          },
          (errors) => page({ errors: { '': Object.values(errors)[0] ?? '' } }),
        );
        return failed ?? reply.code(303).redirect(`/admin/staff/${req.params.id}?done=${status === 'disabled' ? 'disabled' : 'enabled'}`);
      },
    );

    // —— audit search (审计日志检索) ——

    app.get(
      '/admin/audit',
      {
        config: { access: { permission: 'audit.search' } },
        schema: {
          hide,
          querystring: Type.Object({
            action: Type.Optional(Type.String({ maxLength: 60 })),
            actor: Type.Optional(Type.String({ maxLength: 64 })),
            targetType: Type.Optional(Type.String({ maxLength: 40 })),
            targetId: Type.Optional(Type.String({ maxLength: 100 })),
            outcome: Type.Optional(Type.String({ maxLength: 10 })),
            from: Type.Optional(Type.String({ maxLength: 10 })),
            to: Type.Optional(Type.String({ maxLength: 10 })),
            page: PageNo,
          }),
        },
      },
      async (req, reply) => {
        const p = await requireStaffPage(ctx, req);
        const q = req.query;
        const filters: AuditFilters = {
          action: blank(q.action),
          actor: blank(q.actor),
          targetType: blank(q.targetType),
          targetId: blank(q.targetId),
          outcome: blank(q.outcome),
          from: blank(q.from),
          to: blank(q.to),
        };
        let result: AuditSearchResult | null = null;
        let errors: FormErrors | undefined;
        try {
          if (filters.action && !Object.hasOwn(AUDIT_EVENTS, filters.action)) throw new InvalidParameterError('action', '请从列表中选择事件类型');
          if (filters.outcome && !['success', 'failure', 'denied'].includes(filters.outcome)) throw new InvalidParameterError('outcome', '请从列表中选择结果');
          if (filters.actor && !/^[A-Za-z0-9_.:-]{1,64}$/.test(filters.actor)) throw new InvalidParameterError('actor', '操作人应为工号或标识（字母、数字和 _.:-）');
          if (filters.targetType && !/^[a-z_]{1,40}$/.test(filters.targetType)) throw new InvalidParameterError('targetType', '对象类型应为小写英文字母和下划线，如 account');
          result = await searchAuditEvents(ctx.db, p, {
            ...filters,
            action: filters.action as AuditAction | undefined,
            outcome: filters.outcome as 'success' | 'failure' | 'denied' | undefined,
            page: q.page,
            size: 50,
          });
        } catch (err) {
          if (!(err instanceof AppError) || err.code !== 'INVALID_PARAMETER') throw err;
          errors = { [err.field ?? '']: err.message };
        }
        return sendAdminPage(ctx, req, reply, {
          title: '审计日志检索',
          trail: [{ label: '审计日志检索' }],
          body: renderAuditSearch({ filters, result, errors }),
          status: errors ? 400 : 200,
        });
      },
    );

    // —— guide drafts (事项指南维护) ——

    /** The item's page after the access check (`permission` decides, a refusal is recorded). */
    const itemPage = async (req: FastifyRequest, reply: FastifyReply, p: StaffPrincipal, code: string, permission: 'catalogue.draft.read' | 'catalogue.draft.write') => {
      const item = await authorizeItemDrafts(ctx.db, p, code, permission, auditActor(req));
      const latest = await loadLatestVersion(ctx.db, item);
      const versions = await listItemVersions(ctx.db, item.code, true);
      const canWrite = can(p, 'catalogue.draft.write', scopeOf(item.department));
      return {
        latest,
        page: (o: { done?: string; errors?: FormErrors; values?: DraftFormValues }): AdminPage => ({
          title: `指南维护：${item.name}`,
          trail: [{ label: `指南维护：${item.name}` }],
          body: renderItemDraft({ item, latest, versions, canWrite, csrf: csrfInput(req, reply), ...o }),
        }),
      };
    };
    const ItemCodeParams = Type.Object({ code: ItemCode });

    app.get('/admin/items/:code', { config: { access: 'staff' }, schema: { hide, params: ItemCodeParams, querystring: Done } }, async (req, reply) => {
      const p = await requireStaffPage(ctx, req);
      const { page } = await itemPage(req, reply, p, req.params.code, 'catalogue.draft.read');
      return sendAdminPage(ctx, req, reply, page({ done: doneMessage(req.query.done, ITEM_DONE) }));
    });

    app.post(
      '/admin/items/:code/versions',
      {
        config: { access: { permission: 'catalogue.draft.read' } } /* write is decided per item, refusals recorded */,
        schema: { hide, params: ItemCodeParams, body: Type.Object({ _csrf: CsrfField, promisedDays: Field(10), address: Field(300), consultPhone: Field(60), officeHours: Field(300), changeNote: Field(300) }) },
      },
      async (req, reply) => {
        const p = await requireStaffPage(ctx, req);
        const { latest, page } = await itemPage(req, reply, p, req.params.code, 'catalogue.draft.write');
        const { _csrf, ...values } = req.body;
        void _csrf;
        const failed = await postForm(
          req,
          reply,
          async () => {
            const changes: DraftChanges = {};
            const days = values.promisedDays.trim();
            if (!/^\d{1,3}$/.test(days)) throw new InvalidParameterError('promisedDays', '承诺办结时限应为 0–365 之间的整数');
            if (Number(days) !== latest.promisedDays) changes.promisedDays = Number(days);
            if (values.address.trim() !== latest.address) changes.address = values.address;
            if (values.consultPhone.trim() !== latest.consultPhone) changes.consultPhone = values.consultPhone;
            if (values.officeHours.trim() !== latest.officeHours) changes.officeHours = values.officeHours;
            if (!Object.keys(changes).length) throw new InvalidParameterError('promisedDays', '没有修改任何内容：请至少修改一项');
            await createItemDraft(ctx.db, p, { code: req.params.code, changes, changeNote: values.changeNote }, auditActor(req));
          },
          (errors) => page({ errors, values }),
        );
        return failed ?? reply.code(303).redirect(`/admin/items/${req.params.code}?done=created`);
      },
    );

    app.post(
      '/admin/items/:code/publish',
      { config: { access: { permission: 'catalogue.draft.read' } } /* write is decided per item, refusals recorded */, schema: { hide, params: ItemCodeParams, body: Type.Object({ _csrf: CsrfField, version: Field(10) }) } },
      async (req, reply) => {
        const p = await requireStaffPage(ctx, req);
        const { page } = await itemPage(req, reply, p, req.params.code, 'catalogue.draft.write');
        const failed = await postForm(
          req,
          reply,
          async () => {
            if (!/^[1-9]\d{0,5}$/.test(req.body.version)) throw new InvalidParameterError('version', '版本号不正确');
            await publishItemDraft(ctx.db, p, { code: req.params.code, version: Number(req.body.version) }, auditActor(req));
            await ctx.catalogue.refresh(); // this server follows at once; the others on their next poll
          },
          (errors) => page({ errors: { '': Object.values(errors)[0] ?? '' } }),
        );
        return failed ?? reply.code(303).redirect(`/admin/items/${req.params.code}?done=published`);
      },
    );
  };
