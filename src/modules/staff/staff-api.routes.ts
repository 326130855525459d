/**
 * The administration API (JSON): staff and their roles, audit search, department items and guide drafts.
 * Each route declares who may call it; the operations check the record's department (scope) and record refusals.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppContext } from '../../http/context.ts';
import { auditActor, requirePrincipal } from '../../http/route-access.ts';
import { searchAuditEvents } from '../audit/search-audit-events.ts';
import { listStaff } from './list-staff.ts';
import { getStaff } from './get-staff.ts';
import { createStaff } from './create-staff.ts';
import { grantRole } from './grant-role.ts';
import { revokeRole } from './revoke-role.ts';
import { setStaffStatus } from './set-staff-status.ts';
import { listDepartmentItems } from './list-department-items.ts';
import { getItemDraft } from './get-item-draft.ts';
import { createItemDraft } from './create-item-draft.ts';
import { publishItemDraft } from './publish-item-draft.ts';
import {
  AuditQuery, CreateDraftBody, CreateStaffBody, GrantRoleBody, ItemParams, PageQuery, RoleParams, StaffListQuery, StaffParams, StatusBody, VersionParams,
} from './staff.schemas.ts';
import { Type } from 'typebox';

const tags = ['admin'];

/**
 * The write routes let through anyone who works with drafts at all; whether they may write this item is decided
 * per item by the operation, so a refused attempt (a clerk trying to publish) is recorded as `access.denied`.
 */
const DRAFT_WRITE_GATE = { permission: 'catalogue.draft.read' } as const;

export const staffApiRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/api/v1/admin/staff',
      { config: { access: { permission: 'staff.read' } }, schema: { tags, summary: '本人管理范围内的工作人员及其角色', querystring: StaffListQuery } },
      async (req) => {
        const r = await listStaff(ctx.db, await requirePrincipal(ctx, req), req.query);
        return { total: r.total, page: r.page, size: r.size, staff: r.items };
      },
    );

    app.post(
      '/api/v1/admin/staff',
      { config: { access: { permission: 'staff.manage' } }, schema: { tags, summary: '新增工作人员（初始密码，须提醒其首次登录后修改）', body: CreateStaffBody } },
      async (req, reply) => {
        const created = await createStaff(ctx.db, await requirePrincipal(ctx, req), req.body, auditActor(req));
        return reply.code(201).send(created);
      },
    );

    app.get(
      '/api/v1/admin/staff/:id',
      { config: { access: { permission: 'staff.read' } }, schema: { tags, summary: '一名工作人员及其角色', params: StaffParams } },
      async (req) => getStaff(ctx.db, await requirePrincipal(ctx, req), req.params.id, auditActor(req)),
    );

    app.post(
      '/api/v1/admin/staff/:id/roles',
      { config: { access: { permission: 'staff.manage' } }, schema: { tags, summary: '授予角色', params: StaffParams, body: GrantRoleBody } },
      async (req, reply) => {
        const r = await grantRole(ctx.db, await requirePrincipal(ctx, req), { staffId: req.params.id, ...req.body }, auditActor(req));
        return reply.code(201).send(r);
      },
    );

    app.delete(
      '/api/v1/admin/staff/:id/roles/:roleId',
      { config: { access: { permission: 'staff.manage' } }, schema: { tags, summary: '撤销角色', params: RoleParams } },
      async (req, reply) => {
        await revokeRole(ctx.db, await requirePrincipal(ctx, req), { staffId: req.params.id, assignmentId: req.params.roleId }, auditActor(req));
        return reply.code(204).send();
      },
    );

    app.put(
      '/api/v1/admin/staff/:id/status',
      { config: { access: { permission: 'staff.manage' } }, schema: { tags, summary: '停用或启用工作人员账号（停用即结束其全部会话）', params: StaffParams, body: StatusBody } },
      async (req) => {
        const r = await setStaffStatus(ctx.db, await requirePrincipal(ctx, req), { staffId: req.params.id, status: req.body.status }, auditActor(req));
        return { status: req.body.status, ...r };
      },
    );

    app.get(
      '/api/v1/admin/audit-events',
      { config: { access: { permission: 'audit.search' } }, schema: { tags, summary: '检索审计日志（本人范围内）', querystring: AuditQuery } },
      async (req) => searchAuditEvents(ctx.db, await requirePrincipal(ctx, req), req.query),
    );

    app.get(
      '/api/v1/admin/items',
      {
        config: { access: { permission: 'catalogue.draft.read' } },
        schema: { tags, summary: '本人范围内各部门的实施事项', querystring: Type.Object(PageQuery, { additionalProperties: false }) },
      },
      async (req) => listDepartmentItems(ctx.db, await requirePrincipal(ctx, req), req.query),
    );

    app.get(
      '/api/v1/admin/items/:code/draft',
      { config: { access: { permission: 'catalogue.draft.read' } }, schema: { tags, summary: '事项指南的未发布草稿', params: ItemParams } },
      async (req) => getItemDraft(ctx.db, await requirePrincipal(ctx, req), req.params.code, auditActor(req)),
    );

    app.post(
      '/api/v1/admin/items/:code/versions',
      { config: { access: DRAFT_WRITE_GATE }, schema: { tags, summary: '新建事项指南草稿版本', params: ItemParams, body: CreateDraftBody } },
      async (req, reply) => {
        const r = await createItemDraft(ctx.db, await requirePrincipal(ctx, req), { code: req.params.code, ...req.body }, auditActor(req));
        return reply.code(201).send(r);
      },
    );

    app.post(
      '/api/v1/admin/items/:code/versions/:version/publish',
      { config: { access: DRAFT_WRITE_GATE }, schema: { tags, summary: '发布草稿版本', params: VersionParams } },
      async (req) => {
        const r = await publishItemDraft(ctx.db, await requirePrincipal(ctx, req), req.params, auditActor(req));
        await ctx.catalogue.refresh(); // this server follows at once; the others on their next poll
        return { code: req.params.code, version: req.params.version, revision: r.revision };
      },
    );
  };
