/**
 * An in-memory inverted index over the published catalogue, derived from the database and rebuilt when the
 * catalogue revision changes. Implementation items whose searchable text is identical (the same basic item in
 * many regions) share one text group, so segmentation and scoring run per distinct text, not per region.
 * Filters and most facets are evaluated once per group; the few attributes that differ per item (region,
 * department, static order) are typed arrays of small integer ids.
 *
 * Ranking: matches in the name (and colloquial keywords) rank above matches in the text only, and those above
 * matches of an all-letter query as the pinyin of a name (hydj → 婚姻登记), so that letters written in the
 * catalogue (SC证, 牙科CT, 税务Ukey) come first; within a tier, by matched-term weight (rarer terms weigh
 * more), then the item's province-wide popularity; copies of one item in several regions are ordered by
 * nearness to the chosen region, then local popularity. A query's letters match whole runs of letters in the
 * catalogue's text (sp is not in GSP), and full pinyin whole syllables (shipin finds 食品; ukey does not find
 * 许可（延续）, xukeyanxu).
 *
 * Cost per query: what the query touches and little more. Term postings are derived once per term and a query
 * string's parse (jieba's cut, synonyms, its terms' postings) once per string, in a small LRU; what depends only
 * on the chosen region (each group's docs there, nearest first, in contiguous arrays) once per region. Counters
 * per group and per department are owned by the index and reset after each query (searches run synchronously,
 * one at a time). Matching, filters, facets and ranking run afresh for every query: results are not cached here
 * (that is `CatalogueIndex`'s result cache, which can be switched off). The API's JSON is written from per-item
 * fragments (search-json.ts) rather than by serialising result objects.
 */
import { LRUCache } from 'lru-cache';
import {
  ITEM_TYPES, ONLINE_HANDLEABLE_MIN_DEPTH, SERVICE_OBJECTS, THEMES, type ItemType, type ServiceObject, type Theme,
} from '../catalogue/catalogue.types.ts';
import { regionAncestry } from '../../shared/codes/region-code.ts';
import { isPinyinQuery, normalise, pinyinKeys, tokenize } from './segmenter.ts';
import { SearchJsonEncoder, type FacetCounts, type FacetName, type PageData } from './search-json.ts';
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
  pinyinFull: string; // the name's syllables joined: hunyindengji
  /** Per offset into `pinyinFull` (and its end): 1 where a syllable starts or the last one ends. */
  pinyinBounds: Uint8Array;
  pinyinInitials: string;
  docs: number[]; // indices into docs, in static order once built
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

/** The groups whose field contains a term (ascending ids), and what a match there weighs. */
interface Posting {
  groups: readonly number[];
  weight: number; // rarity (IDF) × length, less in the text than in the title
}

/** A concept with the postings of each of its terms, as scoring walks them. */
interface ScoringConcept {
  terms: string[];
  title: Posting[]; // aligned with terms
  text: Posting[];
  /** A single character next to real words: it ranks what they found but finds nothing on its own. */
  boostOnly: boolean;
}

/** A query string as scoring needs it, derived once per distinct string (see `parsedQueries`). */
interface ParsedQuery {
  normalised: string; // what a name is highlighted with when no concept matched it
  compact: string; // normalised without spaces: the pinyin key and the whole-query phrase
  pinyin: boolean;
  /** For an all-letter query: the groups whose name's pinyin contains it (ascending), and which exactly. */
  pinyinMatches?: { groups: number[]; exact: boolean[] };
  /** The query's words (jieba), derived on first scoring: real words first, then single characters. */
  concepts?: ScoringConcept[];
  /** The whole query as a phrase in titles (two characters or more). */
  whole?: Posting | null;
}

/**
 * What a chosen region sees, derived once per region (and once for no region, which sees everything): region
 * codes are validated against the directory before they get here, so there are at most as many as regions.
 */
interface Scope {
  /** The whole province: no region, or the province itself. Then no 通办 copies are added. */
  whole: boolean;
  /**
   * Per group: its docs in scope, nearest to the chosen region first, then in static order; undefined where
   * none. And the department of each of those docs, aligned. Each is a view into one array per scope, so a
   * broad query's department count streams through contiguous memory.
   */
  docs: (Int32Array | undefined)[];
  depts: (DeptIds | undefined)[];
  /** How many docs the scope holds. */
  size: number;
  /** Per department: its docs in scope; derived on first use, for the whole province only. */
  deptTotals?: Int32Array;
  /** Region id of the chosen region's city (通办 copies from the same city come first); -2 when none. */
  city: number;
  /** Region id → nearness to the chosen region: its index in the region's ancestry, else the ancestry's length. */
  nearness: Int32Array;
}

/** Department ids: 16 bits while there are at most 65,536 departments, which halves what the facet reads. */
type DeptIds = Uint16Array | Int32Array;

/** Groups of one basic item at one score: the unit of ranking. Entries (matched groups) are chained. */
interface Bucket {
  tier: number; // TIER_TITLE, TIER_TEXT or TIER_PINYIN
  score: number;
  rank: number; // the basic item's rank in the static order
  count: number; // docs in all its entries
  first: number; // entry indices, chained through `entryNext`
  last: number;
  sameRank: Bucket | undefined; // the next bucket of the same basic item, in creation order
}

