// Runs a bench module inside the extension host of a real VS Code (code-server), against a fresh stand-in, and
// returns the JSON it printed on its `BENCH {...}` line. Shared by the extension-host benches.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import { REPO_ROOT, runExtensionTests } from '../../scripts/harness/codeServer';
import { startStandin, type Standin } from '../../test/standin/server';
import { writeTestProfile } from '../../test/ui/uiTest';

export interface HostBenchOptions {
  /** The module under bench/extensionHost/ exporting `run()`, without its extension. */
  name: string;
  env?: Record<string, string>;
  userSettings?: Record<string, unknown>;
  /** Set the stand-in up before the run (queue faults). */
  prepare?: (standin: Standin) => void;
  /** How long the bench may print nothing (default 90 s). */
  silenceTimeoutMs?: number;
}

/** Bundles bench/extensionHost/<name>.ts, runs it with the static test profile and the stand-in as endpoint. */
export async function runHostBench<T>(o: HostBenchOptions): Promise<T> {
  const bundle = join(REPO_ROOT, `out-test/bench/${o.name}.js`);
  await esbuild.build({
    entryPoints: [join(REPO_ROOT, `bench/extensionHost/${o.name}.ts`)], outfile: bundle, bundle: true, platform: 'node',
    format: 'cjs', target: 'node20', external: ['vscode'], logLevel: 'warning',
  });
  const standin = await startStandin({ port: 0 });
  const scratch = mkdtempSync(join(tmpdir(), 'bedrock-gpt-bench-'));
  try {
    o.prepare?.(standin);
    const { exitCode, output } = await runExtensionTests({
      extensionDevelopmentPath: REPO_ROOT,
      extensionTestsPath: bundle,
      env: { ...writeTestProfile(join(scratch, 'aws'), 'standin-static'), BEDROCK_GPT_TEST_STANDIN_URL: standin.url, ...o.env },
      userSettings: { 'bedrockGpt.profile': 'standin-static', 'bedrockGpt.endpoint': standin.endpointTemplate, ...o.userSettings },
      prefix: '  [ext-host] ',
      ...(o.silenceTimeoutMs && { silenceTimeoutMs: o.silenceTimeoutMs }),
    });
    const line = /BENCH (\{.*\})/.exec(output)?.[1];
    if (exitCode !== 0 || !line) throw new Error(`the extension-host bench ${o.name} did not finish (exit ${exitCode})`);
    return JSON.parse(line) as T;
  } finally {
    await standin.close();
    rmSync(scratch, { recursive: true, force: true });
  }
}
