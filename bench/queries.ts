/**
 * The search mix the `search-*` scenarios rotate through: what people actually type into a government
 * service portal — colloquial and formal, short and long, a few pinyin initials — some scoped to a region
 * (西湖区 330106, 杭州市 330100, 鹿城区 330302), some narrowed by a facet, some asking for page 2.
 */

export interface BenchQuery {
  q?: string;
  region?: string;
  type?: string;
  object?: 'natural' | 'legal';
  theme?: string;
  online?: '1' | '0';
  page?: number;
  size?: number;
}

const XIHU = '330106'; // 杭州市西湖区
const HANGZHOU = '330100'; // 杭州市
const LUCHENG = '330302'; // 温州市鹿城区

export const QUERIES: readonly BenchQuery[] = [
  // 婚姻
  { q: '结婚登记' },
  { q: '领结婚证要带什么', region: XIHU },
  { q: '协议离婚怎么办' },
  { q: '结婚证丢了', region: LUCHENG },
  { q: 'hydj' },
  { q: 'jhdj', region: HANGZHOU },
  // 户籍身份
  { q: '身份证' },
  { q: '身份证过期了', region: XIHU },
  { q: '身份证丢了怎么补', region: LUCHENG },
  { q: '上户口' },
  { q: '宝宝上户口', region: HANGZHOU },
  { q: '户口迁移', page: 2 },
  { q: '居住证', region: XIHU },
  { q: 'sfz' },
  // 出入境
  { q: '护照' },
  { q: '护照过期了', region: HANGZHOU },
  { q: '去香港要办什么证' },
  { q: '港澳通行证续签', region: LUCHENG },
  // 生育、教育
  { q: '生孩子' },
  { q: '生孩子办证一次办完', region: XIHU },
  { q: '准生证怎么办' },
  { q: '孩子小学报名', region: HANGZHOU },
  { q: '教师资格认定' },
  // 就业、社保、医保、公积金
  { q: '失业金' },
  { q: '怎么领失业金', region: LUCHENG },
  { q: '社保卡补办' },
  { q: '社保卡丢了', region: XIHU },
  { q: '社保转移', page: 2 },
  { q: '医保异地就医' },
  { q: '异地就医备案', region: HANGZHOU },
  { q: '公积金提取' },
  { q: '公积金贷款', region: XIHU },
  { q: 'gjjtq' }, // finds nothing (the item is 提取住房公积金): exercises the no-hits suggestions path
  { q: '退休金怎么领', region: LUCHENG },
  { q: '劳动仲裁', object: 'natural' },
  // 交通出行
  { q: '驾照到期换证' },
  { q: '驾驶证到期换证', region: HANGZHOU },
  { q: '驾照丢了补办' },
  { q: '车辆年检', region: LUCHENG },
  // 住房、殡葬、救助
  { q: '不动产登记', page: 2 },
  { q: '买房过户', region: XIHU },
  { q: '低保申请' },
  { q: '老人去世要办什么', region: LUCHENG },
  // 企业开办、经营许可
  { q: '开饭店' },
  { q: '开饭店要办什么证', region: XIHU },
  { q: '食品经营许可', type: 'XK' },
  { q: '营业执照', object: 'legal' },
  { q: '个体户营业执照', region: LUCHENG },
  { q: '开公司', region: HANGZHOU, object: 'legal' },
  { q: '企业设立登记', page: 2 },
  { q: '许可证', type: 'XK', region: HANGZHOU },
  { q: '卫生许可', type: 'XK', page: 2 },
  { q: 'yyzz' },
  // 变更、税费、注销
  { q: '公司注销' },
  { q: '企业注销登记', region: XIHU, object: 'legal' },
  { q: '变更法人', region: LUCHENG },
  { q: '发票申领', object: 'legal' },
  { q: '税务登记', region: HANGZHOU },
  { q: '招工社保登记', object: 'legal' },
  { q: '施工许可证', type: 'XK' },
  // 只用筛选、不带检索词：按地区和分面浏览
  { region: XIHU },
  { region: HANGZHOU, object: 'legal' },
  { region: LUCHENG, type: 'XK', page: 2 },
  { type: 'GG', object: 'natural' },
  { region: XIHU, online: '1', page: 2 },
];

/** The request path for one query of the mix: `/api/v1/items?…`, percent-encoded. */
export function searchPath(query: BenchQuery): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined) params.set(key, String(value));
  }
  const qs = params.toString();
  return qs ? `/api/v1/items?${qs}` : '/api/v1/items';
}

export const SEARCH_PATHS: readonly string[] = QUERIES.map(searchPath);
