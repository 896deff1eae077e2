import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ProposalStore, editedSince, freshness } from '../../src/core/proposals';

test('resolve: the clicked tab\'s proposal, never another\'s; else the active tab\'s; else the only one', () => {
  const store = new ProposalStore<string>();
  store.add('p:/1', 'first');
  store.add('p:/2', 'second');
  assert.deepEqual(store.resolve('p:/1', 'p:/2'), { key: 'p:/1', proposal: 'first' }, 'the click wins over the active tab');
  assert.deepEqual(store.resolve(undefined, 'p:/2'), { key: 'p:/2', proposal: 'second' });
  assert.equal(store.resolve(undefined, undefined), undefined, 'two pending and no tab named: nothing is guessed');
  assert.equal(store.resolve('p:/gone', 'p:/2'), undefined, 'a click on a freed proposal accepts nothing else');
  assert.equal(store.delete('p:/1'), true);
  assert.deepEqual(store.resolve(undefined, 'file:/x'), { key: 'p:/2', proposal: 'second' }, 'one pending: that one');
  assert.equal(store.delete('p:/1'), false);
  assert.equal(store.size, 1);
});

test('keysWhere selects a change set\'s files', () => {
  const store = new ProposalStore<{ set: number }>();
  store.add('a', { set: 1 });
  store.add('b', { set: 2 });
  store.add('c', { set: 1 });
  assert.deepEqual(store.keysWhere((p) => p.set === 1), ['a', 'c']);
});

test('freshness: unchanged, changed (also when edited after the question), created, deleted', () => {
  assert.equal(freshness('x', 'x'), 'unchanged');
  assert.equal(freshness('x', 'y'), 'changed');
  assert.equal(freshness('x', 'x', true), 'changed');
  assert.equal(freshness(undefined, undefined), 'unchanged');
  assert.equal(freshness(undefined, ''), 'created');
  assert.equal(freshness('x', undefined), 'deleted');
});

test('editedSince: a save or an edit after the question; unknown question time says no', () => {
  assert.equal(editedSince(1000, 999, undefined), false);
  assert.equal(editedSince(1000, 1001, undefined), true);
  assert.equal(editedSince(1000, 10, 1500), true);
  assert.equal(editedSince(undefined, 5000, 5000), false);
});
