/**
 * For tests of the account pages: a visitor with a cookie jar, who loads pages and posts their forms through
 * app.inject the way a browser without JavaScript would (form-encoded, carrying the page's `_csrf` field).
 */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';

export class PageVisitor {
  readonly cookies = new Map<string, string>();

  constructor(private readonly app: FastifyInstance) {}

  private keep(res: LightMyRequestResponse): void {
    for (const c of res.cookies as { name: string; value: string; expires?: Date; maxAge?: number }[]) {
      const gone = c.value === '' || c.maxAge === 0 || (c.expires !== undefined && c.expires.getTime() < Date.now());
      if (gone) this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value);
    }
  }

  get cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  async get(url: string): Promise<LightMyRequestResponse> {
    const res = await this.app.inject({ method: 'GET', url, headers: this.cookies.size ? { cookie: this.cookieHeader } : {} });
    this.keep(res);
    return res;
  }

  /** Posts a form as is (no token added). */
  async post(url: string, fields: Record<string, string>): Promise<LightMyRequestResponse> {
    const res = await this.app.inject({
      method: 'POST',
      url,
      payload: new URLSearchParams(fields).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...(this.cookies.size ? { cookie: this.cookieHeader } : {}) },
    });
    this.keep(res);
    return res;
  }

  /** Loads `page`, takes the CSRF token of the form that posts to `action`, and submits that form with `fields`. */
  async submit(page: string, action: string, fields: Record<string, string>): Promise<LightMyRequestResponse> {
    const res = await this.get(page);
    if (res.statusCode !== 200) throw new Error(`GET ${page}: ${res.statusCode}`);
    return this.post(action, { _csrf: formCsrf(res.body, action), ...fields });
  }
}

/** The `_csrf` value of the (first) form on the page that posts to `action`. */
export function formCsrf(page: string, action: string): string {
  const forms = page.match(/<form\b[^>]*>[\s\S]*?<\/form>/g) ?? [];
  const form = forms.find((f) => f.includes(`action="${action}"`));
  const token = form && /name="_csrf" value="([^"]+)"/.exec(form)?.[1];
  if (!token) throw new Error(`no form posting to ${action} with a CSRF field`);
  return token;
}

/** The error shown beside field `name`, if any. */
export function fieldError(page: string, name: string): string | undefined {
  const m = new RegExp(`<p class="field-error" id="f-${name}-error"><span class="visually-hidden">错误：</span>([^<]*)</p>`).exec(page);
  return m?.[1];
}
