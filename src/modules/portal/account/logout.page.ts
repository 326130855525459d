/** 退出登录: the confirmation page behind the header's link, for pages that could not carry the sign-out form. */
import { html, type Html } from '../../../http/html.ts';
import type { AppContext } from '../../../http/context.ts';
import { layout } from '../layout.ts';
import type { Preferences } from '../preferences.ts';

export function renderLogout(ctx: AppContext, v: { prefs: Preferences; path: string; account: { name: string; csrfToken: string }; csrf: Html }): string {
  return layout(ctx, {
    title: '退出登录',
    prefs: v.prefs,
    path: v.path,
    account: v.account,
    breadcrumbs: [{ label: '首页', href: '/' }, { label: '个人中心', href: '/me' }, { label: '退出登录' }],
    body: html`<div class="account-page form-narrow">
<h1>退出登录</h1>
<p>确定要退出登录吗？退出后，在这台设备上办理事项需要重新登录。</p>
<form action="/logout" method="post">
  ${v.csrf}
  <p><button type="submit" class="primary">退出登录</button> <a href="/me">返回个人中心</a></p>
</form>
</div>`,
  });
}
