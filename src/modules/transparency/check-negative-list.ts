/**
 * "我的项目需要核准吗？" answered from the negative list (企业投资项目负面清单): the entries whose industry codes
 * cover the project's industry (the same code or one above it: 'C25' covers 'C2511') decide — 禁止 before 核准
 * before 限制; an industry no entry covers is not on the list and needs only filing (备案), though entries for
 * narrower industries below it are named so the applicant can check whether the project is one of them. An
 * optional description of the project ranks the matched entries and, where some of them match it, decides the
 * answer from those alone.
 */
import type { NegativeCategory, NegativeEntry } from '../three-lists/three-lists.types.ts';
import { covers, industryLabel } from './industry-classification.ts';

export type NegativeVerdict = NegativeCategory | 'not_listed';

export const VERDICT_LABELS: Record<NegativeVerdict, string> = {
  prohibited: '禁止投资',
  approval: '需要核准',
  restricted: '限制投资（须符合准入条件）',
  not_listed: '不在负面清单内：实行备案管理（无需核准）',
};

const SEVERITY: NegativeCategory[] = ['prohibited', 'approval', 'restricted'];

export interface CheckedEntry<E> {
  entry: E;
  codes: string[]; // the entry's codes that cover (or, for narrower entries, fall below) the project's industry
  related: boolean; // matched the project description
}

export interface NegativeCheck<E> {
  industry: string; // normalised code
  industryLabel: string;
  verdict: NegativeVerdict;
  /** Entries covering the industry: those matching the description first, then the most severe category first. */
  matched: CheckedEntry<E>[];
  /** Entries for narrower industries below the one given (only the project's details can tell). */
  narrower: CheckedEntry<E>[];
}

/**
 * Checks `industry` (already normalised, see normaliseIndustryCode) against `items`; `entryOf` reads the list entry
 * of an item, `relatedTo` (when a description was given) says which items match it.
 */
export function checkNegativeList<E>(
  items: readonly E[],
  entryOf: (item: E) => NegativeEntry,
  industry: string,
  relatedTo?: (item: E) => boolean,
): NegativeCheck<E> {
  const matched: CheckedEntry<E>[] = [];
  const narrower: CheckedEntry<E>[] = [];
  for (const item of items) {
    const e = entryOf(item);
    const over = e.industryCodes.filter((c) => covers(c, industry));
    const under = e.industryCodes.filter((c) => c !== industry && covers(industry, c));
    const related = relatedTo ? relatedTo(item) : false;
    if (over.length) matched.push({ entry: item, codes: over, related });
    else if (under.length) narrower.push({ entry: item, codes: under, related });
  }
  const rank = (x: CheckedEntry<E>) => (x.related ? 0 : 10) + SEVERITY.indexOf(entryOf(x.entry).category);
  matched.sort((a, b) => rank(a) - rank(b));
  narrower.sort((a, b) => rank(a) - rank(b));
  const deciding = matched.some((m) => m.related) ? matched.filter((m) => m.related) : matched;
  const verdict = SEVERITY.find((c) => deciding.some((m) => entryOf(m.entry).category === c)) ?? 'not_listed';
  return { industry, industryLabel: industryLabel(industry), verdict, matched, narrower };
}
