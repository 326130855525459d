import { test } from 'node:test';
import assert from 'node:assert/strict';
import { prefillValues } from './prefill-values.ts';
import { validateFormData } from './validate-form-data.ts';
import { FIXTURE_FOOD_LICENCE_CODE, FIXTURE_FORMS } from './fixture-forms.ts';
import type { FormDefinition } from './form.types.ts';

const person = { name: '王芳', idNumber: '330106199003071527', mobile: '13800000001' };
const enterprise = { name: '杭州西湖味道餐饮有限公司', creditCode: '91330106MA2B3C4D5D', legalRepName: '李建国' };

const form: FormDefinition = {
  steps: [
    {
      key: 's',
      title: '申请人',
      fields: [
        { key: 'who', label: '申请人', type: 'text', prefill: 'subject.name' },
        { key: 'whoId', label: '证件号码', type: 'text', prefill: 'subject.idNumber' },
        { key: 'name', label: '经办人', type: 'text', prefill: 'person.name' },
        { key: 'id', label: '身份证', type: 'resident_id', prefill: 'person.idNumber' },
        { key: 'tel', label: '电话', type: 'phone', prefill: 'person.mobile' },
        { key: 'firm', label: '企业', type: 'text', prefill: 'enterprise.name' },
        { key: 'code', label: '代码', type: 'credit_code', prefill: 'enterprise.creditCode' },
        { key: 'rep', label: '法定代表人', type: 'text', prefill: 'enterprise.legalRepName' },
        { key: 'free', label: '其他', type: 'text' },
      ],
    },
  ],
};

test('a person applying for themself: person fields, the subject is the person, no enterprise fields', () => {
  assert.deepEqual(prefillValues(form, { person }), { who: '王芳', whoId: '330106199003071527', name: '王芳', id: '330106199003071527', tel: '13800000001' });
});

test('acting for an enterprise: the subject is the enterprise, the person stays the handler', () => {
  assert.deepEqual(prefillValues(form, { person, enterprise }), {
    who: '杭州西湖味道餐饮有限公司',
    whoId: '91330106MA2B3C4D5D',
    name: '王芳',
    id: '330106199003071527',
    tel: '13800000001',
    firm: '杭州西湖味道餐饮有限公司',
    code: '91330106MA2B3C4D5D',
    rep: '李建国',
  });
});

test('empty profile values are not prefilled, and prefilled values validate', () => {
  assert.deepEqual(prefillValues(form, { person: { ...person, mobile: '' } }).tel, undefined);
  const food = FIXTURE_FORMS[FIXTURE_FOOD_LICENCE_CODE]!.form;
  const values = prefillValues(food, { person, enterprise });
  assert.deepEqual(values, { subjectName: enterprise.name, creditCode: enterprise.creditCode, legalRepName: '李建国', contactPhone: '13800000001' });
  const { errors } = validateFormData(food, values);
  assert.ok(!errors.some((e) => Object.keys(values).includes(e.field)), JSON.stringify(errors));
});
