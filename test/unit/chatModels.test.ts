/**
 * What VS Code's model picker is told (src/core/chat/chatModels.ts) and the session's spend ledger
 * (src/core/costLedger.ts), both plain data.
 * Run: node --import tsx --test test/unit/chatModels.test.ts
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { chatModelsFor } from '../../src/core/chat/chatModels';
import { costOf } from '../../src/core/cost';
import { CostLedger } from '../../src/core/costLedger';
import type { Usage } from '../../src/core/types';

const usage = (input: number, output: number, cached = 0): Usage => ({ inputTokens: input, cachedInputTokens: cached, outputTokens: output, reasoningTokens: 0, totalTokens: input + output });

describe('chatModelsFor', () => {
  it('offers the models the table confirms for the region when /models could not be asked', () => {
    assert.deepEqual(chatModelsFor('us-east-2').map((m) => m.id), ['openai.gpt-5.5', 'openai.gpt-5.4']);
    assert.deepEqual(chatModelsFor('us-west-2').map((m) => m.id), ['openai.gpt-5.4']);
    assert.deepEqual(chatModelsFor('eu-west-1'), []);
  });

  it('follows what /models listed, keeping only models it knows, in the table order', () => {
    assert.deepEqual(chatModelsFor('us-east-1', ['openai.gpt-oss-120b', 'openai.gpt-5.4', 'openai.gpt-5.5']).map((m) => m.id), ['openai.gpt-5.5', 'openai.gpt-5.4']);
    assert.deepEqual(chatModelsFor('us-east-2', []), []);
  });

  it('describes a model: name, family, version, limits, tool calling, region and price', () => {
    const [m] = chatModelsFor('us-east-2');
    assert.deepEqual(
      { ...m, tooltip: undefined },
      {
        id: 'openai.gpt-5.5', name: 'GPT-5.5', family: 'gpt-5.5', version: '5.5', detail: 'Bedrock · us-east-2', tooltip: undefined,
        maxInputTokens: 272_000, maxOutputTokens: 128_000, capabilities: { toolCalling: true, imageInput: false }, region: 'us-east-2',
      },
    );
    assert.equal(m.tooltip, 'GPT-5.5 (openai.gpt-5.5) on Amazon Bedrock in us-east-2. $5.50 input, $0.55 cached input, $33.00 output per 1M tokens; reasoning is billed as output.');
  });
});

describe('CostLedger', () => {
  it('adds up each source and both together, and fires on every request', () => {
    const ledger = new CostLedger();
    let changes = 0;
    ledger.onDidChange(() => changes++);
    ledger.add('panel', 'openai.gpt-5.5', usage(1000, 100));
    ledger.add('languageModel', 'openai.gpt-5.4', usage(2000, 200, 1000));
    ledger.add('languageModel', 'openai.gpt-5.4', usage(10, 10));
    assert.equal(changes, 3);
    const lm = ledger.total('languageModel');
    assert.equal(lm.requests, 2);
    assert.equal(lm.tokens, 2220);
    assert.equal(lm.dollars, costOf(usage(2000, 200, 1000), 'openai.gpt-5.4').dollars + costOf(usage(10, 10), 'openai.gpt-5.4').dollars);
    const all = ledger.total();
    assert.equal(all.requests, 3);
    assert.equal(all.dollars, ledger.total('panel').dollars + lm.dollars);
    assert.equal(all.complete, true);
  });

  it('marks the total incomplete when a model has no known price', () => {
    const ledger = new CostLedger();
    ledger.add('languageModel', 'acme.custom', usage(10, 10));
    assert.deepEqual(ledger.total(), { requests: 1, tokens: 20, dollars: 0, complete: false });
    assert.equal(ledger.total('panel').complete, true);
  });
});
