import type { Kysely } from 'kysely';
import { runScript } from '../sql-script.ts';

/**
 * Once-only (免提交, 一次不用跑): what the platform obtained by data sharing for an application draft, with the
 * applicant's consent — a form field filled or a material exempted, and the access that obtained it (request id
 * and audit seq of the exchange evidence). Kept beside the draft and written only by the platform, so the
 * applicant cannot claim an exemption by editing the draft; gone with the draft (the submission records it in
 * the application's first timeline entry and links the accesses to the application number in the audit log).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runScript(
    db,
    `
    CREATE TABLE draft_shared_data (
      draft_id     bigint NOT NULL REFERENCES application_drafts (id) ON DELETE CASCADE,
      target       text NOT NULL CHECK (target IN ('field', 'material')),
      target_key   text NOT NULL,                               -- form field key, or material slot key
      status       text NOT NULL CHECK (status IN ('filled', 'unavailable')),
      resource_id  integer NOT NULL REFERENCES data_resources (id),
      data_version integer,                                     -- the data version read (filled)
      value        jsonb,                                       -- field: the value filled in
      request_id   text,                                        -- the exchange call (filled, or no record)
      audit_seq    bigint,                                      -- its evidence event in the audit log
      reason       text,                                        -- unavailable: why, in Chinese
      at           timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (draft_id, target, target_key)
    );
    `,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await runScript(db, `DROP TABLE draft_shared_data;`);
}
