import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkFormDefinition } from './check-form-definition.ts';
import { FIXTURE_FORMS } from './fixture-forms.ts';
import type { FormDefinition } from './form.types.ts';

const ok: FormDefinition = {
  steps: [
    { key: 'a', title: '一', fields: [{ key: 'kind', label: '类型', type: 'select', options: [{ value: 'x', label: '甲' }] }] },
    { key: 'b', title: '二', fields: [{ key: 'note', label: '说明', type: 'text', when: { field: 'kind', equals: 'x' } }] },
  ],
};

const problems = (mutate: (f: FormDefinition) => void, slotKeys?: string[]) => {
  const f = structuredClone(ok);
  mutate(f);
  return checkFormDefinition(f, { slotKeys }).join('\n');
};

test('a well-formed form has no problems; so do the fixture forms', () => {
  assert.deepEqual(checkFormDefinition(ok), []);
  for (const [code, e] of Object.entries(FIXTURE_FORMS)) assert.deepEqual(checkFormDefinition(e.form, { slotKeys: ['m1', 'm2', 'm3'] }), [], code);
});

test('each kind of mistake is found', () => {
  assert.match(problems((f) => f.steps[1]!.fields.push({ key: 'kind', label: '重复', type: 'text' })), /字段键“kind”重复/);
  assert.match(problems((f) => (f.steps[1]!.key = 'a')), /步骤键“a”重复/);
  assert.match(problems((f) => (f.steps[1]!.fields[0]!.key = 'a.b')), /键不合规/);
  assert.match(problems((f) => (f.steps[1]!.fields[0]!.when = { field: 'nope', equals: 'x' })), /引用了不存在的字段“nope”/);
  assert.match(problems((f) => (f.steps[1]!.fields[0]!.when = { field: 'kind', equals: 'y' })), /取值“y”不是字段“kind”的选项/);
  assert.match(problems((f) => (f.steps[0]!.fields[0]!.when = { field: 'note', notEmpty: true })), /引用了后面步骤的字段“note”/);
  assert.match(problems((f) => (f.steps[0]!.fields[0]!.options = [])), /缺少选项/);
  assert.match(problems((f) => f.steps[1]!.fields.push({ key: 't', label: '表', type: 'table', columns: [{ key: 'a', label: 'A', type: 'address' }] })), /不能用在表格中/);
  assert.match(problems((f) => f.steps[1]!.fields.push({ key: 't', label: '表', type: 'table', columns: [{ key: 'a', label: 'A', type: 'text', when: { field: 'zz', equals: '1' } }] })), /引用了不存在的字段“zz”/);
  assert.match(problems((f) => f.steps[1]!.fields.push({ key: 'att', label: '附件', type: 'attachment', slot: 'm9' }), ['m1']), /材料“m9”不存在/);
  assert.match(problems((f) => (f.materialConditions = { m7: { field: 'kind', equals: 'x' } }), ['m1']), /不存在的材料“m7”/);
  assert.match(problems((f) => (f.materialConditions = { m1: { field: 'ghost', equals: 'x' } }), ['m1']), /不存在的字段“ghost”/);
  assert.match(problems((f) => f.steps[1]!.fields.push({ key: 'n', label: '数', type: 'number', min: 5, max: 1 })), /下限大于上限/);
  assert.match(problems((f) => f.steps[1]!.fields.push({ key: 'p', label: '格式', type: 'text', pattern: '(' })), /正则表达式）无效/);
  assert.match(problems((f) => f.steps[1]!.fields.push({ key: 'd', label: '日期', type: 'date', min: 'tomorrow' })), /日期界限/);
  assert.match(problems((f) => f.steps[1]!.fields.push({ key: 'x', label: '预填', type: 'text', prefill: 'person.salary' as never })), /预填来源/);
  assert.match(problems((f) => (f.steps = [])), /至少要有一步/);
});
