/**
 * Keeps one bearer token ready: signed on first use, reused until `refreshMarginSeconds` before it dies, then
 * re-made from freshly resolved credentials (so a new `aws sso login` is picked up without a reload). A token dies
 * at min(signing time + lifetime, credentials expiration). Concurrent callers share one refresh. No timers: the
 * token is refreshed when someone asks for it, so an idle editor does no credential I/O. Never logs the token.
 */
import { resolveCredentials, type CredentialOptions } from './credentials';
import { Emitter, type Event } from './events';
import { buildBearerToken, MAX_TOKEN_LIFETIME_SECONDS, tokenExpiry } from './token';
import { API_KEY_ENV, type AwsCredentials } from './types';

const DEFAULT_REFRESH_MARGIN_SECONDS = 300;
/** After a failed credential resolution, how long getToken answers with that failure instead of running it again. */
export const FAILURE_BACKOFF_MS = 5_000;

export type TokenState =
  | { kind: 'none' } // nothing made yet (first token on first use or click)
  | { kind: 'refreshing' }
  /** A signed token: `expiresAt` (epoch ms) is when the endpoint stops accepting it. */
  | { kind: 'valid'; source: 'sigv4'; expiresAt: number; cappedByCredentials: boolean }
  /** A long-term API key: its expiry is not known here, so `expiresAt` is absent (not Infinity, which no Date accepts). */
  | { kind: 'valid'; source: 'apiKey'; expiresAt?: undefined; cappedByCredentials: false }
  | { kind: 'expired'; expiredAt: number }
  | { kind: 'error'; message: string; error: unknown };

export interface TokenServiceOptions {
  region: string;
  profile?: string;
  lifetimeSeconds?: number; // default 43200
  refreshMarginSeconds?: number; // default 300
  /** Long-term key mode: a key returned here (or AWS_BEARER_TOKEN_BEDROCK in `env`) is used as is, unsigned. */
  apiKey?: () => Promise<string | undefined>;
  /** Where AWS_BEARER_TOKEN_BEDROCK, AWS_PROFILE and the AWS file paths are read; default process.env. */
  env?: NodeJS.ProcessEnv;
  /** Injectable for tests; default resolveCredentials. */
  credentials?: (o: CredentialOptions) => Promise<AwsCredentials>;
  /** Injectable for tests (to count signings); default buildBearerToken. */
  sign?: typeof buildBearerToken;
  now?: () => number;
}

interface CachedToken {
  token: string;
  /** Epoch ms; undefined for an API key. */
  expiresAt: number | undefined;
  /** When to make the next one (epoch ms); undefined for an API key. */
  refreshAt: number | undefined;
}

/** Options whose change makes the cached token wrong for the new settings. */
const CACHE_KEYS: (keyof TokenServiceOptions)[] = ['region', 'profile', 'lifetimeSeconds', 'apiKey', 'env', 'credentials', 'sign'];

export class TokenService {
  private opts: TokenServiceOptions;
  private current: TokenState = { kind: 'none' };
  private cache: CachedToken | undefined;
  private inflight: Promise<string> | undefined;
  /** The last refresh's failure and when it happened: getToken repeats it for FAILURE_BACKOFF_MS. */
  private failure: { error: unknown; at: number } | undefined;
  /** Bumped by update(): a refresh that started under older settings must not fill the cache. */
  private generation = 0;
  private disposed = false;
  private readonly emitter = new Emitter<TokenState>();
  readonly onDidChangeState: Event<TokenState> = this.emitter.event;

  constructor(opts: TokenServiceOptions) {
    this.opts = { ...opts };
  }

  /** The state now: a valid token whose time has passed reads (and is announced) as expired. */
  /** The state now: a valid token whose time has passed reads as expired (reading changes nothing). */
  get state(): TokenState {
    const s = this.current;
    return s.kind === 'valid' && s.expiresAt !== undefined && this.now() >= s.expiresAt ? { kind: 'expired', expiredAt: s.expiresAt } : s;
  }

  /** Records an expiry the clock has reached (and fires onDidChangeState for it); returns the state. */
  checkExpiry(): TokenState {
    const s = this.state;
    if (s !== this.current) this.setState(s);
    return s;
  }

