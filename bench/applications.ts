/**
 * What the application scenarios need before their load (PostgreSQL only — their targets are PostgreSQL's):
 *
 * - `submit`: an item with an online form whose sample data passes the form's own validation, the demo persons
 *   signed in (cookie + CSRF token), and a body per request with a fresh idempotency key. The scenario measures
 *   the submission itself (form check, number, application, first timeline entry, notification, audit row —
 *   one durable transaction): the chosen item's materials are made optional in the benchmark database, so that
 *   no files are needed ("without attachments").
 * - `staff-inbox`: 1,000,000 applications in the database (written once with generate_series, ~10% open, a
 *   5,000 of the open ones and 50,000 closed ones in the demo clerk's department), and the demo window clerk XH0001 signed in; requests rotate
 *   over the inbox with its filters.
 */
import pg from 'pg';
import { randomUUID } from 'node:crypto';
import { DEMO_PASSWORD, DEMO_PERSONS } from '../src/seed/accounts.seed.ts';
import type { FieldDef, FormDefinition } from '../src/modules/forms/form.types.ts';
import { validateFormData } from '../src/modules/forms/validate-form-data.ts';
import { materialSlots, requiredSlots } from '../src/modules/forms/material-slots.ts';
import type { MaterialSource } from '../src/modules/catalogue/catalogue.types.ts';
import { residentIdCheckChar } from '../src/shared/codes/resident-id.ts';
import { creditCodeCheckChar } from '../src/shared/codes/credit-code.ts';

export interface Session {
  cookie: string;
  csrf: string;
}

export interface RequestSpecLike {
  method: 'GET' | 'POST';
  path: string;
  body?: string | (() => string);
  headers?: Record<string, string>;
}

export const INBOX_APPLICATIONS = 1_000_000;

async function signIn(base: string, body: Record<string, string>): Promise<Session> {
  const res = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...body, password: DEMO_PASSWORD }) });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`sign-in of ${body.identifier} failed: HTTP ${res.status} ${text.slice(0, 200)}`);
  const cookie = res.headers
    .getSetCookie()
    .map((h) => h.split(';')[0]!)
    .find((h) => h.startsWith('yw_session='));
  if (!cookie) throw new Error('no session cookie');
  return { cookie, csrf: (JSON.parse(text) as { csrfToken: string }).csrfToken };
}

/** A valid sample value for a field, or undefined to leave it empty. */
function sampleValue(f: FieldDef, n: number): unknown {
  const opt = f.options?.[0]?.value;
  switch (f.type) {
    case 'text':
    case 'textarea': {
      const candidates = ['王小明', `测试内容${n}`, '6222021202000123456', 'A12345678', '330106', '2026', 'ZJ2026001'];
      const re = f.pattern ? new RegExp(`^(?:${f.pattern})$`, 'u') : null;
      return candidates.find((c) => (!re || re.test(c)) && c.length <= (f.maxLength ?? 200));
    }
    case 'number': {
      const min = typeof f.min === 'number' ? f.min : 1;
      return String(Math.max(min, 1));
    }
    case 'date':
      return f.min === 'today' ? '2099-01-01' : '2020-01-02';
    case 'select':
      return opt;
    case 'multiselect':
      return opt ? [opt] : undefined;
    case 'resident_id': {
      const first17 = `33010619900307${String(100 + (n % 800)).padStart(3, '0')}`;
      return first17 + residentIdCheckChar(first17);
    }
    case 'credit_code':
      return `91330106MA2CFTKX3` + creditCodeCheckChar('91330106MA2CFTKX3');
    case 'phone':
      return '13800000000';
    case 'address':
      return { regionCode: '330106', detail: '文三路 1 号' };
    case 'table':
      return Array.from({ length: Math.max(1, f.minRows ?? 1) }, (_, i) => Object.fromEntries((f.columns ?? []).map((c) => [c.key, sampleValue(c, n + i)])));
    default:
      return undefined;
  }
}

