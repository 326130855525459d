/**
 * An in-memory inverted index over the published catalogue, derived from the database and rebuilt when the
 * catalogue revision changes. Implementation items whose searchable text is identical (the same basic item in
 * many regions) share one text group, so segmentation and scoring run per distinct text, not per region.
 *
 * Ranking: matches in the name (and colloquial keywords) rank above matches in the text only; within a tier,
 * by matched-term weight (rarer terms weigh more), then the item's popularity; copies of one item in several
 * regions are ordered by nearness to the chosen region.
 */
import { ITEM_TYPES, ONLINE_HANDLEABLE_MIN_DEPTH, SERVICE_OBJECTS, THEMES } from '../catalogue/catalogue.types.ts';
import { regionAncestry } from '../../shared/codes/region-code.ts';
import { isPinyinQuery, normalise, pinyinKeys, tokenize } from './segmenter.ts';
import type { FacetValue, SearchDoc, SearchHit, SearchParams, SearchResult } from './search.types.ts';

interface TextGroup {
  id: number;
  name: string; // normalised
  title: string; // normalised name + keywords: the "name match" field
  text: string; // normalised summary + body
  pinyinFull: string;
  pinyinInitials: string;
  docs: number[]; // indices into docs
}

interface Concept {
  terms: string[]; // the query word and its synonym expansions, normalised
}

const TITLE_WEIGHT = 1;
const WHOLE_QUERY_BONUS = 3;

function bigrams(s: string): string[] {
  const out: string[] = [];
  for (let i = 0; i + 1 < s.length; i++) out.push(s.slice(i, i + 2));
  return out;
}

export class SearchIndex {
  readonly docs: SearchDoc[];
  private readonly groups: TextGroup[] = [];
  private readonly docGroup: Int32Array;
  /** bigram → group ids containing it in the title; likewise for text, and single characters of titles. */
  private readonly titleGrams = new Map<string, Set<number>>();
  private readonly textGrams = new Map<string, Set<number>>();
  private readonly titleChars = new Map<string, Set<number>>();
  private readonly synonyms: Map<string, string[]>;
  private readonly synonymTerms: string[];
  private readonly byCode = new Map<string, number>();
  private readonly regionChildren = new Map<string, Set<string>>();
  private readonly regionNames = new Map<string, string>();
  /** Static order of docs: basic items by province-wide popularity, copies of one item by local popularity. */
  private readonly ordinal: Int32Array;
  /** Rank of each doc's basic item in that order (equal for all copies of one item). */
  private readonly basicRank: Int32Array;

  constructor(docs: SearchDoc[], synonyms: Map<string, string[]>) {
    this.docs = docs;
    this.synonyms = new Map([...synonyms].map(([k, v]) => [normalise(k), v.map(normalise)]));
    this.synonymTerms = [...this.synonyms.keys()].sort((a, b) => b.length - a.length);
    this.docGroup = new Int32Array(docs.length);
    const groupByText = new Map<string, TextGroup>();
    docs.forEach((d, i) => {
      this.byCode.set(d.code, i);
      this.regionNames.set(d.regionCode, d.regionName);
      if (d.cityCode && d.cityCode !== d.regionCode) {
        let kids = this.regionChildren.get(d.cityCode);
        if (!kids) this.regionChildren.set(d.cityCode, (kids = new Set()));
        kids.add(d.regionCode);
      }
      const key = `${d.name}\u0001${d.keywords.join(' ')}\u0001${d.summary}\u0001${d.bodyText}`;
      let g = groupByText.get(key);
      if (!g) {
        const name = normalise(d.name);
        const py = pinyinKeys(d.name);
        g = {
          id: this.groups.length,
          name,
          title: normalise([d.name, ...d.keywords].join(' ')),
          text: normalise(`${d.summary} ${d.bodyText}`),
          pinyinFull: py.full,
          pinyinInitials: py.initials,
          docs: [],
        };
        this.groups.push(g);
        groupByText.set(key, g);
        this.indexGroup(g);
      }
      g.docs.push(i);
      this.docGroup[i] = g.id;
    });
    const order = docs.map((_, i) => i);
    order.sort((a, b) => {
      const da = docs[a]!;
      const db = docs[b]!;
      return (
        db.basicPopularity - da.basicPopularity ||
        (da.basicCode < db.basicCode ? -1 : da.basicCode > db.basicCode ? 1 : 0) ||
        db.popularity - da.popularity ||
        (da.code < db.code ? -1 : 1)
      );
    });
    this.ordinal = new Int32Array(docs.length);
    this.basicRank = new Int32Array(docs.length);
    let rank = -1;
    let prevBasic = '';
    order.forEach((docIndex, pos) => {
      const basic = docs[docIndex]!.basicCode;
      if (basic !== prevBasic) {
        rank++;
        prevBasic = basic;
      }
      this.ordinal[docIndex] = pos;
      this.basicRank[docIndex] = rank;
    });
  }

