// What the workbench UI tests (test/ui/*.ui.ts) share: the AWS profile that signs for the stand-in, checks that
// count themselves, and the process exit that scripts/test-ui.ts reads as the verdict.
import * as assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { STATIC_TEST_KEY } from '../standin/keys';

/**
 * Writes `<dir>/config` and `<dir>/credentials` holding `profile` with the stand-in's static test key, and returns
 * the environment for code-server: those two files and nothing else (no ambient AWS credentials, no IMDS).
 */
export function writeTestProfile(dir: string, profile: string): Record<string, string | undefined> {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'config'), `[profile ${profile}]\nregion = us-east-2\n`);
  writeFileSync(
    join(dir, 'credentials'),
    `[${profile}]\naws_access_key_id = ${STATIC_TEST_KEY.accessKeyId}\naws_secret_access_key = ${STATIC_TEST_KEY.secretAccessKey}\n`,
  );
  return {
    AWS_CONFIG_FILE: join(dir, 'config'),
    AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_PROFILE: undefined,
    AWS_ACCESS_KEY_ID: undefined,
    AWS_SECRET_ACCESS_KEY: undefined,
    AWS_SESSION_TOKEN: undefined,
    AWS_BEARER_TOKEN_BEDROCK: undefined,
  };
}

/** Checks that count themselves and print as they pass: the failure message says how many held before it. */
export class Checks {
  count = 0;

  check(what: string, ok: unknown, detail = ''): asserts ok {
    assert.ok(ok, `${what}${detail ? `: ${detail}` : ''}`);
    this.count++;
    console.log(`  ✔ ${what}`);
  }
}

/**
 * Runs the test named `name` and exits 0 only if it resolved, saying how many of its checks passed and how long it
 * took; on a failure, how many held before it and why.
 */
export function runUiTest(name: string, checks: Checks, main: () => Promise<void>): void {
  const started = Date.now();
  main().then(
    () => {
      console.log(`${name}: ${checks.count} checks passed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      process.exit(0);
    },
    (e: unknown) => {
      console.error(`${name}: FAILED after ${checks.count} checks: ${e instanceof Error ? e.message : String(e)}`);
      process.exit(1);
    },
  );
}