  async getToken(): Promise<string> {
    if (this.disposed) throw disposedError();
    const cached = this.cache;
    if (cached && (cached.refreshAt === undefined || this.now() < cached.refreshAt)) return cached.token;
    // A burst of asks after a failure (an expired SSO session, a failing credential_process) does not run the
    // resolution again for each; refresh() (a click) always does.
    const f = this.failure;
    if (f && !this.inflight && this.now() - f.at < FAILURE_BACKOFF_MS) throw f.error;
    return this.refresh();
  }

  /** A new token from freshly resolved credentials; joins a refresh already under way. Ignores the back-off. */
  refresh(): Promise<string> {
    if (this.disposed) return Promise.reject(disposedError());
    if (!this.inflight) {
      // Started on the next microtask so a listener reacting to 'refreshing' already sees this.inflight.
      this.inflight = Promise.resolve()
        .then(() => this.runRefresh())
        .finally(() => (this.inflight = undefined));
      this.setState({ kind: 'refreshing' });
    }
    return this.inflight;
  }

  /**
   * The endpoint refused `rejected`: drop it and make a new one from freshly resolved credentials. When a newer
   * token is cached already (another request renewed it first), that one is returned without a new signing.
   */
  renewRejected(rejected: string): Promise<string> {
    if (this.disposed) return Promise.reject(disposedError());
    if (this.cache && this.cache.token !== rejected) return Promise.resolve(this.cache.token);
    this.cache = undefined;
    return this.refresh();
  }

  update(opts: Partial<TokenServiceOptions>): void {
    const changed = CACHE_KEYS.some((k) => k in opts && opts[k] !== this.opts[k]);
    this.opts = { ...this.opts, ...opts };
    if (!changed) return;
    this.generation++;
    this.cache = undefined;
    this.failure = undefined;
    // A refresh under way notices the new generation and starts over, so it stays 'refreshing'.
    if (!this.inflight) this.setState({ kind: 'none' });
  }

  dispose(): void {
    this.disposed = true;
    this.cache = undefined;
    this.emitter.dispose();
  }

  private async runRefresh(): Promise<string> {
    for (;;) {
      const generation = this.generation;
      try {
        const made = await this.makeToken(this.opts);
        if (generation !== this.generation) continue; // settings changed mid-way: make one for the new settings
        this.cache = made.cached;
        this.failure = undefined;
        this.setState(made.state);
        return made.cached.token;
      } catch (error) {
        if (generation !== this.generation) continue;
        this.cache = undefined;
        this.failure = { error, at: this.now() };
        this.setState({ kind: 'error', message: error instanceof Error ? error.message : String(error), error });
        throw error;
      }
    }
  }

  private async makeToken(opts: TokenServiceOptions): Promise<{ cached: CachedToken; state: TokenState }> {
    const env = opts.env ?? process.env;
    const key = ((await opts.apiKey?.()) || env[API_KEY_ENV] || '').trim();
    if (key) {
      return {
        cached: { token: key, expiresAt: undefined, refreshAt: undefined },
        state: { kind: 'valid', source: 'apiKey', cappedByCredentials: false },
      };
    }
    const lifetime = opts.lifetimeSeconds ?? MAX_TOKEN_LIFETIME_SECONDS;
    const creds = await (opts.credentials ?? resolveCredentials)({ profile: opts.profile, env });
    // SigV4 dates have whole seconds: count the lifetime from the second the endpoint will see.
    const signedAt = Math.floor(this.now() / 1000) * 1000;
    const token = await (opts.sign ?? buildBearerToken)(creds, opts.region, lifetime, new Date(signedAt));
    const expiresAt = tokenExpiry(signedAt, lifetime, creds);
    // A short-lived token (or credentials about to expire) is refreshed half-way rather than immediately.
    const margin = Math.min((opts.refreshMarginSeconds ?? DEFAULT_REFRESH_MARGIN_SECONDS) * 1000, (expiresAt - signedAt) / 2);
    return {
      cached: { token, expiresAt, refreshAt: expiresAt - margin },
      state: { kind: 'valid', source: 'sigv4', expiresAt, cappedByCredentials: expiresAt < signedAt + lifetime * 1000 },
    };
  }

  private setState(state: TokenState): void {
    if (state.kind === 'refreshing' && this.current.kind === 'refreshing') return;
    this.current = state;
    if (!this.disposed) this.emitter.fire(state);
  }

  private now(): number {
    return (this.opts.now ?? Date.now)();
  }
}

const disposedError = () => new Error('The token service has been disposed.');
