import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { validateFormData, validateStep, chinaDate } from './validate-form-data.ts';
import type { FormDefinition, FormError } from './form.types.ts';

const form: FormDefinition = {
  steps: [
    {
      key: 'a',
      title: '基本信息',
      fields: [
        { key: 'name', label: '姓名', type: 'text', required: true, maxLength: 5 },
        { key: 'note', label: '备注', type: 'textarea' },
        { key: 'age', label: '年龄', type: 'number', integer: true, min: 0, max: 150, unit: '岁' },
        { key: 'area', label: '面积', type: 'number', min: 1, unit: '平方米' },
        { key: 'born', label: '出生日期', type: 'date', max: 'today' },
        { key: 'due', label: '预产期', type: 'date', min: 'today' },
        { key: 'id', label: '公民身份号码', type: 'resident_id' },
        { key: 'code', label: '统一社会信用代码', type: 'credit_code' },
        { key: 'tel', label: '联系电话', type: 'phone' },
        { key: 'kind', label: '办理方式', type: 'select', required: true, options: [{ value: 'self', label: '本人' }, { value: 'agent', label: '代理人' }] },
        { key: 'agentName', label: '代理人姓名', type: 'text', required: true, when: { field: 'kind', equals: 'agent' } },
        { key: 'plate', label: '车牌号', type: 'text', pattern: '浙[A-Z][A-Z0-9]{5,6}', patternMessage: '车牌号格式不正确' },
      ],
    },
    {
      key: 'b',
      title: '经营',
      fields: [
        { key: 'items', label: '经营项目', type: 'multiselect', min: 1, max: 2, options: [{ value: 'x', label: '甲' }, { value: 'y', label: '乙' }, { value: 'z', label: '丙' }] },
        { key: 'seats', label: '座位数', type: 'number', required: true, when: { field: 'items', equals: 'y' } },
        { key: 'site', label: '经营场所', type: 'address', required: true },
        { key: 'files', label: '附件', type: 'attachment', slot: 'm1' },
        {
          key: 'members',
          label: '家庭成员',
          type: 'table',
          minRows: 1,
          maxRows: 3,
          columns: [
            { key: 'name', label: '姓名', type: 'text', required: true },
            { key: 'id', label: '身份证号', type: 'resident_id', required: true },
            { key: 'rel', label: '关系', type: 'select', required: true, options: [{ value: 'child', label: '子女' }, { value: 'other', label: '其他' }] },
            { key: 'relNote', label: '关系说明', type: 'text', required: true, when: { field: 'rel', equals: 'other' } },
            { key: 'income', label: '月收入', type: 'number', min: 0 },
          ],
        },
      ],
    },
  ],
};

const TODAY = '2026-03-15';
const regions = { get: (code: string) => (['330106', '330122'].includes(code) ? { level: 'county' } : code === '330100' ? { level: 'city' } : undefined) };
const base = { name: '王芳', kind: 'self', site: { regionCode: '330106', detail: '文三路 1 号' } };
const run = (data: Record<string, unknown>) => validateFormData(form, { ...base, ...data }, { today: TODAY, regions });
const codes = (errors: FormError[]) => errors.map((e) => `${e.field}:${e.code}`);
const only = (data: Record<string, unknown>) => {
  const r = run(data);
  return { ...r, list: codes(r.errors) };
};

