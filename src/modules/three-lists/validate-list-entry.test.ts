/** Row-level checks of list entries, per kind (no database). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateListEntry, splitValues, type EntryContext } from './validate-list-entry.ts';

const ctx: EntryContext = {
  departmentName: '杭州市西湖区市场监督管理局',
  departmentKind: 'market_regulation',
  regionLevel: 'county',
  itemKinds: new Map([
    ['330000000001', 'market_regulation'],
    ['330000000002', 'civil_affairs'],
  ]),
};

const power = {
  key: 'XK-330106-004-0001',
  name: '食品经营许可',
  type: 'XK',
  legalBasis: '《食品安全法》第三十五条；《食品经营许可和备案管理办法》',
  responsibilities: ['受理责任', '审查责任'],
  accountability: '不予受理的\n违法许可的',
  itemCodes: ['330000000001'],
};

const fields = (r: { problems: { field: string }[] }) => r.problems.map((p) => p.field);

test('a good power entry is normalised: multi-value text split on ； and new lines, defaults filled', () => {
  const r = validateListEntry('power', power, ctx);
  assert.deepEqual(r.problems, []);
  const e = r.entry as { legalBasis: string[]; accountability: string[]; level: string; powerSource: string; implementingBody: string };
  assert.deepEqual(e.legalBasis, ['《食品安全法》第三十五条', '《食品经营许可和备案管理办法》']);
  assert.deepEqual(e.accountability, ['不予受理的', '违法许可的']);
  assert.equal(e.level, 'county');
  assert.equal(e.powerSource, 'statutory');
  assert.equal(e.implementingBody, ctx.departmentName);
  assert.deepEqual(splitValues(' a；b\r\nc；； '), ['a', 'b', 'c']);
});

test('power: missing legal basis, unknown type, missing 责任清单, bad item codes', () => {
  const r = validateListEntry('power', { ...power, legalBasis: '', type: 'GG', responsibilities: [], accountability: undefined, itemCodes: ['330000000002', '999999999999', 'bad'] }, ctx);
  assert.deepEqual(fields(r).sort(), ['accountability', 'itemCodes.0', 'itemCodes.1', 'itemCodes.2', 'legalBasis', 'responsibilities', 'type'].sort());
  assert.match(r.problems.find((p) => p.field === 'legalBasis')!.message, /设定依据/);
  assert.match(r.problems.find((p) => p.field === 'itemCodes.0')!.message, /不属于本部门/);
  assert.match(r.problems.find((p) => p.field === 'itemCodes.1')!.message, /不存在/);
  // the Chinese type name is accepted; a level other than the department's is not
  assert.equal((validateListEntry('power', { ...power, type: '行政处罚' }, ctx).entry as { type: string }).type, 'CF');
  assert.deepEqual(fields(validateListEntry('power', { ...power, level: 'province' }, ctx)), ['level']);
  assert.deepEqual(fields(validateListEntry('power', { ...power, key: 'bad key!' }, ctx)), ['key']);
});

test('negative: industry code shapes (GB/T 4754), conditions for restricted, authority for approval', () => {
  const base = { key: 'N-2026-001', category: 'approval', industryCodes: ['C', 'C25', 'C251', 'C2511'], projectType: '炼油', description: '新建炼油', authority: '省发展改革委', legalBasis: ['条例'] };
  assert.deepEqual(validateListEntry('negative', base, ctx).problems, []);
  assert.deepEqual(fields(validateListEntry('negative', { ...base, industryCodes: ['C25111', 'Z12', '25', 'C2'] }, ctx)), ['industryCodes.0', 'industryCodes.1', 'industryCodes.2', 'industryCodes.3']);
  assert.deepEqual(fields(validateListEntry('negative', { ...base, authority: '' }, ctx)), ['authority']);
  assert.deepEqual(fields(validateListEntry('negative', { ...base, category: 'restricted', conditions: '' }, ctx)), ['conditions']);
  assert.deepEqual(fields(validateListEntry('negative', { ...base, category: '禁止类', legalBasis: [] }, ctx)), ['legalBasis']);
  assert.deepEqual(fields(validateListEntry('negative', { ...base, category: 'other' }, ctx)), ['category']);
});

test('negative: an industry code must name an existing division of its section letter (as the public checker reads it)', () => {
  const base = { key: 'N-2026-001', category: 'approval', industryCodes: ['C2511'], projectType: '炼油', description: '新建炼油', authority: '省发展改革委', legalBasis: ['条例'] };
  for (const good of ['A', 'A01', 'F52', 'F5211', 'T97', 'T9700', 'S91', 'c25']) assert.deepEqual(validateListEntry('negative', { ...base, industryCodes: [good] }, ctx).problems, [], good);
  const r = validateListEntry('negative', { ...base, industryCodes: ['C25', 'C52', 'A25', 'C99', 'T9999', 'K00'] }, ctx);
  assert.deepEqual(fields(r), ['industryCodes.1', 'industryCodes.2', 'industryCodes.3', 'industryCodes.4', 'industryCodes.5']);
  const msg = (f: string) => r.problems.find((p) => p.field === f)!.message;
  assert.match(msg('industryCodes.1'), /52 大类（零售业）属于门类 F.*应为 F52/);
  assert.match(msg('industryCodes.2'), /属于门类 C/);
  assert.match(msg('industryCodes.3'), /没有 99 大类/);
  assert.match(msg('industryCodes.4'), /没有 99 大类/);
  assert.match(msg('industryCodes.5'), /没有 00 大类/);
});

test('power type and negative category: inherited object names are not accepted', () => {
  for (const bad of ['constructor', 'toString', 'valueOf', '__proto__', 'hasOwnProperty']) {
    assert.deepEqual(fields(validateListEntry('power', { ...power, type: bad }, ctx)), ['type'], bad);
    const negative = { key: 'N-2026-001', category: bad, industryCodes: ['C25'], projectType: '炼油', description: '新建炼油', authority: '省发展改革委', conditions: '条件', legalBasis: ['条例'] };
    assert.deepEqual(fields(validateListEntry('negative', negative, ctx)), ['category'], bad);
  }
});

test('fund: amounts ≥ 0 with two decimals, one amount per year, allocations within the years and the amounts', () => {
  const base = {
    key: 'F-330000-024-001',
    name: '专项资金',
    purpose: '用途',
    rules: '管理办法',
    conditions: '申报条件',
    years: [
      { year: 2024, amount: 100 },
      { year: '2025', amount: '200.5' },
    ],
    allocations: [
      { year: 2024, recipient: '甲公司', amount: 60, date: '2024-06-30' },
      { year: 2024, recipient: '乙公司', amount: '40', date: '2024-07-01' },
    ],
  };
  const ok = validateListEntry('fund', base, ctx);
  assert.deepEqual(ok.problems, []);
  assert.deepEqual((ok.entry as { years: unknown }).years, [
    { year: 2024, amount: 100 },
    { year: 2025, amount: 200.5 },
  ]);
  // inconsistent amounts: 2024 allocations exceed the year's amount
  const over = validateListEntry('fund', { ...base, allocations: [...base.allocations, { year: 2024, recipient: '丙', amount: 0.01, date: '2024-08-01' }] }, ctx);
  assert.deepEqual(fields(over), ['allocations']);
  assert.match(over.problems[0]!.message, /金额不一致.*2024/);
  assert.deepEqual(fields(validateListEntry('fund', { ...base, years: [{ year: 2024, amount: -1 }] }, ctx)).includes('years.0.amount'), true);
  assert.deepEqual(fields(validateListEntry('fund', { ...base, years: [{ year: 2024, amount: 1.234 }], allocations: [] }, ctx)), ['years.0.amount']);
  assert.deepEqual(fields(validateListEntry('fund', { ...base, years: [{ year: 2024, amount: 1 }, { year: 2024, amount: 2 }], allocations: [] }, ctx)), ['years.1.year']);
  assert.deepEqual(fields(validateListEntry('fund', { ...base, allocations: [{ year: 2023, recipient: '甲', amount: 1, date: '2023-02-30' }] }, ctx)), ['allocations.0.year', 'allocations.0.date']);
  assert.deepEqual(fields(validateListEntry('fund', { ...base, years: [] , allocations: []}, ctx)), ['years']);
});
