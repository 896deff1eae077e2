// One build script, several contexts (see ../shared/STYLE.md, principle 9).
//   dist/extension.js  thin vscode layer (cjs, node, vscode external)
//   dist/core.js       the core with the openai and AWS SDKs, loaded by the extension on first use
//   dist/cli.js        the bedrock-gpt command line (core bundled in, shebang)
//   dist/webview/      the chat panel's browser bundle (iife) and its CSS
//   out-test/          test bundles that run inside VS Code (only with --tests; never packaged)
import * as esbuild from 'esbuild';
import { chmod, mkdir, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { lazyCore } from './scripts/lazyCore.mjs';

const args = new Set(process.argv.slice(2));
const production = args.has('--production');
const watch = args.has('--watch');
const withTests = args.has('--tests');

const node = {
  bundle: true, platform: 'node', format: 'cjs', target: 'node20',
  sourcemap: !production, minify: production, logLevel: 'info', legalComments: 'none',
};

const contexts = [
  { ...node, entryPoints: ['src/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'], plugins: [lazyCore] },
  { ...node, entryPoints: ['src/core/index.ts'], outfile: 'dist/core.js', external: ['vscode'] },
  { ...node, entryPoints: ['src/cli.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
];
if (existsSync('src/webview/main.ts')) {
  contexts.push({
    bundle: true, platform: 'browser', format: 'iife', target: 'es2022', sourcemap: !production,
    minify: production, logLevel: 'info', entryPoints: ['src/webview/main.ts', ...(existsSync('src/webview/main.css') ? ['src/webview/main.css'] : [])],
    outdir: 'dist/webview', tsconfig: 'src/webview/tsconfig.json',
  });
}
if (withTests) {
  contexts.push({ ...node, sourcemap: 'inline', entryPoints: ['test/extension/index.ts'], outfile: 'out-test/extension/index.js', external: ['vscode', 'mocha'] });
}

// A production build starts from an empty dist/, so no development source map or stale file is packaged.
if (production) await rm('dist', { recursive: true, force: true });
await mkdir('dist', { recursive: true });
if (watch) {
  const watching = [];
  for (const c of contexts) {
    const ctx = await esbuild.context(c);
    await ctx.watch();
    watching.push(ctx);
  }
  // For a parent that runs the watcher (npm start): stop when the parent's end of stdin closes.
  if (args.has('--exit-with-stdin')) {
    process.stdin.on('close', () => void Promise.all(watching.map((ctx) => ctx.dispose())).then(() => process.exit(0)));
    process.stdin.resume();
  }
} else {
  await Promise.all(contexts.map((c) => esbuild.build(c)));
  if (existsSync('dist/cli.js')) await chmod('dist/cli.js', 0o755);
}
