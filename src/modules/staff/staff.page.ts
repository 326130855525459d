/** Staff administration pages: the list, the new-staff form, one staff member with roles and status. */
import { html, type Html } from '../../http/html.ts';
import type { StaffRole } from '../../db/schema.ts';
import { ROLES } from '../access/permissions.ts';
import { errorSummary, notice, selectField, textField, type FormErrors } from '../portal/forms.ts';
import type { DepartmentRef, Page, StaffView } from './staff.types.ts';
import { checkboxField, formatTime, pager } from './admin-page.ts';

const STATUS = { active: '正常', disabled: '已停用' } as const;

/** A department chooser: a list when the scope is small enough to read, otherwise the credit code typed. */
function departmentField(o: { name: string; label: string; departments: DepartmentRef[] | null; value?: string; errors?: FormErrors; any?: string; hint?: string }): Html {
  if (o.departments) {
    const options = o.departments.map((d) => ({ value: d.code, label: d.name }));
    return selectField({ name: o.name, label: o.label, value: o.value, errors: o.errors, hint: o.hint, options: o.any ? [{ value: '', label: o.any }, ...options] : options });
  }
  return textField({ name: o.name, label: o.label, value: o.value, errors: o.errors, maxlength: 18, hint: `${o.hint ? `${o.hint}；` : ''}请填写部门的 18 位统一社会信用代码` });
}

export function renderStaffList(o: {
  list: Page<StaffView>;
  filters: { department?: string; name?: string };
  departments: DepartmentRef[] | null;
  canManage: boolean;
}): Html {
  const { list } = o;
  return html`<h1>工作人员管理</h1>
${o.canManage ? html`<p><a class="button" href="/admin/staff/new">新增工作人员</a></p>` : ''}
<form class="filter-form" action="/admin/staff" method="get" role="search" aria-label="筛选工作人员">
  ${departmentField({ name: 'department', label: '部门', departments: o.departments, value: o.filters.department, any: '全部部门' })}
  ${textField({ name: 'name', label: '姓名或工号', value: o.filters.name, maxlength: 30 })}
  <button class="primary" type="submit">筛选</button>
</form>
<p class="result-count" role="status">共 <strong>${list.total}</strong> 名工作人员</p>
${
  list.total
    ? html`<div class="table-scroll"><table class="data-table">
  <caption class="visually-hidden">工作人员名单</caption>
  <thead><tr><th scope="col">工号</th><th scope="col">姓名</th><th scope="col">部门</th><th scope="col">角色</th><th scope="col">状态</th><th scope="col">操作</th></tr></thead>
  <tbody>${list.items.map(
    (s) => html`<tr>
    <td><code>${s.staffNo}</code></td>
    <th scope="row">${s.name}</th>
    <td>${s.department.name}</td>
    <td>${s.roles.length ? s.roles.map((r, i) => html`${i ? '、' : ''}${r.roleLabel}${r.department.id !== s.department.id ? html`（${r.department.name}）` : ''}${r.includeLowerLevels ? '（含下级）' : ''}`) : html`<span class="muted">无</span>`}</td>
    <td><span class="status-tag ${s.status}">${STATUS[s.status]}</span></td>
    <td><a href="/admin/staff/${s.id}">管理<span class="visually-hidden">：${s.name}</span></a></td>
  </tr>`,
  )}</tbody>
</table></div>
${pager('/admin/staff', { department: o.filters.department, name: o.filters.name }, list.page, list.total, list.size)}`
    : html`<p>没有符合条件的工作人员。</p>`
}`;
}

export interface NewStaffValues {
  staffNo?: string;
  name?: string;
  mobile?: string;
  department?: string;
}

export function renderNewStaff(o: { values: NewStaffValues; errors?: FormErrors; departments: DepartmentRef[] | null; csrf: Html }): Html {
  const v = o.values;
  return html`<h1>新增工作人员</h1>
<div class="form-narrow">
${errorSummary(o.errors)}
<form action="/admin/staff/new" method="post" novalidate>
  ${o.csrf}
  ${textField({ name: 'staffNo', label: '工号', value: v.staffNo, required: true, maxlength: 20, autocomplete: 'off', hint: '4–20 位字母或数字，工作人员用它登录', errors: o.errors })}
  ${textField({ name: 'name', label: '姓名', value: v.name, required: true, maxlength: 30, autocomplete: 'off', errors: o.errors })}
  ${textField({ name: 'mobile', label: '手机号码', type: 'tel', inputmode: 'numeric', value: v.mobile, required: true, maxlength: 11, autocomplete: 'off', errors: o.errors })}
  ${departmentField({ name: 'department', label: '所属部门', departments: o.departments, value: v.department, errors: o.errors })}
  ${textField({
    name: 'password',
    label: '初始密码',
    type: 'password',
    required: true,
    maxlength: 64,
    autocomplete: 'new-password',
    hint: '8–64 位，至少包含大写字母、小写字母、数字、符号中的三类',
    errors: o.errors,
  })}
  <div class="notice info"><p>请通过安全渠道把工号和初始密码告知本人，并提醒其<strong>首次登录后立即修改密码</strong>。新账号还没有任何角色，创建后请在其详情页授予角色。</p></div>
  <button class="primary" type="submit">创建账号</button>
  <a href="/admin/staff">取消</a>
</form>
</div>`;
}

