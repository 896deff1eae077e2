/**
 * What each bundle pulls in, read from esbuild's metafile (the bundler's own record of every input), so the checks
 * hold for static imports that esbuild inlines: the extension layer reaches the SDKs and the tokenizer only through
 * the lazily loaded dist/core.js; src/ has no runtime import cycle.
 * Run: node --import tsx --test test/unit/bundles.test.ts
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as esbuild from 'esbuild';
import { lazyCore } from '../../scripts/lazyCore.mjs';

/** Packages that only the lazily loaded core may bundle. */
const HEAVY = /^node_modules\/(openai|@aws-sdk|@aws-crypto|@smithy|gpt-tokenizer|undici|http-proxy-agent|https-proxy-agent|agent-base)\//;
/** Core modules that load those packages (or are the core bundle's entry). */
const HEAVY_CORE = /^src\/core\/(index|client|ask|listModels|credentials|token|tokenService|tokenCount|awsRequestHandler)\.ts$/;

async function metafile(entry: string, plugins: esbuild.Plugin[] = []): Promise<esbuild.Metafile> {
  const r = await esbuild.build({
    entryPoints: [entry], bundle: true, platform: 'node', format: 'cjs', target: 'node20', external: ['vscode'],
    plugins, write: false, metafile: true, logLevel: 'silent', outfile: 'out.js',
  });
  return r.metafile;
}

test('dist/extension.js bundles no SDK, no tokenizer and no SDK-loading core module; it loads dist/core.js lazily', async () => {
  const meta = await metafile('src/extension.ts', [lazyCore]);
  const inputs = Object.keys(meta.inputs);
  assert.ok(inputs.includes('src/vscode/chat/chatController.ts') && inputs.includes('src/core/conversation.ts'), 'the metafile lists the layer and the core modules it uses');
  assert.deepEqual(inputs.filter((p) => HEAVY.test(p)), [], 'SDK inputs in dist/extension.js');
  assert.deepEqual(inputs.filter((p) => HEAVY_CORE.test(p)), [], 'SDK-loading core modules in dist/extension.js');
  const lazy = Object.values(meta.outputs).flatMap((o) => o.imports).filter((i) => i.path === './core.js');
  assert.ok(lazy.length > 0 && lazy.every((i) => i.external && i.kind === 'dynamic-import'), 'dist/core.js is a dynamic, external import');
});

test('the check can fail: the core bundle does hold the SDKs and the tokenizer', async () => {
  const inputs = Object.keys((await metafile('src/core/index.ts')).inputs);
  for (const pkg of ['openai', '@aws-sdk', '@smithy', 'gpt-tokenizer']) assert.ok(inputs.some((p) => p.startsWith(`node_modules/${pkg}/`)), `${pkg} is in dist/core.js`);
});

test('resolving credentials does not load the openai SDK (endpoint and proxy rules live outside client.ts)', async () => {
  const inputs = Object.keys((await metafile('src/core/credentials.ts')).inputs);
  assert.ok(inputs.some((p) => p.startsWith('node_modules/@aws-sdk/')), 'the AWS SDK is there');
  assert.deepEqual(inputs.filter((p) => p.startsWith('node_modules/openai/') || p === 'src/core/client.ts'), []);
});

test('no runtime import cycle among the modules of src/', async () => {
  const graph = new Map<string, string[]>();
  for (const entry of ['src/extension.ts', 'src/core/index.ts', 'src/cli.ts']) {
    const meta = await metafile(entry, entry === 'src/extension.ts' ? [lazyCore] : []);
    for (const [file, input] of Object.entries(meta.inputs)) {
      if (!file.startsWith('src/')) continue;
      graph.set(file, input.imports.filter((i) => i.kind === 'import-statement' || i.kind === 'require-call').map((i) => i.path).filter((p) => p.startsWith('src/')));
    }
  }
  assert.ok(graph.size > 40, `${graph.size} modules read`);
  const cycles: string[] = [];
  const state = new Map<string, 'open' | 'done'>();
  const visit = (file: string, path: string[]) => {
    if (state.get(file) === 'done') return;
    if (state.get(file) === 'open') {
      cycles.push([...path.slice(path.indexOf(file)), file].join(' → '));
      return;
    }
    state.set(file, 'open');
    for (const next of graph.get(file) ?? []) visit(next, [...path, file]);
    state.set(file, 'done');
  };
  for (const file of graph.keys()) visit(file, []);
  assert.deepEqual(cycles, []);
});