describe('validateFormData: types are coerced strictly', () => {
  test('a valid minimum passes, and values are typed', () => {
    const r = run({ age: '36', area: '85.5', tel: '13800000001' });
    assert.deepEqual(r.errors, []);
    assert.deepEqual(r.values, { name: '王芳', age: 36, area: 85.5, tel: '13800000001', kind: 'self', site: { regionCode: '330106', detail: '文三路 1 号' } });
  });

  test('a number field given text is an error, never NaN', () => {
    for (const bad of ['abc', '1,000', '12abc', '1e3', 'NaN', 'Infinity', true, {}, [], Number.NaN, Number.POSITIVE_INFINITY]) {
      const r = only({ area: bad });
      assert.deepEqual(r.list, ['area:type'], `area = ${String(bad)}`);
      assert.equal(r.values.area, undefined);
      assert.match(r.errors[0]!.message, /“面积”应为数字/);
    }
  });

  test('numbers: full-width digits, integers, ranges with the unit in the message', () => {
    assert.equal(run({ age: '３６' }).values.age, 36);
    assert.deepEqual(only({ age: '3.5' }).list, ['age:integer']);
    const tooOld = only({ age: 151 });
    assert.deepEqual(tooOld.list, ['age:max']);
    assert.match(tooOld.errors[0]!.message, /“年龄”不能大于 150岁/);
    assert.deepEqual(only({ area: '0.5' }).list, ['area:min']);
    assert.equal(run({ area: ' 2 ' }).values.area, 2);
  });

  test('text: trimmed, empty is no value, objects refused, lengths counted in characters, control characters refused', () => {
    assert.equal(run({ name: '  王芳  ' }).values.name, '王芳');
    assert.deepEqual(only({ name: '   ' }).list, ['name:required']);
    assert.deepEqual(only({ name: { x: 1 } }).list, ['name:type']);
    assert.deepEqual(only({ name: ['王芳'] }).list, ['name:type']);
    assert.equal(run({ name: '𠀀𠀀𠀀𠀀𠀀' }).errors.length, 0, 'five characters outside the BMP are five');
    const long = only({ name: '王芳王芳王芳' });
    assert.deepEqual(long.list, ['name:max_length']);
    assert.match(long.errors[0]!.message, /“姓名”不能超过 5 个字/);
    assert.deepEqual(only({ note: 'a\u0000b' }).list, ['note:control_chars']);
    assert.deepEqual(only({ note: 'a\ud800b' }).list, ['note:control_chars'], 'a lone surrogate would break jsonb');
    assert.equal(run({ note: '第一行\r\n第二行' }).values.note, '第一行\n第二行');
    assert.equal(run({ name: 12 }).values.name, '12', 'a finite number is read as its digits');
  });

  test('pattern with its own message', () => {
    assert.equal(run({ plate: '浙A12345' }).values.plate, '浙A12345');
    const r = only({ plate: '沪A12345' });
    assert.deepEqual(r.list, ['plate:pattern']);
    assert.equal(r.errors[0]!.message, '车牌号格式不正确');
    assert.deepEqual(only({ plate: 'x浙A12345' }).list, ['plate:pattern'], 'the pattern is anchored');
  });

  test('dates: calendar-valid YYYY-MM-DD, bounds with today', () => {
    assert.equal(run({ born: '1990-03-07' }).values.born, '1990-03-07');
    for (const bad of ['2026-02-30', '2026-13-01', '1990-3-7', '19900307', '2026/03/01', 20260301]) {
      assert.deepEqual(only({ born: bad }).list, ['born:date'], String(bad));
    }
    const future = only({ born: '2026-03-16' });
    assert.deepEqual(future.list, ['born:max']);
    assert.match(future.errors[0]!.message, /不能晚于 2026-03-15（今天）/);
    assert.deepEqual(only({ born: TODAY }).list, []);
    assert.deepEqual(only({ due: '2026-03-14' }).list, ['due:min']);
  });

  test('unknown keys and attachment fields are dropped', () => {
    const r = run({ evil: 'x', __proto__: { polluted: true }, files: ['a.pdf'], constructor: 'x' });
    assert.deepEqual(r.errors, []);
    assert.deepEqual(Object.keys(r.values).sort(), ['kind', 'name', 'site']);
  });

  test('data that is not an object counts as empty', () => {
    for (const data of [null, 'x', 42, [1, 2]]) {
      const r = validateFormData(form, data, { today: TODAY });
      assert.deepEqual(codes(r.errors).sort(), ['kind:required', 'name:required', 'site.detail:required', 'site.regionCode:required']);
      assert.deepEqual(r.values, {});
    }
  });
});

