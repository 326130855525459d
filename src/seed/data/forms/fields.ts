/** Building blocks of the demo's application forms: fields that many forms share, written once. */
import type { Condition, FieldDef, FieldOption } from '../../../modules/forms/form.types.ts';

type Extra = Partial<FieldDef>;

export const opts = (...pairs: [string, string][]): FieldOption[] => pairs.map(([value, label]) => ({ value, label }));
export const YES_NO = opts(['yes', '是'], ['no', '否']);
export const eq = (field: string, equals: string): Condition => ({ field, equals });
export const oneOf = (field: string, ...values: string[]): Condition => ({ field, in: values });

export const text = (key: string, label: string, o: Extra = {}): FieldDef => ({ key, label, type: 'text', maxLength: 100, ...o });
export const textarea = (key: string, label: string, o: Extra = {}): FieldDef => ({ key, label, type: 'textarea', maxLength: 1000, ...o });
export const number = (key: string, label: string, o: Extra = {}): FieldDef => ({ key, label, type: 'number', min: 0, ...o });
export const integer = (key: string, label: string, o: Extra = {}): FieldDef => ({ key, label, type: 'number', integer: true, min: 0, ...o });
export const date = (key: string, label: string, o: Extra = {}): FieldDef => ({ key, label, type: 'date', ...o });
export const select = (key: string, label: string, options: FieldOption[], o: Extra = {}): FieldDef => ({ key, label, type: 'select', options, ...o });
export const multi = (key: string, label: string, options: FieldOption[], o: Extra = {}): FieldDef => ({ key, label, type: 'multiselect', options, ...o });
export const yesNo = (key: string, label: string, o: Extra = {}): FieldDef => select(key, label, YES_NO, { required: true, ...o });
export const idNumber = (key: string, label: string, o: Extra = {}): FieldDef => ({ key, label, type: 'resident_id', ...o });
export const creditCode = (key: string, label: string, o: Extra = {}): FieldDef => ({ key, label, type: 'credit_code', ...o });
export const phone = (key: string, label: string, o: Extra = {}): FieldDef => ({ key, label, type: 'phone', ...o });
export const address = (key: string, label: string, o: Extra = {}): FieldDef => ({ key, label, type: 'address', maxLength: 120, ...o });
export const table = (key: string, label: string, columns: FieldDef[], o: Extra = {}): FieldDef => ({ key, label, type: 'table', columns, ...o });

/** A person's name: 2–30 characters, Chinese (with ·) or letters. */
export const NAME_PATTERN = '[\\p{Script=Han}·•]{2,30}|[A-Za-z][A-Za-z .\\-]{1,59}';
export const personName = (key: string, label: string, o: Extra = {}): FieldDef =>
  text(key, label, { maxLength: 60, pattern: NAME_PATTERN, patternMessage: `“${label}”应为 2 个以上汉字或英文字母`, ...o });

// the signed-in applicant (申请人), prefilled from the real-name profile
export const applicantName = (o: Extra = {}): FieldDef => personName('applicantName', '申请人姓名', { required: true, prefill: 'person.name', ...o });
export const applicantId = (o: Extra = {}): FieldDef => idNumber('applicantIdNumber', '申请人公民身份号码', { required: true, prefill: 'person.idNumber', ...o });
export const applicantMobile = (o: Extra = {}): FieldDef => phone('mobile', '联系电话', { required: true, prefill: 'person.mobile', hint: '用于接收办理进度短信', ...o });
export const applicant = (): FieldDef[] => [applicantName(), applicantId(), applicantMobile()];

// the enterprise or individual business acted for (主体), prefilled when acting for one
export const subjectName = (label = '经营者名称', o: Extra = {}): FieldDef => text('subjectName', label, { required: true, prefill: 'subject.name', maxLength: 100, ...o });
export const subjectCreditCode = (o: Extra = {}): FieldDef =>
  creditCode('creditCode', '统一社会信用代码', { required: true, prefill: 'enterprise.creditCode', hint: '营业执照上的 18 位代码', ...o });
