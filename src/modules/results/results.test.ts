import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import { createTestApp, type TestApp } from '../../testing/test-app.ts';
import { FIXTURE_ITEMS, FIXTURE_REGIONS } from '../../testing/fixture-items.ts';
import { createTestPerson, createTestStaff, findDepartment, residentId, signInForTest, type TestSession } from '../../testing/fixture-accounts.ts';
import { creditCodeCheckChar } from '../../shared/codes/credit-code.ts';
import { AppError } from '../../shared/errors.ts';
import { verifyAuditChain } from '../audit/verify-audit-chain.ts';
import type { AuditActor } from '../audit/audit.types.ts';
import { issueResult } from './issue-result.ts';
import { getResultForApplication } from './get-result-for-application.ts';
import { maskIdNumber, maskPersonName } from './masking.ts';
import { newVerificationCode, normaliseVerificationCode, VERIFICATION_CODE_PATTERN } from './verification-code.ts';
import { validUntilFor } from './result-document.ts';
import { VERIFY_MISSES_PER_IP } from './verify-result.ts';
import type { IssueResultInput, ResultContent } from './results.types.ts';

let t: TestApp;
let item: { code: string; versionId: number; name: string; departmentId: number; departmentName: string; basicCode: string };
let otherDepartmentId: number;

before(async () => {
  t = await createTestApp(FIXTURE_ITEMS, FIXTURE_REGIONS);
  const row = await t.database.db
    .selectFrom('impl_items as i')
    .innerJoin('departments as d', 'd.id', 'i.department_id')
    .innerJoin('impl_item_versions as v', (j) => j.onRef('v.item_code', '=', 'i.code').on('v.status', '=', 'published'))
    .select(['i.code', 'i.basic_code', 'v.id as version_id', 'v.name', 'd.id as department_id', 'd.name as department_name', 'd.kind'])
    .where('i.region_code', '=', '330106')
    .orderBy('i.code')
    .executeTakeFirstOrThrow();
  item = { code: row.code, versionId: row.version_id, name: row.name, departmentId: row.department_id, departmentName: row.department_name, basicCode: row.basic_code };
  // the same kind of department in another county
  otherDepartmentId = (await findDepartment(t.database.db, { regionCode: '330122', kind: row.kind })).id;
});
after(async () => {
  await t?.close();
});

const STAFF_ACTOR: AuditActor = { type: 'staff', id: 'approver-test', ip: '127.0.0.1' };
const BASE = 'https://zwfw.example.gov.cn';

type Person = Awaited<ReturnType<typeof createTestPerson>> & { s: TestSession };
let seq = 700;
async function person(name: string): Promise<Person> {
  seq++;
  const p = await createTestPerson(t.database.db, { name, idNumber: residentId('330106', '19850621', seq) });
  return { ...p, s: await signInForTest(t.app, { kind: 'person', identifier: p.mobile }) };
}

