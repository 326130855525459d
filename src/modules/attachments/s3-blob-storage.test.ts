import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readdirSync } from 'node:fs';
import type { TestApp } from '../../testing/test-app.ts';
import { FIXTURE_ITEMS, FIXTURE_REGIONS } from '../../testing/fixture-items.ts';
import { createTestPerson, signInForTest } from '../../testing/fixture-accounts.ts';
import { S3BlobStorage, signV4, type S3Config } from './s3-blob-storage.ts';
import { createBlobStorage } from './blob-storage.ts';
import { createTestAppWith } from './attachment-test-app.ts';
import { multipartBody, samplePdf, samplePng } from './sample-files.ts';

const ACCESS_KEY = 'YIWANGTESTKEY';
const SECRET = 'yiwang/test+secret';
const REGION = 'cn-hangzhou';
const BUCKET = 'yiwang-files';

const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

/**
 * A fake S3: path-style objects in memory. Every request must carry a well-formed Signature V4 Authorization
 * header for our key and region, signed over host, x-amz-content-sha256 and x-amz-date, whose signature checks
 * out with the secret (recomputed here from the request as received), and a payload hash that matches the body.
 */
class FakeS3 {
  readonly objects = new Map<string, { body: Buffer; contentType: string }>();
  readonly seen: { method: string; path: string; authorization: string }[] = [];
  private server!: Server;
  port = 0;

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks);
        const answer = this.handle(req, body);
        res.writeHead(answer.status, answer.headers ?? {});
        res.end(answer.body);
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private error(status: number, code: string) {
    return { status, headers: { 'content-type': 'application/xml' }, body: `<?xml version="1.0"?><Error><Code>${code}</Code><Message>fake</Message></Error>` };
  }

  private handle(req: IncomingMessage, body: Buffer): { status: number; headers?: Record<string, string>; body?: Buffer | string } {
    const method = req.method ?? '';
    const url = new URL(req.url ?? '/', `http://${req.headers.host}`);
    const authorization = String(req.headers.authorization ?? '');
    this.seen.push({ method, path: url.pathname, authorization });
    const m = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/s3\/aws4_request, SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})$/.exec(authorization);
    if (!m) return this.error(400, 'AuthorizationHeaderMalformed');
    const [, key, day, region, signedHeaders, signature] = m as unknown as [string, string, string, string, string, string];
    if (key !== ACCESS_KEY) return this.error(403, 'InvalidAccessKeyId');
    if (region !== REGION) return this.error(400, 'AuthorizationHeaderMalformed');
    const names = signedHeaders.split(';');
    for (const required of ['host', 'x-amz-content-sha256', 'x-amz-date']) if (!names.includes(required)) return this.error(403, 'AccessDenied');
    const amzDate = String(req.headers['x-amz-date'] ?? '');
    if (!amzDate.startsWith(day) || !/^\d{8}T\d{6}Z$/.test(amzDate)) return this.error(403, 'AccessDenied');
    if (req.headers['x-amz-content-sha256'] !== sha256(body)) return this.error(400, 'XAmzContentSHA256Mismatch');
    // the signature, recomputed independently of the client
    const canonical = [method, url.pathname, '', names.map((n) => `${n}:${String(req.headers[n] ?? '').trim()}\n`).join(''), signedHeaders, sha256(body)].join('\n');
    const toSign = ['AWS4-HMAC-SHA256', amzDate, `${day}/${region}/s3/aws4_request`, sha256(canonical)].join('\n');
    let k: Buffer = createHmac('sha256', `AWS4${SECRET}`).update(day).digest();
    for (const part of [region, 's3', 'aws4_request']) k = createHmac('sha256', k).update(part).digest();
    if (createHmac('sha256', k).update(toSign).digest('hex') !== signature) return this.error(403, 'SignatureDoesNotMatch');

    const prefix = `/${BUCKET}/`;
    if (!url.pathname.startsWith(prefix)) return this.error(404, 'NoSuchBucket');
    const objectKey = decodeURIComponent(url.pathname.slice(prefix.length));
    if (method === 'PUT') {
      this.objects.set(objectKey, { body, contentType: String(req.headers['content-type'] ?? '') });
      return { status: 200, headers: { etag: `"${createHash('md5').update(body).digest('hex')}"` } };
    }
    if (method === 'GET') {
      const o = this.objects.get(objectKey);
      return o ? { status: 200, headers: { 'content-type': o.contentType }, body: o.body } : this.error(404, 'NoSuchKey');
    }
    if (method === 'DELETE') {
      this.objects.delete(objectKey);
      return { status: 204 };
    }
    return this.error(405, 'MethodNotAllowed');
  }
}

const fake = new FakeS3();
const s3Config = (over: Partial<S3Config> = {}): S3Config => ({
  endpoint: `http://127.0.0.1:${fake.port}`,
  bucket: BUCKET,
  region: REGION,
  accessKeyId: ACCESS_KEY,
  secretAccessKey: SECRET,
  forcePathStyle: true,
  ...over,
});

let t: TestApp | undefined;
before(async () => {
  await fake.start();
});
after(async () => {
  await t?.close();
  await fake.stop();
});

test('Signature V4 matches the example in the Amazon S3 documentation (GET Object with a Range header)', () => {
  const headers = signV4({
    method: 'GET',
    url: new URL('https://examplebucket.s3.amazonaws.com/test.txt'),
    headers: { range: 'bytes=0-9' },
    payloadHash: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    region: 'us-east-1',
    service: 's3',
    accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
    secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    now: new Date('2013-05-24T00:00:00Z'),
  });
  assert.equal(
    headers.authorization,
    'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41',
  );
  assert.equal(headers['x-amz-date'], '20130524T000000Z');
});

