/**
 * What a V8 heap snapshot holds, by constructor (self size), largest first: `tsx bench/heapSummary.ts <file>`.
 * For finding what the heap bench's extension host keeps (BENCH_HEAP_SNAPSHOT=<file> npm run bench -- heap).
 */
import { readFileSync } from 'node:fs';

interface Snapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]] } };
  nodes: number[];
  strings: string[];
}

const file = process.argv[2];
if (!file) throw new Error('usage: tsx bench/heapSummary.ts <file.heapsnapshot> [top]');
const s = JSON.parse(readFileSync(file, 'utf8')) as Snapshot;
const fields = s.snapshot.meta.node_fields;
const width = fields.length;
const [typeAt, nameAt, sizeAt] = ['type', 'name', 'self_size'].map((f) => fields.indexOf(f));
const types = s.snapshot.meta.node_types[0];
const byName = new Map<string, { count: number; bytes: number }>();
for (let i = 0; i < s.nodes.length; i += width) {
  const type = types[s.nodes[i + typeAt]];
  const name = type === 'object' || type === 'closure' ? s.strings[s.nodes[i + nameAt]] : type;
  const key = `${type}:${name}`.slice(0, 100);
  const e = byName.get(key) ?? { count: 0, bytes: 0 };
  e.count++;
  e.bytes += s.nodes[i + sizeAt];
  byName.set(key, e);
}
const top = [...byName].sort((a, b) => b[1].bytes - a[1].bytes).slice(0, Number(process.argv[3] ?? 25));
for (const [name, e] of top) console.log(`${(e.bytes / 2 ** 20).toFixed(1).padStart(8)} MB ${String(e.count).padStart(9)}  ${name}`);
