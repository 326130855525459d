/**
 * Result sets on the department side (结果发布): what the operations take and give back, the labels shown for
 * statuses and column types, and the templates a department starts from (高考成绩, 大学英语等级考试).
 */
import type { AppContext } from '../../http/context.ts';
import type { ResultColumn, ResultLoadStatus } from '../../db/schema.ts';

/** What the operations need from the context: the database (and its kind), blob storage, this server's memory of sets. */
export type ResultSetDeps = Pick<AppContext, 'db' | 'dbKind' | 'storage' | 'resultSets'>;

export type ResultSetStatus = 'draft' | 'published' | 'withdrawn';
export type ResultColumnType = ResultColumn['type'];

export const COLUMN_TYPES: Record<ResultColumnType, string> = {
  text: '文本',
  integer: '整数',
  decimal: '数值（可含小数）',
  id_number: '身份证号（校验并打码显示）',
};

export const SET_STATUS_LABELS: Record<ResultSetStatus, string> = {
  draft: '草稿（未发布）',
  published: '已发布',
  withdrawn: '已撤回',
};

export const LOAD_STATUS_LABELS: Record<ResultLoadStatus, string> = {
  pending: '等待校验',
  loading: '正在校验导入',
  ready: '已导入',
  failed: '校验未通过',
  superseded: '已被替换',
};

export const MAX_COLUMNS = 50;
export const MAX_KEY_COLUMNS = 3;
export const CODE_PATTERN = '^[a-z0-9-]{3,64}$';
export const COLUMN_KEY_PATTERN = '^[a-z][a-z0-9_]{0,39}$';

/** A set as created (POST) — and, all fields optional, as changed (PATCH; code and department never change). */
export interface ResultSetInput {
  code: string;
  title: string;
  description?: string;
  departmentId?: number; // default: the staff member's own department
  columns: ResultColumn[];
  keyColumns: string[];
  releaseAt: string; // ISO 8601 with an offset: 2026-06-25T12:00:00+08:00
}

export interface ResultSetChange {
  title?: string;
  description?: string;
  columns?: ResultColumn[];
  keyColumns?: string[];
  releaseAt?: string;
  /** A published set moved to a release time already past answers at once: say so explicitly. */
  confirmImmediateRelease?: boolean;
  /** The revision the caller saw; a different current revision is a 409. */
  revision?: number;
}

export interface ResultLoadView {
  id: number;
  status: ResultLoadStatus;
  statusLabel: string;
  active: boolean; // the load queries read
  fileName: string;
  format: 'csv' | 'xlsx';
  fileBytes: number;
  bytesRead: number;
  progressPercent: number; // 0–100, from the bytes read
  rowsRead: number;
  rowsBad: number;
  message: string | null;
  errorReportUrl: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

export interface ResultSetSummary {
  code: string;
  title: string;
  department: { id: number; name: string };
  status: ResultSetStatus;
  statusLabel: string;
  releaseAt: string;
  released: boolean; // the release time has come
  rows: number | null; // rows of the active load
  loadInProgress: boolean;
  updatedAt: string;
}

export interface ResultSetView extends ResultSetSummary {
  description: string;
  columns: ResultColumn[];
  keyColumns: string[];
  revision: number;
  activeLoadId: number | null;
  createdAt: string;
  loads: ResultLoadView[];
}

export interface ResultSetTemplate {
  label: string;
  title: string;
  description: string;
  columns: ResultColumn[];
  keyColumns: string[];
}

/** Templates offered when creating a set; the department may change every column before the first upload. */
export const RESULT_SET_TEMPLATES: Record<string, ResultSetTemplate> = {
  gaokao: {
    label: '高考成绩',
    title: '普通高校招生考试成绩',
    description: '考生凭考生号和身份证号查询本人各科成绩、总分和位次。',
    columns: [
      { key: 'exam_no', label: '考生号', type: 'text', required: true },
      { key: 'id_number', label: '身份证号', type: 'id_number', required: true },
      { key: 'name', label: '姓名', type: 'text', required: true },
      // an empty subject score is a subject not sat (缺考)
      { key: 'chinese', label: '语文', type: 'decimal', required: false },
      { key: 'math', label: '数学', type: 'decimal', required: false },
      { key: 'foreign_language', label: '外语', type: 'decimal', required: false },
      { key: 'comprehensive', label: '综合', type: 'decimal', required: false },
      { key: 'total', label: '总分', type: 'decimal', required: true },
      { key: 'rank', label: '位次', type: 'integer', required: false },
    ],
    keyColumns: ['exam_no', 'id_number'],
  },
  cet: {
    label: '大学英语等级考试成绩',
    title: '全国大学英语四、六级考试成绩',
    description: '考生凭准考证号和身份证号查询成绩。',
    columns: [
      { key: 'ticket_no', label: '准考证号', type: 'text', required: true },
      { key: 'id_number', label: '身份证号', type: 'id_number', required: true },
      { key: 'name', label: '姓名', type: 'text', required: true },
      { key: 'level', label: '级别', type: 'text', required: true },
      { key: 'listening', label: '听力', type: 'integer', required: false },
      { key: 'reading', label: '阅读', type: 'integer', required: false },
      { key: 'writing', label: '写作和翻译', type: 'integer', required: false },
      { key: 'total', label: '总分', type: 'integer', required: true },
    ],
    keyColumns: ['ticket_no', 'id_number'],
  },
};
