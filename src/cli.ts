/**
 * The `bedrock-gpt` command line: `token`, `ask` and `models` on top of the core. main() takes its streams and
 * environment as arguments so tests can run it in-process; the entry at the bottom wires it to the process.
 * Exit codes: 0 ok, 1 failure (explainError's message on stderr), 2 usage error, 130 interrupted.
 */
import { realpathSync } from 'node:fs';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { version } from '../package.json';
import { ask, type AskEvent, type AskOptions } from './core/ask';
import { createClient } from './core/client';
import { endpointFor, endpointFromEnv } from './core/endpoint';
import { formatDollars, formatUsage } from './core/cost';
import { profileRegion, resolveCredentials } from './core/credentials';
import { CLI_WORDS, explainError, renderError, type ErrorContext } from './core/errors';
import { AskCancelledError, TokenLifetimeError } from './core/failures';
import { listModels } from './core/listModels';
import { DEFAULT_MODEL, DEFAULT_REGION, KNOWN_MODELS, modelInfo } from './core/models';
import { redact } from './core/redact';
import { DEFAULTS } from './core/settings';
import { buildBearerToken, MAX_TOKEN_LIFETIME_SECONDS, validateLifetime } from './core/token';
import { TokenService } from './core/tokenService';
import { isReasoningEffort, REASONING_EFFORTS } from './core/types';
import { done, fail, untilAborted, write, type CliIO } from './cli/output';
import { USAGE } from './cli/usage';
import { str, UsageError, type Values } from './cli/args';
import { reviewCommand, type AnswerFn } from './cli/review';

export { USAGE, type CliIO };


/** The openai SDK's retry count for 429/5xx/connection errors; explainError quotes it. */
const MAX_RETRIES = 2;



const common = {
  profile: { type: 'string' },
  region: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies ParseArgsConfig['options'];

/** ask's flags; review takes them too (it asks, with the diff as the code). */
const askOptions = {
  ...common,
  model: { type: 'string', short: 'm' },
  effort: { type: 'string', short: 'e' },
  instructions: { type: 'string', short: 'i' },
  endpoint: { type: 'string' },
  'max-output-tokens': { type: 'string' },
  'first-byte-timeout': { type: 'string' },
  'idle-timeout': { type: 'string' },
  'no-stream': { type: 'boolean' },
  json: { type: 'boolean' },
} as const satisfies ParseArgsConfig['options'];

const COMMANDS = {
  token: { ...common, 'expires-in': { type: 'string' } },
  ask: askOptions,
  models: { ...common, endpoint: { type: 'string' } },
  review: { ...askOptions, staged: { type: 'boolean' }, base: { type: 'string' } },
} as const satisfies Record<string, ParseArgsConfig['options']>;

type Command = keyof typeof COMMANDS;

export async function main(argv: string[], io: CliIO): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === undefined) throw new UsageError('a command is missing.');
    if (command === '--help' || command === '-h' || command === 'help') return done(io.stdout, USAGE);
    if (command === '--version' || command === '-V') return done(io.stdout, `${version}\n`);
    if (!(command in COMMANDS)) throw new UsageError(`unknown command "${command}".`);
    const { values, positionals } = parse(command as Command, rest);
    if (values.help) return done(io.stdout, USAGE);
    if (command === 'token') return await tokenCommand(values, positionals, io);
    if (command === 'ask') return await askCommand(values, positionals, io);
    if (command === 'review') return await reviewCommand(values, positionals, io, answer);
    return await modelsCommand(values, positionals, io);
  } catch (err) {
    if (err instanceof UsageError || err instanceof TokenLifetimeError) {
      write(io.stderr, `bedrock-gpt: ${redact(err.message)}\nRun \`bedrock-gpt --help\` for usage.\n`);
      return 2;
    }
    throw err;
  }
}

function parse(command: Command, args: string[]): { values: Values; positionals: string[] } {
  try {
    const { values, positionals } = parseArgs({ args, options: COMMANDS[command], allowPositionals: true, strict: true });
    return { values: values as Values, positionals };
  } catch (err) {
    // parseArgs explains unknown flags and missing values well; its messages carry no secrets.
    throw new UsageError((err as Error).message);
  }
}

function noPositionals(command: string, positionals: string[]): void {
  if (positionals.length) throw new UsageError(`${command} takes no arguments (got "${positionals[0]}").`);
}

