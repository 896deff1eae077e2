import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { DeltaBatcher, type BatcherTimers } from '../../src/core/deltaBatcher';
import type { ExtensionMessage } from '../../src/shared/protocol';

/** Timers the test fires by hand. */
function manualTimers(): BatcherTimers & { fire(): void; armed: number } {
  let due: (() => void) | undefined;
  const t = {
    armed: 0,
    setTimeout: (fn: () => void) => {
      t.armed++;
      due = fn;
      return t.armed;
    },
    clearTimeout: () => {
      due = undefined;
    },
    fire: () => {
      const fn = due;
      due = undefined;
      fn?.();
    },
  };
  return t;
}

const delta = (requestId: string, text: string): ExtensionMessage => ({ type: 'delta', requestId, text });

test('the first text goes at once; what follows within the interval goes as one message when it ends', () => {
  const sent: ExtensionMessage[] = [];
  const timers = manualTimers();
  const b = new DeltaBatcher((m) => sent.push(m), 16, timers);
  for (const w of ['The ', 'quick ', 'brown ', 'fox']) b.post(delta('r1', w));
  assert.deepEqual(sent, [delta('r1', 'The ')], 'no wait for the first token');
  assert.equal(timers.armed, 1, 'one timer for the batch');
  timers.fire();
  assert.deepEqual(sent, [delta('r1', 'The '), delta('r1', 'quick brown fox')]);
  assert.equal(timers.armed, 2, 'the interval starts again after a batch');
  b.post(delta('r1', '.'));
  timers.fire();
  assert.deepEqual(sent.at(-1), delta('r1', '.'));
  timers.fire();
  b.post(delta('r1', '!'));
  assert.deepEqual(sent.at(-1), delta('r1', '!'), 'after a quiet interval, at once again');
});

test('any other message sends what waits first, so the order is kept', () => {
  const sent: ExtensionMessage[] = [];
  const b = new DeltaBatcher((m) => sent.push(m), 16, manualTimers());
  b.post(delta('r1', 'a'));
  b.post({ type: 'reasoningDelta', requestId: 'r1', text: 'think' });
  b.post(delta('r1', 'b'));
  b.post(delta('r2', 'c'));
  b.post({ type: 'done', requestId: 'r1' });
  assert.deepEqual(sent, [
    delta('r1', 'a'), { type: 'reasoningDelta', requestId: 'r1', text: 'think' }, delta('r1', 'b'), delta('r2', 'c'), { type: 'done', requestId: 'r1' },
  ]);
});

test('the caller\'s message objects are not changed; discard forgets what waits', () => {
  const sent: ExtensionMessage[] = [];
  const timers = manualTimers();
  const b = new DeltaBatcher((m) => sent.push(m), 16, timers);
  b.post(delta('r1', 'w'));
  const second = delta('r1', 'x');
  b.post(second);
  b.post(delta('r1', 'y'));
  assert.equal((second as { text: string }).text, 'x');
  b.discard();
  timers.fire();
  b.flush();
  assert.deepEqual(sent, [delta('r1', 'w')]);
});
