/**
 * Extension-host memory and persisted state (issue 9): in a real VS Code (code-server 1.139), against the stand-in,
 * 100 asks in one conversation with ~10 KB answers streamed into the open panel. Goal: heap after them < idle + 30 MB
 * (heap after full GCs; idle = the panel open, the SDKs loaded, a token made, an empty conversation). And the bytes
 * of the conversation store on disk after 100 and after 200 asks (a second conversation) stay ≤ its cap, here
 * bedrockGpt.historyMaxSizeMB = BENCH_CAP_MB (default 2).
 *
 * BENCH_DISK_LOAD=1: another process keeps the disk busy meanwhile (dd writing 3 GB with fsync, in a loop), as other
 * jobs on a shared machine do, so the history's saves fall behind the asks (what a queue of saves then holds).
 *
 * Run: `flock -w 1800 /work/vscode.lock npm run bench -- heap` (needs the harness; exits 0 when a goal is MISSED).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runHostBench } from './extensionHost/runBench';

const HEAP_GOAL_MB = 30;
const CAP_MB = Number(process.env.BENCH_CAP_MB ?? 2);

interface Result {
  asks: number; meanAnswerBytes: number; cold: number; idle: number; after: number; after200: number; released: number;
  capBytes: number; disk100: number; disk200: number; conversations: number; asksMs: number;
}

/** Starts the disk load; the function it returns stops it and removes its file. */
function startDiskLoad(): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'bedrock-gpt-disk-load-'));
  let child: ChildProcess | undefined;
  let stopped = false;
  const write = () => {
    if (stopped) return;
    child = spawn('dd', ['if=/dev/zero', `of=${join(dir, 'load')}`, 'bs=1M', 'count=3000', 'conv=fsync', 'status=none'], { stdio: 'ignore' });
    child.on('exit', write);
  };
  const stop = () => {
    stopped = true;
    child?.kill();
    rmSync(dir, { recursive: true, force: true });
  };
  // Also when the bench ends some other way (an uncaught error, process.exit): no writer or 3 GB file is left.
  process.once('exit', stop);
  write();
  return stop;
}

async function main(): Promise<void> {
  const diskLoad = process.env.BENCH_DISK_LOAD === '1';
  const stopDiskLoad = diskLoad ? startDiskLoad() : () => undefined;
  const r = await runHostBench<Result>({
    name: 'heap',
    // Room in the context for 100 turns of ~1.5k tokens: the answer's reserve is lowered from the model's 128k.
    userSettings: { 'bedrockGpt.historyMaxSizeMB': CAP_MB, 'bedrockGpt.maxOutputTokens': 16_000 },
    env: Object.fromEntries(['BENCH_ASKS', 'BENCH_HEAP_SNAPSHOT'].flatMap((k) => (process.env[k] ? [[k, process.env[k]!]] : []))),
    silenceTimeoutMs: 300_000,
  }).finally(stopDiskLoad);
  const mb = (n: number) => `${n.toFixed(1)} MB`;
  const kb = (n: number) => `${(n / 1024).toFixed(0)} KB`;
  const growth = r.after - r.idle;
  console.log(`\nExtension-host heap, ${r.asks} asks in one conversation, answers of ${kb(r.meanAnswerBytes)} on average (${(r.asksMs / 1000).toFixed(0)} s for ${2 * r.asks} asks${diskLoad ? ', the disk kept busy by another writer' : ''})`);
  console.log(`  before any ask: ${mb(r.cold)}; idle (SDKs loaded, token made, empty conversation): ${mb(r.idle)}`);
  console.log(`  after ${r.asks} asks: ${mb(r.after)} (${growth >= 0 ? "+" : ""}${mb(growth)})  goal < +${HEAP_GOAL_MB} MB  ${growth < HEAP_GOAL_MB ? 'MET' : 'MISSED'}`);
  console.log(`  after ${2 * r.asks} asks (a second conversation): ${mb(r.after200)}; after New Chat: ${mb(r.released)}`);
  console.log(`Conversation store on disk (cap ${kb(r.capBytes)}): after ${r.asks} asks ${kb(r.disk100)}, after ${2 * r.asks} asks ${kb(r.disk200)} (${r.conversations} conversation(s) kept)  ${Math.max(r.disk100, r.disk200) <= r.capBytes ? 'MET' : 'MISSED'}`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
