/**
 * Downloads of the three lists with the page's filters: CSV (UTF-8 with a byte-order mark, so Excel reads the
 * Chinese; CRLF; RFC 4180 quoting), XLSX (exceljs; Chinese headers, one sheet per table) and JSON (the entries
 * as published, with their department and edition). The 专项资金 list has two tables: one row per fund and
 * year, and its allocation results (a second sheet; `?table=allocations` for CSV).
 */
import ExcelJS from 'exceljs';
import { ITEM_TYPES, EXERCISE_LEVELS, POWER_SOURCES } from '../catalogue/catalogue.types.ts';
import { NEGATIVE_CATEGORIES } from '../three-lists/three-lists.types.ts';
import { industryLabel } from './industry-classification.ts';
import { REGION_LEVELS, roundWan, type FundItem, type Listed, type NegativeItem, type PowerItem } from './lists-index.ts';

export type ExportFormat = 'csv' | 'xlsx' | 'json';
export type Cell = string | number;

export interface Table {
  sheet: string; // XLSX sheet name
  columns: { header: string; width: number }[];
  rows: Cell[][];
}

export const CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  json: 'application/json; charset=utf-8',
};

/** `attachment` with an ASCII name for old clients and the Chinese one (RFC 5987) for the rest. */
export function attachment(asciiName: string, name: string): string {
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${asciiName}"; filename*=UTF-8''${encoded}`;
}

const join = (xs: readonly string[]) => xs.join('；');

export function powerTable(items: PowerItem[]): Table {
  return {
    sheet: '权力清单',
    columns: [
      { header: '部门', width: 28 },
      { header: '地区', width: 20 },
      { header: '层级', width: 10 },
      { header: '权力编码', width: 22 },
      { header: '权力事项名称', width: 36 },
      { header: '权力类型', width: 12 },
      { header: '行使层级', width: 10 },
      { header: '权力来源', width: 14 },
      { header: '实施主体', width: 28 },
      { header: '设定依据', width: 50 },
      { header: '责任事项', width: 50 },
      { header: '追责情形', width: 50 },
      { header: '关联事项基本编码', width: 20 },
      { header: '备注', width: 20 },
      { header: '清单版本', width: 10 },
      { header: '发布时间', width: 22 },
    ],
    rows: items.map(({ entry: e, department: d, edition }) => [
      d.name,
      d.regionFullName,
      REGION_LEVELS[d.regionLevel],
      e.key,
      e.name,
      ITEM_TYPES[e.type],
      EXERCISE_LEVELS[e.level] ?? e.level,
      POWER_SOURCES[e.powerSource] ?? e.powerSource,
      e.implementingBody,
      join(e.legalBasis),
      join(e.responsibilities),
      join(e.accountability),
      join(e.itemCodes),
      e.notes ?? '',
      edition.version,
      edition.publishedAt,
    ]),
  };
}

export function negativeTable(items: NegativeItem[]): Table {
  return {
    sheet: '负面清单',
    columns: [
      { header: '条目编号', width: 14 },
      { header: '类别', width: 10 },
      { header: '行业代码', width: 16 },
      { header: '行业', width: 40 },
      { header: '项目类型', width: 30 },
      { header: '具体内容', width: 60 },
      { header: '准入条件', width: 40 },
      { header: '核准机关', width: 24 },
      { header: '依据', width: 50 },
      { header: '发布部门', width: 28 },
      { header: '清单版本', width: 10 },
    ],
    rows: items.map(({ entry: e, department: d, edition }) => [
      e.key,
      NEGATIVE_CATEGORIES[e.category],
      join(e.industryCodes),
      join(e.industryCodes.map(industryLabel)),
      e.projectType,
      e.description,
      e.conditions,
      e.authority,
      join(e.legalBasis),
      d.name,
      edition.version,
    ]),
  };
}

/** One row per fund and year (only `year` when given). */
export function fundTable(items: FundItem[], year?: number): Table {
  const rows: Cell[][] = [];
  for (const { entry: e, department: d } of items) {
    for (const y of [...e.years].sort((a, b) => a.year - b.year)) {
      if (year !== undefined && y.year !== year) continue;
      const allocs = e.allocations.filter((a) => a.year === y.year);
      rows.push([e.key, e.name, d.name, e.purpose, y.year, y.amount, roundWan(allocs.reduce((s, a) => s + a.amount, 0)), allocs.length, e.rules, e.conditions, e.contact ?? '']);
    }
  }
  return {
    sheet: '专项资金',
    columns: [
      { header: '资金编码', width: 20 },
      { header: '专项资金名称', width: 32 },
      { header: '主管部门', width: 28 },
      { header: '资金用途', width: 40 },
      { header: '年度', width: 8 },
      { header: '年度资金规模（万元）', width: 18 },
      { header: '当年已分配（万元）', width: 18 },
      { header: '当年分配笔数', width: 12 },
      { header: '管理办法', width: 36 },
      { header: '申报条件', width: 40 },
      { header: '咨询电话', width: 16 },
    ],
    rows,
  };
}

export function allocationTable(items: FundItem[], year?: number): Table {
  const rows: Cell[][] = [];
  for (const { entry: e, department: d } of items) {
    for (const a of e.allocations) {
      if (year !== undefined && a.year !== year) continue;
      rows.push([e.key, e.name, d.name, a.year, a.recipient, a.project ?? '', a.amount, a.date]);
    }
  }
  return {
    sheet: '分配结果',
    columns: [
      { header: '资金编码', width: 20 },
      { header: '专项资金名称', width: 32 },
      { header: '主管部门', width: 28 },
      { header: '年度', width: 8 },
      { header: '分配对象', width: 32 },
      { header: '项目名称', width: 32 },
      { header: '金额（万元）', width: 14 },
      { header: '公布日期', width: 12 },
    ],
    rows,
  };
}

/** A text cell that a spreadsheet would take for a formula is written with a leading apostrophe. */
function safeText(v: Cell): Cell {
  return typeof v === 'string' && /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
}

function csvCell(v: Cell): string {
  const s = String(safeText(v));
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(t: Table): Buffer {
  const lines = [t.columns.map((c) => csvCell(c.header)).join(',')];
  for (const r of t.rows) lines.push(r.map(csvCell).join(','));
  return Buffer.from(`\ufeff${lines.join('\r\n')}\r\n`, 'utf8');
}

export async function toXlsx(tables: Table[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = '一网 · 浙江政务服务';
  for (const t of tables) {
    const ws = wb.addWorksheet(t.sheet, { views: [{ state: 'frozen', ySplit: 1 }] });
    ws.columns = t.columns.map((c) => ({ header: c.header, width: c.width }));
    ws.getRow(1).font = { bold: true };
    for (const r of t.rows) ws.addRow(r.map(safeText));
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** Entries as published, each with its department and edition. */
export function toJson(kind: string, revision: number, filters: Record<string, unknown>, items: Listed<unknown>[], extra: (it: never) => object = () => ({})): Buffer {
  return Buffer.from(
    JSON.stringify({
      kind,
      revision,
      filters: Object.fromEntries(Object.entries(filters).filter(([, v]) => v !== undefined && v !== '')),
      total: items.length,
      items: items.map((it) => ({
        ...(it.entry as object),
        department: { id: it.department.id, name: it.department.name, creditCode: it.department.creditCode, regionCode: it.department.regionCode, regionLevel: it.department.regionLevel },
        edition: it.edition,
        ...extra(it as never),
      })),
    }),
    'utf8',
  );
}
