/**
 * Per-server holder of the derived search index. The database stays the source of truth: the index is rebuilt
 * whenever the catalogue revision (bumped in every publishing transaction) moves, so several app servers on one
 * PostgreSQL converge within one poll interval without sharing memory. Search result pages are cached per
 * revision in an LRU cache, each with its JSON once the API asked for it.
 */
import { LRUCache } from 'lru-cache';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { readCatalogueRevision } from '../catalogue/catalogue-revision.ts';
import { SearchIndex, type SearchPage } from './search-index.ts';
import { addWords } from './segmenter.ts';
import { loadSearchDocs, loadSynonyms } from './load-search-docs.ts';
import type { SearchParams, SearchResult } from './search.types.ts';

type Listener = (revision: number) => void;

export class CatalogueIndex {
  private index: SearchIndex = new SearchIndex([], new Map());
  private revision = -1;
  private timer: NodeJS.Timeout | undefined;
  private refreshing: Promise<void> | undefined;
  private readonly cache: LRUCache<string, { page: SearchPage; json?: Buffer }> | undefined;
  private readonly listeners: Listener[] = [];
  private readonly knownWords = new Set<string>();

  constructor(
    private readonly db: Kysely<DB>,
    opts: { cacheSize: number },
  ) {
    this.cache = opts.cacheSize > 0 ? new LRUCache({ max: opts.cacheSize }) : undefined;
  }

  get current(): SearchIndex {
    return this.index;
  }

  get currentRevision(): number {
    return this.revision;
  }

  onChange(fn: Listener): void {
    this.listeners.push(fn);
  }

  /** Rebuilds when the revision moved (or always, with force). Concurrent calls share one rebuild. */
  refresh(force = false): Promise<void> {
    this.refreshing ??= this.doRefresh(force).finally(() => {
      this.refreshing = undefined;
    });
    return this.refreshing;
  }

  private async doRefresh(force: boolean): Promise<void> {
    const revision = await readCatalogueRevision(this.db);
    if (!force && revision === this.revision) return;
    const [docs, synonyms] = await Promise.all([loadSearchDocs(this.db), loadSynonyms(this.db)]);
    const words = new Set<string>();
    for (const d of docs) for (const k of d.keywords) if (!this.knownWords.has(k)) words.add(k);
    for (const [term, exp] of synonyms) for (const w of [term, ...exp]) if (!this.knownWords.has(w)) words.add(w);
    addWords(words);
    for (const w of words) this.knownWords.add(w);
    this.index = new SearchIndex(docs, synonyms);
    this.revision = revision;
    this.cache?.clear();
    for (const fn of this.listeners) fn(revision);
  }

  /** Polls the revision; errors (a database restart) are logged and retried at the next tick. */
  startPolling(intervalMs: number, log: (err: unknown) => void): void {
    if (intervalMs <= 0) return;
    this.timer = setInterval(() => {
      this.refresh().catch(log);
    }, intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  search(p: SearchParams): SearchResult {
    return this.cached(p)?.page.result ?? this.index.search(p);
  }

  /** The result serialised (UTF-8 JSON) for the API; cached with the result, so a repeated query encodes nothing. */
  searchJson(p: SearchParams): Buffer {
    const entry = this.cached(p);
    if (!entry) return this.index.searchJson(p);
    // a copy of its own: the page's JSON is a view of a slab that other, short-lived pages share
    entry.json ??= Buffer.from(entry.page.json());
    return entry.json;
  }

  /** A page of results from the cache, or searched now and cached; undefined when there is no cache. */
  private cached(p: SearchParams): { page: SearchPage; json?: Buffer } | undefined {
    if (!this.cache) return undefined;
    const key = `${p.q ?? ''}|${p.region ?? ''}|${p.type ?? ''}|${p.object ?? ''}|${p.theme ?? ''}|${p.dept ?? ''}|${p.online ?? ''}|${p.page}|${p.size}`;
    let entry = this.cache.get(key);
    if (!entry) {
      entry = { page: this.index.page(p) };
      this.cache.set(key, entry);
    }
    return entry;
  }
}
