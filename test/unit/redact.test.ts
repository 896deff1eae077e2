import assert from 'node:assert/strict';
import { test } from 'node:test';
import { redact } from '../../src/core/redact';

const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const SESSION = 'IQoJb3JpZ2luX2VjEXAMPLE/session+token==';

test('tokens, keys, secrets and session tokens become [redacted]', () => {
  const cases: Array<[string, string]> = [
    ['Authorization: Bearer bedrock-api-key-YmVkcm9jay5hbWF6b25hd3MuY29t', 'bedrock-api-key-YmVk'],
    ['token=bedrock-api-key-YmVkcm9jay5hbWF6b25hd3MuY29t&x', 'YmVkcm9ja'],
    ['Bearer sk-abcdefghijklmnopqrstuvwxyz', 'sk-abcdefghijklmnop'],
    ['AWS_BEARER_TOKEN_BEDROCK=ABSKQmVkcm9ja0FQSUtleS1hYmNkZWZnaGlq', 'ABSKQmVk'],
    ['key AKIAIOSFODNN7EXAMPLE used', 'AKIAIOSFODNN7EXAMPLE'],
    ['key ASIASTANDIN00SESSION used', 'ASIASTANDIN00SESSION'],
    [`aws_secret_access_key = ${SECRET}`, SECRET],
    [`{"SecretAccessKey":"${SECRET}","SessionToken": "${SESSION}"}`, SECRET],
    [`{"SecretAccessKey":"${SECRET}","SessionToken": "${SESSION}"}`, SESSION],
    [`sessionToken: '${SESSION}'`, SESSION],
    [`aws_session_token=${SESSION}`, SESSION],
    [`?X-Amz-Security-Token=${encodeURIComponent(SESSION)}&X-Amz-Signature=abcdef0123456789&Version=1`, 'abcdef0123456789'],
    [`?X-Amz-Security-Token=${encodeURIComponent(SESSION)}&X-Amz-Signature=abcdef0123456789&Version=1`, encodeURIComponent(SESSION)],
    [`AWS4-HMAC-SHA256 Credential=x, Signature=${'ab12'.repeat(16)}`, 'ab12ab12'],
  ];
  for (const [text, secret] of cases) {
    const out = redact(text);
    assert.ok(!out.includes(secret), `${out} still holds ${secret}`);
    assert.match(out, /\[redacted\]/);
  }
});

test('ordinary prose survives', () => {
  for (const text of [
    'The Bedrock endpoint rejected the bearer token (401).',
    'No credentials: configure them with aws configure.',
    'GPT-5.5 (openai.gpt-5.5) is not served in us-west-2. It is served in us-east-2.',
    'commit 3f786850e387550fdab836ed7e6dc881de23001b',
  ]) assert.equal(redact(text), text);
  assert.equal(redact(''), '');
});

// Speed is measured in bench/redact.bench.ts; here only that long text keeps its words and loses its token.
test('long text: the token at the end is redacted and the rest kept', () => {
  const prose = 'lorem ipsum dolor sit amet, '.repeat(200_000);
  const out = redact(prose + 'Bearer bedrock-api-key-abcdefghijklmnop');
  assert.ok(!out.includes('abcdefghijklmnop'));
  assert.ok(out.startsWith(prose));
});

test('a proxy URL keeps its host and user but loses its password', () => {
  assert.equal(redact('HTTPS_PROXY=http://alice:s3cr%40t-pw@proxy.corp:3128 failed'), 'HTTPS_PROXY=http://alice:[redacted]@proxy.corp:3128 failed');
  assert.equal(redact('https://u:p@h/x and http://v:q@k:1'), 'https://u:[redacted]@h/x and http://v:[redacted]@k:1');
  // Without user info nothing changes: ports and paths are not passwords.
  for (const text of ['http://proxy.corp:3128/path', 'see https://example.com:8443/a:b@c', 'a ://x:y without at']) assert.equal(redact(text), text);
});

test('a token without its prefix, SSO cache fields, escaped and percent-encoded JSON', () => {
  // The base64 of "bedrock.amazonaws.com/?Action=CallWithBearerToken&…", as a token is after its prefix.
  const body = Buffer.from('bedrock.amazonaws.com/?Action=CallWithBearerToken&X-Amz-Credential=AKIAX%2F20261201&X-Amz-Signature=ab??cd>>').toString('base64');
  const urlSafe = body.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  const cases: Array<[string, string]> = [
    [`token ${body} end`, body.slice(40)],
    [`token ${urlSafe} end`, urlSafe.slice(40)],
    [`token ${encodeURIComponent(body)} end`, encodeURIComponent(body).slice(40)],
    ['{"accessToken": "aoaAAAAAGcExampleSsoAccessToken", "expiresAt": "2026-12-01T10:00:00Z"}', 'aoaAAAAAGcExampleSsoAccessToken'],
    ['{"refreshToken":"aorAAAAAGcExampleRefresh","clientSecret":"eyJraWQiOiJrZXkt.Example"}', 'aorAAAAAGcExampleRefresh'],
    ['{"refreshToken":"aorAAAAAGcExampleRefresh","clientSecret":"eyJraWQiOiJrZXkt.Example"}', 'eyJraWQiOiJrZXkt.Example'],
    [`{"detail":"{\\"SecretAccessKey\\": \\"${SECRET}\\"}"}`, SECRET],
    [`payload=%7B%22SecretAccessKey%22%3A%22${encodeURIComponent(SECRET)}%22%7D`, encodeURIComponent(SECRET)],
    [`aws_session_token%3D${encodeURIComponent(SESSION)}`, encodeURIComponent(SESSION)],
  ];
  for (const [text, secret] of cases) {
    const out = redact(text);
    assert.ok(!out.includes(secret), `${out} still holds ${secret}`);
  }
  // The expiry of an SSO cache entry is no secret.
  assert.match(redact('{"accessToken": "aoaAAAAAGcExampleSsoAccessToken", "expiresAt": "2026-12-01T10:00:00Z"}'), /"expiresAt": "2026-12-01T10:00:00Z"/);
});

test('a proxy password with a raw @ is redacted whole', () => {
  assert.equal(redact('HTTPS_PROXY=http://alice:p@ss@word@proxy.corp:3128 refused'), 'HTTPS_PROXY=http://alice:[redacted]@proxy.corp:3128 refused');
  assert.equal(redact('http://bob:a@b@proxy:8080/path?q=x@y'), 'http://bob:[redacted]@proxy:8080/path?q=x@y');
});
