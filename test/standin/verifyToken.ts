/**
 * Checks a Bedrock short-term bearer token the way AWS does, written independently of src/core/token.ts (plain
 * node:crypto, hand-built canonical request) so a bug in the signer cannot hide in the verifier.
 *
 * Status codes: a header that is not a bedrock token at all is 401 (no credentials presented); every other
 * failure is 403, as AWS SigV4 endpoints answer a bad signature, unknown key, bad session token or an expired
 * presigned request (e.g. "Signature expired" / "Request has expired") with 403. Returns a verdict, never throws.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { TEST_KEYS, type TestKey } from './keys';

export type { TestKey } from './keys';
export { TEST_KEYS } from './keys';

export type Verdict =
  | { ok: true; accessKeyId: string; region: string; expiresAt: number }
  | { ok: false; status: 401 | 403; code: string; message: string };

const PREFIX = 'bedrock-api-key-';
const HOST = 'bedrock.amazonaws.com';
const VERSION_SUFFIX = '&Version=1';
const MAX_EXPIRES = 43200;
const MAX_CLOCK_SKEW_MS = 15 * 60 * 1000; // AWS refuses requests dated more than 15 min ahead
const EMPTY_SHA256 = createHash('sha256').update('').digest('hex');

function deny(status: 401 | 403, code: string, message: string): Verdict {
  return { ok: false, status, code, message };
}

/** SigV4 URI encoding: everything but A-Z a-z 0-9 - _ . ~ is percent-encoded, upper-case hex. */
function sigv4Encode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
}

function parseQuery(query: string): Map<string, string> | undefined {
  const params = new Map<string, string>();
  for (const part of query.split('&')) {
    const eq = part.indexOf('=');
    if (eq <= 0) return undefined;
    try {
      const name = decodeURIComponent(part.slice(0, eq));
      if (params.has(name)) return undefined; // a repeated parameter is never produced by the signer
      params.set(name, decodeURIComponent(part.slice(eq + 1)));
    } catch {
      return undefined;
    }
  }
  return params;
}

function parseAmzDate(value: string): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s] = m.map(Number);
  return Date.UTC(y, mo - 1, d, h, mi, s);
}

function hmac(key: Buffer | string, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}

function sameSecret(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a).digest();
  const hb = createHash('sha256').update(b).digest();
  return timingSafeEqual(ha, hb);
}

