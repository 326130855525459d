/** What the calendar module returns and takes: a year's holidays (放假) and makeup working days (调休上班). */
import type { CalendarYearTable } from '../../db/schema.ts';
import type { CalendarDayKind } from './working-calendar.ts';

export type CalendarSource = CalendarYearTable['source'];

export const WEEKDAY_LABELS = ['星期日', '星期一', '星期二', '星期三', '星期四', '星期五', '星期六'] as const;

export const SOURCE_LABELS: Record<CalendarSource, string> = {
  'chinese-days': '官方安排（随系统提供）',
  administrator: '管理员录入',
};

export interface CalendarDayView {
  day: string; // 'YYYY-MM-DD'
  kind: CalendarDayKind; // holiday: 放假; workday: 调休上班
  name: string;
  weekday: string; // 星期一 …
}

export interface CalendarYearView {
  year: number;
  /** false: not published yet — deadlines in this year are computed Monday–Friday (provisional). */
  known: boolean;
  source: CalendarSource | null;
  notice: string;
  updatedAt: string | null;
  days: CalendarDayView[];
}

export interface CalendarYearSummary {
  year: number;
  source: CalendarSource;
  notice: string;
  updatedAt: string;
  holidays: number;
  workdays: number;
}

/** An administrator's arrangement for one year (unchecked: `setCalendarYear` validates it). */
export interface SetCalendarYearInput {
  year: number;
  notice: string;
  days: { day: string; kind: string; name: string }[];
}

/** Limits shared by the API schema, the form and the operation. */
export const CALENDAR_LIMITS = { minYear: 2000, maxYear: 2100, notice: 200, name: 60, days: 366 } as const;