test('objects go up, come back and are removed, signed and with the payload hash; a wrong secret is refused', async () => {
  const storage = createBlobStorage({ kind: 's3', dir: '/nonexistent', s3: s3Config() });
  assert.ok(storage instanceof S3BlobStorage);
  assert.equal(storage.kind, 's3');
  const bytes = await samplePng('s3');
  await storage.put('attachments/2026/12/one', bytes, 'image/png');
  assert.deepEqual(fake.objects.get('attachments/2026/12/one'), { body: bytes, contentType: 'image/png' });
  assert.deepEqual(await storage.get('attachments/2026/12/one'), bytes);
  const put = fake.seen.find((r) => r.method === 'PUT')!;
  assert.equal(put.path, `/${BUCKET}/attachments/2026/12/one`, 'path-style');
  assert.match(put.authorization, /SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date,/);

  await storage.delete('attachments/2026/12/one');
  assert.equal(fake.objects.has('attachments/2026/12/one'), false);
  await assert.rejects(storage.get('attachments/2026/12/one'), (e: NodeJS.ErrnoException) => e.code === 'ENOENT');
  await storage.delete('attachments/2026/12/one'); // already gone: not an error

  const wrong = new S3BlobStorage(s3Config({ secretAccessKey: 'not-the-secret' }));
  await assert.rejects(wrong.put('attachments/x', bytes, 'image/png'), /HTTP 403 SignatureDoesNotMatch/);
  assert.equal(fake.objects.has('attachments/x'), false);
  await assert.rejects(storage.put('../etc/passwd', bytes, 'image/png'), /invalid storage key/);
  await assert.rejects(storage.put('attachments/../x', bytes, 'image/png'), /invalid storage key/);
});

test('virtual-hosted addressing puts the bucket in the host name', () => {
  const s = new S3BlobStorage(s3Config({ endpoint: 'https://oss-cn-hangzhou.aliyuncs.com', forcePathStyle: false }));
  assert.equal(s.objectUrl('attachments/2026/12/abc').toString(), `https://${BUCKET}.oss-cn-hangzhou.aliyuncs.com/attachments/2026/12/abc`);
  const path = new S3BlobStorage(s3Config({ endpoint: 'http://minio.local:9000/base/' }));
  assert.equal(path.objectUrl('a/b').toString(), `http://minio.local:9000/base/${BUCKET}/a/b`);
});

test('through the app with config.storage = s3: an upload lands in the bucket and downloads from it', async () => {
  t = await createTestAppWith(FIXTURE_ITEMS, FIXTURE_REGIONS, (c) => ({ ...c, storage: { kind: 's3', dir: c.storage.dir, s3: s3Config() } }));
  assert.equal(t.ctx.storage.kind, 's3');
  const db = t.database.db;
  const p = await createTestPerson(db);
  const s = await signInForTest(t.app, { kind: 'person', identifier: p.mobile });
  // an item that can be applied for online (its version has a form), whose first material is slot m1
  const v = await db
    .selectFrom('impl_items as i')
    .innerJoin('impl_item_versions as v', (j) => j.onRef('v.item_code', '=', 'i.code').onRef('v.version', '=', 'i.published_version'))
    .select(['i.code', 'v.id'])
    .where('v.form', 'is not', null)
    .orderBy('i.code')
    .executeTakeFirstOrThrow();
  const it = { code: v.code };
  const draft = await db
    .insertInto('application_drafts')
    .values({ account_id: p.id, subject_type: 'person', subject_id: p.id, item_code: it.code, item_version_id: v.id, form_data: '{}', updated_at: new Date() })
    .returning('id')
    .executeTakeFirstOrThrow();

  const pdf = await samplePdf('stored on S3');
  const { payload, contentType } = multipartBody([
    { name: 'draftId', value: String(draft.id) },
    { name: 'slot', value: 'm1' },
    { name: 'file', file: { fileName: '申请书.pdf', contentType: 'application/pdf', data: pdf } },
  ]);
  const up = await t.app.inject({ method: 'POST', url: '/api/v1/attachments', headers: { ...s.headers, 'content-type': contentType }, payload });
  assert.equal(up.statusCode, 201, up.body);
  const id = up.json().id as string;
  const row = await db.selectFrom('attachments').select(['storage', 'storage_key', 'sha256']).where('id', '=', id).executeTakeFirstOrThrow();
  assert.equal(row.storage, 's3');
  assert.equal(row.sha256, sha256(pdf));
  assert.deepEqual(fake.objects.get(row.storage_key), { body: pdf, contentType: 'application/pdf' });
  assert.deepEqual(readdirSync(t.ctx.config.storage.dir), [], 'nothing on local disk');

  const dl = await t.app.inject({ method: 'GET', url: `/api/v1/attachments/${id}?inline=1`, headers: { cookie: s.cookie } });
  assert.equal(dl.statusCode, 200, dl.body);
  assert.deepEqual(dl.rawPayload, pdf);
  assert.equal(dl.headers['content-type'], 'application/pdf');

  const del = await t.app.inject({ method: 'DELETE', url: `/api/v1/attachments/${id}`, headers: s.headers });
  assert.equal(del.statusCode, 204);
  assert.equal(fake.objects.has(row.storage_key), false);
});
