// What a bench prints from inside the extension host: runBench.ts picks up its `BENCH {...}` line.

/** The line the runner picks up; only console lines with the harness's tag reach it (see test/extension/index.ts). */
export function printBench(result: unknown): void {
  console.log(`${process.env.HARNESS_CONSOLE_TAG ?? ''}BENCH ${JSON.stringify(result)}`);
}

/** Progress lines, so the runner's silence bound does not end a long bench. */
export function progress(text: string): void {
  console.log(`${process.env.HARNESS_CONSOLE_TAG ?? ''}${text}`);
}