function sampleForm(form: FormDefinition): Record<string, unknown> {
  const data: Record<string, unknown> = {};
  let n = 0;
  for (const s of form.steps) for (const f of s.fields) if (f.type !== 'attachment') data[f.key] = sampleValue(f, n++);
  return data;
}

const pool = (url: string) => new pg.Client({ connectionString: url });

/** The item and the sessions of the submit scenario; one request spec per session, each making a fresh key. */
export async function prepareSubmit(base: string, pgUrl: string): Promise<{ specs: RequestSpecLike[]; item: string }> {
  const client = pool(pgUrl);
  await client.connect();
  try {
    const { rows } = await client.query<{ code: string; version_id: number; form: FormDefinition; name: string }>(
      `SELECT i.code, v.id AS version_id, v.form, v.name
         FROM impl_items i JOIN impl_item_versions v ON v.item_code = i.code AND v.version = i.published_version
        WHERE v.form IS NOT NULL AND i.region_code = '330106' AND 'natural' = ANY(v.objects)
        ORDER BY i.popularity DESC, i.code`,
    );
    // an item whose sample data validates and, once its materials are optional, needs no conditional material either
    const candidates = rows.map((r) => ({ ...r, data: sampleForm(r.form) })).filter((r) => validateFormData(r.form, r.data).errors.length === 0);
    let chosen: (typeof candidates)[number] | undefined;
    for (const c of candidates) {
      const materials = await client.query<{ seq: number; name: string; required: boolean; condition: string | null; source: MaterialSource; issuer: string | null; notes: string | null }>(
        'SELECT seq, name, required, condition, source, issuer, notes FROM item_materials WHERE version_id = $1',
        [c.version_id],
      );
      const optional = materials.rows.map((m) => ({ ...m, required: false }));
      if (requiredSlots(materialSlots(optional, c.form), validateFormData(c.form, c.data).values).length === 0) {
        chosen = c;
        break;
      }
    }
    if (!chosen) throw new Error('no demo item with an online form whose sample data validates without conditional materials');
    await client.query('UPDATE item_materials SET required = false WHERE version_id = $1', [chosen.version_id]);
    const sessions = await Promise.all(DEMO_PERSONS.map((p) => signIn(base, { identifier: p.mobile })));
    const run = randomUUID().slice(0, 8);
    let counter = 0;
    const specs = sessions.map((s) => ({
      method: 'POST' as const,
      path: '/api/v1/applications',
      headers: { cookie: s.cookie, 'x-csrf-token': s.csrf, 'content-type': 'application/json' },
      body: () => JSON.stringify({ itemCode: chosen.code, formData: chosen.data, idempotencyKey: `bench-${run}-${counter++}` }),
    }));
    return { specs, item: `${chosen.name} (${chosen.code})` };
  } finally {
    await client.end();
  }
}

