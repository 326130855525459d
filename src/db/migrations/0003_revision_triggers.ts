import type { Kysely } from 'kysely';
import { runScript } from '../sql-script.ts';

/**
 * Every change to what app servers derive from the catalogue (synonyms, regions, departments, basic items)
 * moves catalogue_revision, so every server's index and caches follow — not only publications.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runScript(
    db,
    `
    CREATE FUNCTION bump_catalogue_revision() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      UPDATE catalogue_revision SET revision = revision + 1, updated_at = now() WHERE id = 1;
      RETURN NULL;
    END;
    $$;
    CREATE TRIGGER search_synonyms_revision AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON search_synonyms
      FOR EACH STATEMENT EXECUTE FUNCTION bump_catalogue_revision();
    CREATE TRIGGER regions_revision AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON regions
      FOR EACH STATEMENT EXECUTE FUNCTION bump_catalogue_revision();
    CREATE TRIGGER departments_revision AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON departments
      FOR EACH STATEMENT EXECUTE FUNCTION bump_catalogue_revision();
    CREATE TRIGGER basic_items_revision AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON basic_items
      FOR EACH STATEMENT EXECUTE FUNCTION bump_catalogue_revision();
  `,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await runScript(
    db,
    `
    DROP TRIGGER search_synonyms_revision ON search_synonyms;
    DROP TRIGGER regions_revision ON regions;
    DROP TRIGGER departments_revision ON departments;
    DROP TRIGGER basic_items_revision ON basic_items;
    DROP FUNCTION bump_catalogue_revision();
  `,
  );
}
