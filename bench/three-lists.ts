/**
 * The three lists' bench paths (issue 7: list page >= 25% of the hello-world baseline, p99 <= 30 ms): a rotation
 * of public list pages — browsing with and without filters, Chinese searches, pages further in, the negative
 * list and its check, the funds — plus, when given, power pages; and the downloads, measured apart (an export
 * is a file, not a page). Everything is answered from the in-memory index (lists-index.ts); the only database
 * read is the throttled revision check.
 *
 * The power pages' URLs depend on the seeded department ids: `threeListsPowerPaths(base)` reads some from the
 * open API of a running server, to pass to `threeListsBenchPaths`.
 */

const SEARCHES = ['食品经营许可', '行政处罚', '安全生产', '建设工程', '药品', '环境影响评价', '特种设备', '道路运输'];
const TYPES = ['XK', 'CF', 'QZ', 'JC', 'QR', 'ZS'];
const REGIONS = ['330000', '330100', '330106', '330200', '330300'];

/** Public list page URLs to rotate over (and any power pages given). */
export function threeListsBenchPaths(powerPaths: string[] = []): string[] {
  const paths = ['/lists', '/lists/powers', '/lists/powers?page=2', '/lists/powers?page=5'];
  for (const t of TYPES) paths.push(`/lists/powers?type=${t}`);
  for (const r of REGIONS) paths.push(`/lists/powers?region=${r}`, `/lists/powers?region=${r}&type=XK`);
  for (const l of ['province', 'city', 'county']) paths.push(`/lists/powers?level=${l}`);
  for (const q of SEARCHES) paths.push(`/lists/powers?q=${encodeURIComponent(q)}`, `/lists/powers?q=${encodeURIComponent(q)}&level=city`);
  paths.push(
    '/lists/negative-list',
    '/lists/negative-list?category=approval',
    `/lists/negative-list?q=${encodeURIComponent('炼油')}`,
    '/lists/negative-list/check?industry=C2511',
    '/lists/negative-list/check?industry=I6510',
    '/lists/funds',
    '/lists/funds?year=2025',
    '/api/v1/lists/powers?type=XK&rows=20',
    '/api/v1/lists/negative-list/check?industry=C2511',
  );
  return [...paths, ...powerPaths];
}

/** Download URLs (CSV, XLSX, JSON of each list, with and without filters). */
export function threeListsExportPaths(): string[] {
  return [
    '/lists/powers.csv',
    '/lists/powers.xlsx',
    '/lists/powers.json',
    '/lists/powers.xlsx?type=XK',
    '/lists/powers.csv?region=330100',
    '/lists/negative-list.csv',
    '/lists/negative-list.xlsx',
    '/lists/negative-list.json',
    '/lists/funds.csv',
    '/lists/funds.xlsx',
    '/lists/funds.json?year=2025',
  ];
}

/** Up to `n` power page URLs of a running server (`base`, e.g. http://127.0.0.1:3000), read from its open API. */
export async function threeListsPowerPaths(base: string, n = 50): Promise<string[]> {
  const res = await fetch(`${base}/api/v1/lists/powers?rows=${Math.min(100, n)}`);
  if (!res.ok) throw new Error(`三张清单接口返回 ${res.status}`);
  const body = (await res.json()) as { items: { url: string }[] };
  return body.items.slice(0, n).map((i) => i.url);
}
