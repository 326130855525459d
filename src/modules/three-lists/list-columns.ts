/**
 * The columns of an import file (导入文件的列), per kind: the Chinese header, the entry field it fills, and how a
 * cell becomes the field's value. Headers may also be the field names (key, name, …). Multi-value cells hold
 * values separated by `；` or new lines. A fund's years and allocations are written in one cell each:
 *   年度资金规模  2024：1200；2025：1500.5                (年度：金额（万元）, one per year)
 *   分配结果      2024｜某某公司｜120｜2024-06-30｜某项目  (年度｜分配对象｜金额｜公布日期｜项目名称, one per line or '；')
 * The template download (a header row and one example row) comes from the same definitions.
 */
import type { ListKind } from '../../db/schema.ts';
import type { FundEntry, ListEntry, NegativeEntry, PowerEntry } from './three-lists.types.ts';
import { splitValues } from './validate-list-entry.ts';

export interface ListColumn {
  header: string; // 表头
  field: string; // the entry's field
  required: boolean;
  hint: string; // what to write (shown on the import page)
  multi?: boolean; // values separated by '；' or new lines
}

export const LIST_COLUMNS: Record<ListKind, ListColumn[]> = {
  power: [
    { header: '权力编码', field: 'key', required: true, hint: '本部门清单内唯一，如 XK-330106-004-0001' },
    { header: '权力事项名称', field: 'name', required: true, hint: '不超过 200 字' },
    { header: '权力类型', field: 'type', required: true, hint: '十类之一：写代码（XK）或名称（行政许可）' },
    { header: '行使层级', field: 'level', required: false, hint: '省级、市级或县级；不填为本部门层级' },
    { header: '权力来源', field: 'powerSource', required: false, hint: '法定本级行使、上级下放、上级授权、同级授权、上级委托、同级委托；不填为法定本级行使' },
    { header: '设定依据', field: 'legalBasis', required: true, multi: true, hint: '法律法规名称及条款，至少一项' },
    { header: '实施主体', field: 'implementingBody', required: false, hint: '不填为本部门名称' },
    { header: '责任事项', field: 'responsibilities', required: true, multi: true, hint: '受理、审查、决定、送达、事后监管等，至少一项' },
    { header: '追责情形', field: 'accountability', required: true, multi: true, hint: '至少一项' },
    { header: '关联事项基本编码', field: 'itemCodes', required: false, multi: true, hint: '行使该权力的政务服务事项的 12 位基本编码，须属本部门' },
    { header: '备注', field: 'notes', required: false, hint: '' },
  ],
  negative: [
    { header: '条目编号', field: 'key', required: true, hint: '如 N-2026-017' },
    { header: '类别', field: 'category', required: true, hint: '禁止类、限制类或核准类' },
    { header: '行业代码', field: 'industryCodes', required: true, multi: true, hint: 'GB/T 4754 代码：门类字母或字母加 2–4 位数字，如 C、C25、C2511' },
    { header: '项目类型', field: 'projectType', required: true, hint: '如 新建炼油项目' },
    { header: '具体内容', field: 'description', required: true, hint: '' },
    { header: '准入条件', field: 'conditions', required: false, hint: '限制类必填' },
    { header: '核准机关', field: 'authority', required: false, hint: '核准类必填' },
    { header: '设定依据', field: 'legalBasis', required: true, multi: true, hint: '至少一项' },
  ],
  fund: [
    { header: '资金编码', field: 'key', required: true, hint: '如 F-330000-024-003' },
    { header: '专项资金名称', field: 'name', required: true, hint: '' },
    { header: '资金用途', field: 'purpose', required: true, hint: '' },
    { header: '年度资金规模', field: 'years', required: true, multi: true, hint: '每年一项“年度：金额”（万元，最多两位小数），如 2024：1200；2025：1500.5' },
    { header: '管理办法', field: 'rules', required: true, hint: '管理办法文件名称' },
    { header: '申报条件', field: 'conditions', required: true, hint: '' },
    { header: '咨询电话', field: 'contact', required: false, hint: '' },
    { header: '分配结果', field: 'allocations', required: false, multi: true, hint: '每行一条“年度｜分配对象｜金额｜公布日期｜项目名称”，如 2024｜某某公司｜120｜2024-06-30｜技术改造；同一年合计不能超过当年资金规模' },
  ],
};