  get size(): number {
    return this.docs.length;
  }

  private indexGroup(g: TextGroup): void {
    const add = (map: Map<string, Set<number>>, key: string) => {
      let s = map.get(key);
      if (!s) map.set(key, (s = new Set()));
      s.add(g.id);
    };
    for (const bg of bigrams(g.title)) add(this.titleGrams, bg);
    for (const ch of g.title) add(this.titleChars, ch);
    for (const bg of bigrams(g.text)) add(this.textGrams, bg);
  }

  /** Groups whose field contains `term`: candidates from the bigram postings, verified by substring. */
  private groupsContaining(term: string, field: 'title' | 'text'): number[] {
    if (term.length === 1) {
      if (field === 'text') return [];
      return [...(this.titleChars.get(term) ?? [])];
    }
    const grams = field === 'title' ? this.titleGrams : this.textGrams;
    let candidates: Set<number> | undefined;
    for (const bg of bigrams(term)) {
      const s = grams.get(bg);
      if (!s) return [];
      if (!candidates || s.size < candidates.size) candidates = s;
    }
    const out: number[] = [];
    for (const id of candidates ?? []) {
      const g = this.groups[id]!;
      if ((field === 'title' ? g.title : g.text).includes(term)) out.push(id);
    }
    return out;
  }

  /** The query as concepts: each content word with its synonyms; colloquial phrases found anywhere in the query. */
  parseQuery(q: string): { concepts: Concept[]; whole: string } {
    const whole = normalise(q).replace(/\s+/g, '');
    const concepts: Concept[] = [];
    let rest = whole;
    for (const term of this.synonymTerms) {
      if (rest.includes(term)) {
        concepts.push({ terms: [term, ...this.synonyms.get(term)!] });
        rest = rest.split(term).join(' ');
      }
    }
    const seen = new Set(concepts.flatMap((c) => c.terms));
    const words = tokenize(rest);
    // Drop a word when a longer word of the cut contains it (搜索 mode yields 驾驶 and 驾驶证: keep 驾驶证).
    for (const w of words) {
      if (seen.has(w)) continue;
      if (words.some((o) => o !== w && o.length > w.length && o.includes(w))) continue;
      seen.add(w);
      const syn = this.synonyms.get(w);
      concepts.push({ terms: syn ? [w, ...syn] : [w] });
    }
    return { concepts, whole };
  }

  /** Score every text group the query touches. tier 2 = a name/keyword match, 1 = a text-only match. */
  private scoreGroups(q: string): Map<number, { tier: number; score: number; terms: string[] }> {
    const scores = new Map<number, { tier: number; score: number; terms: string[] }>();
    const total = Math.max(1, this.groups.length);
    const qn = normalise(q).replace(/\s+/g, '');
    if (isPinyinQuery(qn)) {
      for (const g of this.groups) {
        if (g.pinyinInitials.includes(qn) || (qn.length >= 3 && g.pinyinFull.includes(qn))) {
          const exact = g.pinyinInitials === qn || g.pinyinFull === qn;
          scores.set(g.id, { tier: 2, score: 1 + (exact ? WHOLE_QUERY_BONUS : 0), terms: [] });
        }
      }
      if (scores.size) return scores;
    }
    const { concepts, whole } = this.parseQuery(q);
    // Single characters (换, 证) are too common to find items on their own: they only rank items that a real
    // word already found — unless the query has nothing else.
    const isWeak = (c: Concept) => c.terms.every((t) => t.length < 2);
    const hasStrong = concepts.some((c) => !isWeak(c));
    const ordered = [...concepts.filter((c) => !isWeak(c)), ...concepts.filter(isWeak)];
    for (const c of ordered) {
      const boostOnly = hasStrong && isWeak(c);
      // per group, the best match of this concept: title beats text; rarer terms weigh more
      const best = new Map<number, { title: boolean; weight: number; term: string }>();
      for (const term of c.terms) {
        for (const field of ['title', 'text'] as const) {
          const hits = this.groupsContaining(term, field);
          if (!hits.length) continue;
          const idf = Math.log(1 + total / hits.length) * Math.min(term.length, 4);
          const weight = field === 'title' ? idf * TITLE_WEIGHT : idf * 0.3;
          for (const id of hits) {
            const prev = best.get(id);
            if (!prev || (field === 'title' && !prev.title) || (prev.title === (field === 'title') && weight > prev.weight)) {
              best.set(id, { title: field === 'title', weight, term });
            }
          }
        }
      }
      for (const [id, m] of best) {
        if (boostOnly && !scores.has(id)) continue;
        const s = scores.get(id) ?? { tier: 1, score: 0, terms: [] };
        if (m.title) s.tier = 2;
        s.score += m.weight;
        if (m.title) s.terms.push(m.term);
        scores.set(id, s);
      }
    }
    if (whole.length >= 2) {
      for (const id of this.groupsContaining(whole, 'title')) {
        const s = scores.get(id) ?? { tier: 2, score: 0, terms: [] };
        s.tier = 2;
        s.score += WHOLE_QUERY_BONUS * Math.log(1 + total);
        s.terms.push(whole);
        scores.set(id, s);
      }
    }
    return scores;
  }

