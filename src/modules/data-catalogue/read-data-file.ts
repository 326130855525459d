/**
 * Reads an uploaded file of records (数据装载) as a stream of rows: the file lies in blob storage in parts
 * (upload-data-file.ts stores it the way result files are stored), so a file of millions of rows never sits in
 * memory whole.
 *
 * - CSV and XLSX: the result-set reader (read-result-file.ts) — csv-parse behind a fatal UTF-8 decoder (GBK is
 *   refused with a message naming it), exceljs's streaming reader for the first worksheet.
 * - JSON: a JSON array of objects, or NDJSON (one object per line). The text is decoded as UTF-8 (fatal) and
 *   scanned for the top-level objects, each parsed on its own; a row's number is the line it starts on.
 */
import type { BlobStorage } from '../attachments/blob-storage.ts';
import { partKey, readResultFile, type FileRow, type ReadProgress } from '../result-sets/read-result-file.ts';
import { LoadFailure, NOT_UTF8 } from '../result-sets/result-sets.errors.ts';

export type DataFileFormat = 'csv' | 'xlsx' | 'json';

export interface StoredDataFile {
  fileKey: string;
  fileBytes: number;
  format: DataFileFormat;
}

/** A row of a spreadsheet (cells under the header row) or one JSON object. */
export type DataRow = ({ kind: 'cells' } & FileRow) | { kind: 'object'; line: number; record: Record<string, unknown> };

const MISSING = '上传的文件已丢失或不完整，请重新上传';
const NOT_OBJECT = 'JSON 文件应为对象数组（[{…},{…}]）或每行一个对象（NDJSON），每个对象是一条记录';

async function* textOf(storage: BlobStorage, f: StoredDataFile, progress: ReadProgress): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let read = 0;
  for (let i = 0; read < f.fileBytes; i++) {
    let part: Buffer;
    try {
      part = await storage.get(partKey(f.fileKey, i));
    } catch {
      throw new LoadFailure(MISSING);
    }
    if (part.length === 0) throw new LoadFailure(MISSING);
    read += part.length;
    progress.bytes += part.length;
    try {
      yield decoder.decode(part, { stream: true });
    } catch {
      throw new LoadFailure(NOT_UTF8);
    }
  }
  try {
    yield decoder.decode();
  } catch {
    throw new LoadFailure(NOT_UTF8);
  }
}

function parseObject(text: string, line: number): Record<string, unknown> {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    throw new LoadFailure(`JSON 格式有误，第 ${line} 行附近的对象无法解析。请检查引号、逗号和括号`);
  }
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new LoadFailure(`第 ${line} 行：${NOT_OBJECT}`);
  return v as Record<string, unknown>;
}

/**
 * The top-level objects of a JSON array, or of NDJSON: a scanner that follows strings and nesting and hands
 * each complete object to JSON.parse.
 */
async function* jsonRows(storage: BlobStorage, f: StoredDataFile, progress: ReadProgress): AsyncGenerator<DataRow> {
  let mode: 'unknown' | 'array' | 'lines' = 'unknown';
  let depth = 0; // nesting inside the current object (0: between objects)
  let inString = false;
  let escaped = false;
  let line = 1;
  let startLine = 0;
  let pending = ''; // the current object's text so far (from earlier chunks)
  let closed = false; // the array's ']' was seen
  let first = true;
  for await (let chunk of textOf(storage, f, progress)) {
    if (first && chunk.length) {
      if (chunk.charCodeAt(0) === 0xfeff) chunk = chunk.slice(1);
      first = false;
    }
    let objStart = depth > 0 ? 0 : -1;
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk.charCodeAt(i);
      if (c === 10) line++;
      if (depth > 0) {
        if (inString) {
          if (escaped) escaped = false;
          else if (c === 92) escaped = true; // \
          else if (c === 34) inString = false; // "
        } else if (c === 34) inString = true;
        else if (c === 123 || c === 91) depth++; // { [
        else if (c === 125 || c === 93) {
          depth--;
          if (depth === 0) {
            const text = pending + chunk.slice(objStart, i + 1);
            pending = '';
            objStart = -1;
            yield { kind: 'object', line: startLine, record: parseObject(text, startLine) };
          }
        }
        continue;
      }
      // between objects
      if (c === 32 || c === 9 || c === 10 || c === 13) continue;
      if (closed) throw new LoadFailure(`JSON 格式有误，第 ${line} 行：数组结束（]）之后还有内容`);
      if (mode === 'unknown') {
        if (c === 91) {
          mode = 'array';
          continue;
        }
        if (c === 123) mode = 'lines';
        else throw new LoadFailure(NOT_OBJECT);
      }
      if (c === 123) {
        depth = 1;
        objStart = i;
        startLine = line;
        continue;
      }
      if (mode === 'array' && c === 44) continue; // , between elements (JSON.parse of each object finds real syntax errors)
      if (mode === 'array' && c === 93) {
        closed = true;
        continue;
      }
      throw new LoadFailure(`第 ${line} 行：${NOT_OBJECT}`);
    }
    if (depth > 0) pending += chunk.slice(objStart);
  }
  if (depth > 0 || inString) throw new LoadFailure(`JSON 格式有误：文件在第 ${startLine} 行开始的对象中间结束（文件不完整？）`);
  if (mode === 'array' && !closed) throw new LoadFailure('JSON 格式有误：数组没有以 ] 结束（文件不完整？）');
}

async function* cellRows(storage: BlobStorage, f: StoredDataFile & { format: 'csv' | 'xlsx' }, progress: ReadProgress): AsyncGenerator<DataRow> {
  for await (const row of readResultFile(storage, f, progress)) yield { kind: 'cells', line: row.line, cells: row.cells };
}

export function readDataFile(storage: BlobStorage, f: StoredDataFile, progress: ReadProgress): AsyncGenerator<DataRow> {
  if (f.format === 'json') return jsonRows(storage, f, progress);
  return cellRows(storage, { ...f, format: f.format }, progress);
}

/** For the fast path: CSV and XLSX rows without the wrapper object. */
export function readCellRows(storage: BlobStorage, f: StoredDataFile & { format: 'csv' | 'xlsx' }, progress: ReadProgress): AsyncGenerator<FileRow> {
  return readResultFile(storage, f, progress);
}
