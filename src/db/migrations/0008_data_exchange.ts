import type { Kysely } from 'kysely';
import { runScript } from '../sql-script.ts';

/**
 * Data sharing and exchange (数据共享交换): the resource catalogue (政务信息资源目录), onboarded records with
 * numbered versions, sharing requests and exact default-deny grants, change subscriptions with signed webhooks,
 * the subjects index of access evidence (for 谁查了我的数据), and once-only sources (免提交) of service items.
 * Access evidence itself is written to the chained audit log (audit_events).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runScript(
    db,
    `
    -- 政务信息资源: one entry of the catalogue (GB/T 21063 metadata); every change of the entry is a numbered meta version
    CREATE TABLE data_resources (
      id                      integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      code                    text NOT NULL UNIQUE CHECK (code ~ '^[A-Za-z0-9][A-Za-z0-9/-]{2,63}$'), -- 资源代码
      name                    text NOT NULL,                                   -- 资源名称
      provider_department_id  integer NOT NULL REFERENCES departments (id),    -- 资源提供方
      catalogue_kind          text NOT NULL CHECK (catalogue_kind IN ('base', 'theme', 'department')), -- 基础/主题/部门
      base_library            text CHECK (base_library IN ('population', 'legal_person', 'geospatial', 'credit', 'licence')), -- 五大基础库
      classification          text NOT NULL,                                   -- 资源分类, e.g. '社会保障/参保登记'
      abstract                text NOT NULL,                                   -- 资源摘要
      format                  text NOT NULL CHECK (format IN ('table', 'file', 'api')), -- 资源格式: 数据库表/电子文件/接口
      items                   jsonb NOT NULL,                                  -- 信息项: [{key,name,type,personal,mask,required}]
      key_item                text NOT NULL,                                   -- the item that identifies a record (身份证号、统一社会信用代码…)
      share_type              text NOT NULL CHECK (share_type IN ('unconditional', 'conditional', 'none')), -- 共享类型
      share_conditions        text NOT NULL DEFAULT '',                        -- 共享条件 (required for conditional / none: the reason)
      share_method            text NOT NULL DEFAULT 'api' CHECK (share_method IN ('api', 'batch', 'both')), -- 共享方式
      open_type               text NOT NULL CHECK (open_type IN ('open', 'conditional', 'closed')), -- 开放类型
      update_cycle            text NOT NULL CHECK (update_cycle IN ('realtime', 'daily', 'weekly', 'monthly', 'quarterly', 'yearly', 'irregular')), -- 更新周期
      grade                   text NOT NULL CHECK (grade IN ('core', 'important', 'general')), -- 数据分级 核心/重要/一般
      related_codes           text[] NOT NULL DEFAULT '{}',                    -- 关联资源代码
      status                  text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published', 'retired')),
      published_at            timestamptz,                                     -- 发布日期
      meta_version            integer NOT NULL DEFAULT 1,                      -- version of this catalogue entry
      data_version            integer NOT NULL DEFAULT 0,                      -- the data version in force (0: no data yet)
      record_count            bigint NOT NULL DEFAULT 0,                       -- records in force
      search_text             text NOT NULL DEFAULT '',                        -- segmented words for Chinese search
      created_by              uuid REFERENCES accounts (id),
      created_at              timestamptz NOT NULL DEFAULT now(),
      updated_at              timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX data_resources_provider ON data_resources (provider_department_id);

    -- every meta version of a catalogue entry, as it was
    CREATE TABLE data_resource_versions (
      resource_id  integer NOT NULL REFERENCES data_resources (id),
      version      integer NOT NULL,
      snapshot     jsonb NOT NULL,
      note         text NOT NULL DEFAULT '',
      changed_by   uuid REFERENCES accounts (id),
      changed_at   timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (resource_id, version)
    );

    -- a load of records (数据装载): a file to validate and apply, or a rollback; once applied it is data version N
    CREATE TABLE data_loads (
      id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      resource_id      integer NOT NULL REFERENCES data_resources (id),
      version          integer,                      -- the data version it became (set when applied)
      mode             text NOT NULL CHECK (mode IN ('full', 'upsert', 'delete', 'rollback')), -- 全量替换/增量更新/删除/回滚
      status           text NOT NULL CHECK (status IN ('pending', 'loading', 'applied', 'failed')),
      rollback_to      integer,                      -- mode = 'rollback': the version restored
      file_name        text NOT NULL DEFAULT '',
      file_key         text,                         -- the uploaded file in blob storage
      file_bytes       bigint NOT NULL DEFAULT 0,
      format           text CHECK (format IN ('csv', 'xlsx', 'json')),
      bytes_read       bigint NOT NULL DEFAULT 0,    -- progress
      rows_read        integer NOT NULL DEFAULT 0,
      rows_bad         integer NOT NULL DEFAULT 0,
      rows_upserted    integer NOT NULL DEFAULT 0,
      rows_deleted     integer NOT NULL DEFAULT 0,
      error_report_key text,                         -- CSV of the bad rows (blob storage)
      message          text,                         -- why it failed, in Chinese
      created_by       uuid REFERENCES accounts (id),
      created_at       timestamptz NOT NULL DEFAULT now(),
      started_at       timestamptz,
      finished_at      timestamptz,
      heartbeat_at     timestamptz,
      UNIQUE (resource_id, version)
    );
    CREATE INDEX data_loads_resource ON data_loads (resource_id, id DESC);
    CREATE INDEX data_loads_pending ON data_loads (id) WHERE status IN ('pending', 'loading');

    -- records by version: a row is in force at version V when added_in <= V and (removed_in IS NULL OR removed_in > V)
    CREATE TABLE data_records (
      resource_id  integer NOT NULL,
      record_key   text NOT NULL,
      data         jsonb NOT NULL,
      added_in     integer NOT NULL,
      removed_in   integer
    );
    -- the one index: records in force by key (history — rollback, change events — is read per resource, rarely;
    -- a second index would halve the load rate)
    CREATE UNIQUE INDEX data_records_current ON data_records (resource_id, record_key) WHERE removed_in IS NULL;

    -- 共享申请: a consuming department asks for items of a resource, for a purpose and a scenario
    CREATE TABLE share_requests (
      id                      integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      resource_id             integer NOT NULL REFERENCES data_resources (id),
      consumer_department_id  integer NOT NULL REFERENCES departments (id),
      client_id               text REFERENCES api_clients (client_id),        -- the consuming system, if a machine client
      items                   text[] NOT NULL,                                -- requested data items
      clear_items             text[] NOT NULL DEFAULT '{}',                   -- personal items asked for unmasked (must be justified)
      row_filter              jsonb NOT NULL DEFAULT '{}',                    -- {item: [values]}: only these records
      purpose                 text NOT NULL,                                  -- 用途
      legal_basis             text NOT NULL,                                  -- 依据
      scenario                text NOT NULL,                                  -- 应用场景
      item_code               varchar(36),                                    -- the service item it serves, if any
      duration_days           integer NOT NULL CHECK (duration_days BETWEEN 1 AND 1830),
      rate_per_minute         integer NOT NULL DEFAULT 600 CHECK (rate_per_minute BETWEEN 1 AND 1000000),
      status                  text NOT NULL CHECK (status IN ('pending', 'granted', 'refused', 'withdrawn')),
      due_at                  timestamptz,                                    -- the provider must answer by (working days, configured)
      escalated_at            timestamptz,                                    -- overdue: escalated to the platform
      decided_by              uuid REFERENCES accounts (id),
      decided_at              timestamptz,
      reason                  text,                                           -- refusal reason / approval note
      grant_id                integer,
      created_by              uuid REFERENCES accounts (id),
      created_at              timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX share_requests_resource ON share_requests (resource_id, status);
    CREATE INDEX share_requests_consumer ON share_requests (consumer_department_id, id DESC);
    CREATE INDEX share_requests_due ON share_requests (due_at) WHERE status = 'pending' AND escalated_at IS NULL;

    -- 共享授权: default-deny and exact — consumer, items, rows, purpose, expiry, rate
    CREATE TABLE share_grants (
      id                      integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      request_id              integer REFERENCES share_requests (id),
      resource_id             integer NOT NULL REFERENCES data_resources (id),
      consumer_department_id  integer NOT NULL REFERENCES departments (id),
      client_id               text REFERENCES api_clients (client_id),        -- NULL: the department's staff and the platform acting for it
      items                   text[] NOT NULL,
      clear_items             text[] NOT NULL DEFAULT '{}',                   -- personal items returned unmasked
      row_filter              jsonb NOT NULL DEFAULT '{}',
      purpose                 text NOT NULL,
      legal_basis             text NOT NULL,
      scenario                text NOT NULL,
      item_code               varchar(36),
      rate_per_minute         integer NOT NULL CHECK (rate_per_minute BETWEEN 1 AND 1000000),
      starts_at               timestamptz NOT NULL DEFAULT now(),
      expires_at              timestamptz NOT NULL,
      status                  text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'revoked')),
      revoked_at              timestamptz,
      revoked_by              uuid REFERENCES accounts (id),
      revoke_reason           text,
      revision                integer NOT NULL DEFAULT 1,                     -- bumped on every change (caches compare it)
      created_by              uuid REFERENCES accounts (id),
      created_at              timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX share_grants_consumer ON share_grants (consumer_department_id, resource_id) WHERE status = 'active';
    CREATE INDEX share_grants_resource ON share_grants (resource_id);

    -- whose data an access touched: seq of the audit event, and the subject's keyed hash (HMAC of 身份证号 / 信用代码)
    CREATE TABLE data_access_subjects (
      subject  text NOT NULL,
      seq      bigint NOT NULL,
      PRIMARY KEY (subject, seq)
    );

    -- keys the platform generates once for itself, shared by every server (e.g. the HMAC key of access subjects)
    CREATE TABLE platform_keys (
      name        text PRIMARY KEY,
      secret      text NOT NULL,
      created_at  timestamptz NOT NULL DEFAULT now()
    );
    INSERT INTO platform_keys (name, secret) VALUES ('access_subject', replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', ''));

    -- 变更订阅: a consumer receives each change of the records it may read, as signed webhooks
    CREATE TABLE data_subscriptions (
      id              integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      grant_id        integer NOT NULL REFERENCES share_grants (id),
      resource_id     integer NOT NULL REFERENCES data_resources (id),
      url             text NOT NULL,
      secret          text NOT NULL,                 -- HMAC-SHA-256 key for the signature header (shown once)
      status          text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'cancelled')),
      cursor_event    bigint NOT NULL DEFAULT 0,     -- last change event delivered (in order)
      attempts        integer NOT NULL DEFAULT 0,    -- failed attempts of the next event
      next_attempt_at timestamptz NOT NULL DEFAULT now(),
      last_error      text,
      lease_until     timestamptz,                   -- a server delivering it holds it until then
      created_by      uuid REFERENCES accounts (id),
      created_at      timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX data_subscriptions_resource ON data_subscriptions (resource_id) WHERE status = 'active';

    -- record changes, written with the load that made them, only while the resource has active subscriptions
    CREATE TABLE data_change_events (
      id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      resource_id  integer NOT NULL,
      version      integer NOT NULL,
      record_key   text NOT NULL,
      op           text NOT NULL CHECK (op IN ('upsert', 'delete')),
      at           timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX data_change_events_resource ON data_change_events (resource_id, id);

    -- 免提交: a form field or a material of an implementation item sourced from a shared resource
    CREATE TABLE item_data_sources (
      id           integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      item_code    varchar(36) NOT NULL,                                      -- implementation item (实施清单编码)
      target       text NOT NULL CHECK (target IN ('field', 'material')),
      target_key   text NOT NULL,                                             -- form field key, or material slot key
      resource_id  integer NOT NULL REFERENCES data_resources (id),
      subject      text NOT NULL CHECK (subject IN ('person', 'enterprise')), -- looked up by the applicant's 身份证号 or 信用代码
      data_item    text,                                                      -- field: the resource's item that fills it
      label        text NOT NULL DEFAULT '',                                  -- shown on the consent, e.g. '户籍信息'
      UNIQUE (item_code, target, target_key)
    );
    `,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await runScript(
    db,
    `DROP TABLE item_data_sources, data_change_events, data_subscriptions, data_access_subjects, share_grants,
       share_requests, data_records, platform_keys, data_loads, data_resource_versions, data_resources;`,
  );
}
