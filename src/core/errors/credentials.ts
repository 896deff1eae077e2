/** Credential failures: the core's CredentialsError, and raw AWS SDK errors from callers that bypassed it. */
import type { ErrorContext, ExplainedError } from './types';
import { isObject, type Bag } from './util';

interface Details {
  profile?: string;
  knownProfiles?: string[];
}

export function details(o: Bag): Details {
  return isObject(o.details) ? (o.details as Details) : {};
}

/** A CredentialsError by its code (credentials.ts words process and role failures itself: `detail`). */
export function credentialsFailure(code: string, message: string, d: Details, ctx: ErrorContext): ExplainedError {
  const profile = d.profile ?? ctx.profile;
  switch (code) {
    case 'sso-expired':
      return ssoExpired(profile);
    case 'unknown-profile': {
      const known = d.knownProfiles ?? ctx.knownProfiles ?? [];
      return { code: 'unknown-profile', params: { profile: profile ?? '?', knownProfiles: known.join(', ') }, actions: [{ kind: 'selectProfile' }] };
    }
    case 'no-credentials':
      return { code: 'no-credentials', params: {}, actions: [{ kind: 'selectProfile' }, { kind: 'setApiKey' }] };
    case 'expired':
      return {
        code: 'credentials-expired',
        params: { profile },
        actions: profile ? [{ kind: 'ssoLogin', profile }, { kind: 'refreshToken' }] : [{ kind: 'refreshToken' }],
      };
    case 'credential-process':
      return { code: 'credential-process', params: { profile, detail: message }, actions: [{ kind: 'refreshToken' }, { kind: 'selectProfile' }] };
    case 'assume-role':
      return { code: 'assume-role', params: { detail: message }, actions: [{ kind: 'refreshToken' }, { kind: 'selectProfile' }] };
    default:
      return { code: 'credentials', params: { detail: message }, actions: [{ kind: 'selectProfile' }] };
  }
}

function ssoExpired(profile: string | undefined): ExplainedError {
  return { code: 'sso-expired', params: { profile }, actions: [...(profile ? [{ kind: 'ssoLogin' as const, profile }] : []), { kind: 'refreshToken' }] };
}

/** Raw AWS SDK errors, for callers that did not go through credentials.ts. */
export function awsCredentialsFailure(name: string, message: string, ctx: ErrorContext): ExplainedError | undefined {
  if (/\bsso\b/i.test(`${name} ${message}`) && /expired|refresh|login|invalid/i.test(message)) return ssoExpired(ctx.profile);
  if (name === 'ExpiredToken' || name === 'ExpiredTokenException' || name === 'RequestExpired') return credentialsFailure('expired', message, {}, ctx);
  if (name === 'CredentialsProviderError') {
    const missing = /profile\s+["']?([\w.@+-]+)["']?\s+(?:could not be found|not found)/i.exec(message);
    if (missing) return credentialsFailure('unknown-profile', message, { profile: missing[1] }, ctx);
    if (/could not load credentials|no credentials|unable to load credentials/i.test(message)) return credentialsFailure('no-credentials', message, {}, ctx);
    return { code: 'credentials', params: { profile: ctx.profile ?? '', detail: message }, actions: [{ kind: 'selectProfile' }, { kind: 'refreshToken' }] };
  }
  return undefined;
}
