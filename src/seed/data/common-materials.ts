/** Materials that many items ask for, written once. */
import type { MaterialSeed } from '../../modules/catalogue/catalogue.types.ts';

/** 居民身份证, shown in person (or verified online by face recognition). */
export const idCard = (who = '申请人', required: true | string = true): MaterialSeed => ({
  name: `${who}居民身份证`,
  form: 'original',
  copies: 0,
  required,
  source: 'government',
  issuer: '公安机关',
  notes: '窗口核验原件，不收取复印件；网上申请的通过实名认证核验身份',
});

/** 居民户口簿 data, obtained by sharing. */
export const hukou = (who = '申请人', required: true | string = true): MaterialSeed => ({
  name: `${who}居民户口簿`,
  form: 'electronic',
  copies: 0,
  required,
  source: 'shared',
  issuer: '公安机关',
  notes: '通过户籍信息共享获取，无需提交；无法共享核验的提供原件',
});

/** 营业执照: held by the government, obtained by sharing. */
export const businessLicence = (): MaterialSeed => ({
  name: '营业执照',
  form: 'electronic',
  copies: 0,
  required: true,
  source: 'shared',
  issuer: '市场监督管理部门',
  notes: '通过电子营业执照或数据共享获取，无需提交',
});

export const legalRepId = (): MaterialSeed => ({
  name: '法定代表人（负责人）身份证件',
  form: 'electronic',
  copies: 0,
  required: true,
  source: 'shared',
  issuer: '公安机关',
  notes: '通过人口信息共享核验，无需提交',
});

export const enterpriseProxy = (): MaterialSeed => ({
  name: '授权委托书',
  form: 'original',
  required: '委托他人代为办理的提供',
  source: 'applicant',
  blankForm: true,
  sample: true,
});

export const personProxy = (extra = ''): MaterialSeed => ({
  name: '授权委托书及受托人居民身份证',
  form: 'original',
  required: `委托他人代为办理的提供${extra}`,
  source: 'applicant',
  blankForm: true,
  sample: true,
});
