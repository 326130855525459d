/**
 * Application forms of the demo's items for people (个人办事: 生育, 户籍, 教育, 社保, 医保, 公积金, 救助), keyed by
 * basic code. Each names its item; slots m1, m2 … are the guide's materials in order (src/seed/data/items-people-*.ts).
 */
import type { FieldDef, ItemFormSeed } from '../../../modules/forms/form.types.ts';
import {
  address, applicant, applicantMobile, bankAccount, creditCode, date, delivery, eq, EDUCATION, handledBy, idNumber,
  INSURANCE_TYPES, integer, MARITAL, multi, number, oneOf, opts, personName, phone, RELATIONS, select, SEX, table, text, textarea, yesNo,
} from './fields.ts';

const birthCertNo = (key = 'birthCertNo'): FieldDef =>
  text(key, '出生医学证明编号', { required: true, maxLength: 10, pattern: '[A-Z]\\d{9}', patternMessage: '“出生医学证明编号”应为 1 位大写字母加 9 位数字，如 Q330123456' });
const fundAccount = (): FieldDef => text('fundAccount', '住房公积金个人账号', { required: true, maxLength: 20, pattern: '\\d{8,20}', patternMessage: '“住房公积金个人账号”应为 8 至 20 位数字' });
const hukouAddress = (): FieldDef => text('hukouAddress', '户籍地址', { required: true, maxLength: 120, hint: '居民户口簿上的住址' });

const baby = (): FieldDef[] => [
  personName('babyName', '新生儿姓名', { required: true, hint: '姓名一经登记，变更须另行申请' }),
  select('babySex', '性别', SEX, { required: true }),
  date('birthDate', '出生日期', { required: true, max: 'today' }),
  birthCertNo(),
  text('hospital', '出生医院（助产机构）', { required: true, maxLength: 100 }),
];

const parents = (): FieldDef[] => [
  personName('fatherName', '父亲姓名', { required: true }),
  idNumber('fatherIdNumber', '父亲公民身份号码', { required: true }),
  personName('motherName', '母亲姓名', { required: true }),
  idNumber('motherIdNumber', '母亲公民身份号码', { required: true }),
  yesNo('parentsMarried', '父母是否已办理结婚登记'),
  select('householdOf', '申报户口', opts(['father', '随父亲落户'], ['mother', '随母亲落户']), { required: true }),
];

const children = (label: string, o: Partial<FieldDef> = {}): FieldDef =>
  table(
    'children',
    label,
    [
      { key: 'name', label: '姓名', type: 'text', required: true, maxLength: 60 },
      { key: 'idNumber', label: '公民身份号码', type: 'resident_id', required: true },
      { key: 'birthDate', label: '出生日期', type: 'date', required: true, max: 'today' },
    ],
    { maxRows: 10, ...o },
  );

const familyMembers = (label: string, o: Partial<FieldDef> = {}, extra: FieldDef[] = []): FieldDef =>
  table(
    'members',
    label,
    [
      { key: 'name', label: '姓名', type: 'text', required: true, maxLength: 60 },
      { key: 'idNumber', label: '公民身份号码', type: 'resident_id', required: true },
      { key: 'relation', label: '与申请人关系', type: 'select', required: true, options: RELATIONS },
      ...extra,
    ],
    { maxRows: 15, ...o },
  );

const SCHOOL_STAGE = opts(['primary', '小学一年级'], ['junior', '初中一年级']);
const GUARDIAN_RELATION = opts(['father', '父亲'], ['mother', '母亲'], ['guardian', '其他法定监护人']);
const HOUSING = opts(['own', '自有住房'], ['rent', '租赁住房']);

