/**
 * Removes bearer tokens, access keys, secrets and session tokens from text before it is shown or logged.
 * Three linear regex passes (no nested quantifiers), so it stays fast on long outputs such as whole responses.
 */

const MARK = '[redacted]';

/**
 * Case-sensitive shapes: tokens (with their `bedrock-api-key-` prefix, or without it: the base64 of the presigned
 * URL always starts with `bedrock.amazonaws.com/?Action=`, standard, URL-safe or percent-encoded), SigV4 header
 * signatures, long-term Bedrock API keys (ABSK…), access key ids.
 */
const SHAPES =
  /bedrock-api-key-[A-Za-z0-9+/=%_-]*|YmVkcm9jay5hbWF6b25hd3MuY29tLz9BY3Rpb249[A-Za-z0-9+/=%_-]*|\bSignature=[0-9a-f]{64}\b|\bABSK[A-Za-z0-9+/=]{16,}|\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/g;

/**
 * `Bearer <x>` (12+ characters, so prose like "bearer token" survives), and the value after a key that
 * names a secret: ini/env (`aws_secret_access_key = x`, `AWS_BEARER_TOKEN_BEDROCK=x`), JSON
 * (`"SecretAccessKey": "x"`), JSON inside a JSON string (`\"SecretAccessKey\": \"x\"`), percent-encoded
 * (`SecretAccessKey%22%3A%22x`), query strings (`X-Amz-Signature=x`, `X-Amz-Security-Token=x`), and the SSO
 * cache's fields (`accessToken`, `refreshToken`, `clientSecret`). A key may follow a digit (`%22SecretAccessKey`).
 */
const KEYED =
  /\b(bearer)(\s+)[^\s"',;]{12,}|(?<![A-Za-z])((?:aws_)?secret_?access_?key|(?:aws_)?session_?token|(?:x-amz-)?security[_-]?token|x-amz-signature|x-amz-credential|aws_bearer_token_bedrock|api[_-]?key|access_?token|refresh_?token|client_?secret)((?:\\?["']|%22)?\s*(?:[:=]|%3[ad])\s*(?:\\?["']|%22)?)([^\s"'&,;}<>\\]+)/gi;

/**
 * The password in a URL's user info (`http://user:password@proxy:3128`, as HTTPS_PROXY may hold it), up to the
 * last `@` before the host, since people paste passwords with a raw `@` in them. Anchored on `://`, and neither
 * part crosses a `/` or a space, so each scan stops at the next path or URL.
 */
const URL_PASSWORD = /(:\/\/[^\s/:@]+:)[^\s/]*@/g;

export function redact(text: string): string {
  if (!text) return text;
  return text
    .replace(URL_PASSWORD, `$1${MARK}@`)
    .replace(SHAPES, MARK)
    .replace(KEYED, (whole, bearer?: string, space?: string, key?: string, sep?: string) => {
      if (bearer !== undefined) return `${bearer}${space}${MARK}`;
      if (key !== undefined) return `${key}${sep}${MARK}`;
      return whole;
    });
}
