import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { fieldDomId, parseFormPost, renderFormErrorSummary, renderFormStep, type PostBody, type RegionList } from './render-form.ts';
import { validateFormData, validateStep } from './validate-form-data.ts';
import { FIXTURE_FOOD_LICENCE_CODE, FIXTURE_FORMS, FIXTURE_FORM_SAMPLES } from './fixture-forms.ts';
import type { FormDefinition } from './form.types.ts';

const REGIONS = [
  { code: '330000', name: '浙江省', level: 'province', parent_code: null },
  { code: '330100', name: '杭州市', level: 'city', parent_code: '330000' },
  { code: '330106', name: '西湖区', level: 'county', parent_code: '330100' },
  { code: '330122', name: '桐庐县', level: 'county', parent_code: '330100' },
  { code: '330300', name: '温州市', level: 'city', parent_code: '330000' },
  { code: '330302', name: '鹿城区', level: 'county', parent_code: '330300' },
];
const regions: RegionList = { all: () => REGIONS, get: (c) => REGIONS.find((r) => r.code === c) };

const food = FIXTURE_FORMS[FIXTURE_FOOD_LICENCE_CODE]!.form;
const sample = FIXTURE_FORM_SAMPLES[FIXTURE_FOOD_LICENCE_CODE]!;
const TODAY = '2026-03-15';

/** What a browser would post for the rendered step: every named control with its current value. */
function postOf(markup: string): PostBody {
  const body: PostBody = {};
  const add = (name: string, value: string) => {
    const prev = body[name];
    body[name] = prev === undefined ? value : Array.isArray(prev) ? [...prev, value] : [prev, value];
  };
  const attr = (tag: string, a: string) => new RegExp(`\\s${a}="([^"]*)"`).exec(tag)?.[1];
  const unescape = (s: string) => s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  for (const m of markup.matchAll(/<input\b[^>]*>/g)) {
    const tag = m[0];
    const name = attr(tag, 'name');
    if (!name) continue;
    const type = attr(tag, 'type') ?? 'text';
    if (type === 'checkbox' && !/\schecked\b/.test(tag)) continue;
    add(name, unescape(attr(tag, 'value') ?? ''));
  }
  for (const m of markup.matchAll(/<select\b[^>]*name="([^"]+)"[^>]*>([\s\S]*?)<\/select>/g)) {
    const selected = /<option value="([^"]*)" selected>/.exec(m[2]!)?.[1] ?? /<option value="([^"]*)"[^>]*\sselected/.exec(m[2]!)?.[1] ?? '';
    add(m[1]!, unescape(selected));
  }
  for (const m of markup.matchAll(/<textarea\b[^>]*name="([^"]+)"[^>]*>([\s\S]*?)<\/textarea>/g)) add(m[1]!, unescape(m[2]!));
  return body;
}

