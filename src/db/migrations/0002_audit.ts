import type { Kysely } from 'kysely';
import { runScript } from '../sql-script.ts';

/** The tamper-evident audit log: every event hash-chained to the one before it. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runScript(
    db,
    `
    CREATE TABLE audit_events (
      seq           bigint PRIMARY KEY,
      at            timestamptz NOT NULL,
      actor_type    text NOT NULL CHECK (actor_type IN ('anonymous', 'citizen', 'enterprise_agent', 'staff', 'client', 'system')),
      actor_id      text,
      on_behalf_of  text,
      action        text NOT NULL,
      target_type   text,
      target_id     text,
      outcome       text NOT NULL CHECK (outcome IN ('success', 'failure', 'denied')),
      ip            text,
      user_agent    text,
      request_id    text,
      department_id integer,
      region_code   char(6),
      details       jsonb NOT NULL DEFAULT '{}',
      prev_hash     char(64) NOT NULL,
      hash          char(64) NOT NULL UNIQUE
    );
    CREATE INDEX audit_events_target_idx ON audit_events (target_type, target_id, seq);
    CREATE INDEX audit_events_actor_idx ON audit_events (actor_id, seq);
    CREATE INDEX audit_events_action_idx ON audit_events (action, seq);

    -- the end of the chain; appending locks this row, so concurrent transactions chain one after another
    CREATE TABLE audit_chain_head (
      id        integer PRIMARY KEY CHECK (id = 1),
      last_seq  bigint NOT NULL,
      last_hash char(64) NOT NULL
    );
    INSERT INTO audit_chain_head (id, last_seq, last_hash) VALUES (1, 0, repeat('0', 64));
  `,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await runScript(db, 'DROP TABLE audit_chain_head, audit_events;');
}
