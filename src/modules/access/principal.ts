/** Who is making a request, as the access rules see them. Built per request from a session or a client token. */
import type { StaffRole } from '../../db/schema.ts';
import type { DepartmentKind } from '../catalogue/catalogue.types.ts';
import type { ClientScope } from './permissions.ts';

/** Where a record belongs: its department (and that department's kind and region). */
export interface DepartmentScope {
  departmentId: number;
  departmentKind: DepartmentKind;
  regionCode: string;
}

/** One active staff role assignment, with its department's place. */
export interface RoleGrant extends DepartmentScope {
  role: StaffRole;
  includeLowerLevels: boolean; // 含下级: the same kind of department in the regions below
}

/** 代办: the principal a signed-in person is acting for, through a delegation that is valid right now. */
export interface ActingFor {
  delegationId: string;
  principalType: 'person' | 'enterprise';
  principalId: string; // account id or enterprise id
  principalName: string;
  relation: 'parent' | 'guardian' | 'agent' | 'enterprise_agent';
  itemCodes: string[]; // basic item codes; empty = all items
}

interface SessionPrincipal {
  accountId: string;
  name: string;
  sessionId: string;
  csrfToken: string;
  authMethod: 'password' | 'oidc';
}

export interface PersonPrincipal extends SessionPrincipal {
  kind: 'person';
  idNumber: string; // 公民身份号码 of the signed-in person (the applicant of their own applications)
  acting: ActingFor | null;
}

export interface StaffPrincipal extends SessionPrincipal, DepartmentScope {
  kind: 'staff';
  staffNo: string;
  roles: RoleGrant[];
}

export interface ClientPrincipal extends DepartmentScope {
  kind: 'client';
  clientId: string;
  name: string;
  scopes: ClientScope[];
}

export type Principal = PersonPrincipal | StaffPrincipal | ClientPrincipal;
