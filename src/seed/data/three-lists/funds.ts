/**
 * The demo 专项资金管理清单: special funds of the province's and some cities' departments, with their yearly
 * amounts (万元) for 2024–2026, management rules, application conditions, and the kinds of recipient the seed
 * draws the published allocation results from (counties, enterprises, institutions of the demo regions).
 */
import type { DepartmentKind } from '../../../modules/catalogue/catalogue.types.ts';

export type RecipientKind = 'county' | 'enterprise' | 'institution' | 'cooperative';

export interface FundSeed {
  region: string; // the department's region code
  kind: DepartmentKind;
  name: string;
  purpose: string;
  amounts: [number, number, number]; // 2024, 2025, 2026 (万元)
  rules: string; // 管理办法
  conditions: string; // 申报条件
  recipients: RecipientKind[]; // who receives allocations
  projects: string[]; // project names allocations are made for
}

export const FUND_YEARS = [2024, 2025, 2026] as const;

export const FUND_SEEDS: FundSeed[] = [
  {
    region: '330000', kind: 'development_reform', name: '省服务业发展引导资金',
    purpose: '支持现代服务业集聚示范区建设、服务业重大项目、生产性服务业与先进制造业融合发展试点。',
    amounts: [30000, 32000, 30000], rules: '《浙江省服务业发展引导资金管理办法》',
    conditions: '在浙江省内依法注册、具有独立法人资格的企业或者集聚区管理机构；项目符合省服务业发展规划，已完成立项备案，自有资金到位不低于项目总投资的30%；近三年无严重失信记录。',
    recipients: ['county', 'enterprise'], projects: ['现代服务业集聚示范区公共服务平台建设', '服务业重大项目贷款贴息', '两业融合试点企业补助', '服务业标准化试点', '物流枢纽设施建设'],
  },
  {
    region: '330000', kind: 'development_reform', name: '省级节能降碳专项资金',
    purpose: '支持重点用能单位节能技术改造、园区循环化改造、碳达峰碳中和试点和节能降碳先进技术推广。',
    amounts: [12000, 15000, 18000], rules: '《浙江省节能降碳专项资金管理办法》',
    conditions: '项目已建成投运并通过节能量审核；年节能量达到1000吨标准煤以上（园区项目不低于5000吨标准煤）；申报单位未被列入能源消费“红色”预警名单。',
    recipients: ['enterprise', 'county'], projects: ['余热余压利用改造', '电机系统节能改造', '园区循环化改造', '低碳试点县建设', '绿色数据中心改造'],
  },
  {
    region: '330000', kind: 'agriculture', name: '省级农业发展专项资金',
    purpose: '支持粮食生产功能区和现代农业园区建设、农业产业化、农业绿色发展、农业社会化服务和乡村产业振兴。',
    amounts: [86000, 90000, 92000], rules: '《浙江省省级农业发展专项资金管理办法》',
    conditions: '县（市、区）农业农村部门组织申报；农业经营主体应依法登记两年以上，经营状况良好，项目已纳入县级项目库；同一项目不得重复申报其他省级财政资金。',
    recipients: ['county', 'cooperative'], projects: ['粮食生产功能区提标改造', '现代农业园区建设', '农业社会化服务补助', '农产品产地冷链设施建设', '绿色防控示范区建设'],
  },
  {
    region: '330000', kind: 'agriculture', name: '省级高标准农田建设资金',
    purpose: '支持高标准农田新建和改造提升，配套灌排设施、田间道路和农田防护工程。',
    amounts: [45000, 48000, 50000], rules: '《浙江省农田建设补助资金管理办法》',
    conditions: '项目列入年度高标准农田建设计划，完成初步设计批复；县级财政按规定落实配套资金。',
    recipients: ['county'], projects: ['高标准农田新建', '高标准农田改造提升', '农田灌排设施建设'],
  },
  {
    region: '330000', kind: 'human_resources', name: '就业补助资金',
    purpose: '用于职业培训补贴、职业技能评价补贴、社会保险补贴、公益性岗位补贴、就业见习补贴、求职创业补贴和公共就业服务能力建设。',
    amounts: [52000, 55000, 56000], rules: '《浙江省就业补助资金管理办法》',
    conditions: '由县（市、区）人力资源社会保障部门会同财政部门按规定申报；补贴对象须符合就业困难人员、离校未就业高校毕业生等政策规定的条件，并通过浙江省公共就业服务平台实名核验。',
    recipients: ['county'], projects: ['职业技能培训补贴', '社会保险补贴', '公益性岗位补贴', '就业见习补贴', '公共就业服务能力建设'],
  },
  {
    region: '330000', kind: 'human_resources', name: '省级人才发展专项资金',
    purpose: '支持高技能人才培养、技能大师工作室建设、博士后工作站建设和引进海外高层次人才。',
    amounts: [18000, 20000, 22000], rules: '《浙江省人才发展专项资金管理办法》',
    conditions: '申报单位为在浙江省内注册的企业、高校、科研院所；设立博士后工作站或者技能大师工作室满一年；人才项目须经主管部门评审认定。',
    recipients: ['enterprise', 'institution'], projects: ['技能大师工作室建设', '博士后工作站资助', '高技能人才培养基地建设', '海外高层次人才引进资助'],
  },
  {
    region: '330000', kind: 'culture_tourism', name: '省级文化产业发展专项资金',
    purpose: '支持文化产业重点项目、文化产业园区（基地）建设、文化和科技融合、文化产品出口。',
    amounts: [15000, 16000, 16000], rules: '《浙江省文化产业发展专项资金管理办法》',
    conditions: '在浙江省内注册一年以上、以文化产业为主营业务的企业；项目已开工建设或者产品已投放市场；企业近三年无违法违规记录。',
    recipients: ['enterprise', 'county'], projects: ['文化产业重点项目补助', '文化产业园区公共服务平台', '数字文化产品开发', '文化出口重点项目奖励'],
  },
  {
    region: '330000', kind: 'culture_tourism', name: '省级旅游业发展专项资金',
    purpose: '支持A级景区村庄、旅游公共服务设施、文旅融合项目和旅游市场推广。',
    amounts: [20000, 21000, 22000], rules: '《浙江省旅游业发展专项资金管理办法》',
    conditions: '项目列入省文化和旅游项目库，已完成立项审批；景区村庄须通过A级景区村庄评定。',
    recipients: ['county'], projects: ['A级景区村庄创建', '旅游厕所建设', '旅游集散中心建设', '文旅融合示范项目'],
  },
  {
    region: '330000', kind: 'commerce', name: '省级商务促进财政专项资金',
    purpose: '支持外贸稳规模优结构、跨境电子商务发展、内贸流通体系建设和消费提质扩容。',
    amounts: [40000, 42000, 40000], rules: '《浙江省商务促进财政专项资金管理办法》',
    conditions: '在浙江省内依法注册、具有对外贸易经营资格或者内贸流通业务的企业；上年度进出口额或者销售额达到申报指南规定的标准；未被列入失信被执行人名单。',
    recipients: ['enterprise', 'county'], projects: ['跨境电子商务综合试验区建设', '外贸公共海外仓建设', '县域商业体系建设', '品牌展会补助'],
  },
  {
    region: '330000', kind: 'ecology', name: '省级生态环境保护专项资金',
    purpose: '支持水、大气、土壤污染防治、生态保护修复和生态环境监测能力建设。',
    amounts: [60000, 62000, 65000], rules: '《浙江省生态环境保护专项资金管理办法》',
    conditions: '项目纳入中央或者省级生态环境保护项目储备库，具备实施条件；县级财政落实配套资金；绩效目标明确。',
    recipients: ['county'], projects: ['农村生活污水治理设施提标改造', '工业园区污水零直排建设', '土壤污染修复', '大气监测站点建设'],
  },
  {
    region: '330000', kind: 'education', name: '省级现代职业教育质量提升计划专项资金',
    purpose: '支持中等职业学校高水平专业群建设、产教融合实训基地和“双师型”教师队伍建设。',
    amounts: [25000, 26000, 27000], rules: '《浙江省现代职业教育质量提升计划专项资金管理办法》',
    conditions: '公办或者符合条件的民办职业院校；项目列入省职业教育项目库；学校办学条件达到国家标准。',
    recipients: ['institution', 'county'], projects: ['高水平专业群建设', '产教融合实训基地建设', '双师型教师培训'],
  },
  {
    region: '330000', kind: 'emergency', name: '省级安全生产和应急管理专项资金',
    purpose: '支持安全生产风险普查治理、应急救援队伍装备和基层应急能力建设。',
    amounts: [10000, 11000, 12000], rules: '《浙江省安全生产和应急管理专项资金管理办法》',
    conditions: '由县（市、区）应急管理部门组织申报；项目纳入省应急管理项目库；申报单位近两年未发生较大及以上生产安全事故。',
    recipients: ['county'], projects: ['基层应急能力标准化建设', '应急救援装备配备', '安全生产风险隐患治理'],
  },
  {
    region: '330000', kind: 'market_regulation', name: '省级质量强省和标准化战略专项资金',
    purpose: '支持浙江制造标准研制、品牌认证、标准化试点示范和质量基础设施“一站式”服务。',
    amounts: [8000, 8500, 9000], rules: '《浙江省质量强省和标准化战略专项资金管理办法》',
    conditions: '主导制定国际标准、国家标准、行业标准或者“浙江制造”标准并已发布；或者承担国家级、省级标准化试点示范项目并通过验收。',
    recipients: ['enterprise', 'institution'], projects: ['浙江制造标准研制', '标准化试点示范', '品牌认证奖励', '质量基础设施一站式服务站建设'],
  },
  {
    region: '330000', kind: 'health', name: '省级基本公共卫生服务补助资金',
    purpose: '按常住人口和人均补助标准支持基本公共卫生服务项目，包括居民健康档案、慢性病管理、老年人健康管理等。',
    amounts: [70000, 72000, 75000], rules: '《浙江省基本公共卫生服务补助资金管理办法》',
    conditions: '按因素法分配至县（市、区），由县级卫生健康部门按服务数量和质量考核结果拨付基层医疗卫生机构。',
    recipients: ['county'], projects: ['基本公共卫生服务补助'],
  },
  {
    region: '330000', kind: 'civil_affairs', name: '省级养老服务体系建设补助资金',
    purpose: '支持居家社区养老服务设施、乡镇（街道）区域养老服务中心、养老机构护理型床位和认知障碍照护专区建设。',
    amounts: [30000, 32000, 34000], rules: '《浙江省养老服务体系建设补助资金管理办法》',
    conditions: '设施已建成并投入运营，通过民政部门验收；养老机构依法备案，护理型床位占比达到规定要求。',
    recipients: ['county', 'institution'], projects: ['区域养老服务中心建设', '护理型床位建设补助', '认知障碍照护专区建设', '居家养老服务中心运营补助'],
  },
  {
    region: '330100', kind: 'human_resources', name: '杭州市就业专项资金',
    purpose: '用于杭州市职业技能提升、创业担保贷款贴息、大学生创业扶持和困难人员就业援助。',
    amounts: [21000, 22000, 23000], rules: '《杭州市就业专项资金管理办法》',
    conditions: '在杭州市依法登记的用人单位、创业实体和符合条件的个人；创业扶持对象须为毕业五年内的高校毕业生；补贴申请须通过杭州市就业创业服务平台提交。',
    recipients: ['county', 'enterprise'], projects: ['大学生创业项目资助', '创业担保贷款贴息', '职业技能提升补贴', '就业援助补贴'],
  },
  {
    region: '330100', kind: 'culture_tourism', name: '杭州市文化创意产业发展专项资金',
    purpose: '支持数字内容、动漫游戏、影视制作、设计服务等文化创意重点企业和项目。',
    amounts: [10000, 10000, 11000], rules: '《杭州市文化创意产业发展专项资金管理办法》',
    conditions: '在杭州市注册并依法纳税一年以上的文化创意企业；项目具有自主知识产权；企业未享受同一项目的其他市级财政资助。',
    recipients: ['enterprise'], projects: ['原创动漫作品资助', '影视精品扶持', '设计服务平台建设', '数字内容创新项目'],
  },
  {
    region: '330100', kind: 'agriculture', name: '杭州市现代农业发展专项资金',
    purpose: '支持杭州市农业主导产业提升、数字农业工厂、农产品品牌建设和新型农业经营主体培育。',
    amounts: [16000, 16500, 17000], rules: '《杭州市现代农业发展专项资金管理办法》',
    conditions: '在杭州市依法登记的农民专业合作社、家庭农场和农业企业；项目已纳入区、县（市）项目库；实施主体近三年无农产品质量安全不良记录。',
    recipients: ['cooperative', 'county'], projects: ['数字农业工厂建设', '农产品品牌培育', '新型农业经营主体培育', '茶产业提升'],
  },
  {
    region: '330100', kind: 'market_regulation', name: '杭州市知识产权专项资金',
    purpose: '支持发明专利创造、知识产权运营、高价值专利培育和知识产权保护。',
    amounts: [6000, 6500, 7000], rules: '《杭州市知识产权专项资金管理办法》',
    conditions: '在杭州市注册的企业、高校和科研院所；申报的专利已授权或者已完成转化运用；申报单位未因知识产权侵权被处罚。',
    recipients: ['enterprise', 'institution'], projects: ['高价值专利培育', '知识产权运营服务', '专利转化运用奖励', '知识产权保护工作站建设'],
  },
  {
    region: '330200', kind: 'development_reform', name: '宁波市服务业发展专项资金',
    purpose: '支持宁波市港航物流、现代商贸、科技服务等服务业重点项目和集聚区建设。',
    amounts: [12000, 12500, 13000], rules: '《宁波市服务业发展专项资金管理办法》',
    conditions: '在宁波市依法登记的企业；项目已立项备案并开工建设，固定资产投资额达到申报指南规定的标准。',
    recipients: ['enterprise', 'county'], projects: ['港航物流服务项目', '科技服务业集聚区建设', '商贸流通重点项目'],
  },
  {
    region: '330300', kind: 'market_regulation', name: '温州市质量强市专项资金',
    purpose: '支持温州市质量提升、标准化建设、品牌培育和检验检测公共服务平台建设。',
    amounts: [5000, 5200, 5500], rules: '《温州市质量强市专项资金管理办法》',
    conditions: '在温州市注册的企业、社会组织和检验检测机构；获得政府质量奖、主导制定标准或者承担质量提升项目并通过验收。',
    recipients: ['enterprise', 'institution'], projects: ['政府质量奖奖励', '标准制定资助', '品牌培育奖励', '检验检测公共服务平台建设'],
  },
];

