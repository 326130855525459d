/** Masking of personal items in exchange responses. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { maskValue, masksOf, projectRecord } from './masking.ts';
import { POPULATION_ITEMS } from '../../testing/fixture-data.ts';

test('each mask kind', () => {
  assert.equal(maskValue('resident_id', '11010519491231002X'), '110105********002X');
  assert.equal(maskValue('resident_id', '1234'), '****');
  assert.equal(maskValue('name', '王'), '王*');
  assert.equal(maskValue('name', '王小'), '王*');
  assert.equal(maskValue('name', '欧阳小明'), '欧***');
  assert.equal(maskValue('mobile', '13800000001'), '138****0001');
  assert.equal(maskValue('mobile', '12345'), '*****');
  assert.equal(maskValue('address', '北京市东城区东华门街道1号'), '北京市东城区***');
  assert.equal(maskValue('address', '北京'), '***');
  assert.equal(maskValue('full', '1990-01-01'), '***');
  assert.equal(maskValue('full', null), null);
  assert.equal(maskValue('name', ''), '');
  // a number is masked as its text
  assert.equal(maskValue('full', 42), '***');
});

test('a record is projected onto the granted items, personal items masked unless in clear', () => {
  const data = { id_number: '11010519491231002X', name: '王五', sex: '男', birth_date: '1949-12-31', address: '北京市东城区东华门街道1号', region_code: '110105', extra: 'x' };
  const masks = masksOf(POPULATION_ITEMS);
  assert.deepEqual(projectRecord(data, ['id_number', 'name', 'sex'], masks, new Set()), { id_number: '110105********002X', name: '王*', sex: '男' });
  assert.deepEqual(projectRecord(data, ['name', 'address', 'birth_date'], masks, new Set(['name'])), { name: '王五', address: '北京市东城区***', birth_date: '***' });
  assert.deepEqual(projectRecord({}, ['sex'], masks, new Set()), { sex: null });
  // a personal item without a declared mask is masked fully
  const m = masksOf([{ key: 'x', name: 'X', type: 'text', required: false, personal: true }]);
  assert.deepEqual(projectRecord({ x: 'secret' }, ['x'], m, new Set()), { x: '***' });
});
