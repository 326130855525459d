import type { Kysely } from 'kysely';
import { runScript } from '../sql-script.ts';

/**
 * Convenience services (便民服务): appointments with capacity (婚姻登记、挂号、窗口、景区分时预约) and result
 * queries that survive release day (高考成绩等), with shared rate-limit counters for several app servers.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runScript(
    db,
    `
    -- 可预约服务: a marriage-registration office, a hospital department or doctor, a hall window, a scenic spot
    CREATE TABLE appointment_services (
      id             integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      code           text NOT NULL UNIQUE CHECK (code ~ '^[a-z0-9-]{3,64}$'), -- stable, used in addresses
      kind           text NOT NULL CHECK (kind IN ('marriage', 'hospital', 'window', 'scenic')),
      name           text NOT NULL,
      department_id  integer NOT NULL REFERENCES departments (id),
      region_code    char(6) NOT NULL,
      item_code      varchar(36),                   -- a window's implementation item (kind = 'window')
      place          text NOT NULL DEFAULT '',      -- address shown on the booking
      notes          text NOT NULL DEFAULT '',      -- what to bring, how to get there
      open_days      text NOT NULL CHECK (open_days IN ('working', 'every')), -- official working days, or every day
      sessions       jsonb NOT NULL,                -- opening hours: [{"start":"09:00","end":"12:00"}, …]
      slot_minutes   integer NOT NULL CHECK (slot_minutes BETWEEN 5 AND 480),
      capacity       integer NOT NULL CHECK (capacity BETWEEN 1 AND 100000), -- places per slot unless a slot says otherwise
      window_days    integer NOT NULL CHECK (window_days BETWEEN 0 AND 90),  -- a day opens for booking this many days ahead …
      opens_at       time NOT NULL DEFAULT '08:00', -- … at this time of day (China time)
      parties        integer NOT NULL DEFAULT 1 CHECK (parties BETWEEN 1 AND 2), -- 2: both must confirm (marriage)
      hold_minutes   integer NOT NULL DEFAULT 30 CHECK (hold_minutes BETWEEN 1 AND 1440), -- an unconfirmed hold lasts this long
      cancel_hours   integer NOT NULL DEFAULT 2 CHECK (cancel_hours BETWEEN 0 AND 168),   -- cancel until this long before the slot
      no_show_limit  integer NOT NULL DEFAULT 3 CHECK (no_show_limit BETWEEN 1 AND 100),  -- this many no-shows …
      no_show_days   integer NOT NULL DEFAULT 90 CHECK (no_show_days BETWEEN 1 AND 3650), -- … within this many days …
      bar_days       integer NOT NULL DEFAULT 30 CHECK (bar_days BETWEEN 0 AND 3650),     -- … bar booking this many days
      status         text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended')),
      created_at     timestamptz NOT NULL DEFAULT now(),
      updated_at     timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX appointment_services_department ON appointment_services (department_id);

    -- special closures (临时闭馆) on days the calendar would open
    CREATE TABLE appointment_closures (
      service_id  integer NOT NULL REFERENCES appointment_services (id),
      day         date NOT NULL,
      reason      text NOT NULL,
      created_by  uuid REFERENCES accounts (id),
      created_at  timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (service_id, day)
    );

    -- a slot row exists once someone books it or staff change its capacity; 'taken' can never pass 'capacity'
    CREATE TABLE appointment_slots (
      id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      service_id  integer NOT NULL REFERENCES appointment_services (id),
      day         date NOT NULL,
      starts_at   time NOT NULL,
      ends_at     time NOT NULL,
      capacity    integer NOT NULL CHECK (capacity >= 0),
      taken       integer NOT NULL DEFAULT 0 CHECK (taken >= 0),
      CONSTRAINT appointment_slots_not_overbooked CHECK (taken <= capacity),
      UNIQUE (service_id, day, starts_at)
    );

    -- 预约
    CREATE TABLE appointment_bookings (
      id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      code           text NOT NULL UNIQUE,           -- 预约码 (check-in, QR code)
      service_id     integer NOT NULL REFERENCES appointment_services (id),
      slot_id        bigint NOT NULL REFERENCES appointment_slots (id),
      day            date NOT NULL,
      starts_at      time NOT NULL,
      ends_at        time NOT NULL,
      booked_by      uuid NOT NULL REFERENCES accounts (id),
      status         text NOT NULL CHECK (status IN ('held', 'confirmed', 'cancelled', 'expired', 'checked_in', 'no_show')),
      hold_until     timestamptz,                    -- a 'held' booking expires then unless every party confirmed
      cancel_reason  text,
      created_at     timestamptz NOT NULL DEFAULT now(),
      confirmed_at   timestamptz,
      cancelled_at   timestamptz,
      checked_in_at  timestamptz,
      checked_in_by  uuid REFERENCES accounts (id)
    );
    CREATE INDEX appointment_bookings_day ON appointment_bookings (service_id, day, starts_at);
    CREATE INDEX appointment_bookings_held ON appointment_bookings (hold_until) WHERE status = 'held';
    CREATE INDEX appointment_bookings_booked_by ON appointment_bookings (booked_by, created_at DESC);

    -- the people a booking is for; one active booking per person per service
    CREATE TABLE appointment_parties (
      booking_id    bigint NOT NULL REFERENCES appointment_bookings (id),
      service_id    integer NOT NULL REFERENCES appointment_services (id),
      id_number     text NOT NULL,                  -- 身份证号 (the partner may have no account yet)
      name          text NOT NULL,
      account_id    uuid REFERENCES accounts (id),  -- set when the party has signed in and confirmed
      role          text NOT NULL CHECK (role IN ('booker', 'partner')),
      confirmed_at  timestamptz,
      active        boolean NOT NULL DEFAULT true,  -- false once the booking is cancelled, expired, checked in or missed
      PRIMARY KEY (booking_id, id_number)
    );
    CREATE UNIQUE INDEX appointment_parties_one_active ON appointment_parties (service_id, id_number) WHERE active;
    CREATE INDEX appointment_parties_person ON appointment_parties (id_number);

    -- 结果查询: a result set (高考成绩 …) published by a department, queried by key fields after its release time
    CREATE TABLE result_sets (
      id              integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      code            text NOT NULL UNIQUE CHECK (code ~ '^[a-z0-9-]{3,64}$'),
      title           text NOT NULL,
      description     text NOT NULL DEFAULT '',
      department_id   integer NOT NULL REFERENCES departments (id),
      columns         jsonb NOT NULL,               -- [{"key","label","type","required"}]: the declared columns
      key_columns     jsonb NOT NULL,               -- the columns a query must give, e.g. ["exam_no","id_number"]
      release_at      timestamptz NOT NULL,         -- 发布时间: nobody, staff included, can query before it
      status          text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published', 'withdrawn')),
      active_load_id  bigint,                       -- the load queries read (set when a load succeeds)
      salt            text NOT NULL,                -- keys are stored and looked up as hashes with this salt
      revision        integer NOT NULL DEFAULT 1,   -- bumped by every change; servers poll it to refresh memory
      created_by      uuid REFERENCES accounts (id),
      created_at      timestamptz NOT NULL DEFAULT now(),
      updated_at      timestamptz NOT NULL DEFAULT now()
    );

    -- one upload of a set's rows; validated as a whole: a load with any bad row publishes nothing
    CREATE TABLE result_loads (
      id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      set_id           integer NOT NULL REFERENCES result_sets (id),
      status           text NOT NULL CHECK (status IN ('pending', 'loading', 'ready', 'failed', 'superseded')),
      file_name        text NOT NULL,
      file_key         text NOT NULL,                -- the uploaded file in blob storage
      file_bytes       bigint NOT NULL,
      format           text NOT NULL CHECK (format IN ('csv', 'xlsx')),
      bytes_read       bigint NOT NULL DEFAULT 0,    -- progress
      rows_read        integer NOT NULL DEFAULT 0,
      rows_bad         integer NOT NULL DEFAULT 0,
      error_report_key text,                         -- CSV of the bad rows (blob storage)
      message          text,                         -- why it failed, in Chinese
      created_by       uuid REFERENCES accounts (id),
      created_at       timestamptz NOT NULL DEFAULT now(),
      started_at       timestamptz,
      finished_at      timestamptz,
      heartbeat_at     timestamptz                   -- a load whose server died is taken over after a while
    );
    CREATE INDEX result_loads_set ON result_loads (set_id, id DESC);
    CREATE INDEX result_loads_pending ON result_loads (id) WHERE status IN ('pending', 'loading');

    -- the rows of a load, by the hash of their key values
    CREATE TABLE result_rows (
      load_id   bigint NOT NULL,
      key_hash  text NOT NULL,                       -- base64url of HMAC-SHA-256(salt, key values), 22 characters
      data      text NOT NULL,                       -- the row as JSON, as a query shows it
      PRIMARY KEY (load_id, key_hash)
    );

    -- every query, as evidence (the key is kept as its hash, never in clear)
    CREATE TABLE result_queries (
      set_id      integer NOT NULL,
      at          timestamptz NOT NULL DEFAULT now(),
      ip          text NOT NULL,
      key_hash    text,
      outcome     text NOT NULL CHECK (outcome IN ('found', 'not_found', 'embargoed', 'withdrawn', 'rate_limited', 'invalid')),
      request_id  text NOT NULL
    );
    CREATE INDEX result_queries_set_at ON result_queries (set_id, at);

    -- rate-limit counters shared by every app server: one row per bucket per fixed window
    CREATE TABLE rate_counters (
      bucket        text NOT NULL,
      window_start  timestamptz NOT NULL,
      count         integer NOT NULL,
      PRIMARY KEY (bucket, window_start)
    );
    CREATE INDEX rate_counters_window ON rate_counters (window_start);
    `,
  );
}
