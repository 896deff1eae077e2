/**
 * What a chat front end (VS Code's language-model picker) is told about the models a region serves: names,
 * limits, tool calling, the region and the price, from the model table. No SDK imports: the extension uses it
 * statically.
 */
import { formatDollars } from '../cost';
import { KNOWN_MODELS, type ModelInfo } from '../models';

/** The shape of vscode.LanguageModelChatInformation, as plain data. */
export interface ChatModelInfo {
  id: string;
  name: string;
  family: string;
  version: string;
  detail: string;
  tooltip: string;
  maxInputTokens: number;
  maxOutputTokens: number;
  capabilities: { toolCalling: boolean; imageInput: boolean };
  /** The region the model is served from (requests for it go there). */
  region: string;
}

/** `openai.gpt-5.5` → `gpt-5.5` (the family), `5.5` (the version). */
function familyOf(id: string): { family: string; version: string } {
  const family = id.replace(/^openai\./, '');
  return { family, version: /(\d+(?:\.\d+)*)$/.exec(family)?.[1] ?? family };
}

function describe(m: ModelInfo, region: string): ChatModelInfo {
  const p = m.price;
  const price = `${formatDollars(p.inputPerMTok)} input, ${formatDollars(p.cachedInputPerMTok)} cached input, ${formatDollars(p.outputPerMTok)} output per 1M tokens`;
  return {
    id: m.id,
    name: m.label,
    ...familyOf(m.id),
    detail: `Bedrock · ${region}`,
    tooltip: `${m.label} (${m.id}) on Amazon Bedrock in ${region}. ${price}; reasoning is billed as output.`,
    maxInputTokens: m.contextTokens,
    maxOutputTokens: m.maxOutputTokens,
    capabilities: { toolCalling: true, imageInput: false },
    region,
  };
}

/**
 * The known models `region` serves: those its `/models` listed (`served`), or, when it could not be asked,
 * those the model table confirms for the region. In the table's order (GPT-5.5 first).
 */
export function chatModelsFor(region: string, served?: readonly string[]): ChatModelInfo[] {
  return KNOWN_MODELS.filter((m) => (served ? served.includes(m.id) : m.regions.includes(region))).map((m) => describe(m, region));
}
