/** 修改密码 for the signed-in account; its other sessions end when it succeeds. */
import { html, type Html } from '../../../http/html.ts';
import type { AppContext } from '../../../http/context.ts';
import { errorSummary, textField, type FormErrors } from '../forms.ts';
import { layout } from '../layout.ts';
import type { Preferences } from '../preferences.ts';
import { PASSWORD_RULE } from './account-kit.ts';

export interface ChangePasswordView {
  prefs: Preferences;
  path: string;
  account: { name: string; csrfToken: string };
  csrf: Html;
  hasPassword: boolean; // an account made through 统一身份认证 may have none yet
  errors?: FormErrors;
}

export function renderChangePassword(ctx: AppContext, v: ChangePasswordView): string {
  return layout(ctx, {
    title: '修改密码',
    prefs: v.prefs,
    path: v.path,
    account: v.account,
    breadcrumbs: [{ label: '首页', href: '/' }, { label: '个人中心', href: '/me' }, { label: '修改密码' }],
    body: html`<div class="account-page form-narrow">
<h1>${v.hasPassword ? '修改密码' : '设置密码'}</h1>
${errorSummary(v.errors)}
<form action="/me/password" method="post">
  ${v.csrf}
  ${
    v.hasPassword
      ? textField({ name: 'currentPassword', label: '当前密码', type: 'password', autocomplete: 'current-password', required: true, maxlength: 200, errors: v.errors })
      : html`<p>您的账号通过统一身份认证登录，尚未设置密码。设置后也可以用手机号码或身份证号码和密码登录。</p><input type="hidden" name="currentPassword" value="">`
  }
  ${textField({ name: 'newPassword', label: '新密码', type: 'password', hint: PASSWORD_RULE, autocomplete: 'new-password', required: true, maxlength: 200, errors: v.errors })}
  ${textField({ name: 'newPasswordConfirm', label: '再次输入新密码', type: 'password', autocomplete: 'new-password', required: true, maxlength: 200, errors: v.errors })}
  <p><button type="submit" class="primary">保存新密码</button> <a href="/me">取消</a></p>
</form>
<p class="muted">保存后，您在其他设备上的登录会退出，当前设备保持登录。</p>
</div>`,
  });
}
