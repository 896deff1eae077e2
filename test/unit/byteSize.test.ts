// One size formatter for every message. Run: node --import tsx --test test/unit/byteSize.test.ts
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatBytes } from '../../src/core/byteSize';

test('formatBytes, compact (the file pick, the CLI) and exact (refusals)', () => {
  assert.equal(formatBytes(512, { compact: true }), '512 B');
  assert.equal(formatBytes(2048, { compact: true }), '2.0 KiB');
  assert.equal(formatBytes(3 * 1024 * 1024, { compact: true }), '3.0 MiB');
  assert.equal(formatBytes(512), '512 bytes');
  assert.equal(formatBytes(2048), '2.0 KiB (2,048 bytes)');
  assert.equal(formatBytes(3 * 1024 * 1024), '3.0 MiB (3,145,728 bytes)');
});