/** Match tiers, best first; 0 is unmatched. */
const TIER_TITLE = 3; // the words in the name or keywords
const TIER_TEXT = 2; // the words in the text only
const TIER_PINYIN = 1; // an all-letter query as the pinyin of the name, where its letters are nowhere
const TEXT_WEIGHT = 0.3; // a match in the text weighs less than one in the name
const WHOLE_QUERY_BONUS = 3;
const TYPE_KEYS = Object.keys(ITEM_TYPES) as ItemType[];
const OBJECT_KEYS = Object.keys(SERVICE_OBJECTS) as ServiceObject[];
const THEME_KEYS = Object.keys(THEMES) as Theme[];
const ONLINE_KEYS = ['0', '1'];
/** Value and label of every facet but the department one, by position (the id counters use). */
const FACET_VALUES = {
  type: { keys: TYPE_KEYS, labels: TYPE_KEYS.map((k) => ITEM_TYPES[k]) },
  object: { keys: OBJECT_KEYS, labels: OBJECT_KEYS.map((k) => SERVICE_OBJECTS[k]) },
  theme: { keys: THEME_KEYS, labels: THEME_KEYS.map((k) => THEMES[k].label) },
  online: { keys: ONLINE_KEYS, labels: ['需到现场办理', '可网上办理'] },
} as const;
const TONGBAN_CODE = { province: 1, city: 2, cross_province: 3 } as const;
const DEPARTMENT_FACET_SIZE = 20;
/** Without a query every item ranks equal on text; the static order decides. */
const BROWSE_TIER = TIER_TITLE;
const BROWSE_SCORE = 0;
/** Distinct query strings whose parse is kept (a few hundred are typical of a day's traffic). */
const PARSED_QUERY_CACHE_SIZE = 2000;

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

/** Buckets in ranking order: name matches first, then by score, then the basic item's static order. */
function compareBuckets(a: Bucket, b: Bucket): number {
  return b.tier - a.tier || b.score - a.score || a.rank - b.rank;
}

/**
 * The k largest non-zero counts among `ids` (each id once), largest first, ties by lower id.
 * One pass with insertion into a short list; the order of `ids` does not matter.
 */
function topK(counts: Int32Array, ids: Int32Array, k: number): number[] {
  const top: number[] = [];
  let lastId = -1; // the k-th once there are k, and its count
  let lastCount = 0;
  for (let j = 0; j < ids.length; j++) {
    const id = ids[j]!;
    const c = counts[id]!;
    if (!c || (lastId >= 0 && (c < lastCount || (c === lastCount && id > lastId)))) continue;
    let at = top.length === k ? k - 1 : top.length;
    while (at > 0) {
      const prev = top[at - 1]!;
      const pc = counts[prev]!;
      if (pc > c || (pc === c && prev < id)) break;
      top[at] = prev;
      at--;
    }
    top[at] = id;
    if (top.length === k) {
      lastId = top[k - 1]!;
      lastCount = counts[lastId]!;
    }
  }
  return top;
}

/** Takes one count per doc away from its department: `Tally.countDepartments` in reverse, unrolled likewise. */
function uncountDepartments(counts: Int32Array, depts: DeptIds): void {
  const end = depts.length;
  let k = 0;
  for (; k + 3 < end; k += 4) {
    counts[depts[k]!]!--;
    counts[depts[k + 1]!]!--;
    counts[depts[k + 2]!]!--;
    counts[depts[k + 3]!]!--;
  }
  for (; k < end; k++) counts[depts[k]!]!--;
}

/** The non-zero counts of a facet as values in output order: most first, ties by value. */
function facetCounts(counts: readonly number[], keys: readonly string[]): FacetCounts {
  const ids: number[] = [];
  const out: number[] = [];
  for (let id = 0; id < counts.length; id++) {
    const c = counts[id]!;
    if (!c) continue;
    let at = ids.length; // insertion: a facet has a few values
    while (at > 0 && (out[at - 1]! < c || (out[at - 1] === c && keys[ids[at - 1]!]! > keys[id]!))) {
      ids[at] = ids[at - 1]!;
      out[at] = out[at - 1]!;
      at--;
    }
    ids[at] = id;
    out[at] = c;
  }
  return { ids, counts: out };
}

/** Whether a UTF-16 code is a Latin letter (text is normalised: lower case, half-width). */
function isLetter(code: number): boolean {
  return code >= 97 && code <= 122;
}

/**
 * Where `term` occurs in `s` from `from` on, -1 if nowhere: as a substring, except that a term beginning or
 * ending with a letter must not continue a run of letters there (sp is not in gsp, ct is in 牙科ct).
 */
function indexOfTerm(s: string, term: string, from = 0): number {
  const letterStart = isLetter(term.charCodeAt(0));
  const letterEnd = isLetter(term.charCodeAt(term.length - 1));
  let at = s.indexOf(term, from);
  if (!letterStart && !letterEnd) return at;
  for (; at !== -1; at = s.indexOf(term, at + 1)) {
    if (letterStart && at > 0 && isLetter(s.charCodeAt(at - 1))) continue;
    if (letterEnd && isLetter(s.charCodeAt(at + term.length))) continue;
    return at;
  }
  return -1;
}

/** Whether `q` occurs in `full` from the start of a syllable to the end of one (`bounds`, see `TextGroup`). */
function matchesSyllables(full: string, bounds: Uint8Array, q: string): boolean {
  for (let at = full.indexOf(q); at !== -1; at = full.indexOf(q, at + 1)) {
    if (bounds[at] && bounds[at + q.length]) return true;
  }
  return false;
}

