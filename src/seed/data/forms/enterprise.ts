/**
 * Application forms of the demo's enterprise items (法人办事: 企业开办, 经营许可, 变更, 注销, 用工), keyed by basic
 * code. Each names its item; slots m1, m2 … are the guide's materials in order (src/seed/data/items-enterprise-*.ts).
 */
import type { FieldDef, ItemFormSeed } from '../../../modules/forms/form.types.ts';
import {
  address, contactPhone, date, delivery, eq, handledBy, idNumber, integer, legalRep, multi, number, oneOf, opts, paperLicence, personName, phone,
  select, subjectCreditCode, subjectName, table, text, textarea, yesNo,
} from './fields.ts';

const BUSINESS_SCOPE_HINT = '参照《国民经济行业分类》和经营范围规范表述填写，多项用“；”分隔';

const permitFields = (): FieldDef[] => [
  yesNo('needsPermit', '经营范围是否涉及登记前置许可'),
  text('permitName', '前置许可文件名称及编号', { required: true, when: eq('needsPermit', 'yes'), maxLength: 200 }),
];

const FOOD_FORMATS = opts(['shop', '食品销售经营者'], ['restaurant', '餐饮服务经营者'], ['canteen', '单位食堂']);
const FOOD_ITEMS = opts(
  ['prepackaged', '预包装食品销售（含冷藏冷冻食品）'],
  ['bulk', '散装食品销售（含冷藏冷冻食品）'],
  ['special', '保健食品、特殊医学用途配方食品、婴幼儿配方乳粉销售'],
  ['hot', '热食类食品制售'],
  ['cold', '冷食类食品制售'],
  ['raw', '生食类食品制售'],
  ['pastry', '半成品制售、自制饮品制售'],
);
const foodStaffTable = (): FieldDef =>
  table(
    'staff',
    '从业人员',
    [
      { key: 'name', label: '姓名', type: 'text', required: true, maxLength: 60 },
      { key: 'idNumber', label: '公民身份号码', type: 'resident_id', required: true },
      { key: 'post', label: '岗位', type: 'select', required: true, options: opts(['manager', '食品安全管理'], ['cook', '烹饪加工'], ['service', '销售、服务'], ['purchase', '采购、仓储'], ['other', '其他']) },
      { key: 'healthCertNo', label: '健康证明编号', type: 'text', required: true, maxLength: 40 },
      { key: 'healthCertExpiry', label: '健康证明有效期至', type: 'date', required: true, min: 'today' },
    ],
    { required: true, minRows: 1, maxRows: 100, hint: '接触直接入口食品的从业人员应当取得健康证明' },
  );

