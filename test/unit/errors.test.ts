import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError, OpenAIError,
} from 'openai';
import { CLI_WORDS, explainError as classify, renderError, type ErrorContext } from '../../src/core/errors';
import { AskCancelledError, CredentialsError, EndpointError, ProxyError, StreamError, TokenLifetimeError } from '../../src/core/failures';

/** An openai error exactly as the SDK builds it from an HTTP answer. */
function httpError(status: number, body: object, headers: Record<string, string> = {}): APIError {
  return APIError.generate(status, body, undefined, new Headers(headers));
}
/** explainError, and the message the CLI words from it. */
function explainError(err: unknown, ctx?: ErrorContext) {
  const e = classify(err, ctx);
  return { ...e, message: renderError(e, CLI_WORDS) };
}

const body = (message: string, code = 'x', param: string | null = null) => ({ error: { message, type: 'invalid_request_error', param, code } });

function noStackNoSecret(message: string): void {
  assert.ok(!/\n\s*at\s/.test(message), `stack in: ${message}`);
  assert.ok(!/bedrock-api-key-|AKIA[A-Z0-9]{16}|ASIA[A-Z0-9]{16}/.test(message), `secret in: ${message}`);
}

test('404: GPT-5.5 in us-west-2 names the region that serves it', () => {
  const e = explainError(httpError(404, body("The model 'openai.gpt-5.5' does not exist", 'not_found_error', 'model')), { region: 'us-west-2', model: 'openai.gpt-5.5' });
  assert.equal(e.code, 'model-not-in-region');
  assert.equal(e.message, 'GPT-5.5 (openai.gpt-5.5) is not served in us-west-2. It is served in us-east-2.');
  assert.deepEqual(e.actions, [{ kind: 'switchRegion', region: 'us-east-2' }]);
});

test('404 for a custom model or a served model points at the models list', () => {
  const custom = explainError(httpError(404, body("The model 'acme.x' does not exist")), { region: 'us-east-2', model: 'acme.x' });
  assert.equal(custom.code, 'model-not-found');
  assert.match(custom.message, /bedrock-gpt models --region us-east-2/);
  const path = explainError(httpError(404, body('Unknown path /v2/responses.')), { region: 'us-east-2' });
  assert.equal(path.code, 'not-found');
  assert.match(path.message, /endpoint/);
});

