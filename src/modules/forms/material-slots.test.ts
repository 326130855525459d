import { test } from 'node:test';
import assert from 'node:assert/strict';
import { materialSlots, requiredSlots, type MaterialLike } from './material-slots.ts';
import { validateFormData } from './validate-form-data.ts';
import type { FormDefinition } from './form.types.ts';

const materials: MaterialLike[] = [
  { seq: 3, name: '授权委托书', required: false, condition: '委托他人代为办理的提供', source: 'applicant', issuer: null, notes: null },
  { seq: 1, name: '申请书', required: true, condition: null, source: 'applicant', issuer: null, notes: '由法定代表人签署' },
  { seq: 2, name: '营业执照', required: true, condition: null, source: 'shared', issuer: '市场监督管理部门', notes: null },
  { seq: 4, name: '身份证', required: true, condition: null, source: 'government', issuer: '公安机关', notes: null },
  { seq: 5, name: '其他证明', required: false, condition: '有特殊情况的提供', source: 'applicant', issuer: null, notes: null },
];

const form: FormDefinition = {
  steps: [
    {
      key: 's',
      title: '办理方式',
      fields: [{ key: 'handledBy', label: '办理方式', type: 'select', options: [{ value: 'self', label: '本人' }, { value: 'agent', label: '代理人' }] }],
    },
  ],
  materialConditions: { m3: { field: 'handledBy', equals: 'agent' } },
};

test('each material becomes a slot m<seq>, in order, with its condition, source and notes', () => {
  const slots = materialSlots(materials, form);
  assert.deepEqual(slots.map((s) => s.key), ['m1', 'm2', 'm3', 'm4', 'm5']);
  assert.deepEqual(slots[0], { key: 'm1', label: '申请书', required: true, source: 'applicant', exemptible: false, notes: '由法定代表人签署' });
  assert.deepEqual(slots[2], {
    key: 'm3',
    label: '授权委托书',
    required: false,
    source: 'applicant',
    exemptible: false,
    condition: '委托他人代为办理的提供',
    when: { field: 'handledBy', equals: 'agent' },
  });
  assert.equal(slots[4]!.when, undefined, 'a conditional material the form does not tie to a field');
});

test('materials issued by government or obtained by sharing are flagged exemptible but stay required', () => {
  const slots = materialSlots(materials);
  assert.deepEqual(slots.filter((s) => s.exemptible).map((s) => s.key), ['m2', 'm4']);
  assert.ok(slots.filter((s) => s.exemptible).every((s) => s.required));
  assert.deepEqual(requiredSlots(slots, {}), ['m1', 'm2', 'm4']);
});

test('requiredSlots: the required ones plus the conditional ones whose condition holds on the validated values', () => {
  const slots = materialSlots(materials, form);
  const self = validateFormData(form, { handledBy: 'self' }).values;
  const agent = validateFormData(form, { handledBy: 'agent' }).values;
  assert.deepEqual(requiredSlots(slots, self), ['m1', 'm2', 'm4']);
  assert.deepEqual(requiredSlots(slots, agent), ['m1', 'm2', 'm3', 'm4']);
  assert.deepEqual(requiredSlots(slots, validateFormData(form, { handledBy: 'nobody' }).values), ['m1', 'm2', 'm4'], 'an invalid value meets no condition');
});

test('a condition the form sets on an always-required material does not make it optional', () => {
  const slots = materialSlots(materials, { ...form, materialConditions: { m1: { field: 'handledBy', equals: 'agent' } } });
  assert.equal(slots[0]!.when, undefined);
  assert.ok(requiredSlots(slots, {}).includes('m1'));
});
