/** 代办授权、法人与个人档案的类型。 */
import type { DelegationRelation } from '../../db/schema.ts';

export type DelegationState = 'active' | 'revoked' | 'expired';

export const RELATION_LABELS: Record<DelegationRelation, string> = {
  parent: '父母（未成年子女）',
  guardian: '监护人',
  agent: '委托代办人',
  enterprise_agent: '企业经办人',
};

export const STATE_LABELS: Record<DelegationState, string> = {
  active: '有效',
  revoked: '已撤销',
  expired: '已过期',
};

/** A person may grant these relations; an enterprise only `enterprise_agent`; `parent` comes only from adding a minor. */
export const PERSON_GRANT_RELATIONS = ['agent', 'guardian'] as const;
export type PersonGrantRelation = (typeof PERSON_GRANT_RELATIONS)[number];

/** One delegation as the people concerned see it (the agent's ID number masked). */
export interface DelegationView {
  id: string;
  principal: { type: 'person' | 'enterprise'; id: string; name: string };
  agent: { id: string; name: string; idNumber: string | null }; // idNumber masked
  relation: DelegationRelation;
  relationLabel: string;
  itemCodes: string[]; // basic item codes; empty = all items
  items: { code: string; name: string }[];
  validFrom: string;
  validUntil: string;
  state: DelegationState;
  stateLabel: string;
  note: string;
  createdAt: string;
  revokedAt: string | null;
}

export interface EnterpriseSummary {
  id: string;
  creditCode: string; // 统一社会信用代码
  name: string;
  legalRepName: string; // 法定代表人
  createdAt: string;
}

export interface DelegationLists {
  /** what I granted as a person */
  granted: DelegationView[];
  /** the enterprises I represent, each with the grants to its agents (经办人) */
  enterprises: (EnterpriseSummary & { grants: DelegationView[] })[];
  /** what others (persons, enterprises, my minor children) granted to me */
  received: DelegationView[];
  /** the delegation the current session acts under, if any */
  actingDelegationId: string | null;
}

/** A natural person's record (个人档案), personal numbers masked. */
export interface PersonRecord {
  id: string;
  name: string;
  idNumber: string; // masked: 330106********123X
  mobile: string | null; // masked: 138****5678
  birthDate: string; // YYYY-MM-DD, from the ID number
  sex: 'male' | 'female';
  sexLabel: string;
  minor: boolean;
  status: 'active' | 'disabled';
  createdAt: string;
  enterprises: { id: string; creditCode: string; name: string }[]; // where the person is the legal representative
  delegations: {
    direction: 'granted' | 'received';
    relation: DelegationRelation;
    relationLabel: string;
    counterpart: string; // the other party's name
    itemCodes: string[];
    validUntil: string;
  }[]; // the delegations in force now
}

/** An enterprise's record (法人档案). */
export interface EnterpriseRecord extends EnterpriseSummary {
  agents: DelegationView[]; // enterprise agents (经办人) in force now
}
