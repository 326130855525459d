/**
 * 国民经济行业分类 (GB/T 4754-2017): its 20 sections (门类, a letter) and 97 divisions (大类, two digits), as the
 * negative list's industry codes use them — a section letter followed by the division, group and class digits
 * ('C', 'C25', 'C251', 'C2511'). A code names its industry and everything below it.
 */

export const INDUSTRY_SECTIONS: Record<string, { name: string; from: number; to: number }> = {
  A: { name: '农、林、牧、渔业', from: 1, to: 5 },
  B: { name: '采矿业', from: 6, to: 12 },
  C: { name: '制造业', from: 13, to: 43 },
  D: { name: '电力、热力、燃气及水生产和供应业', from: 44, to: 46 },
  E: { name: '建筑业', from: 47, to: 50 },
  F: { name: '批发和零售业', from: 51, to: 52 },
  G: { name: '交通运输、仓储和邮政业', from: 53, to: 60 },
  H: { name: '住宿和餐饮业', from: 61, to: 62 },
  I: { name: '信息传输、软件和信息技术服务业', from: 63, to: 65 },
  J: { name: '金融业', from: 66, to: 69 },
  K: { name: '房地产业', from: 70, to: 70 },
  L: { name: '租赁和商务服务业', from: 71, to: 72 },
  M: { name: '科学研究和技术服务业', from: 73, to: 75 },
  N: { name: '水利、环境和公共设施管理业', from: 76, to: 79 },
  O: { name: '居民服务、修理和其他服务业', from: 80, to: 82 },
  P: { name: '教育', from: 83, to: 83 },
  Q: { name: '卫生和社会工作', from: 84, to: 85 },
  R: { name: '文化、体育和娱乐业', from: 86, to: 90 },
  S: { name: '公共管理、社会保障和社会组织', from: 91, to: 96 },
  T: { name: '国际组织', from: 97, to: 97 },
};

const DIVISION_NAMES = [
  '农业', '林业', '畜牧业', '渔业', '农、林、牧、渔专业及辅助性活动', '煤炭开采和洗选业', '石油和天然气开采业', '黑色金属矿采选业',
  '有色金属矿采选业', '非金属矿采选业', '开采专业及辅助性活动', '其他采矿业', '农副食品加工业', '食品制造业', '酒、饮料和精制茶制造业',
  '烟草制品业', '纺织业', '纺织服装、服饰业', '皮革、毛皮、羽毛及其制品和制鞋业', '木材加工和木、竹、藤、棕、草制品业', '家具制造业',
  '造纸和纸制品业', '印刷和记录媒介复制业', '文教、工美、体育和娱乐用品制造业', '石油、煤炭及其他燃料加工业', '化学原料和化学制品制造业',
  '医药制造业', '化学纤维制造业', '橡胶和塑料制品业', '非金属矿物制品业', '黑色金属冶炼和压延加工业', '有色金属冶炼和压延加工业',
  '金属制品业', '通用设备制造业', '专用设备制造业', '汽车制造业', '铁路、船舶、航空航天和其他运输设备制造业', '电气机械和器材制造业',
  '计算机、通信和其他电子设备制造业', '仪器仪表制造业', '其他制造业', '废弃资源综合利用业', '金属制品、机械和设备修理业',
  '电力、热力生产和供应业', '燃气生产和供应业', '水的生产和供应业', '房屋建筑业', '土木工程建筑业', '建筑安装业', '建筑装饰、装修和其他建筑业',
  '批发业', '零售业', '铁路运输业', '道路运输业', '水上运输业', '航空运输业', '管道运输业', '多式联运和运输代理业', '装卸搬运和仓储业',
  '邮政业', '住宿业', '餐饮业', '电信、广播电视和卫星传输服务', '互联网和相关服务', '软件和信息技术服务业', '货币金融服务', '资本市场服务',
  '保险业', '其他金融业', '房地产业', '租赁业', '商务服务业', '研究和试验发展', '专业技术服务业', '科技推广和应用服务业', '水利管理业',
  '生态保护和环境治理业', '公共设施管理业', '土地管理业', '居民服务业', '机动车、电子产品和日用产品修理业', '其他服务业', '教育', '卫生',
  '社会工作', '新闻和出版业', '广播、电视、电影和录音制作业', '文化艺术业', '体育', '娱乐业', '中国共产党机关', '国家机构',
  '人民政协、民主党派', '社会保障', '群众团体、社会团体和其他成员组织', '基层群众自治组织及其他组织', '国际组织',
];

/** Division number (1–97) → its name. */
export const INDUSTRY_DIVISIONS: ReadonlyMap<number, string> = new Map(DIVISION_NAMES.map((n, i) => [i + 1, n]));

/** The section letter of a division number, or undefined when it is not one. */
export function sectionOfDivision(division: number): string | undefined {
  for (const [letter, s] of Object.entries(INDUSTRY_SECTIONS)) if (division >= s.from && division <= s.to) return letter;
  return undefined;
}

const CODE = /^([A-T])(\d{2}(\d(\d)?)?)?$/;

/**
 * A typed industry code in the list's form, or undefined when it is not one: spaces and case are forgiven, and a
 * code given without its section letter ('2511') gets it from its division ('C2511'). The division must exist.
 */
export function normaliseIndustryCode(input: string): string | undefined {
  let s = input.replace(/[\s\u3000]/g, '').toUpperCase();
  s = s.replace(/[\uff10-\uff19\uff21-\uff3a]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
  if (/^\d{2,4}$/.test(s)) {
    const letter = sectionOfDivision(Number(s.slice(0, 2)));
    if (!letter) return undefined;
    s = letter + s;
  }
  const m = CODE.exec(s);
  if (!m) return undefined;
  if (m[2]) {
    const division = Number(m[2].slice(0, 2));
    if (sectionOfDivision(division) !== m[1]) return undefined;
  }
  return s;
}

/** What a code names: the section's name, or the division's (a deeper code is named by its division and itself). */
export function industryLabel(code: string): string {
  const section = INDUSTRY_SECTIONS[code[0] ?? ''];
  if (!section) return code;
  if (code.length === 1) return `${code} ${section.name}`;
  const division = INDUSTRY_DIVISIONS.get(Number(code.slice(1, 3)));
  if (!division) return code;
  return code.length === 3 ? `${code} ${division}` : `${code}（${division}）`;
}

/** Does the list's `entryCode` cover the project's `code` (the same industry or one above it)? */
export function covers(entryCode: string, code: string): boolean {
  return code.startsWith(entryCode);
}
