/**
 * 导入清单: a whole list, or its added and changed entries, from a CSV (UTF-8), XLSX or JSON file into the
 * department's draft. Every row is checked (validate-list-entry.ts, keys unique within the file); if any row is
 * bad NOTHING is written and the answer is a row-level report (row, column, message). Modes:
 * - replace: the draft's entries become exactly the file's (a whole list);
 * - merge: the file's entries are added, or replace the draft's entries with the same key; others stay.
 * Columns per kind: list-columns.ts (Chinese headers or field names; multi-value cells split on '；' or new
 * lines). JSON: an array of entries (field names as in three-lists.types.ts, or the Chinese headers), or
 * {"entries": [...]}.
 */
import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import type { Kysely } from 'kysely';
import type { DB, ListKind } from '../../db/schema.ts';
import type { Principal } from '../access/principal.ts';
import type { AuditActor } from '../audit/audit.types.ts';
import { recordAuditEvent } from '../audit/record-audit-event.ts';
import { FieldErrorsError, InvalidParameterError } from '../../shared/errors.ts';
import { diffEntries } from './diff-list-editions.ts';
import { withDraftRetry } from './open-list-draft.ts';
import { accountOf, departmentForDrafting, draftForEditing, touchEdition } from './list-access.ts';
import { columnFor, entryFromCells, headerOf, LIST_COLUMNS, type ListColumn } from './list-columns.ts';
import { entryOf } from './three-lists.editions.ts';
import type { ListEntry } from './three-lists.types.ts';
import { duplicateKeyProblems, itemCodesOf, loadItemKinds, validateListEntry } from './validate-list-entry.ts';

export type ImportFormat = 'csv' | 'xlsx' | 'json';
export type ImportMode = 'replace' | 'merge';
export const MAX_IMPORT_ROWS = 10_000;

export interface RowProblem {
  row: number; // the spreadsheet row (header = 1), or the JSON entry's number (1-based)
  column: string; // the column's header (or the field)
  message: string;
}

/** The file was read but some rows are bad: nothing was written. */
export class ImportRejectedError extends FieldErrorsError {
  constructor(readonly rows: RowProblem[]) {
    super(rows.slice(0, 200).map((r) => ({ field: `row${r.row}.${r.column}`, code: 'ROW_INVALID', message: `第 ${r.row} 行「${r.column}」：${r.message}` })));
    this.message = `导入失败：${rows.length} 处错误，未写入任何条目。请按错误报告修改后重新上传（第一处：第 ${rows[0]!.row} 行「${rows[0]!.column}」${rows[0]!.message}）`;
  }
}

export interface ImportResult {
  editionId: number;
  mode: ImportMode;
  rows: number;
  added: number;
  changed: number;
  removed: number;
  entryCount: number;
}

interface RawRow {
  row: number;
  raw: Record<string, unknown>;
}

/** The format from the declared one, the file name, or the content. */
export function detectImportFormat(bytes: Buffer, fileName = '', declared?: string): ImportFormat {
  const d = (declared ?? '').toLowerCase();
  if (d === 'csv' || d === 'xlsx' || d === 'json') return d;
  const ext = /\.([a-z]+)$/i.exec(fileName)?.[1]?.toLowerCase();
  if (ext === 'csv' || ext === 'xlsx' || ext === 'json') return ext;
  if (bytes[0] === 0x50 && bytes[1] === 0x4b) return 'xlsx';
  const head = bytes.subarray(0, 64).toString('utf8').replace(/^\uFEFF/, '').trimStart();
  if (head.startsWith('[') || head.startsWith('{')) return 'json';
  if (ext && ext !== 'txt') throw new InvalidParameterError('file', `不支持的文件类型（.${ext.slice(0, 10)}），请上传 CSV（UTF-8）、XLSX 或 JSON 文件`);
  return 'csv';
}

function decodeUtf8(bytes: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, '');
  } catch {
    throw new InvalidParameterError('file', '文件不是 UTF-8 编码（可能是 GBK/GB18030），请另存为 UTF-8 后重新上传');
  }
}