let appSeq = 0;
async function insertApplication(o: { submittedBy: string; subjectType: 'person' | 'enterprise'; subjectId: string; subjectName: string; subjectIdNumber: string }) {
  appSeq++;
  const number = `330106-20260315-${String(appSeq).padStart(6, '0')}`;
  const row = await t.database.db
    .insertInto('applications')
    .values({
      number,
      item_code: item.code,
      item_version_id: item.versionId,
      item_name: item.name,
      department_id: item.departmentId,
      region_code: '330106',
      workflow_key: 'standard-licensing',
      workflow_version: 1,
      state: 'deciding',
      submitted_by: o.submittedBy,
      subject_type: o.subjectType,
      subject_id: o.subjectId,
      subject_name: o.subjectName,
      subject_id_number: o.subjectIdNumber,
      idempotency_key: `results-test-${appSeq}`,
      form_data: JSON.stringify({}),
      legal_days: 20,
      promised_days: 10,
      clock_started_on: '2026-03-02',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: Number(row.id), number };
}

function licenceInput(app: { id: number; number: string }, holder: { name: string; idNumber: string }, extra: Partial<IssueResultInput> = {}): IssueResultInput {
  return {
    applicationId: app.id,
    applicationNumber: app.number,
    itemName: item.name,
    kind: 'licence',
    title: '食品经营许可证',
    holderName: holder.name,
    holderIdNumber: holder.idNumber,
    departmentName: item.departmentName,
    regionCode: '330106',
    approved: true,
    validYears: 5,
    particulars: [
      { label: '经营场所', value: '浙江省杭州市西湖区文三路 100 号 1 幢 101 室' },
      { label: '主体业态', value: '餐饮服务经营者（小型餐馆）' },
    ],
    issuedOn: '2026-03-15',
    actor: STAFF_ACTOR,
    ...extra,
  };
}

const issue = (input: IssueResultInput, deps: { publicBaseUrl?: string } = { publicBaseUrl: BASE }) =>
  t.database.db.transaction().execute((trx) => issueResult(trx, { storage: t.ctx.storage, ...deps }, input));

async function rejects(p: Promise<unknown>, code: string, field?: string): Promise<void> {
  await assert.rejects(p, (err: unknown) => {
    assert.ok(err instanceof AppError, String(err));
    assert.equal(err.code, code);
    if (field) assert.equal(err.field, field);
    assert.match(err.message, /[\u4e00-\u9fff]/, 'a Chinese message');
    return true;
  });
}

const resultRows = (applicationId: number) => t.database.db.selectFrom('application_results').selectAll().where('application_id', '=', applicationId).execute();
const auditRows = (id: number) =>
  t.database.db.selectFrom('audit_events').selectAll().where('action', '=', 'application.result_issued').where('target_id', '=', String(id)).execute();

/** A form post with one file, as a browser sends it. */
function multipart(fields: Record<string, string>, file?: { name: string; bytes: Buffer }): { payload: Buffer; headers: Record<string, string> } {
  const boundary = '----yiwangResultsTest7MA4YWxkTrZu0gW';
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  if (file) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: application/pdf\r\n\r\n`), file.bytes, Buffer.from('\r\n'));
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

test('verification codes: 16 Crockford base32 characters in four groups, read back however they are typed', () => {
  const seen = new Set<string>();
  for (let i = 0; i < 200; i++) {
    const c = newVerificationCode();
    assert.match(c, VERIFICATION_CODE_PATTERN);
    assert.doesNotMatch(c, /[ILOU]/);
    seen.add(c);
  }
  assert.equal(seen.size, 200);
  assert.equal(normaliseVerificationCode('7kq2m9xd4hvb0rte'), '7KQ2-M9XD-4HVB-0RTE');
  assert.equal(normaliseVerificationCode(' 7KQ2 M9XD-4HVB-ORTE '), '7KQ2-M9XD-4HVB-0RTE', 'O reads as 0');
  assert.equal(normaliseVerificationCode('iL00-0000-0000-0000'), '1100-0000-0000-0000', 'I and L read as 1');
  assert.equal(normaliseVerificationCode('７ＫＱ２-M9XD-4HVB-0RTE'), '7KQ2-M9XD-4HVB-0RTE', 'full-width characters');
  assert.equal(normaliseVerificationCode('7KQ2-M9XD-4HVB-0RTU'), null, 'U is not in the alphabet');
  assert.equal(normaliseVerificationCode('7KQ2-M9XD-4HVB-0RT'), null);
  assert.equal(normaliseVerificationCode('7KQ2-M9XD-4HVB-0RTE0'), null);
  assert.equal(normaliseVerificationCode(''), null);
});

test('masking: names keep the first (and last) character, ID numbers the first six and last four', () => {
  assert.equal(maskPersonName('张三'), '张*');
  assert.equal(maskPersonName('李小华'), '李*华');
  assert.equal(maskPersonName('欧阳小明'), '欧**明');
  assert.equal(maskIdNumber('330106199003071234'), '330106********1234');
  assert.equal(maskIdNumber('33010619900307123X'), '330106********123X');
  assert.equal(validUntilFor('2026-03-15', 5), '2031-03-14');
  assert.equal(validUntilFor('2028-02-29', 1), '2029-02-28');
});

test('a licence: the PDF (CJK font subset embedded), the row, the audit event, and public verification with masked data', async () => {
  const applicant = await person('李小华');
  const app = await insertApplication({ submittedBy: applicant.id, subjectType: 'person', subjectId: applicant.id, subjectName: applicant.name, subjectIdNumber: applicant.idNumber });
  const issued = await issue(licenceInput(app, applicant));
  assert.match(issued.verificationCode, VERIFICATION_CODE_PATTERN);
  assert.equal(issued.documentNumber, `330106许〔2026〕${app.number}号`);

  const [row, ...more] = await resultRows(app.id);
  assert.ok(row);
  assert.equal(more.length, 0);
  assert.equal(row.id, issued.id);
  assert.equal(row.kind, 'licence');
  assert.equal(row.verification_code, issued.verificationCode);
  assert.equal(row.valid_until, '2031-03-14');
  assert.equal(row.holder_name, '李小华');
  assert.equal(row.storage, 'local');
  assert.match(row.storage_key, /^results\/2026\/[0-9a-f-]{36}\.pdf$/);
  const content = row.content as unknown as ResultContent;
  assert.equal(content.verifyUrl, `${BASE}/verify?code=${issued.verificationCode}`);
  assert.equal(content.holderType, 'person');
  assert.deepEqual(
    content.particulars.map((p) => p.label),
    ['经营场所', '主体业态'],
  );
  assert.match(content.decisionText, /准予行政许可/);

  const pdf = await t.ctx.storage.get(row.storage_key);
  assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-');
  assert.equal(createHash('sha256').update(pdf).digest('hex'), row.sha256);
  const text = pdf.toString('latin1');
  assert.match(text, /\/FontFile2 /, 'the font is embedded');
  assert.match(text, /\/BaseFont \/[A-Z]{6}\+NotoSansSC-Regular/, 'as a subset');
  assert.doesNotMatch(text, /\/Helvetica/, 'no standard font');
  assert.ok(pdf.length < 200_000, `a subset keeps the file small (${pdf.length} bytes; the font alone is 10 MB)`);

  const audit = await auditRows(issued.id);
  assert.equal(audit.length, 1);
  assert.equal(audit[0]!.actor_id, 'approver-test');
  assert.equal(audit[0]!.target_type, 'application_result');
  const details = audit[0]!.details as Record<string, unknown>;
  assert.equal(details.documentNumber, issued.documentNumber);
  assert.equal(details.sha256, row.sha256);
  assert.equal(details.applicationId, app.id);
  assert.equal((await verifyAuditChain(t.database.db)).ok, true);

  const summary = await getResultForApplication(t.database.db, app.id);
  assert.equal(summary?.id, issued.id);
  assert.equal(summary?.downloadUrl, `/api/v1/results/${issued.id}/pdf`);
  assert.equal(summary?.approved, true);
  assert.equal(await getResultForApplication(t.database.db, app.id + 100000), null);

  // the code as people type it: lower case, without hyphens, O for 0, l for 1
  const typed = [issued.verificationCode.toLowerCase().replace(/-/g, ''), issued.verificationCode.replace(/0/g, 'O').replace(/1/g, 'l').toLowerCase()];
  for (const code of typed) {
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/results/verify/${encodeURIComponent(code)}` });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.headers['cache-control'], 'no-store');
    const v = res.json();
    assert.equal(v.valid, true);
    assert.equal(v.status, 'valid');
    assert.equal(v.revoked, false);
    assert.equal(v.title, '食品经营许可证');
    assert.equal(v.documentNumber, issued.documentNumber);
    assert.equal(v.itemName, item.name);
    assert.equal(v.departmentName, item.departmentName);
    assert.equal(v.holderName, '李*华');
    assert.equal(v.holderIdNumber, `330106********${applicant.idNumber.slice(-4)}`);
    assert.equal(v.issuedOn, '2026-03-15');
    assert.equal(v.validUntil, '2031-03-14');
    assert.equal(v.sha256, row.sha256);
    assert.equal(v.verificationCode, issued.verificationCode);
    assert.ok(!res.body.includes(applicant.idNumber) && !res.body.includes('李小华'), 'no unmasked personal data');
  }

  const page = await t.app.inject({ method: 'GET', url: `/verify?code=${issued.verificationCode.toLowerCase()}` });
  assert.equal(page.statusCode, 200);
  assert.equal(page.headers['cache-control'], 'no-store');
  assert.match(page.body, /<h1>办理结果核验<\/h1>/);
  assert.match(page.body, /status-tag success">有效</);
  assert.ok(page.body.includes(issued.documentNumber));
  assert.ok(page.body.includes('李*华'));
  assert.ok(!page.body.includes('李小华') && !page.body.includes(applicant.idNumber));
  assert.match(page.body, /<label for="f-code">核验码/);
  assert.match(page.body, /<label for="f-file">PDF 文件/);
});

