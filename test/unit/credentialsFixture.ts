/**
 * What the credential test files share. Importing this module isolates the AWS environment of the test process
 * (awsSandbox.ts) and starts the local STS and SSO portal stand-ins around the file's tests (`sts` and `sso` are
 * set once the file's `before` ran). Helpers write AWS files and SSO caches under that sandbox.
 */
import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CredentialsError } from '../../src/core/failures';
import { buildBearerToken } from '../../src/core/token';
import type { AwsCredentials } from '../../src/core/types';
import type { TestKey } from '../standin/keys';
import { startSsoStandin, type SsoStandin } from '../standin/sso';
import { startStsStandin, type StsStandin } from '../standin/sts';
import { verifyBearerToken } from '../standin/verifyToken';
import { isolateAwsEnvironment } from './awsSandbox';

// The SDK reads some settings only from process.env (HOME for the SSO cache, the STS endpoint, IMDS): point
// them at a temp HOME so nothing here can see the real ~/.aws or reach the network.
export const { root, home } = isolateAwsEnvironment('bedrock-gpt-creds-');

export let sts: StsStandin;
export let sso: SsoStandin;
before(async () => {
  sts = await startStsStandin();
  sso = await startSsoStandin();
  process.env.AWS_ENDPOINT_URL_STS = sts.url;
  process.env.AWS_ENDPOINT_URL_SSO = sso.url; // the SDK reads configured endpoints from process.env only
});
after(async () => {
  await sts.close();
  await sso.close();
  rmSync(root, { recursive: true, force: true });
});

let dirCount = 0;
/** A fresh pair of AWS files (fresh paths, so no SDK file cache is shared between tests) and an env naming them. */
export function awsFiles(config: string, credentials = '', extraEnv: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const dir = join(root, `aws-${++dirCount}`);
  mkdirSync(dir);
  writeFileSync(join(dir, 'config'), config);
  writeFileSync(join(dir, 'credentials'), credentials);
  return { HOME: home, AWS_CONFIG_FILE: join(dir, 'config'), AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'), ...extraEnv };
}

export const staticIni = (k: TestKey) => `aws_access_key_id = ${k.accessKeyId}\naws_secret_access_key = ${k.secretAccessKey}\n`;
export const sessionIni = (k: TestKey) => staticIni(k) + `aws_session_token = ${k.sessionToken}\n`;

export async function assertTokenVerifies(creds: AwsCredentials, region = 'us-east-2'): Promise<void> {
  const token = await buildBearerToken(creds, region, 900);
  const verdict = verifyBearerToken(`Bearer ${token}`, { region });
  assert.equal(verdict.ok, true, JSON.stringify(verdict));
}

/** What `aws sso login` leaves in ~/.aws/sso/cache: the file is named by the sha1 of the session name (or start URL). */
export function writeSsoCache(id: string, accessToken: string, expiresAt: Date, extra: Record<string, string> = {}): void {
  const file = join(home, '.aws', 'sso', 'cache', createHash('sha1').update(id).digest('hex') + '.json');
  writeFileSync(file, JSON.stringify({ ...extra, accessToken, expiresAt: expiresAt.toISOString() }));
}

/** Sets process.env keys for the length of `fn` (for settings the SDK reads only there), then restores them. */
export async function withProcessEnv<T>(vars: Record<string, string>, fn: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  Object.assign(process.env, vars);
  try {
    return await fn();
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

export async function credentialsError(p: Promise<unknown>): Promise<CredentialsError> {
  const err = await p.then(() => assert.fail('expected a CredentialsError'), (e: unknown) => e);
  assert.ok(err instanceof CredentialsError, `expected CredentialsError, got ${String(err)}`);
  return err;
}

/** The account the SSO and web identity profiles name. */
export const ACCOUNT = '123456789012';
export const HOUR = 3600_000;
