// Runs inside the extension host of a real VS Code (code-server), started by bench/heap.bench.ts: the heap after
// 100 asks in one conversation with ~10 KB answers (streamed into the open panel) against idle, and the bytes the
// conversation store keeps on disk after 100 and 200 asks against its cap (bedrockGpt.historyMaxSizeMB).
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { writeHeapSnapshot } from 'node:v8';
import * as vscode from 'vscode';
import type { TestApi } from '../../src/extension';
import { EXTENSION_ID } from '../../src/vscode/constants';
import { gcFunction } from '../../test/support/gc';
import { waitFor } from '../../test/support/waitFor';
import { printBench, progress } from './report';

const ASKS = Number(process.env.BENCH_ASKS ?? 100);
/** About 10 KB of answer: the stand-in's filler words average ~7 bytes with their space. */
const WORDS = Number(process.env.BENCH_WORDS ?? 1460);

const gc = gcFunction();

/** Heap in MB after full collections (a few, with turns of the event loop between, so finalizers run). */
async function heapMB(): Promise<number> {
  for (let i = 0; i < 4; i++) {
    gc();
    await new Promise((r) => setTimeout(r, 50));
  }
  return process.memoryUsage().heapUsed / 2 ** 20;
}

/**
 * BENCH_HEAP_SNAPSHOT=<prefix>: a heap snapshot at idle, after the first conversation and after New Chat
 * (<prefix>.idle.heapsnapshot, …), for a heap profiler or bench/heapSummary.ts, which diffs two of them.
 */
function snapshot(stage: string): void {
  const prefix = process.env.BENCH_HEAP_SNAPSHOT;
  if (prefix) progress(`  heap snapshot: ${writeHeapSnapshot(`${prefix}.${stage}.heapsnapshot`)}`);
}

function bytesIn(dir: string): number {
  let total = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    total += e.isDirectory() ? bytesIn(p) : statSync(p).size;
  }
  return total;
}

export async function run(): Promise<void> {
  const api = (await vscode.extensions.getExtension<TestApi>(EXTENSION_ID)!.activate())!;
  // The large-question confirmation (above 20k tokens) is a modal: answer it as the user who sends it would.
  const window = vscode.window as unknown as { showWarningMessage: (...args: unknown[]) => Promise<unknown> };
  const confirm = window.showWarningMessage;
  window.showWarningMessage = async (_message: unknown, _options: unknown, ...items: unknown[]) => items[0];

  await vscode.commands.executeCommand('bedrockGpt.openChat');
  const panel = await waitFor('the chat panel', () => api.chat.panel(), 20_000);
  await waitFor('the webview to say ready', () => panel.snapshot().ready, 30_000);
  await vscode.commands.executeCommand('bedrockGpt.newChat');
  const cold = await heapMB();

  let asked = 0;
  let answerBytes = 0;
  async function ask(label: string): Promise<void> {
    const requestId = `heap-${++asked}`;
    await api.chat.receive({ type: 'ask', requestId, prompt: `${label} ${asked} [[words:${WORDS}]]` });
    const turn = api.chat.conversation.turn(requestId);
    if (turn?.status !== 'done') throw new Error(`ask ${asked} ended ${turn?.status}: ${turn?.error?.message ?? ''}`);
    answerBytes += Buffer.byteLength(turn.answer);
  }

  // Idle: the panel open, the core bundle loaded and a token made (one ask), then a new, empty conversation.
  await ask('Warm-up');
  await vscode.commands.executeCommand('bedrockGpt.newChat');
  await api.chat.history.flush();
  const idle = await heapMB();
  snapshot('idle');
  answerBytes = 0;

  const capBytes = api.configuration.get('historyMaxSizeMB') * 2 ** 20;
  const started = performance.now();
  const asks = async (label: string) => {
    for (let i = 0; i < ASKS; i++) {
      await ask(label);
      if (asked % 10 === 0) progress(`  ${asked - 1} asks, ${((performance.now() - started) / 1000).toFixed(0)} s, heap ${(process.memoryUsage().heapUsed / 2 ** 20).toFixed(0)} MB (before GC)`);
    }
  };
  await asks('Question');
  const meanAnswerBytes = answerBytes / ASKS;
  progress('  collecting garbage…');
  const after = await heapMB();
  progress(`  heap after ${ASKS} asks: ${after.toFixed(1)} MB`);
  snapshot(`after${ASKS}`);
  await api.chat.history.flush();
  const disk100 = bytesIn(api.chat.history.dir);

  // Another conversation of as many asks: the older one is history now, and the cap holds across both.
  await vscode.commands.executeCommand('bedrockGpt.newChat');
  await asks('Again');
  await api.chat.history.flush();
  const disk200 = bytesIn(api.chat.history.dir);
  const after200 = await heapMB();
  await vscode.commands.executeCommand('bedrockGpt.newChat');
  const released = await heapMB();
  snapshot('released');
  window.showWarningMessage = confirm;

  printBench({
    asks: ASKS, meanAnswerBytes, cold, idle, after, after200, released, capBytes, disk100, disk200,
    conversations: api.chat.history.list().length, asksMs: performance.now() - started,
  });
}
