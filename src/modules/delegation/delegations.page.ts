/**
 * 我的代办 (/me/delegations): grants to me (with 开始代办), my grants (with 撤销), my enterprises and their
 * agents, and the forms to grant, add a minor child and register an enterprise. Works without JavaScript;
 * every form posts with the CSRF field and comes back here (PRG), or shows itself again with the error.
 */
import { html, type Html } from '../../http/html.ts';
import type { AppContext } from '../../http/context.ts';
import type { ActingFor } from '../access/principal.ts';
import { layout } from '../portal/layout.ts';
import type { Preferences } from '../portal/preferences.ts';
import { errorSummary, notice, selectField, textField, type FormErrors } from '../portal/forms.ts';
import { MAX_GRANT_YEARS } from './delegation.validation.ts';
import { RELATION_LABELS, type DelegationLists, type DelegationView } from './delegation.types.ts';

export type DelegationForm = 'grant' | 'enterpriseGrant' | 'minor' | 'enterprise' | 'revoke' | 'acting';

/** The operations' field names → the field names of each form on this page (ids must be unique on the page). */
const FIELD_MAP: Record<DelegationForm, Record<string, string>> = {
  grant: { agentName: 'agentName', agentIdNumber: 'agentIdNumber', relation: 'relation', itemCodes: 'itemCodes', validUntil: 'validUntil', note: 'note' },
  enterpriseGrant: {
    enterpriseId: 'enterpriseId',
    agentName: 'eAgentName',
    agentIdNumber: 'eAgentIdNumber',
    itemCodes: 'eItemCodes',
    validUntil: 'eValidUntil',
    note: 'eNote',
  },
  minor: { name: 'minorName', idNumber: 'minorIdNumber' },
  enterprise: { creditCode: 'creditCode', name: 'enterpriseName' },
  revoke: {},
  acting: {},
};

/** An operation's errors as the posted form's fields (anything else becomes an error of the whole form). */
export function formErrors(form: DelegationForm, errors: FormErrors): FormErrors {
  const out: FormErrors = {};
  for (const [field, message] of Object.entries(errors)) out[FIELD_MAP[form][field] ?? ''] = message;
  return out;
}

export const NOTICES: Record<string, string> = {
  granted: '授权成功，代办人登录后可在“我的代办”中开始代办。',
  enterprise_granted: '已授权企业经办人。',
  revoked: '授权已撤销，对方即时失去代办权限。',
  renounced: '您已放弃该项代办授权。',
  minor: '已添加未成年子女，父母代办授权至其年满 18 周岁。',
  enterprise: '企业已登记，您是其法定代表人，可为企业授权经办人。',
  acting: '已开始代办。办理事项时将以被代办人的名义提交。',
  stopped: '已结束代办，当前以本人身份办理。',
};

export interface DelegationsPage {
  lists: DelegationLists;
  acting: ActingFor | null;
  csrf: Html;
  account: { name: string; csrfToken: string };
  notice?: string;
  form?: DelegationForm;
  errors?: FormErrors; // already mapped to the form's fields
  values?: Record<string, string>;
}

