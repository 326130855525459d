/**
 * Server-side HTML of one step of an application form (申请表单), for the apply pages. Works without
 * JavaScript; with it, /assets/forms.js runs the same validation in the browser and shows or hides conditional
 * fields as the applicant types.
 *
 * Usage on a page (the page owns <form>, the CSRF field, the step navigation and the material slots):
 *
 *   <form method="post" action="…" novalidate>
 *     ${csrfInput(req, reply)}
 *     ${renderFormStep(form, stepKey, { values: { ...prefill, ...draft, ...posted }, errors, regions: ctx.regions })}
 *     <button type="submit" class="primary">下一步</button>
 *     <button type="submit" name="_save" value="1" formnovalidate class="secondary">保存草稿</button>
 *   </form>
 *
 * and on POST: `const { data, rowAction } = parseFormPost(form, req.body)`; merge `data` over the draft; when
 * `rowAction` is set (a table's 添加一行 / 删除 button) show the step again without checking it; otherwise
 * `validateStep(form, stepKey, merged, { regions: ctx.regions })` and show the step again with `errors`, or move on.
 * Buttons that must not trigger the browser-side check (save draft, back) carry `formnovalidate`.
 *
 * Names: `f.<key>`, `f.<key>.regionCode` / `.detail`, `f.<key>.<row>.<col>`; element ids: fieldDomId(path).
 * Attachment fields render nothing (the page shows the material slots).
 */
import { html, raw, type Html } from '../../http/html.ts';
import { InvalidParameterError } from '../../shared/errors.ts';
import { conditionFields, conditionHolds } from './conditions.ts';
import type { Condition, FieldDef, FormDefinition, FormError, FormStep } from './form.types.ts';
import { validateFormData } from './validate-form-data.ts';
import { displayPath, fieldDomId, fieldInputName } from './field-names.ts';

export { parseFormPost, type ParsedPost, type PostBody, type RowAction } from './parse-form-post.ts';
export { fieldDomId, fieldInputName } from './field-names.ts';

/** What the region picker needs of the region list (ctx.regions fits). */
export interface RegionList {
  all(): readonly { code: string; name: string; level: string; parent_code: string | null }[];
  get(code: string): { code: string; name: string; level: string } | undefined;
}

export interface RenderStepOptions {
  /** The data so far: prefill, then the draft, then what was just posted (raw or validated values both fit). */
  values?: Record<string, unknown>;
  /** Problems to show beside their fields and in a summary at the top (validateStep's errors). */
  errors?: readonly FormError[];
  regions: RegionList;
  /** Embed the definition and /assets/forms.js for the browser-side check (default true). */
  script?: boolean;
  /** The step title's heading level (default 2; 0 = no heading). */
  headingLevel?: 0 | 2 | 3;
  /**
   * Fields whose value the platform obtained by data sharing (免提交), by key, with the note shown under them:
   * rendered read-only (a select offers only its value). Only one-value fields (not tables, addresses, multiselects).
   */
  locked?: Readonly<Record<string, string>>;
}

/** The URL of the browser bundle (served by forms.routes.ts). */
export const FORMS_SCRIPT_URL = '/assets/forms.js';


/** The form's fields by key (steps flattened). */
function fieldsOf(form: FormDefinition): Map<string, FieldDef> {
  return new Map(form.steps.flatMap((s) => s.fields.map((f) => [f.key, f] as const)));
}

/** A condition in words: 当“办理方式”为“委托他人代为办理”时. */
export function describeCondition(c: Condition, lookup: (key: string) => FieldDef | undefined): string {
  if ('all' in c) return c.all.map((x) => describeCondition(x, lookup)).join('且');
  if ('any' in c) return c.any.map((x) => describeCondition(x, lookup)).join('或');
  const f = lookup(c.field);
  const label = `“${f?.label ?? c.field}”`;
  if ('notEmpty' in c) return `已填写${label}`;
  const optionLabel = (v: string | number) => `“${f?.options?.find((o) => o.value === String(v))?.label ?? v}”`;
  const values = 'equals' in c ? [c.equals] : c.in;
  const verb = f?.type === 'multiselect' ? '选择了' : '为';
  return `${label}${verb}${values.map(optionLabel).join('或')}`;
}

/** The error summary: every problem, linked to its field. Empty when there is none. */
export function renderFormErrorSummary(errors: readonly FormError[] | undefined): Html | '' {
  if (!errors?.length) return '';
  return html`<div class="error-summary" role="alert" tabindex="-1" data-form-summary>
  <h2>请修改以下 ${errors.length} 处内容</h2>
  <ul>${errors.map((e) => html`<li><a href="#${fieldDomId(displayPath(e.field))}">${e.message}</a></li>`)}</ul>
</div>`;
}

