/**
 * The three lists (三张清单) — the shapes of their entries, shared by the editing side (modules/three-lists), the
 * public side (modules/transparency) and the demo seed. ../shared/domain/README.md §6.
 *
 * An entry's `key` is stable across editions (what a diff compares): the power code, the negative-list entry
 * number, the fund code. Amounts are in 万元 with at most two decimals, written as numbers.
 */
import type { ItemType, ExerciseLevel, PowerSource } from '../catalogue/catalogue.types.ts';
import type { ListKind } from '../../db/schema.ts';

export const LIST_KINDS: Record<ListKind, { label: string; short: string; path: string }> = {
  power: { label: '权力清单（含责任清单）', short: '权力清单', path: 'powers' },
  negative: { label: '企业投资项目负面清单', short: '负面清单', path: 'negative-list' },
  fund: { label: '专项资金管理清单', short: '专项资金清单', path: 'funds' },
};

/** The ten power types (事项类型 without 公共服务). */
export type PowerType = Exclude<ItemType, 'GG'>;

/** 权力清单 entry, with its 责任清单 (responsibilities and accountability). */
export interface PowerEntry {
  key: string; // 权力编码, e.g. 'XK-330106-004-0001' — unique within the department's list
  name: string; // 权力事项名称
  type: PowerType; // 权力类型 (ten types)
  level: ExerciseLevel; // 行使层级 (the department's level)
  powerSource: PowerSource; // 权力来源
  legalBasis: string[]; // 设定依据 — at least one
  implementingBody: string; // 实施主体 (usually the department's name; may be an inner office)
  responsibilities: string[]; // 责任事项 — at least one (受理、审查、决定、送达、事后监管 …)
  accountability: string[]; // 追责情形 — at least one
  itemCodes: string[]; // basic item codes (基本目录编码, 12 chars) of the service items that exercise the power; may be empty
  notes?: string;
}

/** 负面清单 categories: 禁止类 / 限制类 (conditions) / 核准类 (approval by an authority). Anything else: 备案. */
export type NegativeCategory = 'prohibited' | 'restricted' | 'approval';
export const NEGATIVE_CATEGORIES: Record<NegativeCategory, string> = { prohibited: '禁止类', restricted: '限制类', approval: '核准类' };

/** 企业投资项目负面清单 entry. */
export interface NegativeEntry {
  key: string; // 条目编号, e.g. 'N-2026-017'
  category: NegativeCategory;
  industryCodes: string[]; // GB/T 4754-2017 codes the entry covers: a section letter 'C', or 'C25', 'C251', 'C2511' (a prefix covers all below)
  projectType: string; // 项目类型, e.g. '新建炼油项目'
  description: string; // 具体内容 / 限制条件
  conditions: string; // 准入条件 (restricted/approval) — '' for prohibited
  authority: string; // 核准机关 (approval) — '' otherwise
  legalBasis: string[]; // at least one
}

/** 专项资金 yearly amount and allocation results. */
export interface FundYear {
  year: number; // e.g. 2024
  amount: number; // 年度资金规模, 万元
}
export interface FundAllocation {
  year: number;
  recipient: string; // 分配对象 (an enterprise, a county, an institution)
  amount: number; // 万元
  date: string; // YYYY-MM-DD, the date the result was published
  project?: string; // 项目名称
}

/** 专项资金管理清单 entry. The allocations of a year may not exceed its amount. */
export interface FundEntry {
  key: string; // 资金编码, e.g. 'F-330000-024-003'
  name: string; // 专项资金名称
  purpose: string; // 资金用途
  years: FundYear[]; // amounts by year, one per year
  rules: string; // 管理办法 (title of the rules document)
  conditions: string; // 申报条件
  contact?: string; // 咨询电话
  allocations: FundAllocation[]; // 分配结果 (published)
}

export type ListEntry = PowerEntry | NegativeEntry | FundEntry;
export type EntryOf<K extends ListKind> = K extends 'power' ? PowerEntry : K extends 'negative' ? NegativeEntry : FundEntry;
