/**
 * Reads a token request (RFC 6749 §4.4.2): form-encoded parameters, and the client's credentials from HTTP
 * Basic (§2.3.1: id and secret form-encoded, then base64) or from the body — one method, not both.
 */
import { OAuthError } from './oauth-error.ts';

export interface TokenRequest {
  grantType: 'client_credentials';
  clientId: string;
  clientSecret: string;
  /** space-separated scopes asked for; undefined = all of the client's */
  scope: string | undefined;
}

const MAX_PARAM = 1000;

/** C0 controls (NUL among them: PostgreSQL text cannot hold it), DEL and C1 controls: no client id or secret has one. */
const CONTROL = /\p{Cc}/u;

export const MALFORMED_CREDENTIALS = '客户端凭证含有不允许的控制字符';

/** Credentials that cannot belong to any client are refused before they are looked up (invalid_client, 401). */
function checkCredentials(clientId: string, clientSecret: string): void {
  if (CONTROL.test(clientId) || CONTROL.test(clientSecret)) throw new OAuthError('invalid_client', MALFORMED_CREDENTIALS);
}

export function readTokenRequest(o: { contentType: string | undefined; authorization: string | undefined; body: unknown }): TokenRequest {
  if (!o.contentType?.toLowerCase().startsWith('application/x-www-form-urlencoded') || typeof o.body !== 'object' || o.body === null || Array.isArray(o.body)) {
    throw new OAuthError('invalid_request', '请以 application/x-www-form-urlencoded 格式提交令牌请求');
  }
  const body = o.body as Record<string, unknown>;
  const param = (name: string): string | undefined => {
    const v = body[name];
    if (v === undefined || v === '') return undefined; // sent without a value = omitted (§3.2)
    if (typeof v !== 'string') throw new OAuthError('invalid_request', `参数 ${name} 只能出现一次`);
    if (v.length > MAX_PARAM) throw new OAuthError('invalid_request', `参数 ${name} 过长`);
    return v;
  };

  const grantType = param('grant_type');
  if (!grantType) throw new OAuthError('invalid_request', '缺少参数 grant_type');
  if (grantType !== 'client_credentials') throw new OAuthError('unsupported_grant_type', '仅支持 grant_type=client_credentials（客户端凭证模式）');
  const scope = param('scope');
  const bodyId = param('client_id');
  const bodySecret = param('client_secret');

  if (o.authorization !== undefined) {
    const basic = parseBasic(o.authorization);
    checkCredentials(basic.clientId, basic.clientSecret);
    if (bodySecret !== undefined) throw new OAuthError('invalid_request', '客户端凭证只能通过一种方式提交（HTTP Basic 或请求参数）');
    if (bodyId !== undefined && bodyId !== basic.clientId) throw new OAuthError('invalid_request', '请求参数中的 client_id 与 HTTP Basic 认证不一致');
    return { grantType, clientId: basic.clientId, clientSecret: basic.clientSecret, scope };
  }
  if (bodyId === undefined || bodySecret === undefined) throw new OAuthError('invalid_client', '缺少客户端凭证（client_id 和 client_secret）');
  checkCredentials(bodyId, bodySecret);
  return { grantType, clientId: bodyId, clientSecret: bodySecret, scope };
}

function parseBasic(header: string): { clientId: string; clientSecret: string } {
  const m = /^Basic[ ]+([A-Za-z0-9+/]+={0,2})[ ]*$/i.exec(header);
  if (!m) throw new OAuthError('invalid_client', '不支持的客户端认证方式，请使用 HTTP Basic 或在请求参数中提交 client_id 和 client_secret');
  const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 1) throw new OAuthError('invalid_client', 'HTTP Basic 认证信息格式不正确');
  try {
    const clientId = formDecode(decoded.slice(0, colon));
    const clientSecret = formDecode(decoded.slice(colon + 1));
    if (!clientSecret || clientId.length > MAX_PARAM || clientSecret.length > MAX_PARAM) throw new Error('bad');
    return { clientId, clientSecret };
  } catch {
    throw new OAuthError('invalid_client', 'HTTP Basic 认证信息格式不正确');
  }
}

/** application/x-www-form-urlencoded decoding (RFC 6749 appendix B): '+' is a space. */
function formDecode(s: string): string {
  return decodeURIComponent(s.replace(/\+/g, ' '));
}
