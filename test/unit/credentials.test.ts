import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { listProfiles, profileRegion, resolveCredentials } from '../../src/core/credentials';
import { SESSION_TEST_KEY, STATIC_TEST_KEY } from '../standin/keys';
import { assertTokenVerifies, awsFiles, credentialsError, root, sessionIni, staticIni, sts } from './credentialsFixture';

// Static and session keys, profile choice, credential_process, assume-role, and what a missing profile says.
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
