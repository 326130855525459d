import { html, raw, type Html } from '../../http/html.ts';
import { SERVICE_OBJECTS, TONGBAN_SCOPES } from '../catalogue/catalogue.types.ts';
import type { SearchHit } from '../search/search.types.ts';

/** The name with the matched ranges wrapped in <mark>. */
export function highlighted(name: string, ranges: [number, number][]): Html {
  const parts: Html[] = [];
  let at = 0;
  for (const [s, e] of ranges) {
    if (s > at) parts.push(html`${name.slice(at, s)}`);
    parts.push(html`<mark>${name.slice(s, e)}</mark>`);
    at = e;
  }
  parts.push(html`${name.slice(at)}`);
  return html`${parts}`;
}

export function daysLabel(days: number): string {
  return days === 0 ? '即办' : `${days} 个工作日`;
}

export function itemCard(hit: SearchHit, headingLevel: 2 | 3 = 3): Html {
  const h = raw(`h${headingLevel}`);
  return html`<li class="item-card">
  <${h} class="item-title"><a href="/items/${hit.code}">${highlighted(hit.name, hit.highlights.name)}</a></${h}>
  <p class="item-meta"><span>${hit.department.name}</span><span>${hit.typeLabel}</span><span>${hit.objects.map((o) => SERVICE_OBJECTS[o]).join('、')}</span></p>
  ${hit.summary ? html`<p class="item-summary">${hit.summary}</p>` : ''}
  <p class="badges">
    ${hit.onlineHandleable ? html`<span class="badge online">可网上办理</span>` : html`<span class="badge">需到现场</span>`}
    <span class="badge">跑 ${hit.visits} 次</span>
    <span class="badge">承诺 ${daysLabel(hit.promisedDays)}</span>
    ${hit.tongban ? html`<span class="badge tongban">${TONGBAN_SCOPES[hit.tongban]}</span>` : ''}
  </p>
</li>`;
}

export function searchBox(q: string, region: string | undefined, big = false): Html {
  return html`<form class="search-box${big ? ' big' : ''}" action="/search" method="get" role="search">
  <label for="q" class="${big ? 'search-label' : 'visually-hidden'}">搜索办事事项</label>
  <div class="search-row">
    <input id="q" name="q" type="search" value="${q}" maxlength="100" placeholder="如：结婚登记、驾照到期换证、开饭店、hydj" autocomplete="off">
    ${region ? html`<input type="hidden" name="region" value="${region}">` : ''}
    <button type="submit">搜索</button>
  </div>
</form>`;
}
