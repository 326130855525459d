/**
 * 行政区划代码 (GB/T 2260): six digits, two per level. Province xx0000, city xxyy00, county xxyyzz.
 */
export type RegionLevel = 'province' | 'city' | 'county';

/** The level implied by the code's digits. */
export function regionLevelOf(code: string): RegionLevel {
  if (code.endsWith('0000')) return 'province';
  if (code.endsWith('00')) return 'city';
  return 'county';
}

/** The parent code implied by the digits, or null for a province. Counties directly under a province (xx90zz) have the province as parent. */
export function regionParentOf(code: string): string | null {
  const level = regionLevelOf(code);
  if (level === 'province') return null;
  if (level === 'city' || code.slice(2, 4) === '90') return `${code.slice(0, 2)}0000`;
  return `${code.slice(0, 4)}00`;
}

/** Codes from the region itself up to the province, nearest first: 330106 → [330106, 330100, 330000]. */
export function regionAncestry(code: string): string[] {
  const out = [code];
  let p = regionParentOf(code);
  while (p) {
    out.push(p);
    p = regionParentOf(p);
  }
  return out;
}
