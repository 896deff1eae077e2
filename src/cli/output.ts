// What the command line prints when a command fails, and its small output helpers.
import { CLI_WORDS, explainError, renderError, type ErrorAction, type ErrorContext } from '../core/errors';
import { AskCancelledError } from '../core/failures';

export interface CliIO {
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
  /** Aborted on Ctrl-C by the entry point; main then returns 130. */
  signal?: AbortSignal;
  /** Where `review` runs git (default: the process's working folder). */
  cwd?: string;
}

export function fail(err: unknown, ctx: ErrorContext, io: CliIO): number {
  const explained = explainError(err, ctx);
  if (explained.code === 'cancelled' || io.signal?.aborted) {
    write(io.stderr, 'bedrock-gpt: cancelled.\n');
    return 130;
  }
  const hints = explained.actions.map(hint).filter((h): h is string => !!h);
  write(io.stderr, `bedrock-gpt: ${renderError(explained, CLI_WORDS)}\n${[...new Set(hints)].map((h) => `  ${h}\n`).join('')}`);
  return 1;
}

/** The panel shows actions as buttons; here they become the flag or command to try. */
function hint(action: ErrorAction): string | undefined {
  switch (action.kind) {
    case 'switchRegion': return `try: --region ${action.region}`;
    case 'ssoLogin': return `run: aws sso login --profile ${action.profile}`;
    case 'selectProfile': return 'choose a profile: --profile NAME (or AWS_PROFILE)';
    case 'setApiKey': return 'or use a Bedrock API key: AWS_BEARER_TOKEN_BEDROCK';
    case 'selectEffort': return `try: --effort ${action.values.join('|')}`;
    case 'openSettings':
    case 'askAgain':
    case 'refreshToken':
      return undefined;
  }
}

export function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(new AskCancelledError());
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new AskCancelledError());
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

export function write(stream: NodeJS.WritableStream, text: string): void {
  stream.write(text);
}

export function done(stream: NodeJS.WritableStream, text: string): number {
  write(stream, text);
  return 0;
}