/** Demo enterprises by city (fictitious), as allocation recipients. */
export const DEMO_FUND_ENTERPRISES: Record<string, string[]> = {
  '330000': ['浙江之江智能装备有限公司', '浙江钱塘新材料科技股份有限公司', '浙江瓯江物流集团有限公司', '浙江天目绿色能源有限公司', '浙江甬舟跨境电商有限公司', '浙江越州纺织印染有限公司', '浙江婺州文化传媒有限公司', '浙江南湖数字科技有限公司'],
  '330100': ['杭州西湖云栖数字科技有限公司', '杭州钱江动漫文化有限公司', '杭州良渚设计服务有限公司', '杭州滨江芯片设计有限公司', '杭州余杭影视制作有限公司', '杭州萧山汽配科技有限公司'],
  '330200': ['宁波北仑港航物流有限公司', '宁波鄞州科技服务有限公司', '宁波三江商贸有限公司', '宁波梅山供应链管理有限公司'],
  '330300': ['温州鹿城鞋业有限公司', '温州瓯海眼镜有限公司', '温州龙湾阀门有限公司', '温州乐清电气检测有限公司'],
};

/** Demo institutions by city (fictitious names), as allocation recipients. */
export const DEMO_FUND_INSTITUTIONS: Record<string, string[]> = {
  '330000': ['浙江省技师学院（演示）', '浙江省标准化研究院（演示）', '浙江省现代职业技术学校（演示）', '浙江省颐养护理院（演示）'],
  '330100': ['杭州市知识产权研究中心（演示）', '杭州市西湖职业高级中学（演示）', '杭州市城西养老服务中心（演示）'],
  '330300': ['温州市质量技术检测研究院（演示）', '温州市标准化研究中心（演示）'],
};

/** Demo cooperatives (fictitious, with the data-resources seed's 桐庐建国农产品专业合作社). */
export const DEMO_COOPERATIVES = ['桐庐建国农产品专业合作社', '安吉白茶产销专业合作社（演示）', '余杭径山茶叶专业合作社（演示）', '建德草莓种植专业合作社（演示）', '临安山核桃专业合作社（演示）'];