/** A `TextGroup`'s `pinyinBounds` from the name's syllables: 1 at each syllable's start and at the last one's end. */
function syllableBounds(syllables: readonly string[]): Uint8Array {
  const bounds = new Uint8Array(syllables.reduce((n, s) => n + s.length, 0) + 1);
  let at = 0;
  for (const s of syllables) {
    bounds[at] = 1;
    at += s.length;
  }
  bounds[at] = 1;
  return bounds;
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

/** One query's filters as ids and bitmasks; -1 (or 0 for the masks) where none. */
interface Filters {
  type: number;
  objects: number;
  themes: number;
  dept: number; // -2: a department the index does not know (nothing passes)
  online: number;
}

const FAILS_TYPE = 1;
const FAILS_OBJECT = 2;
const FAILS_THEME = 4;
const FAILS_ONLINE = 8;

/**
 * One query's results and facet counts, as the matched groups' docs are taken in. Facets are disjunctive:
 * each counts with every filter applied except its own, so docs failing exactly one filter count in that
 * filter's facet. The department facet's counters belong to the index (see `SearchIndex.page`).
 */
class Tally {
  // plain arrays: cheaper to make than typed arrays at this size, as fast to count in
  readonly typeCounts: number[] = new Array<number>(TYPE_KEYS.length).fill(0);
  readonly objectCounts: number[] = new Array<number>(OBJECT_KEYS.length).fill(0);
  readonly themeCounts: number[] = new Array<number>(THEME_KEYS.length).fill(0);
  readonly onlineCounts: number[] = [0, 0];
  /** Results: per entry a group and its docs that pass every filter; entries of one bucket are chained. */
  readonly entryGroup: number[] = [];
  readonly entryDocs: Int32Array[] = [];
  readonly entryNext: number[] = [];
  total = 0;
  /** How many departments `countedDeptIds` lists. */
  countedDepts = 0;
  /** Whether `deptCounts` was filled for every department at once (see `SearchIndex.countDeferredDepartments`). */
  countedAll = false;
  /**
   * In the whole province the department facet is counted once collection is done, from the groups listed
   * here (and `facetDocs`, their docs); elsewhere (null) as groups are taken.
   */
  readonly facetGroups: number[] | null;
  facetDocs = 0;

  constructor(
    readonly want: Filters,
    private readonly deptCounts: Int32Array,
    private readonly countedDeptIds: Int32Array,
    deferDepartments: boolean,
  ) {
    this.facetGroups = deferDepartments ? [] : null;
  }

  /** Which filters (other than the department) a group fails, as FAILS_* bits. */
  failing(g: TextGroup): number {
    const { want } = this;
    let failing = 0;
    if (want.type >= 0 && g.type !== want.type) failing |= FAILS_TYPE;
    if (want.objects && !(g.objects & want.objects)) failing |= FAILS_OBJECT;
    if (want.themes && !(g.themes & want.themes)) failing |= FAILS_THEME;
    if (want.online >= 0 && g.online !== want.online) failing |= FAILS_ONLINE;
    return failing;
  }

  /** Counts docs of one group (`depts` aligned with `docs`) into results and facets. */
  take(g: TextGroup, docs: Int32Array, depts: DeptIds): void {
    const failing = this.failing(g);
    if ((failing & (failing - 1)) !== 0) return; // fails two or more filters: counts nowhere
    // department: the one per-doc attribute
    const wantDept = this.want.dept;
    let inDept = docs;
    let deptMatches = docs.length;
    if (wantDept !== -1) {
      deptMatches = 0;
      for (let k = 0; k < depts.length; k++) if (depts[k] === wantDept) deptMatches++;
      if (deptMatches < docs.length && failing === 0) inDept = docs.filter((_, k) => depts[k] === wantDept);
    }
    if (failing === 0) {
      // every facet but the department one counts the docs that pass the department filter
      this.typeCounts[g.type]! += deptMatches;
      this.addBits(this.objectCounts, g.objects, deptMatches);
      this.addBits(this.themeCounts, g.themes, deptMatches);
      this.onlineCounts[g.online]! += deptMatches;
      if (this.facetGroups) {
        this.facetGroups.push(g.id);
        this.facetDocs += depts.length;
      } else this.countDepartments(depts);
      if (deptMatches) {
        this.entryGroup.push(g.id);
        this.entryDocs.push(inDept);
        this.entryNext.push(-1);
        this.total += deptMatches;
      }
      return;
    }
    if (!deptMatches) return; // fails a filter and the department too
    if (failing === FAILS_TYPE) this.typeCounts[g.type]! += deptMatches;
    else if (failing === FAILS_OBJECT) this.addBits(this.objectCounts, g.objects, deptMatches);
    else if (failing === FAILS_THEME) this.addBits(this.themeCounts, g.themes, deptMatches);
    else this.onlineCounts[g.online]! += deptMatches;
  }

  /**
   * One count per doc in the department facet, noting each department the first time it counts. This loop is
   * most of a broad query's cost (every copy of every matched item); four docs per iteration make it about
   * twice as fast as one, as the per-iteration checks, not the counting, dominate.
   */
  countDepartments(depts: DeptIds): void {
    const { deptCounts: counts, countedDeptIds: counted } = this;
    let n = this.countedDepts;
    const end = depts.length;
    let k = 0;
    for (; k + 3 < end; k += 4) {
      const a = depts[k]!, b = depts[k + 1]!, c = depts[k + 2]!, d = depts[k + 3]!;
      if (counts[a]!++ === 0) counted[n++] = a;
      if (counts[b]!++ === 0) counted[n++] = b;
      if (counts[c]!++ === 0) counted[n++] = c;
      if (counts[d]!++ === 0) counted[n++] = d;
    }
    for (; k < end; k++) {
      const d = depts[k]!;
      if (counts[d]!++ === 0) counted[n++] = d;
    }
    this.countedDepts = n;
  }

  /** Adds `n` to the counter of every bit set in `mask` (lowest first; a group has a theme or two of 21). */
  private addBits(counts: number[], mask: number, n: number): void {
    for (let m = mask; m; m &= m - 1) counts[31 - Math.clz32(m & -m)]! += n;
  }
}

/**
 * Buckets in ranking order, one at a time: as they are when they came in order, else from a binary heap, so a
 * page pays only for the buckets it reaches. Popped buckets stay in the array (a heap sort in place).
 */
class BucketQueue {
  private n: number;
  private at = 0;

  constructor(
    private readonly heap: Bucket[],
    private readonly inOrder: boolean,
  ) {
    this.n = heap.length;
    if (!inOrder) for (let i = (this.n >> 1) - 1; i >= 0; i--) this.siftDown(i);
  }

  next(): Bucket | undefined {
    if (this.inOrder) return this.heap[this.at++];
    if (!this.n) return undefined;
    const { heap } = this;
    const top = heap[0]!;
    const last = heap[--this.n]!;
    heap[this.n] = top;
    if (this.n) {
      heap[0] = last;
      this.siftDown(0);
    }
    return top;
  }

  private siftDown(i: number): void {
    const { heap, n } = this;
    const b = heap[i]!;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= n) break;
      if (c + 1 < n && compareBuckets(heap[c + 1]!, heap[c]!) < 0) c++;
      if (compareBuckets(heap[c]!, b) >= 0) break;
      heap[i] = heap[c]!;
      i = c;
    }
    heap[i] = b;
  }
}

