/**
 * The pickers' order: which models and regions come first, and what is known of each. Data only; the VS Code
 * layer turns each choice into a QuickPickItem with its own words.
 */
import type { PanelSettings } from '../shared/protocol';
import { KNOWN_MODELS, MANTLE_REGION_INFO, modelInfo, regionsOffering, regionsServing } from './models';
import type { BedrockGptSettings } from './settings';
import { REASONING_EFFORTS } from './types';

export interface ModelChoice {
  id: string;
  /** The display name of a built-in model; the id itself otherwise. */
  label: string;
  /** built-in, listed only by the region's /models, or the configured custom id that neither knows. */
  source: 'known' | 'listed' | 'current';
  /** undefined while the region's list is not known. */
  servedHere: boolean | undefined;
  /** The regions a built-in model is confirmed in. */
  regions: readonly string[];
  current: boolean;
}

/**
 * Without `served` (not known yet, or the listing failed): the built-in models. With it: the models the region
 * serves first (built-in, then the ids it lists that are not built in), then the built-in ones it does not
 * serve. A configured custom id that no list has comes last.
 */
export function modelChoices(current: string, served?: readonly string[]): ModelChoice[] {
  const here = (id: string) => (served === undefined ? undefined : served.includes(id));
  const known: ModelChoice[] = KNOWN_MODELS.map((m) => ({ id: m.id, label: m.label, source: 'known', servedHere: here(m.id), regions: m.regions, current: m.id === current }));
  const listed: ModelChoice[] = (served ?? [])
    .filter((id) => !modelInfo(id))
    .map((id) => ({ id, label: id, source: 'listed', servedHere: true, regions: [], current: id === current }));
  const choices = [...known.filter((c) => c.servedHere !== false), ...listed, ...known.filter((c) => c.servedHere === false)];
  if (!modelInfo(current) && !served?.includes(current)) {
    choices.push({ id: current, label: current, source: 'current', servedHere: served === undefined ? undefined : false, regions: [], current: true });
  }
  return choices;
}

export interface RegionChoice {
  id: string;
  label: string;
  /** Confirmed to serve the model. */
  serves: boolean;
  /** Reported (not confirmed) to serve it. */
  reported: boolean;
  current: boolean;
}

/** Every bedrock-mantle region, those confirmed to serve `model` first. */
export function regionChoices(model: string, current: string): RegionChoice[] {
  const serving = regionsServing(model);
  const offering = regionsOffering(model);
  const choices = MANTLE_REGION_INFO.map((r) => ({
    id: r.id,
    label: r.label,
    serves: serving.includes(r.id),
    reported: !serving.includes(r.id) && offering.includes(r.id),
    current: r.id === current,
  }));
  return [...choices.filter((c) => c.serves), ...choices.filter((c) => !c.serves)];
}

/** The chat panel's picker: the configured defaults, the known models (plus a custom configured one), all efforts. */
export function panelSettings(s: BedrockGptSettings): PanelSettings {
  const models = KNOWN_MODELS.map((m) => ({ id: m.id, label: m.label }));
  if (!models.some((m) => m.id === s.model)) models.push({ id: s.model, label: s.model });
  return { model: s.model, region: s.region, effort: s.reasoningEffort, models, efforts: [...REASONING_EFFORTS] };
}