function positiveInteger(flag: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0) throw new UsageError(`--${flag} needs a whole number greater than 0 (got "${raw}").`);
  return n;
}

/** --region > AWS_REGION > AWS_DEFAULT_REGION > the profile's region > us-east-2. */
async function chooseRegion(values: Values, env: NodeJS.ProcessEnv): Promise<string> {
  const explicit = str(values, 'region') || env.AWS_REGION || env.AWS_DEFAULT_REGION;
  if (explicit) return explicit;
  const fromProfile = await profileRegion(str(values, 'profile'), env).catch(() => undefined);
  return fromProfile || DEFAULT_REGION;
}

// --- token -----------------------------------------------------------------------------------------------

async function tokenCommand(values: Values, positionals: string[], io: CliIO): Promise<number> {
  noPositionals('token', positionals);
  const lifetime = parseLifetime(str(values, 'expires-in'));
  const profile = str(values, 'profile');
  const region = await chooseRegion(values, io.env);
  const ctx: ErrorContext = { region, profile };
  try {
    const creds = await untilAborted(resolveCredentials({ profile, env: io.env }), io.signal);
    const token = await buildBearerToken(creds, region, lifetime);
    write(io.stdout, `${token}\n`);
    return 0;
  } catch (err) {
    return fail(err, ctx, io);
  }
}

function parseLifetime(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!/^\s*-?\d+\s*$/.test(raw) || !Number.isSafeInteger(n)) {
    throw new UsageError(`--expires-in needs a whole number of seconds, 1..${MAX_TOKEN_LIFETIME_SECONDS} (got "${raw}").`);
  }
  validateLifetime(n); // TokenLifetimeError → exit 2
  return n;
}

// --- ask -------------------------------------------------------------------------------------------------

async function askCommand(values: Values, positionals: string[], io: CliIO): Promise<number> {
  const prompt = positionals.join(' ').trim();
  if (!prompt) throw new UsageError('ask needs a prompt, e.g. bedrock-gpt ask "What is Amazon Bedrock?"');
  // Piped text (`git diff | bedrock-gpt ask ...`) is context; a terminal on stdin means there is none.
  return answer(values, io, async () => {
    const context = io.stdin.isTTY ? '' : await untilAborted(readAll(io.stdin), io.signal);
    return { prompt, ...(context.trim() && { code: { code: context } }) };
  });
}

/**
 * Asks what `question()` gives (read once the flags are checked) and prints the answer: streamed, whole
 * (--no-stream) or as JSON; usage and cost on stderr. `ask` and `review` share it.
 */
const answer: AnswerFn = async (values, io, question) => {
  const effort = str(values, 'effort');
  if (effort !== undefined && !isReasoningEffort(effort)) {
    throw new UsageError(`--effort must be one of ${REASONING_EFFORTS.join(', ')} (got "${effort}").`);
  }
  const maxOutputTokens = positiveInteger('max-output-tokens', str(values, 'max-output-tokens'));
  const firstByteSeconds = positiveInteger('first-byte-timeout', str(values, 'first-byte-timeout')) ?? DEFAULTS.firstByteTimeoutSeconds;
  const idleSeconds = positiveInteger('idle-timeout', str(values, 'idle-timeout')) ?? DEFAULTS.streamIdleTimeoutSeconds;
  const json = values.json === true;
  const stream = values['no-stream'] !== true && !json;
  const model = str(values, 'model') || DEFAULT_MODEL;
  const profile = str(values, 'profile');
  const region = await chooseRegion(values, io.env);
  const ctx: ErrorContext = { region, model, profile, effort, retries: MAX_RETRIES };

  let printed = '';
  try {
    const q = await question(model, maxOutputTokens);
    if (typeof q === 'number') return q;
    const client = clientFor(values, region, profile, io.env, ctx);
    const options: AskOptions = {
      model,
      prompt: q.prompt,
      stream,
      signal: io.signal,
      firstByteTimeoutMs: firstByteSeconds * 1000,
      idleTimeoutMs: idleSeconds * 1000,
      ...(isReasoningEffort(effort) && { effort }),
      ...(str(values, 'instructions') !== undefined && { instructions: str(values, 'instructions') }),
      ...(maxOutputTokens !== undefined && { maxOutputTokens }),
      ...(q.code && { code: q.code }),
    };
    let final: Extract<AskEvent, { type: 'completed' }> | undefined;
    for await (const event of ask(client, options)) {
      if (event.type === 'text' && stream) {
        io.stdout.write(event.delta);
        printed += event.delta;
      } else if (event.type === 'completed') {
        final = event;
      }
    }
    if (io.signal?.aborted) throw new AskCancelledError();
    if (!final) throw new Error('The answer ended without a final response.');
    if (json) {
      write(io.stdout, `${JSON.stringify(withOutputText(final.raw, final.text), null, 2)}\n`);
    } else {
      if (!stream) {
        write(io.stdout, final.text);
        printed = final.text;
      }
      if (!printed.endsWith('\n')) write(io.stdout, '\n');
    }
    write(io.stderr, `${formatUsage(final.usage, modelInfo(final.model) ? final.model : model)}\n`);
    return 0;
  } catch (err) {
    if (printed && !printed.endsWith('\n')) write(io.stdout, '\n');
    return fail(err, ctx, io);
  }
};

