/**
 * The demo's application forms (申请表单) by basic code, each naming its basic item: the seed attaches a form to
 * every implementation item of that basic item (impl_item_versions.form) where code and name both match.
 */
import type { ItemFormSeed } from '../../../modules/forms/form.types.ts';
import { ENTERPRISE_FORMS } from './enterprise.ts';
import { PEOPLE_FORMS } from './people.ts';

export const DEMO_FORMS: Record<string, ItemFormSeed> = { ...PEOPLE_FORMS, ...ENTERPRISE_FORMS };
