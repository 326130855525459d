/**
 * The administration form writes a year as lines, one day each — "2027-01-01 休 元旦", "2027-02-07 班 春节调休" —
 * which people can copy from the State Council's notice. Parsing keeps each day's line number, so an error the
 * operation reports for `days.3.name` is shown as "第 5 行：…" beside the field.
 */
import { AppError, InvalidParameterError } from '../../shared/errors.ts';
import type { CalendarDayRow } from './working-calendar.ts';

const HOLIDAY_WORDS = new Set(['休', '假', '放假', '休息', 'holiday']);
const WORKDAY_WORDS = new Set(['班', '上班', '调休上班', '补班', 'workday']);

export interface ParsedLines {
  days: { day: string; kind: string; name: string }[];
  /** The 1-based line number of each entry of `days`. */
  lines: number[];
}

export function parseCalendarLines(text: string, field = 'days'): ParsedLines {
  const days: ParsedLines['days'] = [];
  const lines: number[] = [];
  text.split(/\r\n|\r|\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (!line) return;
    const at = (msg: string) => new InvalidParameterError(field, `第 ${i + 1} 行：${msg}`);
    const [day = '', word = '', ...rest] = line.split(/\s+/);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) throw at(`“${day}”不是日期，每行应以 YYYY-MM-DD 开头，如“2027-01-01 休 元旦”`);
    let kind: string;
    if (HOLIDAY_WORDS.has(word)) kind = 'holiday';
    else if (WORKDAY_WORDS.has(word)) kind = 'workday';
    else throw at(`日期后应写“休”（放假）或“班”（调休上班），而不是“${word}”`);
    const name = rest.join(' ');
    if (!name) throw at('请在“休”或“班”之后写上节日名称，如“元旦”');
    days.push({ day, kind, name });
    lines.push(i + 1);
  });
  return { days, lines };
}

/** Re-labels an error the operation raised for `days.N.…` with the line it came from. */
export function errorAtLine(err: unknown, parsed: ParsedLines, field = 'days'): unknown {
  if (!(err instanceof AppError) || err.code !== 'INVALID_PARAMETER' || !err.field?.startsWith('days')) return err;
  const m = /^days\.(\d+)\./.exec(err.field);
  const line = m ? parsed.lines[Number(m[1])] : undefined;
  return new InvalidParameterError(field, line ? `第 ${line} 行：${err.message}` : err.message);
}

/** A stored year as the form's lines. */
export function formatCalendarLines(days: readonly Pick<CalendarDayRow, 'day' | 'kind' | 'name'>[]): string {
  return days.map((d) => `${d.day} ${d.kind === 'holiday' ? '休' : '班'} ${d.name}`).join('\n');
}