function rowsFromTable(kind: ListKind, table: { row: number; cells: string[] }[]): RawRow[] {
  const header = table[0];
  if (!header) throw new InvalidParameterError('file', '文件是空的：第一行应为表头');
  const cols: (ListColumn | undefined)[] = header.cells.map((h) => columnFor(kind, String(h ?? '')));
  const unknown = header.cells.map((h, i) => (!cols[i] && String(h ?? '').trim() ? String(h).trim() : '')).filter(Boolean);
  if (unknown.length) {
    throw new InvalidParameterError('file', `表头中有无法识别的列：${unknown.slice(0, 5).join('、')}。可用的列：${LIST_COLUMNS[kind].map((c) => c.header).join('、')}`);
  }
  const seen = new Set<ListColumn>();
  cols.forEach((c) => {
    if (!c) return;
    if (seen.has(c)) throw new InvalidParameterError('file', `表头中“${c.header}”列重复`);
    seen.add(c);
  });
  const missing = LIST_COLUMNS[kind].filter((c) => c.required && !seen.has(c));
  if (missing.length) throw new InvalidParameterError('file', `表头缺少必需的列：${missing.map((c) => c.header).join('、')}`);
  const out: RawRow[] = [];
  for (const r of table.slice(1)) {
    if (r.cells.every((c) => !String(c ?? '').trim())) continue;
    const cells = new Map<ListColumn, string>();
    r.cells.forEach((v, i) => {
      const c = cols[i];
      if (c) cells.set(c, String(v ?? '').trim());
    });
    out.push({ row: r.row, raw: entryFromCells(kind, cells) });
  }
  return out;
}

function csvTable(bytes: Buffer): { row: number; cells: string[] }[] {
  const text = decodeUtf8(bytes);
  try {
    const records = parse(text, { relax_column_count: true, relax_quotes: true, info: true }) as unknown as { record: string[]; info: { lines: number } }[];
    return records.map((r) => ({ row: r.info.lines, cells: r.record }));
  } catch (err) {
    const lines = (err as { lines?: number }).lines;
    throw new InvalidParameterError('file', `CSV 格式有误${typeof lines === 'number' ? `（第 ${lines} 行附近）` : ''}，请用 Excel 或 WPS 另存为 CSV（UTF-8）后重新上传`);
  }
}

function cellText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === 'object') {
    const o = v as { richText?: { text?: string }[]; result?: unknown; text?: unknown; formula?: unknown; sharedFormula?: unknown; error?: unknown };
    if (Array.isArray(o.richText)) return o.richText.map((r) => r.text ?? '').join('');
    if ('formula' in o || 'sharedFormula' in o) return cellText(o.result);
    if ('text' in o) return cellText(o.text);
    if ('error' in o) return String(o.error);
  }
  return String(v);
}

async function xlsxTable(bytes: Buffer): Promise<{ row: number; cells: string[] }[]> {
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch {
    throw new InvalidParameterError('file', 'XLSX 文件无法读取（文件损坏或不是 Excel 2007 及以上格式），请重新另存后上传');
  }
  const ws = wb.worksheets[0];
  if (!ws) throw new InvalidParameterError('file', 'XLSX 文件中没有工作表');
  const out: { row: number; cells: string[] }[] = [];
  ws.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const values = row.values as unknown[]; // 1-based
    const cells: string[] = [];
    for (let i = 1; i < values.length; i++) cells.push(cellText(values[i]));
    out.push({ row: rowNumber, cells });
  });
  return out;
}

function jsonRows(kind: ListKind, bytes: Buffer): RawRow[] {
  let v: unknown;
  try {
    v = JSON.parse(decodeUtf8(bytes));
  } catch (err) {
    if (err instanceof InvalidParameterError) throw err;
    throw new InvalidParameterError('file', 'JSON 格式有误，无法解析。请检查引号、逗号和括号');
  }
  const list = Array.isArray(v) ? v : v && typeof v === 'object' && Array.isArray((v as { entries?: unknown }).entries) ? (v as { entries: unknown[] }).entries : undefined;
  if (!list) throw new InvalidParameterError('file', 'JSON 文件应为条目数组（[{…},{…}]）或 {"entries": [...]}');
  return list.map((x, i) => {
    if (!x || typeof x !== 'object' || Array.isArray(x)) return { row: i + 1, raw: x as Record<string, unknown> };
    // Chinese headers are accepted as keys too; cells written as text go through the same splitting as a CSV
    const o: Record<string, unknown> = {};
    const cells = new Map<ListColumn, string>();
    for (const [k, val] of Object.entries(x as Record<string, unknown>)) {
      const col = columnFor(kind, k);
      if (col && col.header === k.trim() && typeof val === 'string') cells.set(col, val);
      else o[col?.field ?? k] = val;
    }
    return { row: i + 1, raw: { ...o, ...entryFromCells(kind, cells) } };
  });
}

