import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { resolveCredentials } from '../../src/core/credentials';
import { ACCOUNT, assertTokenVerifies, awsFiles, credentialsError, root, sts, withProcessEnv } from './credentialsFixture';

// Web identity: a token file sent to AssumeRoleWithWebIdentity, from a profile or from AWS_ROLE_ARN.
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

