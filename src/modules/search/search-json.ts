/**
 * The API's JSON for a page of search results, byte for byte what `JSON.stringify` gives for the same
 * `SearchResult` (search-index.test.ts checks it), without serialising the same items and labels on every request.
 *
 * Everything in a hit but its highlights is fixed per item: each item's hit is serialised once, on its first
 * appearance on a page (from the same `hit()` the result objects come from), up to the highlights — at most one
 * fragment per item, about 0.65 KB, some 16 MB should all 25,000 demo items be shown; facet values likewise up
 * to their counts. A page is then written into a slab shared with other pages by copying those
 * fragments, with the ASCII in between (punctuation, integers) written byte by byte: no string of the whole page,
 * no UTF-8 encoding of one and no allocation of its own per request. A page's buffer is a view of the slab, so
 * whoever keeps pages for long (the result cache) should keep copies, lest a few old pages pin whole slabs.
 */
export type FacetName = 'department' | 'type' | 'object' | 'theme' | 'online';

/** One facet's non-zero values, in output order: value ids and their counts. */
export interface FacetCounts {
  ids: number[];
  counts: number[];
}

/** One page of results in index terms, as `SearchIndex.page` makes it. */
export interface PageData {
  total: number;
  page: number;
  size: number;
  docs: number[]; // indices into the index's docs
  highlights: [number, number][][]; // aligned with docs
  facets: Record<FacetName, FacetCounts>;
  suggestions: string[];
}

/** A facet's values and labels by value id. */
export interface FacetValues {
  keys: readonly string[];
  labels: readonly string[];
}

const FACET_ORDER: readonly FacetName[] = ['department', 'type', 'object', 'theme', 'online'];
/** How a hit's JSON ends when it has no highlights: the fragment kept is what comes before `[]}}`. */
const HIT_TAIL = ',"highlights":{"name":[]}}';
const utf8 = (s: string) => Buffer.from(s, 'utf8');

/** Bytes per slab that pages are written into: several pages each. */
const SLAB_SIZE = 128 * 1024;

/**
 * Writes pages one after another into a slab, as Node's buffer pool does for small buffers: encoded fragments
 * by copy, ASCII literals and non-negative integers byte by byte (callers pass literals, so no string is built
 * or encoded per call). A finished page is a view of the slab, never written again; a page that does not fit
 * moves to a new slab, and an old slab lives as long as a page on it does.
 */
class ByteWriter {
  private buf = Buffer.allocUnsafeSlow(SLAB_SIZE);
  private start = 0; // where the page being written begins
  private pos = 0;

  begin(): void {
    this.pos = this.start;
  }

  bytes(b: Uint8Array): void {
    this.reserve(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }

  /** A string of ASCII characters only: JSON punctuation and keys. */
  ascii(s: string): void {
    this.reserve(s.length);
    const { buf } = this;
    let pos = this.pos;
    for (let i = 0; i < s.length; i++) buf[pos++] = s.charCodeAt(i);
    this.pos = pos;
  }

  /** An integer as JSON writes it; the catalogue's counts, positions and page numbers are non-negative. */
  uint(n: number): void {
    if (!(Number.isSafeInteger(n) && n >= 0)) return this.bytes(utf8(JSON.stringify(n)));
    let digits = 1;
    for (let m = n; m >= 10; m = Math.floor(m / 10)) digits++;
    this.reserve(digits);
    const { buf } = this;
    let pos = (this.pos += digits);
    do {
      buf[--pos] = 48 + (n % 10);
      n = Math.floor(n / 10);
    } while (n > 0);
  }

  /** The page written since `begin`. */
  end(): Buffer {
    const page = this.buf.subarray(this.start, this.pos);
    this.start = (this.pos + 7) & ~7;
    return page;
  }

  private reserve(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const written = this.pos - this.start;
    const slab = Buffer.allocUnsafeSlow(Math.max(SLAB_SIZE, 2 * (written + n)));
    this.buf.copy(slab, 0, this.start, this.pos);
    this.buf = slab;
    this.start = 0;
    this.pos = written;
  }
}

export class SearchJsonEncoder {
  /** Per doc, once it has been on a page: its hit's JSON up to the highlights, `{"code":…,"highlights":{"name":` */
  private readonly hits: (Buffer | undefined)[];
  /** Per facet, per value id: `{"value":…,"label":…,"count":` */
  private readonly facetValue: Record<FacetName, Buffer[]>;
  private readonly out = new ByteWriter();

  /**
   * @param docCount how many docs the index holds
   * @param hitJson a doc's hit with no highlights, as `JSON.stringify` writes it (highlights last)
   * @param facets each facet's values and labels by id
   */
  constructor(
    docCount: number,
    private readonly hitJson: (doc: number) => string,
    facets: Record<FacetName, FacetValues>,
  ) {
    this.hits = new Array<Buffer | undefined>(docCount).fill(undefined);
    const prefixes = ({ keys, labels }: FacetValues) =>
      keys.map((k, id) => utf8(`{"value":${JSON.stringify(k)},"label":${JSON.stringify(labels[id])},"count":`));
    this.facetValue = {
      department: prefixes(facets.department),
      type: prefixes(facets.type),
      object: prefixes(facets.object),
      theme: prefixes(facets.theme),
      online: prefixes(facets.online),
    };
  }

  encode(data: PageData): Buffer {
    const out = this.out;
    out.begin();
    out.ascii('{"total":');
    out.uint(data.total);
    out.ascii(',"page":');
    out.uint(data.page);
    out.ascii(',"size":');
    out.uint(data.size);
    out.ascii(',"items":[');
    for (let k = 0; k < data.docs.length; k++) {
      if (k) out.ascii(',');
      out.bytes(this.hit(data.docs[k]!));
      const ranges = data.highlights[k]!;
      out.ascii('[');
      for (let r = 0; r < ranges.length; r++) {
        out.ascii(r ? ',[' : '[');
        out.uint(ranges[r]![0]);
        out.ascii(',');
        out.uint(ranges[r]![1]);
        out.ascii(']');
      }
      out.ascii(']}}');
    }
    out.ascii('],"facets":{');
    for (let f = 0; f < FACET_ORDER.length; f++) {
      const name = FACET_ORDER[f]!;
      const { ids, counts } = data.facets[name];
      const prefix = this.facetValue[name];
      out.ascii(f ? ',"' : '"');
      out.ascii(name);
      out.ascii('":[');
      for (let k = 0; k < ids.length; k++) {
        if (k) out.ascii(',');
        out.bytes(prefix[ids[k]!]!);
        out.uint(counts[k]!);
        out.ascii('}');
      }
      out.ascii(']');
    }
    out.ascii('},"suggestions":');
    out.bytes(utf8(JSON.stringify(data.suggestions)));
    out.ascii('}');
    return out.end();
  }

  private hit(doc: number): Buffer {
    let fragment = this.hits[doc];
    if (!fragment) {
      const json = this.hitJson(doc);
      if (!json.endsWith(HIT_TAIL)) throw new Error('a search hit must end with its highlights');
      fragment = utf8(json.slice(0, json.length - '[]}}'.length));
      this.hits[doc] = fragment;
    }
    return fragment;
  }
}
