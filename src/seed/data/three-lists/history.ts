/**
 * The demo power lists' revision history: for a handful of departments the seed publishes a version 1 (now
 * superseded) and a version 2 (current). Version 2 adds a power, drops one that version 1 had, and amends the
 * legal basis of one (version 1 cites `v1LegalBasis`, version 2 the template's current basis).
 */
import type { DepartmentKind } from '../../../modules/catalogue/catalogue.types.ts';
import type { PowerTemplate } from './power-templates.ts';

export interface PowerRevision {
  region: string;
  kind: DepartmentKind;
  note: string; // 修订说明 of version 2
  added: PowerTemplate; // new in version 2
  removed: PowerTemplate; // in version 1 only
  amended: { name: string; v1LegalBasis: string[] }; // a template power whose basis version 2 amends
}

export const POWER_REVISIONS: PowerRevision[] = [
  {
    region: '330106', kind: 'market_regulation',
    note: '根据《中华人民共和国电子商务法》新增电子商务平台相关处罚事项；个体工商户年度报告抽查并入企业公示信息抽查；更新无照经营处罚的设定依据。',
    added: { type: 'CF', name: '对电子商务平台经营者未履行核验、登记义务的行政处罚', legalBasis: ['《中华人民共和国电子商务法》第八十条'] },
    removed: { type: 'JC', name: '个体工商户年度报告抽查', legalBasis: ['《个体工商户年度报告暂行办法》'] },
    amended: { name: '对未经设立登记从事经营活动的行政处罚', v1LegalBasis: ['《无证无照经营查处办法》第十三条'] },
  },
  {
    region: '330100', kind: 'market_regulation',
    note: '新增网络食品交易第三方平台处罚事项；商品条码监督检查并入产品质量监督抽查；依据《中华人民共和国消费者权益保护法实施条例》更新设定依据。',
    added: { type: 'CF', name: '对网络食品交易第三方平台提供者未履行审查、报告义务的行政处罚', legalBasis: ['《中华人民共和国食品安全法》第一百三十一条'] },
    removed: { type: 'JC', name: '商品条码监督检查', legalBasis: ['《商品条码管理办法》'] },
    amended: { name: '对经营者侵害消费者合法权益行为的行政处罚', v1LegalBasis: ['《中华人民共和国消费者权益保护法》第五十六条'] },
  },
  {
    region: '330000', kind: 'ecology',
    note: '依据《碳排放权交易管理暂行条例》新增碳排放数据质量处罚事项；删除已废止规章设定的竣工环保验收处罚事项；排污许可处罚依据由《排污许可管理办法（试行）》更新为《排污许可管理条例》。',
    added: { type: 'CF', name: '对重点排放单位虚报、瞒报温室气体排放报告的行政处罚', legalBasis: ['《碳排放权交易管理暂行条例》'] },
    removed: { type: 'CF', name: '对违反建设项目竣工环境保护验收规定的行政处罚', legalBasis: ['《建设项目竣工环境保护验收管理办法》'] },
    amended: { name: '对未取得排污许可证排放污染物的行政处罚', v1LegalBasis: ['《排污许可管理办法（试行）》'] },
  },
  {
    region: '330100', kind: 'transport',
    note: '新增网约车驾驶员从业资格处罚事项；巡游出租汽车市场检查并入道路运输监督检查；补充《浙江省道路运输条例》为设定依据。',
    added: { type: 'CF', name: '对未取得网络预约出租汽车驾驶员证从事网约车经营服务的行政处罚', legalBasis: ['《网络预约出租汽车经营服务管理暂行办法》'] },
    removed: { type: 'JC', name: '巡游出租汽车客运市场监督检查', legalBasis: ['《巡游出租汽车经营服务管理规定》'] },
    amended: { name: '对未取得道路运输经营许可擅自从事道路运输经营的行政处罚', v1LegalBasis: ['《中华人民共和国道路运输条例》'] },
  },
  {
    region: '330122', kind: 'agriculture',
    note: '新增违法使用禁用农药处罚事项；农业机械安全监理检查划转综合行政执法部门；农产品质量安全处罚依据更新为2022年修订的《中华人民共和国农产品质量安全法》。',
    added: { type: 'CF', name: '对在农产品生产中违法使用禁用农药的行政处罚', legalBasis: ['《农药管理条例》第六十条'] },
    removed: { type: 'JC', name: '农业机械安全监理检查', legalBasis: ['《农业机械安全监督管理条例》'] },
    amended: { name: '对销售不符合农产品质量安全标准的农产品的行政处罚', v1LegalBasis: ['《中华人民共和国农产品质量安全法》（2018年修正）'] },
  },
  {
    region: '330000', kind: 'development_reform',
    note: '新增企业投资项目信息报送处罚事项；外商投资项目备案并入企业投资项目备案管理；补充《浙江省招标投标条例》为设定依据。',
    added: { type: 'CF', name: '对企业未按规定通过在线平台报送项目开工建设、建设进度、竣工等信息的行政处罚', legalBasis: ['《企业投资项目核准和备案管理条例》'] },
    removed: { type: 'QT', name: '外商投资项目备案', legalBasis: ['《外商投资项目核准和备案管理办法》'] },
    amended: { name: '对必须进行招标的项目而不招标的行政处罚', v1LegalBasis: ['《中华人民共和国招标投标法》第四十九条'] },
  },
];
