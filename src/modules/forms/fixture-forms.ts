/**
 * Forms for the test fixture's items (src/testing/fixture-items.ts), by the basic codes the seed gives them.
 * The seed uses them by default wherever code and item name match, so `createTestApp(FIXTURE_ITEMS, …)` has:
 *
 * - 食品经营许可（新办） (basic code XK0040000100; in every fixture region at city and county level): three
 *   steps; prefill from the enterprise; a table `staff` (从业人员, at least one row, with a resident ID column
 *   and a column shown only for one post); a conditional field `seats` (shown and required only when
 *   `mainFormat` is 'restaurant' or 'canteen'); a conditional material m3 (经营设备布局图和操作流程, required
 *   when `businessItems` includes 'hot' or 'cold'); an address `premises`.
 * - 机动车驾驶证期满换证 (QT0010000100): two steps, all prefilled from the person but the licence; a mailing
 *   address required only when `delivery` is 'post'.
 *
 * FIXTURE_FORM_SAMPLES holds valid data for each (a test can post it, or change one field to see it refused).
 */
import type { FormDefinition, ItemFormSeed } from './form.types.ts';

export const FIXTURE_FOOD_LICENCE_CODE = 'XK0040000100';
export const FIXTURE_DRIVING_LICENCE_CODE = 'QT0010000100';

const FOOD_LICENCE: FormDefinition = {
  steps: [
    {
      key: 'subject',
      title: '经营者信息',
      fields: [
        { key: 'subjectName', label: '经营者名称', type: 'text', required: true, prefill: 'subject.name', maxLength: 100 },
        { key: 'creditCode', label: '统一社会信用代码', type: 'credit_code', required: true, prefill: 'enterprise.creditCode' },
        { key: 'legalRepName', label: '法定代表人（负责人）姓名', type: 'text', required: true, prefill: 'enterprise.legalRepName', maxLength: 60 },
        { key: 'contactPhone', label: '联系电话', type: 'phone', required: true, prefill: 'person.mobile' },
        { key: 'premises', label: '经营场所', type: 'address', required: true },
      ],
    },
    {
      key: 'business',
      title: '经营项目',
      fields: [
        {
          key: 'mainFormat',
          label: '主体业态',
          type: 'select',
          required: true,
          options: [
            { value: 'shop', label: '食品销售经营者' },
            { value: 'restaurant', label: '餐饮服务经营者' },
            { value: 'canteen', label: '单位食堂' },
          ],
        },
        {
          key: 'businessItems',
          label: '经营项目',
          type: 'multiselect',
          required: true,
          options: [
            { value: 'prepackaged', label: '预包装食品销售' },
            { value: 'bulk', label: '散装食品销售' },
            { value: 'hot', label: '热食类食品制售' },
            { value: 'cold', label: '冷食类食品制售' },
          ],
        },
        { key: 'area', label: '经营场所面积', type: 'number', required: true, unit: '平方米', min: 1, max: 100000 },
        { key: 'seats', label: '就餐座位数', type: 'number', integer: true, required: true, unit: '个', min: 0, max: 10000, when: { field: 'mainFormat', in: ['restaurant', 'canteen'] } },
        { key: 'openingDate', label: '计划开业日期', type: 'date', min: 'today' },
      ],
    },
    {
      key: 'staff',
      title: '从业人员',
      fields: [
        { key: 'safetyOfficer', label: '食品安全员姓名', type: 'text', required: true, maxLength: 60 },
        {
          key: 'staff',
          label: '从业人员',
          type: 'table',
          required: true,
          minRows: 1,
          maxRows: 20,
          columns: [
            { key: 'name', label: '姓名', type: 'text', required: true, maxLength: 60 },
            { key: 'idNumber', label: '公民身份号码', type: 'resident_id', required: true },
            {
              key: 'post',
              label: '岗位',
              type: 'select',
              required: true,
              options: [
                { value: 'cook', label: '烹饪加工' },
                { value: 'service', label: '销售、服务' },
                { value: 'other', label: '其他' },
              ],
            },
            { key: 'postOther', label: '其他岗位名称', type: 'text', required: true, maxLength: 30, when: { field: 'post', equals: 'other' } },
            { key: 'healthCertNo', label: '健康证明编号', type: 'text', required: true, maxLength: 40 },
          ],
        },
      ],
    },
  ],
  materialConditions: { m3: { field: 'businessItems', in: ['hot', 'cold'] } },
};

const DRIVING_LICENCE: FormDefinition = {
  steps: [
    {
      key: 'applicant',
      title: '申请人与驾驶证',
      fields: [
        { key: 'applicantName', label: '申请人姓名', type: 'text', required: true, prefill: 'person.name', maxLength: 60 },
        { key: 'applicantIdNumber', label: '公民身份号码', type: 'resident_id', required: true, prefill: 'person.idNumber' },
        { key: 'mobile', label: '联系电话', type: 'phone', required: true, prefill: 'person.mobile' },
        { key: 'archiveNo', label: '驾驶证档案编号', type: 'text', required: true, maxLength: 12, pattern: '\\d{12}', patternMessage: '“驾驶证档案编号”应为 12 位数字' },
        { key: 'expiryDate', label: '驾驶证有效期至', type: 'date', required: true },
      ],
    },
    {
      key: 'delivery',
      title: '领取方式',
      fields: [
        {
          key: 'delivery',
          label: '领取方式',
          type: 'select',
          required: true,
          options: [
            { value: 'window', label: '窗口领取' },
            { value: 'post', label: '免费邮寄' },
          ],
        },
        { key: 'mailAddress', label: '邮寄地址', type: 'address', required: true, when: { field: 'delivery', equals: 'post' } },
      ],
    },
  ],
};

export const FIXTURE_FORMS: Record<string, ItemFormSeed> = {
  [FIXTURE_FOOD_LICENCE_CODE]: { item: '食品经营许可（新办）', form: FOOD_LICENCE },
  [FIXTURE_DRIVING_LICENCE_CODE]: { item: '机动车驾驶证期满换证', form: DRIVING_LICENCE },
};

/**
 * Valid data for the fixture forms (as JSON would send it; posted HTML gives strings, which validate the same).
 * The food licence sample needs material slots m1 and m3 (m2 is exemptible but still required for now: m1, m2, m3).
 */
export const FIXTURE_FORM_SAMPLES: Record<string, Record<string, unknown>> = {
  [FIXTURE_FOOD_LICENCE_CODE]: {
    subjectName: '杭州西湖味道餐饮有限公司',
    creditCode: '91330106MA2B3C4D5D',
    legalRepName: '王芳',
    contactPhone: '13800000001',
    premises: { regionCode: '330106', detail: '文三路 100 号 1 楼' },
    mainFormat: 'restaurant',
    businessItems: ['hot', 'prepackaged'],
    area: 85.5,
    seats: 40,
    safetyOfficer: '李建国',
    staff: [
      { name: '张三', idNumber: '11010519491231002X', post: 'cook', healthCertNo: 'JK2026001' },
      { name: '李四', idNumber: '440524188001010014', post: 'other', postOther: '洗消', healthCertNo: 'JK2026002' },
    ],
  },
  [FIXTURE_DRIVING_LICENCE_CODE]: {
    applicantName: '王芳',
    applicantIdNumber: '330106199003071527',
    mobile: '13800000001',
    archiveNo: '330100123456',
    expiryDate: '2026-12-31',
    delivery: 'window',
  },
};
