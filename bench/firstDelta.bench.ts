/**
 * Time to first delta: the extension's ask path (TokenService with a cached token → createClient → ask) against
 * a bare openai SDK call with a fixed token, both against the same local stand-in, interleaved in one process.
 * Goal: ratio of medians ≤ 1.05 once the token is cached. The stand-in runs in its own process so its work does
 * not share this event loop.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import OpenAI from 'openai';
import { ask } from '../src/core/ask';
import { createClient } from '../src/core/client';
import { buildBearerToken } from '../src/core/token';
import { TokenService } from '../src/core/tokenService';
import { STATIC_TEST_KEY } from '../test/standin/keys';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 300);
const WARMUP = 30;
const REGION = 'us-east-2';
const MODEL = 'openai.gpt-5.5';
const PROMPT = 'What is Amazon Bedrock in one sentence?';

async function startStandinProcess(): Promise<{ url: string; stop(): void }> {
  const root = join(__dirname, '..');
  const child = spawn(join(root, 'node_modules/.bin/tsx'), ['test/standin/main.ts', '--port', '0'], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout! });
  const url = await new Promise<string>((resolve, reject) => {
    lines.on('line', (l) => { const m = /^listening (\S+)/.exec(l); if (m) resolve(m[1]); });
    child.on('exit', (code) => reject(new Error(`stand-in exited (${code})`)));
  });
  return { url, stop: () => child.kill('SIGTERM') };
}

function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length * q)];
}
const median = (xs: number[]) => quantile(xs, 0.5);
const p90 = (xs: number[]) => quantile(xs, 0.9);

async function main(): Promise<void> {
  const standin = await startStandinProcess();
  const endpoint = `${standin.url}/{region}/openai/v1`;
  const baseURL = `${standin.url}/${REGION}/openai/v1`;
  try {
    const creds = { accessKeyId: STATIC_TEST_KEY.accessKeyId, secretAccessKey: STATIC_TEST_KEY.secretAccessKey };
    const fixedToken = await buildBearerToken(creds, REGION);
    const bare = new OpenAI({ baseURL, apiKey: fixedToken, organization: null, project: null });

    // env: {} so an AWS_BEARER_TOKEN_BEDROCK in the shell is not sent instead of a signed token (the stand-in refuses it).
    const tokens = new TokenService({ region: REGION, env: {}, credentials: async () => creds });
    const client = createClient({ region: REGION, endpoint, tokenProvider: () => tokens.getToken() });

    async function bareFirstDelta(): Promise<number> {
      const t0 = performance.now();
      const stream = await bare.responses.create({ model: MODEL, input: [{ role: 'user', content: PROMPT }], reasoning: { effort: 'medium' }, stream: true });
      let t = NaN;
      for await (const ev of stream) {
        if (ev.type === 'response.output_text.delta' && Number.isNaN(t)) t = performance.now() - t0;
      }
      return t;
    }

    async function oursFirstDelta(): Promise<number> {
      const t0 = performance.now();
      let t = NaN;
      for await (const ev of ask(client, { model: MODEL, effort: 'medium', prompt: PROMPT })) {
        if (ev.type === 'text' && Number.isNaN(t)) t = performance.now() - t0;
      }
      return t;
    }

    for (let i = 0; i < WARMUP; i++) { await bareFirstDelta(); await oursFirstDelta(); }
    const bareTimes: number[] = [];
    const ourTimes: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      // Alternate which goes first so drift in the machine's load falls on both equally.
      if (i % 2 === 0) { bareTimes.push(await bareFirstDelta()); ourTimes.push(await oursFirstDelta()); }
      else { ourTimes.push(await oursFirstDelta()); bareTimes.push(await bareFirstDelta()); }
    }
    const ratio = median(ourTimes) / median(bareTimes);
    console.log(`rounds: ${ROUNDS} each (after ${WARMUP} warm-up), stand-in at ${standin.url}`);
    console.log(`bare openai SDK, fixed token : median ${median(bareTimes).toFixed(3)} ms, p90 ${p90(bareTimes).toFixed(3)} ms`);
    console.log(`extension ask path, cached   : median ${median(ourTimes).toFixed(3)} ms, p90 ${p90(ourTimes).toFixed(3)} ms`);
    console.log(`time-to-first-delta ratio (ours / bare): ${ratio.toFixed(3)}  goal ≤ 1.05  ${ratio <= 1.05 ? 'MET' : 'MISSED'}`);
  } finally {
    standin.stop();
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
