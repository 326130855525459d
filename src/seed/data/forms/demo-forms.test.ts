import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO_ITEMS } from '../index.ts';
import { DEMO_FORMS } from './index.ts';
import { assignBasicCodes, seedCatalogue } from '../../seed-catalogue.ts';
import { checkFormDefinition } from '../../../modules/forms/check-form-definition.ts';
import { conditionFields } from '../../../modules/forms/conditions.ts';
import { ONLINE_HANDLEABLE_MIN_DEPTH } from '../../../modules/catalogue/catalogue.types.ts';
import type { FieldDef, FormDefinition } from '../../../modules/forms/form.types.ts';
import { createTestDatabase } from '../../../testing/test-db.ts';
import { FIXTURE_ITEMS, FIXTURE_REGIONS } from '../../../testing/fixture-items.ts';
import { FIXTURE_FOOD_LICENCE_CODE, FIXTURE_FORMS } from '../../../modules/forms/fixture-forms.ts';

const byCode = new Map(assignBasicCodes(DEMO_ITEMS).map((b) => [b.code, b.seed]));
const entries = Object.entries(DEMO_FORMS);
const fieldsOf = (f: FormDefinition): FieldDef[] => f.steps.flatMap((s) => s.fields);

describe('the demo forms', () => {
  test('at least 30 forms, each for an online-handleable demo item of that code and name', () => {
    assert.ok(entries.length >= 30, `${entries.length} forms`);
    for (const [code, e] of entries) {
      const seed = byCode.get(code);
      assert.ok(seed, `${code} is a demo basic code`);
      assert.equal(seed.name, e.item, `${code} is ${seed.name}`);
      assert.ok(seed.onlineDepth >= ONLINE_HANDLEABLE_MIN_DEPTH, `${e.item} can be applied for online`);
    }
  });

  test('each form is well-formed against its item’s materials, in 2–4 steps', () => {
    for (const [code, e] of entries) {
      const seed = byCode.get(code)!;
      const slotKeys = seed.materials.map((_, i) => `m${i + 1}`);
      assert.deepEqual(checkFormDefinition(e.form, { slotKeys }), [], e.item);
      assert.ok(e.form.steps.length >= 2 && e.form.steps.length <= 4, `${e.item}: ${e.form.steps.length} steps`);
      const keys = fieldsOf(e.form).map((f) => f.key);
      assert.equal(new Set(keys).size, keys.length, `${e.item}: keys unique`);
      for (const [slot, c] of Object.entries(e.form.materialConditions ?? {})) {
        const m = seed.materials[Number(slot.slice(1)) - 1]!;
        assert.notEqual(m.required, true, `${e.item}: ${slot} (${m.name}) is conditional in the guide`);
        for (const k of conditionFields(c)) assert.ok(keys.includes(k), `${e.item}: ${slot} reads ${k}`);
      }
    }
  });

  test('the forms use what the platform offers: prefill, conditions, tables, addresses, conditional materials', () => {
    const count = (p: (f: FieldDef) => boolean) => entries.filter(([, e]) => fieldsOf(e.form).some(p)).length;
    assert.ok(count((f) => !!f.prefill) >= 30, 'prefilled');
    assert.ok(count((f) => !!f.when) >= 25, 'conditional fields');
    assert.ok(count((f) => f.type === 'table') >= 10, 'tables');
    assert.ok(count((f) => f.type === 'address') >= 20, 'addresses');
    assert.ok(count((f) => f.type === 'multiselect') >= 8, 'multiselects');
    assert.ok(entries.filter(([, e]) => Object.keys(e.form.materialConditions ?? {}).length).length >= 20, 'conditional materials tied to fields');
    // the services the issue names
    const names = new Set(entries.map(([, e]) => e.item));
    for (const name of ['食品经营许可（新办）', '个体工商户设立登记', '出生登记', '购买自住住房提取住房公积金', '基本医疗保险参保人员异地就医备案', '居住证申领']) {
      assert.ok(names.has(name), name);
    }
  });
});

describe('seeding forms', () => {
  test('the seed writes each demo form on every implementation item of its basic item, and no other', async () => {
    const database = await createTestDatabase();
    try {
      await seedCatalogue(database.db, { items: DEMO_ITEMS, regionCodes: ['330106'] });
      const rows = await database.db
        .selectFrom('impl_items as i')
        .innerJoin('impl_item_versions as v', (j) => j.onRef('v.item_code', '=', 'i.code').onRef('v.version', '=', 'i.published_version'))
        .select(['i.basic_code', 'v.form'])
        .execute();
      const withForm = rows.filter((r) => r.form !== null);
      assert.ok(withForm.length >= 30, `${withForm.length} items with a form`);
      for (const r of rows) {
        const expected = DEMO_FORMS[r.basic_code]?.form ?? null;
        assert.deepEqual(r.form, expected, r.basic_code);
      }
    } finally {
      await database.close();
    }
  });

  test('a forms map may be given; a form for another item, or a broken one, fails the seed and writes nothing', async () => {
    const database = await createTestDatabase();
    try {
      const food = FIXTURE_FORMS[FIXTURE_FOOD_LICENCE_CODE]!;
      await assert.rejects(
        seedCatalogue(database.db, { items: FIXTURE_ITEMS, regionCodes: FIXTURE_REGIONS, forms: { QR0020000100: food } }),
        /属于“食品经营许可（新办）”/,
      );
      const broken = { ...food, form: { ...food.form, materialConditions: { m9: { field: 'mainFormat', equals: 'shop' } } } };
      await assert.rejects(seedCatalogue(database.db, { items: FIXTURE_ITEMS, regionCodes: FIXTURE_REGIONS, forms: { [FIXTURE_FOOD_LICENCE_CODE]: broken } }), /不存在的材料“m9”/);
      const n = await database.db.selectFrom('impl_items').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      assert.equal(Number(n.n), 0);
      await seedCatalogue(database.db, { items: FIXTURE_ITEMS, regionCodes: FIXTURE_REGIONS, forms: {} });
      const none = await database.db.selectFrom('impl_item_versions').select('id').where('form', 'is not', null).execute();
      assert.equal(none.length, 0, 'an empty map: no forms');
    } finally {
      await database.close();
    }
  });
});
