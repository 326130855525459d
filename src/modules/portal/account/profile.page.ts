/** 个人中心: the signed-in account's own details (personal numbers masked) and the way to everything else. */
import { html } from '../../../http/html.ts';
import type { AppContext } from '../../../http/context.ts';
import type { Profile } from '../../identity/get-profile.ts';
import { notice } from '../forms.ts';
import { layout } from '../layout.ts';
import type { Preferences } from '../preferences.ts';
import { formatTime, RELATION_LABELS } from './account-kit.ts';

export interface ProfileView {
  prefs: Preferences;
  path: string;
  account: { name: string; csrfToken: string };
  profile: Profile;
  notice?: string;
}

export function actingBanner(acting: Profile['acting']) {
  if (!acting) return '';
  return html`<div class="acting-banner" role="status">
  <p>您正在以<strong>${RELATION_LABELS[acting.relation as keyof typeof RELATION_LABELS] ?? '代办人'}</strong>身份代<strong>${acting.principalName}</strong>${acting.principalType === 'enterprise' ? '（企业）' : ''}办理事项。<a href="/me/delegations">切换或结束代办</a></p>
</div>`;
}

export function renderProfile(ctx: AppContext, v: ProfileView): string {
  const p = v.profile;
  const staff = p.kind === 'staff';
  const links = [
    ...(staff ? [{ href: '/admin', label: '工作台', note: '受理、审核、人员与角色管理' }] : []),
    { href: '/me/password', label: '修改密码', note: p.hasPassword ? '修改后其他设备上的登录会退出' : '为账号设置密码' },
    { href: '/me/sessions', label: '我的会话', note: '查看在哪些设备上登录，并可注销' },
    ...(staff
      ? []
      : [
          { href: '/me/access-log', label: '访问记录', note: '谁查阅了我的个人档案、哪些部门通过数据共享使用了我的数据，为什么' },
          { href: '/me/delegations', label: '我的代办与授权', note: '为家人或企业代办，授权他人代办' },
        ]),
  ];
  return layout(ctx, {
    title: '个人中心',
    prefs: v.prefs,
    path: v.path,
    account: v.account,
    breadcrumbs: [{ label: '首页', href: '/' }, { label: '个人中心' }],
    body: html`<div class="account-page">
<h1>个人中心</h1>
${notice(v.notice)}
${actingBanner(p.acting)}
<section aria-labelledby="h-profile">
  <h2 id="h-profile">${staff ? '工作人员信息' : '账号信息'}</h2>
  <dl class="profile-facts">
    <div><dt>姓名</dt><dd>${p.name}</dd></div>
    <div><dt>账号类型</dt><dd>${staff ? '工作人员' : '个人（自然人）'}</dd></div>
    ${p.idNumber ? html`<div><dt>居民身份证号码</dt><dd>${p.idNumber}</dd></div>` : ''}
    ${p.mobile ? html`<div><dt>手机号码</dt><dd>${p.mobile}</dd></div>` : ''}
    ${staff && p.staffNo ? html`<div><dt>工号</dt><dd>${p.staffNo}</dd></div>` : ''}
    ${staff && p.department ? html`<div><dt>所属部门</dt><dd>${p.department.name}</dd></div>` : ''}
    <div><dt>统一身份认证</dt><dd>${p.oidcLinked ? '已关联' : '未关联'}</dd></div>
    <div><dt>注册时间</dt><dd><time datetime="${p.createdAt}">${formatTime(p.createdAt)}</time></dd></div>
  </dl>
  ${p.idNumber || p.mobile ? html`<p class="muted">为保护您的信息，身份证号码和手机号码只显示部分数字。</p>` : ''}
</section>
${
  staff
    ? html`<section aria-labelledby="h-roles">
  <h2 id="h-roles">我的角色</h2>
  ${
    p.roles.length
      ? html`<table class="data-table">
    <caption class="visually-hidden">我的角色及其适用部门</caption>
    <thead><tr><th scope="col">角色</th><th scope="col">部门</th><th scope="col">范围</th></tr></thead>
    <tbody>${p.roles.map((r) => html`<tr><td>${r.label}</td><td>${r.department}</td><td>${r.includeLowerLevels ? '本部门及下级同类部门' : '本部门'}</td></tr>`)}</tbody>
  </table>`
      : html`<p>尚未分配角色，请联系本部门的部门管理员。</p>`
  }
</section>`
    : ''
}
${
  p.enterprises.length
    ? html`<section aria-labelledby="h-enterprises">
  <h2 id="h-enterprises">我是法定代表人的企业</h2>
  <ul>${p.enterprises.map((e) => html`<li>${e.name}（统一社会信用代码 <code>${e.creditCode}</code>）</li>`)}</ul>
</section>`
    : ''
}
<section aria-labelledby="h-links">
  <h2 id="h-links">账号与安全</h2>
  <ul class="tiles account-tiles">
    ${links.map((l) => html`<li><a class="tile" href="${l.href}"><strong>${l.label}</strong><span>${l.note}</span></a></li>`)}
  </ul>
</section>
</div>`,
  });
}
