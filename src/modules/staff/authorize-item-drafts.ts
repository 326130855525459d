/** The access check before any draft operation: the item's department must be in the principal's scope. */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { Principal } from '../access/principal.ts';
import type { AuditActor } from '../audit/audit.types.ts';
import { assertCanRecorded } from './assert-can-recorded.ts';
import { scopeOf } from './department-scope.ts';
import { loadItemScope, type ItemScope } from './load-item-scope.ts';

/** Checks read access to an item's drafts (a refusal is recorded) and returns the item's place. */
export async function authorizeItemDrafts(
  db: Kysely<DB>,
  p: Principal,
  code: string,
  permission: 'catalogue.draft.read' | 'catalogue.draft.write',
  actor: AuditActor,
): Promise<ItemScope> {
  const item = await loadItemScope(db, code);
  const message = permission === 'catalogue.draft.read' ? '您不能查看该部门的事项草稿' : '您不能编辑或发布该部门的事项';
  await assertCanRecorded(db, p, permission, scopeOf(item.department), { actor, target: { type: 'impl_item', id: item.code } }, message);
  return item;
}