test('a refusal: a decision with reasons, legal basis and the right to reconsideration or suit; an enterprise holder', async () => {
  const rep = await person('赵大明');
  const creditFirst17 = '91330106MA2H00701';
  const creditCode = creditFirst17 + creditCodeCheckChar(creditFirst17);
  const app = await insertApplication({ submittedBy: rep.id, subjectType: 'enterprise', subjectId: '00000000-0000-4000-8000-000000000701', subjectName: '杭州西湖小吃有限公司', subjectIdNumber: creditCode });
  const base = {
    ...licenceInput(app, { name: '杭州西湖小吃有限公司', idNumber: creditCode }),
    kind: 'decision' as const,
    title: '不予行政许可决定书',
    approved: false,
    validYears: undefined,
    reasons: '经营场所与公共厕所的距离不足 25 米，不符合食品安全要求。',
    legalBasis: '《中华人民共和国食品安全法》第三十三条',
  };
  // a refusal must give reasons and legal basis, and is a decision: nothing is written otherwise
  await rejects(issue({ ...base, reasons: '  ' }), 'INVALID_PARAMETER', 'reasons');
  await rejects(issue({ ...base, legalBasis: undefined }), 'INVALID_PARAMETER', 'legalBasis');
  await rejects(issue({ ...base, kind: 'licence' }), 'INVALID_PARAMETER', 'kind');
  await rejects(issue({ ...base, validYears: 3 }), 'INVALID_PARAMETER', 'validYears');
  assert.equal((await resultRows(app.id)).length, 0);

  const issued = await issue(base);
  assert.equal(issued.documentNumber, `330106不许〔2026〕${app.number}号`);
  const [row] = await resultRows(app.id);
  assert.ok(row);
  assert.equal(row.kind, 'decision');
  assert.equal(row.valid_until, null);
  const c = row.content as unknown as ResultContent;
  assert.equal(c.approved, false);
  assert.equal(c.holderType, 'enterprise');
  assert.match(c.decisionText, /你单位提出的.+因经营场所与公共厕所的距离不足 25 米，不符合食品安全要求，不符合法定条件、标准。依据《中华人民共和国食品安全法》第三十三条的规定，决定不予行政许可。/);
  assert.match(c.rightsNotice ?? '', /依法申请行政复议或者提起行政诉讼/);
  const pdf = await t.ctx.storage.get(row.storage_key);
  assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-');
  assert.match(pdf.toString('latin1'), /\/BaseFont \/[A-Z]{6}\+NotoSansSC-Regular/);
  assert.equal((await auditRows(issued.id)).length, 1);

  const v = (await t.app.inject({ method: 'GET', url: `/api/v1/results/verify/${issued.verificationCode}` })).json();
  assert.equal(v.valid, true, 'a genuine decision in force');
  assert.equal(v.kind, 'decision');
  assert.equal(v.validUntil, null);
  assert.equal(v.holderName, '杭州西湖小吃有限公司', 'an enterprise’s name is public');
  assert.equal(v.holderIdNumber, `${creditCode.slice(0, 6)}********${creditCode.slice(-4)}`);

  // one result per application, however often the workflow asks
  await rejects(issue(base), 'CONFLICT', 'applicationId');
  assert.equal((await resultRows(app.id)).length, 1);
  assert.equal((await auditRows(issued.id)).length, 1);
});

