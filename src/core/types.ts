/** Plain data types shared by the core, the CLI and the extension. No SDK imports here. */

export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  /** When temporary credentials stop working; a token signed with them dies at the same moment. */
  expiration?: Date;
}

export const REASONING_EFFORTS = ['none', 'minimal', 'low', 'medium', 'high', 'xhigh'] as const;
export type ReasoningEffort = (typeof REASONING_EFFORTS)[number];

export function isReasoningEffort(value: unknown): value is ReasoningEffort {
  return typeof value === 'string' && (REASONING_EFFORTS as readonly string[]).includes(value);
}

export interface Usage {
  inputTokens: number;
  cachedInputTokens: number;
  /** Includes reasoning tokens, which are billed as output. */
  outputTokens: number;
  reasoningTokens: number;
  totalTokens: number;
}

/** The conventional environment variable for a long-term Bedrock API key (the AWS SDK's and the seed's name). */
export const API_KEY_ENV = 'AWS_BEARER_TOKEN_BEDROCK';
