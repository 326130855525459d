/** 导入模板: the import file template of a kind — the header row and one example row, as CSV (UTF-8 with BOM) or XLSX. */
import ExcelJS from 'exceljs';
import { stringify } from 'csv-stringify/sync';
import type { ListKind } from '../../db/schema.ts';
import { cellsOfEntry, LIST_COLUMNS, TEMPLATE_EXAMPLES } from './list-columns.ts';
import { LIST_KINDS } from './three-lists.types.ts';

export async function listTemplate(kind: ListKind, format: 'csv' | 'xlsx'): Promise<{ bytes: Buffer; fileName: string; contentType: string }> {
  const header = LIST_COLUMNS[kind].map((c) => c.header);
  const example = cellsOfEntry(kind, TEMPLATE_EXAMPLES[kind]);
  const base = `${LIST_KINDS[kind].short}导入模板`;
  if (format === 'csv') {
    return { bytes: Buffer.from('\uFEFF' + stringify([header, example]), 'utf8'), fileName: `${base}.csv`, contentType: 'text/csv; charset=utf-8' };
  }
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet(LIST_KINDS[kind].short);
  ws.addRow(header).font = { bold: true };
  ws.addRow(example);
  ws.columns.forEach((c) => (c.width = 24));
  const notes = wb.addWorksheet('填写说明');
  notes.addRow(['列', '必填', '填写说明']).font = { bold: true };
  for (const c of LIST_COLUMNS[kind]) notes.addRow([c.header, c.required ? '是' : '否', c.hint + (c.multi ? '（多项用“；”或换行分隔）' : '')]);
  notes.columns.forEach((c, i) => (c.width = i === 2 ? 80 : 16));
  const bytes = Buffer.from(await wb.xlsx.writeBuffer());
  return { bytes, fileName: `${base}.xlsx`, contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' };
}