describe('validateFormData: required and conditional fields', () => {
  test('required messages name the label, in Chinese', () => {
    const r = validateFormData(form, {}, { today: TODAY, regions });
    const byField = Object.fromEntries(r.errors.map((e) => [e.field, e.message]));
    assert.equal(byField.name, '请填写“姓名”');
    assert.equal(byField.kind, '请选择“办理方式”');
    assert.equal(byField['site.regionCode'], '请选择“经营场所”所在的区县');
    assert.equal(byField['site.detail'], '请填写“经营场所”的详细地址');
  });

  test('a conditional field is required only when its condition holds, and dropped when hidden', () => {
    assert.deepEqual(only({ kind: 'agent' }).list, ['agentName:required']);
    const shown = run({ kind: 'agent', agentName: '李四' });
    assert.equal(shown.values.agentName, '李四');
    const hidden = run({ kind: 'self', agentName: '李四' });
    assert.deepEqual(hidden.errors, []);
    assert.equal('agentName' in hidden.values, false, 'a hidden field is dropped');
    const hiddenInvalid = run({ kind: 'self', agentName: { bad: 1 } });
    assert.deepEqual(hiddenInvalid.errors, [], 'a hidden field’s errors are dropped with it');
  });

  test('a condition on an invalid value does not hold', () => {
    assert.deepEqual(only({ kind: 'nobody' }).list, ['kind:option']);
  });

  test('multiselect: options, order, duplicates, counts, and conditions that read it', () => {
    assert.deepEqual(run({ items: ['z', 'x', 'x'] }).values.items, ['x', 'z']);
    assert.deepEqual(run({ items: 'x' }).values.items, ['x'], 'one checked box arrives as a string');
    assert.deepEqual(only({ items: ['x', 'q'] }).list, ['items:option']);
    assert.deepEqual(only({ items: ['x', 'y', 'z'] }).list, ['items:max_items'], 'an invalid value meets no condition: seats stays hidden');
    assert.deepEqual(only({ items: [1] }).list, ['items:option']);
    assert.deepEqual(only({ items: [{}] }).list, ['items:type']);
    assert.deepEqual(only({ items: ['y'] }).list, ['seats:required'], 'seats shows when 乙 is selected');
    assert.deepEqual(run({ items: ['x'], seats: 'abc' }).errors, [], 'seats is hidden otherwise, its bad value dropped');
    assert.equal(run({ items: [] }).values.items, undefined);
  });

  test('select: numbers read as their text, unknown options refused', () => {
    const f: FormDefinition = { steps: [{ key: 's', title: 't', fields: [{ key: 'n', label: '孩次', type: 'select', options: [{ value: '1', label: '一孩' }] }] }] };
    assert.equal(validateFormData(f, { n: 1 }).values.n, '1');
    assert.deepEqual(codes(validateFormData(f, { n: '2' }).errors), ['n:option']);
    assert.deepEqual(codes(validateFormData(f, { n: true }).errors), ['n:type']);
  });

  test('conditions combine with all / any and notEmpty, and a chain hides what depends on a hidden field', () => {
    const f: FormDefinition = {
      steps: [
        {
          key: 's',
          title: 't',
          fields: [
            { key: 'a', label: 'A', type: 'select', options: [{ value: '1', label: '一' }, { value: '2', label: '二' }] },
            { key: 'b', label: 'B', type: 'text', when: { field: 'a', equals: '1' } },
            { key: 'c', label: 'C', type: 'text', required: true, when: { field: 'b', notEmpty: true } },
            { key: 'd', label: 'D', type: 'text', required: true, when: { all: [{ field: 'a', equals: '2' }, { any: [{ field: 'b', notEmpty: true }, { field: 'a', in: ['2'] }] }] } },
          ],
        },
      ],
    };
    assert.deepEqual(codes(validateFormData(f, { a: '1', b: 'x' }).errors), ['c:required']);
    assert.deepEqual(codes(validateFormData(f, { a: '2', b: 'x' }).errors), ['d:required'], 'b is hidden, so c is too');
    assert.deepEqual(validateFormData(f, { a: '2', b: 'x', d: 'y' }).values, { a: '2', d: 'y' });
  });
});

describe('validateFormData: codes, phones, addresses', () => {
  test('resident ID: checksum, birth date, format; lower-case x and full-width accepted', () => {
    assert.equal(run({ id: '11010519491231002x' }).values.id, '11010519491231002X');
    assert.equal(run({ id: '４４０５２４１８８００１０１００１４' }).values.id, '440524188001010014');
    const sum = only({ id: '110105194912310021' });
    assert.deepEqual(sum.list, ['id:resident_id']);
    assert.match(sum.errors[0]!.message, /“公民身份号码”的校验位不正确/);
    assert.match(only({ id: '110105194902300021' }).errors[0]!.message, /出生日期不正确/);
    assert.match(only({ id: '11010519491231' }).errors[0]!.message, /应为 18 位公民身份号码/);
    assert.match(only({ id: '110105202703150012' }).errors[0]!.message, /出生日期不正确/, 'born after today');
  });

  test('credit code: checksum and alphabet', () => {
    assert.equal(run({ code: '91330000755918469e' }).values.code, '91330000755918469E');
    assert.match(only({ code: '91330000755918469F' }).errors[0]!.message, /校验位不正确/);
    assert.match(only({ code: '9133000075591846IE' }).errors[0]!.message, /不含 I、O、S、V、Z/);
  });

  test('phone: mainland mobile or landline with area code', () => {
    for (const ok of ['13800000001', '+86 138 0000 0001', '0571-88001234', '057188001234', '010-12345678-123', '(0571)88001234']) {
      assert.deepEqual(only({ tel: ok }).list, [], ok);
    }
    assert.equal(run({ tel: '+86 138 0000 0001' }).values.tel, '13800000001');
    for (const bad of ['12800000001', '1380000000', '88001234', '400-800-8888', 'abc']) {
      const r = only({ tel: bad });
      assert.deepEqual(r.list, ['tel:phone'], bad);
      assert.match(r.errors[0]!.message, /“联系电话”应为 11 位手机号码或带区号的固定电话/);
    }
  });

  test('address: a county known to the region list, and a detail', () => {
    assert.deepEqual(only({ site: { regionCode: '330100', detail: 'x' } }).list, ['site.regionCode:region'], 'a city is not a county');
    assert.deepEqual(only({ site: { regionCode: '330102', detail: 'x' } }).list, ['site.regionCode:region'], 'not in the list');
    assert.deepEqual(only({ site: { regionCode: '330122' } }).list, ['site.detail:required']);
    assert.deepEqual(only({ site: { detail: '文三路' } }).list, ['site.regionCode:required']);
    assert.deepEqual(only({ site: '文三路' }).list, ['site:type']);
    assert.deepEqual(only({ site: { regionCode: '330106', detail: '长'.repeat(201) } }).list, ['site.detail:max_length']);
    // without a region list, any county-shaped code
    const r = validateFormData(form, { ...base, site: { regionCode: '110105', detail: 'x' } }, { today: TODAY });
    assert.deepEqual(r.errors, []);
  });
});

