/**
 * The once-only block of the apply pages (免提交): before consent, what can be obtained by data sharing and from
 * whom, with the consent button (同意并获取); after it, what was obtained (fields read-only, materials 免提交)
 * and what could not be, in plain words, with 重新获取 and 撤回同意. Plain forms, no JavaScript.
 */
import { html, type Html } from '../../http/html.ts';
import { notice } from '../portal/forms.ts';
import type { ApplicableItem } from '../applications/load-applicable-item.ts';
import { sourceNote, type OnceOnlyState, type SharedEntry } from './once-only-state.ts';

export const sharedHref = (code: string) => `/apply/${encodeURIComponent(code)}/shared`;

/** Where the applicant returns after consenting or withdrawing: 'step:<key>', 'materials' or 'review'. */
export const BACK_PATTERN = '^(step:[A-Za-z][A-Za-z0-9_]{0,60}|materials|review)$';

const DONE: Record<string, string> = {
  shared: '已按您的同意通过政务数据共享获取信息，详见下方。',
  withdrawn: '已撤回同意：通过共享获取的信息已清除，请手动填写并上传材料。',
};

export function targetLabel(item: ApplicableItem, target: 'field' | 'material', key: string): string {
  if (target === 'material') return item.slots.find((s) => s.key === key)?.label ?? key;
  for (const s of item.form.steps) for (const f of s.fields) if (f.key === key) return f.label;
  return key;
}

function entryLine(item: ApplicableItem, e: SharedEntry): Html {
  const label = targetLabel(item, e.target, e.targetKey);
  if (e.status === 'filled') {
    return e.target === 'material'
      ? html`<li>材料“${label}”：<strong>已通过共享获取（免提交）</strong> <span class="muted">${sourceNote(e)}</span></li>`
      : html`<li>“${label}”：<strong>已填写</strong> <span class="muted">${sourceNote(e)}</span></li>`;
  }
  return html`<li>${e.target === 'material' ? '材料' : ''}“${label}”：${e.reason ?? '暂未能通过共享获取，请手动填写并上传材料'}</li>`;
}

/** `actingFor`: the name of the person or enterprise the applicant acts for (代办), whose data it is. */
export function renderOnceOnlyBlock(o: { item: ApplicableItem; state: OnceOnlyState; csrf: Html; back: string; done?: string; actingFor?: string }): Html | '' {
  const { item, state } = o;
  if (!state.sources.length) return '';
  const action = sharedHref(item.code);
  const hidden = html`${o.csrf}<input type="hidden" name="back" value="${o.back}">`;
  const doneNote = o.done && DONE[o.done] ? notice(DONE[o.done]) : '';
  if (!state.entries.length) {
    const offered = [...new Map(state.sources.map((s) => [`${s.label}|${s.resource.providerName}`, `${s.label}（${s.resource.providerName}）`])).values()];
    return html`<section class="material-slot shared-data" id="shared-data" aria-labelledby="shared-data-h">
<h2 id="shared-data-h">免提交：通过政务数据共享获取</h2>
${doneNote}
<p>以下信息可由本平台通过政务数据共享获取，无需您填写或提交：${offered.join('、')}。</p>
${
  o.actingFor
    ? html`<p>您正在代${o.actingFor}办理，以下为${o.actingFor}的信息。同意后由${item.department.name}依据共享授权获取，访问将记录在${o.actingFor}的数据访问记录中。</p>`
    : html`<p>同意后由${item.department.name}依据共享授权获取，访问将记录在您的<a href="/me/access-log">个人数据访问记录</a>中。</p>`
}
<form method="post" action="${action}" class="inline-form">
${hidden}
<button type="submit" class="primary" name="consent" value="yes">同意并获取</button>
</form>
<p class="hint">不同意也可以照常手动填写并上传材料。</p>
</section>`;
  }
  const filled = state.entries.filter((e) => e.status === 'filled');
  const missing = state.entries.filter((e) => e.status !== 'filled');
  return html`<section class="material-slot shared-data" id="shared-data" aria-labelledby="shared-data-h">
<h2 id="shared-data-h">免提交：通过政务数据共享获取</h2>
${doneNote}
${filled.length ? html`<p>您已同意由${item.department.name}通过政务数据共享获取以下信息，已填写的内容不能修改，如有误请撤回同意后手动填写：</p><ul>${filled.map((e) => entryLine(item, e))}</ul>` : ''}
${missing.length ? html`<p role="status">以下信息${filled.length ? '' : '暂'}未能通过共享获取，请手动填写并上传材料：</p><ul>${missing.map((e) => entryLine(item, e))}</ul>` : ''}
${o.actingFor ? html`<p class="hint">每次获取都记录在${o.actingFor}的数据访问记录中。</p>` : html`<p class="hint">每次获取都记录在您的<a href="/me/access-log">个人数据访问记录</a>中。</p>`}
<form method="post" action="${action}" class="inline-form">
${hidden}
${missing.length ? html`<button type="submit" class="secondary" name="consent" value="yes">重新获取</button> ` : ''}<button type="submit" class="secondary" name="withdraw" value="yes">撤回同意，改为手动填写</button>
</form>
</section>`;
}