/** The column a header names (Chinese header or field name), or undefined. */
export function columnFor(kind: ListKind, header: string): ListColumn | undefined {
  const h = header.replace(/^\uFEFF/, '').replace(/[*＊]/g, '').trim();
  return LIST_COLUMNS[kind].find((c) => c.header === h || c.field === h);
}

/** The header of the column an entry field (or a problem's field such as 'years.1.amount') belongs to. */
export function headerOf(kind: ListKind, field: string): string {
  const base = field.split('.')[0]!;
  return LIST_COLUMNS[kind].find((c) => c.field === base)?.header ?? field;
}

function fundYears(cell: string): unknown[] {
  return splitValues(cell).map((v) => {
    const m = /^(\S+?)\s*[:：]\s*(\S+)$/.exec(v);
    return m ? { year: m[1], amount: m[2] } : { year: v, amount: '' };
  });
}

function fundAllocations(cell: string): unknown[] {
  return splitValues(cell).map((v) => {
    const [year, recipient, amount, date, project] = v.split(/[|｜]/).map((x) => x.trim());
    return { year: year ?? '', recipient: recipient ?? '', amount: amount ?? '', date: date ?? '', project: project ?? '' };
  });
}

/** A row of cells (by column) as a raw entry for validateListEntry. */
export function entryFromCells(kind: ListKind, cells: Map<ListColumn, string>): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  for (const [col, value] of cells) {
    if (kind === 'fund' && col.field === 'years') o.years = fundYears(value);
    else if (kind === 'fund' && col.field === 'allocations') o.allocations = fundAllocations(value);
    else o[col.field] = col.multi ? splitValues(value) : value;
  }
  return o;
}

/** An entry as cells, in column order (the template's example row; also usable for exports). */
export function cellsOfEntry(kind: ListKind, e: ListEntry): string[] {
  return LIST_COLUMNS[kind].map((c) => {
    if (kind === 'fund' && c.field === 'years') return (e as FundEntry).years.map((y) => `${y.year}：${y.amount}`).join('；');
    if (kind === 'fund' && c.field === 'allocations') {
      return (e as FundEntry).allocations.map((a) => [a.year, a.recipient, a.amount, a.date, a.project ?? ''].join('｜')).join('\n');
    }
    const v = (e as unknown as Record<string, unknown>)[c.field];
    if (Array.isArray(v)) return v.join('；');
    return v === undefined || v === null ? '' : String(v);
  });
}

export const TEMPLATE_EXAMPLES: { power: PowerEntry; negative: NegativeEntry; fund: FundEntry } = {
  power: {
    key: 'XK-330106-004-0001',
    name: '食品经营许可',
    type: 'XK',
    level: 'county',
    powerSource: 'statutory',
    legalBasis: ['《中华人民共和国食品安全法》第三十五条', '《食品经营许可和备案管理办法》'],
    implementingBody: '杭州市西湖区市场监督管理局',
    responsibilities: ['受理责任：公示办理条件、材料，一次性告知补正材料', '审查责任：审核申请材料，组织现场核查', '决定责任：作出准予或不予许可决定'],
    accountability: ['对符合条件的申请不予受理、不予许可的', '对不符合条件的申请准予许可的'],
    itemCodes: [],
    notes: '',
  },
  negative: {
    key: 'N-2026-001',
    category: 'approval',
    industryCodes: ['C2511'],
    projectType: '新建炼油项目',
    description: '新建炼油及扩建一次炼油项目',
    conditions: '符合国家石化产业规划布局方案',
    authority: '省发展和改革委员会',
    legalBasis: ['《企业投资项目核准和备案管理条例》', '《政府核准的投资项目目录》'],
  },
  fund: {
    key: 'F-330000-024-001',
    name: '省工业与信息化发展财政专项资金',
    purpose: '支持企业技术改造和数字化转型',
    years: [
      { year: 2024, amount: 12000 },
      { year: 2025, amount: 15000.5 },
    ],
    rules: '《浙江省工业与信息化发展财政专项资金管理办法》',
    conditions: '在本省登记注册、具有独立法人资格的工业企业',
    contact: '0571-87000000',
    allocations: [{ year: 2024, recipient: '某某科技有限公司', amount: 120, date: '2024-06-30', project: '智能工厂改造' }],
  },
};
