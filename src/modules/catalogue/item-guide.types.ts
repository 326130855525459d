import type {
  ExerciseLevel, HandlingType, ItemType, MaterialForm, MaterialSource, PowerSource, ResultType, ServiceObject, Theme,
  TongbanScope,
} from './catalogue.types.ts';
import type { ProcessStep } from '../../db/schema.ts';
import type { RegionLevel } from '../../shared/codes/region-code.ts';

/** The full published service guide (办事指南) of an implementation item. */
export interface ItemGuide {
  code: string; // 实施编码
  basicCode: string; // 基本编码
  version: number;
  publishedAt: string | null;
  name: string;
  type: ItemType;
  typeLabel: string;
  objects: ServiceObject[];
  themes: Theme[];
  exerciseLevel: ExerciseLevel;
  powerSource: PowerSource;
  legalBasis: string[];
  conditions: string[];
  materials: GuideMaterial[];
  steps: ProcessStep[];
  legalDays: number;
  legalDaysNote: string;
  promisedDays: number;
  promisedDaysNote: string;
  fee: { standard: string; basis: string | null } | null;
  address: string;
  officeHours: string;
  consultPhone: string;
  complaintPhone: string;
  visits: number;
  onlineDepth: number;
  onlineHandleable: boolean;
  onlineForm: boolean; // 在线申请: the version carries an application form (/apply/:code)
  handlingType: HandlingType;
  result: { name: string; type: ResultType };
  tongban: TongbanScope | null;
  appointment: boolean;
  delivery: boolean;
  onlinePayment: boolean;
  summary: string;
  keywords: string[];
  department: { code: string; name: string; address: string; phone: string; officeHours: string };
  region: { code: string; name: string; fullName: string; level: RegionLevel };
}

export interface GuideMaterial {
  seq: number;
  name: string;
  form: MaterialForm;
  copies: number;
  required: boolean;
  condition: string | null;
  source: MaterialSource;
  issuer: string | null;
  blankForm: boolean;
  sample: boolean;
  notes: string | null;
}

export interface ItemVersionSummary {
  version: number;
  status: 'draft' | 'published' | 'superseded';
  changeNote: string;
  createdAt: string;
  publishedAt: string | null;
}
