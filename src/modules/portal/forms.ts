/**
 * Form building blocks for the portal's pages that post (sign-in, registration, delegations, staff
 * administration …): labelled fields with their error, an error summary that links to the fields, the CSRF
 * field, and `handleFormPost`, which turns a typed error into the same form shown again with the message.
 * Everything works without JavaScript and follows WCAG 2.1 AA (labels, aria-describedby, aria-invalid).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { html, raw, type Html } from '../../http/html.ts';
import { AppError } from '../../shared/errors.ts';
import { csrfTokenFor } from '../../http/route-access.ts';

/** Errors by field name; '' is an error of the whole form. */
export type FormErrors = Record<string, string>;

export function csrfInput(req: FastifyRequest, reply: FastifyReply): Html {
  return html`<input type="hidden" name="_csrf" value="${csrfTokenFor(req, reply)}">`;
}

export interface FieldOptions {
  name: string;
  label: string;
  type?: 'text' | 'password' | 'tel' | 'email' | 'date' | 'number' | 'search';
  value?: string;
  hint?: string;
  autocomplete?: string;
  required?: boolean;
  maxlength?: number;
  inputmode?: 'numeric' | 'tel' | 'text';
  errors?: FormErrors;
}

export function textField(o: FieldOptions): Html {
  const id = `f-${o.name}`;
  const error = o.errors?.[o.name];
  const described = [o.hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return html`<div class="field${error ? ' has-error' : ''}">
  <label for="${id}">${o.label}${o.required ? html`<span class="required" aria-hidden="true"> *</span>` : ''}</label>
  ${o.hint ? html`<p class="hint" id="${id}-hint">${o.hint}</p>` : ''}
  ${error ? html`<p class="field-error" id="${id}-error"><span class="visually-hidden">错误：</span>${error}</p>` : ''}
  <input id="${id}" name="${o.name}" type="${o.type ?? 'text'}"${raw(o.value !== undefined && o.type !== 'password' ? html` value="${o.value}"`.value : '')}${raw(
    o.autocomplete ? html` autocomplete="${o.autocomplete}"`.value : '',
  )}${raw(o.required ? ' required' : '')}${raw(o.maxlength ? ` maxlength="${o.maxlength}"` : '')}${raw(o.inputmode ? ` inputmode="${o.inputmode}"` : '')}${raw(
    described ? ` aria-describedby="${described}"` : '',
  )}${raw(error ? ' aria-invalid="true"' : '')}>
</div>`;
}

export function selectField(o: { name: string; label: string; options: { value: string; label: string }[]; value?: string; hint?: string; errors?: FormErrors }): Html {
  const id = `f-${o.name}`;
  const error = o.errors?.[o.name];
  const described = [o.hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return html`<div class="field${error ? ' has-error' : ''}">
  <label for="${id}">${o.label}</label>
  ${o.hint ? html`<p class="hint" id="${id}-hint">${o.hint}</p>` : ''}
  ${error ? html`<p class="field-error" id="${id}-error"><span class="visually-hidden">错误：</span>${error}</p>` : ''}
  <select id="${id}" name="${o.name}"${raw(described ? ` aria-describedby="${described}"` : '')}${raw(error ? ' aria-invalid="true"' : '')}>
    ${o.options.map((op) => html`<option value="${op.value}"${raw(op.value === o.value ? ' selected' : '')}>${op.label}</option>`)}
  </select>
</div>`;
}

/** The box at the top of a form that failed: what went wrong, each linked to its field. */
export function errorSummary(errors: FormErrors | undefined): Html | '' {
  const entries = Object.entries(errors ?? {});
  if (!entries.length) return '';
  return html`<div class="error-summary" role="alert" tabindex="-1">
  <h2>提交未成功，请修改以下内容</h2>
  <ul>${entries.map(([field, message]) => (field ? html`<li><a href="#f-${field}">${message}</a></li>` : html`<li>${message}</li>`))}</ul>
</div>`;
}

/** A confirmation or information box (role=status, read out by screen readers). */
export function notice(message: string | undefined, kind: 'success' | 'info' = 'success'): Html | '' {
  return message ? html`<div class="notice ${kind}" role="status"><p>${message}</p></div>` : '';
}

/**
 * Runs a form post's action. A typed error (bad field, conflict, wrong code, lockout …) shows the form again
 * with the error beside its field and the status it deserves; anything else propagates (a 500, logged).
 */
export async function handleFormPost(
  reply: FastifyReply,
  action: () => Promise<void>,
  rerender: (errors: FormErrors) => string,
): Promise<FastifyReply | undefined> {
  try {
    await action();
    return undefined;
  } catch (err) {
    if (!(err instanceof AppError) || err.status >= 500) throw err;
    return reply
      .code(err.status === 401 ? 400 : err.status)
      .type('text/html; charset=utf-8')
      .send(rerender({ [err.field ?? '']: err.message }));
  }
}
