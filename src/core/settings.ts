/**
 * The extension's settings as data: their keys, types and defaults (mirroring `contributes.configuration` in
 * package.json), how a hand-edited value is sanitized, and the profile rule every reader shares. No SDKs and no
 * `vscode`: src/vscode/configuration.ts only reads VS Code's values and hands them to sanitizeSetting.
 */
import { DEFAULT_MODEL, DEFAULT_REGION, isRegionId } from './models';
import { chosenProfile } from './profile';
import { isReasoningEffort, type ReasoningEffort } from './types';

export type Authentication = 'awsProfile' | 'apiKey';

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
  /** Conversations kept per workspace; the oldest beyond it are deleted. */
  historyMaxConversations: number;
  /** Megabytes of kept conversations per workspace; the oldest beyond it are deleted. */
  historyMaxSizeMB: number;
  /** The most seconds until an answer's stream opens. */
  firstByteTimeoutSeconds: number;
  /** The most seconds an open answer stream may stay silent. */
  streamIdleTimeoutSeconds: number;
  /** The most characters of code one question may carry (selection or whole file). */
  maxSelectionCharacters: number;
}

/** Setting keys relative to the `bedrockGpt` section. */
export const Settings = {
  region: 'region',
  model: 'model',
  reasoningEffort: 'reasoningEffort',
  profile: 'profile',
  authentication: 'authentication',
  endpoint: 'endpoint',
  developerPrompt: 'developerPrompt',
  maxOutputTokens: 'maxOutputTokens',
  tokenLifetimeSeconds: 'tokenLifetimeSeconds',
  historyMaxConversations: 'historyMaxConversations',
  historyMaxSizeMB: 'historyMaxSizeMB',
  firstByteTimeoutSeconds: 'firstByteTimeoutSeconds',
  streamIdleTimeoutSeconds: 'streamIdleTimeoutSeconds',
  maxSelectionCharacters: 'maxSelectionCharacters',
} as const satisfies Record<keyof BedrockGptSettings, keyof BedrockGptSettings>;
export type SettingKey = (typeof Settings)[keyof typeof Settings];

/** Settings that decide where the token and code go: read from the user (application) scope only. */
export const APPLICATION_SETTINGS: readonly SettingKey[] = [Settings.endpoint, Settings.profile, Settings.authentication];

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
  historyMaxConversations: 100,
  historyMaxSizeMB: 50,
  firstByteTimeoutSeconds: 60,
  streamIdleTimeoutSeconds: 120,
  maxSelectionCharacters: 100_000,
};

/** The range package.json declares for the selection cap; a hand-edited value outside it is brought inside. */
export const SELECTION_RANGE_CHARACTERS = { min: 1000, max: 2_000_000 } as const;

/** The range package.json declares for the two timeouts; a hand-edited value outside it is brought inside. */
export const TIMEOUT_RANGE_SECONDS = { min: 1, max: 3600 } as const;

/** The range package.json declares for the token lifetime (token.ts's MAX_TOKEN_LIFETIME_SECONDS is its top). */
export const TOKEN_LIFETIME_RANGE_SECONDS = { min: 1, max: 43200 } as const;

/** The lifetime the token is signed with, and the configured value when it was refused (out of range). */
export interface LifetimeChoice {
  seconds: number;
  refused?: number;
}

/**
 * `bedrockGpt.tokenLifetimeSeconds` as the token service gets it. A value outside the range is refused rather
 * than handed to the signer (which would fail every ask): the last good value is kept, else the default.
 * `announce` is true the first time a refused value is seen, so the front end says so once per value.
 */
export class TokenLifetimeSetting {
  private lastGood: number | undefined;
  private lastRefused: number | undefined;

  choose(configured: number): LifetimeChoice & { announce: boolean } {
    const { min, max } = TOKEN_LIFETIME_RANGE_SECONDS;
    if (configured >= min && configured <= max) {
      this.lastGood = configured;
      this.lastRefused = undefined;
      return { seconds: configured, announce: false };
    }
    const announce = this.lastRefused !== configured;
    this.lastRefused = configured;
    const seconds = Math.min(max, Math.max(min, this.lastGood ?? DEFAULTS.tokenLifetimeSeconds));
    return { seconds, refused: configured, announce };
  }
}

/** A hand-edited settings.json can hold anything: fall back to the default rather than pass on a wrong type. */
export function sanitizeSetting<K extends SettingKey>(key: K, raw: unknown): BedrockGptSettings[K] {
  return sanitize(key, raw) as BedrockGptSettings[K];
}

function sanitize(key: SettingKey, raw: unknown): BedrockGptSettings[SettingKey] {
  const fallback = DEFAULTS[key];
  const text = typeof raw === 'string' ? raw.trim() : '';
  switch (key) {
    case 'reasoningEffort':
      return isReasoningEffort(raw) ? raw : fallback;
    case 'authentication':
      return raw === 'apiKey' || raw === 'awsProfile' ? raw : fallback;
    case 'region':
      // The region becomes part of the endpoint's host name (and of a `{region}` endpoint): only a region id.
      return isRegionId(text) ? text : fallback;
    case 'model':
      return text || fallback;
    case 'maxOutputTokens':
    case 'tokenLifetimeSeconds':
      return typeof raw === 'number' && Number.isFinite(raw) ? Math.floor(raw) : fallback;
    case 'historyMaxConversations':
    case 'historyMaxSizeMB':
      return typeof raw === 'number' && Number.isFinite(raw) && raw >= 1 ? Math.floor(raw) : fallback;
    case 'firstByteTimeoutSeconds':
    case 'streamIdleTimeoutSeconds':
      return typeof raw === 'number' && Number.isFinite(raw) ? Math.min(TIMEOUT_RANGE_SECONDS.max, Math.max(TIMEOUT_RANGE_SECONDS.min, Math.round(raw))) : fallback;
    case 'maxSelectionCharacters':
      return typeof raw === 'number' && Number.isFinite(raw) ? Math.min(SELECTION_RANGE_CHARACTERS.max, Math.max(SELECTION_RANGE_CHARACTERS.min, Math.floor(raw))) : fallback;
    case 'developerPrompt':
      return typeof raw === 'string' ? raw : fallback;
    case 'profile':
    case 'endpoint':
      return typeof raw === 'string' ? text : fallback;
  }
}

/** The profile the settings sign with: none at all with a long-term API key. */
export function settingsProfile(s: Pick<BedrockGptSettings, 'authentication' | 'profile'>, env: NodeJS.ProcessEnv = process.env): string | undefined {
  return s.authentication === 'apiKey' ? undefined : chosenProfile(s.profile, env);
}
