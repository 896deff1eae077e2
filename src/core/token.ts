/**
 * The Bedrock short-term bearer token, built exactly as @aws/bedrock-token-generator builds it: a SigV4-presigned
 * `POST https://bedrock.amazonaws.com/?Action=CallWithBearerToken`, without `https://`, plus `&Version=1`, in
 * base64, behind `bedrock-api-key-`. The region appears only in the credential scope.
 */
import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { TokenLifetimeError } from './failures';
import type { AwsCredentials } from './types';

export const MAX_TOKEN_LIFETIME_SECONDS = 43200;
const HOST = 'bedrock.amazonaws.com';
const TOKEN_PREFIX = 'bedrock-api-key-';
const VERSION_SUFFIX = '&Version=1';

export function validateLifetime(seconds: number): void {
  if (!Number.isFinite(seconds) || seconds <= 0 || seconds > MAX_TOKEN_LIFETIME_SECONDS) {
    throw new TokenLifetimeError(seconds);
  }
}

export async function buildBearerToken(
  creds: AwsCredentials,
  region: string,
  lifetimeSeconds = MAX_TOKEN_LIFETIME_SECONDS,
  now: Date = new Date(),
): Promise<string> {
  validateLifetime(lifetimeSeconds);
  const signer = new SignatureV4({
    service: 'bedrock',
    region,
    credentials: { accessKeyId: creds.accessKeyId, secretAccessKey: creds.secretAccessKey, sessionToken: creds.sessionToken },
    sha256: Sha256,
  });
  const request = new HttpRequest({
    method: 'POST',
    protocol: 'https',
    hostname: HOST,
    headers: { host: HOST },
    path: '/',
    query: { Action: 'CallWithBearerToken' },
  });
  const presigned = await signer.presign(request, { expiresIn: lifetimeSeconds, signingDate: now });
  const url = `${HOST}/?${queryString(presigned.query ?? {})}${VERSION_SUFFIX}`;
  return TOKEN_PREFIX + Buffer.from(url, 'utf8').toString('base64');
}

/** When a token signed at `signedAtMs` stops working: its own lifetime, or earlier if the credentials expire. */
export function tokenExpiry(signedAtMs: number, lifetimeSeconds: number, creds: Pick<AwsCredentials, 'expiration'>): number {
  const own = signedAtMs + lifetimeSeconds * 1000;
  return creds.expiration ? Math.min(own, creds.expiration.getTime()) : own;
}

/** The query string as the AWS SDK's formatUrl writes it (sorted keys, RFC 3986 escaping), so tokens match byte for byte. */
function queryString(query: HttpRequest['query']): string {
  const escape = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
  const parts: string[] = [];
  for (const key of Object.keys(query).sort()) {
    const value = query[key];
    for (const v of Array.isArray(value) ? value : [value]) parts.push(v === null ? escape(key) : `${escape(key)}=${escape(v)}`);
  }
  return parts.join('&');
}
