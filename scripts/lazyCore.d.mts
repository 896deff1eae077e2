import type { Plugin } from 'esbuild';
export const lazyCore: Plugin;
