/**
 * For tests: one browser, with a cookie jar (paths honoured, deletions applied) for the app — reached through
 * app.inject — and one for the identity provider — reached over HTTP. Redirects are followed by hand.
 */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';

interface StoredCookie {
  name: string;
  value: string;
  path: string;
}

export class CookieJar {
  private cookies = new Map<string, StoredCookie>();

  store(setCookie: string | string[] | undefined): void {
    for (const line of [setCookie ?? []].flat()) {
      const [pair, ...attrs] = line.split(';').map((s) => s.trim());
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq);
      const value = pair!.slice(eq + 1);
      let path = '/';
      let gone = value === '';
      for (const a of attrs) {
        const [k, v = ''] = a.split('=');
        const key = k!.toLowerCase();
        if (key === 'path') path = v;
        if (key === 'max-age' && Number(v) <= 0) gone = true;
        if (key === 'expires' && Date.parse(v) <= Date.now()) gone = true;
      }
      const id = `${name}|${path}`;
      if (gone) this.cookies.delete(id);
      else this.cookies.set(id, { name, value, path });
    }
  }

  header(path: string): string {
    return [...this.cookies.values()]
      .filter((c) => path === c.path || path.startsWith(c.path.endsWith('/') ? c.path : `${c.path}/`))
      .map((c) => `${c.name}=${c.value}`)
      .join('; ');
  }

  get(name: string): string | undefined {
    return [...this.cookies.values()].find((c) => c.name === name)?.value;
  }

  set(name: string, value: string, path = '/'): void {
    this.cookies.set(`${name}|${path}`, { name, value, path });
  }
}

export class TestBrowser {
  readonly app = new CookieJar();
  readonly provider = new CookieJar();

  constructor(private readonly server: FastifyInstance) {}

  /** A request to the app, as this browser. */
  async inject(o: { method?: 'GET' | 'POST'; url: string; form?: Record<string, string>; json?: unknown }): Promise<LightMyRequestResponse> {
    const path = o.url.split('?')[0]!;
    const res = await this.server.inject({
      method: o.method ?? 'GET',
      url: o.url,
      headers: {
        cookie: this.app.header(path),
        'user-agent': 'test-browser',
        ...(o.form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      ...(o.form ? { payload: new URLSearchParams(o.form).toString() } : {}),
      ...(o.json !== undefined ? { payload: o.json as object } : {}),
    });
    this.app.store(res.headers['set-cookie'] as string | string[] | undefined);
    return res;
  }

  private async fetchProvider(url: URL, init: { method?: string; form?: Record<string, string> } = {}): Promise<Response> {
    const res = await fetch(url, {
      method: init.method ?? 'GET',
      redirect: 'manual',
      headers: { cookie: this.provider.header(url.pathname), ...(init.form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
      ...(init.form ? { body: new URLSearchParams(init.form).toString() } : {}),
    });
    this.provider.store(res.headers.getSetCookie());
    return res;
  }

  /**
   * Follows the provider's redirects from the authorization URL, signing in as `subject` on its development
   * login page and consenting when asked, until it sends the browser back to `redirectUri`; returns that URL.
   */
  async signInAtProvider(authorizationUrl: string, subject: string, redirectUri: string): Promise<URL> {
    let url = new URL(authorizationUrl);
    let res = await this.fetchProvider(url);
    for (let hops = 0; hops < 20; hops++) {
      if (res.status < 300 || res.status >= 400) throw new Error(`provider answered ${res.status} at ${url.href}: ${(await res.text()).slice(0, 500)}`);
      await res.body?.cancel();
      const next = new URL(res.headers.get('location')!, url);
      if (next.href.startsWith(redirectUri)) return next;
      url = next;
      if (/^\/interaction\/[^/]+$/.test(url.pathname)) {
        const pageText = await (await this.fetchProvider(url)).text();
        const prompt = /name="prompt" value="(\w+)"/.exec(pageText)?.[1];
        if (prompt === 'login') res = await this.fetchProvider(url, { method: 'POST', form: { prompt, login: subject, password: 'any' } });
        else if (prompt === 'consent') res = await this.fetchProvider(url, { method: 'POST', form: { prompt } });
        else throw new Error(`unexpected interaction page: ${pageText.slice(0, 500)}`);
      } else {
        res = await this.fetchProvider(url);
      }
    }
    throw new Error('too many redirects at the provider');
  }
}

/** The hidden CSRF field of a page. */
export function csrfOf(page: string): string {
  const m = /name="_csrf" value="([^"]+)"/.exec(page);
  if (!m) throw new Error('no CSRF field on the page');
  return m[1]!;
}
