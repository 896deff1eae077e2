import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { listProfiles, profileRegion, resolveCredentials } from '../../src/core/credentials';
import { CredentialsError } from '../../src/core/failures';
import { buildBearerToken } from '../../src/core/token';
import { TokenService } from '../../src/core/tokenService';
import type { AwsCredentials } from '../../src/core/types';
import { SESSION_TEST_KEY, STATIC_TEST_KEY, TEST_KEYS, type TestKey } from '../standin/keys';
import { startSsoStandin, type SsoStandin } from '../standin/sso';
import { startStsStandin, type StsStandin } from '../standin/sts';
import { verifyBearerToken } from '../standin/verifyToken';
import { isolateAwsEnvironment } from './awsSandbox';

// The SDK reads some settings only from process.env (HOME for the SSO cache, the STS endpoint, IMDS): point
// them at a temp HOME so nothing here can see the real ~/.aws or reach the network.
const { root, home } = isolateAwsEnvironment('bedrock-gpt-creds-');

let sts: StsStandin;
let sso: SsoStandin;
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

/** What `aws sso login` leaves in ~/.aws/sso/cache: the file is named by the sha1 of the session name (or start URL). */
function writeSsoCache(id: string, accessToken: string, expiresAt: Date, extra: Record<string, string> = {}): void {
  const file = join(home, '.aws', 'sso', 'cache', createHash('sha1').update(id).digest('hex') + '.json');
  writeFileSync(file, JSON.stringify({ ...extra, accessToken, expiresAt: expiresAt.toISOString() }));
}

