import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listProfiles, profileRegion, resolveCredentials } from '../../src/core/credentials';
import { CredentialsError } from '../../src/core/failures';
import { buildBearerToken } from '../../src/core/token';
import type { AwsCredentials } from '../../src/core/types';
import { SESSION_TEST_KEY, STATIC_TEST_KEY, type TestKey } from '../standin/keys';
import { startStsStandin, type StsStandin } from '../standin/sts';
import { verifyBearerToken } from '../standin/verifyToken';

// The SDK reads some settings only from process.env (HOME for the SSO cache, the STS endpoint, IMDS): point
// them at a temp HOME so nothing here can see the real ~/.aws or reach the network.
const root = mkdtempSync(join(tmpdir(), 'bedrock-gpt-creds-'));
const home = join(root, 'home');
mkdirSync(join(home, '.aws', 'sso', 'cache'), { recursive: true });
for (const name of Object.keys(process.env)) if (name.startsWith('AWS_')) delete process.env[name];
Object.assign(process.env, {
  HOME: home,
  USERPROFILE: home,
  AWS_CONFIG_FILE: join(home, '.aws', 'config'),
  AWS_SHARED_CREDENTIALS_FILE: join(home, '.aws', 'credentials'),
  AWS_EC2_METADATA_DISABLED: 'true',
});

let sts: StsStandin;
before(async () => {
  sts = await startStsStandin();
  process.env.AWS_ENDPOINT_URL_STS = sts.url;
});
after(async () => {
  await sts.close();
  rmSync(root, { recursive: true, force: true });
});

