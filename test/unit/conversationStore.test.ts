/**
 * core's ConversationStore in a temporary folder: one file per conversation, the index, resuming the last one,
 * rename, delete, search, the count and size bounds (oldest pruned), a damaged index rebuilt; and a Conversation
 * on it against the stand-in, saved on completion and resumed by a new store on the same folder.
 * Run: node --import tsx --test test/unit/conversationStore.test.ts
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import * as core from '../../src/core/index';
import { Conversation, type ConversationHost, type PersistedChat } from '../../src/core/conversation';
import { ConversationStore, titleFrom, type HistoryLimits } from '../../src/core/conversationStore';
import { DEFAULTS } from '../../src/core/settings';
import type { ChatTurn } from '../../src/shared/protocol';
import { STATIC_TEST_KEY } from '../standin/keys';
import { gcFunction } from '../support/gc';
import { startStandin, type Standin } from '../standin/server';

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'bedrock-gpt-history-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const turn = (question: string, answer = 'An answer.', dollars = 0.01): ChatTurn => ({
  requestId: `r-${question}`, question, model: 'openai.gpt-5.5', region: 'us-east-2', answer, reasoning: '', status: 'done',
  usage: { usage: { inputTokens: 10, cachedInputTokens: 0, outputTokens: 10, reasoningTokens: 0, totalTokens: 20 }, dollars, totalMs: 1 },
});
const chat = (id: string, ...turns: ChatTurn[]): PersistedChat => ({ version: 1, conversation: { id, turns }, origins: {} });
const limits = (o: Partial<HistoryLimits> = {}) => () => ({ maxConversations: 100, maxBytes: 10_000_000, ...o });
const files = () => readdirSync(dir).filter((f) => f.endsWith('.json') && f !== 'index.json').sort();
/** The number of turns in the conversation's file. */
const onDisk = (id: string) => (JSON.parse(readFileSync(join(dir, `${id}.json`), 'utf8')) as PersistedChat).conversation.turns.length;