export const ENTERPRISE_FORMS: Record<string, ItemFormSeed> = {
  XK0040000600: {
    item: '个体工商户设立登记',
    form: {
      steps: [
        {
          key: 'operator',
          title: '经营者信息',
          fields: [
            personName('operatorName', '经营者姓名', { required: true, prefill: 'person.name' }),
            idNumber('operatorIdNumber', '经营者公民身份号码', { required: true, prefill: 'person.idNumber' }),
            phone('mobile', '联系电话', { required: true, prefill: 'person.mobile' }),
            select('organisationForm', '组成形式', opts(['personal', '个人经营'], ['family', '家庭经营']), { required: true }),
            table(
              'familyMembers',
              '参加经营的家庭成员',
              [
                { key: 'name', label: '姓名', type: 'text', required: true, maxLength: 60 },
                { key: 'idNumber', label: '公民身份号码', type: 'resident_id', required: true },
                { key: 'relation', label: '与经营者关系', type: 'select', required: true, options: opts(['spouse', '配偶'], ['child', '子女'], ['parent', '父母'], ['sibling', '兄弟姐妹'], ['other', '其他家庭成员']) },
              ],
              { required: true, when: eq('organisationForm', 'family'), minRows: 1, maxRows: 10 },
            ),
          ],
        },
        {
          key: 'business',
          title: '名称与经营范围',
          fields: [
            text('tradeName', '个体工商户名称', { hint: '可以不使用名称；使用的，由行政区划＋字号＋行业＋组织形式组成，如“西湖区张记面馆”', maxLength: 50 }),
            select('industry', '行业类别', opts(['catering', '餐饮业'], ['retail', '零售业'], ['resident', '居民服务业'], ['repair', '修理业'], ['tech', '信息技术服务'], ['other', '其他']), { required: true }),
            textarea('businessScope', '经营范围', { required: true, maxLength: 500, hint: BUSINESS_SCOPE_HINT }),
            number('capital', '资金数额', { required: true, unit: '万元', min: 0, max: 100000 }),
            integer('employees', '从业人数', { required: true, unit: '人', min: 1, max: 999 }),
            ...permitFields(),
          ],
        },
        {
          key: 'premises',
          title: '经营场所',
          fields: [
            select('premisesType', '经营场所类型', opts(['own', '自有房产'], ['lease', '租赁房屋'], ['online', '网络经营场所（电子商务经营者）']), { required: true }),
            address('premises', '经营场所', { required: true, when: oneOf('premisesType', 'own', 'lease') }),
            date('leaseEnd', '租赁期限至', { required: true, when: eq('premisesType', 'lease'), min: 'today' }),
            text('onlineUrl', '网店网址', { required: true, when: eq('premisesType', 'online'), maxLength: 200, pattern: 'https?://\\S+', patternMessage: '“网店网址”应以 http:// 或 https:// 开头' }),
            text('platform', '电子商务平台名称', { required: true, when: eq('premisesType', 'online'), maxLength: 50 }),
          ],
        },
      ],
      materialConditions: { m4: eq('organisationForm', 'family'), m5: eq('needsPermit', 'yes') },
    },
  },

  XK0040000100: {
    item: '有限责任公司设立登记',
    form: {
      steps: [
        {
          key: 'company',
          title: '名称与住所',
          fields: [
            text('companyName', '公司名称', { required: true, maxLength: 60, pattern: '.*有限(责任)?公司', patternMessage: '“公司名称”应以“有限公司”或“有限责任公司”结尾', hint: '已通过企业名称自主申报的名称' }),
            address('domicile', '公司住所', { required: true }),
            select('premisesProof', '住所使用证明', opts(['own', '自有房产（共享核验）'], ['lease', '租赁合同'], ['commitment', '住所（经营场所）申报承诺书']), { required: true }),
            phone('companyPhone', '公司联系电话', { required: true }),
          ],
        },
        {
          key: 'capital',
          title: '注册资本与股东',
          fields: [
            number('registeredCapital', '注册资本', { required: true, unit: '万元', min: 0.01, max: 10000000 }),
            table(
              'shareholders',
              '股东（发起人）',
              [
                { key: 'holderType', label: '股东类型', type: 'select', required: true, options: opts(['natural', '自然人'], ['legal', '企业法人或其他组织']) },
                { key: 'name', label: '股东名称或姓名', type: 'text', required: true, maxLength: 100 },
                { key: 'idNumber', label: '公民身份号码', type: 'resident_id', required: true, when: { field: 'holderType', equals: 'natural' } },
                { key: 'creditCode', label: '统一社会信用代码', type: 'credit_code', required: true, when: { field: 'holderType', equals: 'legal' } },
                { key: 'subscribed', label: '认缴出资额', type: 'number', required: true, unit: '万元', min: 0.01 },
                { key: 'method', label: '出资方式', type: 'select', required: true, options: opts(['cash', '货币'], ['kind', '实物'], ['ip', '知识产权'], ['land', '土地使用权'], ['equity', '股权']) },
                { key: 'dueDate', label: '认缴出资期限', type: 'date', required: true, min: 'today', hint: '自公司成立之日起五年内缴足' },
              ],
              { required: true, minRows: 1, maxRows: 50 },
            ),
          ],
        },
        {
          key: 'officers',
          title: '组织机构',
          fields: [
            personName('legalRepName', '法定代表人姓名', { required: true }),
            idNumber('legalRepIdNumber', '法定代表人公民身份号码', { required: true }),
            phone('legalRepMobile', '法定代表人手机号码', { required: true }),
            select('legalRepRole', '法定代表人职务', opts(['chair', '董事长'], ['director', '董事'], ['manager', '经理']), { required: true }),
            select('boardType', '董事会设置', opts(['board', '设董事会'], ['single', '不设董事会，设一名董事']), { required: true }),
            select('supervisorType', '监督机构设置', opts(['board', '设监事会'], ['single', '设一名监事'], ['none', '不设监事（经全体股东一致同意）']), { required: true }),
            personName('supervisorName', '监事姓名', { required: true, when: eq('supervisorType', 'single') }),
            personName('financeOfficer', '财务负责人姓名', { required: true }),
          ],
        },
        {
          key: 'scope',
          title: '经营范围与办理方式',
          fields: [textarea('businessScope', '经营范围', { required: true, maxLength: 1000, hint: BUSINESS_SCOPE_HINT }), ...permitFields(), ...handledBy('法定代表人本人办理')],
        },
      ],
      materialConditions: { m6: eq('needsPermit', 'yes'), m7: eq('handledBy', 'agent') },
    },
  },

  XK0040001000: {
    item: '食品经营许可（新办）',
    form: {
      steps: [
        {
          key: 'subject',
          title: '经营者信息',
          fields: [
            subjectName('经营者名称', { hint: '与营业执照上的名称一致' }),
            subjectCreditCode(),
            legalRep(),
            contactPhone(),
            address('premises', '经营场所', { required: true, hint: '与营业执照上的住所（经营场所）一致' }),
          ],
        },
        {
          key: 'business',
          title: '经营项目',
          fields: [
            select('mainFormat', '主体业态', FOOD_FORMATS, { required: true }),
            multi('businessItems', '经营项目', FOOD_ITEMS, { required: true }),
            number('area', '经营场所面积', { required: true, unit: '平方米', min: 1, max: 100000 }),
            integer('seats', '就餐座位数', { required: true, when: oneOf('mainFormat', 'restaurant', 'canteen'), unit: '个', max: 10000 }),
            yesNo('vending', '是否利用自动设备从事食品经营'),
            integer('vendingCount', '自动设备数量', { required: true, when: eq('vending', 'yes'), unit: '台', min: 1, max: 1000 }),
            text('vendingLocation', '自动设备放置地点', { required: true, when: eq('vending', 'yes'), maxLength: 200 }),
          ],
        },
        {
          key: 'staff',
          title: '食品安全管理与从业人员',
          fields: [
            personName('safetyOfficer', '食品安全总监或食品安全员姓名', { required: true }),
            phone('safetyOfficerPhone', '食品安全员联系电话', { required: true }),
            foodStaffTable(),
            ...handledBy('法定代表人（负责人）本人办理'),
          ],
        },
      ],
      materialConditions: { m5: eq('vending', 'yes'), m7: eq('handledBy', 'agent') },
    },
  },

  XK0040001100: {
    item: '食品经营许可（变更）',
    form: {
      steps: [
        {
          key: 'licence',
          title: '许可证信息',
          fields: [
            subjectName('经营者名称'),
            subjectCreditCode(),
            text('licenceNo', '食品经营许可证编号', { required: true, maxLength: 16, pattern: 'JY\\d{14}', patternMessage: '“食品经营许可证编号”应为 JY 加 14 位数字' }),
            contactPhone(),
          ],
        },
        {
          key: 'change',
          title: '变更事项',
          fields: [
            multi('changeItems', '变更事项', opts(['name', '经营者名称'], ['legalRep', '法定代表人（负责人）'], ['items', '经营项目'], ['warehouse', '仓库地址']), { required: true }),
            text('newName', '变更后的经营者名称', { required: true, when: eq('changeItems', 'name') }),
            personName('newLegalRep', '变更后的法定代表人（负责人）', { required: true, when: eq('changeItems', 'legalRep') }),
            multi('newItems', '变更后的经营项目', FOOD_ITEMS, { required: true, when: eq('changeItems', 'items') }),
            address('warehouse', '变更后的仓库地址', { required: true, when: eq('changeItems', 'warehouse') }),
            textarea('reason', '变更原因', { required: true, maxLength: 500 }),
            ...handledBy('法定代表人（负责人）本人办理'),
          ],
        },
      ],
      materialConditions: { m4: eq('handledBy', 'agent') },
    },
  },

  XK0040002300: {
    item: '有限责任公司变更登记（法定代表人变更）',
    form: {
      steps: [
        {
          key: 'company',
          title: '公司信息',
          fields: [subjectName('公司名称'), subjectCreditCode(), contactPhone()],
        },
        {
          key: 'change',
          title: '法定代表人变更',
          fields: [
            personName('formerRep', '原法定代表人', { required: true, prefill: 'enterprise.legalRepName' }),
            personName('newRepName', '新任法定代表人姓名', { required: true }),
            idNumber('newRepIdNumber', '新任法定代表人公民身份号码', { required: true }),
            phone('newRepMobile', '新任法定代表人手机号码', { required: true, hint: '新任法定代表人须完成实名认证并电子签名' }),
            select('newRepRole', '新任法定代表人职务', opts(['chair', '董事长'], ['director', '董事'], ['manager', '经理']), { required: true }),
            date('resolutionDate', '作出变更决议（决定）的日期', { required: true, max: 'today', hint: '应自决议之日起 30 日内申请' }),
            yesNo('articlesChanged', '公司章程是否随之修改'),
            paperLicence(),
            ...handledBy('法定代表人本人办理'),
          ],
        },
      ],
      materialConditions: { m4: eq('articlesChanged', 'yes'), m5: eq('paperLicence', 'yes'), m6: eq('handledBy', 'agent') },
    },
  },

  XK0040003100: {
    item: '个体工商户变更登记',
    form: {
      steps: [
        {
          key: 'subject',
          title: '个体工商户信息',
          fields: [
            subjectName('个体工商户名称'),
            subjectCreditCode(),
            personName('operatorName', '经营者姓名', { required: true, prefill: 'person.name' }),
            phone('mobile', '联系电话', { required: true, prefill: 'person.mobile' }),
          ],
        },
        {
          key: 'change',
          title: '变更事项',
          fields: [
            multi('changeItems', '变更事项', opts(['name', '名称'], ['premises', '经营场所'], ['scope', '经营范围'], ['operator', '经营者'], ['form', '组成形式']), { required: true }),
            text('newName', '变更后的名称', { required: true, when: eq('changeItems', 'name'), maxLength: 50 }),
            address('newPremises', '变更后的经营场所', { required: true, when: eq('changeItems', 'premises') }),
            textarea('newScope', '变更后的经营范围', { required: true, when: eq('changeItems', 'scope'), maxLength: 500, hint: BUSINESS_SCOPE_HINT }),
            personName('newOperatorName', '新经营者姓名', { required: true, when: eq('changeItems', 'operator') }),
            idNumber('newOperatorIdNumber', '新经营者公民身份号码', { required: true, when: eq('changeItems', 'operator') }),
            select('newForm', '变更后的组成形式', opts(['personal', '个人经营'], ['family', '家庭经营']), { required: true, when: eq('changeItems', 'form') }),
            date('changeDate', '变更发生日期', { required: true, max: 'today' }),
            paperLicence(),
          ],
        },
      ],
      materialConditions: { m3: eq('changeItems', 'premises'), m4: eq('paperLicence', 'yes') },
    },
  },

  XK0040003400: {
    item: '企业简易注销登记',
    form: {
      steps: [
        {
          key: 'company',
          title: '企业信息',
          fields: [
            subjectName('企业名称'),
            subjectCreditCode(),
            select('enterpriseType', '企业类型', opts(['llc', '有限责任公司'], ['sole', '个人独资企业'], ['partnership', '合伙企业'], ['coop', '农民专业合作社'], ['other', '其他']), { required: true }),
            contactPhone(),
          ],
        },
        {
          key: 'declaration',
          title: '公示与承诺',
          fields: [
            date('noticeStart', '简易注销公告起始日期', { required: true, max: 'today', hint: '在国家企业信用信息公示系统公示满 20 日且无异议后申请' }),
            select('noObjection', '公示期内是否收到异议', opts(['no', '未收到异议'], ['yes', '收到异议']), { required: true, hint: '收到异议的不适用简易注销，请改为一般注销' }),
            table(
              'investors',
              '全体投资人',
              [
                { key: 'name', label: '投资人名称或姓名', type: 'text', required: true, maxLength: 100 },
                { key: 'idNumber', label: '证件号码', type: 'text', required: true, maxLength: 30, hint: '公民身份号码或统一社会信用代码' },
                { key: 'phone', label: '联系电话', type: 'phone', required: true },
              ],
              { required: true, minRows: 1, maxRows: 50, hint: '全体投资人须对承诺书电子签名' },
            ),
            paperLicence(),
            ...handledBy('法定代表人（投资人）本人办理'),
          ],
        },
      ],
      materialConditions: { m3: eq('paperLicence', 'yes'), m4: eq('handledBy', 'agent') },
    },
  },

  XK0040003700: {
    item: '个体工商户注销登记',
    form: {
      steps: [
        {
          key: 'subject',
          title: '个体工商户信息',
          fields: [
            subjectName('个体工商户名称'),
            subjectCreditCode(),
            personName('operatorName', '经营者姓名', { required: true, prefill: 'person.name' }),
            idNumber('operatorIdNumber', '经营者公民身份号码', { required: true, prefill: 'person.idNumber' }),
            phone('mobile', '联系电话', { required: true, prefill: 'person.mobile' }),
          ],
        },
        {
          key: 'deregister',
          title: '注销信息',
          fields: [
            select('reason', '注销原因', opts(['closed', '不再经营'], ['convert', '转型为企业'], ['move', '迁出本地'], ['other', '其他']), { required: true }),
            text('reasonOther', '其他注销原因', { required: true, when: eq('reason', 'other'), maxLength: 200 }),
            select('taxStatus', '涉税事项', opts(['cleared', '已结清应缴税款'], ['none', '未领用发票且无欠税（免予办理清税证明）']), { required: true }),
            paperLicence(),
          ],
        },
      ],
      materialConditions: { m3: eq('paperLicence', 'yes') },
    },
  },

  XK0050000300: {
    item: '公共场所卫生许可',
    form: {
      steps: [
        {
          key: 'subject',
          title: '单位信息',
          fields: [subjectName('单位名称'), subjectCreditCode(), legalRep(), contactPhone(), address('premises', '场所地址', { required: true })],
        },
        {
          key: 'venue',
          title: '场所情况',
          fields: [
            select('venueType', '场所类别', opts(['hotel', '宾馆、旅店、招待所'], ['bath', '公共浴室'], ['barber', '理发店'], ['beauty', '美容店'], ['pool', '游泳场（馆）']), { required: true }),
            number('area', '营业面积', { required: true, unit: '平方米', min: 1, max: 1000000 }),
            integer('rooms', '客房数', { required: true, when: eq('venueType', 'hotel'), unit: '间', min: 1, max: 10000 }),
            number('poolArea', '泳池水面面积', { required: true, when: eq('venueType', 'pool'), unit: '平方米', min: 1, max: 100000 }),
            integer('staffCount', '从业人员数', { required: true, unit: '人', min: 1, max: 10000 }),
            personName('hygieneManager', '卫生管理人员姓名', { required: true }),
          ],
        },
        {
          key: 'approach',
          title: '申请方式',
          fields: [
            select('approach', '申请方式', opts(['commitment', '告知承诺（承诺符合卫生要求，当场发证）'], ['report', '提交卫生检测或评价报告']), { required: true }),
            text('reportAgency', '检测机构名称', { required: true, when: eq('approach', 'report'), maxLength: 100 }),
            text('reportNo', '检测报告编号', { required: true, when: eq('approach', 'report'), maxLength: 40 }),
            date('reportDate', '检测日期', { required: true, when: eq('approach', 'report'), max: 'today' }),
          ],
        },
      ],
      materialConditions: { m4: eq('approach', 'report'), m7: eq('approach', 'commitment') },
    },
  },

  QT0040000200: {
    item: '仅销售预包装食品备案',
    form: {
      steps: [
        {
          key: 'subject',
          title: '经营者信息',
          fields: [subjectName('经营者名称'), subjectCreditCode(), legalRep(), contactPhone(), address('premises', '经营场所', { required: true })],
        },
        {
          key: 'sales',
          title: '销售情况',
          fields: [
            multi('salesChannels', '销售方式', opts(['store', '实体门店'], ['online', '网络销售'], ['vending', '自动售货设备']), { required: true }),
            multi('storage', '贮存条件', opts(['ambient', '常温'], ['chilled', '冷藏'], ['frozen', '冷冻']), { required: true }),
            yesNo('special', '是否销售特殊食品', { hint: '保健食品、特殊医学用途配方食品、婴幼儿配方乳粉' }),
            multi('specialTypes', '特殊食品种类', opts(['health', '保健食品'], ['medical', '特殊医学用途配方食品'], ['infant', '婴幼儿配方乳粉']), { required: true, when: eq('special', 'yes') }),
            date('startDate', '开始销售日期', { required: true, hint: '应在开始销售之日起 5 个工作日内备案' }),
          ],
        },
      ],
    },
  },

  XK0040001700: {
    item: '小餐饮店登记',
    form: {
      steps: [
        {
          key: 'subject',
          title: '经营者信息',
          fields: [subjectName('小餐饮店名称'), subjectCreditCode(), legalRep('经营者（负责人）姓名'), contactPhone(), address('premises', '经营场所', { required: true })],
        },
        {
          key: 'premises',
          title: '场所与设施',
          fields: [
            number('area', '经营场所面积', { required: true, unit: '平方米', min: 1, max: 200, hint: '小餐饮店经营场所面积一般不超过 200 平方米' }),
            integer('seats', '就餐座位数', { required: true, unit: '个', max: 200 }),
            multi('foodTypes', '经营品种', opts(['hot', '热食类'], ['cold', '冷食类（不含生食）'], ['drinks', '自制饮品'], ['pastry', '糕点（不含裱花蛋糕）']), { required: true }),
            yesNo('fumeTreatment', '是否已安装油烟净化设施'),
            textarea('fumePlan', '油烟处理计划', { required: true, when: eq('fumeTreatment', 'no'), maxLength: 300 }),
          ],
        },
        {
          key: 'staff',
          title: '从业人员',
          fields: [foodStaffTable()],
        },
      ],
    },
  },

  QT0010000100: {
    item: '公章刻制备案',
    form: {
      steps: [
        {
          key: 'unit',
          title: '单位信息',
          fields: [
            subjectName('单位名称'),
            subjectCreditCode(),
            legalRep(),
            idNumber('legalRepIdNumber', '法定代表人（负责人）公民身份号码', { required: true }),
          ],
        },
        {
          key: 'seals',
          title: '刻制印章',
          fields: [
            table(
              'seals',
              '印章',
              [
                { key: 'sealType', label: '印章种类', type: 'select', required: true, options: opts(['official', '单位公章'], ['finance', '财务专用章'], ['invoice', '发票专用章'], ['contract', '合同专用章'], ['legalRep', '法定代表人名章'], ['other', '其他专用章']) },
                { key: 'otherName', label: '印章名称', type: 'text', required: true, maxLength: 40, when: { field: 'sealType', equals: 'other' } },
                { key: 'material', label: '材质', type: 'select', required: true, options: opts(['copper', '铜质'], ['photosensitive', '光敏'], ['rubber', '橡胶'], ['other', '其他']) },
                { key: 'quantity', label: '数量', type: 'number', integer: true, required: true, min: 1, max: 5, unit: '枚' },
              ],
              { required: true, minRows: 1, maxRows: 10 },
            ),
            text('engraver', '刻章企业名称', { required: true, maxLength: 100, hint: '须具有印章刻制业特种行业许可证' }),
            ...delivery(),
          ],
        },
        {
          key: 'handler',
          title: '经办人',
          fields: [
            personName('handlerName', '经办人姓名', { required: true, prefill: 'person.name' }),
            idNumber('handlerIdNumber', '经办人公民身份号码', { required: true, prefill: 'person.idNumber' }),
            phone('handlerMobile', '经办人联系电话', { required: true, prefill: 'person.mobile' }),
          ],
        },
      ],
    },
  },

  GG0030002300: {
    item: '职工参保登记（增员）',
    form: {
      steps: [
        {
          key: 'unit',
          title: '参保单位',
          fields: [subjectName('单位名称'), subjectCreditCode(), personName('contactName', '经办人', { required: true, prefill: 'person.name' }), contactPhone()],
        },
        {
          key: 'employees',
          title: '增员人员',
          fields: [
            table(
              'employees',
              '增员人员',
              [
                { key: 'name', label: '姓名', type: 'text', required: true, maxLength: 60 },
                { key: 'idType', label: '证件类型', type: 'select', required: true, options: opts(['resident', '居民身份证'], ['permanent', '外国人永久居留身份证'], ['passport', '护照'], ['hmt', '港澳台居民居住证']) },
                { key: 'idNumber', label: '公民身份号码', type: 'resident_id', required: true, when: { field: 'idType', equals: 'resident' } },
                { key: 'otherIdNumber', label: '证件号码', type: 'text', required: true, maxLength: 30, when: { field: 'idType', in: ['permanent', 'passport', 'hmt'] } },
                { key: 'startDate', label: '用工起始日期', type: 'date', required: true },
                { key: 'wage', label: '月缴费工资', type: 'number', required: true, unit: '元', min: 0, max: 1000000 },
              ],
              { required: true, minRows: 1, maxRows: 100, hint: '批量增员超过 100 人的，请分批申报' },
            ),
            yesNo('foreignStaff', '本次增员是否有外国人或港澳台人员'),
            multi('insurances', '参保险种', opts(['pension', '职工基本养老保险'], ['medical', '职工基本医疗保险（含生育保险）'], ['unemployment', '失业保险'], ['injury', '工伤保险']), { required: true }),
          ],
        },
      ],
      materialConditions: { m3: eq('foreignStaff', 'yes') },
    },
  },
};
