/**
 * Reads an uploaded result file row by row, as a stream: the file lies in blob storage as consecutive parts of
 * PART_BYTES (upload-result-file.ts), read one after another (the next fetched while the current is parsed), so
 * a file of hundreds of megabytes never sits in memory whole.
 *
 * - CSV: csv-parse, comma-separated, quotes as Excel writes them, a UTF-8 BOM allowed. The bytes pass through a
 *   streaming TextDecoder('utf-8', {fatal: true}) first: GBK/GB18030 (what Excel for Chinese Windows saves by
 *   default) fails the load with a message saying what to do, instead of loading mojibake.
 * - XLSX: exceljs's streaming WorkbookReader, the first worksheet only. Cells come as Excel stores them: numbers
 *   stay numbers (so a long number that Excel already rounded can be named as such by the row checks).
 *
 * `progress.bytes` counts the bytes handed to the parser (the load's progress bar).
 */
import { Readable, pipeline } from 'node:stream';
import ExcelJS from 'exceljs';
import { parse, CsvError } from 'csv-parse';
import type { BlobStorage } from '../attachments/blob-storage.ts';
import { LoadFailure, NOT_UTF8 } from './result-sets.errors.ts';

/** Uploaded files are stored in parts of exactly this size (the last one shorter); readers take any size. */
export const PART_BYTES = 8 * 1024 * 1024;
/** The parser is fed this much at a time (finer progress, bounded buffers). */
const SLICE_BYTES = 256 * 1024;

export const partKey = (fileKey: string, index: number) => `${fileKey}/${String(index).padStart(5, '0')}`;
export const partCount = (fileBytes: number) => Math.ceil(fileBytes / PART_BYTES);

export interface FileRow {
  line: number; // the row number as a spreadsheet shows it (header = 1)
  cells: (string | number)[];
}

export interface ReadProgress {
  bytes: number;
}

export interface StoredFile {
  fileKey: string;
  fileBytes: number;
  format: 'csv' | 'xlsx';
}

const MISSING = '上传的文件已丢失或不完整，请重新上传';

/** The stored parts in order (however large each is), the next one requested while the caller works on the current. */
async function* fileParts(storage: BlobStorage, f: StoredFile): AsyncGenerator<Buffer> {
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
    yield part;
  }
}

async function* slices(storage: BlobStorage, f: StoredFile, progress: ReadProgress, check?: (slice: Buffer) => void, end?: () => void): AsyncGenerator<Buffer> {
  for await (const part of fileParts(storage, f)) {
    for (let at = 0; at < part.length; at += SLICE_BYTES) {
      const slice = part.subarray(at, at + SLICE_BYTES);
      check?.(slice);
      progress.bytes += slice.length;
      yield slice;
    }
  }
  end?.();
}

function csvProblem(err: CsvError): string {
  const line = typeof err.lines === 'number' ? `第 ${err.lines} 行附近：` : '';
  switch (err.code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return `CSV 格式有误，${line}引号没有闭合。请用 Excel 或 WPS 重新另存为 CSV（UTF-8）后上传`;
    case 'CSV_MAX_RECORD_SIZE':
      return `CSV 格式有误，${line}一行的内容过长（可能缺少换行或引号没有闭合）`;
    default:
      return `CSV 格式有误，${line}引号使用不正确。请用 Excel 或 WPS 重新另存为 CSV（UTF-8）后上传`;
  }
}

async function* csvRows(storage: BlobStorage, f: StoredFile, progress: ReadProgress): AsyncGenerator<FileRow> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const source = Readable.from(
    slices(
      storage,
      f,
      progress,
      (slice) => {
        try {
          decoder.decode(slice, { stream: true });
        } catch {
          throw new LoadFailure(NOT_UTF8);
        }
      },
      () => {
        try {
          decoder.decode();
        } catch {
          throw new LoadFailure(NOT_UTF8); // the file ends inside a character
        }
      },
    ),
    { objectMode: false },
  );
  const parser = parse({ bom: true, relax_column_count: true, relax_quotes: true, skip_empty_lines: true, max_record_size: 1024 * 1024 });
  // Each record leaves the parser with its line number (the line it ends on: empty lines and quoted line breaks
  // counted), read from the parser's live counters as the record is pushed. csv-parse's own `info` option would
  // copy a dozen counters into a new object for every record — 40% of the reading time of a large file.
  const push = parser.push.bind(parser);
  parser.push = (record: unknown) => push(record === null ? null : ({ line: parser.info.lines, cells: record as string[] } satisfies FileRow));
  // a failure of the source (encoding, a missing part) destroys the parser with that error: the loop below sees it
  pipeline(source, parser, () => undefined);
  try {
    yield* parser as AsyncIterable<FileRow>;
  } catch (err) {
    if (err instanceof CsvError) throw new LoadFailure(csvProblem(err));
    throw err;
  } finally {
    source.destroy();
  }
}

/** A cell as Excel stores it: text, a number, or what a formula, rich text or a link shows. */
function cellValue(v: unknown): string | number {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string' || typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === 'object') {
    const o = v as { richText?: { text?: string }[]; result?: unknown; text?: unknown; error?: unknown; formula?: unknown; sharedFormula?: unknown };
    if (Array.isArray(o.richText)) return o.richText.map((r) => r.text ?? '').join('');
    if ('formula' in o || 'sharedFormula' in o) return cellValue(o.result);
    if ('text' in o) return cellValue(o.text);
    if ('error' in o) return String(o.error);
  }
  return String(v);
}

async function* xlsxRows(storage: BlobStorage, f: StoredFile, progress: ReadProgress): AsyncGenerator<FileRow> {
  // A failure of the source (a missing part) ends the stream instead of erroring it: the ZIP reader waits forever
  // on a source that errors, but fails on one that ends early. The failure is then what the load reports.
  let failure: unknown;
  const guarded = async function* () {
    try {
      yield* slices(storage, f, progress);
    } catch (err) {
      failure = err;
    }
  };
  const source = Readable.from(guarded(), { objectMode: false });
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(source, { worksheets: 'emit', sharedStrings: 'cache', hyperlinks: 'ignore', styles: 'ignore', entries: 'ignore' });
  let sheets = 0;
  try {
    for await (const sheet of reader) {
      sheets++;
      for await (const row of sheet) {
        if (failure) break;
        const values = (row as { values: unknown[] }).values;
        const cells: (string | number)[] = [];
        for (let i = 1; i < values.length; i++) cells.push(cellValue(values[i]));
        yield { line: (row as { number: number }).number, cells };
      }
      break; // the first worksheet only
    }
  } catch (err) {
    if (failure instanceof LoadFailure) throw failure;
    if (err instanceof LoadFailure) throw err;
    throw new LoadFailure('无法读取 Excel 文件：文件已损坏或不是 .xlsx 格式。请用 Excel 或 WPS 另存为 .xlsx 或 CSV（UTF-8）后重新上传');
  } finally {
    source.destroy();
  }
  if (failure instanceof LoadFailure) throw failure;
  if (failure) throw failure;
  if (!sheets) throw new LoadFailure('Excel 文件中没有工作表，或不是 .xlsx 格式的工作簿');
}

export function readResultFile(storage: BlobStorage, f: StoredFile, progress: ReadProgress): AsyncGenerator<FileRow> {
  return f.format === 'xlsx' ? xlsxRows(storage, f, progress) : csvRows(storage, f, progress);
}