describe('renderFormStep and parseFormPost', () => {
  test('round trip: each step rendered with the values posts back the same validated values', () => {
    const expected = validateFormData(food, sample, { today: TODAY, regions });
    assert.deepEqual(expected.errors, []);
    let merged: Record<string, unknown> = {};
    for (const step of food.steps) {
      const markup = renderFormStep(food, step.key, { values: sample, regions }).value;
      const { data, rowAction } = parseFormPost(food, postOf(markup));
      assert.equal(rowAction, null);
      merged = { ...merged, ...data };
      assert.deepEqual(validateStep(food, step.key, merged, { today: TODAY, regions }).errors, [], step.key);
    }
    assert.deepEqual(validateFormData(food, merged, { today: TODAY, regions }).values, expected.values);
  });

  test('names, ids and labels: every control has a label, table cells f.<key>.<row>.<col>', () => {
    const markup = renderFormStep(food, 'staff', { values: sample, regions }).value;
    const ids = [...markup.matchAll(/<(?:input|select|textarea)\b[^>]*\sid="([^"]+)"/g)].map((m) => m[1]!);
    assert.ok(ids.length >= 10);
    for (const id of ids) assert.ok(markup.includes(`<label for="${id}"`), `label for ${id}`);
    assert.match(markup, /name="f\.staff\.1\.postOther" type="text" value="洗消"/);
    assert.match(markup, /id="f-staff-0-idNumber" name="f\.staff\.0\.idNumber"/);
    assert.equal(fieldDomId('staff[1].postOther'), 'f-staff-1-postOther');
    assert.match(markup, /<button type="submit" class="secondary" name="_add_row" value="staff" formnovalidate>/);
    assert.match(markup, /name="_remove_row" value="staff\.1" formnovalidate>删除第 2 行<\/button>/);
    assert.match(markup, /<th scope="col">姓名<span class="required" aria-hidden="true"> \*<\/span>/);
  });

  test('errors beside their fields (aria-describedby, aria-invalid) and in a linked summary', () => {
    const { errors } = validateStep(food, 'subject', { contactPhone: '123', premises: { regionCode: '330106' } }, { regions });
    const markup = renderFormStep(food, 'subject', { values: { contactPhone: '123' }, errors, regions }).value;
    assert.match(markup, /<p class="field-error" id="f-contactPhone-error"><span class="visually-hidden">错误：<\/span>“联系电话”应为 11 位手机号码/);
    assert.match(markup, /<input id="f-contactPhone" name="f\.contactPhone" type="tel" value="123"[^>]*aria-invalid="true"[^>]*aria-describedby="f-contactPhone-error"/);
    assert.match(markup, /<a href="#f-premises-detail">请填写“经营场所”的详细地址<\/a>/);
    assert.match(markup, /<div class="error-summary" role="alert"/);
    assert.equal(renderFormErrorSummary([]), '');
  });

  test('the region picker lists counties grouped by city, with the chosen one selected', () => {
    const markup = renderFormStep(food, 'subject', { values: { premises: { regionCode: '330122', detail: 'x' } }, regions }).value;
    assert.match(markup, /<optgroup label="杭州市"><option value="330106">西湖区<\/option><option value="330122" selected>桐庐县<\/option><\/optgroup><optgroup label="温州市">/);
    assert.doesNotMatch(markup, /<option value="330100"/, 'a city is not offered');
    // the cached list is not changed by a selection
    const other = renderFormStep(food, 'subject', { values: {}, regions }).value;
    assert.doesNotMatch(other, / selected>桐庐县/);
  });

  test('conditional fields: shown with a note when the condition reads this step, left out when an earlier step says no', () => {
    const business = renderFormStep(food, 'business', { values: {}, regions }).value;
    assert.match(business, /data-field="seats" data-when="\{&quot;field&quot;:&quot;mainFormat&quot;/);
    assert.match(business, /（“主体业态”为“餐饮服务经营者”或“单位食堂”时必填）/);
    const f: FormDefinition = {
      steps: [
        { key: 'one', title: '一', fields: [{ key: 'd', label: '领取方式', type: 'select', options: [{ value: 'post', label: '邮寄' }, { value: 'window', label: '窗口' }] }] },
        { key: 'two', title: '二', fields: [{ key: 'addr', label: '邮寄地址', type: 'address', required: true, when: { field: 'd', equals: 'post' } }, { key: 'n', label: '备注', type: 'text' }] },
      ],
    };
    const hidden = renderFormStep(f, 'two', { values: { d: 'window' }, regions, script: false }).value;
    assert.doesNotMatch(hidden, /邮寄地址/);
    const shown = renderFormStep(f, 'two', { values: { d: 'post' }, regions, script: false }).value;
    assert.match(shown, /<legend>邮寄地址<span class="required"/);
    assert.doesNotMatch(shown, /data-when/, 'decided on the server: no live condition');
  });

  test('the definition is embedded as JSON that cannot close its script element; the bundle is an external script', () => {
    const f: FormDefinition = { steps: [{ key: 's', title: '</script><script>alert(1)</script>', fields: [{ key: 'n', label: '名称\u2028', type: 'text' }] }] };
    const markup = renderFormStep(f, 's', { values: { n: '"><b>' }, regions }).value;
    const json = /<script type="application\/json" id="form-definition">([\s\S]*?)<\/script>/.exec(markup)![1]!;
    assert.doesNotMatch(json, /</);
    assert.deepEqual(JSON.parse(json).form, f);
    assert.match(markup, /<script src="\/assets\/forms\.js" defer><\/script>/);
    assert.equal((markup.match(/<script/g) ?? []).length, 2, 'no other script element');
    assert.match(markup, /value="&quot;&gt;&lt;b&gt;"/);
    assert.doesNotMatch(renderFormStep(f, 's', { regions, script: false }).value, /<script/);
  });

  test('an unknown step is a 400 naming the step', () => {
    assert.throws(() => renderFormStep(food, 'nope', { regions }), { code: 'INVALID_PARAMETER', field: 'step' });
  });

  test('multiselect: checkboxes with an empty marker, so clearing them all is posted', () => {
    const markup = renderFormStep(food, 'business', { values: { businessItems: ['hot'] }, regions }).value;
    assert.match(markup, /<input type="checkbox" id="f-businessItems-2" name="f\.businessItems" value="hot" checked>/);
    const body = postOf(markup);
    assert.deepEqual(parseFormPost(food, body).data.businessItems, ['hot']);
    assert.deepEqual(parseFormPost(food, { 'f.businessItems': '' }).data.businessItems, []);
    assert.equal('businessItems' in parseFormPost(food, {}).data, false, 'a step that did not show it leaves it alone');
  });
});

describe('parseFormPost: table rows without JavaScript', () => {
  const body = (extra: PostBody = {}): PostBody => ({
    'f.staff': '',
    'f.staff.0.name': '张三',
    'f.staff.0.idNumber': '11010519491231002X',
    'f.staff.1.name': '',
    'f.staff.1.idNumber': '',
    'f.staff.10.name': '王五',
    'f.staff.0.unknown': 'x',
    'f.nothere.0.name': 'x',
    'f.subjectName': '某某',
    'other': 'x',
    ...extra,
  });

  test('rows come back in index order, unknown columns and fields dropped, blank rows kept for the page', () => {
    const { data, rowAction } = parseFormPost(food, body());
    assert.equal(rowAction, null);
    assert.deepEqual(data.staff, [{ name: '张三', idNumber: '11010519491231002X' }, { name: '', idNumber: '' }, { name: '王五' }]);
    assert.deepEqual(Object.keys(data).sort(), ['staff', 'subjectName']);
  });

  test('add row appends a blank row (up to maxRows); remove row removes that one', () => {
    const added = parseFormPost(food, body({ _add_row: 'staff' }));
    assert.deepEqual(added.rowAction, { kind: 'add', field: 'staff' });
    assert.equal((added.data.staff as unknown[]).length, 4);
    const removed = parseFormPost(food, body({ _remove_row: 'staff.0' }));
    assert.deepEqual(removed.rowAction, { kind: 'remove', field: 'staff', row: 0 });
    assert.deepEqual(removed.data.staff, [{ name: '', idNumber: '' }, { name: '王五' }]);
    const full: PostBody = { 'f.staff': '' };
    for (let i = 0; i < 20; i++) full[`f.staff.${i}.name`] = `人${i}`;
    assert.equal((parseFormPost(food, { ...full, _add_row: 'staff' }).data.staff as unknown[]).length, 20, 'maxRows is 20');
    assert.equal(parseFormPost(food, { _add_row: 'subjectName' }).rowAction, null, 'only tables have rows');
  });

  test('a blank added row is rendered, and the errors of a later row keep its number', () => {
    const { data } = parseFormPost(food, body({ _add_row: 'staff' }));
    const markup = renderFormStep(food, 'staff', { values: data, regions }).value;
    assert.match(markup, /name="f\.staff\.3\.name"/);
    const { errors } = validateStep(food, 'staff', data);
    assert.ok(errors.some((e) => e.field === 'staff[2].idNumber'), JSON.stringify(errors));
    assert.ok(!errors.some((e) => e.field.startsWith('staff[1]') || e.field.startsWith('staff[3]')), 'blank rows are not checked');
  });

  test('hostile bodies: huge row indexes, arrays for scalars, missing body', () => {
    const { data } = parseFormPost(food, { 'f.staff.999999.name': 'x', 'f.subjectName': ['a', 'b'] });
    assert.deepEqual(data.staff, [{ name: 'x' }]);
    assert.deepEqual(validateStep(food, 'subject', data).errors.find((e) => e.field === 'subjectName')?.code, 'type');
    assert.deepEqual(parseFormPost(food, undefined), { data: {}, rowAction: null });
  });
});
