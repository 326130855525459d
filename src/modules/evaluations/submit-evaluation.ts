/**
 * 提交好差评: the applicant rates a concluded application (已送达/办结 or 不予受理; not one they withdrew) once
 * (一次一评). A 差评 (level 1–2) opens a rectification task (差评整改) due in 15 working days, in the same
 * transaction as the evaluation and its audit event. A second evaluation — also one racing the first — is a 409:
 * the UNIQUE constraint on evaluations.application_id decides.
 *
 * The audit event names the evaluation, the application and the grade, never the evaluator beyond the actor.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { PersonPrincipal } from '../access/principal.ts';
import type { AuditActor } from '../audit/audit.types.ts';
import { recordAuditEvent } from '../audit/record-audit-event.ts';
import { chinaToday, getWorkingCalendar } from '../calendar/working-calendar.ts';
import { isUniqueViolation } from '../staff/db-errors.ts';
import { AppError } from '../../shared/errors.ts';
import { findOwnApplication } from './find-own-application.ts';
import {
  EVALUABLE_STATES,
  GRADES,
  gradeOf,
  LEVELS,
  RECTIFICATION_WORKING_DAYS,
  WITHDRAWN_STATE,
  type EvaluationInput,
  type SubmittedEvaluation,
} from './evaluations.types.ts';

const ALREADY = () => new AppError('CONFLICT', '该办件已经评价过了，每件办件只能评价一次', 'number');

export async function submitEvaluation(
  db: Kysely<DB>,
  p: PersonPrincipal,
  input: { number: string; evaluation: EvaluationInput; channel?: 'web' },
  actor: AuditActor,
  opts: { today?: string } = {},
): Promise<SubmittedEvaluation> {
  const { level, indicators, comment } = input.evaluation;
  const grade = gradeOf(level);
  // the deadline is computed before the transaction: the calendar is read (and cached) outside it
  const dueOn =
    grade === 'bad' ? (await getWorkingCalendar(db)).addWorkingDays(opts.today ?? chinaToday(), RECTIFICATION_WORKING_DAYS) : null;

  try {
    return await db.transaction().execute(async (trx) => {
      const app = await findOwnApplication(trx, p, input.number);
      if (app.evaluation) throw ALREADY();
      if (app.state === WITHDRAWN_STATE) throw new AppError('CONFLICT', '已撤回的办件不能评价', 'state');
      if (app.closedAt === null || !(EVALUABLE_STATES as readonly string[]).includes(app.state)) {
        throw new AppError('CONFLICT', '该办件尚未办结，办结（送达）后才能评价', 'state');
      }
      const e = await trx
        .insertInto('evaluations')
        .values({
          application_id: app.id,
          item_code: app.itemCode,
          department_id: app.departmentId,
          region_code: app.regionCode,
          evaluator_id: p.accountId,
          level,
          grade,
          indicators: JSON.stringify(indicators),
          comment,
          channel: input.channel ?? 'web',
        })
        .returning(['id', 'created_at'])
        .executeTakeFirstOrThrow();
      let rectification: SubmittedEvaluation['rectification'] = null;
      if (dueOn) {
        const t = await trx
          .insertInto('rectification_tasks')
          .values({ evaluation_id: e.id, department_id: app.departmentId, state: 'verifying', due_on: dueOn })
          .returning('id')
          .executeTakeFirstOrThrow();
        rectification = { id: t.id, dueOn };
      }
      await recordAuditEvent(trx, {
        action: 'evaluation.submitted',
        actor,
        target: { type: 'evaluation', id: String(e.id) },
        details: {
          applicationNumber: app.number,
          itemCode: app.itemCode,
          departmentId: app.departmentId,
          level,
          grade,
          ...(rectification ? { rectificationTaskId: rectification.id, dueOn: rectification.dueOn } : {}),
        },
      });
      return {
        id: e.id,
        applicationNumber: app.number,
        level,
        levelLabel: LEVELS[level],
        grade,
        gradeLabel: GRADES[grade],
        indicators,
        comment,
        createdAt: new Date(e.created_at).toISOString(),
        rectification,
      };
    });
  } catch (err) {
    // two evaluations of one application at once: the second insert hits the UNIQUE constraint
    if (isUniqueViolation(err)) throw ALREADY();
    throw err;
  }
}
