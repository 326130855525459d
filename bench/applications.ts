/**
 * What the application scenarios need before their load (PostgreSQL only — their targets are PostgreSQL's):
 *
 * - `submit`: an item with an online form whose sample data passes the form's own validation, the demo persons
 *   signed in (cookie + CSRF token), and a body per request with a fresh idempotency key. The scenario measures
 *   the submission itself (form check, number, application, first timeline entry, notification, audit row —
 *   one durable transaction): the chosen item's materials are made optional in the benchmark database, so that
 *   no files are needed ("without attachments").
 * - `staff-inbox`: 1,000,000 applications in the database (written once with generate_series, ~10% open, a
 *   tenth of them in the demo clerk's department), and the demo window clerk XH0001 signed in; requests rotate
 *   over the inbox with its filters.
 */
import pg from 'pg';
import { randomUUID } from 'node:crypto';
import { DEMO_PASSWORD, DEMO_PERSONS } from '../src/seed/accounts.seed.ts';
import type { FieldDef, FormDefinition } from '../src/modules/forms/form.types.ts';
import { validateFormData } from '../src/modules/forms/validate-form-data.ts';
import { residentIdCheckChar } from '../src/shared/codes/resident-id.ts';

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
    case 'textarea':
      return f.pattern ? undefined : `测试内容${n}`.slice(0, f.maxLength ?? 200);
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
      return '91330106MA2CFTKX3A';
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
    const chosen = rows.map((r) => ({ ...r, data: sampleForm(r.form) })).find((r) => validateFormData(r.form, r.data).errors.length === 0);
    if (!chosen) throw new Error('no demo item with an online form whose sample data validates');
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
      // the items of the demo clerk's department (杭州市西湖区市场监督管理局) get a tenth of the rows
      await client.query(
        `WITH items AS (
           SELECT i.code, v.id AS version_id, v.name, i.department_id, i.region_code, row_number() OVER (ORDER BY i.code) - 1 AS k, count(*) OVER () AS total
             FROM impl_items i JOIN impl_item_versions v ON v.item_code = i.code AND v.version = i.published_version),
         mine AS (
           SELECT i.*, row_number() OVER (ORDER BY i.code) - 1 AS k2, count(*) OVER () AS total2
             FROM items i JOIN accounts a ON a.department_id = i.department_id AND a.staff_no = 'XH0001'),
         person AS (SELECT id, name, id_number FROM accounts WHERE kind = 'person' ORDER BY id LIMIT 1)
         INSERT INTO applications (number, item_code, item_version_id, item_name, department_id, region_code, workflow_key, workflow_version,
                                   state, submitted_by, subject_type, subject_id, subject_name, subject_id_number, idempotency_key, form_data,
                                   submitted_at, accepted_at, legal_days, promised_days, clock_state, clock_phase, clock_started_on,
                                   state_due_on, promised_due_on, deadline_status, decision, closed_at, updated_at)
         SELECT 'B' || lpad(g::text, 7, '0') || '-' || substr(md5(random()::text), 1, 8),
                it.code, it.version_id, it.name, it.department_id, it.region_code, 'licensing', 1,
                CASE WHEN g % 10 <> 0 THEN 'delivered' ELSE (ARRAY['submitted', 'review', 'decision', 'supplement'])[1 + (g / 10) % 4] END,
                p.id, 'person', p.id, p.name, coalesce(p.id_number, ''), 'bench-fill-' || g, '{}',
                now() - ((g % 365) || ' days')::interval, now() - ((g % 365) || ' days')::interval, 20, 10,
                CASE WHEN g % 10 <> 0 THEN 'stopped' WHEN (g / 10) % 4 = 3 THEN 'paused' ELSE 'running' END,
                CASE WHEN g % 10 <> 0 THEN 'done' WHEN (g / 10) % 4 = 0 THEN 'acceptance' ELSE 'decision' END,
                current_date - (g % 365),
                current_date + ((g / 10) % 40 - 8), current_date + ((g / 10) % 40 - 8),
                CASE WHEN g % 10 <> 0 THEN 'normal' WHEN (g / 10) % 40 < 8 THEN 'overdue' WHEN (g / 10) % 40 < 11 THEN 'due_soon' ELSE 'normal' END,
                CASE WHEN g % 10 <> 0 THEN 'approved' END,
                CASE WHEN g % 10 <> 0 THEN now() - ((g % 300) || ' days')::interval END,
                now()
           FROM generate_series(1, $1::int) AS g
           CROSS JOIN person p
           JOIN LATERAL (
             SELECT * FROM (
               SELECT code, version_id, name, department_id, region_code FROM mine WHERE g % 10 = 5 AND k2 = g % total2
               UNION ALL
               SELECT code, version_id, name, department_id, region_code FROM items WHERE g % 10 <> 5 AND k = g % total
             ) x LIMIT 1
           ) it ON true`,
        [missing],
      );
      await client.query('ANALYZE applications');
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
