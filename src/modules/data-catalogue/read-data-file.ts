/**
 * Reads an uploaded file of records (数据装载) as a stream of rows: the file lies in blob storage in parts
 * (upload-data-file.ts stores it the way result files are stored), so a file of millions of rows never sits in
 * memory whole.
 *
 * - CSV: the bytes decoded as UTF-8 (fatal: GBK is refused with a message naming it), then a scanner of its
 *   own — the rules csv-parse follows for the result-set reader with the options used there (comma-separated,
 *   quotes as Excel writes them, a quote inside an unquoted field kept as it is, a BOM dropped, empty lines
 *   skipped, records ended by the line break the file uses first: \r\n, \n or \r), about five times faster on
 *   a file of millions of rows: unquoted fields are cut with indexOf, rows are handed over a slice at a time.
 *   A row's number is the line it ends on (header = 1).
 * - XLSX: the result-set reader (read-result-file.ts) — exceljs's streaming reader for the first worksheet.
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

/** Decoded text is handed over this much at a time (finer progress, bounded buffers). */
const SLICE_BYTES = 256 * 1024;

/** The stored parts in order, decoded as UTF-8 slice by slice; the next part fetched while the current is used. */
async function* textOf(storage: BlobStorage, f: StoredDataFile, progress: ReadProgress): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const fetch = (i: number) => {
    const p = storage.get(partKey(f.fileKey, i));
    p.catch(() => undefined); // awaited below; never an unhandled rejection if the reader stops early
    return p;
  };
  let next = f.fileBytes > 0 ? fetch(0) : undefined;
  let read = 0;
  for (let i = 0; next; i++) {
    let part: Buffer;
    try {
      part = await next;
    } catch {
      throw new LoadFailure(MISSING);
    }
    read += part.length;
    if (part.length === 0 || read > f.fileBytes) throw new LoadFailure(MISSING);
    next = read < f.fileBytes ? fetch(i + 1) : undefined;
    for (let at = 0; at < part.length; at += SLICE_BYTES) {
      const slice = part.subarray(at, at + SLICE_BYTES);
      progress.bytes += slice.length;
      let text: string;
      try {
        text = decoder.decode(slice, { stream: true });
      } catch {
        throw new LoadFailure(NOT_UTF8);
      }
      yield text;
    }
  }
  let rest: string;
  try {
    rest = decoder.decode();
  } catch {
    throw new LoadFailure(NOT_UTF8); // the file ends inside a character
  }
  if (rest) yield rest;
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

const CSV_MAX_RECORD = 1024 * 1024;
const csvQuoteNotClosed = (line: number) => new LoadFailure(`CSV 格式有误，第 ${line} 行附近：引号没有闭合。请用 Excel 或 WPS 重新另存为 CSV（UTF-8）后上传`);
const csvTooLong = (line: number) => new LoadFailure(`CSV 格式有误，第 ${line} 行附近：一行的内容过长（可能缺少换行或引号没有闭合）`);

/** Counts the \r and the \n in s (a quoted value's line breaks, counted each as csv-parse counts them). */
function breaksIn(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 10 || c === 13) n++;
  }
  return n;
}

/**
 * The CSV scanner: text in, rows out (a slice's complete rows at a time). What is left of an unfinished row
 * waits for the next slice.
 */
export class CsvScanner {
  private rest = '';
  private line = 1; // the line the next record starts on
  private started = false;
  /** The record delimiter, found at the first line break outside quotes: 10 (\n), 13 (\r) or -1 (\r\n); 0 unknown. */
  private eol = 0;

