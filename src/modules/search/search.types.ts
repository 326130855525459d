import type { ItemType, ServiceObject, Theme, TongbanScope } from '../catalogue/catalogue.types.ts';
import type { RegionLevel } from '../../shared/codes/region-code.ts';

/** One published implementation item as the search index holds it. */
export interface SearchDoc {
  code: string;
  basicCode: string;
  name: string;
  summary: string;
  keywords: string[];
  bodyText: string; // conditions, material names, legal basis, result
  regionCode: string;
  regionName: string;
  regionLevel: RegionLevel;
  cityCode: string | null; // the city a county belongs to (the city itself for a city)
  departmentCode: string; // credit code
  departmentName: string;
  type: ItemType;
  objects: ServiceObject[];
  themes: Theme[];
  onlineDepth: number;
  visits: number;
  promisedDays: number;
  legalDays: number;
  tongban: TongbanScope | null;
  popularity: number; // this region's demand for the item
  basicPopularity: number; // the item's demand across the province
}

export interface SearchParams {
  q?: string | undefined;
  region?: string | undefined;
  type?: ItemType | undefined;
  object?: ServiceObject | undefined;
  theme?: Theme | undefined;
  dept?: string | undefined;
  online?: boolean | undefined;
  page: number;
  size: number;
}

export interface FacetValue {
  value: string;
  label: string;
  count: number;
}

export interface SearchHit {
  code: string;
  name: string;
  summary: string;
  department: { code: string; name: string };
  region: { code: string; name: string; level: RegionLevel };
  type: ItemType;
  typeLabel: string;
  objects: ServiceObject[];
  themes: Theme[];
  onlineHandleable: boolean;
  onlineDepth: number;
  visits: number;
  promisedDays: number;
  legalDays: number;
  tongban: TongbanScope | null;
  /** [start, end) character ranges of `name` that matched the query, for highlighting. */
  highlights: { name: [number, number][] };
}

export interface SearchResult {
  total: number;
  page: number;
  size: number;
  items: SearchHit[];
  facets: {
    department: FacetValue[];
    type: FacetValue[];
    object: FacetValue[];
    theme: FacetValue[];
    online: FacetValue[];
  };
  /** For a query with no hits: item names that come close, to search for instead. */
  suggestions: string[];
}
