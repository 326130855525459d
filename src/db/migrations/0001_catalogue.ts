import type { Kysely } from 'kysely';
import { runScript } from '../sql-script.ts';

/** Regions, departments, the basic catalogue and versioned implementation items with their materials. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runScript(
    db,
    `
    CREATE TABLE regions (
      code        char(6) PRIMARY KEY CHECK (code ~ '^[1-9][0-9]{5}$'),
      name        text NOT NULL,
      full_name   text NOT NULL,
      level       text NOT NULL CHECK (level IN ('province', 'city', 'county')),
      parent_code char(6) REFERENCES regions (code),
      sort        integer NOT NULL DEFAULT 0
    );
    CREATE INDEX regions_parent_idx ON regions (parent_code);

    CREATE TABLE departments (
      id           integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      credit_code  char(18) NOT NULL UNIQUE,
      name         text NOT NULL,
      short_name   text NOT NULL,
      kind         text NOT NULL,
      region_code  char(6) NOT NULL REFERENCES regions (code),
      org_type     text NOT NULL,
      address      text NOT NULL,
      phone        text NOT NULL,
      office_hours text NOT NULL,
      created_at   timestamptz NOT NULL DEFAULT now(),
      UNIQUE (region_code, kind)
    );

    CREATE TABLE basic_items (
      code            char(12) PRIMARY KEY,
      name            text NOT NULL UNIQUE,
      type            char(2) NOT NULL,
      objects         text[] NOT NULL,
      themes          text[] NOT NULL,
      department_kind text NOT NULL,
      power_source    text NOT NULL,
      legal_basis     text[] NOT NULL,
      keywords        text[] NOT NULL DEFAULT '{}',
      summary         text NOT NULL DEFAULT '',
      popularity      integer NOT NULL DEFAULT 0,
      created_at      timestamptz NOT NULL DEFAULT now()
    );

    CREATE TABLE impl_items (
      code              varchar(36) PRIMARY KEY,
      basic_code        char(12) NOT NULL REFERENCES basic_items (code),
      region_code       char(6) NOT NULL REFERENCES regions (code),
      department_id     integer NOT NULL REFERENCES departments (id),
      published_version integer,
      latest_version    integer NOT NULL DEFAULT 1,
      popularity        integer NOT NULL DEFAULT 0,
      created_at        timestamptz NOT NULL DEFAULT now(),
      updated_at        timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX impl_items_region_idx ON impl_items (region_code);
    CREATE INDEX impl_items_department_idx ON impl_items (department_id);
    CREATE INDEX impl_items_basic_idx ON impl_items (basic_code);

    CREATE TABLE impl_item_versions (
      id                 integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      item_code          varchar(36) NOT NULL REFERENCES impl_items (code),
      version            integer NOT NULL CHECK (version > 0),
      status             text NOT NULL CHECK (status IN ('draft', 'published', 'superseded')),
      name               text NOT NULL,
      type               char(2) NOT NULL,
      objects            text[] NOT NULL,
      themes             text[] NOT NULL,
      exercise_level     text NOT NULL CHECK (exercise_level IN ('province', 'city', 'county')),
      power_source       text NOT NULL,
      legal_basis        text[] NOT NULL,
      conditions         text[] NOT NULL,
      steps              jsonb NOT NULL,
      legal_days         integer NOT NULL CHECK (legal_days >= 0),
      legal_days_note    text NOT NULL DEFAULT '',
      promised_days      integer NOT NULL CHECK (promised_days >= 0),
      promised_days_note text NOT NULL DEFAULT '',
      fee_standard       text,
      fee_basis          text,
      address            text NOT NULL,
      office_hours       text NOT NULL,
      consult_phone      text NOT NULL,
      complaint_phone    text NOT NULL,
      visits             integer NOT NULL CHECK (visits BETWEEN 0 AND 5),
      online_depth       integer NOT NULL CHECK (online_depth BETWEEN 1 AND 7),
      handling_type      text NOT NULL CHECK (handling_type IN ('immediate', 'promise')),
      result_name        text NOT NULL,
      result_type        text NOT NULL CHECK (result_type IN ('licence', 'approval', 'other')),
      tongban            text CHECK (tongban IN ('province', 'city', 'cross_province')),
      appointment        boolean NOT NULL DEFAULT false,
      delivery           boolean NOT NULL DEFAULT false,
      online_payment     boolean NOT NULL DEFAULT false,
      summary            text NOT NULL DEFAULT '',
      keywords           text[] NOT NULL DEFAULT '{}',
      change_note        text NOT NULL DEFAULT '',
      created_by         text NOT NULL,
      created_at         timestamptz NOT NULL DEFAULT now(),
      published_at       timestamptz,
      UNIQUE (item_code, version),
      CHECK (promised_days <= legal_days OR legal_days = 0)
    );
    -- at most one published version per item
    CREATE UNIQUE INDEX impl_item_versions_one_published ON impl_item_versions (item_code) WHERE status = 'published';

    CREATE TABLE item_materials (
      id         integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      version_id integer NOT NULL REFERENCES impl_item_versions (id) ON DELETE CASCADE,
      seq        integer NOT NULL,
      name       text NOT NULL,
      form       text NOT NULL CHECK (form IN ('original', 'copy', 'original_and_copy', 'electronic')),
      copies     integer NOT NULL DEFAULT 1 CHECK (copies >= 0),
      required   boolean NOT NULL,
      condition  text,
      source     text NOT NULL CHECK (source IN ('applicant', 'government', 'shared')),
      issuer     text,
      blank_form boolean NOT NULL DEFAULT false,
      sample     boolean NOT NULL DEFAULT false,
      notes      text,
      UNIQUE (version_id, seq)
    );

    -- bumped in the same transaction as every publication; app servers poll it to refresh their search index
    CREATE TABLE catalogue_revision (
      id         integer PRIMARY KEY CHECK (id = 1),
      revision   bigint NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    INSERT INTO catalogue_revision (id, revision) VALUES (1, 0);

    CREATE TABLE search_synonyms (
      term       text PRIMARY KEY,
      expansions text[] NOT NULL
    );
  `,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await runScript(
    db,
    'DROP TABLE search_synonyms, catalogue_revision, item_materials, impl_item_versions, impl_items, basic_items, departments, regions;',
  );
}
