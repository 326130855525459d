import { html } from '../../http/html.ts';
import {
  EXERCISE_LEVELS, HANDLING_TYPES, MATERIAL_FORMS, MATERIAL_SOURCES, ONLINE_DEPTHS, POWER_SOURCES, RESULT_TYPES,
  SERVICE_OBJECTS, THEMES, TONGBAN_SCOPES, type OnlineDepth,
} from '../catalogue/catalogue.types.ts';
import type { ItemGuide } from '../catalogue/item-guide.types.ts';
import { daysLabel } from './components.ts';

const yesNo = (b: boolean) => (b ? '是' : '否');

/** The body of a guide page (办事指南); cached per item and wrapped in the layout per request. */
export function renderGuideBody(g: ItemGuide): string {
  return html`
<article class="guide" aria-labelledby="guide-title">
  <header class="guide-head">
    <h1 id="guide-title">${g.name}</h1>
    <p class="item-meta"><span>${g.department.name}</span><span>${g.typeLabel}</span><span>${EXERCISE_LEVELS[g.exerciseLevel]}</span></p>
    ${g.summary ? html`<p class="lead">${g.summary}</p>` : ''}
    <dl class="key-facts">
      <div><dt>承诺办结时限</dt><dd>${daysLabel(g.promisedDays)}</dd></div>
      <div><dt>法定办结时限</dt><dd>${daysLabel(g.legalDays)}</dd></div>
      <div><dt>到现场次数</dt><dd>${g.visits} 次</dd></div>
      <div><dt>收费</dt><dd>${g.fee ? g.fee.standard : '不收费'}</dd></div>
    </dl>
    <div class="apply">
      ${
        g.onlineForm
          ? html`<p><a class="button" href="/apply/${g.code}">在线申请</a> <span class="apply-note">登录后填写申请表、上传材料，可随时保存草稿。</span></p>`
          : g.onlineHandleable
            ? html`<p><span class="button disabled" aria-disabled="true">在线申请</span> <span class="apply-note">本事项可网上办理，在线申请表单即将开放，现可到办事窗口办理。</span></p>`
            : html`<p class="apply-note">本事项需到办事窗口办理，请携带下列材料前往。</p>`
      }
    </div>
    <nav class="toc" aria-label="指南目录"><ul>
      <li><a href="#basic">基本信息</a></li><li><a href="#conditions">受理条件</a></li><li><a href="#materials">申请材料</a></li>
      <li><a href="#process">办理流程</a></li><li><a href="#limits">办理时限</a></li><li><a href="#fees">收费</a></li>
      <li><a href="#place">办理地点</a></li><li><a href="#basis">设定依据</a></li><li><a href="#contact">咨询与投诉</a></li>
    </ul></nav>
  </header>

  <section id="basic" aria-labelledby="h-basic">
    <h2 id="h-basic">基本信息</h2>
    <table class="facts">
      <caption class="visually-hidden">事项基本信息</caption>
      <tbody>
        <tr><th scope="row">事项名称</th><td>${g.name}</td></tr>
        <tr><th scope="row">实施编码</th><td><code>${g.code}</code></td></tr>
        <tr><th scope="row">基本编码</th><td><code>${g.basicCode}</code></td></tr>
        <tr><th scope="row">事项类型</th><td>${g.typeLabel}</td></tr>
        <tr><th scope="row">权力来源</th><td>${POWER_SOURCES[g.powerSource]}</td></tr>
        <tr><th scope="row">行使层级</th><td>${EXERCISE_LEVELS[g.exerciseLevel]}</td></tr>
        <tr><th scope="row">实施主体</th><td><a href="/departments/${g.department.code}">${g.department.name}</a></td></tr>
        <tr><th scope="row">实施主体编码</th><td><code>${g.department.code}</code></td></tr>
        <tr><th scope="row">服务对象</th><td>${g.objects.map((o) => SERVICE_OBJECTS[o]).join('、')}</td></tr>
        <tr><th scope="row">主题分类</th><td>${g.themes.map((t) => THEMES[t]?.label ?? t).join('、')}</td></tr>
        <tr><th scope="row">办件类型</th><td>${HANDLING_TYPES[g.handlingType]}</td></tr>
        <tr><th scope="row">网办深度</th><td>${g.onlineDepth} 级（${ONLINE_DEPTHS[g.onlineDepth as OnlineDepth]}）</td></tr>
        <tr><th scope="row">通办范围</th><td>${g.tongban ? TONGBAN_SCOPES[g.tongban] : '本级办理'}</td></tr>
        <tr><th scope="row">办理结果</th><td>${g.result.name}（${RESULT_TYPES[g.result.type]}）</td></tr>
        <tr><th scope="row">支持预约办理</th><td>${yesNo(g.appointment)}</td></tr>
        <tr><th scope="row">支持物流快递</th><td>${yesNo(g.delivery)}</td></tr>
        <tr><th scope="row">支持网上支付</th><td>${yesNo(g.onlinePayment)}</td></tr>
        <tr><th scope="row">所属地区</th><td><a href="/regions/${g.region.code}">${g.region.fullName}</a></td></tr>
        <tr><th scope="row">指南版本</th><td>第 ${g.version} 版${g.publishedAt ? `，${g.publishedAt.slice(0, 10)} 发布` : ''}</td></tr>
      </tbody>
    </table>
  </section>

  <section id="conditions" aria-labelledby="h-conditions">
    <h2 id="h-conditions">受理条件</h2>
    <ol class="plain-list">${g.conditions.map((c) => html`<li>${c}</li>`)}</ol>
  </section>

  <section id="materials" aria-labelledby="h-materials">
    <h2 id="h-materials">申请材料</h2>
    <div class="table-scroll" role="region" aria-labelledby="h-materials" tabindex="0">
    <table class="materials">
      <caption class="visually-hidden">申请材料清单，共 ${g.materials.length} 项</caption>
      <thead><tr><th scope="col">序号</th><th scope="col">材料名称</th><th scope="col">形式</th><th scope="col">份数</th><th scope="col">是否必要</th><th scope="col">来源渠道</th><th scope="col">说明</th></tr></thead>
      <tbody>
        ${g.materials.map(
          (m) => html`<tr>
          <td>${m.seq}</td>
          <td>${m.name}${m.blankForm ? html`<span class="tag">有空白表格</span>` : ''}${m.sample ? html`<span class="tag">有示例样表</span>` : ''}</td>
          <td>${MATERIAL_FORMS[m.form]}</td>
          <td>${m.copies === 0 ? '无需纸质' : `${m.copies} 份`}</td>
          <td>${m.required ? '必要' : html`情形必要：${m.condition}`}</td>
          <td>${MATERIAL_SOURCES[m.source]}${m.issuer ? html`<br><span class="muted">${m.issuer}</span>` : ''}</td>
          <td>${m.notes ?? ''}</td>
        </tr>`,
        )}
      </tbody>
    </table>
    </div>
  </section>

  <section id="process" aria-labelledby="h-process">
    <h2 id="h-process">办理流程</h2>
    <ol class="steps">${g.steps.map((s) => html`<li><strong>${s.name}</strong>${s.description ? html`<span>${s.description}</span>` : ''}</li>`)}</ol>
  </section>

  <section id="limits" aria-labelledby="h-limits">
    <h2 id="h-limits">办理时限</h2>
    <table class="facts"><caption class="visually-hidden">办理时限</caption><tbody>
      <tr><th scope="row">法定办结时限</th><td>${daysLabel(g.legalDays)}${g.legalDaysNote ? html`<br><span class="muted">${g.legalDaysNote}</span>` : ''}</td></tr>
      <tr><th scope="row">承诺办结时限</th><td>${daysLabel(g.promisedDays)}${g.promisedDaysNote ? html`<br><span class="muted">${g.promisedDaysNote}</span>` : ''}</td></tr>
    </tbody></table>
    <p class="muted">时限按工作日计算，不含法定节假日；补正材料、听证、检验检测、专家评审等时间不计入。</p>
  </section>

  <section id="fees" aria-labelledby="h-fees">
    <h2 id="h-fees">收费标准</h2>
    ${g.fee ? html`<p>${g.fee.standard}</p>${g.fee.basis ? html`<p class="muted">收费依据：${g.fee.basis}</p>` : ''}` : html`<p>不收费。</p>`}
  </section>

  <section id="place" aria-labelledby="h-place">
    <h2 id="h-place">办理地点和时间</h2>
    <p>${g.address}</p>
    <p>${g.officeHours}</p>
  </section>

  <section id="basis" aria-labelledby="h-basis">
    <h2 id="h-basis">设定依据</h2>
    <ul class="plain-list">${g.legalBasis.map((b) => html`<li>${b}</li>`)}</ul>
  </section>

  <section id="contact" aria-labelledby="h-contact">
    <h2 id="h-contact">咨询与投诉</h2>
    <p>咨询电话：<a href="tel:${g.consultPhone}">${g.consultPhone}</a></p>
    <p>投诉电话：<a href="tel:${g.complaintPhone}">${g.complaintPhone}</a>（政务服务便民热线）</p>
    <p><a href="/api/v1/items/${g.code}/versions">查看本指南的发布历史</a></p>
  </section>
</article>`.value;
}