/** The JSON the browser bundle reads, safe inside <script>: `<` and line separators escaped. */
function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

export function renderFormStep(form: FormDefinition, stepKey: string, opts: RenderStepOptions): Html {
  const step = form.steps.find((s) => s.key === stepKey);
  if (!step) throw new InvalidParameterError('step', `表单中没有“${stepKey}”这一步`);
  const values = opts.values ?? {};
  const byKey = fieldsOf(form);
  const inStep = new Set(step.fields.map((f) => f.key));
  // the shown values of the whole form, for conditions that read other steps
  const known = validateFormData(form, values).values;
  const errors = new Map<string, string>();
  for (const e of opts.errors ?? []) {
    const path = displayPath(e.field); // a malformed row of a table is reported at the table
    if (!errors.has(path)) errors.set(path, e.message);
  }
  const r = new StepRenderer(byKey, values, errors, opts.regions, opts.locked ?? {});
  const context: Record<string, unknown> = {};
  const shown: Html[] = [];
  for (const f of step.fields) {
    if (f.type === 'attachment') continue;
    let live = false; // decided in the browser as the applicant types
    if (f.when) {
      const refs = conditionFields(f.when);
      if (refs.some((k) => inStep.has(k))) {
        live = true;
        for (const k of refs) if (!inStep.has(k) && known[k] !== undefined) context[k] = known[k];
      } else if (!conditionHolds(f.when, known)) continue; // hidden by an earlier step's answer
    }
    shown.push(r.field(f, live));
  }
  const level = opts.headingLevel ?? 2;
  const heading = level ? raw(`<h${level} class="form-step-title">${html`${step.title}`.value}</h${level}>`) : '';
  const script =
    opts.script === false
      ? ''
      : html`<script type="application/json" id="form-definition">${raw(jsonForScript({ form, step: step.key, context }))}</script>
<script src="${FORMS_SCRIPT_URL}" defer></script>`;
  return html`<div class="form-step" data-form-step="${step.key}">
${heading}
${renderFormErrorSummary(opts.errors)}
${shown}
</div>
${script}`;
}

/** The steps as a list for a progress indicator: 第 2 步，共 3 步. */
export function stepProgress(form: FormDefinition, stepKey: string): { index: number; total: number; step: FormStep } | null {
  const index = form.steps.findIndex((s) => s.key === stepKey);
  return index < 0 ? null : { index, total: form.steps.length, step: form.steps[index]! };
}

const regionOptionCache = new WeakMap<object, string>();

class StepRenderer {
  constructor(
    private readonly byKey: Map<string, FieldDef>,
    private readonly values: Record<string, unknown>,
    private readonly errors: Map<string, string>,
    private readonly regions: RegionList,
    private readonly locked: Readonly<Record<string, string>>,
  ) {}

  field(f: FieldDef, live: boolean): Html {
    const whenAttr = live && f.when ? raw(html` data-when="${JSON.stringify(f.when)}"`.value) : '';
    const note = f.when ? `${describeCondition(f.when, (k) => this.byKey.get(k))}时${f.required ? '必填' : '填写'}` : '';
    const hint = [f.hint, note && `（${note}）`].filter(Boolean).join(' ');
    const required = !!f.required && (!f.when || !live);
    const raw0 = Object.prototype.hasOwnProperty.call(this.values, f.key) ? this.values[f.key] : undefined;
    switch (f.type) {
      case 'table':
        return this.table(f, raw0, hint, required, whenAttr);
      case 'address':
        return this.address(f, raw0, hint, required, whenAttr);
      case 'multiselect':
        return this.multiselect(f, raw0, hint, required, whenAttr);
      default: {
        const lockedNote = Object.prototype.hasOwnProperty.call(this.locked, f.key) ? this.locked[f.key] : undefined;
        if (lockedNote !== undefined) return this.scalar(f, f.key, raw0, { label: f.label, hint: [lockedNote, hint].filter(Boolean).join(' '), required, whenAttr, locked: true });
        return this.scalar(f, f.key, raw0, { label: f.label, hint, required, whenAttr });
      }
    }
  }

  private label(text: string, required: boolean, unit?: string): Html {
    return html`${text}${unit ? `（${unit}）` : ''}${required ? html`<span class="required" aria-hidden="true"> *</span><span class="visually-hidden">（必填）</span>` : ''}`;
  }

  private describedBy(id: string, hint: boolean, error: boolean): Html | '' {
    const ids = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
    return ids ? raw(html` aria-describedby="${ids}"`.value) : '';
  }

  private errorText(id: string, message: string | undefined): Html | '' {
    return message ? html`<p class="field-error" id="${id}-error"><span class="visually-hidden">错误：</span>${message}</p>` : '';
  }