test('401 / 403 with a Date header more than 5 minutes off: the clock is off, by how much and which way', () => {
  const server = Date.UTC(2026, 11, 1, 12, 0, 0);
  const date = new Date(server).toUTCString();
  const ahead = explainError(httpError(403, body('Signature expired: 20261201T121300Z is now earlier than 20261201T120500Z.'), { date }), { now: () => server + 13 * 60_000 });
  assert.equal(ahead.code, 'clock-skew');
  assert.deepEqual([ahead.params.minutes, ahead.params.clock, ahead.params.status], [13, 'ahead', 403]);
  assert.match(ahead.message, /this computer's clock is 13 minutes ahead of the endpoint's/);
  const behind = explainError(httpError(401, body('Bearer token expired'), { date }), { now: () => server - 2 * 3_600_000 });
  assert.match(behind.message, /^The endpoint refused the token \(401\): this computer's clock is 120 minutes behind/);
  // Within 5 minutes the clock is not the story.
  assert.equal(explainError(httpError(401, body('Bearer token expired'), { date }), { now: () => server + 4 * 60_000 }).code, 'unauthorized');
  assert.equal(explainError(httpError(401, body('Bearer token expired'), { date: 'not a date' }), { now: () => server + 60 * 60_000 }).code, 'unauthorized');
});

test('the two bounds: what happened, how long, where to change it, and Retry', () => {
  const silent = explainError(new StreamError('x', 'stalled', undefined, 120), { region: 'us-east-2' });
  assert.equal(silent.code, 'stream-stalled');
  assert.deepEqual(silent.actions, [{ kind: 'askAgain' }]);
  assert.equal(silent.message, 'The answer stream sent nothing for 120 seconds, so it was stopped; what arrived is shown. Try again, or raise the silence timeout (--idle-timeout S).');
  const late = explainError(new StreamError('x', 'first-byte-timeout', undefined, 60), { region: 'us-east-2' });
  assert.equal(late.code, 'first-byte-timeout');
  assert.match(late.message, /^No answer began within 60 seconds from the endpoint bedrock-mantle\.us-east-2\.api\.aws, so the request was stopped\. Try again;.*\(--first-byte-timeout S\)\.$/);
});

test('a long message is redacted before it is cut: no half of a secret survives the cut', () => {
  const secret = 'sk9Zq7Xw2Lm4Np6Rt8Vb0Cd3Fg5Hj7Kl';
  const message = `${'a'.repeat(383)} Bearer ${secret} and more`;
  const e = explainError(new Error(message));
  assert.ok(!e.message.includes(secret.slice(0, 8)), e.message.slice(370));
});

test('401: token rejected → refresh, check credentials', () => {
  const e = explainError(httpError(401, body('The security token included in the request is invalid.')), { profile: 'dev' });
  assert.equal(e.code, 'unauthorized');
  assert.match(e.message, /rejected the bearer token/);
  assert.match(e.message, /profile "dev"/);
  assert.ok(e.actions.some((a) => a.kind === 'refreshToken'));
});

test('403: names bedrock:CallWithBearerToken, model access and the region', () => {
  const e = explainError(httpError(403, body('Not authorized')), { region: 'us-east-2', model: 'openai.gpt-5.5', profile: 'dev' });
  assert.equal(e.code, 'forbidden');
  assert.match(e.message, /`bedrock:CallWithBearerToken`/);
  assert.match(e.message, /GPT-5\.5 \(openai\.gpt-5\.5\) in us-east-2/);
  assert.match(e.message, /another region/);
});

test('400 unsupported effort → values to try', () => {
  const server = "Unsupported value: 'reasoning.effort' does not support 'minimal' with this model. Supported values are: none, low, medium, high, xhigh.";
  const e = explainError(httpError(400, body(server, 'unsupported_value', 'reasoning.effort')), { model: 'openai.gpt-5.5', effort: 'minimal' });
  assert.equal(e.code, 'unsupported-effort');
  assert.match(e.message, /does not accept the reasoning effort "minimal"/);
  assert.deepEqual(e.actions, [{ kind: 'selectEffort', values: ['none', 'low', 'medium', 'high', 'xhigh'] }]);
  const bare = explainError(httpError(400, body('Invalid reasoning effort.', 'x', 'reasoning.effort')), { model: 'openai.gpt-5.4', effort: 'xhigh' });
  assert.deepEqual(bare.actions, [{ kind: 'selectEffort', values: ['low', 'medium', 'high'] }]);
  // A hand-edited effort setting is matched as text, never compiled as a pattern (an unclosed "(" threw here).
  const odd = explainError(httpError(400, body("Unsupported value: 'hi(gh'.")), { model: 'openai.gpt-5.5', effort: 'hi(gh' });
  assert.equal(odd.code, 'unsupported-effort');
  assert.equal(explainError(httpError(400, body("Unsupported value: 'high'.")), { effort: 'h.gh' }).code, 'bad-request');
});

test('other 400 → the server message, cleaned', () => {
  const e = explainError(httpError(400, body("Invalid 'max_output_tokens': integer below minimum value.\n  at Server.handle (x.js:1:1)")));
  assert.equal(e.code, 'bad-request');
  assert.equal(e.message, "The request was refused (400): Invalid 'max_output_tokens': integer below minimum value.");
});

test('429 → throttled, retried N times, try again in a minute', () => {
  const e = explainError(httpError(429, body('Too many tokens'), { 'retry-after': '1' }), { region: 'us-east-2', model: 'openai.gpt-5.5', retries: 3 });
  assert.equal(e.code, 'throttled');
  assert.match(e.message, /tokens per minute for GPT-5\.5 \(openai\.gpt-5\.5\) in us-east-2/);
  assert.match(e.message, /already retried 3 times/);
  assert.match(e.message, /Try again in a minute/);
});

test('5xx → service error, retry', () => {
  for (const status of [500, 502, 503]) {
    const e = explainError(httpError(status, body('The server had an error')), { region: 'us-east-2' });
    assert.equal(e.code, 'service-error');
    assert.deepEqual(e.actions, [{ kind: 'askAgain' }]);
  }
});

test('network: DNS, refused, reset, timeout, TLS', () => {
  const wrap = (code: string) => new APIConnectionError({ cause: Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error(`getaddrinfo ${code}`), { code }) }) });
  const ctx = { region: 'us-east-2', endpoint: 'https://bedrock-mantle.us-east-2.api.aws/openai/v1' };
  const dns = explainError(wrap('ENOTFOUND'), ctx);
  assert.equal(dns.code, 'dns');
  assert.match(dns.message, /Cannot reach the endpoint bedrock-mantle\.us-east-2\.api\.aws/);
  assert.match(explainError(wrap('ENOTFOUND'), { region: 'xx-nowhere-1' }).message, /not known in xx-nowhere-1/);
  assert.match(explainError(wrap('ECONNREFUSED'), ctx).message, /refused \(ECONNREFUSED\)/);
  assert.match(explainError(wrap('ECONNRESET'), ctx).message, /reset/);
  assert.equal(explainError(wrap('ETIMEDOUT'), ctx).code, 'timeout');
  assert.equal(explainError(new APIConnectionTimeoutError(), ctx).code, 'timeout');
  assert.equal(explainError(wrap('UNABLE_TO_VERIFY_LEAF_SIGNATURE'), ctx).code, 'tls');
  assert.equal(explainError(new APIConnectionError({ message: undefined, cause: new Error('x') }), ctx).code, 'network');
  assert.equal(explainError(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' })).code, 'network');
});