  /** The regions a chosen region sees: itself, its ancestors and, for a city or province, what lies below. */
  private scopeOf(region: string | undefined): Set<string> | null {
    if (!region) return null;
    const scope = new Set(regionAncestry(region));
    for (const kid of this.regionChildren.get(region) ?? []) scope.add(kid);
    if (region.endsWith('0000')) return null; // the province sees everything
    return scope;
  }

  search(p: SearchParams): SearchResult {
    const q = p.q?.trim() ?? '';
    const scores = q ? this.scoreGroups(q) : null;
    const scope = this.scopeOf(p.region);
    const cityOfRegion = p.region ? regionAncestry(p.region).find((c) => c.endsWith('00') && !c.endsWith('0000')) : undefined;

    // 1. documents matching query and scope
    const matched: number[] = [];
    const consider = (i: number) => matched.push(i);
    const groupIds = scores ? [...scores.keys()] : this.groups.map((g) => g.id);
    const tongbanCandidates = new Map<string, number>(); // basic code → best out-of-scope 通办 doc
    const basicInScope = new Set<string>();
    for (const gid of groupIds) {
      for (const i of this.groups[gid]!.docs) {
        const d = this.docs[i]!;
        if (!scope || scope.has(d.regionCode)) {
          consider(i);
          basicInScope.add(d.basicCode);
        } else if (d.tongban === 'province' || d.tongban === 'cross_province' || (d.tongban === 'city' && d.cityCode === cityOfRegion)) {
          const prev = tongbanCandidates.get(d.basicCode);
          const better =
            prev === undefined ||
            (d.cityCode === cityOfRegion && this.docs[prev]!.cityCode !== cityOfRegion) ||
            (d.popularity > this.docs[prev]!.popularity && (d.cityCode === cityOfRegion) === (this.docs[prev]!.cityCode === cityOfRegion));
          if (better) tongbanCandidates.set(d.basicCode, i);
        }
      }
    }
    // 通办 items from elsewhere only where the chosen region has no item of its own, one per basic item
    for (const [basic, i] of tongbanCandidates) if (!basicInScope.has(basic)) consider(i);

    // 2. filters and disjunctive facet counts (each facet counted with every filter but its own)
    const counts = {
      type: new Map<string, number>(),
      object: new Map<string, number>(),
      theme: new Map<string, number>(),
      department: new Map<string, number>(),
      online: new Map<string, number>(),
    };
    const deptNames = new Map<string, string>();
    const inc = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);
    const TYPE = 1, OBJECT = 2, THEME = 4, DEPT = 8, ONLINE = 16;
    const results: number[] = [];
    for (const i of matched) {
      const d = this.docs[i]!;
      const online = d.onlineDepth >= ONLINE_HANDLEABLE_MIN_DEPTH;
      let failing = 0;
      if (p.type && d.type !== p.type) failing |= TYPE;
      if (p.object && !d.objects.includes(p.object)) failing |= OBJECT;
      if (p.theme && !d.themes.includes(p.theme)) failing |= THEME;
      if (p.dept && d.departmentCode !== p.dept) failing |= DEPT;
      if (p.online !== undefined && online !== p.online) failing |= ONLINE;
      if (failing === 0) results.push(i);
      else if ((failing & (failing - 1)) !== 0) continue; // fails two filters: counts nowhere
      // a doc failing exactly one filter counts only in that filter's facet
      if (!failing || failing === TYPE) inc(counts.type, d.type);
      if (!failing || failing === OBJECT) for (const o of d.objects) inc(counts.object, o);
      if (!failing || failing === THEME) for (const t of d.themes) inc(counts.theme, t);
      if (!failing || failing === DEPT) {
        inc(counts.department, d.departmentCode);
        deptNames.set(d.departmentCode, d.departmentName);
      }
      if (!failing || failing === ONLINE) inc(counts.online, online ? '1' : '0');
    }

