/**
 * One catalogue entry as a list shows it (DataResourceSummary): the columns to select from `data_resources as r`
 * joined with its provider `departments as d`, and the row turned into the summary.
 */
import type { BaseLibrary, CatalogueKind, DataGrade, DataItem, ShareType } from '../../db/schema.ts';
import type { DataResourceSummary } from './data-catalogue.types.ts';

export const SUMMARY_COLUMNS = [
  'r.code', 'r.name', 'r.status', 'r.provider_department_id', 'r.catalogue_kind', 'r.base_library', 'r.classification', 'r.abstract', 'r.share_type',
  'r.open_type', 'r.grade', 'r.update_cycle', 'r.items', 'r.record_count', 'r.data_version', 'r.meta_version', 'r.published_at',
  'd.name as provider_name', 'd.credit_code as provider_code',
] as const;

export interface SummaryRow {
  code: string;
  name: string;
  status: DataResourceSummary['status'];
  provider_department_id: number;
  catalogue_kind: CatalogueKind;
  base_library: BaseLibrary | null;
  classification: string;
  abstract: string;
  share_type: ShareType;
  open_type: DataResourceSummary['openType'];
  grade: DataGrade;
  update_cycle: DataResourceSummary['updateCycle'];
  items: unknown;
  record_count: number | string;
  data_version: number;
  meta_version: number;
  published_at: Date | string | null;
  provider_name: string;
  provider_code: string;
}

export function toResourceSummary(r: SummaryRow): DataResourceSummary {
  return {
    code: r.code,
    name: r.name,
    status: r.status,
    providerName: r.provider_name,
    providerDepartmentId: r.provider_department_id,
    providerCode: r.provider_code,
    catalogueKind: r.catalogue_kind,
    baseLibrary: r.base_library,
    classification: r.classification,
    abstract: r.abstract,
    shareType: r.share_type,
    openType: r.open_type,
    grade: r.grade,
    updateCycle: r.update_cycle,
    itemCount: ((typeof r.items === 'string' ? JSON.parse(r.items) : r.items) as DataItem[]).length,
    recordCount: Number(r.record_count),
    dataVersion: r.data_version,
    metaVersion: r.meta_version,
    publishedAt: r.published_at ? new Date(r.published_at).toISOString() : null,
  };
}