export const PEOPLE_FORMS: Record<string, ItemFormSeed> = {
  QR0010000100: {
    item: '出生登记',
    form: {
      steps: [
        { key: 'baby', title: '新生儿信息', fields: [...baby(), select('birthPlace', '出生地', opts(['province', '浙江省内'], ['other', '浙江省外']), { required: true })] },
        { key: 'parents', title: '父母信息', fields: parents() },
        {
          key: 'declarant',
          title: '申报人',
          fields: [
            select('declarantRelation', '申报人与新生儿关系', opts(['father', '父亲'], ['mother', '母亲'], ['other', '其他亲属或抚养人（受委托）']), { required: true }),
            personName('declarantName', '申报人姓名', { required: true, prefill: 'person.name' }),
            idNumber('declarantIdNumber', '申报人公民身份号码', { required: true, prefill: 'person.idNumber' }),
            phone('declarantMobile', '申报人联系电话', { required: true, prefill: 'person.mobile' }),
          ],
        },
      ],
      materialConditions: { m4: eq('parentsMarried', 'yes'), m5: eq('declarantRelation', 'other') },
    },
  },

  GG0050000600: {
    item: '新生儿出生一件事',
    form: {
      steps: [
        { key: 'baby', title: '新生儿信息', fields: baby() },
        { key: 'parents', title: '父母信息', fields: [...parents(), phone('mobile', '联系电话', { required: true, prefill: 'person.mobile' })] },
        {
          key: 'services',
          title: '联办事项',
          fields: [
            multi(
              'services',
              '一并办理的事项',
              opts(['certificate', '出生医学证明'], ['vaccination', '预防接种证'], ['hukou', '出生登记（户口）'], ['medical', '城乡居民医保参保登记'], ['card', '社会保障卡申领']),
              { required: true, hint: '出生登记须与出生医学证明同时或在其之后办理' },
            ),
            select('cardBank', '社会保障卡合作银行', opts(['icbc', '中国工商银行'], ['abc', '中国农业银行'], ['boc', '中国银行'], ['ccb', '中国建设银行'], ['rcb', '农商银行']), { required: true, when: eq('services', 'card') }),
            ...delivery(),
          ],
        },
      ],
      materialConditions: { m5: eq('parentsMarried', 'yes') },
    },
  },

  GF0050000100: {
    item: '育儿补贴申领',
    form: {
      steps: [
        { key: 'applicant', title: '申领人', fields: [...applicant(), select('relation', '与婴幼儿关系', GUARDIAN_RELATION, { required: true })] },
        { key: 'children', title: '婴幼儿信息', fields: [children('申领补贴的婴幼儿', { required: true, minRows: 1, maxRows: 5, hint: '未满 3 周岁的子女，每孩每年 3600 元' })] },
        { key: 'bank', title: '收款账户', fields: bankAccount() },
      ],
    },
  },

  GG0050000400: {
    item: '生育登记',
    form: {
      steps: [
        {
          key: 'couple',
          title: '夫妻双方',
          fields: [
            ...applicant(),
            select('selfRole', '申请人是', opts(['husband', '丈夫'], ['wife', '妻子']), { required: true }),
            personName('spouseName', '配偶姓名', { required: true }),
            idNumber('spouseIdNumber', '配偶公民身份号码', { required: true }),
            date('marriageDate', '结婚登记日期', { max: 'today' }),
          ],
        },
        {
          key: 'child',
          title: '生育情况',
          fields: [
            select('status', '目前情况', opts(['pregnant', '已怀孕'], ['born', '已生育']), { required: true }),
            date('dueDate', '预产期', { required: true, when: eq('status', 'pregnant'), min: 'today' }),
            date('birthDate', '出生日期', { required: true, when: eq('status', 'born'), max: 'today' }),
            integer('childOrder', '本次为第几孩', { required: true, min: 1, max: 10 }),
            children('现有子女'),
          ],
        },
      ],
    },
  },

  GG0110000100: {
    item: '义务教育入学报名',
    form: {
      steps: [
        {
          key: 'child',
          title: '学生信息',
          fields: [
            personName('childName', '学生姓名', { required: true }),
            idNumber('childIdNumber', '学生公民身份号码', { required: true }),
            select('childSex', '性别', SEX, { required: true }),
            select('stage', '报名学段', SCHOOL_STAGE, { required: true }),
            text('kindergarten', '就读幼儿园', { when: eq('stage', 'primary'), maxLength: 100 }),
            text('primarySchool', '毕业小学', { required: true, when: eq('stage', 'junior'), maxLength: 100 }),
          ],
        },
        {
          key: 'guardian',
          title: '监护人',
          fields: [
            personName('guardianName', '监护人姓名', { required: true, prefill: 'person.name' }),
            idNumber('guardianIdNumber', '监护人公民身份号码', { required: true, prefill: 'person.idNumber' }),
            select('guardianRelation', '与学生关系', GUARDIAN_RELATION, { required: true }),
            phone('mobile', '联系电话', { required: true, prefill: 'person.mobile' }),
          ],
        },
        {
          key: 'housing',
          title: '户籍与住房',
          fields: [
            select('housingType', '住房情况', opts(['own', '自有住房'], ['rent', '租赁住房（已登记备案）'], ['collective', '单位集体户或宿舍']), { required: true }),
            address('homeAddress', '实际居住地址', { required: true }),
            text('propertyCertNo', '不动产权证书号', { required: true, when: eq('housingType', 'own'), maxLength: 40 }),
            text('leaseRegNo', '房屋租赁登记备案编号', { required: true, when: eq('housingType', 'rent'), maxLength: 40 }),
            yesNo('sameAddress', '学生户籍是否在该住房'),
          ],
        },
      ],
    },
  },

  GG0110000200: {
    item: '进城务工人员随迁子女义务教育入学申请',
    form: {
      steps: [
        {
          key: 'child',
          title: '学生信息',
          fields: [
            personName('childName', '学生姓名', { required: true }),
            idNumber('childIdNumber', '学生公民身份号码', { required: true }),
            select('stage', '报名学段', SCHOOL_STAGE, { required: true }),
            hukouAddress(),
          ],
        },
        {
          key: 'guardian',
          title: '父母或监护人',
          fields: [
            personName('guardianName', '监护人姓名', { required: true, prefill: 'person.name' }),
            idNumber('guardianIdNumber', '监护人公民身份号码', { required: true, prefill: 'person.idNumber' }),
            phone('mobile', '联系电话', { required: true, prefill: 'person.mobile' }),
            text('residencePermitNo', '浙江省居住证编号', { required: true, maxLength: 30 }),
            select('employment', '就业情况', opts(['employed', '单位就业'], ['self', '个体经营或灵活就业']), { required: true }),
            text('employer', '工作单位', { required: true, when: eq('employment', 'employed'), maxLength: 100 }),
            integer('insuranceMonths', '在本地连续缴纳社会保险月数', { required: true, unit: '个月', max: 600 }),
          ],
        },
        {
          key: 'housing',
          title: '居住情况',
          fields: [
            select('housingType', '住房情况', HOUSING, { required: true }),
            address('homeAddress', '实际居住地址', { required: true }),
            text('leaseRegNo', '房屋租赁登记备案编号', { required: true, when: eq('housingType', 'rent'), maxLength: 40 }),
          ],
        },
      ],
    },
  },

  GG0170000100: {
    item: '购买自住住房提取住房公积金',
    form: {
      steps: [
        { key: 'applicant', title: '申请人', fields: [...applicant(), fundAccount()] },
        {
          key: 'house',
          title: '购房信息',
          fields: [
            select('purchaseType', '购房类型', opts(['new', '新建商品房'], ['resale', '存量房（二手房）'], ['build', '建造、翻建、大修自住住房']), { required: true }),
            text('contractNo', '购房合同网签备案编号', { required: true, when: oneOf('purchaseType', 'new', 'resale'), maxLength: 40 }),
            address('houseAddress', '房屋坐落', { required: true }),
            date('purchaseDate', '购房（契税完税）日期', { required: true, max: 'today' }),
            number('totalPrice', '购房总价', { required: true, unit: '万元', min: 0.01, max: 100000 }),
            yesNo('hasCertificate', '是否已取得不动产权证书'),
            text('certificateNo', '不动产权证书号', { required: true, when: eq('hasCertificate', 'yes'), maxLength: 40 }),
          ],
        },
        {
          key: 'withdraw',
          title: '提取与收款',
          fields: [
            yesNo('includeSpouse', '是否同时提取配偶的住房公积金'),
            personName('spouseName', '配偶姓名', { required: true, when: eq('includeSpouse', 'yes') }),
            idNumber('spouseIdNumber', '配偶公民身份号码', { required: true, when: eq('includeSpouse', 'yes') }),
            number('amount', '申请提取金额', { required: true, unit: '元', min: 1, max: 10000000, hint: '提取总额不超过购房款' }),
            ...bankAccount(),
          ],
        },
      ],
      materialConditions: { m4: eq('hasCertificate', 'yes'), m5: eq('includeSpouse', 'yes') },
    },
  },

  GG0170000200: {
    item: '租赁住房提取住房公积金',
    form: {
      steps: [
        { key: 'applicant', title: '申请人', fields: [...applicant(), fundAccount(), select('maritalStatus', '婚姻状况', MARITAL, { required: true })] },
        {
          key: 'rent',
          title: '租房情况',
          fields: [
            address('rentAddress', '租住房屋地址', { required: true }),
            select('mode', '提取方式', opts(['limit', '按当地限额提取（无需提供租赁合同）'], ['actual', '按实际房租提取（超过限额）']), { required: true }),
            number('monthlyRent', '月租金', { required: true, when: eq('mode', 'actual'), unit: '元', min: 1, max: 1000000 }),
            date('leaseStart', '租赁起始日期', { required: true, when: eq('mode', 'actual') }),
            date('leaseEnd', '租赁截止日期', { required: true, when: eq('mode', 'actual') }),
            text('leaseRegNo', '租赁合同登记备案编号', { when: eq('mode', 'actual'), maxLength: 40, hint: '已登记备案的填写，可免交合同' }),
          ],
        },
        { key: 'bank', title: '收款账户', fields: bankAccount() },
      ],
      materialConditions: { m3: eq('mode', 'actual'), m4: eq('maritalStatus', 'married') },
    },
  },

  GG0170000300: {
    item: '偿还住房贷款本息提取住房公积金',
    form: {
      steps: [
        { key: 'applicant', title: '申请人', fields: [...applicant(), fundAccount()] },
        {
          key: 'loan',
          title: '贷款信息',
          fields: [
            select('loanType', '贷款类型', opts(['fund', '住房公积金贷款'], ['commercial', '商业性个人住房贷款'], ['combo', '组合贷款']), { required: true }),
            text('lender', '贷款银行', { required: true, when: oneOf('loanType', 'commercial', 'combo'), maxLength: 60 }),
            text('loanContractNo', '借款合同编号', { required: true, maxLength: 40 }),
            select('borrower', '借款人', opts(['self', '本人'], ['spouse', '配偶']), { required: true }),
            date('loanStart', '贷款发放日期', { required: true, max: 'today' }),
            number('monthlyPayment', '月还款额', { required: true, unit: '元', min: 1, max: 1000000 }),
            address('houseAddress', '房屋坐落', { required: true }),
          ],
        },
        {
          key: 'withdraw',
          title: '提取与收款',
          fields: [
            yesNo('includeSpouse', '是否同时提取配偶的住房公积金'),
            personName('spouseName', '配偶姓名', { required: true, when: { any: [eq('includeSpouse', 'yes'), eq('borrower', 'spouse')] } }),
            idNumber('spouseIdNumber', '配偶公民身份号码', { required: true, when: { any: [eq('includeSpouse', 'yes'), eq('borrower', 'spouse')] } }),
            ...bankAccount(),
          ],
        },
      ],
      materialConditions: { m3: oneOf('loanType', 'commercial', 'combo'), m4: { any: [eq('includeSpouse', 'yes'), eq('borrower', 'spouse')] } },
    },
  },

  GG0060000300: {
    item: '基本医疗保险参保人员异地就医备案',
    form: {
      steps: [
        { key: 'insured', title: '参保人', fields: [...applicant(), select('insuranceType', '参保险种', INSURANCE_TYPES, { required: true })] },
        {
          key: 'filing',
          title: '备案信息',
          fields: [
            select('filingType', '备案类型', opts(['long_term', '异地长期居住（含异地安置退休）'], ['work', '常驻异地工作'], ['referral', '异地转诊就医'], ['temporary', '临时外出就医']), { required: true }),
            text('destination', '就医地', { required: true, maxLength: 60, hint: '省、市，如“上海市”“安徽省合肥市”' }),
            select('residenceProof', '异地居住证明', opts(['hukou', '就医地户口簿'], ['permit', '就医地居住证'], ['commitment', '个人承诺书']), { required: true, when: eq('filingType', 'long_term') }),
            text('referralHospital', '转入医院', { required: true, when: eq('filingType', 'referral'), maxLength: 100 }),
            date('startDate', '备案开始日期', { required: true }),
            date('endDate', '备案结束日期', { required: true, when: oneOf('filingType', 'referral', 'temporary'), min: 'today' }),
            address('localAddress', '参保地联系地址', { required: true }),
          ],
        },
      ],
      materialConditions: { m3: eq('filingType', 'referral') },
    },
  },

  GG0060000200: {
    item: '城乡居民基本医疗保险参保登记',
    form: {
      steps: [
        {
          key: 'insured',
          title: '参保人',
          fields: [
            personName('insuredName', '参保人姓名', { required: true, prefill: 'person.name', hint: '为家人参保的，请改为家人的信息' }),
            idNumber('insuredIdNumber', '参保人公民身份号码', { required: true, prefill: 'person.idNumber' }),
            applicantMobile(),
            select('personType', '人员类别', opts(['student', '在校学生'], ['minor', '未成年人（非在校）'], ['elderly', '老年居民'], ['other', '其他城乡居民']), { required: true }),
            text('school', '就读学校', { required: true, when: eq('personType', 'student'), maxLength: 100 }),
            yesNo('localHukou', '是否本地户籍'),
            text('residencePermitNo', '居住证编号', { required: true, when: eq('localHukou', 'no'), maxLength: 30 }),
          ],
        },
        {
          key: 'payment',
          title: '缴费方式',
          fields: [
            select('payMethod', '缴费方式', opts(['withhold', '银行代扣'], ['online', '线上自助缴费']), { required: true }),
            text('withholdAccount', '代扣账号', { required: true, when: eq('payMethod', 'withhold'), maxLength: 19, pattern: '\\d{12,19}', patternMessage: '“代扣账号”应为 12 至 19 位数字' }),
          ],
        },
      ],
      materialConditions: { m3: eq('localHukou', 'no') },
    },
  },

  GG0060000400: {
    item: '基本医疗保险参保人员医疗费用手工（零星）报销',
    form: {
      steps: [
        { key: 'insured', title: '参保人', fields: [...applicant(), select('insuranceType', '参保险种', INSURANCE_TYPES, { required: true })] },
        {
          key: 'treatment',
          title: '就医信息',
          fields: [
            select('treatmentType', '就医类型', opts(['inpatient', '住院'], ['outpatient', '门诊（含急诊）']), { required: true }),
            text('hospital', '就医医院', { required: true, maxLength: 100 }),
            select('reason', '未直接结算的原因', opts(['emergency', '急诊抢救'], ['unfiled', '异地就医未备案'], ['system', '医院系统故障'], ['other', '其他']), { required: true }),
            text('reasonOther', '其他原因', { required: true, when: eq('reason', 'other'), maxLength: 200 }),
            date('admissionDate', '入院日期', { required: true, when: eq('treatmentType', 'inpatient'), max: 'today' }),
            date('dischargeDate', '出院日期', { required: true, when: eq('treatmentType', 'inpatient'), max: 'today' }),
            table(
              'invoices',
              '医疗费用票据',
              [
                { key: 'invoiceNo', label: '票据号码', type: 'text', required: true, maxLength: 30 },
                { key: 'date', label: '开票日期', type: 'date', required: true, max: 'today' },
                { key: 'amount', label: '金额', type: 'number', required: true, unit: '元', min: 0.01, max: 10000000 },
              ],
              { required: true, minRows: 1, maxRows: 50 },
            ),
          ],
        },
        { key: 'payment', title: '收款与办理方式', fields: [...bankAccount(), ...handledBy()] },
      ],
      materialConditions: { m4: { notEmpty: true, field: 'treatmentType' }, m6: eq('handledBy', 'agent') },
    },
  },

  QR0010001300: {
    item: '居住证申领',
    form: {
      steps: [
        { key: 'applicant', title: '申请人', fields: [...applicant(), hukouAddress()] },
        {
          key: 'residence',
          title: '居住情况',
          fields: [
            address('residence', '居住地址', { required: true }),
            date('registeredOn', '办理居住登记日期', { required: true, max: 'today', hint: '居住登记满半年方可申领' }),
            select('basis', '申领条件', opts(['job', '合法稳定就业'], ['home', '合法稳定住所'], ['study', '连续就读']), { required: true }),
            text('employer', '就业单位', { required: true, when: eq('basis', 'job'), maxLength: 100 }),
            select('homeType', '住所类型', opts(['own', '自有住房'], ['rent', '租赁住房']), { required: true, when: eq('basis', 'home') }),
            text('school', '就读学校', { required: true, when: eq('basis', 'study'), maxLength: 100 }),
          ],
        },
        { key: 'pickup', title: '领取方式', fields: delivery() },
      ],
    },
  },

  GG0010000100: {
    item: '居住登记',
    form: {
      steps: [
        { key: 'applicant', title: '申报人', fields: [...applicant(), hukouAddress()] },
        {
          key: 'residence',
          title: '居住信息',
          fields: [
            address('residence', '居住地址', { required: true }),
            date('arrivalDate', '来本地居住日期', { required: true, max: 'today' }),
            select('housingType', '居住场所类型', opts(['rent', '租赁房屋'], ['dorm', '单位宿舍'], ['relatives', '借住亲友家'], ['own', '自购房屋']), { required: true }),
            personName('landlordName', '房东姓名', { required: true, when: eq('housingType', 'rent') }),
            phone('landlordPhone', '房东联系电话', { required: true, when: eq('housingType', 'rent') }),
            select('reason', '来本地事由', opts(['work', '务工'], ['business', '经商'], ['study', '就学'], ['family', '投亲靠友'], ['other', '其他']), { required: true }),
          ],
        },
      ],
    },
  },

  GG0020000200: {
    item: '婚姻登记预约',
    form: {
      steps: [
        {
          key: 'booking',
          title: '预约事项与时间',
          fields: [
            select('business', '预约办理', opts(['marriage', '结婚登记'], ['divorce', '离婚登记'], ['reissue', '补领婚姻登记证']), { required: true }),
            date('day', '预约日期', { required: true, min: 'today', hint: '可预约今后 30 日内的工作日' }),
            select('slot', '预约时段', opts(['am1', '上午 9:00–10:30'], ['am2', '上午 10:30–11:30'], ['pm1', '下午 13:30–15:00'], ['pm2', '下午 15:00–17:00']), { required: true }),
          ],
        },
        {
          key: 'parties',
          title: '当事人',
          fields: [
            ...applicant(),
            personName('partnerName', '对方姓名', { required: true, when: oneOf('business', 'marriage', 'divorce') }),
            idNumber('partnerIdNumber', '对方公民身份号码', { required: true, when: oneOf('business', 'marriage', 'divorce') }),
          ],
        },
      ],
    },
  },

  GF0030000100: {
    item: '失业保险金申领',
    form: {
      steps: [
        { key: 'applicant', title: '申请人', fields: [...applicant(), address('residence', '常住地址', { required: true })] },
        {
          key: 'separation',
          title: '失业情况',
          fields: [
            text('lastEmployer', '原工作单位', { required: true, maxLength: 100 }),
            creditCode('lastEmployerCode', '原工作单位统一社会信用代码', { required: true }),
            date('separationDate', '劳动关系终止（解除）日期', { required: true, max: 'today' }),
            select('reason', '终止或解除原因', opts(['expired', '劳动合同期满终止'], ['dismissed', '用人单位解除'], ['agreed', '用人单位提出、协商一致解除'], ['employer_fault', '因用人单位过错由本人解除'], ['other', '其他非本人意愿中断就业']), { required: true }),
            number('contributionYears', '累计缴纳失业保险费年限', { required: true, unit: '年', min: 1, max: 50 }),
          ],
        },
        { key: 'bank', title: '收款账户', fields: bankAccount('社会保障卡') },
      ],
    },
  },

  GF0060000100: {
    item: '生育津贴申领',
    form: {
      steps: [
        { key: 'applicant', title: '申请人', fields: [...applicant(), text('employer', '用人单位', { required: true, maxLength: 100 }), creditCode('employerCode', '用人单位统一社会信用代码', { required: true })] },
        {
          key: 'event',
          title: '生育情况',
          fields: [
            select('eventType', '申领情形', opts(['birth', '生育'], ['miscarriage', '流产'], ['surgery', '施行计划生育手术']), { required: true }),
            date('eventDate', '生育（手术）日期', { required: true, max: 'today' }),
            select('deliveryMode', '分娩方式', opts(['natural', '顺产'], ['caesarean', '剖宫产']), { required: true, when: eq('eventType', 'birth') }),
            integer('babies', '本次生育婴儿数', { required: true, when: eq('eventType', 'birth'), min: 1, max: 6 }),
            text('hospital', '就医医院', { required: true, maxLength: 100 }),
          ],
        },
        {
          key: 'payment',
          title: '发放方式',
          fields: [
            select('payTo', '津贴发放至', opts(['employer', '用人单位（由单位按工资发放）'], ['personal', '本人账户']), { required: true }),
            ...bankAccount().map((f) => ({ ...f, when: eq('payTo', 'personal') })),
          ],
        },
      ],
      materialConditions: { m3: eq('eventType', 'birth'), m5: eq('payTo', 'personal') },
    },
  },

  GG0030001000: {
    item: '社会保障卡申领',
    form: {
      steps: [
        {
          key: 'holder',
          title: '持卡人',
          fields: [
            select('applyFor', '为谁申领', opts(['self', '本人'], ['minor', '未满 16 周岁的子女']), { required: true }),
            personName('holderName', '持卡人姓名', { required: true, prefill: 'person.name', hint: '为子女申领的，请改为子女的信息' }),
            idNumber('holderIdNumber', '持卡人公民身份号码', { required: true, prefill: 'person.idNumber' }),
            personName('guardianName', '监护人姓名', { required: true, when: eq('applyFor', 'minor'), prefill: 'person.name' }),
            idNumber('guardianIdNumber', '监护人公民身份号码', { required: true, when: eq('applyFor', 'minor'), prefill: 'person.idNumber' }),
            applicantMobile(),
          ],
        },
        {
          key: 'card',
          title: '制卡与领取',
          fields: [
            select('bank', '合作银行', opts(['icbc', '中国工商银行'], ['abc', '中国农业银行'], ['boc', '中国银行'], ['ccb', '中国建设银行'], ['bocom', '交通银行'], ['psbc', '中国邮政储蓄银行'], ['rcb', '农商银行']), { required: true }),
            select('photoSource', '制卡照片', opts(['police', '调用公安机关身份证照片'], ['upload', '上传近期白底彩色证件照片']), { required: true }),
            ...delivery(),
          ],
        },
      ],
      materialConditions: { m3: eq('applyFor', 'minor') },
    },
  },

  QR0030000300: {
    item: '职工正常退休（职）申请',
    form: {
      steps: [
        {
          key: 'applicant',
          title: '申请人',
          fields: [
            ...applicant(),
            select('personType', '参保身份', opts(['employee', '企业职工'], ['flexible', '灵活就业人员']), { required: true }),
            text('employer', '所在单位', { required: true, when: eq('personType', 'employee'), maxLength: 100 }),
            creditCode('employerCode', '单位统一社会信用代码', { required: true, when: eq('personType', 'employee') }),
          ],
        },
        {
          key: 'career',
          title: '工作经历',
          fields: [
            date('workStart', '参加工作时间', { required: true, max: 'today' }),
            yesNo('deemed', '是否有视同缴费年限', { hint: '如 1996 年前在国有、集体单位的连续工龄' }),
            number('deemedYears', '视同缴费年限', { required: true, when: eq('deemed', 'yes'), unit: '年', min: 0.1, max: 50 }),
            text('archiveKeeper', '人事档案存放单位', { required: true, when: eq('deemed', 'yes'), maxLength: 100 }),
            date('retireDate', '申请退休日期', { required: true, hint: '达到法定退休年龄的当月' }),
          ],
        },
        { key: 'payment', title: '待遇发放', fields: [...bankAccount('养老金发放'), address('mailAddress', '通讯地址', { required: true })] },
      ],
      materialConditions: { m3: eq('deemed', 'yes') },
    },
  },

  GF0070000100: {
    item: '公共租赁住房保障申请',
    form: {
      steps: [
        {
          key: 'applicant',
          title: '申请人',
          fields: [
            ...applicant(),
            select('maritalStatus', '婚姻状况', MARITAL, { required: true }),
            yesNo('localHukou', '是否本地户籍'),
            text('employer', '工作单位', { required: true, when: eq('localHukou', 'no'), maxLength: 100, hint: '非本地户籍以稳定就业条件申请的填写' }),
            creditCode('employerCode', '工作单位统一社会信用代码', { required: true, when: eq('localHukou', 'no') }),
          ],
        },
        {
          key: 'family',
          title: '共同申请家庭成员',
          fields: [familyMembers('共同申请家庭成员', { hint: '与申请人共同生活的配偶、未成年子女等；独自申请的不填' }, [{ key: 'income', label: '月收入', type: 'number', unit: '元', min: 0, max: 1000000 }])],
        },
        {
          key: 'housing',
          title: '住房与收入',
          fields: [
            address('currentAddress', '现居住地址', { required: true }),
            select('housingStatus', '家庭住房情况', opts(['none', '在当地无自有住房'], ['small', '人均住房面积低于当地标准']), { required: true }),
            number('currentArea', '现有住房建筑面积', { required: true, when: eq('housingStatus', 'small'), unit: '平方米', min: 1, max: 1000 }),
            number('householdIncome', '家庭月收入合计', { required: true, unit: '元', max: 1000000 }),
            select('roomType', '申请户型', opts(['studio', '单间'], ['one', '一室一厅'], ['two', '两室一厅']), { required: true }),
          ],
        },
      ],
      materialConditions: { m4: oneOf('maritalStatus', 'married', 'divorced'), m6: eq('localHukou', 'no') },
    },
  },

  GF0020000200: {
    item: '最低生活保障审核确认',
    form: {
      steps: [
        { key: 'applicant', title: '申请人', fields: [...applicant(), address('residence', '居住地址', { required: true }), select('maritalStatus', '婚姻状况', MARITAL, { required: true })] },
        {
          key: 'family',
          title: '共同生活家庭成员',
          fields: [
            familyMembers('共同生活家庭成员', { hint: '申请人本人不填；独居的不填' }, [
              { key: 'work', label: '就业状况', type: 'select', required: true, options: opts(['employed', '在业'], ['unemployed', '无业'], ['student', '在校学生'], ['retired', '退休'], ['unable', '丧失劳动能力']) },
              { key: 'income', label: '月收入', type: 'number', unit: '元', min: 0, max: 1000000 },
              { key: 'health', label: '健康状况', type: 'select', required: true, options: opts(['healthy', '健康'], ['chronic', '慢性病'], ['serious', '重病'], ['disabled', '残疾']) },
            ]),
          ],
        },
        {
          key: 'economy',
          title: '家庭经济状况',
          fields: [
            number('householdIncome', '家庭月收入合计', { required: true, unit: '元', max: 1000000 }),
            number('deposits', '家庭存款合计', { required: true, unit: '元', max: 100000000 }),
            yesNo('hasVehicle', '家庭是否拥有机动车辆'),
            text('vehicle', '车辆情况', { required: true, when: eq('hasVehicle', 'yes'), maxLength: 200, hint: '品牌型号、购置年份' }),
            yesNo('special', '家庭成员是否有重病、残疾等特殊情况'),
            textarea('specialNote', '特殊情况说明', { required: true, when: eq('special', 'yes'), maxLength: 500 }),
            textarea('reason', '申请理由', { required: true, maxLength: 1000 }),
          ],
        },
      ],
      materialConditions: { m5: eq('special', 'yes') },
    },
  },

  XK0110000100: {
    item: '教师资格认定',
    form: {
      steps: [
        { key: 'applicant', title: '申请人', fields: [...applicant(), address('residence', '通讯地址', { required: true })] },
        {
          key: 'qualification',
          title: '申请资格',
          fields: [
            select('level', '申请资格种类', opts(['kindergarten', '幼儿园'], ['primary', '小学'], ['junior', '初级中学'], ['senior', '高级中学'], ['vocational', '中等职业学校文化课、专业课']), { required: true }),
            text('subject', '任教学科', { required: true, when: oneOf('level', 'primary', 'junior', 'senior', 'vocational'), maxLength: 30 }),
            select('route', '考试情况', opts(['exam', '参加中小学教师资格考试合格'], ['exempt', '教育类专业毕业生免考']), { required: true }),
            text('examCertNo', '考试合格证明编号', { required: true, when: eq('route', 'exam'), maxLength: 30 }),
          ],
        },
        {
          key: 'education',
          title: '学历与普通话',
          fields: [
            text('school', '毕业学校', { required: true, maxLength: 100 }),
            select('degree', '最高学历', EDUCATION, { required: true }),
            text('major', '所学专业', { required: true, maxLength: 60 }),
            date('graduationDate', '毕业时间', { required: true, max: 'today' }),
            select('mandarin', '普通话水平等级', opts(['1a', '一级甲等'], ['1b', '一级乙等'], ['2a', '二级甲等'], ['2b', '二级乙等']), { required: true, hint: '语文学科须二级甲等及以上' }),
            text('mandarinCertNo', '普通话水平测试等级证书编号', { required: true, maxLength: 30 }),
          ],
        },
      ],
      materialConditions: { m5: eq('route', 'exam') },
    },
  },

  QR0010000800: {
    item: '户口迁入（人才引进）',
    form: {
      steps: [
        { key: 'applicant', title: '申请人', fields: [...applicant(), hukouAddress()] },
        {
          key: 'talent',
          title: '人才条件',
          fields: [
            select('basis', '落户条件', opts(['degree', '全日制大专及以上学历'], ['skill', '技师及以上职业资格'], ['title', '中级及以上专业技术职称']), { required: true }),
            text('school', '毕业学校', { required: true, when: eq('basis', 'degree'), maxLength: 100 }),
            select('degree', '学历', opts(['college', '大专'], ['bachelor', '本科'], ['master', '硕士研究生'], ['doctor', '博士研究生']), { required: true, when: eq('basis', 'degree') }),
            text('certNo', '证书编号', { required: true, maxLength: 40, hint: '毕业证书、职业资格证书或职称证书的编号' }),
            select('employment', '就业创业情况', opts(['employed', '在本地单位就业'], ['entrepreneur', '在本地自主创业']), { required: true }),
            text('employer', '就业单位', { required: true, when: eq('employment', 'employed'), maxLength: 100 }),
            creditCode('businessCode', '创办企业统一社会信用代码', { required: true, when: eq('employment', 'entrepreneur') }),
          ],
        },
        {
          key: 'settle',
          title: '落户地址与随迁人员',
          fields: [
            select('settleType', '落户方式', opts(['own', '合法稳定住所'], ['unit', '单位集体户'], ['talent', '人才集体户']), { required: true }),
            address('settleAddress', '落户地址', { required: true }),
            familyMembers('随迁家属', { maxRows: 5, hint: '随同迁入的配偶和未成年子女；没有的不填' }),
          ],
        },
      ],
    },
  },

  GG0030000100: {
    item: '失业登记',
    form: {
      steps: [
        {
          key: 'applicant',
          title: '申请人',
          fields: [...applicant(), address('residence', '常住地址', { required: true }), select('education', '文化程度', EDUCATION, { required: true })],
        },
        {
          key: 'status',
          title: '就业与求职',
          fields: [
            yesNo('hadJob', '是否有单位就业经历'),
            text('lastEmployer', '原工作单位', { required: true, when: eq('hadJob', 'yes'), maxLength: 100 }),
            date('separationDate', '离职日期', { required: true, when: eq('hadJob', 'yes'), max: 'today' }),
            text('desiredJob', '求职意向（岗位）', { required: true, maxLength: 60 }),
            multi('services', '希望获得的服务', opts(['jobs', '岗位推荐'], ['training', '职业培训'], ['startup', '创业指导'], ['subsidy', '就业补贴政策咨询'])),
          ],
        },
      ],
      materialConditions: { m2: eq('hadJob', 'yes') },
    },
  },

  GG0030000800: {
    item: '灵活就业人员职工基本养老保险参保登记',
    form: {
      steps: [
        { key: 'applicant', title: '申请人', fields: [...applicant(), address('residence', '居住地址', { required: true })] },
        {
          key: 'insurance',
          title: '参保信息',
          fields: [
            select('employmentType', '灵活就业类型', opts(['individual', '无雇工的个体工商户'], ['parttime', '非全日制从业人员'], ['platform', '新就业形态（平台）从业人员'], ['other', '其他灵活就业人员']), { required: true }),
            select('baseLevel', '缴费基数档次', opts(['60', '当地社平工资的 60%'], ['80', '80%'], ['100', '100%'], ['150', '150%'], ['200', '200%'], ['300', '300%']), { required: true }),
            select('payMethod', '缴费方式', opts(['withhold', '银行代扣'], ['online', '线上自助缴费']), { required: true }),
            text('withholdAccount', '代扣账号', { required: true, when: eq('payMethod', 'withhold'), maxLength: 19, pattern: '\\d{12,19}', patternMessage: '“代扣账号”应为 12 至 19 位数字' }),
          ],
        },
      ],
    },
  },
};
