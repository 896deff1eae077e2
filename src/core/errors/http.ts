/** Answers with an HTTP status from the endpoint (openai's APIError carries `status`, `error`, `param`). */
import { modelInfo, regionsServing } from '../models';
import { REASONING_EFFORTS } from '../types';
import { MAX_RETRY_AFTER_SECONDS, retryAfterSeconds } from '../retryAfter';
import { proxyRefused } from './network';
import type { ErrorContext, ExplainedError } from './types';
import { describeModel, isObject, type Bag } from './util';

/** AWS refuses a signature made more than 5 minutes from its own clock. */
export const MAX_CLOCK_SKEW_MS = 5 * 60_000;

/** The response's `Date` header (a Headers object or a plain record) against the local clock, when off by more than 5 minutes. */
export function clockSkew(headers: unknown, now: number): { minutes: number; clock: 'ahead' | 'behind' } | undefined {
  if (!isObject(headers)) return undefined;
  const raw = typeof headers.get === 'function' ? (headers.get as (n: string) => unknown).call(headers, 'date') : headers.date;
  const server = typeof raw === 'string' ? Date.parse(raw) : NaN;
  if (!Number.isFinite(server) || Math.abs(now - server) <= MAX_CLOCK_SKEW_MS) return undefined;
  return { minutes: Math.round(Math.abs(now - server) / 60_000), clock: now > server ? 'ahead' : 'behind' };
}

/** Whole seconds a `Retry-After` asks for, when longer than the client waits out by itself (so worth a word). */
function longRetryAfter(headers: unknown, now: number): number | undefined {
  if (!isObject(headers) || typeof headers.get !== 'function') return undefined;
  const get = (name: string) => (headers.get as (n: string) => string | null).call(headers, name);
  const seconds = retryAfterSeconds(get, now);
  return seconds !== undefined && seconds > MAX_RETRY_AFTER_SECONDS ? Math.ceil(seconds) : undefined;
}

export function httpFailure(status: number, server: string, o: Bag, ctx: ErrorContext): ExplainedError {
  const said = server || undefined;
  const skew = (status === 401 || status === 403) && clockSkew(o.headers, (ctx.now ?? Date.now)());
  if (skew) return { code: 'clock-skew', params: { status, ...skew, server: said }, actions: [{ kind: 'refreshToken' }] };
  if (status === 404) return notFound(server, ctx);
  if (status === 407) return proxyRefused(407, ctx);
  if (status === 401) {
    return { code: 'unauthorized', params: { server: said, profile: ctx.profile }, actions: [{ kind: 'refreshToken' }, { kind: 'selectProfile' }, { kind: 'setApiKey' }] };
  }
  if (status === 403) {
    return {
      code: 'forbidden',
      params: { region: ctx.region, model: ctx.model && describeModel(ctx.model), profile: ctx.profile, server: said },
      actions: [{ kind: 'selectProfile' }, { kind: 'refreshToken' }],
    };
  }
  if (status === 400 && isEffortProblem(server, o, ctx)) return unsupportedEffort(server, ctx);
  if (status === 429) {
    const wait = longRetryAfter(o.headers, (ctx.now ?? Date.now)());
    return { code: 'throttled', params: { retries: ctx.retries ?? 2, model: ctx.model && describeModel(ctx.model), region: ctx.region, ...(wait !== undefined && { seconds: wait }) }, actions: [{ kind: 'askAgain' }] };
  }
  if (status >= 500) return { code: 'service-error', params: { status, region: ctx.region, server: said }, actions: [{ kind: 'askAgain' }] };
  if (status === 400) return { code: 'bad-request', params: { server: said }, actions: [] };
  return { code: 'http-status', params: { status, server: said }, actions: [{ kind: 'askAgain' }] };
}

function notFound(server: string, ctx: ErrorContext): ExplainedError {
  const model = ctx.model ?? /model '([^']+)'/.exec(server)?.[1];
  const region = ctx.region;
  if (model && (/model/i.test(server) || !server)) {
    const serving = regionsServing(model).filter((r) => r !== region);
    const servedHere = region !== undefined && regionsServing(model).includes(region);
    if (region && serving.length && !servedHere) {
      return {
        code: 'model-not-in-region',
        params: { model: describeModel(model), region, serving: serving.join(', ') },
        actions: serving.map((r) => ({ kind: 'switchRegion' as const, region: r })),
      };
    }
    return { code: 'model-not-found', params: { model: describeModel(model), region, knownModel: !!modelInfo(model) }, actions: [{ kind: 'openSettings', setting: 'model' }] };
  }
  return { code: 'not-found', params: { server: server || undefined }, actions: [{ kind: 'openSettings', setting: 'endpoint' }] };
}

function isEffortProblem(server: string, o: Bag, ctx: ErrorContext): boolean {
  if (typeof o.param === 'string' && /effort/.test(o.param)) return true;
  if (/effort/i.test(server)) return true;
  return !!ctx.effort && quotes(server, ctx.effort);
}

/** `'value'`, `"value"` or `` `value` `` in the server's text. `value` may be any setting's text: matched literally. */
function quotes(text: string, value: string): boolean {
  const literal = value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`['"\`]${literal}['"\`]`).test(text);
}

function unsupportedEffort(server: string, ctx: ErrorContext): ExplainedError {
  // Prefer the values the server lists ("Supported values are: ..."), then the ones seen working for the model.
  const [head, supported = ''] = server.split(/\bsupported values?[^:]*:/i);
  const rejected = ctx.effort ?? REASONING_EFFORTS.find((v) => quotes(head, v));
  const listed = REASONING_EFFORTS.filter((v) => v !== rejected && new RegExp(`\\b${v}\\b`).test(supported));
  const confirmed = (ctx.model && modelInfo(ctx.model)?.confirmedEfforts) || ['low', 'medium', 'high'];
  const values = listed.length ? listed : confirmed.filter((v) => v !== rejected);
  return {
    code: 'unsupported-effort',
    params: { model: ctx.model && describeModel(ctx.model), effort: rejected, values: values.join(', '), server: server || undefined },
    actions: [{ kind: 'selectEffort', values }],
  };
}
