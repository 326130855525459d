/**
 * Chinese full-text search over one list's entries (a few thousand at most): an inverted index of jieba's
 * search-mode words (segmenter.ts) per weighted field. A query's words must all be found in an entry (in any of
 * its fields), as one of its words or, weighing less, as a substring of its main fields' text (jieba may cut
 * the same characters differently in a longer text). Entries rank by the weight of the fields their words were found in,
 * rarer words weighing more, and by the whole query appearing in the name.
 */
import { LRUCache } from 'lru-cache';
import { normalise, tokenize } from '../search/segmenter.ts';

export interface TextField {
  text: string;
  weight: number; // e.g. 3 for the name, 1 for the body
}

export interface TextHit {
  doc: number;
  score: number;
}

const QUERY_CACHE_SIZE = 500;

export class ListTextIndex {
  private readonly postings = new Map<string, { docs: Int32Array; weights: Float32Array }>();
  private readonly texts: string[]; // normalised, all fields, without spaces
  private readonly names: string[]; // normalised first field, without spaces
  private readonly cache = new LRUCache<string, TextHit[]>({ max: QUERY_CACHE_SIZE });

  constructor(docs: readonly TextField[][]) {
    const building = new Map<string, Map<number, number>>();
    const cut = new Map<string, string[]>(); // many entries share a text (templated responsibilities, a law): cut each once
    this.texts = [];
    this.names = [];
    docs.forEach((fields, doc) => {
      for (const f of fields) {
        if (!f.text) continue;
        let toks = cut.get(f.text);
        if (!toks) cut.set(f.text, (toks = [...new Set(tokenize(f.text))]));
        for (const tok of toks) {
          let m = building.get(tok);
          if (!m) building.set(tok, (m = new Map()));
          if ((m.get(doc) ?? 0) < f.weight) m.set(doc, f.weight);
        }
      }
      // substrings are looked for in the fields that weigh 1 or more (not in long boilerplate such as 责任事项)
      this.texts.push(normalise(fields.filter((f) => f.weight >= 1).map((f) => f.text).join(' ')).replace(/\s+/g, ''));
      this.names.push(normalise(fields[0]?.text ?? '').replace(/\s+/g, ''));
    });
    for (const [tok, m] of building) {
      const docsOf = Int32Array.from([...m.keys()].sort((a, b) => a - b));
      this.postings.set(tok, { docs: docsOf, weights: Float32Array.from(docsOf, (d) => m.get(d)!) });
    }
  }

  /** The entries matching `q`, best first (ties in index order); undefined when `q` has no words to search for. */
  search(q: string): TextHit[] | undefined {
    const key = normalise(q);
    if (!key) return undefined;
    const cached = this.cache.get(key);
    if (cached) return cached;
    const words = [...new Set(tokenize(key))];
    if (!words.length) return undefined;
    const n = this.texts.length;
    const scores = new Float64Array(n);
    let alive: Uint8Array | undefined; // docs that matched every word so far
    for (const w of words) {
      const hit = new Uint8Array(n);
      const p = this.postings.get(w);
      const idf = Math.log(1 + n / (1 + (p?.docs.length ?? 0)));
      if (p) {
        for (let i = 0; i < p.docs.length; i++) {
          const d = p.docs[i]!;
          hit[d] = 1;
          scores[d]! += p.weights[i]! * idf * Math.min(w.length, 4);
        }
      }
      // jieba may cut the same characters differently in a longer text: a substring counts too, for less
      for (let d = 0; d < n; d++) {
        if (hit[d] || (alive && !alive[d])) continue;
        if (this.texts[d]!.includes(w)) {
          hit[d] = 1;
          scores[d]! += (this.names[d]!.includes(w) ? 2 : 0.7) * idf * Math.min(w.length, 4);
        }
      }
      if (alive) for (let d = 0; d < n; d++) alive[d]! &= hit[d]!;
      else alive = hit;
    }
    const phrase = key.replace(/\s+/g, '');
    const hits: TextHit[] = [];
    for (let d = 0; d < n; d++) {
      if (!alive![d]) continue;
      const name = this.names[d]!;
      // the whole query in the name, the more of the name it is the better: 食品经营 → 食品经营许可 before 对未取得食品经营许可…的处罚
      const bonus = phrase.length >= 2 && name.includes(phrase) ? 10 + (5 * phrase.length) / name.length : 0;
      hits.push({ doc: d, score: scores[d]! + bonus });
    }
    hits.sort((a, b) => b.score - a.score || a.doc - b.doc);
    this.cache.set(key, hits);
    return hits;
  }
}
