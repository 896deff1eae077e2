/**
 * Runs the Bedrock stand-in as its own process, for tests that drive it from elsewhere (VS Code, the CLI):
 *   tsx test/standin/main.ts [--port N]   → prints `listening http://127.0.0.1:N`, stops on SIGTERM/SIGINT.
 */
import { startStandin } from './server';

function portArg(argv: string[]): number {
  const i = argv.indexOf('--port');
  if (i < 0) return 0;
  const port = Number(argv[i + 1]);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write(`--port needs a number between 0 and 65535, got ${JSON.stringify(argv[i + 1])}\n`);
    process.exit(2);
  }
  return port;
}

async function main(): Promise<void> {
  const standin = await startStandin({ port: portArg(process.argv.slice(2)) });
  process.stdout.write(`listening ${standin.url}\n`);
  const stop = () => void standin.close().then(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`stand-in failed to start: ${(err as Error).message}\n`);
  process.exit(1);
});
