/**
 * The application an applicant means to rate, found by its number — only if the caller is its applicant (the
 * applications module's one rule, `isApplicantNow`: for a person's application the person who submitted it or
 * the person it was made for; for an enterprise's, whoever acts for the enterprise right now — its legal
 * representative, or an agent in force). Anyone else gets the same 404 as for a number that does not exist.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { PersonPrincipal } from '../access/principal.ts';
import { NotFoundError } from '../../shared/errors.ts';
import { isApplicantNow } from '../applications/application-access.ts';
import { GRADES, LEVELS, type Indicators, type Level } from './evaluations.types.ts';

export interface OwnApplication {
  id: number;
  number: string;
  itemCode: string;
  itemName: string;
  departmentId: number;
  regionCode: string;
  state: string;
  closedAt: Date | null;
  /** The applicant's own evaluation, if given. */
  evaluation: {
    id: number;
    level: Level;
    levelLabel: string;
    gradeLabel: string;
    indicators: Indicators;
    comment: string;
    createdAt: Date;
  } | null;
}

type Queryable = Kysely<DB>; // or a transaction of it

export async function findOwnApplication(db: Queryable, p: PersonPrincipal, number: string): Promise<OwnApplication> {
  const a = await db
    .selectFrom('applications as a')
    .leftJoin('evaluations as e', 'e.application_id', 'a.id')
    .select([
      'a.id', 'a.number', 'a.item_code', 'a.item_name', 'a.department_id', 'a.region_code', 'a.state', 'a.closed_at',
      'a.submitted_by', 'a.subject_type', 'a.subject_id',
      'e.id as evaluation_id', 'e.level', 'e.grade', 'e.indicators', 'e.comment', 'e.created_at as evaluated_at',
    ])
    .where('a.number', '=', number)
    .executeTakeFirst();
  if (!a || !(await isApplicantNow(db, p, a))) throw new NotFoundError(`未找到您的办件 ${number}`, 'number');
  return {
    id: a.id,
    number: a.number,
    itemCode: a.item_code,
    itemName: a.item_name,
    departmentId: a.department_id,
    regionCode: a.region_code,
    state: a.state,
    closedAt: a.closed_at,
    evaluation:
      a.evaluation_id === null || a.level === null
        ? null
        : {
            id: a.evaluation_id,
            level: a.level as Level,
            levelLabel: LEVELS[a.level as Level],
            gradeLabel: GRADES[a.grade ?? 'neutral'],
            indicators: a.indicators as Indicators,
            comment: a.comment ?? '',
            createdAt: a.evaluated_at!,
          },
  };
}