/**
 * One page of results in index terms (doc indices, facet value ids), as one search made it; rendered on demand
 * into the `SearchResult` objects the portal uses (once) and into the API's JSON.
 */
export class SearchPage {
  private rendered: SearchResult | undefined;

  constructor(
    private readonly index: SearchIndex,
    private readonly data: PageData,
  ) {}

  get result(): SearchResult {
    return (this.rendered ??= this.index.toResult(this.data));
  }

  /**
   * UTF-8 JSON: byte for byte `JSON.stringify(this.result)`, assembled without building the result. The buffer
   * is a view of a slab shared with other pages (see search-json.ts), not kept here: copy it to keep it long.
   */
  json(): Buffer {
    return this.index.toJson(this.data);
  }
}

export class SearchIndex {
  readonly docs: SearchDoc[];
  private readonly groups: TextGroup[] = [];
  /** Group ids in the static order of their basic items: browsing walks them in ranking order. */
  private readonly groupsByRank: Int32Array;
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

  /** Term → groups containing it, per field: postings derived on first use (the index never changes). */
  private readonly postings = new Map<string, Posting>();
  /**
   * Trimmed query string → its parse: what the string alone decides (normalised forms, jieba's words with their
   * synonyms and postings, pinyin matches). Scoring, filters, facets and ranking are not kept.
   */
  private readonly parsedQueries = new LRUCache<string, ParsedQuery>({ max: PARSED_QUERY_CACHE_SIZE });
  /** Region code ('' for none) → what it sees. */
  private readonly scopes = new Map<string, Scope>();
  private encoder: SearchJsonEncoder | undefined;

