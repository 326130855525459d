/**
 * 新建结果集: a department (or one in the staff member's scope) declares a set — code, title, columns, key
 * columns, release time — as a draft with its own salt. Nothing can be queried until rows are loaded, the set
 * is published and its release time has come. The set and its `result_set.saved` event are one transaction.
 */
import type { Principal } from '../access/principal.ts';
import type { AuditActor } from '../audit/audit.types.ts';
import { recordAuditEvent } from '../audit/record-audit-event.ts';
import { AppError, InvalidParameterError } from '../../shared/errors.ts';
import { isUniqueViolation } from '../staff/db-errors.ts';
import { findDepartmentRef, scopeOf } from '../staff/department-scope.ts';
import { newSalt } from './result-keys.ts';
import { loadSetInScope, toSetView } from './get-result-set-status.ts';
import type { ResultSetDeps, ResultSetInput, ResultSetView } from './result-sets.types.ts';
import { checkCode, checkColumns, checkDescription, checkReleaseAt, checkTitle, throwIfProblems, type FieldProblem } from './validate-result-set.ts';
import { assertCanRecorded } from '../staff/assert-can-recorded.ts';

export async function createResultSet(deps: ResultSetDeps, p: Principal, input: ResultSetInput, actor: AuditActor): Promise<ResultSetView> {
  const problems: FieldProblem[] = [];
  const code = checkCode(input.code ?? '', problems);
  const title = checkTitle(input.title ?? '', problems);
  const description = checkDescription(input.description, problems);
  const { columns, keyColumns } = checkColumns(input.columns ?? [], input.keyColumns ?? [], problems);
  const releaseAt = checkReleaseAt(input.releaseAt ?? '', problems);
  throwIfProblems(problems);

  const departmentId = input.departmentId ?? (p.kind === 'staff' || p.kind === 'client' ? p.departmentId : undefined);
  const department = departmentId === undefined ? undefined : await findDepartmentRef(deps.db, { id: departmentId });
  if (!department) throw new InvalidParameterError('departmentId', '请选择发布部门');
  await assertCanRecorded(deps.db, p, 'results.publish', scopeOf(department), { actor, target: { type: 'result_set', id: code } }, '您只能为本人管理范围内的部门发布结果');

  try {
    await deps.db.transaction().execute(async (trx) => {
      const row = await trx
        .insertInto('result_sets')
        .values({
          code,
          title,
          description,
          department_id: department.id,
          columns: JSON.stringify(columns),
          key_columns: JSON.stringify(keyColumns),
          release_at: releaseAt!,
          salt: newSalt(),
          created_by: p.kind === 'client' ? null : p.accountId,
          updated_at: new Date(),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await recordAuditEvent(trx, {
        action: 'result_set.saved',
        actor,
        target: { type: 'result_set', id: code },
        details: { setId: row.id, created: true, departmentId: department.id, title, releaseAt: releaseAt!.toISOString(), columns: columns.map((c) => c.key), keyColumns },
      });
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError('CONFLICT', `代码“${code}”已被其他结果集使用，请换一个`, 'code');
    throw err;
  }
  const { set } = await loadSetInScope(deps.db, p, code, actor);
  return toSetView(set, department, []);
}
