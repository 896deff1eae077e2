/**
 * What the stand-in serves: models per region and the reasoning efforts each model accepts.
 * Data, so a test can start a stand-in with another table (`startStandin({ catalog })`).
 */

export interface Catalog {
  /** Region → model ids served there. A region-shaped name missing here behaves like an unresolvable host. */
  regions: Record<string, string[]>;
  /** Model id → accepted `reasoning.effort` values. */
  efforts: Record<string, string[]>;
  /** Model id → context window in tokens; a request whose input is larger is refused (400 context_length_exceeded). */
  contextTokens: Record<string, number>;
}

export const DEFAULT_CATALOG: Catalog = {
  // The seed's GA table: GPT-5.5 only in us-east-2, GPT-5.4 in us-east-2 and us-west-2.
  regions: {
    'us-east-2': ['openai.gpt-5.5', 'openai.gpt-5.4'],
    'us-west-2': ['openai.gpt-5.4'],
  },
  // STAND-IN ASSUMPTION: the real per-model sets on Bedrock are UNCONFIRMED (reference/bedrock-mantle.md).
  // We accept the values the seed and the GPT-5.x family document and refuse `minimal`, so the client's
  // handling of a 400 "unsupported effort" can be exercised.
  efforts: {
    'openai.gpt-5.5': ['none', 'low', 'medium', 'high', 'xhigh'],
    'openai.gpt-5.4': ['none', 'low', 'medium', 'high', 'xhigh'],
  },
  // reference/bedrock-mantle.md: 272K tokens (GPT-5.4; GPT-5.5 is listed with the same window in models.ts).
  contextTokens: {
    'openai.gpt-5.5': 272_000,
    'openai.gpt-5.4': 272_000,
  },
};

/** The default when a request gives no effort, as on OpenAI's GPT-5 family. */
export const DEFAULT_EFFORT = 'medium';

/** Shape of an AWS region name: the product's one pattern. */
export { REGION_ID as REGION_PATTERN } from '../../src/core/models';