  /** One input, select or textarea (a top-level field, or a table cell when `cell` is given). */
  private scalar(
    f: FieldDef,
    path: string,
    value: unknown,
    o: { label: string; hint: string; required: boolean; whenAttr: Html | ''; cell?: { row: number; table: string }; locked?: boolean },
  ): Html {
    const id = fieldDomId(path);
    const name = fieldInputName(path);
    const error = this.errors.get(path);
    const text = typeof value === 'string' || typeof value === 'number' ? String(value) : '';
    const attrs = raw(
      [
        o.required ? ' aria-required="true"' : '',
        error ? ' aria-invalid="true"' : '',
        this.describedBy(id, !!o.hint, !!error).toString(),
        f.maxLength ? ` maxlength="${f.maxLength}"` : '',
        o.locked && f.type !== 'select' ? ' readonly' : '',
      ].join(''),
    );
    let control: Html;
    switch (f.type) {
      case 'select':
        if (o.locked) {
          // read-only: the one value obtained (a select has no readonly attribute)
          const op = (f.options ?? []).find((x) => x.value === text);
          control = html`<select id="${id}" name="${name}"${attrs}><option value="${text}" selected>${op?.label ?? text}</option></select>`;
          break;
        }
        control = html`<select id="${id}" name="${name}"${attrs}>
      <option value="">请选择</option>
      ${(f.options ?? []).map((op) => html`<option value="${op.value}"${raw(op.value === text ? ' selected' : '')}>${op.label}</option>`)}
    </select>`;
        break;
      case 'textarea':
        control = html`<textarea id="${id}" name="${name}" rows="${o.cell ? 2 : 4}"${attrs}>${text}</textarea>`;
        break;
      default: {
        const input = INPUTS[f.type] ?? INPUTS.text!;
        control = html`<input id="${id}" name="${name}" type="${input.type}" value="${text}"${raw(input.extra)}${attrs}>`;
      }
    }
    const labelText = o.cell ? html`<span class="visually-hidden">第 ${o.cell.row + 1} 行</span>${this.label(o.label, o.required, f.unit)}` : this.label(o.label, o.required, f.unit);
    return html`<div class="field${error ? ' has-error' : ''}${o.locked ? ' shared-field' : ''}" data-field="${path}"${o.whenAttr}>
  <label for="${id}"${raw(o.cell ? ' class="visually-hidden"' : '')}>${labelText}</label>
  ${o.hint ? html`<p class="hint" id="${id}-hint">${o.hint}</p>` : ''}
  ${this.errorText(id, error)}
  ${control}
</div>`;
  }

  private multiselect(f: FieldDef, value: unknown, hint: string, required: boolean, whenAttr: Html | ''): Html {
    const id = fieldDomId(f.key);
    const error = this.errors.get(f.key);
    const picked = new Set((Array.isArray(value) ? value : typeof value === 'string' ? [value] : []).map(String));
    return html`<fieldset class="checkbox-group${error ? ' field has-error' : ''}" id="${id}" tabindex="-1" data-field="${f.key}"${whenAttr}${this.describedBy(id, !!hint, !!error)}>
  <legend>${this.label(f.label, required)}</legend>
  ${hint ? html`<p class="hint" id="${id}-hint">${hint}</p>` : ''}
  ${this.errorText(id, error)}
  <input type="hidden" name="f.${f.key}" value="">
  ${(f.options ?? []).map(
    (op, i) => html`<div class="checkbox"><input type="checkbox" id="${id}-${i}" name="f.${f.key}" value="${op.value}"${raw(picked.has(op.value) ? ' checked' : '')}><label for="${id}-${i}">${op.label}</label></div>`,
  )}
</fieldset>`;
  }

  private address(f: FieldDef, value: unknown, hint: string, required: boolean, whenAttr: Html | ''): Html {
    const id = fieldDomId(f.key);
    const v = typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
    const code = typeof v.regionCode === 'string' ? v.regionCode : '';
    const detail = typeof v.detail === 'string' ? v.detail : '';
    const regionError = this.errors.get(`${f.key}.regionCode`);
    const detailError = this.errors.get(`${f.key}.detail`);
    const error = regionError || detailError;
    const rid = `${id}-regionCode`;
    const did = `${id}-detail`;
    const req = required ? raw(' aria-required="true"') : '';
    return html`<fieldset class="field address-field${error ? ' has-error' : ''}" id="${id}" tabindex="-1" data-field="${f.key}"${whenAttr}>
  <legend>${this.label(f.label, required)}</legend>
  ${hint ? html`<p class="hint" id="${id}-hint">${hint}</p>` : ''}
  <label for="${rid}">所在区县</label>
  ${this.errorText(rid, regionError)}
  <select id="${rid}" name="f.${f.key}.regionCode"${req}${raw(regionError ? ' aria-invalid="true"' : '')}${this.describedBy(rid, false, !!regionError)}>${raw(this.regionOptions(code))}</select>
  <label for="${did}">详细地址（街道、门牌号）</label>
  ${this.errorText(did, detailError)}
  <input id="${did}" name="f.${f.key}.detail" type="text" value="${detail}" maxlength="${f.maxLength ?? 200}" autocomplete="street-address"${req}${raw(detailError ? ' aria-invalid="true"' : '')}${this.describedBy(did, !!hint, !!detailError)}>
</fieldset>`;
  }

