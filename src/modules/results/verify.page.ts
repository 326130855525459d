/** The public page /verify (办理结果核验): a form for the code, the verdict, and a file comparison. */
import { html, raw, type Html } from '../../http/html.ts';
import type { AppContext } from '../../http/context.ts';
import { layout } from '../portal/layout.ts';
import { errorSummary, textField, type FormErrors } from '../portal/forms.ts';
import type { Preferences } from '../portal/preferences.ts';
import type { FileCheck } from './check-result-file.ts';
import { chineseDate } from './result-document.ts';
import type { VerifiedResult } from './results.types.ts';

export const VERIFY_PATH = '/verify';

export interface VerifyPageState {
  code?: string; // as typed, shown again in the field
  errors?: FormErrors; // by field: 'code', 'file', '' (the whole form)
  result?: VerifiedResult;
  notFound?: boolean;
  fileCheck?: FileCheck;
}

const KIND_LABEL = { licence: '许可证', certificate: '证书', decision: '决定书' } as const;

function verdict(r: VerifiedResult): Html {
  if (r.status === 'revoked') {
    return html`<div class="notice info" role="status"><p><strong class="status-tag denied">已撤销</strong>
 该文书确由${r.departmentName}出具，但已于${chineseDate(r.revokedAt!.slice(0, 10))}被撤销，<strong>不再有效</strong>。</p></div>`;
  }
  if (r.status === 'expired') {
    return html`<div class="notice info" role="status"><p><strong class="status-tag denied">已过期</strong>
 该文书确由${r.departmentName}出具，有效期至${chineseDate(r.validUntil!)}，<strong>已超过有效期</strong>。</p></div>`;
  }
  return html`<div class="notice success" role="status"><p><strong class="status-tag success">有效</strong>
 该文书由${r.departmentName}于${chineseDate(r.issuedOn)}出具，真实有效。请核对下列信息与您手中的文书是否一致。</p></div>`;
}

function resultSection(r: VerifiedResult, state: VerifyPageState): Html {
  const rows: [string, string][] = [
    ['核验状态', r.status === 'valid' ? '有效' : r.status === 'revoked' ? '已撤销' : '已过期'],
    ['文书名称', `${r.title}（${KIND_LABEL[r.kind]}）`],
    ['文书编号', r.documentNumber],
    ['办理事项', r.itemName],
    ['出具部门', r.departmentName],
    ['持有人', r.holderName],
    ['证件号码', r.holderIdNumber],
    ['出具日期', chineseDate(r.issuedOn)],
    ['有效期至', r.validUntil ? chineseDate(r.validUntil) : r.kind === 'decision' ? '—' : '长期有效'],
    ['核验码', r.verificationCode],
  ];
  return html`<section aria-labelledby="verify-result-heading">
<h2 id="verify-result-heading">核验结果</h2>
${verdict(r)}
<table class="facts">
  <caption class="visually-hidden">文书信息（个人信息已部分隐藏）</caption>
  <tbody>
  ${rows.map(([k, v]) => html`<tr><th scope="row">${k}</th><td>${v}</td></tr>`)}
  <tr><th scope="row">文件摘要（SHA-256）</th><td><code>${r.sha256.match(/.{1,16}/g)!.map((part, i) => html`${i ? raw('<wbr>') : ''}${part}`)}</code></td></tr>
  </tbody>
</table>
${state.fileCheck ? fileVerdict(state.fileCheck) : ''}
<h3 id="file-check-heading">核对文件是否被修改</h3>
<p>上传您收到的 PDF 文件，系统计算其摘要并与出具时记录的摘要比对：只要文件被改动过一个字节，比对就不会通过。文件只用于比对，不会保存。</p>
<form class="form-narrow" action="${VERIFY_PATH}" method="post" enctype="multipart/form-data" aria-labelledby="file-check-heading">
  <input type="hidden" name="code" value="${r.verificationCode}">
  ${fileField(state.errors)}
  <p><button type="submit" class="primary">比对文件</button></p>
</form>
</section>`;
}

function fileField(errors: FormErrors | undefined): Html {
  const error = errors?.file;
  return html`<div class="field${error ? ' has-error' : ''}">
  <label for="f-file">PDF 文件</label>
  <p class="hint" id="f-file-hint">仅比对由本平台出具的 PDF 文件，最大 5 MB。</p>
  ${error ? html`<p class="field-error" id="f-file-error"><span class="visually-hidden">错误：</span>${error}</p>` : ''}
  <input id="f-file" name="file" type="file" accept="application/pdf,.pdf" required aria-describedby="f-file-hint${error ? ' f-file-error' : ''}"${raw(error ? ' aria-invalid="true"' : '')}>
</div>`;
}

function fileVerdict(f: FileCheck): Html {
  return f.matches
    ? html`<div class="notice success" role="status"><p><strong class="status-tag success">文件一致</strong> 您上传的文件与出具的文书完全一致。</p></div>`
    : html`<div class="notice info" role="alert"><p><strong class="status-tag denied">文件不一致</strong> 您上传的文件与出具的文书不一致（摘要 ${f.uploadedSha256.slice(0, 16)}…），可能被修改过，或不是该核验码对应的文书。请以上方核验结果为准，必要时联系出具部门。</p></div>`;
}

export function renderVerifyPage(ctx: AppContext, prefs: Preferences, path: string, state: VerifyPageState): string {
  const errors = state.errors && Object.keys(state.errors).length ? state.errors : undefined;
  const body = html`<h1>办理结果核验</h1>
<p class="lead">输入许可证、证书或决定书上印制的核验码，或扫描文书上的二维码，即可核验文书的真伪和当前状态。</p>
${errorSummary(errors)}
<form class="form-narrow" action="${VERIFY_PATH}" method="get" role="search" aria-label="按核验码核验">
  ${textField({
    name: 'code',
    label: '核验码',
    value: state.code ?? '',
    hint: '16 位字母和数字，如 7KQ2-M9XD-4HVB-0RTE；不区分大小写，短横线可不输入。',
    autocomplete: 'off',
    maxlength: 40,
    required: true,
    errors,
  })}
  <p><button type="submit" class="primary">核验</button></p>
</form>
${
  state.notFound
    ? html`<section aria-labelledby="verify-result-heading">
<h2 id="verify-result-heading">核验结果</h2>
<div class="notice info" role="status"><p><strong class="status-tag denied">未找到</strong> 没有与核验码 ${state.code ?? ''} 对应的文书。请核对核验码是否输入正确；如核对无误仍未找到，该文书可能不是本平台出具的，请向出具部门核实。</p></div>
</section>`
    : ''
}
${state.result ? resultSection(state.result, state) : ''}`;
  return layout(ctx, {
    title: state.result ? `核验结果：${state.result.title}` : state.notFound ? '核验结果：未找到' : '办理结果核验',
    prefs,
    path,
    breadcrumbs: [{ label: '首页', href: '/' }, { label: '办理结果核验' }],
    body,
  });
}
