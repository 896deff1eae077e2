// `bedrock-gpt review [--staged | --base REF] [PATH...]`: the diff from `git diff` (execFile, no shell, bounded
// output and time), checked against the model's budget and sent with core's review prompt, like Review Changes
// in the editor. A diff too large is refused with its size; naming paths narrows it.
import { execFile } from 'node:child_process';
import type { CodeContext } from '../core/ask';
import { formatBytes } from '../core/byteSize';
import { checkReview, diffBytes, joinDiff, MAX_DIFF_CHARS, reviewPrompt, scopeLabel, splitDiff, type ReviewScope } from '../core/review';
import { countTokens } from '../core/tokenCount';
import { str, UsageError, type Values } from './args';
import { write, type CliIO } from './output';

/** What to ask: the prompt and its code; or the exit code to stop with (its message already printed). */
export type Question = { prompt: string; code?: CodeContext } | number;

/** Asks what `question` returns (read once the flags are checked) and prints the answer (cli.ts). */
export type AnswerFn = (values: Values, io: CliIO, question: (model: string, maxOutputTokens: number | undefined) => Promise<Question>) => Promise<number>;

/** `git diff` may take this long; a repository that needs longer is not one to review at once. */
export const GIT_TIMEOUT_MS = 30_000;

/** A ref as git names one, and never an option (`--output=…` would make git write a file). */
const REF = /^(?!-)[\w./@^~{}+-]{1,200}$/;

/** The `git diff` arguments for `scope`, limited to `paths` when there are any. */
export function gitDiffArgs(scope: ReviewScope, paths: readonly string[]): string[] {
  const range = scope.kind === 'staged' ? ['--cached'] : scope.kind === 'branch' ? [`${scope.base}...HEAD`] : [];
  return ['diff', '--no-color', '--no-ext-diff', ...range, '--', ...paths];
}

/** Runs `git diff` in `cwd`: no shell, output capped just above MAX_DIFF_CHARS, a time bound. */
export function gitDiff(args: string[], cwd: string, signal?: AbortSignal): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('git', args, { cwd, encoding: 'utf8', maxBuffer: MAX_DIFF_CHARS + 1, timeout: GIT_TIMEOUT_MS, signal, windowsHide: true }, (err, stdout, stderr) => {
      if (!err) return resolve(stdout);
      const e = err as NodeJS.ErrnoException & { killed?: boolean };
      if (e.code === 'ENOENT') return reject(new Error('git is not installed or not on PATH.'));
      if (e.code === 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER') return reject(new Error(`the diff is larger than ${formatBytes(MAX_DIFF_CHARS, { compact: true })}, the most a review reads. Name the paths to review: bedrock-gpt review -- PATH...`));
      if (e.killed) return reject(new Error(`git diff took longer than ${GIT_TIMEOUT_MS / 1000} s.`));
      reject(new Error(`git diff failed: ${String(stderr || e.message).trim().split('\n')[0]}`));
    });
  });
}

export async function reviewCommand(values: Values, positionals: string[], io: CliIO, answer: AnswerFn): Promise<number> {
  const base = str(values, 'base');
  if (values.staged === true && base !== undefined) throw new UsageError('review takes --staged or --base REF, not both.');
  if (base !== undefined && !REF.test(base)) throw new UsageError(`--base needs a branch, tag or commit (got "${base}").`);
  const scope: ReviewScope = values.staged === true ? { kind: 'staged' } : base !== undefined ? { kind: 'branch', base } : { kind: 'unstaged' };
  const cwd = io.cwd ?? process.cwd();
  return answer(values, io, async (model, maxOutputTokens) => {
    let diff: string;
    try {
      diff = await gitDiff(gitDiffArgs(scope, positionals), cwd, io.signal);
    } catch (err) {
      write(io.stderr, `bedrock-gpt: ${(err as Error).message}\n`);
      return 1;
    }
    const files = splitDiff(diff);
    const verdict = checkReview(files, model, countTokens, maxOutputTokens);
    if (verdict.kind === 'empty') {
      write(io.stderr, `bedrock-gpt: nothing to review: there are no ${scopeLabel(scope)}${positionals.length ? ' in those paths' : ''}.\n`);
      return 1;
    }
    if (verdict.kind === 'tooLarge') {
      write(io.stderr, `bedrock-gpt: the diff of the ${scopeLabel(scope)} is too large to review at once: about ${verdict.tokens.toLocaleString('en-US')} tokens (${formatBytes(verdict.bytes, { compact: true })})${verdict.limit ? `; ${model} takes at most ${verdict.limit.toLocaleString('en-US')}` : ''}.\n` +
        `  narrow it to some files: bedrock-gpt review${scope.kind === 'staged' ? ' --staged' : scope.kind === 'branch' ? ` --base ${scope.base}` : ''} -- PATH...\n` +
        files.map((f) => `    ${f.path}  ${formatBytes(diffBytes(f), { compact: true })}\n`).join(''));
      return 1;
    }
    const fileName = `git ${gitDiffArgs(scope, []).filter((a) => a !== '--' && !a.startsWith('--no-')).join(' ')}`;
    return { prompt: reviewPrompt(scope, files), code: { code: joinDiff(files), languageId: 'diff', fileName } };
  });
}
