// No SDKs: the settings, the status bar and the error messages use it without loading the AWS SDK.

/**
 * The AWS profile credentials are resolved with, as the AWS CLI picks it: an explicit name, else AWS_PROFILE,
 * else none (the default chain). The one rule for credentials.ts, the status bar and the error messages.
 */
export function chosenProfile(explicit: string | undefined, env: NodeJS.ProcessEnv = process.env): string | undefined {
  return explicit?.trim() || env.AWS_PROFILE?.trim() || undefined;
}