test('two decisions at once on one application: one result, the other a conflict, and its file removed', async () => {
  const a = await person('蒋小满');
  const app = await insertApplication({ submittedBy: a.id, subjectType: 'person', subjectId: a.id, subjectName: a.name, subjectIdNumber: a.idNumber });
  const dir = join(t.ctx.config.storage.dir, 'results', '2026');
  const filesBefore = existsSync(dir) ? readdirSync(dir).length : 0;
  const outcomes = await Promise.allSettled([issue(licenceInput(app, a)), issue(licenceInput(app, a))]);
  const won = outcomes.filter((o) => o.status === 'fulfilled');
  const lost = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
  assert.equal(won.length, 1);
  assert.equal(lost.length, 1);
  assert.ok(lost[0]!.reason instanceof AppError && lost[0]!.reason.code === 'CONFLICT', String(lost[0]!.reason));
  const rows = await resultRows(app.id);
  assert.equal(rows.length, 1);
  assert.equal((await auditRows(rows[0]!.id)).length, 1);
  assert.equal(readdirSync(dir).length, filesBefore + 1, 'only the issued document’s file is kept');
});

test('bad input names its field and writes nothing', async () => {
  const a = await person('钱多多');
  const app = await insertApplication({ submittedBy: a.id, subjectType: 'person', subjectId: a.id, subjectName: a.name, subjectIdNumber: a.idNumber });
  const ok = licenceInput(app, a);
  await rejects(issue({ ...ok, issuedOn: '2026-02-30' }), 'INVALID_PARAMETER', 'issuedOn');
  await rejects(issue({ ...ok, applicationNumber: '330106-20260315-999999' }), 'INVALID_PARAMETER', 'applicationNumber');
  await rejects(issue({ ...ok, applicationId: 987654321 }), 'NOT_FOUND', 'applicationId');
  await rejects(issue({ ...ok, title: '' }), 'INVALID_PARAMETER', 'title');
  await rejects(issue({ ...ok, validYears: 0 }), 'INVALID_PARAMETER', 'validYears');
  await rejects(issue({ ...ok, regionCode: '33010' }), 'INVALID_PARAMETER', 'regionCode');
  await rejects(issue({ ...ok, particulars: [{ label: '', value: 'x' }] }), 'INVALID_PARAMETER', 'particulars.0.label');
  assert.equal((await resultRows(app.id)).length, 0);
  // without a public address the QR code carries the path alone
  const issued = await issue(ok, {});
  const [row] = await resultRows(app.id);
  assert.equal((row!.content as unknown as ResultContent).verifyUrl, `/verify?code=${issued.verificationCode}`);
});

