import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkResidentId, maskResidentId, residentIdSex, residentIdCheckChar } from './resident-id.ts';
import { buildGovernmentCreditCode, checkCreditCode, creditCodeArea, organisationCodeCheckChar } from './credit-code.ts';
import { regionAncestry, regionLevelOf, regionParentOf } from './region-code.ts';
import { buildBasicCode, buildImplementationCode, checkBasicCode, parseImplementationCode } from './item-code.ts';

test('resident ID: the standard examples are valid', () => {
  assert.equal(checkResidentId('11010519491231002X'), null);
  assert.equal(checkResidentId('440524188001010014'), null);
});

test('resident ID: each kind of fault is named', () => {
  assert.equal(checkResidentId('110105194912310021'), 'checksum');
  assert.equal(checkResidentId('11010519491331002X'), 'birth_date'); // month 13
  assert.equal(checkResidentId('11010519490230002X'.slice(0, 17) + residentIdCheckChar('11010519490230002')), 'birth_date'); // 30 Feb
  assert.equal(checkResidentId('11010520991231002X'.slice(0, 17) + residentIdCheckChar('11010520991231002'), new Date('2026-01-01')), 'birth_date');
  assert.equal(checkResidentId('11010519491231002x'), 'format');
  assert.equal(checkResidentId('1101051949123100'), 'format');
});

test('resident ID: sex and masking', () => {
  assert.equal(residentIdSex('11010519491231002X'), 'female');
  assert.equal(residentIdSex('440524188001010014'), 'male');
  assert.equal(maskResidentId('11010519491231002X'), '110105********002X');
});

test('credit code: the standard example is valid and faults are caught', () => {
  assert.equal(checkCreditCode('91330000755918469E'), null);
  assert.equal(checkCreditCode('91330000755918469F'), 'checksum');
  assert.equal(checkCreditCode('91330000755918469I'), 'format'); // I is not in the alphabet
  assert.equal(checkCreditCode('9133000075591846'), 'format');
  assert.equal(creditCodeArea('91330000755918469E'), '330000');
});

test('credit code: generated government codes are valid and carry their area', () => {
  assert.equal(organisationCodeCheckChar('75591846'), '9'); // the example's organisation code 75591846-9
  const code = buildGovernmentCreditCode('330106', '00253001');
  assert.equal(checkCreditCode(code), null);
  assert.equal(code.slice(0, 2), '11');
  assert.equal(creditCodeArea(code), '330106');
});

test('region codes: level, parent and ancestry', () => {
  assert.equal(regionLevelOf('330000'), 'province');
  assert.equal(regionLevelOf('330100'), 'city');
  assert.equal(regionLevelOf('330106'), 'county');
  assert.equal(regionParentOf('330106'), '330100');
  assert.equal(regionParentOf('330100'), '330000');
  assert.equal(regionParentOf('429004'), '420000'); // 仙桃市, directly under the province
  assert.deepEqual(regionAncestry('330106'), ['330106', '330100', '330000']);
});

test('item codes: basic and implementation codes round-trip and are checked', () => {
  const basic = buildBasicCode('XK', '004', 12);
  assert.equal(basic, 'XK0040001200');
  assert.equal(checkBasicCode(basic), null);
  assert.equal(checkBasicCode('ZZ0040001200'), 'type');
  assert.equal(checkBasicCode('XK00400012'), 'format');
  const credit = buildGovernmentCreditCode('330106', '00253001');
  const impl = buildImplementationCode(credit, basic, 1);
  assert.equal(impl.length, 32);
  const parsed = parseImplementationCode(impl, '330106');
  assert.deepEqual(parsed, { creditCode: credit, basicCode: basic, suffix: '01', regionCode: '330106' });
  assert.equal(parseImplementationCode(impl, '330108'), 'region');
  assert.equal(parseImplementationCode(impl.slice(0, 17) + 'Z' + impl.slice(18)), 'credit_code');
});
