/**
 * 评价办件 (/my/applications/:number/evaluate): five levels as radio buttons, the five online indicators, the
 * comment; errors beside their fields; after posting, a thank-you notice with what was given.
 */
import { html, raw, type Html } from '../../http/html.ts';
import { errorSummary, notice, selectField, type FormErrors } from '../portal/forms.ts';
import { formatTime } from '../portal/account/account-kit.ts';
import type { OwnApplication } from './find-own-application.ts';
import { BAD_COMMENT_MIN, COMMENT_MAX, EVALUABLE_STATES, INDICATOR_KEYS, INDICATORS, LEVEL_VALUES, LEVELS, RECTIFICATION_WORKING_DAYS, WITHDRAWN_STATE } from './evaluations.types.ts';

/** The form's values as typed (strings): level, each indicator by its key, comment. */
export type EvaluateValues = Partial<Record<'level' | 'comment' | (typeof INDICATOR_KEYS)[number], string>>;

/** Errors keyed as the operation names them ('indicators.overall') → as the form names its fields ('overall'). */
export function formErrors(errors: Record<string, string>): FormErrors {
  return Object.fromEntries(
    Object.entries(errors).map(([k, v]) => {
      const field = k.startsWith('indicators.') ? k.slice('indicators.'.length) : k;
      // an error of no field on this form (the application's state, a second evaluation) belongs to the whole form
      return [FORM_FIELDS.has(field) ? field : '', v];
    }),
  );
}

const FORM_FIELDS = new Set<string>(['level', 'comment', ...INDICATOR_KEYS]);

function levelField(value: string | undefined, errors: FormErrors | undefined): Html {
  const error = errors?.level;
  return html`<fieldset class="checkbox-group field${error ? ' has-error' : ''}"${raw(error ? ' aria-describedby="f-level-error"' : '')}>
  <legend>总体评价<span class="required" aria-hidden="true"> *</span></legend>
  <p class="hint">非常满意、满意为好评；基本满意为中评；不满意、非常不满意为差评。</p>
  ${error ? html`<p class="field-error" id="f-level-error"><span class="visually-hidden">错误：</span>${error}</p>` : ''}
  ${LEVEL_VALUES.map((l, i) => {
    const id = i === 0 ? 'f-level' : `f-level-${l}`;
    return html`<div class="checkbox"><input type="radio" id="${id}" name="level" value="${l}"${raw(value === String(l) ? ' checked' : '')}${raw(
      error ? ' aria-invalid="true"' : '',
    )}><label for="${id}">${LEVELS[l]}</label></div>`;
  })}
</fieldset>`;
}

function commentField(value: string | undefined, errors: FormErrors | undefined): Html {
  const error = errors?.comment;
  const described = ['f-comment-hint', error ? 'f-comment-error' : ''].filter(Boolean).join(' ');
  return html`<div class="field${error ? ' has-error' : ''}">
  <label for="f-comment">评价内容</label>
  <p class="hint" id="f-comment-hint">选择“不满意”或“非常不满意”时必填，请写明原因（至少 ${BAD_COMMENT_MIN} 个字，最多 ${COMMENT_MAX} 个字）。请勿填写身份证号、手机号等个人信息。</p>
  ${error ? html`<p class="field-error" id="f-comment-error"><span class="visually-hidden">错误：</span>${error}</p>` : ''}
  <textarea id="f-comment" name="comment" rows="5" maxlength="${COMMENT_MAX}" aria-describedby="${described}"${raw(error ? ' aria-invalid="true"' : '')}>${value ?? ''}</textarea>
</div>`;
}

function applicationFacts(a: OwnApplication): Html {
  return html`<dl class="profile-facts">
  <div><dt>办件编号</dt><dd>${a.number}</dd></div>
  <div><dt>办理事项</dt><dd>${a.itemName}</dd></div>
</dl>`;
}

function givenEvaluation(a: OwnApplication): Html {
  const e = a.evaluation!;
  return html`<h2>您的评价</h2>
<dl class="profile-facts">
  <div><dt>总体评价</dt><dd>${e.levelLabel}（${e.gradeLabel}）</dd></div>
  ${INDICATOR_KEYS.map((k) => html`<div><dt>${INDICATORS[k]}</dt><dd>${e.indicators[k]} 分</dd></div>`)}
  <div><dt>评价时间</dt><dd>${formatTime(e.createdAt)}</dd></div>
</dl>
${e.comment ? html`<h3>评价内容</h3><p>${e.comment}</p>` : ''}
${
  e.level <= 2
    ? html`<p>您的差评已转交办理部门。部门将在 ${RECTIFICATION_WORKING_DAYS} 个工作日内核实、整改，并回访您；整改结果经复核后办结。您的身份信息对工作人员保密。</p>`
    : ''
}`;
}

export function renderEvaluate(o: { application: OwnApplication; values: EvaluateValues; errors?: FormErrors; csrf: Html; done?: boolean }): Html {
  const a = o.application;
  const heading = html`<h1>评价办件</h1>${applicationFacts(a)}`;
  if (a.evaluation) {
    return html`${heading}
${o.done ? notice('感谢您的评价！您的意见将帮助我们改进服务。') : notice('您已评价过该办件，每件办件只能评价一次。', 'info')}
${givenEvaluation(a)}
<p><a href="/my/applications/${a.number}">返回办件详情</a> · <a href="/evaluations">查看好差评公示</a></p>`;
  }
  if (a.state === WITHDRAWN_STATE) {
    return html`${heading}${notice('该办件已撤回，不能评价。', 'info')}<p><a href="/my/applications/${a.number}">返回办件详情</a></p>`;
  }
  if (a.closedAt === null || !(EVALUABLE_STATES as readonly string[]).includes(a.state)) {
    return html`${heading}${notice('该办件尚未办结，办结（送达）后即可评价。', 'info')}<p><a href="/my/applications/${a.number}">返回办件详情</a></p>`;
  }
  const v = o.values;
  return html`${heading}
<p>请对本次办事服务作出评价。带 <span class="required">*</span> 的为必填项。每件办件只能评价一次，提交后不能修改。</p>
${errorSummary(o.errors)}
<form class="form-narrow" action="/my/applications/${a.number}/evaluate" method="post" novalidate>
  ${o.csrf}
  ${levelField(v.level, o.errors)}
  <fieldset class="checkbox-group">
    <legend>分项评价<span class="required" aria-hidden="true"> *</span></legend>
    <p class="hint">每项 1–5 分，5 分为非常满意，1 分为非常不满意。</p>
    ${INDICATOR_KEYS.map((k) =>
      selectField({
        name: k,
        label: INDICATORS[k],
        value: v[k],
        errors: o.errors,
        options: [{ value: '', label: '请选择' }, ...LEVEL_VALUES.map((l) => ({ value: String(l), label: `${l} 分 · ${LEVELS[l]}` }))],
      }),
    )}
  </fieldset>
  ${commentField(v.comment, o.errors)}
  <button class="primary" type="submit">提交评价</button>
</form>`;
}
