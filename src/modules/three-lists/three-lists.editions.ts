/**
 * The shapes the read side hands out for editions of the three lists (版本), shared by the staff pages, the public
 * side (modules/transparency) and the seed: an edition's summary with its department, and entries parsed from
 * their stored JSON.
 */
import type { ListEditionStatus, ListKind } from '../../db/schema.ts';
import type { RegionLevel } from '../../shared/codes/region-code.ts';
import type { ListEntry } from './three-lists.types.ts';

export interface EditionSummary {
  id: number;
  kind: ListKind;
  departmentId: number;
  departmentName: string;
  regionCode: string;
  status: ListEditionStatus;
  version: number | null; // set at publication
  baseVersion: number | null; // the published version a draft started from
  note: string; // 修订说明
  reviewComment: string | null;
  entryCount: number;
  createdAt: string;
  updatedAt: string;
  submittedAt: string | null;
  publishedAt: string | null;
}

/** A published (or superseded) edition in the history, with its changes against the previous version. */
export interface PublishedEditionSummary {
  id: number;
  kind: ListKind;
  departmentId: number;
  departmentName: string;
  regionCode: string;
  regionLevel: RegionLevel;
  version: number;
  status: 'published' | 'superseded';
  publishedAt: string;
  note: string;
  added: number;
  changed: number;
  removed: number;
  entryCount: number;
}

export interface EditionWithEntries extends EditionSummary {
  regionLevel: RegionLevel;
  entries: ListEntry[];
}

export const iso = (d: Date | string | null | undefined): string | null => (d == null ? null : new Date(d).toISOString());

/** list_entries.data as an entry (the drivers hand jsonb back parsed; a string is parsed to be safe). */
export function entryOf(data: unknown): ListEntry {
  return (typeof data === 'string' ? JSON.parse(data) : data) as ListEntry;
}
