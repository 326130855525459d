/**
 * An in-memory inverted index over the published catalogue, derived from the database and rebuilt when the
 * catalogue revision changes. Implementation items whose searchable text is identical (the same basic item in
 * many regions) share one text group, so segmentation and scoring run per distinct text, not per region.
 * Filters and most facets are evaluated once per group; the few attributes that differ per item (region,
 * department, static order) are typed arrays of small integer ids.
 *
 * Ranking: matches in the name (and colloquial keywords) rank above matches in the text only; within a tier,
 * by matched-term weight (rarer terms weigh more), then the item's province-wide popularity; copies of one item
 * in several regions are ordered by nearness to the chosen region, then local popularity.
 */
import {
  ITEM_TYPES, ONLINE_HANDLEABLE_MIN_DEPTH, SERVICE_OBJECTS, THEMES, type ItemType, type ServiceObject, type Theme,
} from '../catalogue/catalogue.types.ts';
import { regionAncestry } from '../../shared/codes/region-code.ts';
import { isPinyinQuery, normalise, pinyinKeys, tokenize } from './segmenter.ts';
import type { FacetValue, SearchDoc, SearchHit, SearchParams, SearchResult } from './search.types.ts';

/**
 * Implementation items that read the same and filter the same (text, type, objects, themes, online, 通办):
 * in practice one basic item's copies across the regions. Filters and most facets are evaluated once per group.
 */
interface TextGroup {
  id: number;
  name: string; // normalised
  title: string; // normalised name + keywords: the "name match" field
  text: string; // normalised summary + body
  pinyinFull: string;
  pinyinInitials: string;
  docs: number[]; // indices into docs, in static order once built
  depts: Int32Array; // department id of each doc, aligned with docs
  byRegion: Map<number, number[]>; // region id → docs there
  bestByCity: Map<number, number>; // city id → its first doc in static order (for 通办 picks)
  type: number;
  objects: number; // bitmask
  themes: number; // bitmask
  online: number; // 0 | 1
  tongban: number; // 0 none, TONGBAN_CODE otherwise
  basicRank: number;
}

interface Concept {
  terms: string[]; // the query word and its synonym expansions, normalised
}

interface GroupScore {
  tier: number; // 2 = matched in the name or keywords, 1 = in the text only
  score: number;
  terms: string[]; // what matched in the name, for highlighting
}

const TEXT_WEIGHT = 0.3; // a match in the text weighs less than one in the name
const WHOLE_QUERY_BONUS = 3;
const TYPE_KEYS = Object.keys(ITEM_TYPES) as ItemType[];
const OBJECT_KEYS = Object.keys(SERVICE_OBJECTS) as ServiceObject[];
const THEME_KEYS = Object.keys(THEMES) as Theme[];
const TONGBAN_CODE = { province: 1, city: 2, cross_province: 3 } as const;
const DEPARTMENT_FACET_SIZE = 20;
/** Without a query every item ranks equal on text; the static order decides. */
const BROWSE_SCORE: GroupScore = { tier: 2, score: 0, terms: [] };

/** A bitmask with one bit per value, positions from `keys`; values not in `keys` are ignored. */
function bitmask(values: readonly string[], keys: readonly string[]): number {
  let mask = 0;
  for (const v of values) {
    const bit = keys.indexOf(v);
    if (bit >= 0) mask |= 1 << bit;
  }
  return mask;
}

/** Lexicographic order of rank tuples. */
function isBefore(a: readonly number[], b: readonly number[]): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! < b[i]!;
  return false;
}

/** Ids of the k largest non-zero counts, largest first (ties: lower id first), in one pass. */
function topK(counts: Int32Array, k: number): number[] {
  const top: number[] = [];
  for (let id = 0; id < counts.length; id++) {
    const c = counts[id]!;
    if (!c || (top.length === k && c <= counts[top[k - 1]!]!)) continue;
    let at = top.length === k ? k - 1 : top.length;
    while (at > 0 && counts[top[at - 1]!]! < c) {
      top[at] = top[at - 1]!;
      at--;
    }
    top[at] = id;
  }
  return top;
}

function bigrams(s: string): string[] {
  const out: string[] = [];
  for (let i = 0; i + 1 < s.length; i++) out.push(s.slice(i, i + 2));
  return out;
}

