import assert from 'node:assert/strict';
import { test } from 'node:test';
import { endpointFor } from '../../src/core/endpoint';
import { CLI_WORDS, explainError, renderError, type ErrorCode, type ErrorParams, type ErrorWords, type ExplainedError } from '../../src/core/errors';
import { validateLifetime } from '../../src/core/token';

const CODES: ErrorCode[] = [
  'cancelled', 'unknown-profile', 'no-credentials', 'credentials-expired', 'credential-process', 'assume-role', 'credentials', 'sso-expired',
  'api-key-missing', 'token-lifetime', 'endpoint', 'unauthorized', 'forbidden', 'clock-skew', 'unsupported-effort', 'throttled', 'service-error',
  'bad-request', 'http-status', 'model-not-in-region', 'model-not-found', 'not-found', 'stream-malformed', 'stream-cut', 'stream-stalled', 'first-byte-timeout',
  'stream-incomplete', 'stream-error', 'response-failed', 'timeout', 'dns', 'tls', 'network', 'proxy-auth', 'proxy', 'unknown',
];

const FULL: ErrorParams = {
  profile: 'dev', knownProfiles: 'default, dev', region: 'us-west-2', model: 'GPT-5.5 (openai.gpt-5.5)', serving: 'us-east-2', knownModel: true,
  effort: 'minimal', values: 'low, medium', server: 'nope', status: 503, retries: 2, host: 'bedrock-mantle.us-west-2.api.aws',
  netCode: 'ECONNRESET', why: 'reset', unknownRegion: true, regions: 'us-east-2, us-west-2', errorCode: 'server_error',
  minutes: 12, clock: 'ahead', seconds: 60,
};

const words: ErrorWords = { ...CLI_WORDS, regionSetting: 'REGION-WORD', listModels: (r) => `LIST(${r ?? ''})` };
const render = (code: ErrorCode, params: ErrorParams, w = CLI_WORDS) => renderError({ code, params, actions: [] } satisfies ExplainedError, w);

test('every code renders a whole sentence from its facts; text worded elsewhere passes through', () => {
  for (const code of CODES) {
    const text = render(code, { ...FULL, detail: 'A message worded where it was thrown' });
    assert.ok(text.trim().length > (code === 'cancelled' ? 5 : 20), `${code}: ${text}`);
    assert.doesNotMatch(text, /\{\w+\}|undefined|\s{2}|\(\)/, `${code}: ${text}`);
  }
  for (const code of ['assume-role', 'token-lifetime', 'endpoint', 'api-key-missing', 'unknown'] as const) {
    assert.equal(render(code, { detail: 'Worded where it was thrown.' }), 'Worded where it was thrown.');
    assert.equal(render(code, {}), 'Something went wrong (no details were given).');
  }
});

test('the front end\'s words fill the places where the user changes something', () => {
  assert.match(render('dns', { host: 'h' }, words), /Check REGION-WORD, your network/);
  assert.match(render('dns', { host: 'h' }), /Check the region \(--region\)/);
  assert.match(render('model-not-found', { model: 'm', region: 'us-east-2', knownModel: true }, words), /with LIST\(us-east-2\)\.$/);
  assert.match(render('model-not-found', { model: 'm' }), /list what the region serves with `bedrock-gpt models`\.$/);
  assert.match(render('not-found', {}), /Check the endpoint \(--endpoint, AWS_BEDROCK_BASE_URL\)/);
  assert.match(render('stream-incomplete', { tooLong: true }), /Raise the limit \(--max-output-tokens\)/);
});

test('a translator receives each template and its arguments', () => {
  const seen: string[] = [];
  const out = renderError({ code: 'model-not-in-region', params: { model: 'M', region: 'r1', serving: 'r2' }, actions: [] }, CLI_WORDS, (template, args) => {
    seen.push(template);
    return `<${template.replace(/\{(\w+)\}/g, (_m, k: string) => String(args[k]))}>`;
  });
  assert.deepEqual(seen, ['the default credential chain', 'the endpoint', '{model} is not served in {region}. It is served in {serving}.']);
  assert.equal(out, '<M is not served in r1. It is served in r2.>');
});

test('endpoint and lifetime problems are codes too: the CLI words them as the thrower did', () => {
  const thrown = (f: () => unknown) => {
    try {
      f();
    } catch (e) {
      return e as Error;
    }
    throw new Error('did not throw');
  };
  for (const [region, override] of [['us-east-2.evil', undefined], ['us-east-2', 'http://example.com/v1'], ['us-east-2', 'https://u:p@example.com'], ['us-east-2', 'ftp://example.com']] as const) {
    const err = thrown(() => endpointFor(region, override));
    const e = explainError(err, { region });
    assert.equal(e.code, 'endpoint');
    assert.ok(e.params.problem, `a problem for ${override ?? region}`);
    assert.equal(renderError(e, CLI_WORDS), err.message);
  }
  const invalid = explainError(thrown(() => endpointFor('us-east-2', 'not a url')));
  assert.equal(invalid.params.problem, 'invalid-url');
  assert.equal(renderError(invalid, CLI_WORDS), 'The endpoint "not a url" is not a valid URL. Use a full https:// address, or leave the endpoint (--endpoint, AWS_BEDROCK_BASE_URL) empty to use bedrock-mantle in the region.');
  const lifetime = explainError(thrown(() => validateLifetime(50_000)));
  assert.deepEqual([lifetime.code, lifetime.params.seconds], ['token-lifetime', 50_000]);
  assert.equal(renderError(lifetime, CLI_WORDS), thrown(() => validateLifetime(50_000)).message);
});
