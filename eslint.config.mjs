import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'out-test/**', 'node_modules/**', '.harness/**', 'test-results/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': 'off',
    },
  },
  {
    // Every promise in src/ is awaited or ends in a rejection handler: `void p` alone does not count (a rejection
    // would go unhandled). Fire-and-forget goes through unawaited() (src/vscode/log.ts), which logs.
    files: ['src/**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': ['error', { ignoreVoid: false }],
      '@typescript-eslint/no-misused-promises': 'error',
      // The typed rule sees Promises only; `void` on any other call (VS Code's Thenables) is caught by its shape.
      'no-restricted-syntax': ['error', {
        selector: "ExpressionStatement > UnaryExpression[operator='void'] > CallExpression:not([callee.property.name='catch']):not([callee.property.name='then'][arguments.length=2])",
        message: 'A fire-and-forget call goes through unawaited(promise, what) (src/vscode/log.ts), which logs its rejection.',
      }],
    },
  },
  {
    // The VS Code layer is bundled into dist/extension.js, which activation parses: it may statically import only
    // the SDK-free core modules. The SDKs and the tokenizer come through `await import('../core/index')` (the
    // lazily loaded dist/core.js); type-only imports are erased and allowed. test/unit/bundles.test.ts checks the
    // same in esbuild's metafile, transitively.
    files: ['src/extension.ts', 'src/vscode/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', {
        patterns: [
          { group: ['openai', 'openai/*', '@aws-sdk/*', '@aws-crypto/*', '@smithy/*', 'gpt-tokenizer', 'gpt-tokenizer/*', 'undici', 'http-proxy-agent', 'https-proxy-agent', 'agent-base'],
            allowTypeImports: true, message: 'SDKs load with dist/core.js: use `await import(\'../core/index\')` (see ARCHITECTURE.md).' },
          { group: ['**/core/index', '**/core/client', '**/core/ask', '**/core/listModels', '**/core/credentials', '**/core/token', '**/core/tokenService', '**/core/tokenCount', '**/core/awsRequestHandler'],
            allowTypeImports: true, message: 'This core module loads an SDK: reach it through the lazily loaded core (tokenController.core()).' },
        ],
      }],
    },
  },
  {
    // The core is plain TypeScript: it never imports vscode.
    files: ['src/core/**/*.ts', 'src/cli.ts', 'src/shared/**/*.ts', 'src/webview/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [{ name: 'vscode', message: 'Only src/extension.ts and src/vscode/ may import vscode.' }] }] },
  },
);
