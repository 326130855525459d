/** The demo's basic catalogue items and the colloquial queries the tests check against them. */
import type { BasicItemSeed, ColloquialQuery } from '../../modules/catalogue/catalogue.types.ts';
import * as people1 from './items-people-1.ts';
import * as people2 from './items-people-2.ts';
import * as enterprise1 from './items-enterprise-1.ts';
import * as enterprise2 from './items-enterprise-2.ts';

const parts = [people1, people2, enterprise1, enterprise2];

export const DEMO_ITEMS: BasicItemSeed[] = parts.flatMap((p) => p.items);
export const DEMO_QUERIES: ColloquialQuery[] = parts.flatMap((p) => p.queries);
