/** Regions change rarely; each server keeps them in memory and reloads them with the catalogue revision. */
import type { Kysely } from 'kysely';
import type { DB, Region } from '../../db/schema.ts';

export interface RegionNode extends Region {
  children: string[];
}

export class RegionDirectory {
  private byCode = new Map<string, RegionNode>();
  private ordered: RegionNode[] = [];

  async load(db: Kysely<DB>): Promise<void> {
    const rows = await db.selectFrom('regions').selectAll().orderBy('level').orderBy('sort').orderBy('code').execute();
    const levelRank = { province: 0, city: 1, county: 2 } as const;
    rows.sort((a, b) => levelRank[a.level] - levelRank[b.level] || a.sort - b.sort);
    const byCode = new Map<string, RegionNode>(rows.map((r) => [r.code, { ...r, children: [] }]));
    for (const r of byCode.values()) if (r.parent_code) byCode.get(r.parent_code)?.children.push(r.code);
    this.byCode = byCode;
    // depth-first: province, then each city followed by its counties
    const ordered: RegionNode[] = [];
    const walk = (n: RegionNode) => {
      ordered.push(n);
      for (const c of n.children) walk(byCode.get(c)!);
    };
    for (const r of byCode.values()) if (!r.parent_code) walk(r);
    this.ordered = ordered;
  }

  get(code: string): RegionNode | undefined {
    return this.byCode.get(code);
  }

  all(): RegionNode[] {
    return this.ordered;
  }

  /** 浙江省 › 杭州市 › 西湖区 */
  path(code: string): RegionNode[] {
    const out: RegionNode[] = [];
    for (let r = this.byCode.get(code); r; r = r.parent_code ? this.byCode.get(r.parent_code) : undefined) out.unshift(r);
    return out;
  }
}
