import * as vscode from 'vscode';
import { PROXY_VARIABLES } from '../core/proxy';
import { TokenLifetimeSetting, type LifetimeChoice } from '../core/settings';
import type { TokenService, TokenServiceOptions, TokenState } from '../core/tokenService';
import { Configuration, type BedrockGptSettings } from './configuration';
import { ENV_API_KEY, SECRET_API_KEY } from './constants';
import { Disposable, toDisposable } from './lifecycle';
import { Log } from './log';
import type { EndpointCheck } from '../core/tokenStatus';

export type Core = typeof import('../core/index');

/** Loads the core bundle (openai and AWS SDKs) on first use: esbuild turns this import into dist/core.js. */
const loadCore = (): Promise<Core> => import('../core/index');

/** Thrown when authentication is `apiKey` but neither SecretStorage nor AWS_BEARER_TOKEN_BEDROCK holds a key. */
export class ApiKeyMissingError extends Error {
  override readonly name = 'ApiKeyMissingError';
  readonly code = 'api-key-missing';
  constructor() {
    super(vscode.l10n.t('No Bedrock API key is set. Run "Bedrock GPT: Set API Key" or set AWS_BEARER_TOKEN_BEDROCK.'));
  }
}

export type { EndpointCheck };
type BedrockClient = ReturnType<Core['createClient']>;
type ClientTuning = { maxRetries?: number; timeoutMs?: number };

/** The model list answers a click: no retries, a short bound. */
const LIST_MODELS_TUNING: ClientTuning = { maxRetries: 0, timeoutMs: 15_000 };

export interface TokenControllerOptions {
  env?: NodeJS.ProcessEnv;
  loadCore?: () => Promise<Core>;
  /** For tests: a clock handed to the TokenService. */
  now?: () => number;
  /** For tests: the TokenService's refresh margin. */
  refreshMarginSeconds?: number;
}

/**
 * Owns the TokenService. It is created on first use (that is when the SDKs load), follows the settings, and
 * takes the long-term API key from SecretStorage or AWS_BEARER_TOKEN_BEDROCK when authentication is `apiKey`.
 */
export class TokenController extends Disposable {
  private readonly _onDidChangeState = this._register(new vscode.EventEmitter<TokenState>());
  readonly onDidChangeState = this._onDidChangeState.event;
  private readonly _onDidCheckEndpoint = this._register(new vscode.EventEmitter<EndpointCheck | undefined>());
  readonly onDidCheckEndpoint = this._onDidCheckEndpoint.event;
  private _lastCheck: EndpointCheck | undefined;

  /** An out-of-range `tokenLifetimeSeconds` was refused (once per value): what is used instead. */
  private readonly _onDidRefuseLifetime = this._register(new vscode.EventEmitter<Required<LifetimeChoice>>());
  readonly onDidRefuseLifetime = this._onDidRefuseLifetime.event;
  private readonly lifetimeSetting = new TokenLifetimeSetting();

  private readonly clients = new Map<string, BedrockClient>();
  private service: TokenService | undefined;
  private serviceSubscription: vscode.Disposable | undefined;
  private creating: Promise<TokenService> | undefined;
  private corePromise: Promise<Core> | undefined;
  private readonly env: NodeJS.ProcessEnv;

  constructor(
    private readonly config: Configuration,
    private readonly secrets: vscode.SecretStorage,
    private readonly log: Log,
    private readonly options: TokenControllerOptions = {},
  ) {
    super();
    this.env = options.env ?? process.env;
    this._register(
      config.onDidChange((e) => {
        // The last check answered for another model or endpoint.
        if (e.affects('model') || e.affects('endpoint')) this.setCheck(undefined);
        if (e.affects('tokenLifetimeSeconds')) this.lifetime(config.snapshot()); // said at once, not on the next ask
        if (!this.service) return;
        if (e.affects('authentication')) {
          this.reset('authentication changed');
        } else if (e.affects('region') || e.affects('profile') || e.affects('tokenLifetimeSeconds')) {
          const s = config.snapshot();
          this.log.info(`Settings changed: region ${s.region}, profile ${s.profile || '(AWS_PROFILE / default chain)'}`);
          this.service.update(this.serviceOptions(s));
        }
      }),
    );
    this._register(
      secrets.onDidChange((e) => {
        if (e.key === SECRET_API_KEY && this.service && this.config.get('authentication') === 'apiKey') this.reset('API key changed');
      }),
    );
    this._register(toDisposable(() => this.disposeService()));
  }