  /** The rows completed by this text; at the end (`last`), the final row even without a line break. */
  push(text: string, last = false): FileRow[] {
    let s = this.rest + text;
    if (!this.started && s.length) {
      if (s.charCodeAt(0) === 0xfeff) s = s.slice(1);
      this.started = true;
    }
    const rows: FileRow[] = [];
    const len = s.length;
    let pos = 0;
    // next comma / line break at or after pos (cached; -1: none in s)
    let comma = -2;
    let brk = -2;
    let recordStart = 0; // where the record being read starts (what is kept when it is not complete)
    record: while (pos < len) {
      recordStart = pos;
      let line = this.line;
      const cells: string[] = [];
      for (;;) {
        // one field starting at pos
        if (s.charCodeAt(pos) === 34) {
          // quoted
          let value = '';
          let i = pos + 1;
          let after: number;
          for (;;) {
            const q = s.indexOf('"', i);
            if (q < 0 || (q === len - 1 && !last)) {
              if (last && q < 0) throw csvQuoteNotClosed(line);
              pos = recordStart; // need more text
              break record;
            }
            if (s.charCodeAt(q + 1) === 34) {
              value += s.slice(i, q + 1);
              i = q + 2;
              continue;
            }
            value += s.slice(i, q);
            after = q + 1;
            break;
          }
          const c = after < len ? s.charCodeAt(after) : -1;
          const ends = c === -1 ? (last ? 2 : 0) : c === 44 ? 1 : this.breakAt(s, after, last);
          if (ends === 0) {
            pos = recordStart; // need more text to tell
            break record;
          }
          if (value.includes('\n') || value.includes('\r')) line += breaksIn(value);
          if (ends === 1) {
            cells.push(value);
            pos = after + 1;
            continue;
          }
          if (ends === 2 || ends === 3) {
            cells.push(value);
            pos = ends === 2 ? len : after + (this.eol === -1 ? 2 : 1);
            this.finishRecord(rows, cells, line, s, recordStart, pos);
            this.line = line + (ends === 3 ? 1 : 0);
            continue record;
          }
          // a closing quote followed by something else: the field kept as text with its quotes (as csv-parse does
          // with relax_quotes: "" inside still read as "), up to the next comma or line break
          comma = -2;
          brk = -2;
          const end = this.unquotedEnd(s, after, last);
          if (end < 0) {
            pos = recordStart;
            break record;
          }
          cells.push(`"${value}"${s.slice(after, end)}`);
          const c2 = end < len ? s.charCodeAt(end) : -1;
          if (c2 === 44) {
            pos = end + 1;
            continue;
          }
          pos = c2 === -1 ? len : end + (this.eol === -1 ? 2 : 1);
          this.finishRecord(rows, cells, line, s, recordStart, pos);
          this.line = line + (c2 === -1 ? 0 : 1);
          continue record;
        }
        // unquoted: up to the next comma or line break
        if (comma !== -1 && comma < pos) comma = s.indexOf(',', pos);
        if (brk !== -1 && brk < pos) brk = this.nextBreak(s, pos, last);
        if (comma >= 0 && (brk < 0 || comma < brk)) {
          cells.push(s.slice(pos, comma));
          pos = comma + 1;
          continue;
        }
        if (brk >= 0) {
          const cut = this.eol === -1 ? brk - 1 : brk; // brk is the \n of \r\n
          if (cells.length === 0 && cut === pos) {
            // an empty line
            pos = brk + 1;
            this.line = line + 1;
            continue record;
          }
          cells.push(s.slice(pos, cut));
          pos = brk + 1;
          this.finishRecord(rows, cells, line, s, recordStart, pos);
          this.line = line + 1;
          continue record;
        }
        if (!last) {
          pos = recordStart;
          break record;
        }
        cells.push(s.slice(pos));
        pos = len;
        this.finishRecord(rows, cells, line, s, recordStart, pos);
        continue record;
      }
    }
    this.rest = pos < len ? s.slice(pos) : '';
    if (this.rest.length > CSV_MAX_RECORD) throw csvTooLong(this.line);
    return rows;
  }

  private finishRecord(rows: FileRow[], cells: string[], line: number, _s: string, from: number, to: number): void {
    if (to - from > CSV_MAX_RECORD) throw csvTooLong(line);
    rows.push({ line, cells });
  }