test('unknown and malformed codes: 404 with a Chinese message, 400 naming the field; the page says 未找到', async () => {
  const unknown = await t.app.inject({ method: 'GET', url: '/api/v1/results/verify/0000-0000-0000-0000' });
  assert.equal(unknown.statusCode, 404);
  assert.equal(unknown.json().error.code, 'NOT_FOUND');
  assert.match(unknown.json().error.message, /未找到/);
  const malformed = await t.app.inject({ method: 'GET', url: '/api/v1/results/verify/abc' });
  assert.equal(malformed.statusCode, 400);
  assert.equal(malformed.json().error.field, 'code');
  assert.match(malformed.json().error.message, /核验码格式不正确/);

  const form = await t.app.inject({ method: 'GET', url: '/verify' });
  assert.equal(form.statusCode, 200);
  assert.match(form.body, /<form[^>]+action="\/verify" method="get"/);
  assert.doesNotMatch(form.body, /核验结果/);
  const notFound = await t.app.inject({ method: 'GET', url: '/verify?code=0000000000000000' });
  assert.equal(notFound.statusCode, 404);
  assert.match(notFound.body, /status-tag denied">未找到</);
  const bad = await t.app.inject({ method: 'GET', url: '/verify?code=%3Cscript%3E' });
  assert.equal(bad.statusCode, 400);
  assert.match(bad.body, /class="error-summary"/);
  assert.match(bad.body, /aria-invalid="true"/);
  assert.ok(!bad.body.includes('<script>'), 'what was typed is escaped');
});

test('revoked and expired documents verify as such', async () => {
  const a = await person('孙小美');
  const app = await insertApplication({ submittedBy: a.id, subjectType: 'person', subjectId: a.id, subjectName: a.name, subjectIdNumber: a.idNumber });
  const issued = await issue(licenceInput(app, a, { issuedOn: '2019-06-03', validYears: 1 }));
  let v = (await t.app.inject({ method: 'GET', url: `/api/v1/results/verify/${issued.verificationCode}` })).json();
  assert.equal(v.status, 'expired');
  assert.equal(v.valid, false);
  assert.equal(v.validUntil, '2020-06-02');
  await t.database.db.updateTable('application_results').set({ revoked_at: new Date('2020-01-10T02:00:00Z') }).where('id', '=', issued.id).execute();
  v = (await t.app.inject({ method: 'GET', url: `/api/v1/results/verify/${issued.verificationCode}` })).json();
  assert.equal(v.status, 'revoked');
  assert.equal(v.revoked, true);
  assert.equal(v.valid, false);
  const page = await t.app.inject({ method: 'GET', url: `/verify?code=${issued.verificationCode}` });
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /status-tag denied">已撤销</);
  assert.match(page.body, /不再有效/);
});

test('download: the applicant, whoever may act for the applicant, and staff handling it in the department; 404 for everyone else', async () => {
  const applicant = await person('周一鸣');
  const stranger = await person('吴二宝');
  const app = await insertApplication({ submittedBy: applicant.id, subjectType: 'person', subjectId: applicant.id, subjectName: applicant.name, subjectIdNumber: applicant.idNumber });
  const issued = await issue(licenceInput(app, applicant));
  const [row] = await resultRows(app.id);
  const url = `/api/v1/results/${issued.id}/pdf`;
  const get = (s: TestSession | null, u = url) => t.app.inject({ method: 'GET', url: u, headers: s?.headers ?? {} });

  const own = await get(applicant.s);
  assert.equal(own.statusCode, 200, own.body);
  assert.equal(own.headers['content-type'], 'application/pdf');
  assert.match(String(own.headers['content-disposition']), /^attachment; filename="result-\d+\.pdf"; filename\*=UTF-8''/);
  assert.equal(own.headers['cache-control'], 'private, no-store');
  assert.equal(createHash('sha256').update(own.rawPayload).digest('hex'), row!.sha256);

  assert.equal((await get(null)).statusCode, 401);
  const other = await get(stranger.s);
  assert.equal(other.statusCode, 404);
  assert.equal(other.json().error.code, 'NOT_FOUND');
  const missing = await get(stranger.s, '/api/v1/results/999999999/pdf');
  assert.equal(missing.statusCode, 404);
  assert.equal(missing.json().error.message, other.json().error.message, 'the same answer whether it exists or not');
  assert.equal((await get(applicant.s, '/api/v1/results/abc/pdf')).statusCode, 400);

  await createTestStaff(t.database.db, { staffNo: 'RES-CLERK', departmentId: item.departmentId, roles: [{ role: 'window_clerk' }] });
  await createTestStaff(t.database.db, { staffNo: 'RES-ADMIN', departmentId: item.departmentId, roles: [{ role: 'department_admin' }] });
  await createTestStaff(t.database.db, { staffNo: 'RES-ELSEWHERE', departmentId: otherDepartmentId, roles: [{ role: 'approver' }] });
  await createTestStaff(t.database.db, { staffNo: 'RES-CITY', departmentId: otherDepartmentId, roles: [{ role: 'approver', departmentId: item.departmentId }] });
  const clerk = await signInForTest(t.app, { kind: 'staff', identifier: 'RES-CLERK' });
  const admin = await signInForTest(t.app, { kind: 'staff', identifier: 'RES-ADMIN' });
  const elsewhere = await signInForTest(t.app, { kind: 'staff', identifier: 'RES-ELSEWHERE' });
  const granted = await signInForTest(t.app, { kind: 'staff', identifier: 'RES-CITY' });
  assert.equal((await get(clerk)).statusCode, 200, 'a window clerk of the department');
  assert.equal((await get(granted)).statusCode, 200, 'a role held for the department');
  assert.equal((await get(admin)).statusCode, 404, 'a department administrator does not handle applications');
  assert.equal((await get(elsewhere)).statusCode, 404, 'another county');
});

test('download for an enterprise: its legal representative, and an agent only while acting for it (not a former submitter)', async () => {
  const rep = await person('郑大川');
  const agent = await person('王小二');
  const formerClerk = await person('冯小六');
  const creditFirst17 = '91330106MA2H00702';
  const creditCode = creditFirst17 + creditCodeCheckChar(creditFirst17);
  const reg = await t.app.inject({ method: 'POST', url: '/api/v1/me/enterprises', headers: rep.s.headers, payload: { creditCode, name: '杭州一网餐饮有限公司' } });
  assert.equal(reg.statusCode, 201, reg.body);
  const enterpriseId = reg.json().id as string;
  const validUntil = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
  const g = await t.app.inject({
    method: 'POST',
    url: `/api/v1/enterprises/${enterpriseId}/delegations`,
    headers: rep.s.headers,
    payload: { agentName: agent.name, agentIdNumber: agent.idNumber, validUntil },
  });
  assert.equal(g.statusCode, 201, g.body);

  // submitted by someone who has since left: the enterprise is the applicant
  const app = await insertApplication({ submittedBy: formerClerk.id, subjectType: 'enterprise', subjectId: enterpriseId, subjectName: '杭州一网餐饮有限公司', subjectIdNumber: creditCode });
  const issued = await issue(licenceInput(app, { name: '杭州一网餐饮有限公司', idNumber: creditCode }));
  const get = (s: TestSession) => t.app.inject({ method: 'GET', url: `/api/v1/results/${issued.id}/pdf`, headers: s.headers });

  assert.equal((await get(formerClerk.s)).statusCode, 404, 'the submitter, who no longer acts for the enterprise');
  assert.equal((await get(rep.s)).statusCode, 200, 'the legal representative');
  assert.equal((await get(agent.s)).statusCode, 404, 'not while acting for no one');
  const acting = await t.app.inject({ method: 'POST', url: '/api/v1/me/acting', headers: agent.s.headers, payload: { delegationId: g.json().id } });
  assert.equal(acting.statusCode, 200, acting.body);
  assert.equal((await get(agent.s)).statusCode, 200, 'acting for the enterprise');
  assert.equal((await t.app.inject({ method: 'DELETE', url: '/api/v1/me/acting', headers: agent.s.headers })).statusCode, 204);
  assert.equal((await get(agent.s)).statusCode, 404);
});

test('the page compares an uploaded file with the issued one (a changed copy does not pass)', async () => {
  const a = await person('陈小春');
  const app = await insertApplication({ submittedBy: a.id, subjectType: 'person', subjectId: a.id, subjectName: a.name, subjectIdNumber: a.idNumber });
  const issued = await issue(licenceInput(app, a));
  const [row] = await resultRows(app.id);
  const pdf = await t.ctx.storage.get(row!.storage_key);

  const same = multipart({ code: issued.verificationCode.toLowerCase() }, { name: 'licence.pdf', bytes: pdf });
  const ok = await t.app.inject({ method: 'POST', url: '/verify', ...same });
  assert.equal(ok.statusCode, 200, ok.body.slice(0, 500));
  assert.match(ok.body, /status-tag success">文件一致</);

  const forged = Buffer.from(pdf);
  const middle = Math.floor(forged.length / 2);
  forged[middle] = forged[middle]! ^ 1;
  const changed = await t.app.inject({ method: 'POST', url: '/verify', ...multipart({ code: issued.verificationCode }, { name: 'licence.pdf', bytes: forged }) });
  assert.equal(changed.statusCode, 200);
  assert.match(changed.body, /status-tag denied">文件不一致</);

  const noFile = await t.app.inject({ method: 'POST', url: '/verify', ...multipart({ code: issued.verificationCode }) });
  assert.equal(noFile.statusCode, 400);
  assert.match(noFile.body, /id="f-file-error"/);
  const notMultipart = await t.app.inject({ method: 'POST', url: '/verify', payload: `code=${issued.verificationCode}`, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  assert.equal(notMultipart.statusCode, 400);
  const crossSite = await t.app.inject({ method: 'POST', url: '/verify', ...same, headers: { ...same.headers, origin: 'https://evil.example' } });
  assert.equal(crossSite.statusCode, 403);
  const unknown = await t.app.inject({ method: 'POST', url: '/verify', ...multipart({ code: '0000-0000-0000-0000' }, { name: 'x.pdf', bytes: pdf }) });
  assert.equal(unknown.statusCode, 404);
  assert.match(unknown.body, /未找到/);
});

test('unknown codes are limited per IP: the 31st lookup within ten minutes is refused (429), other addresses are not', async () => {
  const a = await person('褚小北');
  const app = await insertApplication({ submittedBy: a.id, subjectType: 'person', subjectId: a.id, subjectName: a.name, subjectIdNumber: a.idNumber });
  const issued = await issue(licenceInput(app, a));
  const from = (ip: string, code: string) => t.app.inject({ method: 'GET', url: `/api/v1/results/verify/${code}`, remoteAddress: ip });
  for (let i = 0; i < 30; i++) {
    const res = await from('203.0.113.9', `ZZZZ-ZZZZ-ZZZZ-${String(i).padStart(4, '0')}`);
    assert.equal(res.statusCode, 404);
  }
  const locked = await from('203.0.113.9', issued.verificationCode);
  assert.equal(locked.statusCode, 429);
  assert.equal(locked.json().error.code, 'RATE_LIMITED');
  assert.match(locked.json().error.message, /核验次数过多/);
  assert.ok(Number(locked.headers['retry-after']) > 0);
  const page = await t.app.inject({ method: 'GET', url: `/verify?code=${issued.verificationCode}`, remoteAddress: '203.0.113.9' });
  assert.equal(page.statusCode, 429);
  assert.match(page.body, /核验次数过多/);
  assert.equal((await from('203.0.113.10', issued.verificationCode)).statusCode, 200);
  // found codes are not counted
  for (let i = 0; i < 35; i++) assert.equal((await from('203.0.113.11', issued.verificationCode)).statusCode, 200);
});

test('parallel unknown codes from one IP: no more than the limit are looked up, the rest 429; a real code waits for the window', async () => {
  const a = await person('卫小南');
  const app = await insertApplication({ submittedBy: a.id, subjectType: 'person', subjectId: a.id, subjectName: a.name, subjectIdNumber: a.idNumber });
  const issued = await issue(licenceInput(app, a));
  const ip = '203.0.113.20';
  const from = (remoteAddress: string, code: string) => t.app.inject({ method: 'GET', url: `/api/v1/results/verify/${code}`, remoteAddress });
  const n = VERIFY_MISSES_PER_IP.max * 2;
  const answers = await Promise.all(Array.from({ length: n }, (_, i) => from(ip, `YYYY-YYYY-YYYY-${String(i).padStart(4, '0')}`)));
  const statuses = answers.map((r) => r.statusCode);
  assert.equal(statuses.filter((s) => s === 404).length, VERIFY_MISSES_PER_IP.max, statuses.join(','));
  assert.equal(statuses.filter((s) => s === 429).length, n - VERIFY_MISSES_PER_IP.max, statuses.join(','));
  assert.match(answers.find((r) => r.statusCode === 429)!.json().error.message, /核验次数过多/);

  // a real code from that address is refused until the lock ends; elsewhere it verifies
  const locked = await from(ip, issued.verificationCode);
  assert.equal(locked.statusCode, 429);
  assert.ok(Number(locked.headers['retry-after']) > 0);
  assert.equal((await from('203.0.113.21', issued.verificationCode)).statusCode, 200);
  await sql`UPDATE auth_throttle SET locked_until = now() - interval '1 second', window_start = now() - interval '1 day' WHERE key = ${`verify-ip:${ip}`}`.execute(t.database.db);
  assert.equal((await from(ip, issued.verificationCode)).statusCode, 200);

  // found codes verified at once from one address are not counted
  const office = await Promise.all(Array.from({ length: n }, () => from('203.0.113.22', issued.verificationCode)));
  assert.ok(office.every((r) => r.statusCode === 200), office.map((r) => r.statusCode).join(','));
});
