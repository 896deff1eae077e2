import * as vscode from 'vscode';
import { DEFAULT_MODEL, DEFAULT_REGION } from '../core/models';
import { proxyVariables } from '../core/proxy';
import { isReasoningEffort, type ReasoningEffort } from '../core/types';
import { APPLICATION_SETTINGS, SECTION, Settings, type SettingKey } from './constants';
import { Disposable } from './lifecycle';

export type Authentication = 'awsProfile' | 'apiKey';

/** Mirrors `contributes.configuration` in package.json (defaults included). */
export interface BedrockGptSettings {
  region: string;
  model: string;
  reasoningEffort: ReasoningEffort;
  /** '' = AWS_PROFILE or the default chain. */
  profile: string;
  authentication: Authentication;
  /** '' = derived from the region; may contain `{region}`. */
  endpoint: string;
  developerPrompt: string;
  /** 0 = the model's own limit. */
  maxOutputTokens: number;
  tokenLifetimeSeconds: number;
}

export const DEFAULTS: Readonly<BedrockGptSettings> = {
  region: DEFAULT_REGION,
  model: DEFAULT_MODEL,
  reasoningEffort: 'medium',
  profile: '',
  authentication: 'awsProfile',
  endpoint: '',
  developerPrompt: '',
  maxOutputTokens: 0,
  tokenLifetimeSeconds: 43200,
};

/** What an AWS region id looks like (us-east-2, ap-southeast-3, us-gov-west-1). */
export const REGION_ID = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;

export interface ConfigurationChange {
  affects(key: SettingKey): boolean;
}

/** What the module needs from `vscode.workspace`: injectable so tests can hand it a workspace value. */
export type ConfigurationHost = Pick<typeof vscode.workspace, 'getConfiguration' | 'onDidChangeConfiguration'>;

/**
 * The one place that reads and writes `bedrockGpt.*`. One `onDidChangeConfiguration` listener, filtered with
 * `affectsConfiguration`, fires this module's own event.
 *
 * `endpoint`, `profile` and `authentication` decide where the token and the user's code go. They are declared
 * `"scope": "application"`, and on top of that they are read here from the user (global) value only, so a
 * cloned repository's `.vscode/settings.json` cannot redirect them even if a host ignored the scope.
 */
export class Configuration extends Disposable {
  private readonly _onDidChange = this._register(new vscode.EventEmitter<ConfigurationChange>());
  readonly onDidChange = this._onDidChange.event;

  constructor(private readonly host: ConfigurationHost = vscode.workspace) {
    super();
    this._register(
      host.onDidChangeConfiguration((e) => {
        if (!e.affectsConfiguration(SECTION)) return;
        const changed = new Set(Object.values(Settings).filter((k) => e.affectsConfiguration(`${SECTION}.${k}`)));
        if (changed.size) this._onDidChange.fire({ affects: (key) => changed.has(key) });
      }),
    );
  }

  get<K extends SettingKey>(key: K): BedrockGptSettings[K] {
    return read(this.host.getConfiguration(SECTION), key);
  }

  /** Every setting, from one `getConfiguration` call. */
  snapshot(): BedrockGptSettings {
    const config = this.host.getConfiguration(SECTION);
    const out = {} as Record<SettingKey, unknown>;
    for (const key of Object.values(Settings)) out[key] = read(config, key);
    return out as unknown as BedrockGptSettings;
  }

  /**
   * The environment createClient takes its proxy from: HTTPS_PROXY / HTTP_PROXY / NO_PROXY, unless VS Code's own
   * `http.proxy` is set. Then the extension host's fetch, which VS Code patches for that setting, does the proxying,
   * and createClient must not add a second proxy in front of it.
   */
  clientEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
    const vscodeProxy = this.host.getConfiguration('http').get<unknown>('proxy');
    return typeof vscodeProxy === 'string' && vscodeProxy.trim() ? {} : proxyVariables(env);
  }

  /** Writes to the user settings: these are personal choices (and the application-scoped ones allow nothing else). */
  async update<K extends SettingKey>(key: K, value: BedrockGptSettings[K] | undefined): Promise<void> {
    await this.host.getConfiguration(SECTION).update(key, value, vscode.ConfigurationTarget.Global);
  }
}

function read<K extends SettingKey>(config: vscode.WorkspaceConfiguration, key: K): BedrockGptSettings[K] {
  const raw = APPLICATION_SETTINGS.includes(key) ? userValue(config, key) : config.get<unknown>(key);
  return sanitize(key, raw);
}

function userValue(config: vscode.WorkspaceConfiguration, key: SettingKey): unknown {
  const inspected = config.inspect<unknown>(key);
  return inspected?.globalValue ?? inspected?.defaultValue;
}

/** A hand-edited settings.json can hold anything: fall back to the default rather than pass on a wrong type. */
function sanitize<K extends SettingKey>(key: K, raw: unknown): BedrockGptSettings[K] {
  const fallback = DEFAULTS[key];
  switch (key) {
    case 'reasoningEffort':
      return (isReasoningEffort(raw) ? raw : fallback) as BedrockGptSettings[K];
    case 'authentication':
      return (raw === 'apiKey' || raw === 'awsProfile' ? raw : fallback) as BedrockGptSettings[K];
    case 'region': {
      // The region becomes part of the endpoint's host name (and of a `{region}` endpoint): only a region id.
      const s = typeof raw === 'string' ? raw.trim() : '';
      return (REGION_ID.test(s) ? s : fallback) as BedrockGptSettings[K];
    }
    case 'model': {
      const s = typeof raw === 'string' ? raw.trim() : '';
      return (s || fallback) as BedrockGptSettings[K];
    }
    case 'maxOutputTokens':
    case 'tokenLifetimeSeconds':
      return (typeof raw === 'number' && Number.isFinite(raw) ? Math.floor(raw) : fallback) as BedrockGptSettings[K];
    case 'developerPrompt':
      return (typeof raw === 'string' ? raw : fallback) as BedrockGptSettings[K];
    default:
      return (typeof raw === 'string' ? raw.trim() : fallback) as BedrockGptSettings[K];
  }
}
