import type { Kysely } from 'kysely';
import { runScript } from '../sql-script.ts';

/**
 * The three lists (三张清单): 权力清单 with its 责任清单, 企业投资项目负面清单, 专项资金管理清单. Each department's
 * list of a kind is published as numbered editions (版本): a draft is edited, submitted for review, and published
 * by the reviewer; every published edition is kept with all its entries, so any two can be compared. The
 * negative list is one list for the province, held by its development and reform commission.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runScript(
    db,
    `
    -- an edition of one department's list of one kind (draft → in_review → published → superseded; or rejected back to draft)
    CREATE TABLE list_editions (
      id              integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      list_kind       text NOT NULL CHECK (list_kind IN ('power', 'negative', 'fund')),
      department_id   integer NOT NULL REFERENCES departments (id),
      version         integer,                        -- set at publication: 1, 2, … per (kind, department)
      base_version    integer,                        -- the published version the draft started from
      status          text NOT NULL CHECK (status IN ('draft', 'in_review', 'published', 'superseded')),
      note            text NOT NULL DEFAULT '',       -- 修订说明, shown with the published edition
      review_comment  text,                           -- the reviewer's comment (a return to draft must give one)
      entry_count     integer NOT NULL DEFAULT 0,
      created_by      uuid REFERENCES accounts (id),
      created_at      timestamptz NOT NULL DEFAULT now(),
      updated_at      timestamptz NOT NULL DEFAULT now(),
      submitted_by    uuid REFERENCES accounts (id),
      submitted_at    timestamptz,
      published_by    uuid REFERENCES accounts (id),
      published_at    timestamptz,
      UNIQUE (list_kind, department_id, version)
    );
    -- at most one open draft (draft or in review) per department and kind
    CREATE UNIQUE INDEX list_editions_open ON list_editions (list_kind, department_id) WHERE status IN ('draft', 'in_review');
    CREATE INDEX list_editions_published ON list_editions (list_kind, published_at DESC) WHERE status IN ('published', 'superseded');

    -- the entries of an edition; entry_key is stable across editions (权力编码, 负面清单条目编号, 资金编码)
    CREATE TABLE list_entries (
      edition_id   integer NOT NULL REFERENCES list_editions (id) ON DELETE CASCADE,
      entry_key    text NOT NULL,
      data         jsonb NOT NULL,                    -- PowerEntry | NegativeEntry | FundEntry (modules/three-lists)
      PRIMARY KEY (edition_id, entry_key)
    );

    -- one counter bumped by every publication: servers reload the public lists when it moves
    CREATE TABLE list_revision (
      id        integer PRIMARY KEY CHECK (id = 1),
      revision  bigint NOT NULL
    );
    INSERT INTO list_revision (id, revision) VALUES (1, 0);
    `,
  );
}
