// The whole core, bundled as dist/core.js and loaded by the extension on first use (ARCHITECTURE.md).
export * from './types';
export * from './events';
export * from './failures';
export * from './models';
export * from './cost';
export * from './redact';
export * from './errors';
export * from './contextBudget';
export * from './credentials';
export * from './token';
export * from './tokenService';
export * from './client';
export * from './proxy';
export * from './ask';
export * from './listModels';
export * from './prompts';
export * from './tokenCount';
