/**
 * Error messages, worded from explainError's code and parameters. The templates are English sentences with
 * `{name}` placeholders; a front end hands in `t` (the CLI fills them in as they are; the extension passes them
 * to vscode.l10n.t, so the English text is the key of l10n/bundle.l10n.ja.json) and its own words for where a
 * setting lives (`--region` for the CLI, the *Bedrock GPT: Region* setting for the extension).
 */
import type { ErrorParams, ExplainedError } from './types';

type Args = Record<string, string | number>;
export type Translate = (template: string, args: Args) => string;

/** Where the user changes things, in the front end's words (already in the user's language). */
export interface ErrorWords {
  regionSetting: string;
  profileSetting: string;
  apiKey: string;
  endpointSetting: string;
  maxOutputSetting: string;
  proxySetting: string;
  firstByteSetting: string;
  idleSetting: string;
  listModels(region: string | undefined): string;
}

export const CLI_WORDS: ErrorWords = {
  regionSetting: 'the region (--region)',
  profileSetting: '--profile or AWS_PROFILE',
  apiKey: 'AWS_BEARER_TOKEN_BEDROCK',
  endpointSetting: 'the endpoint (--endpoint, AWS_BEDROCK_BASE_URL)',
  maxOutputSetting: 'the limit (--max-output-tokens)',
  proxySetting: 'HTTPS_PROXY / HTTP_PROXY',
  firstByteSetting: '--first-byte-timeout S',
  idleSetting: '--idle-timeout S',
  listModels: (region) => `\`bedrock-gpt models${region ? ` --region ${region}` : ''}\``,
};

/** Fills `{name}` from `args`; an unknown name stays as it is. */
export function fill(template: string, args: Args): string {
  return template.replace(/\{(\w+)\}/g, (m, k: string) => (k in args ? String(args[k]) : m));
}

