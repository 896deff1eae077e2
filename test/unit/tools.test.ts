/**
 * Function calling in the core (src/core/chat/tools.ts, respond.ts) against the Bedrock stand-in over real HTTP:
 * the mapping of messages to input items, a whole tool loop with reasoning carried statelessly, tool_choice,
 * cancel, and the service's refusals.
 * Run: node --import tsx --test test/unit/tools.test.ts
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { BadRequestError } from 'openai';
import { createClient } from '../../src/core/client';
import { respond, respondBody, parseArguments, type RespondEvent, type RespondOptions } from '../../src/core/chat/respond';
import { countMessageTokens, ReasoningCarry, toInputItems, toolsBody, type ChatMessage, type FunctionTool } from '../../src/core/chat/tools';
import { CLI_WORDS, explainError, renderError } from '../../src/core/errors';
import { AskCancelledError, StreamError } from '../../src/core/failures';
import { buildBearerToken } from '../../src/core/token';
import { countTokens } from '../../src/core/tokenCount';
import { STATIC_TEST_KEY } from '../standin/keys';
import { startStandin, type Standin } from '../standin/server';
import { waitFor } from '../support/waitFor';

let standin: Standin;

const client = () =>
  createClient({ region: 'us-east-2', endpoint: standin.endpointTemplate, maxRetries: 0, tokenProvider: () => buildBearerToken(STATIC_TEST_KEY, 'us-east-2') });

async function run(o: Omit<RespondOptions, 'model'> & { model?: string }): Promise<RespondEvent[]> {
  const events: RespondEvent[] = [];
  for await (const e of respond(client(), { model: 'openai.gpt-5.5', effort: 'medium', ...o })) events.push(e);
  return events;
}

const WEATHER: FunctionTool = {
  name: 'get_weather',
  description: 'The weather in a city.',
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
};
const CLOCK: FunctionTool = { name: 'get_time', description: 'The time now.' };

const completed = (events: RespondEvent[]) => {
  const last = events.at(-1);
  assert.equal(last?.type, 'completed');
  return last as Extract<RespondEvent, { type: 'completed' }>;
};
const calls = (events: RespondEvent[]) => events.filter((e): e is Extract<RespondEvent, { type: 'toolCall' }> => e.type === 'toolCall');
const text = (events: RespondEvent[]) => events.flatMap((e) => (e.type === 'text' ? [e.delta] : [])).join('');

describe('tool mapping (no network)', () => {
  it('maps text, tool calls and tool results to message, function_call and function_call_output items', () => {
    const messages: ChatMessage[] = [
      { role: 'developer', parts: [{ type: 'text', text: 'Be brief.' }] },
      { role: 'user', parts: [{ type: 'text', text: 'Weather in Oslo?' }] },
      { role: 'assistant', parts: [{ type: 'text', text: 'Checking.' }, { type: 'toolCall', callId: 'call_1', name: 'get_weather', input: { city: 'Oslo' } }] },
      { role: 'user', parts: [{ type: 'toolResult', callId: 'call_1', output: 'rain, 4 °C' }] },
    ];
    assert.deepEqual(toInputItems(messages), [
      { type: 'message', role: 'developer', content: 'Be brief.' },
      { type: 'message', role: 'user', content: 'Weather in Oslo?' },
      { type: 'message', role: 'assistant', content: 'Checking.' },
      { type: 'function_call', call_id: 'call_1', name: 'get_weather', arguments: '{"city":"Oslo"}' },
      { type: 'function_call_output', call_id: 'call_1', output: 'rain, 4 °C' },
    ]);
  });

  it('puts the carried reasoning item before the call it preceded, once per response', () => {
    const carry = new ReasoningCarry();
    const reasoning = { type: 'reasoning' as const, id: 'rs_1', summary: [], encrypted_content: 'gAAAAAx' };
    carry.remember([
      reasoning,
      { type: 'function_call', call_id: 'a', name: 'get_time', arguments: '{}', id: 'fc_a' },
      { type: 'function_call', call_id: 'b', name: 'get_time', arguments: '{ }', id: 'fc_b' },
    ]);
    const items = toInputItems([{ role: 'assistant', parts: [{ type: 'toolCall', callId: 'a', name: 'get_time', input: {} }, { type: 'toolCall', callId: 'b', name: 'get_time', input: {} }] }], carry);
    assert.deepEqual(items, [
      reasoning,
      { type: 'function_call', call_id: 'a', name: 'get_time', arguments: '{}', id: 'fc_a' },
      { type: 'function_call', call_id: 'b', name: 'get_time', arguments: '{ }', id: 'fc_b' },
    ]);
  });

  it('keeps at most maxCalls calls, oldest dropped first', () => {
    const carry = new ReasoningCarry(2);
    for (const id of ['x', 'y', 'z']) carry.remember([{ type: 'function_call', call_id: id, name: 'n', arguments: '{}' }]);
    assert.equal(carry.size, 2);
    assert.equal(carry.lookup('x'), undefined);
    assert.ok(carry.lookup('z'));
  });

  it('sends tools as non-strict function tools; Required and a named tool as tool_choice', () => {
    assert.deepEqual(toolsBody([], 'required'), {});
    const body = toolsBody([WEATHER, CLOCK], 'required');
    assert.equal(body.tool_choice, 'required');
    assert.deepEqual(body.tools?.[1], { type: 'function', name: 'get_time', description: 'The time now.', parameters: { type: 'object', properties: {} }, strict: false });
    assert.deepEqual(toolsBody([WEATHER], { name: 'get_weather' }).tool_choice, { type: 'function', name: 'get_weather' });
    const sent = respondBody({ model: 'm', input: [], tools: [WEATHER] });
    assert.equal(sent.store, false);
    assert.deepEqual(sent.include, ['reasoning.encrypted_content']);
    assert.equal(sent.tool_choice, 'auto');
  });

  it('parses arguments to an object, and says which tool sent bad JSON', () => {
    assert.deepEqual(parseArguments('t', '{"a":[1]}'), { a: [1] });
    assert.deepEqual(parseArguments('t', ''), {});
    assert.throws(() => parseArguments('get_weather', '{"city":'), (e: unknown) => e instanceof StreamError && /get_weather.*not valid JSON/.test(e.message));
    assert.throws(() => parseArguments('t', '[1]'), /not a JSON object/);
  });

  it('counts o200k tokens of every part plus the framing', () => {
    const m: ChatMessage = { role: 'user', parts: [{ type: 'text', text: 'Hello there' }, { type: 'toolResult', callId: 'c', output: 'sunny' }] };
    assert.equal(countMessageTokens(m), 3 + countTokens('Hello there') + countTokens('sunny'));
  });
});

describe('respond against the stand-in', () => {
  before(async () => {
    standin = await startStandin();
  });
  after(() => standin.close());
  beforeEach(() => standin.reset());

  it('runs a whole tool loop: call with parsed input, result back with the carried reasoning, then the answer', async () => {
    const carry = new ReasoningCarry();
    const ask: ChatMessage = { role: 'user', parts: [{ type: 'text', text: 'Weather? [[tool:get_weather {"city":"Oslo"}]]' }] };
    const first = await run({ input: toInputItems([ask], carry), tools: [WEATHER, CLOCK] });
    const [call] = calls(first);
    assert.equal(call.name, 'get_weather');
    assert.deepEqual(call.input, { city: 'Oslo' });
    assert.match(call.callId, /^call_/);
    const done = completed(first);
    assert.deepEqual(done.output.map((i) => i.type), ['reasoning', 'function_call']);
    assert.match((done.output[0] as { encrypted_content: string }).encrypted_content, /^gAAAAA/);
    carry.remember(done.output);
    assert.deepEqual(standin.requests[0].include, ['reasoning.encrypted_content']);
    assert.equal(standin.requests[0].store, false);

    const next = toInputItems([
      ask,
      { role: 'assistant', parts: [{ type: 'toolCall', callId: call.callId, name: call.name, input: call.input }] },
      { role: 'user', parts: [{ type: 'toolResult', callId: call.callId, output: 'rain, 4 °C' }] },
    ], carry);
    const second = await run({ input: next, tools: [WEATHER, CLOCK] });
    assert.equal(text(second), 'openai.gpt-5.5 in us-east-2 read the result of get_weather: "rain, 4 °C"');
    assert.equal(calls(second).length, 0);
    assert.deepEqual(standin.requests[1].items?.map((i) => i.type), ['reasoning', 'function_call', 'function_call_output']);
    assert.ok(completed(second).usage.inputTokens > completed(first).usage.inputTokens);
  });

  it('without the carried reasoning, the replayed call is refused as the real API refuses it', async () => {
    const first = await run({ input: [{ type: 'message', role: 'user', content: '[[tool:get_time]]' }], tools: [CLOCK] });
    const call = completed(first).output.find((i) => i.type === 'function_call')!;
    const withoutReasoning = toInputItems([
      { role: 'user', parts: [{ type: 'text', text: '[[tool:get_time]]' }] },
      { role: 'assistant', parts: [{ type: 'toolCall', callId: 'x', name: 'get_time', input: {} }] },
    ]);
    // The replayed call with its fc_ id but no reasoning item before it:
    withoutReasoning[1] = { ...(call as object), type: 'function_call' } as (typeof withoutReasoning)[number];
    withoutReasoning.push({ type: 'function_call_output', call_id: (call as { call_id: string }).call_id, output: '12:00' });
    await assert.rejects(run({ input: withoutReasoning, tools: [CLOCK] }), (e: unknown) => e instanceof BadRequestError && /without its required 'reasoning' item/.test(e.message));
  });

  it('Required mode makes the model call a tool although the question names none', async () => {
    const events = await run({ input: [{ type: 'message', role: 'user', content: 'What time is it?' }], tools: [CLOCK, WEATHER], toolChoice: 'required' });
    assert.equal(standin.requests[0].toolChoice, 'required');
    assert.deepEqual(calls(events).map((c) => c.name), ['get_time']);
    assert.equal(text(events), '');
  });

  it('handles several calls in one response', async () => {
    const events = await run({ input: [{ type: 'message', role: 'user', content: '[[tool:get_time]] [[tool:get_weather {"city":"Rome"}]]' }], tools: [CLOCK, WEATHER] });
    assert.deepEqual(calls(events).map((c) => [c.name, c.input]), [['get_time', {}], ['get_weather', { city: 'Rome' }]]);
  });

  it('answers in text when no tool is asked for', async () => {
    const events = await run({ input: [{ type: 'message', role: 'user', content: 'Hello' }], tools: [CLOCK] });
    assert.equal(text(events), 'openai.gpt-5.5 in us-east-2 answers question 1: "Hello"');
    assert.equal(calls(events).length, 0);
  });

  it('a function_call_output with an unknown call id is a 400 that explainError reports', async () => {
    const input = [
      { type: 'message' as const, role: 'user' as const, content: 'Hi' },
      { type: 'function_call_output' as const, call_id: 'call_nowhere', output: 'x' },
    ];
    const err = await run({ input, tools: [CLOCK] }).then(() => undefined, (e: unknown) => e);
    assert.ok(err instanceof BadRequestError);
    assert.equal(err.status, 400);
    assert.match(renderError(explainError(err), CLI_WORDS), /No tool call found for function call output with call_id call_nowhere/);
  });

  it('cancel aborts the request at the stand-in at once', async () => {
    standin.faults.push({ kind: 'slowStream', delayMs: 600_000 });
    const controller = new AbortController();
    const seen: RespondEvent[] = [];
    const done = (async () => {
      for await (const e of respond(client(), { model: 'openai.gpt-5.5', input: [{ type: 'message', role: 'user', content: 'long' }], tools: [CLOCK], signal: controller.signal })) {
        seen.push(e);
        if (e.type === 'text') controller.abort();
      }
    })();
    await assert.rejects(done, AskCancelledError);
    await waitFor('the stand-in to see the abort', () => standin.requests[0]?.aborted === true);
    assert.equal(seen.filter((e) => e.type === 'text').length, 1);
  });
});
