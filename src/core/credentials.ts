/**
 * AWS credentials the way the AWS CLI finds them: an explicit profile, else AWS_PROFILE, else the default chain.
 * Every profile kind (static keys, config-only, SSO, assume-role, credential_process, web identity) is left to
 * @aws-sdk/credential-providers; this module only chooses the profile, reads files fresh on every call (so a
 * new `aws sso login` or an edited file is picked up) and turns failures into CredentialsError.
 *
 * `env` decides the profile, the config/credentials file paths and environment-variable keys. Parts of the SDK
 * read process.env themselves (HOME for the SSO cache, AWS_ENDPOINT_URL_STS / _SSO, AWS_EC2_METADATA_DISABLED,
 * AWS_ROLE_ARN and AWS_WEB_IDENTITY_TOKEN_FILE, AWS_REGION for the STS of a web identity, the environment of a
 * credential_process, and the file paths used for the source_profile of an assume-role profile when that source
 * is an SSO profile), so those follow the process. The proxy variables are read from `env`: the SDK's own calls
 * (SSO portal, STS) go through the proxy they name (awsRequestHandler.ts).
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fromIni, fromNodeProviderChain, fromSSO } from '@aws-sdk/credential-providers';
import { loadSharedConfigFiles } from '@smithy/shared-ini-file-loader';
import { credentialRequestHandler } from './awsRequestHandler';
import { CredentialsError } from './failures';
import { chosenProfile } from './profile';
import type { AwsCredentials } from './types';

export interface CredentialOptions {
  profile?: string;
  env?: NodeJS.ProcessEnv;
}

type ProfileData = Record<string, string | undefined>;
type ProfileKind = 'static' | 'assume-role' | 'web-identity' | 'process' | 'sso' | 'other';

interface SharedFiles {
  filepath: string;
  configFilepath: string;
}

/** A silent logger: the SDK's own warnings would otherwise go to the console (and the CLI's stdout). */
const quietLogger = { trace() {}, debug() {}, info() {}, warn() {}, error() {} };

function sharedFiles(env: NodeJS.ProcessEnv): SharedFiles {
  const home = env.HOME || env.USERPROFILE || homedir();
  return {
    filepath: env.AWS_SHARED_CREDENTIALS_FILE || join(home, '.aws', 'credentials'),
    configFilepath: env.AWS_CONFIG_FILE || join(home, '.aws', 'config'),
  };
}

/** Profiles from both files, merged as the SDK merges them (the credentials file wins on a shared key). */
async function loadProfiles(env: NodeJS.ProcessEnv): Promise<Map<string, ProfileData>> {
  const { configFile, credentialsFile } = await loadSharedConfigFiles({ ...sharedFiles(env), ignoreCache: true });
  const profiles = new Map<string, ProfileData>();
  for (const [name, data] of Object.entries(configFile)) {
    // loadSharedConfigFiles keeps [sso-session x] and [services x] sections under prefixed keys: not profiles.
    if (name.startsWith('sso-session.') || name.startsWith('services.')) continue;
    profiles.set(name, { ...data });
  }
  for (const [name, data] of Object.entries(credentialsFile)) profiles.set(name, { ...profiles.get(name), ...data });
  return profiles;
}

function profileNames(profiles: Map<string, ProfileData>): string[] {
  return [...profiles.keys()].sort((a, b) => a.localeCompare(b));
}

export async function listProfiles(env: NodeJS.ProcessEnv = process.env): Promise<string[]> {
  return profileNames(await loadProfiles(env));
}

/** The region configured for a profile; with no profile, AWS_PROFILE's or else [default]'s, as the AWS CLI reads it. */
export async function profileRegion(profile: string | undefined, env: NodeJS.ProcessEnv = process.env): Promise<string | undefined> {
  const name = chosenProfile(profile, env) ?? 'default';
  return (await loadProfiles(env)).get(name)?.region || undefined;
}

export async function resolveCredentials(opts: CredentialOptions = {}): Promise<AwsCredentials> {
  const env = opts.env ?? process.env;
  const files = sharedFiles(env);
  const explicit = chosenProfile(opts.profile, env);
  const profiles = await loadProfiles(env);

  if (explicit && !profiles.has(explicit)) {
    const knownProfiles = profileNames(profiles);
    const known = knownProfiles.length ? `Known profiles: ${knownProfiles.join(', ')}.` : 'No profiles are configured.';
    throw new CredentialsError(
      'unknown-profile',
      `The AWS profile "${explicit}" is in neither ${files.configFilepath} nor ${files.filepath}. ${known}`,
      { profile: explicit, knownProfiles },
    );
  }

  if (!explicit) {
    // The default chain's first link, read from the caller's env (the SDK's fromEnv reads only process.env).
    const fromEnvVars = credentialsFromEnv(env);
    if (fromEnvVars) return checked(fromEnvVars, undefined);
  }

  // Without an explicit profile the chain reads [default], named here so it never falls back to process.env's keys.
  const profile = explicit ?? 'default';
  // With a proxy in env, the SSO and STS clients get a handler through it. clientConfig reaches the SSO portal,
  // SSO OIDC and AssumeRole; fromIni hands a web identity profile only parentClientConfig, so it carries it too.
  const requestHandler = credentialRequestHandler(env);
  const init = {
    profile, ...files, ignoreCache: true, logger: quietLogger,
    ...(requestHandler && { clientConfig: { requestHandler }, parentClientConfig: { requestHandler } }),
  };
  // fromIni (also the chain's) hands SSO profiles to fromSSO without the file paths; calling fromSSO directly
  // keeps them, for an explicit profile and for an SSO [default] alike.
  const provider = kindOf(profiles.get(profile)) === 'sso'
    ? fromSSO(init)
    : explicit
      ? fromIni(init)
      : fromNodeProviderChain(init);
  try {
    const c = await provider();
    return checked(
      { accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey, sessionToken: c.sessionToken, expiration: c.expiration },
      explicit,
    );
  } catch (err) {
    if (requestHandler?.proxyFailure) throw requestHandler.proxyFailure;
    throw toCredentialsError(err, explicit ?? (profiles.has('default') ? 'default' : undefined), profiles);
  } finally {
    requestHandler?.destroy();
  }
}

