/**
 * The stand-in's function calling on the wire (test/standin/tools.ts), driven with plain fetch: the streamed
 * event order of a call, the non-streamed output items, and the refusals the real API gives for bad tool input.
 * Run: node --import tsx --test test/unit/standinTools.test.ts
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { buildBearerToken } from '../../src/core/token';
import { STATIC_TEST_KEY } from '../standin/keys';
import { startStandin, type Standin } from '../standin/server';

let standin: Standin;
let token: string;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

async function post(body: Record<string, unknown>): Promise<{ status: number; body: Json; text: string }> {
  const res = await fetch(`${standin.url}/us-east-2/openai/v1/responses`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'openai.gpt-5.4', ...body }),
  });
  const text = await res.text();
  return { status: res.status, text, body: body.stream ? undefined : JSON.parse(text) };
}

const TOOLS = [{ type: 'function', name: 'read_file', description: 'Reads a file.', parameters: { type: 'object', properties: { path: { type: 'string' } } } }];
const ask = (content: string) => [{ role: 'user', content }];

function events(text: string): Json[] {
  return text.split('\n\n').filter((b) => b.trim()).map((b) => JSON.parse(/^data: (.*)$/m.exec(b)![1]));
}

describe('stand-in function calling', () => {
  before(async () => {
    standin = await startStandin();
    token = await buildBearerToken(STATIC_TEST_KEY, 'us-east-2');
  });
  after(() => standin.close());
  beforeEach(() => standin.reset());

  it('streams a call as output_item.added, arguments delta/done, output_item.done, in order', async () => {
    const r = await post({ input: ask('[[tool:read_file {"path":"a.ts"}]]'), tools: TOOLS, stream: true, include: ['reasoning.encrypted_content'], store: false });
    assert.equal(r.status, 200);
    const all = events(r.text);
    const types = all.map((e) => e.type).filter((t, i, a) => t !== a[i - 1]);
    assert.deepEqual(types, [
      'response.created', 'response.in_progress',
      'response.output_item.added', 'response.output_item.done', // the reasoning item
      'response.output_item.added', 'response.function_call_arguments.delta', 'response.function_call_arguments.done', 'response.output_item.done',
      'response.completed',
    ]);
    assert.deepEqual(all.map((e) => e.sequence_number), all.map((_, i) => i));
    const added = all.filter((e) => e.type === 'response.output_item.added')[1];
    assert.equal(added.item.type, 'function_call');
    assert.equal(added.item.arguments, '');
    assert.equal(added.item.status, 'in_progress');
    assert.equal(added.item.name, 'read_file');
    const deltas = all.filter((e) => e.type === 'response.function_call_arguments.delta');
    assert.equal(deltas.map((d) => d.delta).join(''), '{"path":"a.ts"}');
    assert.ok(deltas.every((d) => d.item_id === added.item.id && d.output_index === 1));
    const done = all.find((e) => e.type === 'response.function_call_arguments.done');
    assert.deepEqual([done.name, done.arguments], ['read_file', '{"path":"a.ts"}']);
    const final = all.at(-1).response;
    assert.deepEqual(final.output.map((o: Json) => o.type), ['reasoning', 'function_call']);
    assert.match(final.output[0].encrypted_content, /^gAAAAA/);
    assert.equal(final.output[1].call_id, added.item.call_id);
    assert.equal(final.tool_choice, 'auto');
  });

  it('leaves the encrypted content out unless include asks for it', async () => {
    const r = await post({ input: ask('[[tool:read_file]]'), tools: TOOLS });
    assert.equal(r.body.output[0].type, 'reasoning');
    assert.equal(r.body.output[0].encrypted_content, undefined);
  });

  it('refuses a function_call_output whose call_id no earlier function_call had', async () => {
    const r = await post({ input: [...ask('hi'), { type: 'function_call_output', call_id: 'call_x', output: 'data' }], tools: TOOLS });
    assert.equal(r.status, 400);
    assert.deepEqual(r.body.error, { message: 'No tool call found for function call output with call_id call_x.', type: 'invalid_request_error', param: 'input', code: 'invalid_request_error' });
  });

  it('refuses a function_call without its output', async () => {
    const r = await post({ input: [...ask('hi'), { type: 'function_call', call_id: 'call_y', name: 'read_file', arguments: '{}' }], tools: TOOLS });
    assert.equal(r.status, 400);
    assert.match(r.body.error.message, /No tool output found for function call call_y/);
  });

  it('with store false, a reasoning item needs the encrypted content the service issued', async () => {
    const first = await post({ input: ask('[[tool:read_file]]'), tools: TOOLS, store: false, include: ['reasoning.encrypted_content'] });
    const [reasoning, call] = first.body.output;
    const replay = (r: Json) => post({ input: [...ask('[[tool:read_file]]'), r, call, { type: 'function_call_output', call_id: call.call_id, output: 'x' }], tools: TOOLS, store: false });
    const ok = await replay(reasoning);
    assert.equal(ok.status, 200);
    assert.match(ok.body.output.at(-1).content[0].text, /read the result of read_file: "x"/);
    const bare = await replay({ type: 'reasoning', id: reasoning.id, summary: [] });
    assert.equal(bare.status, 404);
    assert.match(bare.body.error.message, /Items are not persisted when `store` is set to false/);
    const forged = await replay({ ...reasoning, encrypted_content: 'gAAAAAforged' });
    assert.equal(forged.status, 400);
    assert.match(forged.body.error.message, /could not be verified/);
  });

  it('checks tool_choice against the tools', async () => {
    const named = await post({ input: ask('hi'), tools: TOOLS, tool_choice: { type: 'function', name: 'nope' } });
    assert.equal(named.status, 400);
    assert.equal(named.body.error.param, 'tool_choice');
    const required = await post({ input: ask('hi'), tool_choice: 'required' });
    assert.equal(required.status, 400);
    const none = await post({ input: ask('[[tool:read_file]]'), tools: TOOLS, tool_choice: 'none' });
    assert.deepEqual(none.body.output.map((o: Json) => o.type), ['reasoning', 'message']);
    const badName = await post({ input: ask('hi'), tools: [{ type: 'function', name: 'has space' }] });
    assert.equal(badName.status, 400);
    assert.equal(badName.body.error.param, 'tools[0].name');
  });

  it('records the tools, the tool choice and the tool items it saw', async () => {
    await post({ input: ask('hi'), tools: TOOLS, tool_choice: 'required' });
    const seen = standin.requests[0];
    assert.deepEqual([seen.tools, seen.toolChoice], [['read_file'], 'required']);
  });
});