/**
 * The client for ask and models: --endpoint, else AWS_BEDROCK_BASE_URL, else bedrock-mantle; the endpoint goes into
 * `ctx` first so a failure names its host. The token service reads AWS_BEARER_TOKEN_BEDROCK and the profile from `env`,
 * the client HTTPS_PROXY / HTTP_PROXY / NO_PROXY.
 */
function clientFor(values: Values, region: string, profile: string | undefined, env: NodeJS.ProcessEnv, ctx: ErrorContext) {
  const override = str(values, 'endpoint') || endpointFromEnv(env);
  ctx.endpoint = endpointFor(region, override);
  const tokens = new TokenService({ region, profile, env });
  return createClient({ region, endpoint: override, tokenProvider: () => tokens.getToken(), renewToken: (rejected) => tokens.renewRejected(rejected), maxRetries: MAX_RETRIES, env });
}

/** The non-streamed SDK response carries `output_text`; a streamed one may not, so add it for `jq .output_text`. */
function withOutputText(raw: unknown, text: string): unknown {
  if (typeof raw !== 'object' || raw === null) return { output_text: text };
  return 'output_text' in raw ? raw : { ...raw, output_text: text };
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString('utf8');
}

// --- models ----------------------------------------------------------------------------------------------

async function modelsCommand(values: Values, positionals: string[], io: CliIO): Promise<number> {
  noPositionals('models', positionals);
  const profile = str(values, 'profile');
  const region = await chooseRegion(values, io.env);
  const ctx: ErrorContext = { region, profile, retries: MAX_RETRIES };
  try {
    const client = clientFor(values, region, profile, io.env, ctx);
    const ids = await untilAborted(listModels(client, io.signal), io.signal);
    const width = Math.max(0, ...ids.map((id) => id.length));
    for (const id of ids) {
      const m = modelInfo(id);
      const p = m?.price;
      write(io.stdout, m && p
        ? `* ${id.padEnd(width)}  ${m.label}, ${Math.round(m.contextTokens / 1000)}K context, per 1M tokens: ${formatDollars(p.inputPerMTok)} in / ${formatDollars(p.cachedInputPerMTok)} cached / ${formatDollars(p.outputPerMTok)} out\n`
        : `  ${id}\n`);
    }
    const missing = KNOWN_MODELS.filter((m) => !ids.includes(m.id));
    for (const m of missing) write(io.stderr, `${m.label} (${m.id}) is not served in ${region}${m.regions.length ? `; try ${m.regions.join(', ')}` : ''}.\n`);
    return 0;
  } catch (err) {
    return fail(err, ctx, io);
  }
}

// --- entry -----------------------------------------------------------------------------------------------

/** True when this file is the program (dist/cli.js, also through the npm bin symlink), not an import. */
function isProgram(): boolean {
  try {
    return !!process.argv[1] && realpathSync(process.argv[1]) === realpathSync(__filename);
  } catch {
    return false;
  }
}

if (isProgram()) {
  const controller = new AbortController();
  process.once('SIGINT', () => controller.abort()); // a second Ctrl-C falls through to Node's default: exit
  const io: CliIO = { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env, signal: controller.signal };
  main(process.argv.slice(2), io).then(
    (code) => process.stdout.write('', () => process.exit(code)),
    (err: unknown) => {
      process.stderr.write(`bedrock-gpt: ${renderError(explainError(err), CLI_WORDS)}\n`);
      process.exit(1);
    },
  );
}