export const legalRep = (label = '法定代表人（负责人）姓名', o: Extra = {}): FieldDef => personName('legalRepName', label, { required: true, prefill: 'enterprise.legalRepName', ...o });
export const contactPhone = (o: Extra = {}): FieldDef => phone('contactPhone', '联系电话', { required: true, prefill: 'person.mobile', ...o });

/** 办理方式: the applicant in person, or an agent (委托代理人) — whose details and power of attorney are then needed. */
export const handledBy = (selfLabel = '本人办理'): FieldDef[] => [
  select('handledBy', '办理方式', opts(['self', selfLabel], ['agent', '委托代理人办理']), { required: true }),
  personName('agentName', '代理人姓名', { required: true, when: eq('handledBy', 'agent'), prefill: 'person.name' }),
  idNumber('agentIdNumber', '代理人公民身份号码', { required: true, when: eq('handledBy', 'agent'), prefill: 'person.idNumber' }),
  phone('agentMobile', '代理人联系电话', { required: true, when: eq('handledBy', 'agent'), prefill: 'person.mobile' }),
];

/** 收款账户: a debit card or the social security card's financial account in the applicant's name. */
export const bankAccount = (label = '收款'): FieldDef[] => [
  select('bankName', `${label}银行`, opts(['icbc', '中国工商银行'], ['abc', '中国农业银行'], ['boc', '中国银行'], ['ccb', '中国建设银行'], ['bocom', '交通银行'], ['psbc', '中国邮政储蓄银行'], ['rcb', '农商银行'], ['other', '其他银行']), {
    required: true,
  }),
  text('bankAccount', `${label}账号`, { required: true, maxLength: 19, pattern: '\\d{12,19}', patternMessage: `“${label}账号”应为 12 至 19 位数字`, hint: '须为申请人本人名下的借记卡或已激活金融账户的社会保障卡' }),
];

/** 结果领取方式: at the window, by post (an address), or electronically. */
export const delivery = (o: { electronic?: boolean } = {}): FieldDef[] => [
  select(
    'delivery',
    '领取方式',
    o.electronic ? opts(['electronic', '电子证照（浙里办查看）'], ['window', '窗口领取'], ['post', '免费邮寄']) : opts(['window', '窗口领取'], ['post', '免费邮寄']),
    { required: true },
  ),
  personName('recipientName', '收件人', { required: true, when: eq('delivery', 'post'), prefill: 'person.name' }),
  phone('recipientPhone', '收件人电话', { required: true, when: eq('delivery', 'post'), prefill: 'person.mobile' }),
  address('mailAddress', '邮寄地址', { required: true, when: eq('delivery', 'post') }),
];

export const RELATIONS = opts(['spouse', '配偶'], ['child', '子女'], ['parent', '父母'], ['sibling', '兄弟姐妹'], ['grandparent', '祖父母、外祖父母'], ['grandchild', '孙子女、外孙子女'], ['other', '其他']);
export const SEX = opts(['male', '男'], ['female', '女']);
export const MARITAL = opts(['single', '未婚'], ['married', '已婚'], ['divorced', '离异'], ['widowed', '丧偶']);
export const EDUCATION = opts(['primary', '小学及以下'], ['junior', '初中'], ['senior', '高中、中专、技校'], ['college', '大专'], ['bachelor', '本科'], ['postgraduate', '研究生']);
export const INSURANCE_TYPES = opts(['employee', '职工基本医疗保险'], ['resident', '城乡居民基本医疗保险']);

/** 纸质营业执照: one already received is handed back (缴回) with a change or deregistration. */
export const paperLicence = (): FieldDef => yesNo('paperLicence', '是否已领取纸质营业执照', { hint: '已领取的须缴回正、副本；仅领取电子营业执照的选“否”' });
