// Runs inside the extension host of a real VS Code (code-server), started by bench/lmFirstText.bench.ts: time to
// the first text part through vscode.lm (VS Code → our provider → the stand-in, and the parts back through VS Code)
// against the bare openai SDK with a fixed token, same stand-in, same process, rounds interleaved.
import OpenAI from 'openai';
import * as vscode from 'vscode';
import { buildBearerToken } from '../../src/core/token';
import type { TestApi } from '../../src/extension';
import { EXTENSION_ID } from '../../src/vscode/constants';
import { STATIC_TEST_KEY } from '../../test/standin/keys';
import { waitFor } from '../../test/support/waitFor';
import { printBench } from './report';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 200);
const WARMUP = 20;
const MODEL = 'openai.gpt-5.5';
const PROMPT = 'What is Amazon Bedrock in one sentence?';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const p90 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.9)];

export async function run(): Promise<void> {
  const standinUrl = process.env.BEDROCK_GPT_TEST_STANDIN_URL!;
  await vscode.extensions.getExtension(EXTENSION_ID)!.activate();
  const model = await waitFor('GPT-5.5 from bedrock-gpt', async () => (await vscode.lm.selectChatModels({ vendor: 'bedrock-gpt', id: MODEL }))[0], 30_000, 100);
  const bare = new OpenAI({ baseURL: `${standinUrl}/us-east-2/openai/v1`, apiKey: await buildBearerToken(STATIC_TEST_KEY, 'us-east-2'), organization: null, project: null });

  async function viaVsCode(): Promise<number> {
    const t0 = performance.now();
    const response = await model.sendRequest([vscode.LanguageModelChatMessage.User(PROMPT)], {});
    let t = NaN;
    for await (const part of response.stream) if (part instanceof vscode.LanguageModelTextPart && Number.isNaN(t)) t = performance.now() - t0;
    return t;
  }

  // Our provider called directly (no VS Code in between): what the provider itself adds to the bare SDK.
  const api = (await vscode.extensions.getExtension<TestApi>(EXTENSION_ID)!.activate());
  const info = (await api.languageModels.provider.provideLanguageModelChatInformation({ silent: true }, new vscode.CancellationTokenSource().token)).find((m) => m.id === MODEL)!;
  async function viaProvider(): Promise<number> {
    const t0 = performance.now();
    let t = NaN;
    const progress = { report: (part: unknown) => { if (part instanceof vscode.LanguageModelTextPart && Number.isNaN(t)) t = performance.now() - t0; } };
    await api.languageModels.provider.provideLanguageModelChatResponse(info, [vscode.LanguageModelChatMessage.User(PROMPT)], { toolMode: vscode.LanguageModelChatToolMode.Auto }, progress, new vscode.CancellationTokenSource().token);
    return t;
  }

  async function viaSdk(): Promise<number> {
    const t0 = performance.now();
    // The body the provider sends, so both ask the stand-in for the same work.
    const stream = await bare.responses.create({ model: MODEL, input: [{ role: 'user', content: PROMPT }], reasoning: { effort: 'medium' }, store: false, include: ['reasoning.encrypted_content'], stream: true });
    let t = NaN;
    for await (const e of stream) if (e.type === 'response.output_text.delta' && Number.isNaN(t)) t = performance.now() - t0;
    return t;
  }

  for (let i = 0; i < WARMUP; i++) { await viaSdk(); await viaVsCode(); await viaProvider(); }
  const lm: number[] = [];
  const sdk: number[] = [];
  const provider: number[] = [];
  const ways: Array<[() => Promise<number>, number[]]> = [[viaSdk, sdk], [viaVsCode, lm], [viaProvider, provider]];
  for (let i = 0; i < ROUNDS; i++) {
    // Rotate which goes first, so drift in the machine's load falls on all equally.
    for (let k = 0; k < ways.length; k++) {
      const [way, times] = ways[(i + k) % ways.length];
      times.push(await way());
    }
  }
  printBench({ rounds: ROUNDS, lm: { median: median(lm), p90: p90(lm) }, sdk: { median: median(sdk), p90: p90(sdk) }, provider: { median: median(provider), p90: p90(provider) } });
}