export interface GrantValues {
  role?: string;
  department?: string;
  includeLowerLevels?: boolean;
}

export function renderStaffDetail(o: {
  staff: StaffView;
  self: boolean;
  canManage: boolean; // the staff member's department is in the viewer's staff.manage scope
  revocable: (roleId: string) => boolean;
  grantableRoles: StaffRole[];
  grantDepartments: DepartmentRef[] | null;
  mayIncludeLower: boolean;
  canChangeStatus: boolean;
  csrf: Html;
  done?: string;
  errors?: FormErrors;
  grant?: GrantValues;
}): Html {
  const s = o.staff;
  const g = o.grant ?? {};
  const manage = o.canManage && !o.self;
  return html`<h1>${s.name}<span class="muted">（${s.staffNo}）</span></h1>
${notice(o.done)}
${errorSummary(o.errors)}
<table class="facts"><tbody>
  <tr><th scope="row">工号</th><td><code>${s.staffNo}</code></td></tr>
  <tr><th scope="row">姓名</th><td>${s.name}</td></tr>
  <tr><th scope="row">手机号码</th><td>${s.mobile ?? '—'}</td></tr>
  <tr><th scope="row">所属部门</th><td>${s.department.name}</td></tr>
  <tr><th scope="row">账号状态</th><td><span class="status-tag ${s.status}">${STATUS[s.status]}</span></td></tr>
  <tr><th scope="row">创建时间</th><td>${formatTime(s.createdAt)}</td></tr>
</tbody></table>
${o.self ? html`<p class="notice info">这是您本人的账号。自己的角色和账号状态须由其他管理员调整。</p>` : ''}
<section aria-labelledby="h-roles">
  <h2 id="h-roles">角色</h2>
  ${
    s.roles.length
      ? html`<table class="data-table">
    <caption class="visually-hidden">${s.name} 的角色</caption>
    <thead><tr><th scope="col">角色</th><th scope="col">部门</th><th scope="col">范围</th><th scope="col">授予时间</th>${manage ? html`<th scope="col">操作</th>` : ''}</tr></thead>
    <tbody>${s.roles.map(
      (r) => html`<tr>
      <th scope="row">${r.roleLabel}</th>
      <td>${r.department.name}</td>
      <td>${r.includeLowerLevels ? '本部门及下级同类部门' : '本部门'}</td>
      <td>${formatTime(r.grantedAt)}</td>
      ${
        manage
          ? html`<td>${
              o.revocable(r.id)
                ? html`<form class="inline-form" action="/admin/staff/${s.id}/roles/${r.id}/revoke" method="post">${o.csrf}<button class="secondary" type="submit">撤销<span class="visually-hidden">角色：${r.roleLabel}（${r.department.name}）</span></button></form>`
                : html`<span class="muted">无权撤销</span>`
            }</td>`
          : ''
      }
    </tr>`,
    )}</tbody>
  </table>`
      : html`<p>尚未授予任何角色。</p>`
  }
  ${
    manage && o.grantableRoles.length
      ? html`<h3 id="h-grant">授予角色</h3>
  <form class="form-narrow" action="/admin/staff/${s.id}/roles" method="post" aria-labelledby="h-grant" novalidate>
    ${o.csrf}
    ${selectField({ name: 'role', label: '角色', value: g.role, errors: o.errors, options: o.grantableRoles.map((r) => ({ value: r, label: ROLES[r].label })) })}
    ${departmentField({ name: 'department', label: '角色所属部门', departments: o.grantDepartments, value: g.department ?? s.department.code, errors: o.errors })}
    ${o.mayIncludeLower ? checkboxField({ name: 'includeLowerLevels', label: '含下级（同类部门在下级地区的记录）', checked: g.includeLowerLevels, error: o.errors?.includeLowerLevels }) : ''}
    <button class="primary" type="submit">授予</button>
  </form>`
      : ''
  }
</section>
${
  manage && o.canChangeStatus
    ? html`<section aria-labelledby="h-status">
  <h2 id="h-status">账号状态</h2>
  <form action="/admin/staff/${s.id}/status" method="post">
    ${o.csrf}
    ${
      s.status === 'active'
        ? html`<input type="hidden" name="status" value="disabled"><p>停用后该工作人员立即退出所有已登录的设备，且不能再登录。</p><button class="danger" type="submit">停用账号</button>`
        : html`<input type="hidden" name="status" value="active"><button class="primary" type="submit">启用账号</button>`
    }
  </form>
</section>`
    : ''
}
<p><a href="/admin/staff">返回工作人员名单</a></p>`;
}