    // 3. rank: tier, score, then the item's static rank; copies of one item by nearness to the chosen region
    const ancestry = p.region ? regionAncestry(p.region) : [];
    const near = new Map<string, number>(ancestry.map((c, k) => [c, k]));
    const nearness = (i: number) => near.get(this.docs[i]!.regionCode) ?? ancestry.length;
    const { ordinal, basicRank, docGroup } = this;
    results.sort((a, b) => {
      if (scores) {
        const sa = scores.get(docGroup[a]!)!;
        const sb = scores.get(docGroup[b]!)!;
        if (sa.tier !== sb.tier) return sb.tier - sa.tier;
        if (Math.abs(sa.score - sb.score) > 1e-9) return sb.score - sa.score;
      }
      const ra = basicRank[a]!;
      const rb = basicRank[b]!;
      if (ra !== rb) return ra - rb;
      return (ancestry.length ? nearness(a) - nearness(b) : 0) || ordinal[a]! - ordinal[b]!;
    });

    const start = (p.page - 1) * p.size;
    const items = results.slice(start, start + p.size).map((i) => this.hit(i, scores?.get(this.docGroup[i]!)?.terms ?? [], q));
    const toFacet = (m: Map<string, number>, label: (v: string) => string, limit = 50): FacetValue[] =>
      [...m].map(([value, count]) => ({ value, label: label(value), count })).sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : 1)).slice(0, limit);

    return {
      total: results.length,
      page: p.page,
      size: p.size,
      items,
      facets: {
        department: toFacet(counts.department, (v) => deptNames.get(v) ?? v, 30),
        type: toFacet(counts.type, (v) => ITEM_TYPES[v as keyof typeof ITEM_TYPES] ?? v),
        object: toFacet(counts.object, (v) => SERVICE_OBJECTS[v as keyof typeof SERVICE_OBJECTS] ?? v),
        theme: toFacet(counts.theme, (v) => THEMES[v as keyof typeof THEMES]?.label ?? v),
        online: toFacet(counts.online, (v) => (v === '1' ? '可网上办理' : '需到现场办理')),
      },
      suggestions: results.length === 0 && q ? this.suggest(q) : [],
    };
  }

  private hit(i: number, terms: string[], q: string): SearchHit {
    const d = this.docs[i]!;
    return {
      code: d.code,
      name: d.name,
      summary: d.summary,
      department: { code: d.departmentCode, name: d.departmentName },
      region: { code: d.regionCode, name: d.regionName, level: d.regionLevel },
      type: d.type,
      typeLabel: ITEM_TYPES[d.type],
      objects: d.objects,
      themes: d.themes,
      onlineHandleable: d.onlineDepth >= ONLINE_HANDLEABLE_MIN_DEPTH,
      onlineDepth: d.onlineDepth,
      visits: d.visits,
      promisedDays: d.promisedDays,
      legalDays: d.legalDays,
      tongban: d.tongban,
      highlights: { name: highlightRanges(d.name, terms.length ? terms : q ? [normalise(q)] : []) },
    };
  }

  /** Names that share the most character pairs with a query that found nothing (Dice coefficient). */
  private suggest(q: string): string[] {
    const qg = new Set(bigrams(normalise(q).replace(/\s+/g, '')));
    const qc = new Set(normalise(q).replace(/\s+/g, ''));
    const scored: { name: string; s: number; pop: number }[] = [];
    const seen = new Set<string>();
    for (const g of this.groups) {
      if (seen.has(g.name)) continue;
      seen.add(g.name);
      const tg = new Set(bigrams(g.title));
      let shared = 0;
      for (const x of qg) if (tg.has(x)) shared++;
      let chars = 0;
      for (const c of qc) if (/[\u4e00-\u9fff]/.test(c) && g.title.includes(c)) chars++;
      const s = (2 * shared) / (qg.size + tg.size || 1) + chars * 0.01;
      const pop = this.docs[g.docs[0]!]!.popularity;
      if (s > 0) scored.push({ name: this.docs[g.docs[0]!]!.name, s, pop });
    }
    scored.sort((a, b) => b.s - a.s || b.pop - a.pop);
    return scored.slice(0, 5).map((x) => x.name);
  }

  /** Popular items in a region's scope, for the home page. */
  popular(region: string | undefined, limit: number): SearchHit[] {
    return this.search({ region, page: 1, size: limit }).items;
  }

  has(code: string): boolean {
    return this.byCode.has(code);
  }

  regionName(code: string): string | undefined {
    return this.regionNames.get(code);
  }
}

/** Character ranges of `name` covered by any of the terms, merged. */
export function highlightRanges(name: string, terms: string[]): [number, number][] {
  const lower = normalise(name);
  const ranges: [number, number][] = [];
  for (const t of terms) {
    if (!t) continue;
    let at = lower.indexOf(t);
    while (at !== -1) {
      ranges.push([at, at + t.length]);
      at = lower.indexOf(t, at + t.length);
    }
  }
  ranges.sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const r of ranges) {
    const last = merged[merged.length - 1];
    if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
    else merged.push([r[0], r[1]]);
  }
  return merged;
}
