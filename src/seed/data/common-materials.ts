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