  get state(): TokenState {
    return this.service?.state ?? { kind: 'none' };
  }

  /** The last endpoint check, for the token in use now (cleared when the token changes). */
  get lastCheck(): EndpointCheck | undefined {
    return this._lastCheck;
  }

  /** Whether the TokenService (and with it the SDK bundle) exists yet. */
  get isStarted(): boolean {
    return this.service !== undefined;
  }

  /** The core bundle, loaded once. */
  core(): Promise<Core> {
    // A failed load (a bundle missing mid-update, a disk error) is not kept: the next use tries again.
    this.corePromise ??= (this.options.loadCore ?? loadCore)().catch((err: unknown) => {
      this.corePromise = undefined;
      throw err;
    });
    return this.corePromise;
  }

  /** A valid bearer token, cached by the TokenService until close to expiry. Never log or show it. */
  async getToken(): Promise<string> {
    return (await this.getService()).getToken();
  }

  /** A forced refresh that re-resolves credentials. */
  async refresh(): Promise<string> {
    return (await this.getService()).refresh();
  }

  /** For clients that call it before every request (e.g. BedrockOpenAI's bedrockTokenProvider). */
  readonly tokenProvider = (): Promise<string> => this.getToken();

  /** For the client: the endpoint refused `rejected`; a new one from freshly resolved credentials. */
  readonly renewToken = async (rejected: string): Promise<string> => {
    this.log.info('The endpoint rejected the token: signing a new one and sending the request again.');
    return (await this.getService()).renewRejected(rejected);
  };

  private async getService(): Promise<TokenService> {
    if (this.service) return this.service;
    this.creating ??= this.createService().finally(() => (this.creating = undefined));
    return this.creating;
  }

  private async createService(): Promise<TokenService> {
    const core = await this.core();
    if (this.isDisposed) throw new Error('Bedrock GPT is shutting down.');
    if (this.service) return this.service;
    const service = new core.TokenService(this.serviceOptions(this.config.snapshot()));
    this.service = service;
    this.serviceSubscription = service.onDidChangeState((state) => {
      this.log.info(`Token: ${describeState(state)}`);
      if (state.kind !== 'valid') this.setCheck(undefined);
      this._onDidChangeState.fire(state);
    });
    this.log.info('Token service started.');
    return service;
  }

  /** The core and the chat's client for a region and endpoint (the conversation's connection). */
  async chatClient(region: string, endpoint: string | undefined): Promise<{ core: Core; client: BedrockClient }> {
    const core = await this.core();
    return { core, client: this.client(core, region, endpoint, {}) };
  }

  /**
   * The one client factory, for the chat and the model list alike: the same token provider and the same proxy
   * environment (VS Code's http.proxy can change, so it is part of the key). One client is kept per region,
   * endpoint, environment and tuning; the token provider is asked before every request, so it stays fresh.
   */
  private client(core: Core, region: string, endpoint: string | undefined, tuning: ClientTuning): BedrockClient {
    const env = this.config.clientEnv(this.env);
    const key = JSON.stringify([region, endpoint ?? '', env, tuning]);
    let client = this.clients.get(key);
    if (!client) {
      client = core.createClient({ region, endpoint, tokenProvider: this.tokenProvider, renewToken: this.renewToken, env, ...tuning });
      this.clients.clear(); // settings changed: the old clients will not be asked again
      this.clients.set(key, client);
    }
    return client;
  }

  /**
   * The ids the endpoint's `/models` lists, asked with the current token (for `settings`, default the current
   * ones). Network I/O: only when the user asks (a refresh click, the model picker). Throws what really went
   * wrong (a CredentialsError rather than the SDK's token-provider wrapper); an abort through `signal` throws
   * the SDK's APIUserAbortError.
   */
  async listModels(options: { signal?: AbortSignal; settings?: BedrockGptSettings } = {}): Promise<string[]> {
    const s = options.settings ?? this.config.snapshot();
    let core: Core | undefined;
    try {
      core = await this.core();
      const client = this.client(core, s.region, s.endpoint || undefined, LIST_MODELS_TUNING);
      return await core.listModels(client, options.signal);
    } catch (err) {
      throw core ? core.unwrapTokenProviderError(err) : err;
    }
  }

