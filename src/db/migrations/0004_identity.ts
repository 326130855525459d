import type { Kysely } from 'kysely';
import { runScript } from '../sql-script.ts';

/**
 * Identity and access: accounts (自然人 and staff), enterprises (法人), delegations (代办授权), staff role
 * assignments, database sessions, one-time codes, login throttling, OpenID Connect links, machine clients.
 * Secrets are stored only as hashes: passwords with argon2id, tokens and codes with SHA-256 (they are random).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runScript(
    db,
    `
    CREATE TABLE accounts (
      id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      kind           text NOT NULL CHECK (kind IN ('person', 'staff')),
      name           text NOT NULL,
      id_number      char(18),               -- 公民身份号码 (persons)
      mobile         char(11),
      staff_no       text,                   -- 工号 (staff)
      department_id  integer REFERENCES departments (id),
      password_hash  text,                   -- argon2id; null: no password (signs in through OpenID Connect, or a minor)
      status         text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
      created_at     timestamptz NOT NULL DEFAULT now(),
      updated_at     timestamptz NOT NULL DEFAULT now(),
      CHECK (kind <> 'person' OR (id_number IS NOT NULL AND staff_no IS NULL AND department_id IS NULL)),
      CHECK (kind <> 'staff' OR (staff_no IS NOT NULL AND department_id IS NOT NULL))
    );
    CREATE UNIQUE INDEX accounts_id_number_key ON accounts (id_number) WHERE kind = 'person';
    CREATE UNIQUE INDEX accounts_person_mobile_key ON accounts (mobile) WHERE kind = 'person';
    CREATE UNIQUE INDEX accounts_staff_no_key ON accounts (staff_no) WHERE kind = 'staff';
    CREATE INDEX accounts_department_idx ON accounts (department_id) WHERE kind = 'staff';

    CREATE TABLE enterprises (
      id                    uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      credit_code           char(18) NOT NULL UNIQUE,   -- 统一社会信用代码
      name                  text NOT NULL,
      legal_rep_name        text NOT NULL,              -- 法定代表人
      legal_rep_account_id  uuid NOT NULL REFERENCES accounts (id),
      created_at            timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX enterprises_legal_rep_idx ON enterprises (legal_rep_account_id);

    -- 代办授权: who may act for whom, for which items, until when; revoked grants are kept as evidence
    CREATE TABLE delegations (
      id                    uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      principal_type        text NOT NULL CHECK (principal_type IN ('person', 'enterprise')),
      principal_account_id  uuid REFERENCES accounts (id),
      principal_enterprise_id uuid REFERENCES enterprises (id),
      agent_account_id      uuid NOT NULL REFERENCES accounts (id),
      relation              text NOT NULL CHECK (relation IN ('parent', 'guardian', 'agent', 'enterprise_agent')),
      item_codes            text[] NOT NULL DEFAULT '{}', -- basic item codes; empty = all items
      valid_from            timestamptz NOT NULL DEFAULT now(),
      valid_until           timestamptz NOT NULL,
      note                  text NOT NULL DEFAULT '',
      created_by            uuid NOT NULL REFERENCES accounts (id),
      created_at            timestamptz NOT NULL DEFAULT now(),
      revoked_at            timestamptz,
      revoked_by            uuid REFERENCES accounts (id),
      CHECK ((principal_type = 'person') = (principal_account_id IS NOT NULL)),
      CHECK ((principal_type = 'enterprise') = (principal_enterprise_id IS NOT NULL)),
      CHECK (valid_until > valid_from),
      CHECK (principal_account_id IS NULL OR principal_account_id <> agent_account_id)
    );
    CREATE INDEX delegations_agent_idx ON delegations (agent_account_id) WHERE revoked_at IS NULL;
    CREATE INDEX delegations_person_idx ON delegations (principal_account_id) WHERE principal_account_id IS NOT NULL;
    CREATE INDEX delegations_enterprise_idx ON delegations (principal_enterprise_id) WHERE principal_enterprise_id IS NOT NULL;

    -- staff roles, each scoped to a department (and its region); lower levels only where granted
    CREATE TABLE role_assignments (
      id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      account_id          uuid NOT NULL REFERENCES accounts (id),
      role                text NOT NULL CHECK (role IN ('window_clerk', 'reviewer', 'approver', 'department_admin', 'data_steward', 'platform_admin')),
      department_id       integer NOT NULL REFERENCES departments (id),
      include_lower_levels boolean NOT NULL DEFAULT false, -- also the same kind of department in the regions below
      granted_by          text NOT NULL,
      granted_at          timestamptz NOT NULL DEFAULT now(),
      revoked_at          timestamptz,
      revoked_by          text
    );
    CREATE UNIQUE INDEX role_assignments_active_key ON role_assignments (account_id, role, department_id) WHERE revoked_at IS NULL;

    CREATE TABLE sessions (
      token_hash          char(64) PRIMARY KEY,   -- SHA-256 of the cookie value; the value itself is never stored
      id                  uuid NOT NULL UNIQUE DEFAULT gen_random_uuid(), -- shown to the user, used to revoke
      account_id          uuid NOT NULL REFERENCES accounts (id),
      acting_delegation_id uuid REFERENCES delegations (id), -- 代办: acting for the delegation's principal
      auth_method         text NOT NULL CHECK (auth_method IN ('password', 'oidc')),
      csrf_token          char(43) NOT NULL,
      ip                  text,
      user_agent          text,
      created_at          timestamptz NOT NULL DEFAULT now(),
      last_seen_at        timestamptz NOT NULL DEFAULT now(),
      idle_expires_at     timestamptz NOT NULL,
      absolute_expires_at timestamptz NOT NULL,
      revoked_at          timestamptz
    );
    CREATE INDEX sessions_account_idx ON sessions (account_id, created_at);

    -- 一次性验证码: a hash, a purpose, a destination, an expiry and a bounded number of tries
    CREATE TABLE one_time_codes (
      id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      purpose       text NOT NULL CHECK (purpose IN ('register', 'reset_password')),
      destination   text NOT NULL,
      code_hash     char(64) NOT NULL,
      attempts      integer NOT NULL DEFAULT 0,
      created_at    timestamptz NOT NULL DEFAULT now(),
      expires_at    timestamptz NOT NULL,
      consumed_at   timestamptz
    );
    CREATE INDEX one_time_codes_lookup_idx ON one_time_codes (purpose, destination, created_at);

    -- messages the default adapter keeps for the development inbox (开发收件箱)
    CREATE TABLE outbound_messages (
      id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      channel       text NOT NULL,
      destination   text NOT NULL,
      body          text NOT NULL,
      created_at    timestamptz NOT NULL DEFAULT now()
    );

    -- login throttling per account identifier and per IP, shared by every app server
    CREATE TABLE auth_throttle (
      key           text PRIMARY KEY,   -- 'id:<identifier>' or 'ip:<address>'
      failures      integer NOT NULL,
      window_start  timestamptz NOT NULL,
      locked_until  timestamptz
    );

    -- short-lived state between two requests (OpenID Connect state, a pending account link)
    CREATE TABLE auth_pending (
      key_hash      char(64) PRIMARY KEY,
      kind          text NOT NULL CHECK (kind IN ('oidc_state', 'oidc_link')),
      data          jsonb NOT NULL,
      expires_at    timestamptz NOT NULL
    );

    CREATE TABLE oidc_links (
      issuer        text NOT NULL,
      subject       text NOT NULL,
      account_id    uuid NOT NULL REFERENCES accounts (id),
      linked_at     timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (issuer, subject)
    );
    CREATE INDEX oidc_links_account_idx ON oidc_links (account_id);

    -- machine clients of integrations and the data exchange (接入应用)
    CREATE TABLE api_clients (
      client_id             text PRIMARY KEY,
      name                  text NOT NULL,
      department_id         integer NOT NULL REFERENCES departments (id),
      scopes                text[] NOT NULL,
      secret_hash           char(64) NOT NULL,
      previous_secret_hash  char(64),          -- still accepted until previous_expires_at (rotation)
      previous_expires_at   timestamptz,
      created_by            text NOT NULL,
      created_at            timestamptz NOT NULL DEFAULT now(),
      rotated_at            timestamptz,
      disabled_at           timestamptz
    );

    CREATE TABLE client_tokens (
      token_hash    char(64) PRIMARY KEY,
      client_id     text NOT NULL REFERENCES api_clients (client_id),
      scopes        text[] NOT NULL,
      expires_at    timestamptz NOT NULL,
      created_at    timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX client_tokens_client_idx ON client_tokens (client_id);
  `,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await runScript(
    db,
    `DROP TABLE client_tokens, api_clients, oidc_links, auth_pending, auth_throttle, outbound_messages, one_time_codes,
       sessions, role_assignments, delegations, enterprises, accounts;`,
  );
}
