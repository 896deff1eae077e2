// The esbuild plugin that keeps the SDKs out of dist/extension.js: `import('../core/index')` (dynamic) in the
// extension layer becomes a runtime require of dist/core.js, so activation neither parses nor evaluates them.
// Used by esbuild.mjs and by test/unit/bundles.test.ts (which checks the result in esbuild's metafile).
export const lazyCore = {
  name: 'lazy-core',
  setup(build) {
    build.onResolve({ filter: /\/core\/index$/ }, (a) =>
      a.kind === 'dynamic-import' ? { path: './core.js', external: true } : undefined);
  },
};