  /**
   * Asks the endpoint's `/models` whether it accepts the token and serves the chosen model. Only on an explicit
   * refresh (a click): it is network I/O. Never throws; the result is also kept in `lastCheck`.
   */
  async checkEndpoint(): Promise<EndpointCheck> {
    const s = this.config.snapshot();
    const base = { at: Date.now(), region: s.region, model: s.model };
    let check: EndpointCheck;
    try {
      const models = await this.listModels({ settings: s });
      check = { ...base, ok: true, servesModel: models.includes(s.model) };
      this.log.info(`Endpoint check in ${s.region}: token accepted; ${check.servesModel ? 'serves' : 'does not list'} ${s.model}.`);
    } catch (err) {
      check = { ...base, ok: false, error: err };
      this.log.error(`Endpoint check in ${s.region} failed`, check.error);
    }
    if (this.service?.state.kind === 'valid') this.setCheck(check);
    return check;
  }

  private setCheck(check: EndpointCheck | undefined): void {
    if (check === this._lastCheck) return;
    this._lastCheck = check;
    this._onDidCheckEndpoint.fire(check);
  }

  private serviceOptions(s: BedrockGptSettings): TokenServiceOptions {
    return {
      region: s.region,
      profile: s.profile || undefined,
      lifetimeSeconds: this.lifetime(s),
      apiKey: s.authentication === 'apiKey' ? this.apiKey : undefined,
      env: this.credentialsEnv(s),
      ...(this.options.now && { now: this.options.now }),
      ...(this.options.refreshMarginSeconds !== undefined && { refreshMarginSeconds: this.options.refreshMarginSeconds }),
    };
  }

  private lifetime(s: BedrockGptSettings): number {
    const choice = this.lifetimeSetting.choose(s.tokenLifetimeSeconds);
    if (choice.refused !== undefined && choice.announce) {
      this.log.warn(`bedrockGpt.tokenLifetimeSeconds ${choice.refused} is out of range: tokens are signed for ${choice.seconds} s.`);
      this._onDidRefuseLifetime.fire({ seconds: choice.seconds, refused: choice.refused });
    }
    return choice.seconds;
  }

  /**
   * The environment credentials are resolved in. The setting decides the key: with `awsProfile`, a stray
   * AWS_BEARER_TOKEN_BEDROCK must not replace the profile. And proxies follow the same rule as the Bedrock
   * calls (Configuration.clientEnv): when VS Code's http.proxy is set, VS Code proxies, not the variables.
   */
  private credentialsEnv(s: BedrockGptSettings): NodeJS.ProcessEnv {
    const env = s.authentication === 'apiKey' ? { ...this.env } : withoutApiKey(this.env);
    for (const name of PROXY_VARIABLES) delete env[name];
    return { ...env, ...this.config.clientEnv(this.env) };
  }

  private readonly apiKey = async (): Promise<string> => {
    const key = (await this.secrets.get(SECRET_API_KEY)) || this.env[ENV_API_KEY];
    if (!key) throw new ApiKeyMissingError();
    return key;
  };

  /** Drops the service; the next use creates one from the current settings. */
  private reset(reason: string): void {
    this.log.info(`Token service reset: ${reason}.`);
    this.disposeService();
    this.setCheck(undefined);
    this._onDidChangeState.fire({ kind: 'none' });
  }

  private disposeService(): void {
    this.serviceSubscription?.dispose();
    this.serviceSubscription = undefined;
    this.service?.dispose();
    this.service = undefined;
  }
}

function withoutApiKey(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const copy = { ...env };
  delete copy[ENV_API_KEY];
  return copy;
}

/** For the log: the state's kind and times, never the token. */
function describeState(state: TokenState): string {
  switch (state.kind) {
    case 'none':
    case 'refreshing':
      return state.kind;
    case 'valid':
      if (state.expiresAt === undefined) return 'valid (API key)';
      return `valid until ${new Date(state.expiresAt).toISOString()} (${state.source}${state.cappedByCredentials ? ', capped by the credentials' : ''})`;
    case 'expired':
      return `expired at ${new Date(state.expiredAt).toISOString()}`;
    case 'error':
      return `error: ${state.message}`;
  }
}