/** The file's rows as raw entries (format problems are a 400 naming the file). */
export async function readListFile(kind: ListKind, bytes: Buffer, format: ImportFormat): Promise<RawRow[]> {
  if (!bytes.length) throw new InvalidParameterError('file', '上传的文件是空的');
  const rows = format === 'json' ? jsonRows(kind, bytes) : rowsFromTable(kind, format === 'csv' ? csvTable(bytes) : await xlsxTable(bytes));
  if (!rows.length) throw new InvalidParameterError('file', '文件中没有条目（表头下没有数据行）');
  if (rows.length > MAX_IMPORT_ROWS) throw new InvalidParameterError('file', `一次最多导入 ${MAX_IMPORT_ROWS} 条，文件中有 ${rows.length} 条`);
  return rows;
}

export async function importListEntries(
  db: Kysely<DB>,
  p: Principal,
  kind: ListKind,
  departmentId: number,
  file: { bytes: Buffer; fileName?: string; format?: string },
  mode: ImportMode,
  actor: AuditActor,
): Promise<ImportResult> {
  if (mode !== 'replace' && mode !== 'merge') throw new InvalidParameterError('mode', '导入方式应为 replace（整体替换）或 merge（新增和修改）');
  const d = await departmentForDrafting(db, p, kind, departmentId, actor);
  const rows = await readListFile(kind, file.bytes, detectImportFormat(file.bytes, file.fileName, file.format));
  const itemKinds = kind === 'power' ? await loadItemKinds(db, rows.flatMap((r) => itemCodesOf(r.raw))) : new Map();
  const ctx = { departmentName: d.name, departmentKind: d.kind, regionLevel: d.regionLevel, itemKinds };
  const problems: RowProblem[] = [];
  const entries: ListEntry[] = [];
  for (const r of rows) {
    const { entry, problems: ps } = validateListEntry(kind, r.raw, ctx);
    for (const x of ps) problems.push({ row: r.row, column: headerOf(kind, x.field), message: x.message });
    entries.push(entry);
  }
  for (const [i, x] of duplicateKeyProblems(entries)) problems.push({ row: rows[i]!.row, column: headerOf(kind, 'key'), message: x.message.replace(/第 (\d+) 条/, (_m, n) => `第 ${rows[Number(n) - 1]!.row} 行`) });
  if (problems.length) {
    problems.sort((a, b) => a.row - b.row);
    throw new ImportRejectedError(problems);
  }

  return withDraftRetry(() =>
    db.transaction().execute(async (trx) => {
      const draft = await draftForEditing(trx, kind, d, accountOf(p));
      const before = (await trx.selectFrom('list_entries').select('data').where('edition_id', '=', draft.id).execute()).map((e) => entryOf(e.data));
      if (mode === 'replace') await trx.deleteFrom('list_entries').where('edition_id', '=', draft.id).execute();
      for (let i = 0; i < entries.length; i += 200) {
        await trx
          .insertInto('list_entries')
          .values(entries.slice(i, i + 200).map((e) => ({ edition_id: draft.id, entry_key: e.key, data: JSON.stringify(e) })))
          .onConflict((oc) => oc.columns(['edition_id', 'entry_key']).doUpdateSet((eb) => ({ data: eb.ref('excluded.data') })))
          .execute();
      }
      const byKey = new Map(before.map((e) => [e.key, e]));
      for (const e of entries) byKey.set(e.key, e);
      const after = mode === 'replace' ? entries : [...byKey.values()];
      const diff = diffEntries(before, after);
      const counts = { added: diff.added.length, changed: diff.changed.length, removed: diff.removed.length };
      const entryCount = await touchEdition(trx, draft.id);
      await recordAuditEvent(trx, {
        action: 'list.draft_saved',
        actor,
        target: { type: 'list_edition', id: String(draft.id) },
        details: { kind, departmentId: d.id, imported: true, mode, rows: entries.length, fileName: (file.fileName ?? '').slice(0, 200), ...counts },
      });
      return { editionId: draft.id, mode, rows: entries.length, ...counts, entryCount };
    }),
  );
}
