import assert from 'node:assert/strict';
import { test } from 'node:test';
import { modelChoices, panelSettings, regionChoices } from '../../src/core/modelChoices';
import { DEFAULTS } from '../../src/core/settings';

test('without the region\'s list: the built-in models, the current one marked', () => {
  const c = modelChoices('openai.gpt-5.4');
  assert.deepEqual(c.map((m) => [m.id, m.source, m.servedHere, m.current]), [
    ['openai.gpt-5.5', 'known', undefined, false],
    ['openai.gpt-5.4', 'known', undefined, true],
  ]);
});

test('with the list: served built-ins, then listed-only ids, then built-ins not served here', () => {
  const c = modelChoices('openai.gpt-5.5', ['openai.gpt-5.4', 'openai.gpt-oss-120b']);
  assert.deepEqual(c.map((m) => [m.id, m.source, m.servedHere]), [
    ['openai.gpt-5.4', 'known', true],
    ['openai.gpt-oss-120b', 'listed', true],
    ['openai.gpt-5.5', 'known', false],
  ]);
});

test('a configured custom id nobody lists comes last; one the region lists is not repeated', () => {
  assert.deepEqual(modelChoices('my.model', ['openai.gpt-5.5']).at(-1), { id: 'my.model', label: 'my.model', source: 'current', servedHere: false, regions: [], current: true });
  assert.equal(modelChoices('my.model').at(-1)?.servedHere, undefined);
  assert.equal(modelChoices('my.model', ['my.model']).filter((m) => m.id === 'my.model').length, 1);
});

test('regions that serve the model come first, reported ones are told apart', () => {
  const r = regionChoices('openai.gpt-5.4', 'us-west-2');
  assert.deepEqual(r.slice(0, 2).map((x) => [x.id, x.serves]), [['us-east-2', true], ['us-west-2', true]]);
  assert.ok(r.find((x) => x.id === 'us-west-2')?.current);
  assert.ok(r.slice(2).every((x) => !x.serves));
  assert.ok(regionChoices('my.model', 'us-east-2').every((x) => !x.serves && !x.reported));
});

test('the panel\'s picker adds a custom configured model', () => {
  const p = panelSettings({ ...DEFAULTS, model: 'my.model' });
  assert.deepEqual(p.models.at(-1), { id: 'my.model', label: 'my.model' });
  assert.equal(p.efforts.length, 6);
  assert.equal(panelSettings(DEFAULTS).models.length, 2);
});
