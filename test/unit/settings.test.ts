import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { REGION_ID, isRegionId } from '../../src/core/models';
import { chosenProfile } from '../../src/core/profile';
import { APPLICATION_SETTINGS, DEFAULTS, Settings, sanitizeSetting, settingsProfile, TOKEN_LIFETIME_RANGE_SECONDS, TokenLifetimeSetting } from '../../src/core/settings';
import { MAX_TOKEN_LIFETIME_SECONDS } from '../../src/core/token';
import { REGION_PATTERN } from '../standin/catalog';

const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  contributes: { configuration: { properties: Record<string, { default: unknown; pattern?: string; scope?: string; minimum?: number; maximum?: number }> } };
};
const properties = manifest.contributes.configuration.properties;

test('the settings mirror package.json: every key, its default, the application scope', () => {
  assert.deepEqual(Object.keys(properties).sort(), Object.values(Settings).map((k) => `bedrockGpt.${k}`).sort());
  for (const key of Object.values(Settings)) assert.deepEqual(properties[`bedrockGpt.${key}`].default, DEFAULTS[key], key);
  assert.deepEqual(Object.values(Settings).filter((k) => properties[`bedrockGpt.${k}`].scope === 'application').sort(), [...APPLICATION_SETTINGS].sort());
});

test('one region pattern: the setting, the endpoint and the stand-in use the same one', () => {
  assert.equal(properties['bedrockGpt.region'].pattern, REGION_ID.source);
  assert.equal(REGION_PATTERN, REGION_ID);
  for (const ok of ['us-east-2', 'ap-southeast-3', 'us-gov-west-1', 'eu-central-1']) assert.ok(isRegionId(ok), ok);
  for (const bad of ['', 'us-east', 'US-EAST-2', 'us-east-2.evil.com', 'us-east-123', 'x-east-2']) assert.ok(!isRegionId(bad), bad);
});

test('sanitizeSetting: a wrong type or shape falls back to the default', () => {
  assert.equal(sanitizeSetting('region', ' us-west-2 '), 'us-west-2');
  assert.equal(sanitizeSetting('region', 'evil.com/x'), DEFAULTS.region);
  assert.equal(sanitizeSetting('model', '  '), DEFAULTS.model);
  assert.equal(sanitizeSetting('model', ' openai.gpt-5.4 '), 'openai.gpt-5.4');
  assert.equal(sanitizeSetting('reasoningEffort', 'extreme'), DEFAULTS.reasoningEffort);
  assert.equal(sanitizeSetting('reasoningEffort', 'high'), 'high');
  assert.equal(sanitizeSetting('authentication', 'apiKey'), 'apiKey');
  assert.equal(sanitizeSetting('authentication', 'password'), 'awsProfile');
  assert.equal(sanitizeSetting('maxOutputTokens', 100.7), 100);
  assert.equal(sanitizeSetting('maxOutputTokens', '100'), 0);
  assert.equal(sanitizeSetting('tokenLifetimeSeconds', Number.NaN), 43200);
  assert.equal(sanitizeSetting('firstByteTimeoutSeconds', 0), 1, 'no way to turn the bound off by hand');
  assert.equal(sanitizeSetting('firstByteTimeoutSeconds', 99_999), 3600);
  assert.equal(sanitizeSetting('streamIdleTimeoutSeconds', '30'), DEFAULTS.streamIdleTimeoutSeconds);
  assert.equal(sanitizeSetting('streamIdleTimeoutSeconds', 30.4), 30);
  assert.equal(sanitizeSetting('developerPrompt', '  keep spaces  '), '  keep spaces  ');
  assert.equal(sanitizeSetting('developerPrompt', 42), '');
  assert.equal(sanitizeSetting('profile', ' dev '), 'dev');
  assert.equal(sanitizeSetting('endpoint', { url: 'x' }), '');
});

test('one profile rule: explicit, else AWS_PROFILE, else none; an API key signs with no profile', () => {
  assert.equal(chosenProfile(' dev ', { AWS_PROFILE: 'ci' }), 'dev');
  assert.equal(chosenProfile('', { AWS_PROFILE: ' ci ' }), 'ci');
  assert.equal(chosenProfile(undefined, {}), undefined);
  assert.equal(settingsProfile({ authentication: 'awsProfile', profile: '' }, { AWS_PROFILE: 'ci' }), 'ci');
  assert.equal(settingsProfile({ authentication: 'apiKey', profile: 'dev' }, { AWS_PROFILE: 'ci' }), undefined);
});

test('tokenLifetimeSeconds out of range is refused once per value; the last good value (else the default) is used', () => {
  const range = properties['bedrockGpt.tokenLifetimeSeconds'];
  assert.deepEqual({ min: range.minimum, max: range.maximum }, { ...TOKEN_LIFETIME_RANGE_SECONDS }, 'the range package.json declares');
  assert.equal(TOKEN_LIFETIME_RANGE_SECONDS.max, MAX_TOKEN_LIFETIME_SECONDS, 'the signer\'s own top');

  const fresh = new TokenLifetimeSetting();
  assert.deepEqual(fresh.choose(99_999), { seconds: DEFAULTS.tokenLifetimeSeconds, refused: 99_999, announce: true }, 'nothing good seen yet: the default');
  assert.deepEqual(fresh.choose(99_999), { seconds: DEFAULTS.tokenLifetimeSeconds, refused: 99_999, announce: false }, 'the same value is said once');

  const setting = new TokenLifetimeSetting();
  assert.deepEqual(setting.choose(900), { seconds: 900, announce: false });
  assert.deepEqual(setting.choose(0), { seconds: 900, refused: 0, announce: true }, 'the last good value stays');
  assert.deepEqual(setting.choose(-5), { seconds: 900, refused: -5, announce: true }, 'another bad value is said again');
  assert.deepEqual(setting.choose(43_201), { seconds: 900, refused: 43_201, announce: true });
  assert.deepEqual(setting.choose(1), { seconds: 1, announce: false }, 'both ends of the range are allowed');
  assert.deepEqual(setting.choose(43_200), { seconds: 43_200, announce: false });
  assert.deepEqual(setting.choose(43_201), { seconds: 43_200, refused: 43_201, announce: true }, 'after a good value, a bad one is said again');
});
