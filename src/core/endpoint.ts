/**
 * Where requests go: bedrock-mantle per region, or an override (a setting, `--endpoint`, AWS_BEDROCK_BASE_URL).
 * No SDKs, so resolving credentials or checking a setting never loads the openai SDK.
 */
import { EndpointError } from './failures';
import { isRegionId } from './models';
import { isLoopbackHost } from './proxy';
import { redact } from './redact';

/** `https://bedrock-mantle.<region>.api.aws/openai/v1`, the Responses API root the seed article uses. */
function mantleEndpoint(region: string): string {
  return `https://bedrock-mantle.${checkRegion(region)}.api.aws/openai/v1`;
}

function checkRegion(region: string): string {
  if (!isRegionId(region)) {
    throw new EndpointError(`"${redact(region)}" is not an AWS region name. Use a region such as us-east-2 or us-west-2.`, 'region', redact(region));
  }
  return region;
}

/**
 * The API root for `region`. An override (a setting, `--endpoint`, AWS_BEDROCK_BASE_URL) wins and may hold
 * `{region}`. Plain http is refused unless the host is loopback: the bearer token must never travel in clear text.
 */
export function endpointFor(region: string, override?: string): string {
  const wanted = override?.trim();
  if (!wanted) return mantleEndpoint(region);
  const text = wanted.includes('{region}') ? wanted.replaceAll('{region}', checkRegion(region)) : wanted;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new EndpointError(
      `The endpoint "${redact(wanted)}" is not a valid URL. Use a full https:// address, or leave the endpoint empty to use ${mantleEndpoint(region)}.`,
      'invalid-url', redact(wanted),
    );
  }
  if (url.username || url.password) {
    throw new EndpointError('The endpoint must not contain a user name or password. Remove them from the URL.', 'credentials-in-url');
  }
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    throw new EndpointError(
      `The endpoint ${url.origin} uses plain http, which would send your bearer token unencrypted. Use https://, or http only for a loopback host (127.0.0.1, ::1, localhost).`,
      'plain-http', url.origin,
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new EndpointError(`The endpoint "${redact(wanted)}" is not an http(s) URL. Use https://bedrock-mantle.<region>.api.aws/openai/v1 or a proxy in front of it.`, 'scheme', redact(wanted));
  }
  return url.toString().replace(/\/+$/, '');
}

/** The openai SDK's own convention for a Bedrock endpoint override. */
export function endpointFromEnv(env: NodeJS.ProcessEnv): string | undefined {
  return env.AWS_BEDROCK_BASE_URL?.trim() || undefined;
}