  /** Counties grouped by city, rendered once per region list and reused (only the selected one differs). */
  private regionOptions(selected: string): string {
    const list = this.regions.all();
    let out = regionOptionCache.get(list);
    if (out === undefined) {
      const names = new Map(list.map((r) => [r.code, r.name]));
      const groups = new Map<string, { code: string; name: string }[]>();
      for (const r of list) {
        if (r.level !== 'county') continue;
        const parent = r.parent_code ?? '';
        let g = groups.get(parent);
        if (!g) groups.set(parent, (g = []));
        g.push(r);
      }
      out =
        '<option value="">请选择区县</option>' +
        [...groups.entries()]
          .map(([parent, counties]) => html`<optgroup label="${names.get(parent) ?? '其他'}">${counties.map((c) => html`<option value="${c.code}">${c.name}</option>`)}</optgroup>`.value)
          .join('');
      regionOptionCache.set(list, out);
    }
    return /^\d{6}$/.test(selected) ? out.replace(`<option value="${selected}">`, `<option value="${selected}" selected>`) : out;
  }

  private table(f: FieldDef, value: unknown, hint: string, required: boolean, whenAttr: Html | ''): Html {
    const id = fieldDomId(f.key);
    const error = this.errors.get(f.key);
    const columns = f.columns ?? [];
    const given = Array.isArray(value) ? value.map((r) => (typeof r === 'object' && r !== null && !Array.isArray(r) ? (r as Record<string, unknown>) : {})) : [];
    const rows = [...given];
    while (rows.length < Math.max(1, f.minRows ?? 0)) rows.push({});
    const canAdd = f.maxRows === undefined || rows.length < f.maxRows;
    const colNote = (c: FieldDef) => (c.when ? `${describeCondition(c.when, (k) => columns.find((x) => x.key === k) ?? this.byKey.get(k))}时${c.required ? '必填' : '填写'}` : '');
    return html`<fieldset class="table-field${error ? ' field has-error' : ''}" id="${id}" tabindex="-1" data-field="${f.key}"${whenAttr}${this.describedBy(id, !!hint, !!error)}>
  <legend>${this.label(f.label, required)}</legend>
  ${hint ? html`<p class="hint" id="${id}-hint">${hint}</p>` : ''}
  ${this.errorText(id, error)}
  <input type="hidden" name="f.${f.key}" value="">
  <div class="table-scroll">
  <table class="data-table form-table">
    <thead><tr>${columns.map((c) => html`<th scope="col">${this.label(c.label, !!c.required && !c.when, c.unit)}${c.when ? html`<br><small>${colNote(c)}</small>` : ''}</th>`)}<th scope="col"><span class="visually-hidden">操作</span></th></tr></thead>
    <tbody>
    ${rows.map(
      (row, i) => html`<tr data-row="${i}">${columns.map((c) => {
        const cellWhen = c.when ? raw(html` data-when="${JSON.stringify(c.when)}" data-table="${f.key}" data-row="${i}"`.value) : '';
        return html`<td>${this.scalar(c, `${f.key}[${i}].${c.key}`, row[c.key], { label: c.label, hint: '', required: !!c.required && !c.when, whenAttr: cellWhen, cell: { row: i, table: f.key } })}</td>`;
      })}<td class="actions"><button type="submit" class="secondary" name="_remove_row" value="${f.key}.${i}" formnovalidate>删除第 ${i + 1} 行</button></td></tr>`,
    )}
    </tbody>
  </table>
  </div>
  ${canAdd ? html`<button type="submit" class="secondary" name="_add_row" value="${f.key}" formnovalidate>添加一行${f.label}</button>` : html`<p class="hint">已达到最多 ${f.maxRows} 行。</p>`}
</fieldset>`;
  }
}

const INPUTS: Partial<Record<FieldDef['type'], { type: string; extra: string }>> = {
  text: { type: 'text', extra: '' },
  number: { type: 'text', extra: ' inputmode="decimal"' },
  date: { type: 'date', extra: '' },
  resident_id: { type: 'text', extra: ' inputmode="text" autocomplete="off" spellcheck="false"' },
  credit_code: { type: 'text', extra: ' autocomplete="off" spellcheck="false"' },
  phone: { type: 'tel', extra: ' autocomplete="tel"' },
};
