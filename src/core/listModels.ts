/** What a region's endpoint serves, from its `/models` (the authority; models.ts only holds what we know). */
import type OpenAI from 'openai';

export async function listModels(client: Pick<OpenAI, 'models'>, signal?: AbortSignal): Promise<string[]> {
  const ids: string[] = [];
  for await (const model of client.models.list({ signal })) ids.push(model.id);
  return ids.sort();
}
