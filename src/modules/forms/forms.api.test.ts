import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, type TestApp } from '../../testing/test-app.ts';
import { FIXTURE_ITEMS, FIXTURE_REGIONS } from '../../testing/fixture-items.ts';
import { createItemVersion } from '../catalogue/create-item-version.ts';
import { publishItemVersion } from '../catalogue/publish-item-version.ts';
import { FIXTURE_DRIVING_LICENCE_CODE, FIXTURE_FOOD_LICENCE_CODE, FIXTURE_FORMS, FIXTURE_FORM_SAMPLES } from './fixture-forms.ts';
import { getItemForm } from './get-item-form.ts';
import { validateFormData } from './validate-form-data.ts';
import { requiredSlots } from './material-slots.ts';
import type { MaterialSlot } from './form.types.ts';

let t: TestApp;
const codeOf = async (basicCode: string, regionCode: string) =>
  (await t.ctx.db.selectFrom('impl_items').select('code').where('basic_code', '=', basicCode).where('region_code', '=', regionCode).executeTakeFirstOrThrow()).code;

before(async () => {
  t = await createTestApp(FIXTURE_ITEMS, FIXTURE_REGIONS);
});
after(async () => {
  await t?.close();
});

describe('GET /api/v1/items/:code/form', () => {
  test('the fixture food licence has its form and slots in every region, with a conditional material', async () => {
    const items = await t.ctx.db.selectFrom('impl_items').select('code').where('basic_code', '=', FIXTURE_FOOD_LICENCE_CODE).execute();
    assert.ok(items.length >= 3, 'city and county items');
    const code = await codeOf(FIXTURE_FOOD_LICENCE_CODE, '330106');
    const res = await t.app.inject({ url: `/api/v1/items/${code}/form` });
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /application\/json/);
    const body = res.json() as { itemCode: string; version: number; form: unknown; slots: MaterialSlot[] };
    assert.deepEqual(Object.keys(body).sort(), ['form', 'itemCode', 'slots', 'version']);
    assert.equal(body.itemCode, code);
    assert.equal(body.version, 1);
    assert.deepEqual(body.form, FIXTURE_FORMS[FIXTURE_FOOD_LICENCE_CODE]!.form);
    assert.deepEqual(
      body.slots.map((s) => [s.key, s.label, s.required, s.exemptible, s.condition ?? null]),
      [
        ['m1', '食品经营许可申请书', true, false, null],
        ['m2', '营业执照', true, true, null],
        ['m3', '经营设备布局图和操作流程', false, false, '从事食品制售的提供'],
      ],
    );
    assert.deepEqual(body.slots[2]!.when, { field: 'businessItems', in: ['hot', 'cold'] });
    // the sample data is valid and asks for the conditional material; without 热食/冷食 it does not
    const values = validateFormData(body.form as never, FIXTURE_FORM_SAMPLES[FIXTURE_FOOD_LICENCE_CODE], { regions: t.ctx.regions }).values;
    assert.deepEqual(requiredSlots(body.slots, values), ['m1', 'm2', 'm3']);
    assert.deepEqual(requiredSlots(body.slots, { ...values, businessItems: ['prepackaged'] }), ['m1', 'm2']);
  });

  test('an item without an online form is a 404 naming the code, in Chinese; unknown and malformed codes too', async () => {
    const noForm = await codeOf('GG0180000100', '330000'); // 普通高考成绩查询
    const res = await t.app.inject({ url: `/api/v1/items/${noForm}/form` });
    assert.equal(res.statusCode, 404);
    const err = res.json().error;
    assert.equal(err.code, 'NOT_FOUND');
    assert.equal(err.field, 'code');
    assert.match(err.message, /暂未开通网上申请/);
    const unknown = await t.app.inject({ url: '/api/v1/items/11330106000401066JXK999999990001/form' });
    assert.equal(unknown.statusCode, 404);
    const bad = await t.app.inject({ url: '/api/v1/items/abc!/form' });
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json().error.field, 'code');
  });

  test('a newly published version carries the form, and the API follows the publication', async () => {
    const code = await codeOf(FIXTURE_DRIVING_LICENCE_CODE, '330122');
    assert.equal((await t.app.inject({ url: `/api/v1/items/${code}/form` })).json().version, 1);
    const actor = { type: 'staff' as const, id: 'S-forms' };
    await createItemVersion(t.ctx.db, { code, changes: { summary: '新版' }, changeNote: '修改摘要', actor });
    await publishItemVersion(t.ctx.db, { code, version: 2, actor });
    await t.ctx.catalogue.refresh();
    const res = await t.app.inject({ url: `/api/v1/items/${code}/form` });
    assert.equal(res.json().version, 2);
    assert.deepEqual(res.json().form, FIXTURE_FORMS[FIXTURE_DRIVING_LICENCE_CODE]!.form);
    // the version an application started on stays readable
    const v1 = await t.ctx.db.selectFrom('impl_item_versions').select('id').where('item_code', '=', code).where('version', '=', 1).executeTakeFirstOrThrow();
    const old = await getItemForm(t.ctx.db, code, { versionId: v1.id });
    assert.equal(old.version, 1);
    assert.equal(old.versionId, v1.id);
    await assert.rejects(getItemForm(t.ctx.db, await codeOf(FIXTURE_FOOD_LICENCE_CODE, '330106'), { versionId: v1.id }), { code: 'NOT_FOUND' });
  });
});

describe('GET /assets/forms.js', () => {
  test('the browser bundle: JavaScript, public, cacheable, with an ETag and 304', async () => {
    const res = await t.app.inject({ url: '/assets/forms.js' });
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /^text\/javascript/);
    assert.match(String(res.headers['cache-control']), /public/);
    const etag = String(res.headers.etag);
    assert.match(etag, /^"[\w-]+"$/);
    assert.match(res.body, /form-definition/);
    assert.match(res.body, /的校验位不正确/, 'the shared messages are in the bundle');
    assert.doesNotMatch(res.body, /\brequire\(|node:/, 'no Node imports');
    const again = await t.app.inject({ url: '/assets/forms.js', headers: { 'if-none-match': `W/"x", ${etag}` } });
    assert.equal(again.statusCode, 304);
    assert.equal(again.body, '');
    const changed = await t.app.inject({ url: '/assets/forms.js', headers: { 'if-none-match': '"other"' } });
    assert.equal(changed.statusCode, 200);
  });
});