let dirCount = 0;
/** A fresh pair of AWS files (fresh paths, so no SDK file cache is shared between tests) and an env naming them. */
function awsFiles(config: string, credentials = '', extraEnv: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const dir = join(root, `aws-${++dirCount}`);
  mkdirSync(dir);
  writeFileSync(join(dir, 'config'), config);
  writeFileSync(join(dir, 'credentials'), credentials);
  return { HOME: home, AWS_CONFIG_FILE: join(dir, 'config'), AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'), ...extraEnv };
}

const staticIni = (k: TestKey) => `aws_access_key_id = ${k.accessKeyId}\naws_secret_access_key = ${k.secretAccessKey}\n`;
const sessionIni = (k: TestKey) => staticIni(k) + `aws_session_token = ${k.sessionToken}\n`;

async function assertTokenVerifies(creds: AwsCredentials, region = 'us-east-2'): Promise<void> {
  const token = await buildBearerToken(creds, region, 900);
  const verdict = verifyBearerToken(`Bearer ${token}`, { region });
  assert.equal(verdict.ok, true, JSON.stringify(verdict));
}

async function credentialsError(p: Promise<unknown>): Promise<CredentialsError> {
  const err = await p.then(() => assert.fail('expected a CredentialsError'), (e: unknown) => e);
  assert.ok(err instanceof CredentialsError, `expected CredentialsError, got ${String(err)}`);
  return err;
}

test('static keys in the credentials file reach a verifying token', async () => {
  const env = awsFiles('', `[dev]\n${staticIni(STATIC_TEST_KEY)}`);
  const creds = await resolveCredentials({ profile: 'dev', env });
  assert.deepEqual(Object.keys(creds), ['accessKeyId', 'secretAccessKey']);
  assert.equal(creds.accessKeyId, STATIC_TEST_KEY.accessKeyId);
  assert.ok(creds.secretAccessKey === STATIC_TEST_KEY.secretAccessKey, 'secret read from the file'); // never printed
  await assertTokenVerifies(creds, 'us-west-2');
});

test('a profile only in ~/.aws/config (session keys) reaches a verifying token', async () => {
  const env = awsFiles(`[profile cfg]\nregion = us-west-2\n${sessionIni(SESSION_TEST_KEY)}`);
  const creds = await resolveCredentials({ profile: 'cfg', env });
  assert.ok(creds.sessionToken === SESSION_TEST_KEY.sessionToken, 'session token read');
  await assertTokenVerifies(creds);
  assert.equal(await profileRegion('cfg', env), 'us-west-2');
});

test('profile choice: explicit > AWS_PROFILE > default chain', async () => {
  const config = `[default]\n${staticIni(STATIC_TEST_KEY)}[profile sess]\n${sessionIni(SESSION_TEST_KEY)}`;
  const base = awsFiles(config);
  assert.equal((await resolveCredentials({ env: base })).accessKeyId, STATIC_TEST_KEY.accessKeyId);
  const withProfile = { ...base, AWS_PROFILE: 'sess' };
  assert.equal((await resolveCredentials({ env: withProfile })).accessKeyId, SESSION_TEST_KEY.accessKeyId);
  assert.equal((await resolveCredentials({ profile: 'default', env: withProfile })).accessKeyId, STATIC_TEST_KEY.accessKeyId);
});

test('environment variable keys reach a verifying token (the default chain, no profile)', async () => {
  const env = awsFiles('', '', {
    AWS_ACCESS_KEY_ID: SESSION_TEST_KEY.accessKeyId,
    AWS_SECRET_ACCESS_KEY: SESSION_TEST_KEY.secretAccessKey,
    AWS_SESSION_TOKEN: SESSION_TEST_KEY.sessionToken,
  });
  const creds = await resolveCredentials({ env });
  assert.ok(creds.sessionToken === SESSION_TEST_KEY.sessionToken, 'session token read');
  await assertTokenVerifies(creds);
});

test('credentials whose expiration has passed are refused as expired', async () => {
  const env = awsFiles('', '', {
    AWS_ACCESS_KEY_ID: SESSION_TEST_KEY.accessKeyId,
    AWS_SECRET_ACCESS_KEY: SESSION_TEST_KEY.secretAccessKey,
    AWS_CREDENTIAL_EXPIRATION: new Date(Date.now() - 1000).toISOString(),
  });
  const err = await credentialsError(resolveCredentials({ env }));
  assert.equal(err.code, 'expired');
  assert.ok(!err.message.includes(SESSION_TEST_KEY.secretAccessKey));
});

test('credential_process output reaches a verifying token; a failing process gives credential-process', async () => {
  const script = join(root, 'process.js');
  const expiration = new Date(Date.now() + 3600_000).toISOString();
  const out = { Version: 1, AccessKeyId: SESSION_TEST_KEY.accessKeyId, SecretAccessKey: SESSION_TEST_KEY.secretAccessKey,
    SessionToken: SESSION_TEST_KEY.sessionToken, Expiration: expiration };
  writeFileSync(script, `process.stdout.write(${JSON.stringify(JSON.stringify(out))});\n`);
  const failing = join(root, 'failing.js');
  writeFileSync(failing, `process.stderr.write('boom ${SESSION_TEST_KEY.secretAccessKey}'); process.exit(3);\n`);
  const env = awsFiles(
    `[profile proc]\ncredential_process = "${process.execPath}" "${script}"\n` +
    `[profile broken]\ncredential_process = "${process.execPath}" "${failing}"\n`,
  );
  const creds = await resolveCredentials({ profile: 'proc', env });
  assert.equal(creds.expiration?.toISOString(), expiration);
  await assertTokenVerifies(creds);

  const err = await credentialsError(resolveCredentials({ profile: 'broken', env }));
  assert.equal(err.code, 'credential-process');
  assert.equal(err.details.profile, 'broken');
  assert.ok(!err.message.includes(SESSION_TEST_KEY.secretAccessKey), 'the process stderr is not echoed');
});

test('assume-role with source_profile goes through the local STS and reaches a verifying token', async () => {
  const env = awsFiles(
    '[profile base]\nregion = us-east-2\n' +
    '[profile role]\nrole_arn = arn:aws:iam::123456789012:role/bedrock-user\nsource_profile = base\nregion = us-east-2\n' +
    '[profile denied]\nrole_arn = arn:aws:iam::123456789012:role/denied\nsource_profile = base\nregion = us-east-2\n',
    `[base]\n${staticIni(STATIC_TEST_KEY)}`,
  );
  const creds = await resolveCredentials({ profile: 'role', env });
  const call = sts.calls.at(-1);
  assert.equal(call?.roleArn, 'arn:aws:iam::123456789012:role/bedrock-user');
  assert.equal(call?.callerAccessKeyId, STATIC_TEST_KEY.accessKeyId, 'the source profile signed the AssumeRole call');
  assert.equal(creds.accessKeyId, call?.issuedAccessKeyId);
  assert.ok(creds.sessionToken && creds.expiration && creds.expiration.getTime() > Date.now());
  await assertTokenVerifies(creds);

  const err = await credentialsError(resolveCredentials({ profile: 'denied', env }));
  assert.equal(err.code, 'assume-role');
  assert.equal(err.details.profile, 'denied');
});

test('an expired SSO cache gives sso-expired naming the profile and `aws sso login`', async () => {
  // The SDK resolves an assume-role profile's SSO source through the process's own config path, so this test
  // writes the files where process.env points (the usual case: env is process.env).
  const env = { ...process.env };
  writeFileSync(env.AWS_SHARED_CREDENTIALS_FILE as string, '');
  writeFileSync(env.AWS_CONFIG_FILE as string,
    '[profile corp]\nsso_session = corp-sso\nsso_account_id = 123456789012\nsso_role_name = BedrockUser\nregion = us-east-2\n' +
    '[sso-session corp-sso]\nsso_start_url = https://example.awsapps.com/start\nsso_region = us-east-1\n' +
    '[profile via-corp]\nrole_arn = arn:aws:iam::123456789012:role/bedrock-user\nsource_profile = corp\n' +
    '[profile never]\nsso_session = never-sso\nsso_account_id = 123456789012\nsso_role_name = BedrockUser\n' +
    '[sso-session never-sso]\nsso_start_url = https://never.awsapps.com/start\nsso_region = us-east-1\n',
  );
  const cacheFile = join(home, '.aws', 'sso', 'cache', createHash('sha1').update('corp-sso').digest('hex') + '.json');
  writeFileSync(cacheFile, JSON.stringify({
    startUrl: 'https://example.awsapps.com/start', region: 'us-east-1', accessToken: 'standin-sso-access-token',
    expiresAt: new Date(Date.now() - 3600_000).toISOString(),
  }));
  for (const [profile, expected] of [['corp', 'corp'], ['via-corp', 'corp'], ['never', 'never']]) {
    const err = await credentialsError(resolveCredentials({ profile, env }));
    assert.equal(err.code, "sso-expired", `${profile}: ${err.message} / ${String((err.cause as Error)?.message)}`);
    assert.equal(err.details.profile, expected);
    assert.ok(err.message.includes(`aws sso login --profile ${expected}`), err.message);
    assert.ok(!err.message.includes('standin-sso-access-token'));
  }
});

test('an SSO profile in files named by env (not process.env) still reads its session and gives sso-expired', async () => {
  const env = awsFiles(
    '[profile team]\nsso_session = team-sso\nsso_account_id = 123456789012\nsso_role_name = BedrockUser\n' +
    '[sso-session team-sso]\nsso_start_url = https://team.awsapps.com/start\nsso_region = us-east-1\n',
  );
  const cacheFile = join(home, '.aws', 'sso', 'cache', createHash('sha1').update('team-sso').digest('hex') + '.json');
  writeFileSync(cacheFile, JSON.stringify({ accessToken: 'standin-sso-access-token', expiresAt: new Date(Date.now() - 1000).toISOString() }));
  const err = await credentialsError(resolveCredentials({ profile: 'team', env }));
  assert.equal(err.code, 'sso-expired');
  assert.deepEqual(err.details, { profile: 'team', ssoSession: 'team-sso' });
});

test('an unknown profile lists the known ones; listProfiles reads both files and skips sso-session sections', async () => {
  const env = awsFiles(
    `[default]\nregion = eu-west-1\n[profile cfg]\nregion = us-west-2\n[sso-session s]\nsso_region = us-east-1\n`,
    `[dev]\n${staticIni(STATIC_TEST_KEY)}[cfg]\n${staticIni(STATIC_TEST_KEY)}`,
  );
  assert.deepEqual(await listProfiles(env), ['cfg', 'default', 'dev']);
  const err = await credentialsError(resolveCredentials({ profile: 'nope', env }));
  assert.equal(err.code, 'unknown-profile');
  assert.deepEqual(err.details.knownProfiles, ['cfg', 'default', 'dev']);
  assert.match(err.message, /"nope".*Known profiles: cfg, default, dev\./);
  const viaEnv = await credentialsError(resolveCredentials({ env: { ...env, AWS_PROFILE: 'gone' } }));
  assert.equal(viaEnv.details.profile, 'gone');
  assert.equal(await profileRegion(undefined, env), 'eu-west-1');
  assert.equal(await profileRegion(undefined, { ...env, AWS_PROFILE: 'cfg' }), 'us-west-2');
  assert.equal(await profileRegion('dev', env), undefined);
});

test('nothing configured gives no-credentials', async () => {
  const err = await credentialsError(resolveCredentials({ env: awsFiles('') }));
  assert.equal(err.code, 'no-credentials');
  assert.match(err.message, /No AWS credentials were found/);
});

test('an edited credentials file is picked up on the next resolve (no stale cache)', async () => {
  const env = awsFiles('', `[dev]\n${staticIni(STATIC_TEST_KEY)}`);
  assert.equal((await resolveCredentials({ profile: 'dev', env })).accessKeyId, STATIC_TEST_KEY.accessKeyId);
  writeFileSync(env.AWS_SHARED_CREDENTIALS_FILE as string, `[dev]\n${sessionIni(SESSION_TEST_KEY)}`);
  assert.equal((await resolveCredentials({ profile: 'dev', env })).accessKeyId, SESSION_TEST_KEY.accessKeyId);
});
