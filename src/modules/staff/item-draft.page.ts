/** 事项指南维护 (/admin/items/:code): versions, the open draft and its publication, or a form for a new draft. */
import { html, type Html } from '../../http/html.ts';
import type { ItemVersionSummary } from '../catalogue/item-guide.types.ts';
import { errorSummary, notice, textField, type FormErrors } from '../portal/forms.ts';
import type { ItemVersionView } from './get-item-draft.ts';
import type { ItemScope } from './load-item-scope.ts';
import { formatTime } from './admin-page.ts';

const VERSION_STATUS = { draft: '草稿', published: '已发布', superseded: '已替代' } as const;

export interface DraftFormValues {
  promisedDays?: string;
  address?: string;
  consultPhone?: string;
  officeHours?: string;
  changeNote?: string;
}

export function renderItemDraft(o: {
  item: ItemScope;
  latest: ItemVersionView;
  versions: ItemVersionSummary[];
  canWrite: boolean;
  csrf: Html;
  done?: string;
  errors?: FormErrors;
  values?: DraftFormValues;
}): Html {
  const { item, latest } = o;
  const draft = latest.status === 'draft' ? latest : undefined;
  const v: DraftFormValues = o.values ?? {
    promisedDays: String(latest.promisedDays),
    address: latest.address,
    consultPhone: latest.consultPhone,
    officeHours: latest.officeHours,
  };
  return html`<h1>指南维护：${item.name}</h1>
<p class="muted">${item.department.name} · ${item.regionName} · 实施编码 <code>${item.code}</code>${item.publishedVersion ? html` · <a href="/items/${item.code}">查看公开指南</a>` : ''}</p>
${notice(o.done)}
${errorSummary(o.errors)}
<section aria-labelledby="h-versions">
  <h2 id="h-versions">版本</h2>
  <table class="data-table">
    <caption class="visually-hidden">${item.name} 的版本</caption>
    <thead><tr><th scope="col">版本</th><th scope="col">状态</th><th scope="col">修改说明</th><th scope="col">创建时间</th><th scope="col">发布时间</th></tr></thead>
    <tbody>${o.versions.map(
      (x) => html`<tr><th scope="row">第 ${x.version} 版</th><td><span class="status-tag ${x.status}">${VERSION_STATUS[x.status]}</span></td><td>${x.changeNote || '—'}</td><td>${formatTime(x.createdAt)}</td><td>${x.publishedAt ? formatTime(x.publishedAt) : '—'}</td></tr>`,
    )}</tbody>
  </table>
</section>
${
  draft
    ? html`<section aria-labelledby="h-draft">
  <h2 id="h-draft">待发布草稿（第 ${draft.version} 版）</h2>
  <table class="facts"><tbody>
    <tr><th scope="row">修改说明</th><td>${draft.changeNote}</td></tr>
    <tr><th scope="row">创建人</th><td><code>${draft.createdBy}</code>，${formatTime(draft.createdAt)}</td></tr>
    <tr><th scope="row">承诺办结时限</th><td>${draft.promisedDays === 0 ? '即办' : `${draft.promisedDays} 个工作日`}</td></tr>
    <tr><th scope="row">法定办结时限</th><td>${draft.legalDays === 0 ? '即办' : `${draft.legalDays} 个工作日`}</td></tr>
    <tr><th scope="row">办理地点</th><td>${draft.address}</td></tr>
    <tr><th scope="row">咨询电话</th><td>${draft.consultPhone}</td></tr>
    <tr><th scope="row">办理时间</th><td>${draft.officeHours}</td></tr>
    <tr><th scope="row">申请材料</th><td>${draft.materials} 项</td></tr>
  </tbody></table>
  ${
    o.canWrite
      ? html`<form action="/admin/items/${item.code}/publish" method="post">
    ${o.csrf}
    <input type="hidden" name="version" value="${draft.version}">
    <p>发布后公众立即看到新版本，当前发布的版本将被替代（保留备查）。</p>
    <button class="primary" type="submit">发布第 ${draft.version} 版</button>
  </form>`
      : html`<p>草稿由部门管理员发布。</p>`
  }
</section>`
    : o.canWrite
      ? html`<section aria-labelledby="h-new">
  <h2 id="h-new">新建草稿</h2>
  <p>在当前版本（第 ${latest.version} 版）的基础上修改以下内容。草稿发布前公众看不到。</p>
  <form class="form-narrow" action="/admin/items/${item.code}/versions" method="post" novalidate>
    ${o.csrf}
    ${textField({ name: 'promisedDays', label: '承诺办结时限（工作日，0 为即办）', type: 'number', inputmode: 'numeric', value: v.promisedDays, maxlength: 3, hint: `不得超过法定办结时限（${latest.legalDays} 个工作日）`, errors: o.errors })}
    ${textField({ name: 'address', label: '办理地点', value: v.address, maxlength: 200, errors: o.errors })}
    ${textField({ name: 'consultPhone', label: '咨询电话', type: 'tel', value: v.consultPhone, maxlength: 40, errors: o.errors })}
    ${textField({ name: 'officeHours', label: '办理时间', value: v.officeHours, maxlength: 200, errors: o.errors })}
    ${textField({ name: 'changeNote', label: '修改说明', value: v.changeNote, required: true, maxlength: 200, hint: '简要说明本次修改的内容和原因，将记入审计日志', errors: o.errors })}
    <button class="primary" type="submit">保存为草稿</button>
  </form>
</section>`
      : html`<p>当前没有待发布的草稿。</p>`
}
<p><a href="/admin">返回工作台</a></p>`;
}