/** A time in Beijing time, to the minute: 2027-06-30 23:59. */
export function beijingTime(iso: string): string {
  return new Date(new Date(iso).getTime() + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');
}

function itemsLabel(g: DelegationView): Html {
  if (!g.items.length) return html`全部事项`;
  return html`${g.items.map((i, n) => html`${n ? '、' : ''}${i.name}（<code>${i.code}</code>）`)}`;
}

function stateTag(g: DelegationView): Html {
  return html`<span class="state-tag state-${g.state}">${g.stateLabel}</span>`;
}

function postButton(o: { action: string; csrf: Html; label: string; ariaLabel: string; kind?: 'primary' | 'secondary' | 'danger'; hidden?: Record<string, string> }): Html {
  return html`<form class="inline-form" action="${o.action}" method="post">${o.csrf}${Object.entries(o.hidden ?? {}).map(
    ([k, v]) => html`<input type="hidden" name="${k}" value="${v}">`,
  )}<button type="submit" class="${o.kind ?? 'secondary'}" aria-label="${o.ariaLabel}">${o.label}</button></form>`;
}

function receivedTable(p: DelegationsPage): Html {
  const rows = p.lists.received;
  if (!rows.length) return html`<p class="muted">暂无他人授权给您的代办。</p>`;
  return html`<div class="table-scroll"><table class="data-table">
<caption class="visually-hidden">授权给我的代办</caption>
<thead><tr><th scope="col">委托人</th><th scope="col">关系</th><th scope="col">事项范围</th><th scope="col">有效期至</th><th scope="col">状态</th><th scope="col">操作</th></tr></thead>
<tbody>${rows.map((g) => {
    const actingHere = p.lists.actingDelegationId === g.id && p.acting?.delegationId === g.id;
    return html`<tr>
<th scope="row">${g.principal.name}${g.principal.type === 'enterprise' ? html`<span class="tag">企业</span>` : ''}</th>
<td>${g.relationLabel}</td>
<td>${itemsLabel(g)}</td>
<td>${beijingTime(g.validUntil)}</td>
<td>${stateTag(g)}</td>
<td class="actions">${
      g.state !== 'active'
        ? ''
        : html`${
            actingHere
              ? html`<strong class="acting-now">正在代办</strong>`
              : postButton({ action: '/me/delegations/acting', csrf: p.csrf, label: '开始代办', ariaLabel: `开始代办：代${g.principal.name}办理`, kind: 'primary', hidden: { delegationId: g.id } })
          } ${
            g.relation === 'parent'
              ? ''
              : postButton({ action: `/me/delegations/${g.id}/revoke`, csrf: p.csrf, label: '放弃授权', ariaLabel: `放弃授权：不再代${g.principal.name}办理` })
          }`
    }</td>
</tr>`;
  })}</tbody>
</table></div>`;
}

function grantsTable(rows: DelegationView[], csrf: Html, caption: string): Html {
  if (!rows.length) return html`<p class="muted">暂无授权。</p>`;
  return html`<div class="table-scroll"><table class="data-table">
<caption class="visually-hidden">${caption}</caption>
<thead><tr><th scope="col">代办人</th><th scope="col">关系</th><th scope="col">事项范围</th><th scope="col">有效期至</th><th scope="col">状态</th><th scope="col">操作</th></tr></thead>
<tbody>${rows.map(
    (g) => html`<tr>
<th scope="row">${g.agent.name}<br><span class="muted">${g.agent.idNumber ?? ''}</span></th>
<td>${g.relationLabel}</td>
<td>${itemsLabel(g)}${g.note ? html`<br><span class="muted">备注：${g.note}</span>` : ''}</td>
<td>${beijingTime(g.validUntil)}</td>
<td>${stateTag(g)}${g.revokedAt ? html`<br><span class="muted">${beijingTime(g.revokedAt)}</span>` : ''}</td>
<td class="actions">${
      g.state === 'active' ? postButton({ action: `/me/delegations/${g.id}/revoke`, csrf, label: '撤销', ariaLabel: `撤销对${g.agent.name}的授权`, kind: 'danger' }) : ''
    }</td>
</tr>`,
  )}</tbody>
</table></div>`;
}

function grantForm(p: DelegationsPage): Html {
  const mine = p.form === 'grant';
  const errors = mine ? p.errors : undefined;
  const v = mine ? (p.values ?? {}) : {};
  return html`<form class="form-narrow" action="/me/delegations/grant" method="post" novalidate>
${p.csrf}
${textField({ name: 'agentName', label: '代办人姓名', value: v.agentName, required: true, maxlength: 30, autocomplete: 'off', errors })}
${textField({ name: 'agentIdNumber', label: '代办人身份证号码', value: v.agentIdNumber, required: true, maxlength: 18, autocomplete: 'off', hint: '代办人须已在本平台实名注册，姓名与身份证号码须与其注册信息一致。', errors })}
${selectField({
  name: 'relation',
  label: '代办关系',
  value: v.relation ?? 'agent',
  options: [
    { value: 'agent', label: RELATION_LABELS.agent },
    { value: 'guardian', label: RELATION_LABELS.guardian },
  ],
  errors,
})}
${textField({ name: 'itemCodes', label: '授权事项（基本编码）', value: v.itemCodes, maxlength: 700, hint: '多个编码用空格或逗号分开；不填表示全部事项。', errors })}
${textField({ name: 'validUntil', label: '有效期至', type: 'date', value: v.validUntil, required: true, hint: `格式：年-月-日，当日 24 时止；最长 ${MAX_GRANT_YEARS} 年。`, errors })}
${textField({ name: 'note', label: '备注（选填）', value: v.note, maxlength: 200, errors })}
<button type="submit" class="primary">授权</button>
</form>`;
}

function minorForm(p: DelegationsPage): Html {
  const mine = p.form === 'minor';
  const errors = mine ? p.errors : undefined;
  const v = mine ? (p.values ?? {}) : {};
  return html`<form class="form-narrow" action="/me/delegations/minors" method="post" novalidate>
${p.csrf}
${textField({ name: 'minorName', label: '子女姓名', value: v.minorName, required: true, maxlength: 30, autocomplete: 'off', errors })}
${textField({ name: 'minorIdNumber', label: '子女身份证号码', value: v.minorIdNumber, required: true, maxlength: 18, autocomplete: 'off', hint: '未满 18 周岁。提交即表示您声明是其父母，虚假声明须承担法律责任。', errors })}
<button type="submit" class="primary">添加子女</button>
</form>`;
}

function enterpriseForm(p: DelegationsPage): Html {
  const mine = p.form === 'enterprise';
  const errors = mine ? p.errors : undefined;
  const v = mine ? (p.values ?? {}) : {};
  return html`<form class="form-narrow" action="/me/delegations/enterprises" method="post" novalidate>
${p.csrf}
${textField({ name: 'creditCode', label: '统一社会信用代码', value: v.creditCode, required: true, maxlength: 18, autocomplete: 'off', errors })}
${textField({ name: 'enterpriseName', label: '企业名称', value: v.enterpriseName, required: true, maxlength: 100, autocomplete: 'organization', errors })}
<p class="hint">您将登记为该企业的法定代表人。本平台暂未与市场监管部门的登记系统对接核验，请按营业执照如实填写，虚假登记须承担法律责任。</p>
<button type="submit" class="primary">登记企业</button>
</form>`;
}

function enterpriseGrantForm(p: DelegationsPage): Html {
  const mine = p.form === 'enterpriseGrant';
  const errors = mine ? p.errors : undefined;
  const v = mine ? (p.values ?? {}) : {};
  return html`<h3>授权企业经办人</h3>
<form class="form-narrow" action="/me/delegations/enterprise-grants" method="post" novalidate>
${p.csrf}
${selectField({ name: 'enterpriseId', label: '企业', value: v.enterpriseId, options: p.lists.enterprises.map((e) => ({ value: e.id, label: `${e.name}（${e.creditCode}）` })), errors })}
${textField({ name: 'eAgentName', label: '经办人姓名', value: v.eAgentName, required: true, maxlength: 30, autocomplete: 'off', errors })}
${textField({ name: 'eAgentIdNumber', label: '经办人身份证号码', value: v.eAgentIdNumber, required: true, maxlength: 18, autocomplete: 'off', hint: '经办人须已在本平台实名注册。', errors })}
${textField({ name: 'eItemCodes', label: '授权事项（基本编码）', value: v.eItemCodes, maxlength: 700, hint: '多个编码用空格或逗号分开；不填表示全部事项。', errors })}
${textField({ name: 'eValidUntil', label: '有效期至', type: 'date', value: v.eValidUntil, required: true, hint: `格式：年-月-日，当日 24 时止；最长 ${MAX_GRANT_YEARS} 年。`, errors })}
${textField({ name: 'eNote', label: '备注（选填）', value: v.eNote, maxlength: 200, errors })}
<button type="submit" class="primary">授权经办人</button>
</form>`;
}

function actingBanner(p: DelegationsPage): Html | '' {
  const a = p.acting;
  if (!a) return '';
  return html`<section class="acting-banner" aria-labelledby="acting-h">
<h2 id="acting-h">正在代办</h2>
<p>您正在以“${RELATION_LABELS[a.relation]}”身份代 <strong>${a.principalName}</strong>${a.principalType === 'enterprise' ? '（企业）' : ''}办理${
    a.itemCodes.length ? html`以下事项：${a.itemCodes.map((c, i) => html`${i ? '、' : ''}<code>${c}</code>`)}` : '全部事项'
  }。</p>
${postButton({ action: '/me/delegations/acting/stop', csrf: p.csrf, label: '结束代办', ariaLabel: '结束代办', kind: 'primary' })}
</section>`;
}

export function renderDelegationsPage(ctx: AppContext, prefs: Preferences, p: DelegationsPage): string {
  const children = p.lists.received.filter((g) => g.relation === 'parent');
  return layout(ctx, {
    title: '我的代办',
    prefs,
    path: '/me/delegations',
    account: p.account,
    breadcrumbs: [{ label: '首页', href: '/' }, { label: '个人中心', href: '/me' }, { label: '我的代办' }],
    body: html`<h1>我的代办</h1>
${actingBanner(p)}
${notice(p.notice)}
${errorSummary(p.errors)}
<p>代办是经您明确授权、可以限定事项、有期限并可随时撤销的委托。每一次授权、撤销、开始和结束代办，以及代办人查阅您的档案，都会记录在审计日志中。</p>

<section aria-labelledby="h-received">
<h2 id="h-received">授权给我的代办</h2>
${receivedTable(p)}
</section>

<section aria-labelledby="h-granted">
<h2 id="h-granted">我授予的代办</h2>
${grantsTable(p.lists.granted, p.csrf, '我授予的代办')}
<h3>授权他人代办</h3>
${grantForm(p)}
</section>

<section aria-labelledby="h-minors">
<h2 id="h-minors">我的未成年子女</h2>
${
  children.length
    ? html`<ul class="plain-list">${children.map((g) => html`<li>${g.principal.name}（父母代办至 ${beijingTime(g.validUntil)}，${g.stateLabel}）</li>`)}</ul>`
    : html`<p class="muted">尚未添加。未成年子女无需自行注册，由父母添加后代为办理。</p>`
}
<h3>添加未成年子女</h3>
${minorForm(p)}
</section>

<section aria-labelledby="h-enterprises">
<h2 id="h-enterprises">我担任法定代表人的企业</h2>
${
  p.lists.enterprises.length
    ? html`${p.lists.enterprises.map(
        (e) => html`<section class="enterprise-block" aria-labelledby="e-${e.id}">
<h3 id="e-${e.id}">${e.name} <span class="muted">统一社会信用代码 <code>${e.creditCode}</code></span></h3>
${grantsTable(e.grants, p.csrf, `${e.name}的经办人授权`)}
</section>`,
      )}
${enterpriseGrantForm(p)}`
    : html`<p class="muted">尚未登记企业。</p>`
}
<h3>登记企业（法人）</h3>
${enterpriseForm(p)}
</section>`,
  });
}
