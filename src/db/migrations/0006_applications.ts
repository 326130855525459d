import type { Kysely } from 'kysely';
import { runScript } from '../sql-script.ts';

/**
 * Online applications (办件): the working-day calendar, workflows as data, forms kept with item versions, drafts,
 * attachments, applications with their timeline and clock, results with verification codes, notifications,
 * 好差评 evaluations with rectification tasks, and leases for background jobs shared by several app servers.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runScript(
    db,
    `
    -- revision counters that app servers poll to refresh what they cache (calendar, workflows, …)
    CREATE TABLE revisions (
      name       text PRIMARY KEY,
      revision   bigint NOT NULL DEFAULT 0,
      updated_at timestamptz NOT NULL DEFAULT now()
    );

    -- 法定节假日与调休: only the days that differ from the Monday–Friday rule are stored
    CREATE TABLE calendar_days (
      day  date PRIMARY KEY,
      kind text NOT NULL CHECK (kind IN ('holiday', 'workday')), -- holiday: no work; workday: 调休上班 on a weekend
      name text NOT NULL                                         -- 春节, 国庆节 …
    );
    -- the years whose calendar is known; a deadline that runs past the last one cannot be computed
    CREATE TABLE calendar_years (
      year       integer PRIMARY KEY CHECK (year BETWEEN 2000 AND 2100),
      source     text NOT NULL,               -- 'chinese-days' or 'administrator'
      notice     text NOT NULL DEFAULT '',    -- 国务院办公厅关于 … 部分节假日安排的通知
      updated_by uuid,                        -- the administrator (no foreign key: a catalogue reset keeps the calendar)
      updated_at timestamptz NOT NULL DEFAULT now()
    );

    -- workflows as data (like DIGIT business services): states, actions, roles, SLA per state; rows are immutable
    CREATE TABLE workflows (
      key        text NOT NULL,
      version    integer NOT NULL CHECK (version > 0),
      name       text NOT NULL,
      definition jsonb NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (key, version)
    );

    -- the form and the workflow are part of an item's versioned guide
    ALTER TABLE impl_item_versions ADD COLUMN form jsonb;
    ALTER TABLE impl_item_versions ADD COLUMN workflow_key text;

    -- 草稿: saved and resumed across sessions
    CREATE TABLE application_drafts (
      id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      account_id      uuid NOT NULL REFERENCES accounts (id),
      subject_type    text NOT NULL CHECK (subject_type IN ('person', 'enterprise')),
      subject_id      uuid NOT NULL,
      item_code       varchar(36) NOT NULL REFERENCES impl_items (code),
      item_version_id integer NOT NULL REFERENCES impl_item_versions (id),
      form_data       jsonb NOT NULL DEFAULT '{}',
      step            integer NOT NULL DEFAULT 0,
      created_at      timestamptz NOT NULL DEFAULT now(),
      updated_at      timestamptz NOT NULL DEFAULT now(),
      UNIQUE (account_id, subject_type, subject_id, item_code)
    );

    -- 办件
    CREATE TABLE applications (
      id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      number            text NOT NULL UNIQUE,          -- 办件编号: region + date + sequence
      item_code         varchar(36) NOT NULL,           -- the item of item_version_id (kept for queries by item)
      item_version_id   integer NOT NULL REFERENCES impl_item_versions (id),
      item_name         text NOT NULL,
      department_id     integer NOT NULL REFERENCES departments (id),
      region_code       char(6) NOT NULL,               -- the department's region
      workflow_key      text NOT NULL,
      workflow_version  integer NOT NULL,
      state             text NOT NULL,
      resume_state      text,                          -- where 补正 returns to
      version           integer NOT NULL DEFAULT 1,    -- bumped by every action; a stale version is a conflict
      submitted_by      uuid NOT NULL REFERENCES accounts (id),  -- the person who submitted (an agent when acting)
      subject_type      text NOT NULL CHECK (subject_type IN ('person', 'enterprise')),
      subject_id        uuid NOT NULL,                 -- the applicant: a person's account or an enterprise
      subject_name      text NOT NULL,
      subject_id_number text NOT NULL,                 -- resident ID or credit code (progress lookup)
      delegation_id     uuid REFERENCES delegations (id),
      idempotency_key   text NOT NULL,
      form_data         jsonb NOT NULL,
      submitted_at      timestamptz NOT NULL DEFAULT now(),
      accepted_at       timestamptz,
      -- the working-day clock (工作日计时)
      legal_days        integer NOT NULL,              -- 法定办结时限
      promised_days     integer NOT NULL,              -- 承诺办结时限
      extension_days    integer NOT NULL DEFAULT 0,    -- one extension by approval (延期)
      clock_state       text NOT NULL DEFAULT 'running' CHECK (clock_state IN ('running', 'paused', 'stopped')),
      clock_phase       text NOT NULL DEFAULT 'acceptance' CHECK (clock_phase IN ('acceptance', 'decision', 'done')),
      clock_started_on  date NOT NULL,                 -- first day of the running phase
      paused_days       integer NOT NULL DEFAULT 0,    -- working days excluded from the running phase so far
      paused_since      date,
      state_due_on      date,                          -- the running deadline: the 受理 SLA, then the promised date; moved on by pauses
      promised_due_on   date,
      legal_due_on      date,
      deadline_status   text NOT NULL DEFAULT 'normal' CHECK (deadline_status IN ('normal', 'due_soon', 'overdue')),
      escalated_at      timestamptz,
      decision          text CHECK (decision IN ('approved', 'rejected', 'not_accepted')),
      closed_at         timestamptz,
      updated_at        timestamptz NOT NULL DEFAULT now(),
      UNIQUE (submitted_by, idempotency_key)
    );
    -- the staff inbox: open applications of a department by state and the current deadline
    -- (the counts by state and deadline colour are an index-only scan of it: the colour is a range of state_due_on)
    CREATE INDEX applications_inbox_idx ON applications (department_id, state, state_due_on, id) WHERE closed_at IS NULL;
    -- what was escalated to the approvers (few rows)
    CREATE INDEX applications_escalated_idx ON applications (department_id, state_due_on, id) WHERE closed_at IS NULL AND escalated_at IS NOT NULL;
    CREATE INDEX applications_subject_idx ON applications (subject_type, subject_id, id);
    -- (by submitter: the unique (submitted_by, idempotency_key) index serves)

    -- the timeline (办理过程): append-only, one row per action
    CREATE TABLE application_events (
      id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      application_id   bigint NOT NULL REFERENCES applications (id),
      seq              integer NOT NULL,               -- the application's version after the action
      at               timestamptz NOT NULL DEFAULT now(),
      action           text NOT NULL,
      from_state       text,
      to_state         text NOT NULL,
      actor_type       text NOT NULL CHECK (actor_type IN ('applicant', 'staff', 'system')),
      actor_account_id uuid REFERENCES accounts (id),
      actor_role       text,
      department_id    integer REFERENCES departments (id),
      comment          text NOT NULL DEFAULT '',       -- reason or opinion
      legal_basis      text NOT NULL DEFAULT '',
      details          jsonb NOT NULL DEFAULT '{}',
      UNIQUE (application_id, seq)
    );

    -- 计时暂停: 补正 and the excluded periods of 行政许可法 Art. 45
    CREATE TABLE application_clock_pauses (
      id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      application_id bigint NOT NULL REFERENCES applications (id),
      kind           text NOT NULL CHECK (kind IN ('supplement', 'hearing', 'testing', 'inspection', 'expert_review', 'quarantine', 'other')),
      reason         text NOT NULL,
      expected_days  integer,                         -- the applicant is told how long it takes
      started_at     timestamptz NOT NULL DEFAULT now(),
      started_on     date NOT NULL,
      ended_at       timestamptz,
      ended_on       date,
      working_days   integer                          -- excluded working days, set when it ends
    );
    CREATE INDEX application_clock_pauses_app_idx ON application_clock_pauses (application_id);

    -- 补正告知: one complete list of what is missing
    CREATE TABLE application_supplements (
      id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      application_id bigint NOT NULL REFERENCES applications (id),
      requested_at   timestamptz NOT NULL DEFAULT now(),
      requested_by   uuid NOT NULL REFERENCES accounts (id),
      items          jsonb NOT NULL,                  -- [{ slot?, field?, label, reason }]
      note           text NOT NULL DEFAULT '',
      answered_at    timestamptz
    );
    CREATE INDEX application_supplements_app_idx ON application_supplements (application_id);

    -- uploaded files: checked by content, checksummed, stored on disk or S3-compatible storage
    CREATE TABLE attachments (
      id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      owner_id       uuid NOT NULL REFERENCES accounts (id),
      draft_id       bigint REFERENCES application_drafts (id) ON DELETE SET NULL,
      application_id bigint REFERENCES applications (id),
      slot           text NOT NULL,                   -- the material slot (材料) it fills
      file_name      text NOT NULL,
      media_type     text NOT NULL,                   -- detected from the content
      size_bytes     integer NOT NULL CHECK (size_bytes > 0),
      sha256         char(64) NOT NULL,
      storage        text NOT NULL CHECK (storage IN ('local', 's3')),
      storage_key    text NOT NULL,
      created_at     timestamptz NOT NULL DEFAULT now(),
      superseded_at  timestamptz                      -- replaced by a supplement
    );
    CREATE INDEX attachments_application_idx ON attachments (application_id) WHERE application_id IS NOT NULL;
    CREATE INDEX attachments_draft_idx ON attachments (draft_id) WHERE draft_id IS NOT NULL;

    -- readable numbers: a server reserves a block of sequence numbers per region and day
    CREATE TABLE application_number_blocks (
      region_code char(6) NOT NULL,
      day         date NOT NULL,
      next_value  integer NOT NULL,
      PRIMARY KEY (region_code, day)
    );

    -- 办理结果: licence, certificate or decision, with a public verification code
    CREATE TABLE application_results (
      id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      application_id    bigint NOT NULL UNIQUE REFERENCES applications (id),
      kind              text NOT NULL CHECK (kind IN ('licence', 'certificate', 'decision')),
      title             text NOT NULL,
      document_number   text NOT NULL UNIQUE,
      verification_code text NOT NULL UNIQUE,
      holder_name       text NOT NULL,
      holder_id_number  text NOT NULL,
      content           jsonb NOT NULL,
      issued_at         timestamptz NOT NULL DEFAULT now(),
      valid_until       date,
      sha256            char(64) NOT NULL,
      storage           text NOT NULL CHECK (storage IN ('local', 's3')),
      storage_key       text NOT NULL,
      revoked_at        timestamptz
    );

    -- 站内消息; the message adapter's copy is sent by a background job (sms_state)
    CREATE TABLE notifications (
      id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      account_id     uuid NOT NULL REFERENCES accounts (id),
      application_id bigint REFERENCES applications (id),
      title          text NOT NULL,
      body           text NOT NULL,
      link           text,
      created_at     timestamptz NOT NULL DEFAULT now(),
      read_at        timestamptz,
      sms_state      text NOT NULL DEFAULT 'none' CHECK (sms_state IN ('none', 'pending', 'sent', 'failed')),
      sms_attempts   integer NOT NULL DEFAULT 0
    );
    CREATE INDEX notifications_account_idx ON notifications (account_id, id);
    CREATE INDEX notifications_pending_idx ON notifications (id) WHERE sms_state = 'pending';

    -- 好差评: one evaluation per application; the evaluator is confidential to staff
    CREATE TABLE evaluations (
      id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      application_id bigint NOT NULL UNIQUE REFERENCES applications (id),
      item_code      varchar(36) NOT NULL REFERENCES impl_items (code),
      department_id  integer NOT NULL REFERENCES departments (id),
      region_code    char(6) NOT NULL,
      evaluator_id   uuid NOT NULL REFERENCES accounts (id),
      level          smallint NOT NULL CHECK (level BETWEEN 1 AND 5),
      grade          text NOT NULL CHECK (grade IN ('good', 'neutral', 'bad')),
      indicators     jsonb NOT NULL,                  -- 整体满意度, 办事效率, 办事指南精确度, 办事便捷度, 平台操作性 (1–5)
      comment        text NOT NULL DEFAULT '',
      channel        text NOT NULL DEFAULT 'web',
      created_at     timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX evaluations_department_idx ON evaluations (department_id, created_at);
    CREATE INDEX evaluations_item_idx ON evaluations (item_code, created_at);

    -- 差评整改: 核实 → 整改 → 反馈 → 复核 within 15 working days
    CREATE TABLE rectification_tasks (
      id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      evaluation_id bigint NOT NULL UNIQUE REFERENCES evaluations (id),
      department_id integer NOT NULL REFERENCES departments (id),
      state         text NOT NULL CHECK (state IN ('verifying', 'rectifying', 'feedback', 'reviewing', 'closed', 'dismissed')),
      version       integer NOT NULL DEFAULT 1,
      due_on        date NOT NULL,
      created_at    timestamptz NOT NULL DEFAULT now(),
      closed_at     timestamptz
    );
    CREATE INDEX rectification_tasks_department_idx ON rectification_tasks (department_id, state);
    CREATE TABLE rectification_events (
      id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      task_id    bigint NOT NULL REFERENCES rectification_tasks (id),
      at         timestamptz NOT NULL DEFAULT now(),
      action     text NOT NULL,
      from_state text NOT NULL,
      to_state   text NOT NULL,
      actor_id   uuid NOT NULL REFERENCES accounts (id),
      note       text NOT NULL DEFAULT ''
    );
    CREATE INDEX rectification_events_task_idx ON rectification_events (task_id, id);

    -- background jobs: one lease per job, so several app servers never run a job at the same time
    CREATE TABLE job_leases (
      name        text PRIMARY KEY,
      holder      text,
      lease_until timestamptz NOT NULL DEFAULT '-infinity',
      last_run_at timestamptz,
      last_result jsonb
    );
  `,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await runScript(
    db,
    `DROP TABLE job_leases, rectification_events, rectification_tasks, evaluations, notifications, application_results,
       application_number_blocks, attachments, application_supplements, application_clock_pauses, application_events,
       applications, application_drafts, workflows, calendar_years, calendar_days, revisions;
     ALTER TABLE impl_item_versions DROP COLUMN form, DROP COLUMN workflow_key;`,
  );
}