  // Per-query scratch, zero between queries: each query resets what it touched (see `page`).
  /** Per group: 0 unmatched, else its TIER_*. */
  private readonly matchTier: Uint8Array;
  private readonly matchScore: Float64Array;
  /** Per group: the terms that matched its title, for highlighting. */
  private readonly matchTerms: (string[] | undefined)[];
  /** Matched group ids in the order they were first matched. */
  private readonly matched: Int32Array;
  /** Per group, for the concept being scored: its best term (-1 = none yet), whether in the title, its weight. */
  private readonly bestTerm: Int32Array;
  private readonly bestInTitle: Uint8Array;
  private readonly bestWeight: Float64Array;
  private readonly conceptGroups: Int32Array;
  /** Per department: docs in results (the department facet); and the departments counted, in first-count order. */
  private readonly deptCounts: Int32Array;
  private readonly countedDeptIds: Int32Array;
  /** Every department id in order: what a count filled for every department is ranked by. */
  private readonly allDeptIds: Int32Array;
  /** Per basic item (by rank): its first bucket; unused for an item of one text group (`soleGroup`). */
  private readonly bucketOfRank: (Bucket | undefined)[];
  /** Per basic item (by rank): 1 when all its copies form one text group, as until an edit sets one apart. */
  private readonly soleGroup: Uint8Array;

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
          pinyinBounds: syllableBounds(py.syllables),
          pinyinInitials: py.initials,
          docs: [],
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
      g.basicRank = basicRank[g.docs[0]!]!;
      for (const i of g.docs) {
        const list = g.byRegion.get(this.docRegion[i]!);
        if (list) list.push(i);
        else g.byRegion.set(this.docRegion[i]!, [i]);
        const city = this.docCity[i]!;
        if (city >= 0 && !g.bestByCity.has(city)) g.bestByCity.set(city, i);
      }
    }
    this.groupsByRank = Int32Array.from(this.groups, (g) => g.id).sort(
      (a, b) => this.groups[a]!.basicRank - this.groups[b]!.basicRank || a - b,
    );

    const groupCount = this.groups.length;
    this.matchTier = new Uint8Array(groupCount);
    this.matchScore = new Float64Array(groupCount);
    this.matchTerms = new Array<string[] | undefined>(groupCount).fill(undefined);
    this.matched = new Int32Array(groupCount);
    this.bestTerm = new Int32Array(groupCount).fill(-1);
    this.bestInTitle = new Uint8Array(groupCount);
    this.bestWeight = new Float64Array(groupCount);
    this.conceptGroups = new Int32Array(groupCount);
    this.deptCounts = new Int32Array(this.departments.values.length);
    this.countedDeptIds = new Int32Array(this.departments.values.length);
    this.allDeptIds = Int32Array.from(this.departments.values, (_, id) => id);
    this.bucketOfRank = new Array<Bucket | undefined>(rank + 1).fill(undefined);
    const groupsOfBasic = new Int32Array(rank + 1);
    for (const g of this.groups) groupsOfBasic[g.basicRank]!++;
    this.soleGroup = Uint8Array.from(groupsOfBasic, (n) => (n === 1 ? 1 : 0));
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

  /** The groups whose field contains `term`, with the weight of a match there; derived once per term. */
  private posting(term: string, field: 'title' | 'text'): Posting {
    const key = `${field}\u0001${term}`;
    let posting = this.postings.get(key);
    if (!posting) {
      const groups = this.findGroupsContaining(term, field);
      const total = Math.max(1, this.groups.length);
      const idf = groups.length ? Math.log(1 + total / groups.length) * Math.min(term.length, 4) : 0;
      posting = { groups, weight: field === 'title' ? idf : idf * TEXT_WEIGHT };
      if (this.postings.size >= 50000) this.postings.clear(); // bounded: arbitrary input must not grow it forever
      this.postings.set(key, posting);
    }
    return posting;
  }

  /**
   * Groups whose field contains `term`, ascending: candidates from the bigram postings, verified by substring
   * (by `indexOfTerm`: letters as whole runs of letters).
   */
  private findGroupsContaining(term: string, field: 'title' | 'text'): number[] {
    if (term.length === 1) {
      if (field === 'text') return [];
      const ids = [...(this.titleChars.get(term) ?? [])];
      return isLetter(term.charCodeAt(0)) ? ids.filter((id) => indexOfTerm(this.groups[id]!.title, term) !== -1) : ids;
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
      if (indexOfTerm(field === 'title' ? g.title : g.text, term) !== -1) out.push(id);
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

  /** A (trimmed) query string's parse, from the LRU or made now. Its words are cut only when scoring needs them. */
  private parsed(q: string): ParsedQuery {
    let parsed = this.parsedQueries.get(q);
    if (!parsed) {
      const normalised = normalise(q);
      const compact = normalised.replace(/\s+/g, '');
      parsed = { normalised, compact, pinyin: isPinyinQuery(compact) };
      this.parsedQueries.set(q, parsed);
    }
    return parsed;
  }

  /** The parse's concepts with their postings, in scoring order, derived on first use. */
  private conceptsOf(parsed: ParsedQuery, q: string): ScoringConcept[] {
    if (parsed.concepts) return parsed.concepts;
    const { concepts, whole } = this.parseQuery(q);
    // Single characters (换, 证) are too common to find items on their own: they only rank items that a real
    // word already found — unless the query has nothing else.
    const isWeak = (c: Concept) => c.terms.every((t) => t.length < 2);
    const hasStrong = concepts.some((c) => !isWeak(c));
    const ordered = [...concepts.filter((c) => !isWeak(c)), ...concepts.filter(isWeak)];
    parsed.concepts = ordered.map((c) => ({
      terms: c.terms,
      title: c.terms.map((t) => this.posting(t, 'title')),
      text: c.terms.map((t) => this.posting(t, 'text')),
      boostOnly: hasStrong && isWeak(c),
    }));
    parsed.whole = whole.length >= 2 ? this.posting(whole, 'title') : null;
    return parsed.concepts;
  }

  /**
   * Groups whose name's pinyin initials contain `qn` (婚姻登记 for hydj), or, from three letters, whose full
   * pinyin does, from a syllable's start to a syllable's end (食品 for shipin; not 许可延续 xukeyanxu for ukey).
   */
  private pinyinMatches(qn: string): { groups: number[]; exact: boolean[] } {
    const groups: number[] = [];
    const exact: boolean[] = [];
    for (const g of this.groups) {
      if (g.pinyinInitials.includes(qn) || (qn.length >= 3 && matchesSyllables(g.pinyinFull, g.pinyinBounds, qn))) {
        groups.push(g.id);
        exact.push(g.pinyinInitials === qn || g.pinyinFull === qn);
      }
    }
    return { groups, exact };
  }

  /**
   * Scores every text group the query touches into the scratch arrays (tier, score, title terms); returns how
   * many, their ids in `matched` in first-match order. The query's words first (TIER_TITLE, TIER_TEXT); then,
   * for an all-letter query, the names it spells in pinyin among the groups the words did not find (TIER_PINYIN).
   */
  private scoreGroups(parsed: ParsedQuery, q: string): number {
    const { matchTier: tier, matchScore: score, matchTerms: terms, matched } = this;
    let n = 0;
    const { bestTerm, bestInTitle, bestWeight, conceptGroups } = this;
    for (const c of this.conceptsOf(parsed, q)) {
      // per group, the best match of this concept: title beats text; rarer terms weigh more
      let touched = 0;
      for (let t = 0; t < c.terms.length; t++) {
        for (let inTitle = 1; inTitle >= 0; inTitle--) {
          const { groups, weight } = inTitle ? c.title[t]! : c.text[t]!;
          for (let k = 0; k < groups.length; k++) {
            const id = groups[k]!;
            if (bestTerm[id] === -1) conceptGroups[touched++] = id;
            else if (!((inTitle && !bestInTitle[id]) || (bestInTitle[id] === inTitle && weight > bestWeight[id]!))) continue;
            bestTerm[id] = t;
            bestInTitle[id] = inTitle;
            bestWeight[id] = weight;
          }
        }
      }
      for (let k = 0; k < touched; k++) {
        const id = conceptGroups[k]!;
        const t = bestTerm[id]!;
        bestTerm[id] = -1;
        if (c.boostOnly && !tier[id]) continue;
        if (!tier[id]) {
          tier[id] = TIER_TEXT;
          matched[n++] = id;
        }
        score[id]! += bestWeight[id]!;
        if (bestInTitle[id]) {
          tier[id] = TIER_TITLE;
          (terms[id] ??= []).push(c.terms[t]!);
        }
      }
    }
    if (parsed.whole) {
      const bonus = WHOLE_QUERY_BONUS * Math.log(1 + Math.max(1, this.groups.length));
      for (const id of parsed.whole.groups) {
        if (!tier[id]) matched[n++] = id;
        tier[id] = TIER_TITLE;
        score[id]! += bonus;
        (terms[id] ??= []).push(parsed.compact);
      }
    }
    if (parsed.pinyin) {
      const { groups, exact } = (parsed.pinyinMatches ??= this.pinyinMatches(parsed.compact));
      for (let k = 0; k < groups.length; k++) {
        const id = groups[k]!;
        if (tier[id]) continue; // its words matched: that tier is better
        tier[id] = TIER_PINYIN;
        score[id] = 1 + (exact[k] ? WHOLE_QUERY_BONUS : 0);
        matched[n++] = id;
      }
    }
    return n;
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

  private scopeOf(region: string | undefined): Scope {
    const key = region ?? '';
    let scope = this.scopes.get(key);
    if (!scope) {
      scope = this.deriveScope(region);
      this.scopes.set(key, scope); // bounded by the number of regions: region codes are validated
    }
    return scope;
  }

  private deriveScope(region: string | undefined): Scope {
    const regionIds = this.scopeRegions(region);
    const ancestry = region ? regionAncestry(region) : [];
    const nearness = new Int32Array(this.regions.values.length).fill(ancestry.length);
    for (let k = ancestry.length - 1; k >= 0; k--) {
      const id = this.regions.find(ancestry[k]!);
      if (id !== undefined) nearness[id] = k;
    }
    const cityCode = ancestry.find((c) => c.endsWith('00') && !c.endsWith('0000'));
    const city = cityCode === undefined ? -2 : (this.regions.find(cityCode) ?? -2);
    const { docRegion, ordinal, docDept } = this;
    const lists = this.groups.map((g) => {
      const list = regionIds ? regionIds.flatMap((r) => g.byRegion.get(r) ?? []) : [...g.docs];
      list.sort((x, y) => nearness[docRegion[x]!]! - nearness[docRegion[y]!]! || ordinal[x]! - ordinal[y]!);
      return list;
    });
    const size = lists.reduce((n, list) => n + list.length, 0);
    const allDocs = new Int32Array(size);
    const allDepts = this.deptIds(size);
    const docs: (Int32Array | undefined)[] = [];
    const depts: (DeptIds | undefined)[] = [];
    let at = 0;
    for (const list of lists) {
      if (!list.length) {
        docs.push(undefined);
        depts.push(undefined);
        continue;
      }
      allDocs.set(list, at);
      for (let k = 0; k < list.length; k++) allDepts[at + k] = docDept[list[k]!]!;
      docs.push(allDocs.subarray(at, at + list.length));
      depts.push(allDepts.subarray(at, at + list.length));
      at += list.length;
    }
    return { whole: regionIds === null, docs, depts, size, city, nearness };
  }

  /** An array of `n` department ids, as narrow as the number of departments allows. */
  private deptIds(n: number): DeptIds {
    return this.departments.values.length <= 0x10000 ? new Uint16Array(n) : new Int32Array(n);
  }

  search(p: SearchParams): SearchResult {
    return this.page(p).result;
  }

  /** The result as UTF-8 JSON for the API, without building the result objects first. */
  searchJson(p: SearchParams): Buffer {
    return this.page(p).json();
  }

  /** Runs a search: one page of results in index terms, to render as objects or as JSON. */
  page(p: SearchParams): SearchPage {
    const q = p.q?.trim() ?? '';
    const parsed = q ? this.parsed(q) : undefined;
    const scope = this.scopeOf(p.region);
    const tally = new Tally(
      {
        type: p.type ? TYPE_KEYS.indexOf(p.type) : -1,
        objects: p.object ? 1 << OBJECT_KEYS.indexOf(p.object) : 0,
        themes: p.theme ? 1 << THEME_KEYS.indexOf(p.theme) : 0,
        dept: p.dept ? (this.departments.find(p.dept) ?? -2) : -1,
        online: p.online === undefined ? -1 : p.online ? 1 : 0,
      },
      this.deptCounts,
      this.countedDeptIds,
      scope.whole,
    );
    let matchedCount = 0;
    const buckets: Bucket[] = [];
    try {
      matchedCount = parsed ? this.scoreGroups(parsed, q) : 0;
      this.collect(tally, scope, parsed ? this.matched : this.groupsByRank, parsed ? matchedCount : this.groups.length);
      const inOrder = this.bucket(tally, parsed !== undefined, buckets);
      const docs = this.pageOf(tally, buckets, inOrder, scope, p);
      const highlights = docs.map((i) => {
        const g = this.docGroup[i]!;
        const terms = parsed ? (this.matchTerms[g] ?? []) : [];
        return rangesIn(this.groups[g]!.name, terms.length ? terms : parsed ? [parsed.normalised] : []);
      });
      const ranked = tally.facetGroups ? this.countDeferredDepartments(tally, scope) : this.countedDeptIds.subarray(0, tally.countedDepts);
      const department = topK(this.deptCounts, ranked, DEPARTMENT_FACET_SIZE);
      const total = tally.total;
      return new SearchPage(this, {
        total,
        page: p.page,
        size: p.size,
        docs,
        highlights,
        facets: {
          department: { ids: department, counts: department.map((id) => this.deptCounts[id]!) },
          type: facetCounts(tally.typeCounts, FACET_VALUES.type.keys),
          object: facetCounts(tally.objectCounts, FACET_VALUES.object.keys),
          theme: facetCounts(tally.themeCounts, FACET_VALUES.theme.keys),
          online: facetCounts(tally.onlineCounts, FACET_VALUES.online.keys),
        },
        suggestions: total === 0 && q ? this.suggest(q) : [],
      });
    } finally {
      // leave the scratch as it was found: zero
      for (let k = 0; k < matchedCount; k++) {
        const id = this.matched[k]!;
        this.matchTier[id] = 0;
        this.matchScore[id] = 0;
        this.matchTerms[id] = undefined;
      }
      if (tally.countedAll || tally.countedDepts > this.deptCounts.length >> 3) this.deptCounts.fill(0);
      else for (let k = 0; k < tally.countedDepts; k++) this.deptCounts[this.countedDeptIds[k]!] = 0;
      for (const b of buckets) if (!this.soleGroup[b.rank]) this.bucketOfRank[b.rank] = undefined;
    }
  }

  /**
   * Step 1: the matched groups' docs in scope into the tally; 通办 items from elsewhere only where the region
   * has none of its own, one copy per basic item.
   */
  private collect(tally: Tally, scope: Scope, ids: Int32Array, n: number): void {
    const { groups } = this;
    if (scope.whole) {
      for (let k = 0; k < n; k++) {
        const id = ids[k]!;
        tally.take(groups[id]!, scope.docs[id]!, scope.depts[id]!);
      }
      return;
    }
    const basicInScope = new Uint8Array(this.soleGroup.length);
    const tongbanCandidates: TextGroup[] = [];
    for (let k = 0; k < n; k++) {
      const id = ids[k]!;
      const g = groups[id]!;
      const docs = scope.docs[id];
      if (docs) {
        basicInScope[g.basicRank] = 1;
        tally.take(g, docs, scope.depts[id]!);
      } else if (g.tongban === TONGBAN_CODE.province || g.tongban === TONGBAN_CODE.cross_province || (g.tongban === TONGBAN_CODE.city && g.bestByCity.has(scope.city))) {
        tongbanCandidates.push(g);
      }
    }
    if (!tongbanCandidates.length) return;
    // one copy per basic item, across all its groups: one that passes the filters first, then one in the same
    // city, then the most wanted
    const { city } = scope;
    const { docDept } = this;
    const wantDept = tally.want.dept;
    const picks = new Map<number, { g: TextGroup; doc: number; rank: [number, number, number] }>();
    for (const g of tongbanCandidates) {
      if (basicInScope[g.basicRank]) continue;
      const sameCity = g.bestByCity.get(city);
      const doc = (wantDept !== -1 ? g.docs.find((d) => docDept[d] === wantDept) : undefined) ?? sameCity ?? g.docs[0]!;
      const passes = tally.failing(g) === 0 && (wantDept === -1 || docDept[doc] === wantDept);
      const rank: [number, number, number] = [passes ? 0 : 1, this.docCity[doc] === city ? 0 : 1, this.ordinal[doc]!];
      const prev = picks.get(g.basicRank);
      if (!prev || isBefore(rank, prev.rank)) picks.set(g.basicRank, { g, doc, rank });
    }
    for (const { g, doc } of picks.values()) {
      const dept = this.deptIds(1);
      dept[0] = docDept[doc]!;
      tally.take(g, Int32Array.of(doc), dept);
    }
  }

  /**
   * The department facet of a whole-province query, counted once its groups are known: directly, or — when
   * they hold more than half the docs — as every department's total less the groups that do not count, which
   * reads fewer docs (a broad word, or browsing, counts most of the catalogue). Returns the departments to rank.
   */
  private countDeferredDepartments(tally: Tally, scope: Scope): Int32Array {
    const facetGroups = tally.facetGroups!;
    if (tally.facetDocs * 2 <= scope.size) {
      for (const id of facetGroups) tally.countDepartments(scope.depts[id]!);
      return this.countedDeptIds.subarray(0, tally.countedDepts);
    }
    const counts = this.deptCounts;
    counts.set((scope.deptTotals ??= this.departmentTotals(scope)));
    tally.countedAll = true;
    const counted = new Uint8Array(scope.depts.length);
    for (const id of facetGroups) counted[id] = 1;
    for (let id = 0; id < scope.depts.length; id++) {
      const depts = scope.depts[id];
      if (depts && !counted[id]) uncountDepartments(counts, depts);
    }
    return this.allDeptIds;
  }

  private departmentTotals(scope: Scope): Int32Array {
    const totals = new Int32Array(this.departments.values.length);
    for (const depts of scope.depts) if (depts) for (const d of depts) totals[d]!++;
    return totals;
  }

  /**
   * Step 2: the tally's entries into buckets of (tier, score, basic item), in `buckets`. Returns whether they
   * came out in ranking order already (browsing walks the groups in that order).
   */
  private bucket(tally: Tally, scored: boolean, buckets: Bucket[]): boolean {
    const { bucketOfRank, groups, matchTier, matchScore, soleGroup } = this;
    const { entryGroup, entryDocs, entryNext } = tally;
    let inOrder = true;
    for (let e = 0; e < entryGroup.length; e++) {
      const id = entryGroup[e]!;
      const count = entryDocs[e]!.length;
      const tier = scored ? matchTier[id]! : BROWSE_TIER;
      const score = scored ? matchScore[id]! : BROWSE_SCORE;
      const rank = groups[id]!.basicRank;
      // an item of one text group has one entry at most: its bucket is its own
      let b = soleGroup[rank] ? undefined : bucketOfRank[rank];
      let tail: Bucket | undefined;
      while (b && !(b.tier === tier && Math.abs(b.score - score) < 1e-9)) {
        tail = b;
        b = b.sameRank;
      }
      if (b) {
        entryNext[b.last] = e;
        b.last = e;
        b.count += count;
        continue;
      }
      const nb: Bucket = { tier, score, rank, count, first: e, last: e, sameRank: undefined };
      if (tail) tail.sameRank = nb;
      else if (!soleGroup[rank]) bucketOfRank[rank] = nb;
      if (inOrder && buckets.length && compareBuckets(buckets[buckets.length - 1]!, nb) > 0) inOrder = false;
      buckets.push(nb);
    }
    return inOrder;
  }

  /** Step 3: the requested page's docs. Only the buckets on the page are taken in order and opened. */
  private pageOf(tally: Tally, buckets: Bucket[], inOrder: boolean, scope: Scope, p: SearchParams): number[] {
    const { entryDocs, entryNext } = tally;
    const { nearness } = scope;
    const { docRegion, ordinal } = this;
    const queue = new BucketQueue(buckets, inOrder);
    const page: number[] = [];
    let skip = (p.page - 1) * p.size;
    while (page.length < p.size) {
      const b = queue.next();
      if (!b) break;
      if (skip >= b.count) {
        skip -= b.count;
        continue;
      }
      // one entry's docs are already nearest first, then in static order; several entries are merged so
      let docs: ArrayLike<number> = entryDocs[b.first]!;
      if (b.first !== b.last) {
        const merged: number[] = [];
        for (let e = b.first; e !== -1; e = entryNext[e]!) for (const i of entryDocs[e]!) merged.push(i);
        merged.sort((x, y) => nearness[docRegion[x]!]! - nearness[docRegion[y]!]! || ordinal[x]! - ordinal[y]!);
        docs = merged;
      }
      for (let k = skip; k < docs.length && page.length < p.size; k++) page.push(docs[k]!);
      skip = 0;
    }
    return page;
  }

  /** A page as the objects the portal renders. */
  toResult(data: PageData): SearchResult {
    const facet = (name: Exclude<FacetName, 'department'>): FacetValue[] => {
      const { keys, labels } = FACET_VALUES[name];
      const { ids, counts } = data.facets[name];
      return ids.map((id, k) => ({ value: keys[id]!, label: labels[id]!, count: counts[k]! }));
    };
    const { ids, counts } = data.facets.department;
    return {
      total: data.total,
      page: data.page,
      size: data.size,
      items: data.docs.map((i, k) => this.hit(i, data.highlights[k]!)),
      facets: {
        department: ids.map((id, k) => ({ value: this.departments.values[id]!, label: this.departmentNames[id]!, count: counts[k]! })),
        type: facet('type'),
        object: facet('object'),
        theme: facet('theme'),
        online: facet('online'),
      },
      suggestions: data.suggestions,
    };
  }

  /** A page as the API's UTF-8 JSON, from each item's hit serialised once (see search-json.ts). */
  toJson(data: PageData): Buffer {
    this.encoder ??= new SearchJsonEncoder(this.docs.length, (i) => JSON.stringify(this.hit(i, [])), {
      department: { keys: this.departments.values, labels: this.departmentNames },
      type: FACET_VALUES.type,
      object: FACET_VALUES.object,
      theme: FACET_VALUES.theme,
      online: FACET_VALUES.online,
    });
    return this.encoder.encode(data);
  }

  private hit(i: number, highlights: [number, number][]): SearchHit {
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
      highlights: { name: highlights },
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
  return rangesIn(normalise(name), terms);
}

/** `highlightRanges` over a name already normalised (a group's name is). Letters as whole runs (`indexOfTerm`). */
function rangesIn(lower: string, terms: string[]): [number, number][] {
  const ranges: [number, number][] = [];
  for (const t of terms) {
    if (!t) continue;
    let at = indexOfTerm(lower, t);
    while (at !== -1) {
      ranges.push([at, at + t.length]);
      at = indexOfTerm(lower, t, at + t.length);
    }
  }
  if (ranges.length < 2) return ranges;
  // by start, stable (a name has a range or two, rarely more)
  for (let i = 1; i < ranges.length; i++) {
    const r = ranges[i]!;
    let at = i;
    for (; at > 0 && ranges[at - 1]![0] > r[0]; at--) ranges[at] = ranges[at - 1]!;
    ranges[at] = r;
  }
  const merged: [number, number][] = [];
  for (const r of ranges) {
    const last = merged[merged.length - 1];
    if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
    else merged.push(r);
  }
  return merged;
}
