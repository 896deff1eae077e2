import * as vscode from 'vscode';
import { proxyVariables } from '../core/proxy';
import { APPLICATION_SETTINGS, sanitizeSetting, Settings, type BedrockGptSettings, type SettingKey } from '../core/settings';
import { SECTION } from './constants';
import { Disposable } from './lifecycle';

export type { Authentication, BedrockGptSettings } from '../core/settings';

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

  /** Where a setting's value comes from (user, workspace, folder): raw, for decisions on its origin. */
  inspect(key: SettingKey): { globalValue?: unknown; workspaceValue?: unknown; workspaceFolderValue?: unknown } | undefined {
    return this.host.getConfiguration(SECTION).inspect<unknown>(key);
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

  /**
   * Resolves once `key` reads `value` (at once if it does already): VS Code applies a written setting
   * asynchronously in some hosts. Bounded: gives up after `timeoutMs` and resolves false.
   */
  applied<K extends SettingKey>(key: K, value: BedrockGptSettings[K], timeoutMs = 2000): Promise<boolean> {
    if (this.get(key) === value) return Promise.resolve(true);
    return new Promise<boolean>((resolve) => {
      const done = (ok: boolean) => {
        clearTimeout(timer);
        sub.dispose();
        resolve(ok);
      };
      const sub = this.onDidChange((e) => {
        if (e.affects(key) && this.get(key) === value) done(true);
      });
      const timer = setTimeout(() => done(this.get(key) === value), timeoutMs);
    });
  }

  /** Writes to the user settings: these are personal choices (and the application-scoped ones allow nothing else). */
  async update<K extends SettingKey>(key: K, value: BedrockGptSettings[K] | undefined): Promise<void> {
    await this.host.getConfiguration(SECTION).update(key, value, vscode.ConfigurationTarget.Global);
  }
}

function read<K extends SettingKey>(config: vscode.WorkspaceConfiguration, key: K): BedrockGptSettings[K] {
  const raw = APPLICATION_SETTINGS.includes(key) ? userValue(config, key) : config.get<unknown>(key);
  return sanitizeSetting(key, raw);
}

function userValue(config: vscode.WorkspaceConfiguration, key: SettingKey): unknown {
  const inspected = config.inspect<unknown>(key);
  return inspected?.globalValue ?? inspected?.defaultValue;
}
