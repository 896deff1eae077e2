/**
 * What a V8 heap snapshot holds, by constructor (self size), largest first, and its largest strings:
 * `tsx bench/heapSummary.ts <file> [top]`. With two snapshots, what grew from the first to the second:
 * `tsx bench/heapSummary.ts <before> <after> [top]`. For the heap bench's extension host
 * (BENCH_HEAP_SNAPSHOT=<prefix> npm run bench -- heap writes <prefix>.idle.heapsnapshot and others).
 */
import { readFileSync } from 'node:fs';

interface Snapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]] } };
  nodes: number[];
  strings: string[];
}

interface Census {
  byName: Map<string, { count: number; bytes: number }>;
  /** The largest strings: self size and their first characters. */
  strings: { bytes: number; start: string }[];
}

const STRING_TYPES = new Set(['string', 'concatenated string', 'sliced string']);

function census(file: string): Census {
  const s = JSON.parse(readFileSync(file, 'utf8')) as Snapshot;
  const fields = s.snapshot.meta.node_fields;
  const width = fields.length;
  const [typeAt, nameAt, sizeAt] = ['type', 'name', 'self_size'].map((f) => fields.indexOf(f));
  const types = s.snapshot.meta.node_types[0];
  const byName = new Map<string, { count: number; bytes: number }>();
  const strings: Census['strings'] = [];
  for (let i = 0; i < s.nodes.length; i += width) {
    const type = types[s.nodes[i + typeAt]];
    const name = s.strings[s.nodes[i + nameAt]];
    const bytes = s.nodes[i + sizeAt];
    const key = `${type}:${type === 'object' || type === 'closure' ? name : ''}`.slice(0, 100);
    const e = byName.get(key) ?? { count: 0, bytes: 0 };
    e.count++;
    e.bytes += bytes;
    byName.set(key, e);
    if (STRING_TYPES.has(type) && bytes > 256 * 1024) strings.push({ bytes, start: JSON.stringify(name.slice(0, 60)) });
  }
  return { byName, strings: strings.sort((a, b) => b.bytes - a.bytes).slice(0, 10) };
}

const files = process.argv.slice(2).filter((a) => !/^\d+$/.test(a));
const top = Number(process.argv.slice(2).find((a) => /^\d+$/.test(a)) ?? 25);
if (files.length < 1 || files.length > 2) throw new Error('usage: tsx bench/heapSummary.ts <file> [<later file>] [top]');
const mb = (n: number) => `${(n / 2 ** 20).toFixed(1).padStart(8)} MB`;
const [first, second] = files.map(census);
const rows = [...(second ?? first).byName].map(([name, e]) => {
  const before = second ? first.byName.get(name) ?? { count: 0, bytes: 0 } : { count: 0, bytes: 0 };
  return { name, count: e.count - before.count, bytes: e.bytes - before.bytes };
});
console.log(second ? `Growth from ${files[0]} to ${files[1]}, by constructor:` : `${files[0]}, by constructor:`);
for (const r of rows.sort((a, b) => b.bytes - a.bytes).slice(0, top)) {
  console.log(`${mb(r.bytes)} ${String(r.count).padStart(9)}  ${r.name}`);
}
for (const [i, c] of (second ? [first, second] : [first]).entries()) {
  console.log(`Largest strings in ${files[i]}:`);
  for (const s of c.strings) console.log(`${mb(s.bytes)}  ${s.start}`);
}
