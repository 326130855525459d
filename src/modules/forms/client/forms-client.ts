/**
 * The browser side of application forms, bundled by esbuild and served at /assets/forms.js (an external
 * script: the CSP allows no inline ones). It reads the definition the page embeds in
 * <script type="application/json" id="form-definition"> ({ form, step, context }), then
 * - shows or hides the fields whose condition reads this step's answers, as the applicant types;
 * - checks the step on submit with the server's own validateStep and shows the same messages beside the fields
 *   and in a summary at the top, instead of sending a form the server would refuse. Buttons with
 *   `formnovalidate` (save draft, back, add or remove a table row) are not checked.
 * Without this script the page works the same, the server doing all the checks.
 */
import { evaluateCondition } from '../conditions.ts';
import { displayPath, fieldDomId } from '../field-names.ts';
import { parseFormPost, type PostBody } from '../parse-form-post.ts';
import { validateFormData, validateStep } from '../validate-form-data.ts';
import type { Condition, FormDefinition, FormError } from '../form.types.ts';

interface Payload {
  form: FormDefinition;
  step: string;
  context: Record<string, unknown>;
}

function readPayload(): Payload | null {
  const el = document.getElementById('form-definition');
  if (!el) return null;
  try {
    const p = JSON.parse(el.textContent ?? '') as Payload;
    return p && p.form && Array.isArray(p.form.steps) && typeof p.step === 'string' ? { ...p, context: p.context ?? {} } : null;
  } catch {
    return null;
  }
}

type Control = HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;

function start(): void {
  const payload = readPayload();
  const wrapper = document.querySelector<HTMLElement>('[data-form-step]');
  const formEl = wrapper?.closest('form');
  if (!payload || !wrapper || !formEl) return;
  formEl.noValidate = true;

  // the counties the region pickers offer are the ones the server accepts
  const counties = new Set<string>();
  Array.prototype.forEach.call(formEl.querySelectorAll('select[name$=".regionCode"] option'), (o: HTMLOptionElement) => {
    if (o.value) counties.add(o.value);
  });
  const regions = { get: (code: string) => (counties.has(code) ? { level: 'county' } : undefined) };

  const readData = (): Record<string, unknown> => {
    const body: PostBody = {};
    Array.prototype.forEach.call(formEl.elements, (el: Control) => {
      if (!el.name || !el.name.startsWith('f.') || el.disabled) return;
      if (el instanceof HTMLInputElement && (el.type === 'checkbox' || el.type === 'radio') && !el.checked) return;
      const prev = body[el.name];
      body[el.name] = prev === undefined ? el.value : Array.isArray(prev) ? [...prev, el.value] : [prev, el.value];
    });
    return { ...payload.context, ...parseFormPost(payload.form, body).data };
  };

  const applyConditions = () => {
    const data = readData();
    const shown = validateFormData(payload.form, data, { regions }).values;
    Array.prototype.forEach.call(wrapper.querySelectorAll<HTMLElement>('[data-when]'), (el: HTMLElement) => {
      let cond: Condition;
      try {
        cond = JSON.parse(el.dataset.when ?? '') as Condition;
      } catch {
        return;
      }
      const table = el.dataset.table;
      const row = Number(el.dataset.row);
      const read = (k: string): unknown => {
        if (table) {
          const rows = data[table];
          const r = Array.isArray(rows) ? (rows[row] as Record<string, unknown> | undefined) : undefined;
          if (r && Object.prototype.hasOwnProperty.call(r, k)) return r[k];
        }
        return shown[k];
      };
      el.hidden = !evaluateCondition(cond, read);
    });
  };

  const clearErrors = () => {
    Array.prototype.forEach.call(wrapper.querySelectorAll('.field-error, [data-form-summary]'), (el: Element) => el.remove());
    Array.prototype.forEach.call(wrapper.querySelectorAll('.has-error'), (el: Element) => el.classList.remove('has-error'));
    Array.prototype.forEach.call(wrapper.querySelectorAll('[aria-invalid]'), (el: Element) => el.removeAttribute('aria-invalid'));
    Array.prototype.forEach.call(wrapper.querySelectorAll('[aria-describedby]'), (el: Element) => {
      const ids = (el.getAttribute('aria-describedby') ?? '').split(/\s+/).filter((id) => id && !id.endsWith('-error'));
      if (ids.length) el.setAttribute('aria-describedby', ids.join(' '));
      else el.removeAttribute('aria-describedby');
    });
  };

  const errorParagraph = (id: string, message: string): HTMLElement => {
    const p = document.createElement('p');
    p.className = 'field-error';
    p.id = `${id}-error`;
    const hidden = document.createElement('span');
    hidden.className = 'visually-hidden';
    hidden.textContent = '错误：';
    p.append(hidden, message);
    return p;
  };

  const showErrors = (errors: FormError[]) => {
    clearErrors();
    if (!errors.length) return;
    const seen = new Set<string>();
    for (const e of errors) {
      const path = displayPath(e.field);
      const id = fieldDomId(path);
      if (seen.has(id)) continue;
      seen.add(id);
      const el = document.getElementById(id);
      if (!el) continue;
      const p = errorParagraph(id, e.message);
      if (el.tagName === 'FIELDSET') {
        const after = el.querySelector(':scope > .hint') ?? el.querySelector(':scope > legend');
        if (after) after.after(p);
        else el.prepend(p);
      } else el.before(p);
      el.setAttribute('aria-invalid', 'true');
      const described = (el.getAttribute('aria-describedby') ?? '').split(/\s+/).filter(Boolean);
      el.setAttribute('aria-describedby', [...described, p.id].join(' '));
      (el.closest('[data-field]') ?? el).classList.add('has-error');
    }
    const summary = document.createElement('div');
    summary.className = 'error-summary';
    summary.setAttribute('role', 'alert');
    summary.tabIndex = -1;
    summary.dataset.formSummary = '';
    const h = document.createElement('h2');
    h.textContent = `请修改以下 ${errors.length} 处内容`;
    const ul = document.createElement('ul');
    for (const e of errors) {
      const li = document.createElement('li');
      const a = document.createElement('a');
      a.href = `#${fieldDomId(displayPath(e.field))}`;
      a.textContent = e.message;
      li.append(a);
      ul.append(li);
    }
    summary.append(h, ul);
    const title = wrapper.querySelector(':scope > .form-step-title');
    if (title) title.after(summary);
    else wrapper.prepend(summary);
    summary.focus();
  };

  formEl.addEventListener('input', applyConditions);
  formEl.addEventListener('change', applyConditions);
  formEl.addEventListener('submit', (ev) => {
    const submitter = (ev as SubmitEvent).submitter;
    if (submitter && submitter.hasAttribute('formnovalidate')) return;
    const { errors } = validateStep(payload.form, payload.step, readData(), { regions });
    if (errors.length) {
      ev.preventDefault();
      showErrors(errors);
    }
  });
  applyConditions();
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
else start();