function credentialsFromEnv(env: NodeJS.ProcessEnv): AwsCredentials | undefined {
  const { AWS_ACCESS_KEY_ID: accessKeyId, AWS_SECRET_ACCESS_KEY: secretAccessKey } = env;
  if (!accessKeyId || !secretAccessKey) return undefined;
  return {
    accessKeyId,
    secretAccessKey,
    ...(env.AWS_SESSION_TOKEN && { sessionToken: env.AWS_SESSION_TOKEN }),
    ...(env.AWS_CREDENTIAL_EXPIRATION && { expiration: new Date(env.AWS_CREDENTIAL_EXPIRATION) }),
  };
}

function checked(creds: AwsCredentials, profile: string | undefined): AwsCredentials {
  if (!creds.sessionToken) delete creds.sessionToken;
  if (!creds.expiration) delete creds.expiration;
  if (creds.expiration && creds.expiration.getTime() <= Date.now()) {
    const where = profile ? `profile "${profile}"` : 'the environment';
    throw new CredentialsError('expired', `The AWS credentials from ${where} expired at ${creds.expiration.toISOString()}.`, {
      profile,
    });
  }
  return creds;
}

function kindOf(data: ProfileData | undefined): ProfileKind {
  if (!data) return 'other';
  if (data.role_arn && data.web_identity_token_file) return 'web-identity';
  if (data.role_arn && (data.source_profile || data.credential_source)) return 'assume-role';
  if (data.aws_access_key_id) return 'static';
  if (data.credential_process) return 'process';
  if (data.sso_session || data.sso_start_url) return 'sso';
  return 'other';
}

/** Follows source_profile links from `name` to the first SSO profile: that is the one `aws sso login` needs. */
function ssoProfileBehind(name: string, profiles: Map<string, ProfileData>): string | undefined {
  const seen = new Set<string>();
  for (let current: string | undefined = name; current && !seen.has(current); current = profiles.get(current)?.source_profile) {
    seen.add(current);
    if (kindOf(profiles.get(current)) === 'sso') return current;
  }
  return undefined;
}

/** Our own messages only: SDK messages can quote a credential_process command line. */
function toCredentialsError(err: unknown, profile: string | undefined, profiles: Map<string, ProfileData>): CredentialsError {
  if (err instanceof CredentialsError) return err;
  const sdkMessage = err instanceof Error ? err.message : String(err);
  const options = { cause: err };
  const ssoProfile = profile ? ssoProfileBehind(profile, profiles) : undefined;
  if (ssoProfile && /sso|token/i.test(sdkMessage)) {
    const ssoSession = profiles.get(ssoProfile)?.sso_session;
    return new CredentialsError(
      'sso-expired',
      `The AWS SSO session for profile "${ssoProfile}" has expired or was never started. Run: aws sso login --profile ${ssoProfile}`,
      { profile: ssoProfile, ...(ssoSession && { ssoSession }) },
      options,
    );
  }
  const kind = kindOf(profile ? profiles.get(profile) : undefined);
  if (kind === 'sso') {
    return new CredentialsError(
      'no-credentials',
      `AWS profile "${profile}" could not get role credentials from AWS SSO (check the network, sso_account_id and sso_role_name).`,
      { profile },
      options,
    );
  }
  if (kind === 'process') {
    return new CredentialsError(
      'credential-process',
      `The credential_process of AWS profile "${profile}" failed or printed no valid credentials (it must exit 0 and print JSON with Version 1, AccessKeyId and SecretAccessKey).`,
      { profile },
      options,
    );
  }
  if (kind === 'assume-role' || kind === 'web-identity') {
    const how = kind === 'web-identity' ? 'assume its role with a web identity token' : 'assume its role';
    return new CredentialsError(
      'assume-role',
      `AWS profile "${profile}" could not ${how} (check role_arn, source_profile and that the source credentials may call sts:AssumeRole).`,
      { profile },
      options,
    );
  }
  const message = profile
    ? `AWS profile "${profile}" holds no usable credentials (no keys, SSO, role or credential_process).`
    : 'No AWS credentials were found: set a profile (aws configure / aws configure sso), AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.';
  return new CredentialsError('no-credentials', message, { ...(profile && { profile }) }, options);
}