/** Sets process.env keys for the length of `fn` (for settings the SDK reads only there), then restores them. */
async function withProcessEnv<T>(vars: Record<string, string>, fn: () => Promise<T>): Promise<T> {
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

const ACCOUNT = '123456789012';
const HOUR = 3600_000;

test('an sso_session profile with a valid cached token gets role credentials from the SSO portal and a verifying token', async () => {
  const env = awsFiles(
    `[profile corp-ok]\nsso_session = ok-sso\nsso_account_id = ${ACCOUNT}\nsso_role_name = BedrockUser\nregion = us-east-2\n` +
    `[profile corp-admin]\nsso_session = ok-sso\nsso_account_id = ${ACCOUNT}\nsso_role_name = Admin\n` +
    '[sso-session ok-sso]\nsso_start_url = https://ok.awsapps.com/start\nsso_region = us-east-1\nsso_registration_scopes = sso:account:access\n',
  );
  writeSsoCache('ok-sso', 'standin-sso-ok-token', new Date(Date.now() + 8 * HOUR),
    { startUrl: 'https://ok.awsapps.com/start', region: 'us-east-1' });
  sso.grant('standin-sso-ok-token', ACCOUNT, 'BedrockUser');

  const creds = await resolveCredentials({ profile: 'corp-ok', env });
  const call = sso.calls.at(-1);
  assert.deepEqual(
    { accountId: call?.accountId, roleName: call?.roleName, knownAccessToken: call?.knownAccessToken, status: call?.status },
    { accountId: ACCOUNT, roleName: 'BedrockUser', knownAccessToken: true, status: 200 },
    'GetRoleCredentials carried the cached access token, the account and the role',
  );
  assert.equal(creds.accessKeyId, call?.issuedAccessKeyId);
  assert.ok(creds.sessionToken, 'role credentials are temporary');
  const expiresIn = (creds.expiration?.getTime() ?? 0) - Date.now();
  assert.ok(expiresIn > 0.9 * HOUR && expiresIn <= HOUR, `the portal's expiration (ms) reached us: ${expiresIn}`);
  await assertTokenVerifies(creds);

  // A role the token is not assigned: the portal answers 403 ForbiddenException, not a login problem.
  const err = await credentialsError(resolveCredentials({ profile: 'corp-admin', env }));
  assert.equal(err.code, 'no-credentials', err.message);
  assert.equal(err.details.profile, 'corp-admin');
  assert.equal(sso.calls.at(-1)?.status, 403);
});

test('a legacy sso_start_url profile with a valid cached token reaches a verifying token', async () => {
  const startUrl = 'https://legacy.awsapps.com/start';
  const env = awsFiles(
    `[profile legacy]\nsso_start_url = ${startUrl}\nsso_region = us-east-1\nsso_account_id = ${ACCOUNT}\nsso_role_name = BedrockUser\n`,
  );
  writeSsoCache(startUrl, 'standin-sso-legacy-token', new Date(Date.now() + 8 * HOUR), { startUrl, region: 'us-east-1' });
  sso.grant('standin-sso-legacy-token', ACCOUNT, 'BedrockUser');
  const creds = await resolveCredentials({ profile: 'legacy', env });
  assert.equal(sso.calls.at(-1)?.knownAccessToken, true);
  assert.equal(creds.accessKeyId, sso.calls.at(-1)?.issuedAccessKeyId);
  await assertTokenVerifies(creds, 'us-west-2');
});

test('with no profile, an SSO [default] in files named by env (not process.env) reaches a verifying token', async () => {
  const env = awsFiles(
    `[default]\nsso_session = default-sso\nsso_account_id = ${ACCOUNT}\nsso_role_name = BedrockUser\n` +
    '[sso-session default-sso]\nsso_start_url = https://default.awsapps.com/start\nsso_region = us-east-1\n',
  );
  writeSsoCache('default-sso', 'standin-sso-default-token', new Date(Date.now() + 8 * HOUR));
  sso.grant('standin-sso-default-token', ACCOUNT, 'BedrockUser');
  const creds = await resolveCredentials({ env });
  assert.equal(creds.accessKeyId, sso.calls.at(-1)?.issuedAccessKeyId);
  await assertTokenVerifies(creds);
});

test('a cached SSO token the portal no longer accepts (401) gives sso-expired naming `aws sso login`', async () => {
  const env = awsFiles(
    `[profile revoked]\nsso_session = revoked-sso\nsso_account_id = ${ACCOUNT}\nsso_role_name = BedrockUser\n` +
    '[sso-session revoked-sso]\nsso_start_url = https://revoked.awsapps.com/start\nsso_region = us-east-1\n',
  );
  writeSsoCache('revoked-sso', 'standin-sso-revoked-token', new Date(Date.now() + 8 * HOUR)); // never granted
  const err = await credentialsError(resolveCredentials({ profile: 'revoked', env }));
  assert.equal(sso.calls.at(-1)?.status, 401);
  assert.equal(sso.calls.at(-1)?.knownAccessToken, false);
  assert.equal(err.code, 'sso-expired', err.message);
  assert.deepEqual(err.details, { profile: 'revoked', ssoSession: 'revoked-sso' });
  assert.ok(err.message.includes('aws sso login --profile revoked'), err.message);
  assert.ok(!err.message.includes('standin-sso-revoked-token'));
});

test('TokenService over an SSO profile: expiry capped at the role credentials, refresh picks up rotated ones', async () => {
  const env = awsFiles(
    `[profile rotating]\nsso_session = rotating-sso\nsso_account_id = ${ACCOUNT}\nsso_role_name = BedrockUser\n` +
    '[sso-session rotating-sso]\nsso_start_url = https://rotating.awsapps.com/start\nsso_region = us-east-1\n',
  );
  writeSsoCache('rotating-sso', 'standin-sso-rotating-token', new Date(Date.now() + 8 * HOUR));
  sso.grant('standin-sso-rotating-token', ACCOUNT, 'BedrockUser');
  const service = new TokenService({ region: 'us-east-2', profile: 'rotating', env }); // the real resolveCredentials
  try {
    const callsBefore = sso.calls.length;
    const first = await service.getToken();
    const firstCall = sso.calls.at(-1);
    assert.equal(sso.calls.length, callsBefore + 1);
    const roleExpiry = TEST_KEYS.find((k) => k.accessKeyId === firstCall?.issuedAccessKeyId)?.expiresAt;
    assert.ok(roleExpiry && roleExpiry - Date.now() <= HOUR);
    // The default 12 h lifetime is cut to the role credentials' hour, and the endpoint agrees.
    assert.deepEqual(service.state, { kind: 'valid', source: 'sigv4', expiresAt: roleExpiry, cappedByCredentials: true });
    const verdict = verifyBearerToken(`Bearer ${first}`, { region: 'us-east-2' });
    assert.ok(verdict.ok && verdict.accessKeyId === firstCall?.issuedAccessKeyId && verdict.expiresAt === roleExpiry,
      JSON.stringify(verdict));
    assert.equal(verifyBearerToken(`Bearer ${first}`, { region: 'us-east-2', now: roleExpiry - 1000 }).ok, true);
    assert.equal(verifyBearerToken(`Bearer ${first}`, { region: 'us-east-2', now: roleExpiry }).ok, false);

    assert.ok((await service.getToken()) === first, 'the cached token is reused');
    assert.equal(sso.calls.length, callsBefore + 1, 'no portal call for a cached token');

    sso.rotate(); // the portal revokes the role's keys and hands out new ones
    const revoked = verifyBearerToken(`Bearer ${first}`, { region: 'us-east-2' });
    assert.equal(!revoked.ok && revoked.code, 'unknown-access-key');
    const second = await service.refresh();
    const secondCall = sso.calls.at(-1);
    assert.equal(sso.calls.length, callsBefore + 2, 'refresh asked the portal again (no cached credentials)');
    assert.notEqual(secondCall?.issuedAccessKeyId, firstCall?.issuedAccessKeyId);
    const renewed = verifyBearerToken(`Bearer ${second}`, { region: 'us-east-2' });
    assert.ok(renewed.ok && renewed.accessKeyId === secondCall?.issuedAccessKeyId, JSON.stringify(renewed));
    assert.equal(service.state.kind === 'valid' && service.state.cappedByCredentials, true);
  } finally {
    service.dispose();
  }
});

test('a web identity profile sends its token file to AssumeRoleWithWebIdentity and reaches a verifying token', async () => {
  const tokenFile = join(root, 'web-identity-token');
  const webToken = 'eyJhbGciOiJSUzI1NiJ9.standin-web-identity-claims.standin-signature';
  writeFileSync(tokenFile, webToken);
  const badTokenFile = join(root, 'web-identity-invalid');
  writeFileSync(badTokenFile, 'standin-invalid-web-identity');
  const env = awsFiles(
    `[profile ci]\nrole_arn = arn:aws:iam::${ACCOUNT}:role/bedrock-ci\nweb_identity_token_file = ${tokenFile}\nrole_session_name = ci-run-42\n` +
    `[profile ci-bad]\nrole_arn = arn:aws:iam::${ACCOUNT}:role/bedrock-ci\nweb_identity_token_file = ${badTokenFile}\n` +
    `[profile ci-gone]\nrole_arn = arn:aws:iam::${ACCOUNT}:role/bedrock-ci\nweb_identity_token_file = ${join(root, 'no-such-token')}\n`,
  );
  // The SDK's STS for web identity takes its region only from process.env (AWS_REGION) or the process's own
  // [default], and console.warns before falling back to us-east-1; CI runners and EKS set AWS_REGION.
  const resolve = (profile: string) => withProcessEnv({ AWS_REGION: 'us-east-2' }, () => resolveCredentials({ profile, env }));
  const creds = await resolve('ci');
  const call = sts.calls.at(-1);
  assert.equal(call?.action, 'AssumeRoleWithWebIdentity');
  assert.ok(call?.webIdentityToken === webToken, "the token file's content reached STS");
  assert.equal(call?.signed, false, 'AssumeRoleWithWebIdentity is sent unsigned');
  assert.equal(call?.roleArn, `arn:aws:iam::${ACCOUNT}:role/bedrock-ci`);
  assert.equal(call?.roleSessionName, 'ci-run-42');
  assert.equal(creds.accessKeyId, call?.issuedAccessKeyId);
  assert.ok(creds.sessionToken && creds.expiration && creds.expiration.getTime() > Date.now());
  await assertTokenVerifies(creds);

  for (const profile of ['ci-bad', 'ci-gone']) {
    const err = await credentialsError(resolve(profile));
    assert.equal(err.code, 'assume-role', `${profile}: ${err.message}`);
    assert.equal(err.details.profile, profile);
    assert.ok(!err.message.includes(webToken));
  }
});

test('AWS_ROLE_ARN + AWS_WEB_IDENTITY_TOKEN_FILE (no profile) reach a verifying token through the default chain', async () => {
  const tokenFile = join(root, 'web-identity-env-token');
  const webToken = 'eyJhbGciOiJSUzI1NiJ9.standin-env-web-identity.standin-signature';
  writeFileSync(tokenFile, webToken);
  const vars = {
    AWS_ROLE_ARN: `arn:aws:iam::${ACCOUNT}:role/bedrock-pod`,
    AWS_WEB_IDENTITY_TOKEN_FILE: tokenFile,
    AWS_ROLE_SESSION_NAME: 'pod-session',
    AWS_REGION: 'us-east-2', // as EKS sets it beside the other two
  };
  // fromTokenFile reads these from process.env only; env carries them too, as it would when env is process.env.
  const env = awsFiles('', '', vars);
  const creds = await withProcessEnv(vars, () => resolveCredentials({ env }));
  const call = sts.calls.at(-1);
  assert.equal(call?.action, 'AssumeRoleWithWebIdentity');
  assert.ok(call?.webIdentityToken === webToken, "the token file's content reached STS");
  assert.equal(call?.roleArn, vars.AWS_ROLE_ARN);
  assert.equal(call?.roleSessionName, 'pod-session');
  assert.equal(creds.accessKeyId, call?.issuedAccessKeyId);
  await assertTokenVerifies(creds);
  assert.equal(process.env.AWS_ROLE_ARN, undefined, 'process.env restored');
  assert.equal(process.env.AWS_REGION, undefined, 'process.env restored');
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
