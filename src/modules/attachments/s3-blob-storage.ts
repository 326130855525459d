/**
 * S3-compatible object storage (Amazon S3, MinIO, Aliyun OSS in S3 mode, …) through a small AWS Signature
 * Version 4 client over fetch: PUT, GET and DELETE of one object, path-style (`endpoint/bucket/key`) or
 * virtual-hosted (`bucket.endpoint/key`) addressing, the payload's SHA-256 in `x-amz-content-sha256` (the store
 * checks the upload against it). No SDK: three requests do not need one.
 */
import { createHash, createHmac } from 'node:crypto';
import type { StorageConfig } from '../../config.ts';
import type { BlobStorage } from './blob-storage.ts';

export type S3Config = NonNullable<StorageConfig['s3']>;

const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

const sha256Hex = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');
const hmac = (key: Buffer | string, data: string) => createHmac('sha256', key).update(data).digest();

/** RFC 3986 percent-encoding, as Signature V4 wants it (everything but A–Z a–z 0–9 - . _ ~). */
export function encodeRfc3986(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

export interface SignV4Input {
  method: string;
  url: URL; // path already encoded once, as it is sent
  headers: Record<string, string>; // names in lower case; `host` is taken from the URL (fetch sends it)
  payloadHash: string; // hex SHA-256 of the body, or 'UNSIGNED-PAYLOAD'
  region: string;
  service: string; // 's3'
  accessKeyId: string;
  secretAccessKey: string;
  now: Date;
}

/** `20130524T000000Z` */
export function amzDate(d: Date): string {
  return d.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

/**
 * Signs a request (AWS Signature Version 4, header form): returns the headers to send — the given ones plus
 * `x-amz-date`, `x-amz-content-sha256` and `authorization` (not `host`, which fetch sets from the URL).
 */
export function signV4(input: SignV4Input): Record<string, string> {
  const date = amzDate(input.now);
  const day = date.slice(0, 8);
  const headers: Record<string, string> = { ...input.headers, 'x-amz-date': date, 'x-amz-content-sha256': input.payloadHash };
  const toSign: Record<string, string> = { ...headers, host: input.url.host };
  const names = Object.keys(toSign)
    .map((n) => n.toLowerCase())
    .sort();
  const canonicalHeaders = names.map((n) => `${n}:${String(toSign[n]).trim().replace(/\s+/g, ' ')}\n`).join('');
  const signedHeaders = names.join(';');
  const query = [...input.url.searchParams.entries()]
    .map(([k, v]) => [encodeRfc3986(k), encodeRfc3986(v)] as const)
    .sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  const canonicalRequest = [input.method, input.url.pathname || '/', query, canonicalHeaders, signedHeaders, input.payloadHash].join('\n');
  const scope = `${day}/${input.region}/${input.service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', date, scope, sha256Hex(canonicalRequest)].join('\n');
  const key = hmac(hmac(hmac(hmac(`AWS4${input.secretAccessKey}`, day), input.region), input.service), 'aws4_request');
  const signature = createHmac('sha256', key).update(stringToSign).digest('hex');
  headers.authorization = `AWS4-HMAC-SHA256 Credential=${input.accessKeyId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
  return headers;
}

export class S3BlobStorage implements BlobStorage {
  readonly kind = 's3' as const;
  private readonly endpoint: URL;
  private readonly timeoutMs: number;

  constructor(
    private readonly config: S3Config,
    opts: { timeoutMs?: number } = {},
  ) {
    this.endpoint = new URL(config.endpoint);
    if (this.endpoint.protocol !== 'http:' && this.endpoint.protocol !== 'https:') throw new Error(`S3_ENDPOINT 必须是 http(s) 地址：${config.endpoint}`);
    this.timeoutMs = opts.timeoutMs ?? 60_000;
  }

  /** The object's URL; keys are the platform's own (`attachments/2026/12/<uuid>`), checked anyway. */
  objectUrl(key: string): URL {
    if (!/^[A-Za-z0-9][A-Za-z0-9/_.-]*$/.test(key) || key.split('/').some((s) => s === '' || s === '.' || s === '..')) {
      throw new Error(`invalid storage key: ${key}`);
    }
    const base = this.endpoint.pathname.replace(/\/+$/, '');
    const path = key.split('/').map(encodeRfc3986).join('/');
    const url = new URL(this.endpoint.origin);
    if (this.config.forcePathStyle) {
      url.pathname = `${base}/${encodeRfc3986(this.config.bucket)}/${path}`;
    } else {
      url.hostname = `${this.config.bucket}.${this.endpoint.hostname}`;
      url.pathname = `${base}/${path}`;
    }
    return url;
  }

  private async send(method: 'PUT' | 'GET' | 'DELETE', key: string, body?: Buffer, contentType?: string): Promise<Response> {
    const url = this.objectUrl(key);
    const payloadHash = body ? sha256Hex(body) : EMPTY_SHA256;
    const headers = signV4({
      method,
      url,
      headers: contentType ? { 'content-type': contentType } : {},
      payloadHash,
      region: this.config.region,
      service: 's3',
      accessKeyId: this.config.accessKeyId,
      secretAccessKey: this.config.secretAccessKey,
      now: new Date(),
    });
    return fetch(url, {
      method,
      headers,
      ...(body ? { body: new Uint8Array(body) } : {}),
      redirect: 'error', // never resend a signed request elsewhere
      signal: AbortSignal.timeout(this.timeoutMs),
    });
  }

  private async failure(res: Response, what: string): Promise<Error> {
    const text = await res.text().catch(() => '');
    const code = /<Code>([^<]{1,100})<\/Code>/.exec(text)?.[1];
    return Object.assign(new Error(`S3 ${what} 失败：HTTP ${res.status}${code ? ` ${code}` : ''}`), { statusCode: 500, s3Status: res.status, s3Code: code });
  }

  async put(key: string, bytes: Buffer, mediaType: string): Promise<void> {
    const res = await this.send('PUT', key, bytes, mediaType);
    if (!res.ok) throw await this.failure(res, `写入 ${key}`);
    await res.arrayBuffer().catch(() => undefined);
  }

  async get(key: string): Promise<Buffer> {
    const res = await this.send('GET', key);
    if (res.status === 404) {
      await res.arrayBuffer().catch(() => undefined);
      // the same code a missing local file has
      throw Object.assign(new Error(`S3 对象不存在：${key}`), { code: 'ENOENT' });
    }
    if (!res.ok) throw await this.failure(res, `读取 ${key}`);
    return Buffer.from(await res.arrayBuffer());
  }

  async delete(key: string): Promise<void> {
    const res = await this.send('DELETE', key);
    if (!res.ok && res.status !== 404) throw await this.failure(res, `删除 ${key}`);
    await res.arrayBuffer().catch(() => undefined);
  }
}
