import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_REGION, displayName, KNOWN_MODELS, MANTLE_REGIONS, modelInfo, regionsOffering, regionsServing } from '../../src/core/models';

test('the seed models, regions and prices are data', () => {
  assert.deepEqual(KNOWN_MODELS.map((m) => m.id), ['openai.gpt-5.5', 'openai.gpt-5.4']);
  assert.deepEqual(modelInfo('openai.gpt-5.5')?.price, { inputPerMTok: 5.5, cachedInputPerMTok: 0.55, outputPerMTok: 33 });
  assert.deepEqual(modelInfo('openai.gpt-5.4')?.price, { inputPerMTok: 2.75, cachedInputPerMTok: 0.275, outputPerMTok: 16.5 });
  assert.equal(modelInfo('openai.gpt-5.4')?.contextTokens, 272_000);
  assert.ok((modelInfo('openai.gpt-5.5')?.contextTokens ?? 0) > 0);
});

test('regionsServing gives confirmed regions; custom ids give none', () => {
  assert.deepEqual(regionsServing('openai.gpt-5.5'), ['us-east-2']);
  assert.deepEqual(regionsServing('openai.gpt-5.4'), ['us-east-2', 'us-west-2']);
  assert.deepEqual(regionsServing('my.custom-model'), []);
  assert.ok(regionsOffering('openai.gpt-5.5').includes('us-east-1'), 'reported (unconfirmed) regions are offered in pickers');
  assert.equal(modelInfo('my.custom-model'), undefined);
});

test('every confirmed or reported region is a mantle region, default first', () => {
  assert.equal(DEFAULT_REGION, 'us-east-2');
  assert.equal(MANTLE_REGIONS[0], DEFAULT_REGION);
  for (const m of KNOWN_MODELS) for (const r of regionsOffering(m.id)) assert.ok(MANTLE_REGIONS.includes(r), r);
  assert.equal(new Set(MANTLE_REGIONS).size, MANTLE_REGIONS.length);
});

test('displayName', () => {
  assert.equal(displayName('openai.gpt-5.5'), 'GPT-5.5');
  assert.equal(displayName('openai.gpt-5.4'), 'GPT-5.4');
  assert.equal(displayName('acme.model-x'), 'acme.model-x');
});