  /** Learns the record delimiter at the first line break seen outside quotes. */
  private learn(s: string, i: number, last: boolean): boolean {
    const c = s.charCodeAt(i);
    if (c === 10) this.eol = 10;
    else if (i + 1 < s.length) this.eol = s.charCodeAt(i + 1) === 10 ? -1 : 13;
    else if (last) this.eol = 13;
    else return false; // a \r at the end of the text: \r\n or \r? wait for more
    return true;
  }

  /** The index of the next record delimiter at or after pos (for \r\n: of its \n), -1 when none is in s. */
  private nextBreak(s: string, pos: number, last: boolean): number {
    if (this.eol === 0) {
      const n = s.indexOf('\n', pos);
      const r = s.indexOf('\r', pos);
      const first = r >= 0 && (n < 0 || r < n) ? r : n;
      if (first < 0) return -1;
      if (!this.learn(s, first, last)) return -1;
    }
    if (this.eol === 10) return s.indexOf('\n', pos);
    if (this.eol === 13) return s.indexOf('\r', pos);
    for (let i = s.indexOf('\r\n', pos); ; i = s.indexOf('\r\n', i + 1)) return i < 0 ? -1 : i + 1;
  }

  /** At s[i] after a closing quote: 3 a record delimiter, -1 something else, 0 not known yet. */
  private breakAt(s: string, i: number, last: boolean): number {
    const c = s.charCodeAt(i);
    if (c !== 10 && c !== 13) return -1;
    if (this.eol === 0 && !this.learn(s, i, last)) return 0;
    if (this.eol === 10) return c === 10 ? 3 : -1;
    if (this.eol === 13) return c === 13 ? 3 : -1;
    if (c !== 13) return -1;
    if (i + 1 >= s.length) return last ? -1 : 0;
    return s.charCodeAt(i + 1) === 10 ? 3 : -1;
  }

  /** The end of a field kept as it is from i on: the next comma or record delimiter (its first char); -1 need more. */
  private unquotedEnd(s: string, i: number, last: boolean): number {
    const comma = s.indexOf(',', i);
    const brk = this.nextBreak(s, i, last);
    if (comma >= 0 && (brk < 0 || comma < brk)) return comma;
    if (brk >= 0) return this.eol === -1 ? brk - 1 : brk;
    return last ? s.length : -1;
  }
}

async function* csvRows(storage: BlobStorage, f: StoredDataFile, progress: ReadProgress): AsyncGenerator<FileRow[]> {
  const scanner = new CsvScanner();
  for await (const text of textOf(storage, f, progress)) {
    const rows = scanner.push(text);
    if (rows.length) yield rows;
  }
  const rows = scanner.push('', true);
  if (rows.length) yield rows;
}

async function* xlsxRows(storage: BlobStorage, f: StoredDataFile & { format: 'xlsx' }, progress: ReadProgress): AsyncGenerator<FileRow[]> {
  let rows: FileRow[] = [];
  for await (const row of readResultFile(storage, f, progress)) {
    rows.push(row);
    if (rows.length === 1000) {
      yield rows;
      rows = [];
    }
  }
  if (rows.length) yield rows;
}

export function readDataFile(storage: BlobStorage, f: StoredDataFile & { format: 'json' }, progress: ReadProgress): AsyncGenerator<DataRow> {
  return jsonRows(storage, f, progress);
}

/** CSV and XLSX rows (under and including the header), a slice of the file at a time. */
export function readCellRows(storage: BlobStorage, f: StoredDataFile & { format: 'csv' | 'xlsx' }, progress: ReadProgress): AsyncGenerator<FileRow[]> {
  return f.format === 'xlsx' ? xlsxRows(storage, { ...f, format: 'xlsx' }, progress) : csvRows(storage, f, progress);
}
