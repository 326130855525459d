/**
 * The guide's materials (申请材料) as upload slots of an application: `m<seq>` each, required (必要) or
 * conditional (情形必要) as the guide says; a conditional one is required when the form's values meet the
 * condition the form ties to it (FormDefinition.materialConditions), and optional otherwise. Isomorphic.
 */
import type { MaterialSource } from '../catalogue/catalogue.types.ts';
import { conditionHolds } from './conditions.ts';
import type { FormDefinition, MaterialSlot } from './form.types.ts';

/** What a slot needs of a material: an `item_materials` row or a guide's material (GuideMaterial) both fit. */
export interface MaterialLike {
  seq: number;
  name: string;
  required: boolean;
  condition: string | null;
  source: MaterialSource;
  issuer?: string | null;
  notes: string | null;
}

export const slotKeyOf = (seq: number): string => `m${seq}`;

export function materialSlots(materials: readonly MaterialLike[], form?: FormDefinition | null): MaterialSlot[] {
  return [...materials]
    .sort((a, b) => a.seq - b.seq)
    .map((m) => {
      const key = slotKeyOf(m.seq);
      const slot: MaterialSlot = {
        key,
        label: m.name,
        required: m.required,
        source: m.source,
        exemptible: m.source === 'government' || m.source === 'shared',
      };
      if (!m.required && m.condition) slot.condition = m.condition;
      const when = form?.materialConditions?.[key];
      if (!m.required && when) slot.when = when;
      if (m.issuer) slot.issuer = m.issuer;
      if (m.notes) slot.notes = m.notes;
      return slot;
    });
}

/**
 * The slots that must have at least one file, given the form's validated values (validateFormData().values):
 * the required ones, and the conditional ones whose condition holds. Conditional ones without a condition
 * tied to the form stay optional (the applicant decides whether the case applies; staff can ask for 补正).
 */
export function requiredSlots(slots: readonly MaterialSlot[], values: Record<string, unknown>): string[] {
  return slots.filter((s) => s.required || (s.when !== undefined && conditionHolds(s.when, values))).map((s) => s.key);
}
