/**
 * Models and regions as data. The service's region list changes over time (and `/models` is the real
 * authority for what a region serves), so code paths read these tables instead of hard-coding ids or regions.
 * No SDK imports: the extension imports this module statically.
 */
import type { ReasoningEffort } from './types';

export interface ModelPrice {
  inputPerMTok: number;
  cachedInputPerMTok: number;
  /** Reasoning tokens are billed as output tokens. */
  outputPerMTok: number;
}

export interface ModelInfo {
  id: string;
  label: string;
  /** Regions confirmed to serve the model (seed article, AWS GA notes). */
  regions: string[];
  /** Regions reported by later sources but not confirmed: offered in pickers, never promised in messages. */
  reportedRegions?: string[];
  contextTokens: number;
  maxOutputTokens: number;
  price: ModelPrice;
  /** Efforts seen working on Bedrock; others may come back as HTTP 400. */
  confirmedEfforts?: ReasoningEffort[];
}

export const KNOWN_MODELS: ModelInfo[] = [
  {
    id: 'openai.gpt-5.5',
    label: 'GPT-5.5',
    regions: ['us-east-2'],
    reportedRegions: ['us-east-1'],
    // Bedrock publishes no context size for GPT-5.5. We assume GPT-5.4's 272K: when trimming history, an
    // underestimate only drops old turns sooner, while an overestimate would produce 400s.
    contextTokens: 272_000,
    maxOutputTokens: 128_000,
    price: { inputPerMTok: 5.5, cachedInputPerMTok: 0.55, outputPerMTok: 33 },
    confirmedEfforts: ['low', 'medium', 'high'],
  },
  {
    id: 'openai.gpt-5.4',
    label: 'GPT-5.4',
    regions: ['us-east-2', 'us-west-2'],
    reportedRegions: ['us-east-1'],
    contextTokens: 272_000,
    maxOutputTokens: 128_000,
    price: { inputPerMTok: 2.75, cachedInputPerMTok: 0.275, outputPerMTok: 16.5 },
    confirmedEfforts: ['low', 'medium', 'high'],
  },
];

export interface MantleRegion {
  id: string;
  label: string;
}

/** Regions where AWS lists the bedrock-mantle endpoint (AWS "Regional availability by endpoints", also the
 *  list Codex ships). Which of them serve GPT is per model, above. */
export const MANTLE_REGION_INFO: MantleRegion[] = [
  { id: 'us-east-2', label: 'US East (Ohio)' },
  { id: 'us-east-1', label: 'US East (N. Virginia)' },
  { id: 'us-west-2', label: 'US West (Oregon)' },
  { id: 'eu-central-1', label: 'Europe (Frankfurt)' },
  { id: 'eu-west-1', label: 'Europe (Ireland)' },
  { id: 'eu-west-2', label: 'Europe (London)' },
  { id: 'eu-south-1', label: 'Europe (Milan)' },
  { id: 'eu-north-1', label: 'Europe (Stockholm)' },
  { id: 'ap-northeast-1', label: 'Asia Pacific (Tokyo)' },
  { id: 'ap-south-1', label: 'Asia Pacific (Mumbai)' },
  { id: 'ap-southeast-3', label: 'Asia Pacific (Jakarta)' },
  { id: 'sa-east-1', label: 'South America (São Paulo)' },
];

export const MANTLE_REGIONS: string[] = MANTLE_REGION_INFO.map((r) => r.id);

/** GPT-5.5 is served here and nowhere else confirmed. */
export const DEFAULT_REGION = 'us-east-2';

export const DEFAULT_MODEL = 'openai.gpt-5.5';

export function modelInfo(id: string): ModelInfo | undefined {
  return KNOWN_MODELS.find((m) => m.id === id);
}

/** Confirmed regions for a known model; [] for a custom id (ask the endpoint's /models instead). */
export function regionsServing(modelId: string): string[] {
  return [...(modelInfo(modelId)?.regions ?? [])];
}

/** Confirmed and reported regions, for pickers. */
export function regionsOffering(modelId: string): string[] {
  const m = modelInfo(modelId);
  return m ? [...m.regions, ...(m.reportedRegions ?? [])] : [];
}

/** "GPT-5.5" for a known id; a custom id is shown as it is. */
export function displayName(id: string): string {
  return modelInfo(id)?.label ?? id;
}

/**
 * What an AWS region id looks like (us-east-2, ap-southeast-3, us-gov-west-1): the one pattern for the setting
 * (package.json's `pattern` is this source), the endpoint's host name and the stand-in's region prefixes.
 */
export const REGION_ID = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;

export function isRegionId(value: string): boolean {
  return REGION_ID.test(value);
}