test('proxy: 407 on the tunnel or on a forwarded request → "the proxy refused the credentials"; other refusals name the host', () => {
  // undici's ProxyAgent, under fetch's TypeError, under openai's APIConnectionError.
  const tunnel = (status: number) => new APIConnectionError({
    cause: Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error(`Proxy response (${status}) !== 200 when HTTP Tunneling`), { code: 'UND_ERR_ABORTED' }) }),
  });
  const ctx = { region: 'us-east-2', endpoint: 'https://bedrock-mantle.us-east-2.api.aws/openai/v1' };
  for (const err of [tunnel(407), httpError(407, {}), new APIConnectionError({ cause: new TypeError('fetch failed', { cause: new Error('Proxy Authentication Required (407)') }) })]) {
    const e = explainError(err, ctx);
    assert.equal(e.code, 'proxy-auth');
    assert.match(e.message, /^The proxy refused the credentials \(407 Proxy Authentication Required\)\. Put the right user name and password in HTTPS_PROXY \/ HTTP_PROXY/);
    assert.deepEqual(e.actions, []);
  }
  const blocked = explainError(tunnel(403), ctx);
  assert.equal(blocked.code, 'proxy');
  assert.equal(blocked.message, 'The proxy would not connect to bedrock-mantle.us-east-2.api.aws (it answered 403). Ask for the host to be allowed, or add it to NO_PROXY if it is reachable directly.');
  assert.equal(explainError(new ProxyError('HTTPS_PROXY is not a valid proxy URL.')).code, 'proxy');
});

test('streams: malformed, cut, failed, incomplete', () => {
  assert.equal(explainError(new StreamError('bad json', 'malformed')).code, 'stream-malformed');
  assert.match(explainError(new StreamError('closed', 'cut')).message, /cut off/);
  const failed = explainError(new StreamError('The model stopped with an error (server_error): boom.', 'failed', 'server_error'));
  assert.equal(failed.message, 'The model stopped with an error (server_error): boom. Try again.');
  const inc = explainError(new StreamError('The answer is incomplete', 'incomplete', 'max_output_tokens'));
  assert.match(inc.message, /maximum output tokens/);
});

test('cancel, lifetime, endpoint', () => {
  assert.equal(explainError(new AskCancelledError()).code, 'cancelled');
  assert.equal(explainError(new APIUserAbortError()).code, 'cancelled');
  const life = explainError(new TokenLifetimeError(50000));
  assert.equal(life.code, 'token-lifetime');
  assert.match(life.message, /43200/);
  assert.equal(explainError(new EndpointError('The endpoint http://x uses plain http.')).code, 'endpoint');
});

test('credentials: SSO expired, unknown profile, no credentials', () => {
  const sso = explainError(new CredentialsError('sso-expired', 'SSO expired', { profile: 'work' }));
  assert.match(sso.message, /`aws sso login --profile work`/);
  assert.deepEqual(sso.actions[0], { kind: 'ssoLogin', profile: 'work' });
  const unknown = explainError(new CredentialsError('unknown-profile', 'x', { profile: 'nope', knownProfiles: ['default', 'work'] }));
  assert.match(unknown.message, /"nope".*Known profiles: default, work\./);
  assert.deepEqual(unknown.actions, [{ kind: 'selectProfile' }]);
  const none = explainError(new CredentialsError('no-credentials', 'x'));
  assert.match(none.message, /aws configure.*aws configure sso.*AWS_PROFILE.*AWS_BEARER_TOKEN_BEDROCK/);
  assert.deepEqual(none.actions, [{ kind: 'selectProfile' }, { kind: 'setApiKey' }]);
});

test('raw AWS SDK errors and the token-provider wrapper', () => {
  const raw = Object.assign(new Error('The SSO session associated with this profile has expired or is otherwise invalid.'), { name: 'CredentialsProviderError' });
  assert.equal(explainError(raw, { profile: 'work' }).code, 'sso-expired');
  const none = Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' });
  assert.equal(explainError(none).code, 'no-credentials');
  assert.equal(explainError(Object.assign(new Error('The security token included in the request is expired'), { name: 'ExpiredToken' })).code, 'credentials-expired');
  const wrapped = new OpenAIError("Failed to get token from 'apiKey' function: SSO expired", { cause: new CredentialsError('sso-expired', 'SSO expired', { profile: 'p' }) });
  assert.equal(explainError(wrapped).code, 'sso-expired');
});

test('anything else: its first line, no stack, secrets redacted', () => {
  const err = new Error('weird failure with Bearer bedrock-api-key-c2VjcmV0c2VjcmV0 and AKIAIOSFODNN7EXAMPLE\nsecond line');
  const e = explainError(err);
  assert.equal(e.code, 'unknown');
  assert.equal(e.message, 'weird failure with Bearer [redacted] and [redacted]');
  assert.equal(explainError('plain string').message, 'plain string');
  assert.ok(explainError(undefined).message.length > 0);
  for (const x of [err, httpError(401, body('token bedrock-api-key-c2VjcmV0 bad')), new StreamError('x', 'cut')]) noStackNoSecret(explainError(x).message);
});