/** The message for `e`, in the words of a front end. */
export function renderError(e: ExplainedError, words: ErrorWords, t: Translate = fill): string {
  const p = e.params;
  const a: Args = {};
  for (const [k, v] of Object.entries(p)) if (typeof v === 'string' || typeof v === 'number') a[k] = v;
  const w: Args = { ...a, ...Object.fromEntries(Object.entries(words).filter(([, v]) => typeof v === 'string')) };
  const join = (...parts: Array<string | false | undefined>) => parts.filter(Boolean).join(' ');
  const said = p.server !== undefined && t('The service said: {server}', a);
  const who = p.profile ? t('profile "{profile}"', a) : t('the default credential chain', {});
  const target = p.host ? t('the endpoint {host}', a) : t('the endpoint', {});
  const model = p.model ?? t('the model', {});
  switch (e.code) {
    case 'cancelled':
      return t('Cancelled.', {});
    case 'unknown-profile':
      return join(
        t('The AWS profile "{profile}" is not in ~/.aws/config or ~/.aws/credentials.', a),
        p.knownProfiles ? t('Known profiles: {knownProfiles}.', a) : t('No profiles are configured: run `aws configure --profile <name>` or `aws configure sso`.', {}),
      );
    case 'no-credentials':
      return t('No AWS credentials were found. Set them up with `aws configure` (access keys) or `aws configure sso` (IAM Identity Center), choose a profile ({profileSetting}), or use a Bedrock API key ({apiKey}).', w);
    case 'credentials-expired':
      return p.profile
        ? t('The AWS credentials of profile "{profile}" have expired. Renew them (for SSO: `aws sso login --profile {profile}`), then try again.', a)
        : t('The AWS credentials of the default credential chain have expired. Renew them (for SSO: `aws sso login`), then try again.', {});
    case 'sso-expired':
      return p.profile
        ? t('The AWS SSO session of profile "{profile}" has expired or was never started. Run `aws sso login --profile {profile}` in a terminal, then try again.', a)
        : t('The AWS SSO session has expired or was never started. Run `aws sso login` in a terminal, then try again.', {});
    case 'credentials':
      if (p.detail === undefined) return t('Something went wrong (no details were given).', {});
      return p.profile !== undefined ? t('Could not get AWS credentials for {who}: {detail}', { ...a, who }) : p.detail;
    case 'unauthorized':
      return join(t('The Bedrock endpoint rejected the bearer token (401).', {}), said, t('Refresh the token; if it is rejected again, check the AWS credentials of {who} or the API key.', { who }));
    case 'clock-skew':
      return join(
        p.clock === 'ahead'
          ? t('The endpoint refused the token ({status}): this computer\'s clock is {minutes} minutes ahead of the endpoint\'s, and AWS refuses a signature more than 5 minutes off. Set the clock right (automatic time), then refresh the token.', a)
          : t('The endpoint refused the token ({status}): this computer\'s clock is {minutes} minutes behind the endpoint\'s, and AWS refuses a signature more than 5 minutes off. Set the clock right (automatic time), then refresh the token.', a),
        said,
      );
    case 'forbidden':
      return join(
        p.region
          ? t('Access denied (403) in {region}. The AWS principal of {who} needs the `bedrock:CallWithBearerToken` permission and access to {model} in {region}, or the token was signed for another region.', { ...a, who, model })
          : t('Access denied (403). The AWS principal of {who} needs the `bedrock:CallWithBearerToken` permission and access to {model}, or the token was signed for another region.', { ...a, who, model }),
        said,
      );
    case 'unsupported-effort':
      return join(
        p.effort
          ? t('{model} does not accept the reasoning effort "{effort}" here. Try {values}.', { ...a, model: p.model ?? t('The model', {}) })
          : t('{model} does not accept the reasoning effort here. Try {values}.', { ...a, model: p.model ?? t('The model', {}) }),
        said,
      );
    case 'throttled': {
      const scope = p.model && p.region ? t('for {model} in {region}', a) : p.model ? t('for {model}', a) : p.region ? t('in {region}', a) : '';
      if (p.seconds !== undefined) {
        return scope
          ? t('Bedrock throttled the request (429: quota of tokens per minute {scope}) and asks to wait {seconds} seconds, longer than is waited out automatically. Try again after that.', { ...a, scope })
          : t('Bedrock throttled the request (429: quota of tokens per minute) and asks to wait {seconds} seconds, longer than is waited out automatically. Try again after that.', a);
      }
      return scope
        ? t('Bedrock throttled the request (429: quota of tokens per minute {scope}); already retried {retries} times. Try again in a minute.', { ...a, scope })
        : t('Bedrock throttled the request (429: quota of tokens per minute); already retried {retries} times. Try again in a minute.', a);
    }
    case 'service-error':
      return join(p.region ? t('Bedrock had a service error ({status}) in {region}.', a) : t('Bedrock had a service error ({status}).', a), said, t('Try again.', {}));
    case 'stream-error':
      return t('The service reported an error during the answer: {server}. Try again.', a);
    case 'bad-request':
      return p.server ? t('The request was refused (400): {server}', a) : t('The request was refused (400).', {});
    case 'http-status':
      return p.server ? t('The endpoint answered {status}: {server}', a) : t('The endpoint answered {status}.', a);
    case 'model-not-in-region':
      return t('{model} is not served in {region}. It is served in {serving}.', a);
    case 'model-not-found': {
      const found = p.region ? t('{model} was not found in {region}.', a) : t('{model} was not found.', a);
      const list = { ...a, listModels: words.listModels(p.region) };
      const advice = !p.knownModel
        ? t('Check the model id, or list what the region serves with {listModels}.', list)
        : p.region
          ? t('Check that model access is enabled in {region}, or list what the region serves with {listModels}.', list)
          : t('Check that model access is enabled, or list what the region serves with {listModels}.', list);
      return join(found, advice);
    }
    case 'not-found':
      return p.server
        ? t('The endpoint answered 404 Not Found: {server}. Check {endpointSetting} (it should end in /openai/v1).', w)
        : t('The endpoint answered 404 Not Found. Check {endpointSetting} (it should end in /openai/v1).', w);
    case 'stream-malformed':
      return t('The answer stream could not be understood (a malformed event); the answer stopped there. Try again.', {});
    case 'stream-cut':
      return p.host
        ? t('The answer stream was cut off before it finished (from {host}); what arrived is shown. Try again.', a)
        : t('The answer stream was cut off before it finished; what arrived is shown. Try again.', {});
    case 'first-byte-timeout':
      return t('No answer began within {seconds} seconds from {target}, so the request was stopped. Try again; if it keeps happening, check your network or proxy, or raise the first-byte timeout ({firstByteSetting}).', { ...w, target });
    case 'stream-stalled':
      return t('The answer stream sent nothing for {seconds} seconds, so it was stopped; what arrived is shown. Try again, or raise the silence timeout ({idleSetting}).', w);
    case 'stream-incomplete':
      return p.tooLong ? t('The answer was cut at the maximum output tokens. Raise {maxOutputSetting} or ask for a shorter answer.', w) : t('The answer is incomplete: {detail}', a);
    case 'response-failed':
      return p.errorCode ? t('The model stopped with an error ({errorCode}): {detail}. Try again.', a) : t('The model stopped with an error: {detail}. Try again.', a);
    case 'timeout':
      return t('No answer from {target} in time. Check your network or proxy, then try again.', { target });
    case 'dns':
      return join(
        t('Cannot reach {target}: the name does not resolve. Check {regionSetting}, your network and proxy (HTTPS_PROXY).', { ...w, target }),
        p.unknownRegion && t('bedrock-mantle is not known in {region}; it runs in {regions}.', a),
      );
    case 'tls':
      return t('Cannot reach {target}: its TLS certificate was not trusted ({netCode}). Behind a corporate proxy, point NODE_EXTRA_CA_CERTS at its CA certificate.', { ...a, target });
    case 'network':
      return networkMessage(p, t, { ...w, target });
    case 'proxy-auth':
      return p.detail ?? t('The proxy refused the credentials (407 Proxy Authentication Required). Put the right user name and password in {proxySetting} as http://user:password@host:port (percent-encode special characters).', w);
    case 'proxy':
      return p.detail ?? t('The proxy would not connect to {host} (it answered {status}). Ask for the host to be allowed, or add it to NO_PROXY if it is reachable directly.', { ...a, host: p.host ?? t('the endpoint', {}) });
    case 'token-lifetime':
      return p.seconds !== undefined
        ? t('A token lifetime of {seconds} s is not allowed: choose a value greater than 0 and at most 43200 (12 hours).', a)
        : (p.detail ?? t('Something went wrong (no details were given).', {}));
    case 'endpoint':
      return endpointMessage(p, t, w);
    case 'credential-process':
      if (p.profile) return t('The credential_process of AWS profile "{profile}" failed or printed no valid credentials (it must exit 0 and print JSON with Version 1, AccessKeyId and SecretAccessKey).', a);
      return p.detail ?? t('Something went wrong (no details were given).', {});
    case 'api-key-missing':
    case 'assume-role':
      // Worded where they are thrown (credentials.ts, token.ts, endpoint.ts): passed through.
      return p.detail ?? t('Something went wrong (no details were given).', {});
    case 'unknown':
      return p.detail ?? t('Something went wrong (no details were given).', {});
  }
}