/** Small integer ids for a set of string values, in first-seen order. */
class Dictionary {
  readonly values: string[] = [];
  private readonly ids = new Map<string, number>();
  id(value: string): number {
    let id = this.ids.get(value);
    if (id === undefined) {
      id = this.values.length;
      this.values.push(value);
      this.ids.set(value, id);
    }
    return id;
  }
  find(value: string): number | undefined {
    return this.ids.get(value);
  }
}

export class SearchIndex {
  readonly docs: SearchDoc[];
  private readonly groups: TextGroup[] = [];
  /** bigram → group ids containing it in the title; likewise for text, and single characters of titles. */
  private readonly titleGrams = new Map<string, Set<number>>();
  private readonly textGrams = new Map<string, Set<number>>();
  private readonly titleChars = new Map<string, Set<number>>();
  private readonly synonyms: Map<string, string[]>;
  private readonly synonymTerms: string[];

  // column-wise attributes, one entry per doc
  private readonly regions = new Dictionary();
  private readonly departments = new Dictionary();
  private readonly departmentNames: string[] = [];
  private readonly basics = new Dictionary();
  private readonly docGroup: Int32Array;
  private readonly docRegion: Int32Array;
  private readonly docCity: Int32Array; // region id of the doc's city, -1 for the province
  private readonly docDept: Int32Array;
  /** Static order: basic items by province-wide popularity, copies of one item by local popularity. */
  private readonly ordinal: Int32Array;
  /** region id → ids of the regions directly below it */
  private readonly childRegions = new Map<number, number[]>();