describe('ConversationStore', () => {
  it('keeps one file per conversation and resumes the last one in a new store on the same folder', async () => {
    const store = new ConversationStore(dir, limits());
    await store.save(chat('a1', turn('How does the cart total work?\nSecond line')));
    await store.save(chat('b2', turn('Why is login slow?', 'Because.', 0.02)));
    assert.deepEqual(files(), ['a1.json', 'b2.json']);
    const again = new ConversationStore(dir, limits());
    assert.equal(again.current()?.conversation.id, 'b2');
    const list = again.list();
    assert.deepEqual(list.map((s) => s.id), ['b2', 'a1'], 'newest first');
    assert.equal(list[1].title, 'How does the cart total work?');
    assert.equal(list[0].model, 'openai.gpt-5.5');
    assert.equal(list[0].dollars, 0.02);
    assert.ok(list[0].bytes > 0 && list[0].createdAt > 0 && list[0].updatedAt >= list[0].createdAt);
  });

  it('an empty conversation (New chat) becomes current without a file', async () => {
    const store = new ConversationStore(dir, limits());
    await store.save(chat('a1', turn('First')));
    await store.save(chat('empty', ));
    assert.deepEqual(files(), ['a1.json']);
    assert.equal(store.currentId, 'empty');
    assert.equal(new ConversationStore(dir, limits()).current(), undefined, 'a new store resumes the empty chat, not an old one');
  });

  it('renames (the title survives later saves), deletes the file, and searches titles, questions and answers', async () => {
    const store = new ConversationStore(dir, limits());
    await store.save(chat('a1', turn('Cart total')));
    await store.save(chat('b2', turn('Login', 'The session token is refreshed too often.')));
    assert.equal(await store.rename('a1', '  Pricing rules  '), true);
    await store.save(chat('a1', turn('Cart total'), turn('And taxes?')));
    assert.equal(new ConversationStore(dir, limits()).list().find((s) => s.id === 'a1')?.title, 'Pricing rules');
    assert.equal(await store.rename('a1', '   '), false, 'an empty title is refused');
    assert.deepEqual((await store.search('pricing')).map((s) => s.id), ['a1']);
    assert.deepEqual((await store.search('SESSION TOKEN')).map((s) => s.id), ['b2']);
    assert.deepEqual((await store.search('taxes')).map((s) => s.id), ['a1']);
    assert.deepEqual(await store.search('nothing like this'), []);
    assert.equal(await store.delete('b2'), true);
    assert.equal(existsSync(store.file('b2')), false);
    assert.deepEqual(new ConversationStore(dir, limits()).list().map((s) => s.id), ['a1']);
    assert.equal(await store.delete('b2'), false);
    assert.equal(store.read('../index'), undefined, 'an id is never a path');
  });

  it('prunes the oldest beyond the count and the size bounds, never the current one', async () => {
    const store = new ConversationStore(dir, limits({ maxConversations: 3 }));
    for (const id of ['c1', 'c2', 'c3', 'c4', 'c5']) await store.save(chat(id, turn(id)));
    assert.deepEqual(files(), ['c3.json', 'c4.json', 'c5.json']);
    const big = 'x'.repeat(5000);
    let maxBytes = 12_000;
    const sized = new ConversationStore(dir, () => ({ maxConversations: 100, maxBytes }));
    await sized.save(chat('big1', turn('one', big)));
    await sized.save(chat('big2', turn('two', big)));
    await sized.save(chat('big3', turn('three', big)));
    const total = sized.list().reduce((n, s) => n + s.bytes, 0);
    assert.ok(total <= 12_000, `${total} bytes kept`);
    assert.deepEqual(sized.list().map((s) => s.id).slice(0, 2), ['big3', 'big2']);
    maxBytes = 100;
    await sized.save(chat('big3', turn('three', big)));
    assert.deepEqual(files(), ['big3.json'], 'the current conversation stays even over the bound');
  });

  it('lists the one saved last first, also when saves fall in the same millisecond', async (t) => {
    t.mock.timers.enable({ apis: ['Date'], now: 1_700_000_000_000 });
    const store = new ConversationStore(dir, limits());
    for (const id of ['a1', 'b2', 'c3']) await store.save(chat(id, turn(id)));
    assert.deepEqual(store.list().map((s) => s.id), ['c3', 'b2', 'a1']);
    await store.save(chat('a1', turn('a1'), turn('again')));
    assert.deepEqual(store.list().map((s) => s.id), ['a1', 'c3', 'b2']);
  });

  it('rebuilds a damaged index from the files', async () => {
    const store = new ConversationStore(dir, limits());
    await store.save(chat('a1', turn('Kept question')));
    writeFileSync(join(dir, 'index.json'), '{ not json');
    const rebuilt = new ConversationStore(dir, limits());
    assert.deepEqual(rebuilt.list().map((s) => [s.id, s.title]), [['a1', 'Kept question']]);
  });

  it('saves that come faster than the disk keep one copy of the conversation queued, and the newest is written', async () => {
    const store = new ConversationStore(dir, limits());
    const gc = gcFunction();
    const versions: WeakRef<PersistedChat>[] = [];
    const saved: Promise<number>[] = [];
    const turns: ChatTurn[] = [];
    for (let i = 1; i <= 50; i++) {
      turns.push(turn(`Question ${i}`, 'An answer of ten kilobytes. '.repeat(360)));
      const version = chat('a1', ...turns);
      versions.push(new WeakRef(version));
      // What is on disk when this save says it is done.
      saved.push(store.save(version).then(() => onDisk('a1')));
    }
    await new Promise((r) => setImmediate(r)); // a new task: WeakRefs made in the last one may be cleared now
    gc();
    const held = versions.slice(0, -1).filter((v) => v.deref()).length;
    assert.equal(held, 0, `${held} of the 49 older versions of the conversation are still held by the queue`);
    assert.deepEqual(await Promise.all(saved), Array(50).fill(50), 'each save resolves once its version or a newer one is on disk');
  });

  it('a save queued after a delete of the same conversation is written after it, and read meanwhile', async () => {
    const store = new ConversationStore(dir, limits());
    const first = store.save(chat('a1', turn('One')));
    const deleted = store.delete('a1');
    const second = store.save(chat('a1', turn('One'), turn('Two')));
    const readAfterDelete = deleted.then(() => store.read('a1')?.conversation.turns.length);
    await Promise.all([first, deleted, second]);
    assert.equal(await deleted, true);
    assert.equal(await readAfterDelete, 2, 'between the delete and the second write, read() gives the second save');
    assert.equal(onDisk('a1'), 2, 'the second save re-creates the file');
  });

  it('an empty save never takes the place of a waiting save with turns', async () => {
    const store = new ConversationStore(dir, limits());
    await Promise.all([store.save(chat('a1', turn('One'))), store.save(chat('a1'))]);
    assert.equal(onDisk('a1'), 1, 'the turn is written');
    assert.equal(new ConversationStore(dir, limits()).read('a1')?.conversation.turns.length, 1);
  });

  it('titleFrom: the first line, spaces folded, at most 80 characters', () => {
    assert.equal(titleFrom('  Why   is\tthis slow?\nmore'), 'Why is this slow?');
    assert.equal(titleFrom('a'.repeat(100)).length, 80);
    assert.equal(titleFrom(undefined), '');
  });
});

describe('a Conversation on the store', () => {
  let standin: Standin;
  before(async () => (standin = await startStandin({ port: 0 })));
  after(() => standin.close());

  it('is saved when an answer completes, opened again, and New chat starts a new file', async () => {
    const host: ConversationHost = {
      settings: () => ({ ...DEFAULTS, endpoint: standin.endpointTemplate }),
      connect: async (region, endpoint) => ({ core, client: core.createClient({ region, endpoint, maxRetries: 0, tokenProvider: () => core.buildBearerToken(STATIC_TEST_KEY, region) }) }),
      describeError: () => ({ code: 'x', message: 'x', actions: [] }),
    };
    const errors: string[] = [];
    const log = { info() {}, error(m: string, err?: unknown) { errors.push(`${m}: ${String(err)}`); } };
    const store = new ConversationStore(dir, limits());
    const conversation = new Conversation(host, store, log);
    await conversation.ask({ prompt: 'What does the cart do?' });
    await store.flush();
    const firstId = conversation.id;
    assert.equal(store.read(firstId)?.conversation.turns[0].status, 'done');
    assert.match(store.read(firstId)!.conversation.turns[0].answer, /What does the cart do\?/);

    await conversation.clear();
    await conversation.ask({ prompt: 'Another topic' });
    await store.flush();
    assert.notEqual(conversation.id, firstId);
    assert.equal(files().length, 2);

    const resumed = new Conversation(host, new ConversationStore(dir, limits()), log);
    assert.equal(resumed.id, conversation.id, 'the last conversation is resumed');
    await conversation.open(store.read(firstId)!);
    assert.equal(conversation.id, firstId);
    assert.equal(conversation.turns[0].question, 'What does the cart do?');
    await store.flush();
    conversation.dispose();
    resumed.dispose();
    assert.deepEqual(errors, []);
  });
});
