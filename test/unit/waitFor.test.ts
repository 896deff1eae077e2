import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { holdsWithin, waitFor } from '../support/waitFor';

describe('waitFor (the tests\' polling helper)', () => {
  it('resolves with the first value that is not undefined or false', async () => {
    let polls = 0;
    const value = await waitFor('the third poll', () => (++polls >= 3 ? `poll ${polls}` : false), 1000, 1);
    assert.equal(value, 'poll 3');
  });

  it('names what it waited for and what it last saw when time is up', async () => {
    let seen = 0;
    await assert.rejects(waitFor('the item to say done', () => undefined, 30, 5, () => `text ${++seen}`),
      (e: Error) => /timed out after 30 ms waiting for the item to say done \(last seen: text 1\)$/.test(e.message));
  });

  it('still times out when reading what it last saw fails', async () => {
    await assert.rejects(waitFor('a thing', () => false, 10, 5, () => { throw new Error('page closed'); }),
      (e: Error) => e.message.includes('(last seen: unreadable: Error: page closed)'));
  });

  it('holdsWithin says whether a condition came to hold in time, without throwing', async () => {
    let polls = 0;
    assert.equal(await holdsWithin(() => ++polls >= 2, 2000), true);
    assert.equal(await holdsWithin(() => false, 50), false);
  });
});
