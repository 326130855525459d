/** The evaluation rules, without a database: levels, indicators, the 差评 comment counted in characters, and grades. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkEvaluation } from './evaluations.validation.ts';
import { formErrors } from './evaluate.page.ts';
import { gradeOf } from './evaluations.types.ts';

const all = (v: unknown) => ({ overall: v, efficiency: v, guideAccuracy: v, convenience: v, usability: v });

test('grades: 4–5 好评, 3 中评, 1–2 差评', () => {
  assert.deepEqual([5, 4, 3, 2, 1].map(gradeOf), ['good', 'good', 'neutral', 'bad', 'bad']);
});

test('a 差评 needs five characters of reason, counted as people count them', () => {
  assert.ok(checkEvaluation({ level: 2, indicators: all(2), comment: '跑了两趟啊' }).value, 'five Chinese characters');
  assert.equal(checkEvaluation({ level: 1, indicators: all(1), comment: '  太慢了  ' }).errors?.comment?.includes('至少 5 个字'), true);
  assert.equal(checkEvaluation({ level: 1, indicators: all(1), comment: '𠀀𠀀𠀀𠀀' }).errors?.comment !== undefined, true, 'four characters outside the BMP are four, not eight');
  assert.ok(checkEvaluation({ level: 3, indicators: all('3') }).value, 'a 中评 needs none; form strings are accepted');
  assert.equal(checkEvaluation({ level: 5, indicators: all(5), comment: '好'.repeat(501) }).errors?.comment?.includes('500'), true);
});

test('every problem at once, keyed by field; the page maps them to its fields', () => {
  const r = checkEvaluation({ level: '6', indicators: { overall: 5, efficiency: 0, guideAccuracy: '5.5', convenience: null } });
  assert.deepEqual(Object.keys(r.errors ?? {}).sort(), ['indicators.convenience', 'indicators.efficiency', 'indicators.guideAccuracy', 'indicators.usability', 'level']);
  assert.deepEqual(formErrors({ 'indicators.overall': 'a', level: 'b', number: 'c', state: 'd' }), { overall: 'a', level: 'b', '': 'd' });
});
