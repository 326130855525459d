import { html, raw, type Html } from '../../http/html.ts';
import type { AppContext } from '../../http/context.ts';
import type { Preferences } from './preferences.ts';

export interface PageOptions {
  title: string;
  prefs: Preferences;
  /** Reload the page every this many seconds (a background task's progress); absent: never. */
  refreshSeconds?: number;
  path: string; // current path + query, for the forms that come back here
  body: Html;
  breadcrumbs?: { label: string; href?: string }[];
  /** Query parameters the region switcher keeps (e.g. the search words). */
  keep?: Record<string, string | undefined>;
  /** 'select': the full region list inline (home, search); 'link': the region's name and a link to choose. */
  regionSwitcher?: 'select' | 'link';
  /**
   * The signed-in account, only on pages rendered for that account (never on pages of public routes: those may
   * be cached whole and shared). Shows "您好，{name}" and a sign-out form; without the CSRF token, a link to the
   * sign-out page instead.
   */
  account?: { name: string; csrfToken?: string };
}

function regionOptions(ctx: AppContext, selected: string | undefined): string {
  const key = selected ?? '';
  let out = ctx.regionOptions.get(key);
  if (out === undefined) {
    out = html`<option value=""${raw(selected ? '' : ' selected')}>浙江省（全省）</option>${ctx.regions
      .all()
      .filter((r) => r.level !== 'province')
      .map(
        (r) =>
          html`<option value="${r.code}"${raw(r.code === selected ? ' selected' : '')}>${r.level === 'county' ? '\u3000' : ''}${r.name}</option>`,
      )}`.value;
    ctx.regionOptions.set(key, out); // one entry per region at most: keys are validated region codes
  }
  return out;
}

export function layout(ctx: AppContext, o: PageOptions): string {
  const regionName = o.prefs.region ? ctx.regions.get(o.prefs.region)?.name : '浙江省';
  const keep = Object.entries(o.keep ?? {}).filter(([, v]) => v);
  return (
    '<!doctype html>' +
    html`<html lang="zh-CN"${raw(o.prefs.elder ? ' class="elder"' : '')}>
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${o.title} - 一网 · 浙江政务服务</title>
<link rel="stylesheet" href="/static/site.css">
${o.refreshSeconds ? html`<meta http-equiv="refresh" content="${String(o.refreshSeconds)}">
` : ''}</head>
<body>
<a class="skip-link" href="#main">跳到主要内容</a>
<header class="site-header">
  <div class="wrap header-row">
    <a class="brand" href="/"><span class="brand-mark" aria-hidden="true">一网</span><span class="brand-text">浙江政务服务<small>一网通办 · ${regionName}</small></span></a>
    ${
      o.regionSwitcher === 'select'
        ? html`<form class="region-switcher" action="${o.path.split('?')[0]}" method="get">
      <label for="region-select">所在地区</label>
      <select id="region-select" name="region">${raw(regionOptions(ctx, o.prefs.region))}</select>
      ${keep.map(([k, v]) => html`<input type="hidden" name="${k}" value="${v}">`)}
      <button type="submit">切换地区</button>
    </form>`
        : html`<p class="region-switcher">所在地区：<strong>${regionName}</strong> <a class="switch-link" href="/settings/region?back=${encodeURIComponent(o.path)}">切换地区</a></p>`
    }
    <form class="elder-toggle" action="/settings/elder" method="post">
      <input type="hidden" name="on" value="${o.prefs.elder ? '0' : '1'}">
      <input type="hidden" name="back" value="${o.path}">
      <button type="submit" aria-pressed="${o.prefs.elder ? 'true' : 'false'}">${o.prefs.elder ? '退出长辈版' : '长辈版（大字）'}</button>
    </form>
    ${
      o.account
        ? html`<div class="account-box"><span class="greeting">您好，${o.account.name}</span>${
            o.account.csrfToken
              ? html`<form class="logout-form" action="/logout" method="post"><input type="hidden" name="_csrf" value="${o.account.csrfToken}"><button type="submit">退出登录</button></form>`
              : html`<a class="logout-link" href="/logout">退出登录</a>`
          }</div>`
        : ''
    }
  </div>
  <nav class="main-nav" aria-label="主导航">
    <ul class="wrap">
      <li><a href="/">首页</a></li>
      <li><a href="/search?object=natural">个人办事</a></li>
      <li><a href="/search?object=legal">法人办事</a></li>
      <li><a href="/search?theme=convenience">便民服务</a></li>
      <li><a href="/appointments">预约服务</a></li>
      <li><a href="/results">结果查询</a></li>
      <li><a href="/regions">地区与部门</a></li>
      <li><a href="/progress">办件进度</a></li>
      <li><a href="/evaluations">好差评</a></li>
      <li><a href="/lists">三张清单</a></li>
      <li><a href="/data">数据资源目录</a></li>
      <li><a href="/api/docs">开放接口</a></li>
      <li><a href="/my/applications">我的办件</a></li>
      <li class="nav-account"><a href="/me">登录 / 个人中心</a></li>
    </ul>
  </nav>
</header>
${
  o.breadcrumbs?.length
    ? html`<nav class="breadcrumbs wrap" aria-label="当前位置"><ol>${o.breadcrumbs.map((b, i) =>
        b.href && i < o.breadcrumbs!.length - 1 ? html`<li><a href="${b.href}">${b.label}</a></li>` : html`<li aria-current="page">${b.label}</li>`,
      )}</ol></nav>`
    : ''
}
<main id="main" class="wrap" tabindex="-1">
${o.body}
</main>
<footer class="site-footer">
  <div class="wrap">
    <p>政务服务便民热线 <strong>12345</strong> · 本站为一网（Yiwang）开源平台演示数据，事项信息以各部门发布为准。</p>
    <p><a href="/api/docs">开放接口文档</a> · <a href="/regions">地区与部门</a></p>
  </div>
</footer>
</body>
</html>`.value
  );
}
