/**
 * Review Changes, shared by the extension (diff from VS Code's Git extension) and the CLI (`git diff`): what is
 * reviewed, the review prompt, the diff split per file (to narrow a large one), and the budget check.
 * SDK-free.
 */
import { checkBudget } from './contextBudget';

export type ReviewScope = { kind: 'staged' } | { kind: 'unstaged' } | { kind: 'branch'; base: string };

/** No diff larger than this is held or sent, whatever the model (a bound on memory, before any token count). */
export const MAX_DIFF_CHARS = 8_000_000;

/** One file's part of a unified diff (from its `diff --git` line to the next). */
export interface DiffFile {
  path: string;
  text: string;
}

/** `staged changes`, `unstaged changes`, `changes against main`. */
export function scopeLabel(scope: ReviewScope): string {
  switch (scope.kind) {
    case 'staged': return 'staged changes';
    case 'unstaged': return 'unstaged changes';
    case 'branch': return `changes against ${scope.base}`;
  }
}

/** The question sent with the diff: findings first, each starting with `path:line` so the panel links it. */
export function reviewPrompt(scope: ReviewScope, files: readonly DiffFile[]): string {
  return [
    `Review these ${scopeLabel(scope)} (${files.length} file${files.length === 1 ? '' : 's'}: ${files.map((f) => f.path).join(', ')}) as a careful senior engineer.`,
    'List your findings, most important first: bugs, security problems, missing error handling, breaking changes, unclear code, missing tests.',
    'Start each finding with its location as `path:line` or `path:start-end`, the path as in the diff and the line numbers of the new version of the file (from the hunk headers), for example `src/cart.ts:42`. Then say what is wrong and how to fix it.',
    'Review only the changed lines and what they affect. If nothing needs changing, say so in one sentence.',
  ].join(' ');
}

/** The files of a unified diff, in order; a diff without `diff --git` headers is one part named `(diff)`. */
export function splitDiff(diff: string): DiffFile[] {
  const starts = [...diff.matchAll(/^diff --git /gm)].map((m) => m.index ?? 0);
  if (!starts.length) return diff.trim() ? [{ path: '(diff)', text: diff }] : [];
  return starts.map((start, i) => {
    const text = diff.slice(start, starts[i + 1] ?? diff.length);
    return { path: diffPath(text), text };
  });
}

/** The new path of a file's diff (`+++ b/x`), else the old one for a deletion, else from the header line. */
function diffPath(text: string): string {
  const plus = /^\+\+\+ (?:b\/)?(.+)$/m.exec(text)?.[1];
  if (plus && plus !== '/dev/null') return plus.trim();
  const minus = /^--- (?:a\/)?(.+)$/m.exec(text)?.[1];
  if (minus && minus !== '/dev/null') return minus.trim();
  return /^diff --git a\/(\S+) b\/(\S+)/.exec(text)?.[2] ?? '(diff)';
}

/** A file's diff in UTF-8 bytes, as a file of it would take: the size the messages show. */
export function diffBytes(file: DiffFile): number {
  return Buffer.byteLength(file.text, 'utf8');
}

export function joinDiff(files: readonly DiffFile[]): string {
  return files.map((f) => f.text).join('');
}

/** What a diff costs against the model's budget (the same check as every question, see contextBudget.ts). */
/** `bytes`: the diff's size in UTF-8, as a file of it would take (what the messages show). */
export type ReviewVerdict = { kind: 'ok'; tokens: number } | { kind: 'tooLarge'; tokens: number; limit: number; bytes: number } | { kind: 'empty' };

/**
 * Whether the diff can be sent to `model`: the prompt and the diff, counted with the model's tokenizer, against
 * the model's context minus the room kept for the answer. A diff over MAX_DIFF_CHARS is refused uncounted.
 */
export function checkReview(files: readonly DiffFile[], model: string, countTokens: (text: string) => number, maxOutputTokens?: number): ReviewVerdict {
  const chars = files.reduce((n, f) => n + f.text.length, 0);
  if (chars === 0) return { kind: 'empty' };
  const bytes = (): number => files.reduce((n, f) => n + diffBytes(f), 0);
  if (chars > MAX_DIFF_CHARS) return { kind: 'tooLarge', tokens: Math.ceil(chars / 4), limit: 0, bytes: bytes() };
  const tokens = files.reduce((n, f) => n + countTokens(f.text), 0);
  const verdict = checkBudget({ model, inputTokens: tokens, maxOutputTokens });
  return verdict.kind === 'refuse' ? { kind: 'tooLarge', tokens, limit: verdict.limit, bytes: bytes() } : { kind: 'ok', tokens };
}
