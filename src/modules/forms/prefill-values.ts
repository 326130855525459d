/**
 * Prefill (自动填充): the values a new application starts with, from the applicant's profile — the signed-in
 * person and, when acting for an enterprise, the enterprise. Only top-level fields with `prefill` get a value,
 * and only when the profile has one. Merge a saved draft over it: `{ ...prefillValues(form, p), ...draft }`.
 * Isomorphic.
 */
import type { FormDefinition, PrefillProfile, PrefillSource } from './form.types.ts';

export function prefillValue(source: PrefillSource, p: PrefillProfile): string | undefined {
  const e = p.enterprise ?? undefined;
  switch (source) {
    case 'person.name':
      return p.person.name;
    case 'person.idNumber':
      return p.person.idNumber;
    case 'person.mobile':
      return p.person.mobile;
    case 'enterprise.name':
      return e?.name;
    case 'enterprise.creditCode':
      return e?.creditCode;
    case 'enterprise.legalRepName':
      return e?.legalRepName;
    case 'subject.name':
      return e ? e.name : p.person.name;
    case 'subject.idNumber':
      return e ? e.creditCode : p.person.idNumber;
  }
}

export function prefillValues(form: FormDefinition, profile: PrefillProfile): Record<string, string> {
  const out: Record<string, string> = {};
  for (const step of form.steps) {
    for (const f of step.fields) {
      if (!f.prefill) continue;
      const v = prefillValue(f.prefill, profile);
      if (v && v.trim()) out[f.key] = v;
    }
  }
  return out;
}
