/**
 * `@file`'s search: which workspace files `search.exclude` hides (VS Code's findFiles applies only
 * `files.exclude`), and the fuzzy ranking of paths for a query (fuzzysort, Sublime-style). No SDKs, no vscode.
 */
import { go } from 'fuzzysort';
import { minimatch } from 'minimatch';

/** How many files one search looks at, and how many it offers. */
export const FILE_SEARCH_SCAN_LIMIT = 20_000;
export const FILE_SEARCH_RESULT_LIMIT = 50;

/**
 * The glob patterns of an exclude setting (`{ "**\/node_modules": true, "**\/*.js": { "when": "$(basename).ts" } }`)
 * that are on. A `when` clause (exclude only beside a sibling) is not ours to evaluate and is left out: such
 * files are offered.
 */
export function enabledPatterns(setting: unknown): string[] {
  if (typeof setting !== 'object' || setting === null) return [];
  return Object.entries(setting as Record<string, unknown>).filter(([, on]) => on === true).map(([glob]) => glob);
}

/**
 * Whether `relPath` (workspace-relative, `/`-separated) or one of its folders matches a pattern, as VS Code
 * matches exclude globs: `**\/node_modules` hides everything under every node_modules folder.
 */
export function isExcluded(relPath: string, patterns: readonly string[]): boolean {
  if (!patterns.length) return false;
  const parts = relPath.split('/');
  const candidates = parts.map((_, i) => parts.slice(0, i + 1).join('/'));
  return patterns.some((p) => {
    const glob = p.replace(/^\.\//, '').replace(/\/+$/, '');
    return candidates.some((c) => minimatch(c, glob, { dot: true, nocase: false }));
  });
}

/**
 * The files that best match `query`, best first (fuzzysort over the whole path, then over the file name, the
 * better of the two counts); the first `limit` paths in the given order for an empty query.
 */
export function rankFiles(paths: readonly string[], query: string, limit = FILE_SEARCH_RESULT_LIMIT): string[] {
  const q = query.trim();
  if (!q) return paths.slice(0, limit);
  const targets = paths.map((path) => ({ path, name: path.slice(path.lastIndexOf('/') + 1) }));
  return go(q, targets, { keys: ['path', 'name'], limit, threshold: 0 }).map((r) => r.obj.path);
}