describe('validateFormData: tables', () => {
  const row = (o: Record<string, unknown> = {}) => ({ name: '张三', id: '11010519491231002X', rel: 'child', ...o });

  test('rows are validated per column with paths like members[2].name and row numbers in messages', () => {
    const r = only({ members: [row(), row({ income: '3000' }), row({ name: '', id: '110105194912310021', income: 'x' })] });
    assert.deepEqual(r.list, ['members[2].name:required', 'members[2].id:resident_id', 'members[2].income:type']);
    assert.equal(r.errors[0]!.message, '请填写“家庭成员”第 3 行的“姓名”');
    assert.match(r.errors[1]!.message, /“家庭成员”第 3 行的“身份证号”的校验位不正确/);
  });

  test('values are typed, unknown cells dropped, blank rows ignored but paths keep the posted row numbers', () => {
    const r = run({ members: [{}, row({ income: '3000', extra: 'x' }), { name: '', id: '' }, row({ name: '' })] });
    assert.deepEqual(codes(r.errors), ['members[3].name:required']);
    const ok = run({ members: [{}, row({ income: '3000', extra: 'x' }), { name: ' ', id: '' }] });
    assert.deepEqual(ok.errors, []);
    assert.deepEqual(ok.values.members, [{ name: '张三', id: '11010519491231002X', rel: 'child', income: 3000 }]);
  });

  test('a column shown by a sibling cell', () => {
    assert.deepEqual(only({ members: [row({ rel: 'other' })] }).list, ['members[0].relNote:required']);
    const r = run({ members: [row({ rel: 'other', relNote: '侄子' }), row({ relNote: '不显示' })] });
    assert.deepEqual(r.values.members, [
      { name: '张三', id: '11010519491231002X', rel: 'other', relNote: '侄子' },
      { name: '张三', id: '11010519491231002X', rel: 'child' },
    ]);
  });

  test('row bounds, shapes and an optional empty table', () => {
    assert.deepEqual(only({ members: [row(), row(), row(), row()] }).list, ['members:max_rows']);
    assert.deepEqual(only({ members: 'x' }).list, ['members:type']);
    assert.deepEqual(only({ members: [row(), 'x'] }).list, ['members[1]:type']);
    assert.deepEqual(only({ members: [{}, {}] }).list, [], 'a table that is not required may stay empty');
    assert.equal(run({ members: [] }).values.members, undefined);
    const f: FormDefinition = { steps: [{ key: 's', title: 't', fields: [{ ...form.steps[1]!.fields[4]!, required: true, minRows: 2 }] }] };
    assert.deepEqual(codes(validateFormData(f, {}).errors), ['members:required']);
    assert.match(validateFormData(f, {}).errors[0]!.message, /请至少填写 2 行“家庭成员”/);
    assert.deepEqual(codes(validateFormData(f, { members: [row()] }).errors), ['members:min_rows']);
  });
});

describe('validateStep', () => {
  test('checks only the step’s fields, with conditions reading the other steps', () => {
    const a = validateStep(form, 'a', {}, { today: TODAY });
    assert.deepEqual(codes(a.errors), ['name:required', 'kind:required']);
    const b = validateStep(form, 'b', { name: '', items: ['y'], site: { regionCode: '330106', detail: 'x' } }, { today: TODAY });
    assert.deepEqual(codes(b.errors), ['seats:required']);
    assert.deepEqual(Object.keys(b.values), ['items', 'site']);
  });

  test('an unknown step is a 400-style error naming the step', () => {
    assert.throws(() => validateStep(form, 'zzz', {}), (e: unknown) => (e as { code?: string; field?: string }).code === 'INVALID_PARAMETER' && (e as { field?: string }).field === 'step');
  });
});

test('chinaDate is the date in UTC+8', () => {
  assert.equal(chinaDate(new Date('2026-01-31T16:00:00Z')), '2026-02-01');
  assert.equal(chinaDate(new Date('2026-01-31T15:59:59Z')), '2026-01-31');
});