/** Fills the database up to 1,000,000 applications (once) and signs in the demo clerk. */
export async function prepareInbox(base: string, pgUrl: string, log: (s: string) => void): Promise<RequestSpecLike[]> {
  const client = pool(pgUrl);
  await client.connect();
  try {
    const { rows } = await client.query<{ n: string }>('SELECT count(*) AS n FROM applications');
    const missing = INBOX_APPLICATIONS - Number(rows[0]!.n);
    if (missing > 0) {
      const t0 = Date.now();
      log(`  writing ${missing} applications for the inbox scenario (once) …`);
      // the demo clerk's department (西湖区市场监督管理局) gets 5,000 open and 50,000 closed applications
      await client.query(
        `WITH items AS MATERIALIZED (
           SELECT i.code, v.id AS version_id, v.name, i.department_id, i.region_code, (row_number() OVER (ORDER BY i.code) - 1)::int AS k
             FROM impl_items i JOIN impl_item_versions v ON v.item_code = i.code AND v.version = i.published_version),
         mine AS MATERIALIZED (
           SELECT it.code, it.version_id, it.name, it.department_id, it.region_code, (row_number() OVER (ORDER BY it.code) - 1)::int AS k
             FROM items it JOIN accounts a ON a.department_id = it.department_id AND a.staff_no = 'XH0001'),
         n AS (SELECT (SELECT count(*) FROM items)::int AS all_items, (SELECT count(*) FROM mine)::int AS my_items),
         person AS (SELECT id, name, id_number FROM accounts WHERE kind = 'person' ORDER BY id LIMIT 1),
         rows AS (SELECT g, CASE WHEN g % 200 = 0 OR g % 20 = 5 THEN 'mine' ELSE 'all' END AS pool,
                         CASE WHEN g % 200 = 0 OR g % 20 = 5 THEN g % n.my_items ELSE g % n.all_items END AS k
                    FROM generate_series(1, $1::int) AS g CROSS JOIN n),
         picked AS (SELECT r.g, coalesce(m.code, a.code) AS code, coalesce(m.version_id, a.version_id) AS version_id, coalesce(m.name, a.name) AS name,
                           coalesce(m.department_id, a.department_id) AS department_id, coalesce(m.region_code, a.region_code) AS region_code
                      FROM rows r LEFT JOIN mine m ON r.pool = 'mine' AND m.k = r.k LEFT JOIN items a ON r.pool = 'all' AND a.k = r.k)
         INSERT INTO applications (number, item_code, item_version_id, item_name, department_id, region_code, workflow_key, workflow_version,
                                   state, submitted_by, subject_type, subject_id, subject_name, subject_id_number, idempotency_key, form_data,
                                   submitted_at, accepted_at, legal_days, promised_days, clock_state, clock_phase, clock_started_on,
                                   state_due_on, promised_due_on, deadline_status, escalated_at, decision, closed_at, updated_at)
         SELECT 'B' || lpad(g::text, 7, '0'),
                it.code, it.version_id, it.name, it.department_id, it.region_code, 'licensing', 1,
                CASE WHEN g % 10 <> 0 THEN 'delivered' ELSE (ARRAY['submitted', 'review', 'decision', 'supplement'])[1 + (g / 10) % 4] END,
                p.id, 'person', p.id, p.name, coalesce(p.id_number, ''), 'bench-fill-' || g, '{}',
                now() - ((g % 365) || ' days')::interval, now() - ((g % 365) || ' days')::interval, 20, 10,
                CASE WHEN g % 10 <> 0 THEN 'stopped' WHEN (g / 10) % 4 = 3 THEN 'paused' ELSE 'running' END,
                CASE WHEN g % 10 <> 0 THEN 'done' WHEN (g / 10) % 4 = 0 THEN 'acceptance' ELSE 'decision' END,
                current_date - (g % 365),
                current_date + ((g / 10) % 40 - 8), current_date + ((g / 10) % 40 - 8),
                CASE WHEN g % 10 <> 0 THEN 'normal' WHEN (g / 10) % 40 < 8 THEN 'overdue' WHEN (g / 10) % 40 < 11 THEN 'due_soon' ELSE 'normal' END,
                CASE WHEN g % 10 = 0 AND (g / 10) % 40 < 8 THEN now() - interval '1 day' END,
                CASE WHEN g % 10 <> 0 THEN 'approved' END,
                CASE WHEN g % 10 <> 0 THEN now() - ((g % 300) || ' days')::interval END,
                now()
           FROM picked it CROSS JOIN person p`,
        [missing],
      );
      await client.query('VACUUM ANALYZE applications'); // as autovacuum would: index-only scans need the visibility map
      log(`  … done in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
    }
  } finally {
    await client.end();
  }
  const clerk = await signIn(base, { kind: 'staff', identifier: 'XH0001' });
  const headers = { cookie: clerk.cookie };
  return ['', '?deadline=overdue', '?deadline=due_soon', '?state=submitted', '?limit=50', '?escalated=true'].map((q) => ({
    method: 'GET' as const,
    path: `/api/v1/staff/inbox${q}`,
    headers,
  }));
}
