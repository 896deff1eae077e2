import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildInput } from '../../src/core/ask';
import { EDITOR_INSTRUCTIONS, developerInstructions } from '../../src/core/prompts';

test('the built-in instructions stand alone when the user adds none', () => {
  assert.equal(developerInstructions(undefined), EDITOR_INSTRUCTIONS);
  assert.equal(developerInstructions('   '), EDITOR_INSTRUCTIONS);
});

test("the user's developer prompt follows the built-in instructions", () => {
  const text = developerInstructions(' Answer in German. ');
  assert.ok(text.startsWith(EDITOR_INSTRUCTIONS));
  assert.ok(text.endsWith('\n\nAnswer in German.'));
});

test('the instructions travel as the developer message, before the question', () => {
  const input = buildInput({ model: 'openai.gpt-5.5', prompt: 'Why?', instructions: developerInstructions('Be brief.') });
  assert.deepEqual(input.map((m) => m.role), ['developer', 'user']);
  assert.match(input[0].content, /complete replacement for the selection in one code block/);
});