function expectedSignature(params: Map<string, string>, key: TestKey, date: string, region: string): string {
  const canonicalQuery = [...params]
    .filter(([name]) => name !== 'X-Amz-Signature')
    .map(([name, value]) => [sigv4Encode(name), sigv4Encode(value)] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
  // The presigned request is `POST https://bedrock.amazonaws.com/` with only the host header and an empty body.
  const canonicalRequest = ['POST', '/', canonicalQuery, `host:${HOST}`, '', 'host', EMPTY_SHA256].join('\n');
  const scope = `${date.slice(0, 8)}/${region}/bedrock/aws4_request`;
  const stringToSign = [
    'AWS4-HMAC-SHA256',
    date,
    scope,
    createHash('sha256').update(canonicalRequest, 'utf8').digest('hex'),
  ].join('\n');
  const kDate = hmac('AWS4' + key.secretAccessKey, date.slice(0, 8));
  const kRegion = hmac(kDate, region);
  const kService = hmac(kRegion, 'bedrock');
  const kSigning = hmac(kService, 'aws4_request');
  return hmac(kSigning, stringToSign).toString('hex');
}

export function verifyBearerToken(
  authorization: string | undefined,
  o: { region: string; now?: number; keys?: TestKey[] },
): Verdict {
  const now = o.now ?? Date.now();
  const keys = o.keys ?? TEST_KEYS;
  if (!authorization) return deny(401, 'missing-token', 'No Authorization header.');
  const bearer = /^Bearer\s+(\S+)$/.exec(authorization.trim());
  if (!bearer) return deny(401, 'malformed-token', 'The Authorization header is not "Bearer <token>".');
  const token = bearer[1];
  if (!token.startsWith(PREFIX)) return deny(401, 'malformed-token', `The bearer token does not start with ${PREFIX}.`);
  const encoded = token.slice(PREFIX.length);
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded) || encoded.length % 4 !== 0) {
    return deny(401, 'malformed-token', 'The bearer token is not valid base64.');
  }
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  if (!decoded.startsWith(`${HOST}/?`) || !decoded.endsWith(VERSION_SUFFIX)) {
    return deny(403, 'malformed-token', `The decoded token is not a presigned ${HOST} request ending in ${VERSION_SUFFIX}.`);
  }
  const params = parseQuery(decoded.slice(`${HOST}/?`.length, -VERSION_SUFFIX.length));
  if (!params) return deny(403, 'malformed-token', 'The token query string cannot be parsed.');

  if (params.get('Action') !== 'CallWithBearerToken') {
    return deny(403, 'wrong-action', 'The token does not authorise Action=CallWithBearerToken.');
  }
  if (params.get('X-Amz-Algorithm') !== 'AWS4-HMAC-SHA256') {
    return deny(403, 'wrong-algorithm', 'The token is not signed with AWS4-HMAC-SHA256.');
  }
  const credential = params.get('X-Amz-Credential') ?? '';
  const date = params.get('X-Amz-Date') ?? '';
  const expiresText = params.get('X-Amz-Expires') ?? '';
  const signature = params.get('X-Amz-Signature') ?? '';
  const signedAt = parseAmzDate(date);
  if (signedAt === undefined) return deny(403, 'malformed-token', 'X-Amz-Date is missing or malformed.');
  if (!/^[0-9a-f]{64}$/.test(signature)) return deny(403, 'malformed-token', 'X-Amz-Signature is missing or malformed.');
  if (params.get('X-Amz-SignedHeaders') !== 'host') {
    return deny(403, 'wrong-signed-headers', 'The token must sign exactly the host header.');
  }

  const scope = credential.split('/');
  if (scope.length !== 5 || scope[3] !== 'bedrock' || scope[4] !== 'aws4_request' || scope[1] !== date.slice(0, 8)) {
    return deny(403, 'invalid-credential-scope', 'X-Amz-Credential is not <key>/<date>/<region>/bedrock/aws4_request.');
  }
  const [accessKeyId, , tokenRegion] = scope;
  if (tokenRegion !== o.region) {
    return deny(
      403,
      'wrong-region',
      `The token was signed for region ${tokenRegion}, but this endpoint is in ${o.region}. Sign a token for ${o.region}.`,
    );
  }

  if (!/^\d+$/.test(expiresText) || Number(expiresText) <= 0 || Number(expiresText) > MAX_EXPIRES) {
    return deny(403, 'invalid-expires', `X-Amz-Expires must be an integer in (0, ${MAX_EXPIRES}].`);
  }
  const expiresAt = signedAt + Number(expiresText) * 1000;
  if (signedAt > now + MAX_CLOCK_SKEW_MS) return deny(403, 'token-not-yet-valid', 'The token is dated in the future.');
  if (now >= expiresAt) return deny(403, 'token-expired', 'The bearer token has expired.');

  const key = keys.find((k) => k.accessKeyId === accessKeyId);
  if (!key) return deny(403, 'unknown-access-key', 'The access key in the token is not known.');
  const sessionToken = params.get('X-Amz-Security-Token');
  if (key.sessionToken !== undefined || sessionToken !== undefined) {
    if (key.sessionToken === undefined || sessionToken === undefined || !sameSecret(key.sessionToken, sessionToken)) {
      return deny(403, 'invalid-session-token', 'The security token in the bearer token is missing or invalid.');
    }
  }
  if (key.expiresAt !== undefined && now >= key.expiresAt) {
    return deny(403, 'credentials-expired', 'The temporary credentials that signed the token have expired.');
  }

  const expected = expectedSignature(params, key, date, tokenRegion);
  if (!timingSafeEqual(Buffer.from(expected, 'hex'), Buffer.from(signature, 'hex'))) {
    return deny(403, 'signature-mismatch', 'The token signature does not match.');
  }
  return { ok: true, accessKeyId, region: tokenRegion, expiresAt: Math.min(expiresAt, key.expiresAt ?? Infinity) };
}