function endpointMessage(p: ErrorParams, t: Translate, w: Args): string {
  switch (p.problem) {
    case 'region':
      return t('"{value}" is not an AWS region name. Use a region such as us-east-2 or us-west-2.', w);
    case 'invalid-url':
      return t('The endpoint "{value}" is not a valid URL. Use a full https:// address, or leave {endpointSetting} empty to use bedrock-mantle in the region.', w);
    case 'credentials-in-url':
      return t('The endpoint must not contain a user name or password. Remove them from the URL.', {});
    case 'plain-http':
      return t('The endpoint {value} uses plain http, which would send your bearer token unencrypted. Use https://, or http only for a loopback host (127.0.0.1, ::1, localhost).', w);
    case 'scheme':
      return t('The endpoint "{value}" is not an http(s) URL. Use https://bedrock-mantle.<region>.api.aws/openai/v1 or a proxy in front of it.', w);
    case undefined:
      return p.detail ?? t('Something went wrong (no details were given).', {});
  }
}

function networkMessage(p: ErrorParams, t: Translate, w: Args): string {
  const why = p.why === 'refused' ? t('the connection was refused', {}) : p.why === 'reset' ? t('the connection was reset', {}) : t('the connection failed', {});
  return p.netCode
    ? t('Cannot reach {target}: {why} ({netCode}). Check your network, proxy (HTTPS_PROXY) and {regionSetting}.', { ...w, why })
    : t('Cannot reach {target}: {why}. Check your network, proxy (HTTPS_PROXY) and {regionSetting}.', { ...w, why });
}
