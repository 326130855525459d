/** 工作台 (/admin): who I am, my department and roles, what my permissions let me do, my department's items. */
import type { AppContext } from '../../http/context.ts';
import { html, type Html } from '../../http/html.ts';
import { can } from '../access/authorize.ts';
import { ROLES } from '../access/permissions.ts';
import type { StaffPrincipal } from '../access/principal.ts';
import type { DepartmentItem } from './list-department-items.ts';
import type { DepartmentRef, Page } from './staff.types.ts';
import { pager } from './admin-page.ts';

export function renderWorkbench(
  ctx: AppContext,
  p: StaffPrincipal,
  departments: Map<number, DepartmentRef>,
  items: Page<DepartmentItem>,
): Html {
  const own = departments.get(p.departmentId);
  const region = (code: string) => ctx.regions.get(code)?.full_name ?? code;
  const links: Html[] = [];
  if (can(p, 'application.handle')) links.push(html`<li><a href="/staff/applications">办件待办</a><span class="muted">按期限处理受理、审查、决定</span></li>`);
  if (can(p, 'results.publish')) links.push(html`<li><a href="/staff/result-sets">查询结果发布</a><span class="muted">上传、校验并发布高考成绩等查询结果</span></li>`);
  if (can(p, 'appointment.checkin') || can(p, 'appointment.manage')) links.push(html`<li><a href="/admin/appointments">预约管理</a><span class="muted">预约月历、当日名单、签到与号源调整</span></li>`);
  if (can(p, 'data.resource.manage')) links.push(html`<li><a href="/admin/data">数据资源管理</a><span class="muted">编目本部门数据资源、装载数据、版本与回滚</span></li>`);
  if (can(p, 'data.share.request')) links.push(html`<li><a href="/admin/data/requests">数据共享申请</a><span class="muted">申请使用其他部门数据、查看本部门获得的授权</span></li>`);
  if (can(p, 'data.share.review')) links.push(html`<li><a href="/admin/data/reviews">共享申请答复</a><span class="muted">答复对本部门数据的共享申请（超期标注）</span></li>`);
  if (can(p, 'data.share.request') || can(p, 'data.share.review')) links.push(html`<li><a href="/admin/data/grants">共享授权</a><span class="muted">查看与撤销授权</span></li>`);
  if (can(p, 'data.share.review')) links.push(html`<li><a href="/admin/data/usage">数据使用记录</a><span class="muted">谁在何时为何使用了本部门的数据</span></li>`);
  if (can(p, 'data.share.oversee')) links.push(html`<li><a href="/admin/data/overdue">共享申请督办</a><span class="muted">超期未答复的有条件共享申请</span></li>`);
  if (can(p, 'lists.draft')) links.push(html`<li><a href="/admin/lists">三张清单编制</a><span class="muted">维护本部门权力清单、负面清单、专项资金清单并提交审核</span></li>`);
  if (can(p, 'lists.publish')) links.push(html`<li><a href="/admin/lists/review">三张清单审核发布</a><span class="muted">审核各部门提交的清单，比对变化后发布或退回</span></li>`);
  if (can(p, 'evaluation.rectify') || can(p, 'evaluation.review')) links.push(html`<li><a href="/staff/rectifications">差评整改</a><span class="muted">核实、整改、反馈与复核</span></li>`);
  if (can(p, 'calendar.manage')) links.push(html`<li><a href="/admin/calendar">工作日历</a><span class="muted">法定节假日与调休安排</span></li>`);
  if (can(p, 'staff.read')) links.push(html`<li><a href="/admin/staff">工作人员管理</a><span class="muted">查看本部门工作人员及其角色</span></li>`);
  if (can(p, 'staff.manage')) links.push(html`<li><a href="/admin/staff/new">新增工作人员</a><span class="muted">创建账号并设置初始密码</span></li>`);
  if (can(p, 'audit.search')) links.push(html`<li><a href="/admin/audit">审计日志检索</a><span class="muted">查看管理范围内的操作记录</span></li>`);
  if (can(p, 'clients.manage')) links.push(html`<li><a href="/admin/clients">接入应用管理</a><span class="muted">接入应用的密钥与权限范围</span></li>`);
  links.push(html`<li><a href="/me/password">修改密码</a><span class="muted">首次登录请先修改初始密码</span></li>`);
  const readsItems = can(p, 'catalogue.draft.read');
  return html`<h1>工作台</h1>
<section aria-labelledby="h-me">
  <h2 id="h-me">我的账号</h2>
  <table class="facts"><tbody>
    <tr><th scope="row">姓名</th><td>${p.name}</td></tr>
    <tr><th scope="row">工号</th><td><code>${p.staffNo}</code></td></tr>
    <tr><th scope="row">所属部门</th><td>${own ? html`${own.name}<br><span class="muted">${region(own.regionCode)} · 统一社会信用代码 <code>${own.code}</code></span>` : '—'}</td></tr>
    <tr><th scope="row">角色</th><td>${
      p.roles.length
        ? html`<ul class="plain-list">${p.roles.map((g) => {
            const d = departments.get(g.departmentId);
            return html`<li>${ROLES[g.role].label}<span class="muted"> · ${d?.name ?? g.departmentId}${g.includeLowerLevels ? '（含下级）' : ''}</span></li>`;
          })}</ul>`
        : '暂无角色，请联系部门管理员授予'
    }</td></tr>
  </tbody></table>
</section>
<section aria-labelledby="h-tasks"><h2 id="h-tasks">常用功能</h2><ul class="admin-links">${links}</ul></section>
<section aria-labelledby="h-items">
  <h2 id="h-items">本部门事项${readsItems ? html`（${items.total}）` : ''}</h2>
  ${
    !readsItems
      ? html`<p>您的角色不含查看事项指南草稿的权限。</p>`
      : items.total === 0
        ? html`<p>您管理范围内的部门暂无实施事项。</p>`
        : html`<div class="table-scroll"><table class="data-table admin-items">
    <caption class="visually-hidden">本部门实施事项，共 ${items.total} 项</caption>
    <thead><tr><th scope="col">事项名称</th><th scope="col">地区</th><th scope="col">实施部门</th><th scope="col">状态</th><th scope="col">操作</th></tr></thead>
    <tbody>${items.items.map(
      (i) => html`<tr>
      <th scope="row">${i.name}<br><code class="muted">${i.code}</code></th>
      <td>${i.region.name}</td>
      <td>${i.department.name}</td>
      <td>${i.publishedVersion ? html`已发布第 ${i.publishedVersion} 版` : '未发布'}${i.draftOpen ? html`<br><span class="status-tag draft">草稿第 ${i.latestVersion} 版待发布</span>` : ''}</td>
      <td><ul class="action-list">
        ${i.publishedVersion ? html`<li><a href="/items/${i.code}">查看公开指南<span class="visually-hidden">：${i.name}</span></a></li>` : ''}
        <li><a href="/admin/items/${i.code}">${i.draftOpen ? '查看草稿' : '指南维护'}<span class="visually-hidden">：${i.name}</span></a></li>
      </ul></td>
    </tr>`,
    )}</tbody>
  </table></div>
  ${pager('/admin', {}, items.page, items.total, items.size)}`
  }
</section>`;
}
