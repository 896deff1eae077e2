/**
 * The AWS SDK reads some settings only from process.env (HOME for the SSO cache, the STS and SSO endpoints, IMDS).
 * A credential test file calls this first: every AWS_ variable (and any proxy variable) of the developer's shell is
 * dropped, and HOME and the AWS files point at a fresh temp folder, so nothing can see the real ~/.aws or reach the
 * network.
 */
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function isolateAwsEnvironment(prefix: string, extra: Record<string, string> = {}): { root: string; home: string } {
  const root = mkdtempSync(join(tmpdir(), prefix));
  const home = join(root, 'home');
  mkdirSync(join(home, '.aws', 'sso', 'cache'), { recursive: true });
  for (const name of Object.keys(process.env)) {
    if (name.startsWith('AWS_') || /^(https?|no)_proxy$/i.test(name)) delete process.env[name];
  }
  Object.assign(process.env, {
    HOME: home,
    USERPROFILE: home,
    AWS_CONFIG_FILE: join(home, '.aws', 'config'),
    AWS_SHARED_CREDENTIALS_FILE: join(home, '.aws', 'credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
    ...extra,
  });
  return { root, home };
}
