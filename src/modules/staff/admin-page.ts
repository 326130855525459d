/** What the administration pages share: the staff principal, the page frame, times, pagination, checkboxes. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../http/context.ts';
import { html, raw, type Html } from '../../http/html.ts';
import { requirePrincipal } from '../../http/route-access.ts';
import type { StaffPrincipal } from '../access/principal.ts';
import { layout } from '../portal/layout.ts';
import { readPreferences } from '../portal/preferences.ts';
import { ForbiddenError } from '../../shared/errors.ts';

export const HTML = 'text/html; charset=utf-8';

/** The signed-in staff member (pages are for people; a machine client uses the API). */
export async function requireStaffPage(ctx: AppContext, req: FastifyRequest): Promise<StaffPrincipal> {
  const p = await requirePrincipal(ctx, req);
  if (p.kind !== 'staff') throw new ForbiddenError('此页面仅供工作人员使用');
  return p;
}

export interface AdminPage {
  title: string;
  /** Trail after 首页 › 工作台; the last entry is the current page. */
  trail?: { label: string; href?: string }[];
  body: Html;
  status?: number;
  /** Reload the page every this many seconds (progress of a background task). */
  refreshSeconds?: number;
}

/** An administration page as HTML (the layout with the trail 首页 › 工作台 › …). */
export function renderAdminPage(ctx: AppContext, req: FastifyRequest, reply: FastifyReply, o: AdminPage): string {
  const prefs = readPreferences(ctx, req, reply);
  const breadcrumbs = [{ label: '首页', href: '/' }, { label: '工作台', href: '/admin' }, ...(o.trail ?? [])];
  const p = req.principal;
  const account = p && p.kind !== 'client' ? { name: p.name, csrfToken: p.csrfToken } : undefined;
  return layout(ctx, { title: o.title, prefs, path: req.url, breadcrumbs, body: o.body, account, refreshSeconds: o.refreshSeconds });
}

/** Sends an administration page: personal data, never cached. */
export function sendAdminPage(ctx: AppContext, req: FastifyRequest, reply: FastifyReply, o: AdminPage): FastifyReply {
  return reply.code(o.status ?? 200).header('cache-control', 'no-store').type(HTML).send(renderAdminPage(ctx, req, reply, o));
}

/** A time as people read it here: Beijing time, to the second. */
export function formatTime(iso: string | Date): string {
  const t = new Date(iso).getTime() + 8 * 3600_000;
  return new Date(t).toISOString().slice(0, 19).replace('T', ' ');
}

/** Previous / next links and the position, keeping the other query parameters. */
export function pager(path: string, params: Record<string, string | number | undefined>, page: number, total: number, size: number): Html | '' {
  const pages = Math.max(1, Math.ceil(total / size));
  if (pages <= 1) return '';
  const href = (n: number) => {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries({ ...params, page: n })) if (v !== undefined && String(v) !== '') q.set(k, String(v));
    return `${path}?${q.toString()}`;
  };
  return html`<nav class="pagination" aria-label="分页"><ul>
  ${page > 1 ? html`<li><a href="${href(page - 1)}" rel="prev">上一页</a></li>` : ''}
  <li><span aria-current="page">第 ${page} / ${pages} 页</span></li>
  ${page < pages ? html`<li><a href="${href(page + 1)}" rel="next">下一页</a></li>` : ''}
</ul></nav>`;
}

export function checkboxField(o: { name: string; label: string; checked?: boolean; hint?: string; error?: string }): Html {
  const id = `f-${o.name}`;
  const described = [o.hint ? `${id}-hint` : '', o.error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return html`<div class="field checkbox-field${o.error ? ' has-error' : ''}">
  ${o.error ? html`<p class="field-error" id="${id}-error"><span class="visually-hidden">错误：</span>${o.error}</p>` : ''}
  <input id="${id}" name="${o.name}" type="checkbox" value="1"${raw(o.checked ? ' checked' : '')}${raw(described ? ` aria-describedby="${described}"` : '')}>
  <label for="${id}">${o.label}</label>
  ${o.hint ? html`<p class="hint" id="${id}-hint">${o.hint}</p>` : ''}
</div>`;
}

/** A fixed message for `?done=…` after a redirect (PRG); unknown values show nothing. */
export function doneMessage(done: string | undefined, messages: Record<string, string>): string | undefined {
  return done && Object.hasOwn(messages, done) ? messages[done] : undefined;
}