  constructor(docs: SearchDoc[], synonyms: Map<string, string[]>) {
    this.docs = docs;
    this.synonyms = new Map([...synonyms].map(([k, v]) => [normalise(k), v.map(normalise)]));
    this.synonymTerms = [...this.synonyms.keys()].sort((a, b) => b.length - a.length);
    const n = docs.length;
    this.docGroup = new Int32Array(n);
    this.docRegion = new Int32Array(n);
    this.docCity = new Int32Array(n);
    this.docDept = new Int32Array(n);
    const docBasic = new Int32Array(n);
    const groupByText = new Map<string, TextGroup>();
    docs.forEach((d, i) => {
      const region = this.regions.id(d.regionCode);
      this.docRegion[i] = region;
      this.docCity[i] = d.cityCode ? this.regions.id(d.cityCode) : -1;
      if (d.cityCode && d.cityCode !== d.regionCode) {
        const city = this.docCity[i]!;
        const kids = this.childRegions.get(city) ?? [];
        if (!kids.includes(region)) kids.push(region);
        this.childRegions.set(city, kids);
      }
      const dept = this.departments.id(d.departmentCode);
      this.departmentNames[dept] = d.departmentName;
      this.docDept[i] = dept;
      docBasic[i] = this.basics.id(d.basicCode);
      const online = d.onlineDepth >= ONLINE_HANDLEABLE_MIN_DEPTH ? 1 : 0;

      const key = [d.name, d.keywords.join(' '), d.summary, d.bodyText, d.type, d.objects.join(), d.themes.join(), online, d.tongban ?? ''].join('\u0001');
      let g = groupByText.get(key);
      if (!g) {
        const py = pinyinKeys(d.name);
        g = {
          id: this.groups.length,
          name: normalise(d.name),
          title: normalise([d.name, ...d.keywords].join(' ')),
          text: normalise(`${d.summary} ${d.bodyText}`),
          pinyinFull: py.full,
          pinyinInitials: py.initials,
          docs: [],
          depts: new Int32Array(0),
          byRegion: new Map(),
          bestByCity: new Map(),
          type: TYPE_KEYS.indexOf(d.type),
          objects: bitmask(d.objects, OBJECT_KEYS),
          themes: bitmask(d.themes, THEME_KEYS),
          online,
          tongban: d.tongban ? TONGBAN_CODE[d.tongban] : 0,
          basicRank: 0,
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
    this.ordinal = new Int32Array(n);
    const basicRank = new Int32Array(n); // rank of each doc's basic item in that order
    let rank = -1;
    let prevBasic = -1;
    order.forEach((docIndex, pos) => {
      if (docBasic[docIndex] !== prevBasic) {
        rank++;
        prevBasic = docBasic[docIndex]!;
      }
      this.ordinal[docIndex] = pos;
      basicRank[docIndex] = rank;
    });
    for (const g of this.groups) {
      g.docs.sort((a, b) => this.ordinal[a]! - this.ordinal[b]!);
      g.depts = Int32Array.from(g.docs, (i) => this.docDept[i]!);
      g.basicRank = basicRank[g.docs[0]!]!;
      for (const i of g.docs) {
        const list = g.byRegion.get(this.docRegion[i]!);
        if (list) list.push(i);
        else g.byRegion.set(this.docRegion[i]!, [i]);
        const city = this.docCity[i]!;
        if (city >= 0 && !g.bestByCity.has(city)) g.bestByCity.set(city, i);
      }
    }
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

  /** Term → groups containing it, per field: postings derived on first use (the index never changes). */
  private readonly termHits = new Map<string, number[]>();

  private groupsContaining(term: string, field: 'title' | 'text'): number[] {
    const key = `${field}\u0001${term}`;
    let hits = this.termHits.get(key);
    if (!hits) {
      hits = this.findGroupsContaining(term, field);
      if (this.termHits.size >= 50000) this.termHits.clear(); // bounded: arbitrary input must not grow it forever
      this.termHits.set(key, hits);
    }
    return hits;
  }

  /** Groups whose field contains `term`: candidates from the bigram postings, verified by substring. */
  private findGroupsContaining(term: string, field: 'title' | 'text'): number[] {
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
  private scoreGroups(q: string): Map<number, GroupScore> {
    const scores = new Map<number, GroupScore>();
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
          const weight = field === 'title' ? idf : idf * TEXT_WEIGHT;
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

  /** Region ids a chosen region sees: itself, its ancestors, and the counties below a city. Null = everything. */
  private scopeRegions(region: string | undefined): number[] | null {
    if (!region || region.endsWith('0000')) return null; // no region, or the province: everything
    const out: number[] = [];
    for (const code of regionAncestry(region)) {
      const id = this.regions.find(code);
      if (id !== undefined) out.push(id);
    }
    const self = this.regions.find(region);
    if (self !== undefined) out.push(...(this.childRegions.get(self) ?? []));
    return out;
  }

  /** Per region: each group's docs within that region's scope (undefined where none), derived once. */
  private readonly scopeDocs = new Map<string, (number[] | undefined)[]>();

  private inScopeDocs(region: string, scope: number[]): (number[] | undefined)[] {
    let lists = this.scopeDocs.get(region);
    if (!lists) {
      lists = this.groups.map((g) => {
        const docs = scope.flatMap((r) => g.byRegion.get(r) ?? []);
        return docs.length ? docs : undefined;
      });
      this.scopeDocs.set(region, lists); // bounded by the number of regions: region codes are validated
    }
    return lists;
  }

  search(p: SearchParams): SearchResult {
    const q = p.q?.trim() ?? '';
    const scores = q ? this.scoreGroups(q) : null;
    const scope = this.scopeRegions(p.region);
    const cityCode = p.region ? regionAncestry(p.region).find((c) => c.endsWith('00') && !c.endsWith('0000')) : undefined;
    const city = cityCode === undefined ? -2 : (this.regions.find(cityCode) ?? -2);

    const wantType = p.type ? TYPE_KEYS.indexOf(p.type) : -1;
    const wantObject = p.object ? 1 << OBJECT_KEYS.indexOf(p.object) : 0;
    const wantTheme = p.theme ? 1 << THEME_KEYS.indexOf(p.theme) : 0;
    const wantDept = p.dept ? (this.departments.find(p.dept) ?? -2) : -1;
    const wantOnline = p.online === undefined ? -1 : p.online ? 1 : 0;
    const TYPE = 1, OBJECT = 2, THEME = 4, ONLINE = 8;
    const typeCounts = new Int32Array(TYPE_KEYS.length);
    const objectCounts = new Int32Array(OBJECT_KEYS.length);
    const themeCounts = new Int32Array(THEME_KEYS.length);
    const deptCounts = new Int32Array(this.departments.values.length);
    const onlineCounts = new Int32Array(2);
    const { docDept } = this;

    type Entry = { group: TextGroup; docs: number[] | null; count: number };
    const entries: Entry[] = [];
    const failingOf = (g: TextGroup) => {
      let failing = 0;
      if (wantType >= 0 && g.type !== wantType) failing |= TYPE;
      if (wantObject && !(g.objects & wantObject)) failing |= OBJECT;
      if (wantTheme && !(g.themes & wantTheme)) failing |= THEME;
      if (wantOnline >= 0 && g.online !== wantOnline) failing |= ONLINE;
      return failing;
    };
    /** Counts a set of docs of one group (all `docs` of the group when `list` is null) into results and facets. */
    const take = (g: TextGroup, list: number[] | null) => {
      const failing = failingOf(g);
      if ((failing & (failing - 1)) !== 0) return; // fails two or more filters: counts nowhere
      // department: the one per-doc attribute
      let inDept: number[] | null = list;
      let deptMatches: number;
      if (wantDept === -1) deptMatches = list ? list.length : g.docs.length;
      else {
        inDept = (list ?? g.docs).filter((i) => docDept[i] === wantDept);
        deptMatches = inDept.length;
      }
      if (failing === 0) {
        // every facet but the department one counts the docs that pass the department filter
        typeCounts[g.type]! += deptMatches;
        for (let b = 0, m = g.objects; m; b++, m >>= 1) if (m & 1) objectCounts[b]! += deptMatches;
        for (let b = 0, m = g.themes; m; b++, m >>>= 1) if (m & 1) themeCounts[b]! += deptMatches;
        onlineCounts[g.online]! += deptMatches;
        if (list) for (const i of list) deptCounts[docDept[i]!]!++;
        else for (const d of g.depts) deptCounts[d]!++;
        if (deptMatches) entries.push({ group: g, docs: inDept, count: deptMatches });
        return;
      }
      if (!deptMatches) return; // fails a filter and the department too
      if (failing === TYPE) typeCounts[g.type]! += deptMatches;
      else if (failing === OBJECT) for (let b = 0, m = g.objects; m; b++, m >>= 1) { if (m & 1) objectCounts[b]! += deptMatches; }
      else if (failing === THEME) for (let b = 0, m = g.themes; m; b++, m >>>= 1) { if (m & 1) themeCounts[b]! += deptMatches; }
      else onlineCounts[g.online]! += deptMatches;
    };

    // 1. per group: the docs in scope; 通办 items from elsewhere only where the region has none of its own
    const matchedGroups = scores ? [...scores.keys()].map((id) => this.groups[id]!) : this.groups;
    const inScope = scope ? this.inScopeDocs(p.region!, scope) : null;
    const basicInScope = new Set<number>();
    const tongbanCandidates: TextGroup[] = [];
    for (const g of matchedGroups) {
      if (!scope) {
        take(g, null);
        continue;
      }
      const list = inScope![g.id];
      if (list) {
        basicInScope.add(g.basicRank);
        take(g, list);
      } else if (g.tongban === TONGBAN_CODE.province || g.tongban === TONGBAN_CODE.cross_province || (g.tongban === TONGBAN_CODE.city && g.bestByCity.has(city))) {
        tongbanCandidates.push(g);
      }
    }
    // one copy per basic item, across all its groups: one that passes the filters first, then one in the same
    // city, then the most wanted
    const picks = new Map<number, { g: TextGroup; doc: number; rank: [number, number, number] }>();
    for (const g of tongbanCandidates) {
      if (basicInScope.has(g.basicRank)) continue;
      const sameCity = g.bestByCity.get(city);
      const doc = (wantDept !== -1 ? g.docs.find((d) => docDept[d] === wantDept) : undefined) ?? sameCity ?? g.docs[0]!;
      const passes = failingOf(g) === 0 && (wantDept === -1 || docDept[doc] === wantDept);
      const rank: [number, number, number] = [passes ? 0 : 1, this.docCity[doc] === city ? 0 : 1, this.ordinal[doc]!];
      const prev = picks.get(g.basicRank);
      if (!prev || isBefore(rank, prev.rank)) picks.set(g.basicRank, { g, doc, rank });
    }
    for (const { g, doc } of picks.values()) take(g, [doc]);

    // 2. rank: buckets of (tier, score, basic item); only the buckets on the requested page are opened and sorted
    type Bucket = { score: GroupScore; rank: number; entries: Entry[]; count: number };
    const byRank = new Map<number, Bucket[]>(); // basic item → its buckets (one per distinct score)
    const buckets: Bucket[] = [];
    let total = 0;
    for (const e of entries) {
      total += e.count;
      const score = scores?.get(e.group.id) ?? BROWSE_SCORE;
      const rank = e.group.basicRank;
      const same = byRank.get(rank);
      const b = same?.find((x) => x.score.tier === score.tier && Math.abs(x.score.score - score.score) < 1e-9);
      if (b) {
        b.entries.push(e);
        b.count += e.count;
      } else {
        const nb = { score, rank, entries: [e], count: e.count };
        buckets.push(nb);
        if (same) same.push(nb);
        else byRank.set(rank, [nb]);
      }
    }
    buckets.sort((a, b) => b.score.tier - a.score.tier || b.score.score - a.score.score || a.rank - b.rank);
    const ancestry = p.region ? regionAncestry(p.region).map((c) => this.regions.find(c) ?? -3) : [];
    const nearness = (i: number) => {
      const k = ancestry.indexOf(this.docRegion[i]!);
      return k === -1 ? ancestry.length : k;
    };
    const page: number[] = [];
    let skip = (p.page - 1) * p.size;
    for (const b of buckets) {
      if (page.length >= p.size) break;
      if (skip >= b.count) {
        skip -= b.count;
        continue;
      }
      const docs = b.entries.flatMap((e) => e.docs ?? e.group.docs);
      docs.sort((x, y) => nearness(x) - nearness(y) || this.ordinal[x]! - this.ordinal[y]!);
      for (let k = skip; k < docs.length && page.length < p.size; k++) page.push(docs[k]!);
      skip = 0;
    }

    const items = page.map((i) => this.hit(i, scores?.get(this.docGroup[i]!)?.terms ?? [], q));
    const facet = (counts: ArrayLike<number>, keys: readonly string[], label: (v: string) => string): FacetValue[] => {
      const out: FacetValue[] = [];
      for (let k = 0; k < keys.length; k++) if (counts[k]) out.push({ value: keys[k]!, label: label(keys[k]!), count: counts[k]! });
      return out.sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : 1));
    };
    const departments = topK(deptCounts, DEPARTMENT_FACET_SIZE).map((id) => ({
      value: this.departments.values[id]!,
      label: this.departmentNames[id]!,
      count: deptCounts[id]!,
    }));

    return {
      total,
      page: p.page,
      size: p.size,
      items,
      facets: {
        department: departments,
        type: facet(typeCounts, TYPE_KEYS, (v) => ITEM_TYPES[v as ItemType]),
        object: facet(objectCounts, OBJECT_KEYS, (v) => SERVICE_OBJECTS[v as ServiceObject]),
        theme: facet(themeCounts, THEME_KEYS, (v) => THEMES[v as Theme].label),
        online: facet(onlineCounts, ['0', '1'], (v) => (v === '1' ? '可网上办理' : '需到现场办理')),
      },
      suggestions: total === 0 && q ? this.suggest(q) : [],
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
    const query = normalise(q).replace(/\s+/g, '');
    const qg = new Set(bigrams(query));
    const shared = new Map<number, number>(); // group → bigrams shared with the query
    for (const bg of qg) for (const id of this.titleGrams.get(bg) ?? []) shared.set(id, (shared.get(id) ?? 0) + 1);
    const chars = new Map<number, number>(); // group → Chinese characters shared with the query
    for (const c of new Set(query)) {
      if (!/[\u4e00-\u9fff]/.test(c)) continue;
      for (const id of this.titleChars.get(c) ?? []) chars.set(id, (chars.get(id) ?? 0) + 1);
    }
    const best = new Map<string, { s: number; pop: number }>(); // by name: one suggestion per item
    for (const id of new Set([...shared.keys(), ...chars.keys()])) {
      const g = this.groups[id]!;
      const s = (2 * (shared.get(id) ?? 0)) / (qg.size + Math.max(1, g.title.length - 1)) + (chars.get(id) ?? 0) * 0.01;
      const name = this.docs[g.docs[0]!]!.name;
      const pop = this.docs[g.docs[0]!]!.basicPopularity;
      const prev = best.get(name);
      if (!prev || s > prev.s) best.set(name, { s, pop });
    }
    return [...best]
      .sort((a, b) => b[1].s - a[1].s || b[1].pop - a[1].pop)
      .slice(0, 5)
      .map(([name]) => name);
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
