import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { resolveCredentials } from '../../src/core/credentials';
import { TokenService } from '../../src/core/tokenService';
import { TEST_KEYS } from '../standin/keys';
import { verifyBearerToken } from '../standin/verifyToken';
import { ACCOUNT, HOUR, assertTokenVerifies, awsFiles, credentialsError, home, sso, writeSsoCache } from './credentialsFixture';

// SSO profiles: the cache `aws sso login` leaves, the SSO portal's role credentials, and their expiry and rotation.
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

